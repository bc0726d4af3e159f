"""开工认定 decided, not declared (附件 开工认定标准).

The county declares each criterion with its evidence (``declare``); the city's inspector records 符合/不符合 per
criterion with a note, the day and the inspector's name (``verify``), from the printed checklist's result. The
latest verdict of a criterion by its day (then by the order recorded) is the one that counts: a re-inspection
after a 不符合 is a new verdict, never an edit.

``start_verdicts(conn_or_register, as_of)`` gives {项目编号: {criterion id: "符合"/"不符合"}} for the register's
counting (register/recognition.py takes exactly this shape). ``decisions`` gives per project of a county the
decision printed in the 开工认定结果: 已认定 (every criterion of the policy verified 符合), 不予认定 (a criterion
verified 不符合, or the consultation counts fall short of the policy's threshold), 待核查 (declared or reported as
started, not every criterion verified yet: "申报"), 未申报.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.life.record import events, has_life

if TYPE_CHECKING:
    from generator.policy.loader import LoadedPolicy

DECIDED, REFUSED, PENDING, UNDECLARED = "已认定", "不予认定", "待核查", "未申报"


@dataclass
class VerdictRecord:
    criterion: int
    verdict: str
    day: dt.date
    inspector: str
    note: str | None
    event_id: int
    evidence: int


@contextlib.contextmanager
def _conn(conn_or_register: Any) -> Iterator[sqlite3.Connection]:
    """A sqlite3 connection from a connection, a Register/Life (``.path``) or a path."""
    if hasattr(conn_or_register, "execute"):             # a connection (SQLite's or register/pg.py's)
        yield conn_or_register
        return
    from generator.register import db
    path = getattr(conn_or_register, "path", conn_or_register)
    with db.opened(path, create=False) as conn:
        yield conn


def verdict_records(conn_or_register: Any, as_of: dt.date, county: str | None = None) -> dict[str, dict[int, VerdictRecord]]:
    """The latest verdict per project and criterion, recorded for a day on or before ``as_of``."""
    out: dict[str, dict[int, VerdictRecord]] = {}
    with _conn(conn_or_register) as conn:
        if not has_life(conn):
            return out
        for e in events(conn, kind="verify", county=county, until=as_of):       # day, id order: later wins
            assert e.project is not None          # a verdict is recorded on a project (record() requires one)
            f = e.fields
            out.setdefault(e.project, {})[int(f["criterion"])] = VerdictRecord(
                int(f["criterion"]), f["verdict"], e.day, f.get("inspector") or e.recorded_by, f.get("note"), e.id,
                len(e.evidence))
    return out


def start_verdicts(conn_or_register: Any, as_of: dt.date) -> dict[str, dict[int, str]]:
    """{项目编号: {criterion id: "符合"/"不符合"}} as of a day: the inspector's verdicts for the register's counts."""
    return {pid: {cid: v.verdict for cid, v in per.items()}
            for pid, per in verdict_records(conn_or_register, as_of).items()}


def declarations(conn: sqlite3.Connection, as_of: dt.date, county: str | None = None) -> dict[str, dict[int, object]]:
    out: dict[str, dict[int, object]] = {}
    if not has_life(conn):
        return out
    for e in events(conn, kind="declare", county=county, until=as_of):
        assert e.project is not None              # a declaration is recorded on a project (record() requires one)
        out.setdefault(e.project, {})[int(e.fields["criterion"])] = e
    return out


@dataclass
class StartDecision:
    project: str
    community: str
    households: int | None
    reported_start: str | None
    state: str                                  # DECIDED / REFUSED / PENDING / UNDECLARED
    reasons: list[str] = field(default_factory=list)
    decided_on: dt.date | None = None
    inspectors: list[str] = field(default_factory=list)


def decisions(conn: sqlite3.Connection, lp: LoadedPolicy, county: str, as_of: dt.date) -> list[StartDecision]:
    """Per project of the county's latest submission received by ``as_of``: the 开工认定 decision.

    A reported start is judged by the register's one function (register/recognition.recognise: the criteria as
    reported, rejected dates, the inspector's verdicts), so this document and the counts never disagree:
    not recognised -> 不予认定 with its reasons; recognised with every criterion verified 符合 -> 已认定;
    recognised on the county's declaration alone -> 待核查 (申报). A project not reported as started is 已认定
    once every criterion is verified 符合, 不予认定 when one is 不符合, 待核查 when declared, else 未申报."""
    from generator.life.consult import consent_states
    from generator.reports import recognition
    from generator.register.series import latest_ids
    p = lp.policy
    crits = list(p.start_criteria.items) if p.start_criteria else []
    sid = latest_ids(conn, as_of).get(county)
    if sid is None:
        return []
    has_facts = any(r[1] == "start_check" for r in conn.execute("PRAGMA table_info(projects)"))
    rows = conn.execute("SELECT project, community, households, actual_start, "
                        + ("start_check" if has_facts else "NULL") + " FROM projects WHERE submission_id = ? "
                        "ORDER BY row", (sid,)).fetchall()
    verdicts = verdict_records(conn, as_of, county)
    declared = declarations(conn, as_of, county)
    consents = consent_states(conn, lp, county, as_of)
    out = []
    for pid, community, hh, start, facts in rows:
        pid = pid or ""
        v = verdicts.get(pid, {})
        d = declared.get(pid, {})
        started = start if start and start <= as_of.isoformat() else None
        dec = StartDecision(pid, community or "", hh, started, UNDECLARED)
        refused = [f"条件{c.id}“{c.label}”现场核查不符合：{v[c.id].note}（{v[c.id].inspector}，{v[c.id].day.isoformat()}）"
                   for c in crits if c.id in v and v[c.id].verdict == "不符合"]
        cs = consents.get(pid)
        if cs is not None and cs.short:
            refused.append(cs.reason)
        all_verified = bool(crits) and all(c.id in v for c in crits)
        if started:
            rec = recognition.recognise(started, recognition.loads(facts), as_of,
                                        {cid: r.verdict for cid, r in v.items()} or None)
            if not rec.recognised and not refused:
                refused.append(rec.why)
        if refused:
            dec.state, dec.reasons = REFUSED, refused
        elif all_verified:
            dec.state = DECIDED
            dec.decided_on = max(r.day for r in v.values())
            dec.inspectors = sorted({r.inspector for r in v.values()})
        elif v or d or started:
            dec.state = PENDING
            waiting = [c for c in crits if c.id not in v]
            where = "已报开工，" if started else ""
            dec.reasons.append(f"{where}{len(crits)}项认定条件均待现场核查" if len(waiting) == len(crits) else
                               f"{where}待现场核查：" + "、".join(f"条件{c.id}“{c.label}”" for c in waiting))
        out.append(dec)
    return out
