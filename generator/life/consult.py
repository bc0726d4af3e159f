"""Consultation records behind consent (三（二）/（三）, 附件 第1条).

"改造方案和物业管理模式完成征求群众意见并经80%以上居民同意后方可开工改造": each consultation is recorded with its
subject (the policy's ``consent.subjects``), method (会议/入户/表决), dates, households asked and agreeing. Consent
is computed from the counts, exactly (199 of 250 is 79.6 %, never "80%"), against the policy's threshold and
inclusivity through the one home of the rule, ``generator.policy.consent``.

Findings (codes G1xx):

- G101 error: the latest consultation of a subject falls short of the threshold (counts).
- G102 warning: a project declared or reported as started has no consultation record of a subject.
- G103 warning: a typed percentage disagrees with the counts (outside half a unit of its last typed digit).
- G104 error: the typed percentage meets the threshold and the counts do not (a rounding that hides a shortfall).
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from generator.findings import Finding, Severity
from generator.life.record import events, has_life, share_value
from generator.policy import consent as rule

if TYPE_CHECKING:
    from generator.policy.loader import LoadedPolicy
    from generator.policy.model import Consent
    from generator.register import Register


@dataclass
class SubjectConsent:
    subject: str
    method: str
    start: str
    end: str
    asked: int
    agreed: int
    share: Fraction
    meets: bool
    typed: str | None
    event_id: int

    @property
    def shown(self) -> str:
        return f"{self.agreed}/{self.asked}户（{_pct(self.share)}）"


@dataclass
class ConsentState:
    project: str
    subjects: dict[str, SubjectConsent] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    requirement: str = ""

    @property
    def short(self) -> bool:
        return any(not s.meets for s in self.subjects.values())

    @property
    def complete(self) -> bool:
        return not self.missing and not self.short

    @property
    def reason(self) -> str:
        bad = [s for s in self.subjects.values() if not s.meets]
        return "；".join(f"{s.subject}征求意见同意{s.shown}，未达到{self.requirement}" for s in bad)


def _pct(share: Fraction) -> str:
    v = (Decimal(share.numerator) / Decimal(share.denominator) * 100).quantize(Decimal("0.01"))
    return f"{v.normalize():f}%"


def _typed_decimals(typed: str) -> int:
    """Decimals of the percentage as typed: "80%" 0, "79.6%" 1, 0.796 (a share) 1."""
    s = str(typed).strip().replace("％", "%")
    if s.endswith("%"):
        return len(s[:-1].strip().partition(".")[2])
    decimals = len(s.partition(".")[2])
    return max(0, decimals - 2) if float(s) <= 1 else decimals


def consent_states(conn: sqlite3.Connection, lp: LoadedPolicy, county: str | None, as_of: dt.date) -> dict[str, ConsentState]:
    """{项目编号: ConsentState} from the consultations recorded by ``as_of`` (the latest per subject counts)."""
    c = lp.policy.consent
    out: dict[str, ConsentState] = {}
    if c is None or not has_life(conn):
        return out
    for e in events(conn, kind="consultation", county=county, until=as_of):
        assert e.project is not None              # a consultation is recorded on a project (record() requires one)
        f = e.fields
        share = rule.share_from_counts(int(f["agreed"]), int(f["asked"]))
        st = out.setdefault(e.project, ConsentState(e.project, requirement=rule.requirement(c)))
        st.subjects[f["subject"]] = SubjectConsent(f["subject"], f["method"], f["start"], f["end"], int(f["asked"]),
                                                   int(f["agreed"]), share, rule.meets_counts(int(f["agreed"]),
                                                                                              int(f["asked"]), c),
                                                   f.get("typed"), e.id)
    for st in out.values():
        st.missing = [s for s in c.subjects if s not in st.subjects]
    return out


def typed_check(sc: SubjectConsent, consent: Consent, typed_text: str | None = None) -> tuple[str, Severity] | None:
    """(code, severity) when the typed percentage (the consultation's own, or ``typed_text``: the workbook's
    居民同意率) disagrees with the counts, else None."""
    typed_text = typed_text or sc.typed
    if not typed_text:
        return None
    typed = share_value(typed_text)
    typed_meets = rule.meets(typed, consent)
    if typed_meets and not sc.meets:
        return "G104", Severity.ERROR
    d = _typed_decimals(typed_text)
    half = Fraction(5, 10 ** (d + 3))                # half a unit of the last typed digit of the percentage
    if abs(Fraction(str(typed)) - sc.share) > half:
        return "G103", Severity.WARNING
    return None


def workbook_consent(reg: Register, lp: LoadedPolicy, county: str, as_of: dt.date) -> dict[str, str]:
    """{项目编号: 居民同意率 as typed} in the county's latest submission received by ``as_of`` (read back from its
    stored bytes: the register's rows do not keep the figure)."""
    from generator.ledger import contract as C
    from generator.register import db
    from generator.register.series import latest_ids
    with db.opened(reg.path, create=False) as conn:
        sid = latest_ids(conn, as_of).get(county)
    if sid is None:
        return {}
    out = {}
    for row in reg.plan(sid, lp).projects:
        cell, pid = row.get(C.CONSENT), row.value(C.PROJECT_ID)
        if pid is None or cell is None or cell.error is not None or not isinstance(cell.value, (int, float)):
            continue
        out[str(pid).strip()] = repr(float(cell.value))
    return out


def findings(conn: sqlite3.Connection, lp: LoadedPolicy, county: str | None, as_of: dt.date, started: AbstractSet[str] = frozenset(),
             typed: dict[str, str] | None = None) -> list[Finding]:
    """G101–G104 for the county's consultations (``started``: 项目编号 declared or reported as started; ``typed``:
    the workbook's 居民同意率 by 项目编号, compared with the counts of every subject)."""
    c = lp.policy.consent
    if c is None:
        return []
    clause = lp.text.display(c.clause) if getattr(lp, "text", None) else c.clause
    states = consent_states(conn, lp, county, as_of)
    out = []
    for pid in sorted(set(states) | set(started)):
        st = states.get(pid) or ConsentState(pid, missing=list(c.subjects), requirement=rule.requirement(c))
        for s in st.subjects.values():
            if not s.meets:
                out.append(Finding("G101", Severity.ERROR,
                                   f"{s.subject}征求意见（{s.method}，{s.end}）同意{s.shown}，未达到{st.requirement}",
                                   f"{s.subject}: {s.agreed} of {s.asked} agreed ({_pct(s.share)}), below "
                                   f"{rule.requirement_en(c)}", clause=clause, project=pid, county=county,
                                   value=float(s.share), expected=c.threshold))
            for shown_typed, what in ((s.typed, s.subject), ((typed or {}).get(pid), f"工作簿中{s.subject}")):
                hit = typed_check(s, c, shown_typed) if shown_typed else None
                if not hit:
                    continue
                code, sev = hit
                typed_pct = _pct(Fraction(str(share_value(shown_typed))))
                out.append(Finding(code, sev,
                                   f"{what}填报同意率{typed_pct}，按征求意见户数计为{s.shown}"
                                   + ("：按户数计未达到" + st.requirement if code == "G104" else "，两者不符"),
                                   f"{what}: typed {typed_pct}, the counts give {_pct(s.share)}"
                                   + (" (below the threshold)" if code == "G104" else ""),
                                   clause=clause, project=pid, county=county, value=shown_typed,
                                   expected=_pct(s.share)))
        if pid in started:
            for subject in st.missing:
                out.append(Finding("G102", Severity.WARNING,
                                   f"已申报或已开工，但没有{subject}的征求意见记录（方式、日期、征求户数、同意户数）",
                                   f"declared or started without a consultation record of {subject}",
                                   clause=clause, project=pid, county=county))
    return out
