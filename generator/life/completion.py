"""Completion and handover (三（四）: "明确改造工程验收移交规定……建立健全改造工程质量回访、保修制度以及质量问题投诉、纠纷
协调处理等机制").

Per project, as of a day: the completion the county reported (实际完工日期 of its latest submission), the latest
竣工验收 (date, participants, 合格/不合格), the 移交 (物业/社区/专营单位), the warranty (start, months, end) and
complaints (received, closed).

Which completions 全部完工 counts: the notice (二) says "12月底前，2023年计划项目全部完工" and does not say that a
completion counts only once accepted. So the count is of **reported** completions, labelled so ("按上报完工计"),
unless the office decides that only accepted ones count (``accepted_only``, recorded by the caller as the
office's rule); then it is of completions with a 竣工验收 合格, labelled "按竣工验收合格计".

What a policy asks of the record follows its words (works.duties): a notice silent on 竣工验收 asks for no
竣工验收 record and G401 is not raised under it.

Findings: G401 warning (reported completed, no 竣工验收 record, where the policy states 验收), G402 error (a 竣工验收
不合格 and no later 合格 while the county reports the project completed), G403 info (accepted, not handed over,
where the policy states 移交), G404 info (handed over, no warranty recorded, where the policy states 保修),
G405 warning (a complaint open for more than 30 days: the notice asks for a mechanism, not a period; 30 days is
the tool's flag for the city to look, printed as such).
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.findings import Finding, Severity
from generator.life.record import Event, events, has_life

if TYPE_CHECKING:
    from generator.policy.loader import LoadedPolicy

REPORTED_LABEL, ACCEPTED_LABEL = "按上报完工计（未经竣工验收确认）", "按竣工验收合格计"
COMPLAINT_FLAG_DAYS = 30


def add_months(day: dt.date, months: int) -> dt.date:
    import calendar
    m = day.month - 1 + months
    y, m = day.year + m // 12, m % 12 + 1
    return dt.date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


@dataclass
class CompletionState:
    project: str
    community: str
    households: int | None
    reported_end: str | None
    acceptance: Event | None = None           # the latest acceptance Event
    handover: Event | None = None
    warranty: Event | None = None
    complaints: list[tuple[Event, Event | None]] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.acceptance is not None and self.acceptance.fields["result"] == "合格"

    @property
    def warranty_end(self) -> dt.date | None:
        if self.warranty is None:
            return None
        return add_months(self.warranty.day, int(self.warranty.fields["months"]))


def states(conn: sqlite3.Connection, county: str, as_of: dt.date) -> list[CompletionState]:
    from generator.register.series import latest_ids
    sid = latest_ids(conn, as_of).get(county)
    if sid is None:
        return []
    rows = conn.execute("SELECT project, community, households, actual_end FROM projects WHERE submission_id = ? "
                        "ORDER BY row", (sid,)).fetchall()
    evs = events(conn, county=county, until=as_of, kind=("acceptance", "handover", "warranty", "complaint",
                                                          "complaint_closed")) if has_life(conn) else []
    closing = {e.refers_to: e for e in evs if e.kind == "complaint_closed"}
    out = []
    for pid, community, hh, end in rows:
        st = CompletionState(pid or "", community or "", hh, end if end and end <= as_of.isoformat() else None)
        for e in evs:
            if e.project != pid:
                continue
            if e.kind in ("acceptance", "handover", "warranty"):
                setattr(st, e.kind, e)                  # day order: the latest wins
            elif e.kind == "complaint":
                st.complaints.append((e, closing.get(e.id)))
        out.append(st)
    return out


def completed_count(sts: list[CompletionState], accepted_only: bool = False) -> tuple[int, str]:
    """(number completed, the label saying how it was counted)."""
    if accepted_only:
        return sum(1 for s in sts if s.reported_end and s.accepted), ACCEPTED_LABEL
    return sum(1 for s in sts if s.reported_end), REPORTED_LABEL


def findings(conn: sqlite3.Connection, lp: LoadedPolicy, county: str, as_of: dt.date) -> list[Finding]:
    from generator.life.works import duties
    d = duties(lp)
    text = getattr(lp, "text", None)

    def clause(key: str) -> str:
        return text.display(d[key][0]) if text is not None else d[key][0]

    out = []
    for s in states(conn, county, as_of):
        where: dict[str, Any] = {"project": s.project, "county": county}
        if s.reported_end and "acceptance" in d:
            if s.acceptance is None:
                out.append(Finding("G401", Severity.WARNING, f"上报已于{s.reported_end}完工，尚无竣工验收记录",
                                   f"reported completed on {s.reported_end}, no final acceptance recorded",
                                   clause=clause("acceptance"), **where))
            elif not s.accepted:
                a = s.acceptance
                out.append(Finding("G402", Severity.ERROR,
                                   f"上报已完工，但{a.day.isoformat()}竣工验收结论为不合格" + (f"（{a.fields.get('note')}）" if a.fields.get("note") else ""),
                                   f"reported completed, but the acceptance of {a.day.isoformat()} failed",
                                   clause=clause("acceptance"), **where))
        if s.acceptance is not None and s.accepted and s.handover is None and "handover" in d:
            out.append(Finding("G403", Severity.INFO, f"已于{s.acceptance.day.isoformat()}竣工验收合格，尚无移交记录",
                               "accepted, not yet handed over", clause=clause("handover"), **where))
        if s.handover is not None and s.warranty is None and "warranty" in d:
            out.append(Finding("G404", Severity.INFO, "已移交，尚无保修记录（保修起始日期和期限）",
                               "handed over, no warranty recorded", clause=clause("warranty"), **where))
        for c, closed in s.complaints:
            if closed is None and (as_of - c.day).days > COMPLAINT_FLAG_DAYS and "complaints" in d:
                out.append(Finding("G405", Severity.WARNING,
                                   f"{c.day.isoformat()}收到的投诉“{c.fields['subject']}”已{(as_of - c.day).days}天未办结"
                                   f"（本工具以{COMPLAINT_FLAG_DAYS}天提示，政策未规定期限）",
                                   f"complaint of {c.day.isoformat()} open for {(as_of - c.day).days} days",
                                   clause=clause("complaints"), **where))
    return out
