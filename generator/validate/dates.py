"""What is due when: the policy's deadlines and milestones as dated duties, for ``validate --as-of``.

A rule applies from the date of the duty it enforces: a plan judged as of 2023-02-20 is not failed for
the 联系点 report due 2023-03-31. The link between a rule and its duty is the clause: a deadline is
due for every finding that cites the deadline's own clause (三（二） for the 改造方案, 五（五） for the
联系点 report), so no rule types a date. Exactly on the due date the duty applies (a report received
that day is on time, and must be complete).

The county plan's own deadline (the clause of 基本信息 报送日期) never defers anything: the workbook
being judged is that submission, so its contents are due the day it is handed in; V602 checks the date.

A deadline with a recorded erratum on its date (改造方案: printed 2022-03-15) is due on the corrected
date: the printed one lies before the notice itself, and no county could be judged against it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.ledger import contract as C
from generator.policy.cnfmt import printed_date


@dataclass(frozen=True)
class Duty:
    id: str
    label: str
    date: dt.date                 # the date it is due (corrected when an erratum corrects the date)
    printed: str                  # 2023年3月底前 ... as the notice would print the date
    clause: str
    kind: str                     # deadline | milestone
    printed_date: dt.date | None = None   # the date as printed, when an erratum corrected it

    def due_by(self, as_of: dt.date | None) -> bool:
        """Does the duty apply as of ``as_of``? (None: no date given, everything applies.)"""
        return as_of is None or as_of >= self.date


def effective_date(record) -> dt.date:
    err = getattr(record, "erratum", None)
    if err is not None and err.field == "date":
        corrected = err.corrected
        return corrected if isinstance(corrected, dt.date) else dt.date.fromisoformat(str(corrected))
    return record.date


def duties(policy) -> list[Duty]:
    """Every dated duty of the policy (deadlines, then milestones), in date order."""
    out = []
    for d in policy.deadlines:
        day = effective_date(d)
        out.append(Duty(d.id, d.label, day, printed_date(day, d.precision), d.clause, "deadline",
                        d.date if day != d.date else None))
    for m in policy.milestones:
        out.append(Duty(m.id, m.label, m.date, printed_date(m.date, m.precision), m.clause, "milestone"))
    return sorted(out, key=lambda x: (x.date, x.kind, x.id))


def own_deadline_clause(contract) -> str | None:
    """The clause of the plan's own deadline: the one its 基本信息 报送日期 answers."""
    col = contract.column(C.SHEET_INFO, C.SUBMITTED)
    return col.clause if col is not None else None


def deferring(policy, contract, as_of: dt.date | None) -> dict[str, Duty]:
    """clause id -> the deadline not yet due as of ``as_of`` whose findings wait until then."""
    if as_of is None:
        return {}
    own = own_deadline_clause(contract)
    return {d.clause: d for d in duties(policy)
            if d.kind == "deadline" and d.clause != own and not d.due_by(as_of)}


def later(policy, contract, as_of: dt.date | None) -> list[Duty]:
    """Duties (deadlines and milestones) not yet due as of ``as_of``, but the plan's own deadline."""
    if as_of is None:
        return []
    own = own_deadline_clause(contract)
    return [d for d in duties(policy) if not d.due_by(as_of) and not (d.kind == "deadline" and d.clause == own)]
