"""开工认定 as the count (issue 19.2): the one place that decides whether a project's start is recognised.

A typed 实际开工日期 alone is not a start (附件; programme-year.md "开工认定"). A start counts, in every figure
of the register (status, 汇总表, 通报, series, the web page) and in the 开工项目认定汇总表, only when

- its date was not rejected by a validation rule (an error on the 实际开工日期 cell: V408 a future date typed
  as actual, V407 outside the plan year, ...), and
- the five 开工认定标准 hold on the start date, criterion 1 including the consent threshold with the policy's
  inclusivity — judged by ``validate.rules.projects.readiness``, the validator's own function (never a second
  reading), when the submission was recorded; and
- an inspector's verdict, where one is given (``verdicts``: project id -> "符合"/"不符合", or per criterion
  {criterion id: "符合"/"不符合"}), does not say 不符合. A verdict decides the criteria it names; the others
  stay as declared (申报).

``start_facts`` turns a ledger row into the stored facts (JSON in ``projects.start_check``); ``recognise``
decides from them, as of a day. Both the register's SQL-free counts and the 认定汇总表 call ``recognise``.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.findings import Finding

Facts = dict[str, Any]                 # start_facts of one row, as stored (JSON)
Verdict = str | dict[Any, str] | None  # an inspector's verdict: one for every criterion, or per criterion id

PASS, FAIL = "符合", "不符合"


@dataclass
class Recognition:
    started: bool                 # a readable actual start on or before the day
    recognised: bool              # counts as started (开工认定)
    why: str = ""                 # why not (Chinese), "" when recognised
    why_en: str = ""
    inspected: bool = False       # an inspector's verdict decided at least one criterion
    missing: list[int] = field(default_factory=list)   # criteria not met (ids)


def _start_column() -> str:
    from generator.ledger import contract as C
    return C.ACTUAL_START


def _end_column() -> str:
    from generator.ledger import contract as C
    return C.ACTUAL_END


# the validator's 开工认定 rules (V302 consent vs criterion 1, V303 criteria blank, V304 a criterion met after the
# start) judge the criteria, which ``recognise`` reads itself (and an inspector's verdict may decide): they do
# not reject the date
CRITERIA_CODES = {"V302", "V303", "V304"}


def rejected_dates(findings: Iterable[Finding]) -> dict[int, dict[str, list[str]]]:
    """Excel row -> {"start"/"end": [code 说明, ...]}: the errors a rule raised on an actual date's cell."""
    from generator.ledger import monthly as M      # a 信息月报's own form: 开工日期/完工日期 on 项目进度
    start, end = _start_column(), _end_column()
    starts, ends = (start, M.START), (end, M.END)
    out: dict[int, dict[str, list[str]]] = {}
    for f in findings:
        sev = getattr(f.severity, "value", f.severity)
        if sev != "error" or not f.row or f.column not in (*starts, *ends) or f.code in CRITERIA_CODES:
            continue
        if f.sheet not in (None, "", "项目清单", M.SHEET_PROGRESS):
            continue
        key = "start" if f.column in starts else "end"
        out.setdefault(f.row, {}).setdefault(key, []).append(f"{f.code} {f.message}")
    return out


def start_facts(row: Any, lp: Any, rejected: Facts | None = None, ready: Any = None) -> Facts | None:
    """What ``recognise`` needs of one 项目清单 row, as stored with the submission. None when the policy has
    no 开工认定标准 (a target-only plan: a start is judged by its date and the rules only). ``ready``: the
    row's ``readiness(row, lp, None)`` when the caller has it already (the validator's, issue 19.9)."""
    facts: Facts = {}
    if rejected:
        facts["rejected"] = rejected
    p = lp.policy
    if p.start_criteria is None or not p.start_criteria.items:
        return facts or None
    if ready is None:
        from generator.validate.rules.projects import readiness
        ready = readiness(row, lp, None)
    r = ready
    facts["criteria"] = [{"id": c.id, "met": bool(c.met), "state": c.state,
                          "date": c.date.isoformat() if c.date else None, "why": c.why} for c in r.criteria]
    return facts


def dumps(facts: Facts | None) -> str | None:
    """The stored JSON, with ``ok``/``why``: the decision without an inspector's verdict, made once when the
    submission is recorded (a started row's decision depends on its facts only), so counting a big register
    needs no JSON parse for a recognised row (``quick``)."""
    if facts is None:
        return None
    rec = recognise(dt.date.min, facts, dt.date.max)
    if facts.keys() == {"criteria"} and rec.recognised.__class__ is bool and isinstance(facts["criteria"], list):
        # the usual row: the same text as below, each criterion's JSON written once per distinct criterion
        # (a report repeats a few thousand of them over 53,000 rows; issue 19.9)
        return ('{"criteria": [' + ", ".join(map(_criterion_json, facts["criteria"])) + '], "ok": '
                + ("true" if rec.recognised else "false") + ', "why": ' + _ENCODE(rec.why) + "}")
    return _ENCODE({**facts, "ok": rec.recognised, "why": rec.why})


# json.dumps(…, ensure_ascii=False, sort_keys=True) without building an encoder a row (53,000 rows a report)
_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
_CRITERION_KEYS = {"id", "met", "state", "date", "why"}
_CRITERIA_SEEN: dict[tuple[Any, ...], str] = {}


def _criterion_json(c: Any) -> str:
    if c.__class__ is not dict or c.keys() != _CRITERION_KEYS:
        return _ENCODE(c)
    key = (c["id"].__class__, c["id"], c["met"].__class__, c["met"], c["state"], c["date"], c["why"])
    text = _CRITERIA_SEEN.get(key)
    if text is None:
        if len(_CRITERIA_SEEN) > 100_000:
            _CRITERIA_SEEN.clear()
        text = _CRITERIA_SEEN[key] = _ENCODE(c)
    return text


def stored_decision(text: str | None) -> int | None:
    """``projects.start_ok``: 1 recognised (no verdict), 0 not, 2 decide from the facts (a rejected completion);
    NULL for a row without facts (a policy without criteria and no rejected date): counted on its dates."""
    if text is None:
        return None
    q = quick(text)
    return 2 if q is None else int(q)


def quick(text: str | None) -> bool | None:
    """The stored decision without a verdict: True/False, or None when it must be read in full (a row recorded
    before the decision was stored, or one whose completion date was rejected)."""
    if not text:
        return True
    if '"end"' in text:
        return None
    if '"ok": true' in text:
        return True
    if '"ok": false' in text:
        return False
    return None


def recognise_stored(actual_start: str | dt.date | None, text: str | None, as_of: dt.date,
                     verdict: Verdict = None) -> tuple[Recognition, Facts | None]:
    """``recognise`` on the facts as stored (their JSON text), and the facts (None when not parsed): a recognised
    start without a verdict is read from the stored decision (``quick``) without a parse (53,000 rows a report)."""
    start = dt.date.fromisoformat(actual_start) if isinstance(actual_start, str) else actual_start
    if verdict is None and start is not None and start <= as_of and quick(text) is True:
        return Recognition(True, True), None
    facts = loads(text)
    return recognise(actual_start, facts, as_of, verdict), facts


def loads(text: str | None) -> Facts | None:
    if not text:
        return None
    facts: Facts = json.loads(text)
    return facts


def _verdict_for(verdict: Verdict, cid: int) -> str | None:
    if verdict is None:
        return None
    if isinstance(verdict, str):
        return verdict
    if isinstance(verdict, dict):
        return verdict.get(cid, verdict.get(str(cid)))
    return None


def check_verdict(value: Verdict) -> None:
    from generator.errors import UsageError
    if value is None:
        return
    values = [value] if isinstance(value, str) else list(value.values()) if isinstance(value, dict) else [value]
    for v in values:
        if v not in (PASS, FAIL):
            raise UsageError(f"核查结论应为“{PASS}”或“{FAIL}”，不是“{v}”", f"an inspector's verdict is 符合 or 不符合, not {v!r}")


def recognise(actual_start: str | dt.date | None, facts: Facts | None, as_of: dt.date,
              verdict: Verdict = None) -> Recognition:
    """Is this start recognised on ``as_of``? ``facts``: ``start_facts`` as stored (None: a row recorded
    before the register kept them, or a policy without criteria: judged on its date and rules only)."""
    start = dt.date.fromisoformat(actual_start) if isinstance(actual_start, str) else actual_start
    if start is None or start > as_of:
        return Recognition(False, False)
    facts = facts or {}
    rejected = facts.get("rejected", {}).get("start")
    if rejected:
        return Recognition(True, False, "开工日期未通过校验：" + "；".join(rejected),
                           "the start date was rejected: " + "; ".join(rejected))
    check_verdict(verdict)
    inspected = verdict is not None
    missing, reasons = [], []
    for c in facts.get("criteria", []):
        v = _verdict_for(verdict, c["id"])
        if v == FAIL:
            missing.append(c["id"])
            reasons.append(f"条件{c['id']}：现场核查不符合")
        elif v == PASS:
            continue
        elif not c["met"]:
            missing.append(c["id"])
            reasons.append(f"条件{c['id']}：{c['why'] or '未达到'}")
    if isinstance(verdict, str) and verdict == FAIL and not missing:
        missing, reasons = [0], ["现场核查不符合认定标准"]
    if missing:
        return Recognition(True, False, "；".join(reasons),
                           "start criteria not met: " + ", ".join(str(m) for m in missing if m), inspected, missing)
    return Recognition(True, True, inspected=inspected)


def end_counts(actual_end: str | None, facts: Facts | None, day: dt.date) -> bool:
    """A completion counts when its date is on or before ``day`` and no rule rejected it."""
    if not actual_end or actual_end > day.isoformat():
        return False
    return not (facts or {}).get("rejected", {}).get("end")
