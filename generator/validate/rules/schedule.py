"""V4xx: planned dates meet the milestones of 二 (all started, share completed, all completed)."""
from __future__ import annotations

import datetime as dt

from generator.findings import Severity
from generator.ledger import contract as C
from generator.policy.cnfmt import printed_date
from generator.validate.facts import full_milestone, partial_milestones, pct, planned_column, readable, target_of
from generator.validate.registry import COLUMN, Hit, rule

_VERB = {"started": ("开工", "start"), "completed": ("完工", "completion")}


def _no_later_than(plan, lp, measure):
    m = full_milestone(lp.policy, measure)
    if m is None:
        return
    zh, en = _VERB[measure]
    for row in plan.projects:
        cell = row.get(planned_column(measure))
        if readable(cell, dt.date) and cell.value > m.date:
            yield Hit(f"计划{zh}日期{cell.value.isoformat()}晚于“{m.label}”节点（{printed_date(m.date, m.precision)}）",
                      f"planned {en} {cell.value.isoformat()} is after the milestone {m.id} ({m.date.isoformat()})",
                      cell=cell, row=row, value=cell.value, expected=m.date, clause=m.clause)


@rule("V401", Severity.ERROR, "计划开工晚于全部开工节点", "planned start after the all-started milestone",
      clause=lambda p: full_milestone(p, "started").clause)
def start_by_milestone(plan, lp):
    yield from _no_later_than(plan, lp, "started")


@rule("V402", Severity.ERROR, "计划完工晚于全部完工节点", "planned completion after the all-completed milestone",
      clause=lambda p: full_milestone(p, "completed").clause)
def end_by_milestone(plan, lp):
    yield from _no_later_than(plan, lp, "completed")


@rule("V403", Severity.ERROR, "阶段节点计划完成量不足", "plan falls short of an interim milestone",
      clause=lambda p: partial_milestones(p)[0].clause, scope="county")
def interim_milestones(plan, lp):
    for m in partial_milestones(lp.policy):
        col = planned_column(m.measure)
        dates = _column(plan.projects, col, dt.date)
        weights = _column(plan.projects, C.HOUSEHOLDS, int) if m.basis == "households" else [1] * len(dates)
        if not plan.projects or dates is None or weights is None:
            continue   # the blank or unreadable cells are reported where they are
        t = target_of(lp.policy, plan.county)
        base = (t.households if m.basis == "households" else t.projects) if t is not None else None
        if base is None:
            base = sum(weights)
        done = sum(w for d, w in zip(dates, weights) if d <= m.date)
        if base and done < m.share * base - 1e-9:
            unit, unit_en = ("户", "households") if m.basis == "households" else ("个", "projects")
            zh, en = _VERB[m.measure]
            yield Hit(f"计划于{printed_date(m.date, m.precision)}前{zh}{done}{unit}，占{pct(done / base)}，"
                      f"未达到“{m.label}”要求的{pct(m.share)}（{m.share * base:g}{unit}）",
                      f"planned {en} by {m.date.isoformat()}: {done} {unit_en} = {pct(done / base)}, "
                      f"below the {pct(m.share)} ({m.share * base:g}) of milestone {m.id}",
                      sheet=C.SHEET_PROJECTS, column=col, value=done, expected=m.share * base, clause=m.clause,
                      extra={"milestone": m.id, "share": round(done / base, 4), "base": base})


def _column(rows, name: str, kind: type) -> list | None:
    """The values of one column if every row has a readable one of ``kind`` (exact type), else None."""
    out = []
    for r in rows:
        c = r.cells.get(name)
        if c is None or c.error or type(c.value) is not kind:
            return None
        out.append(c.value)
    return out


@rule("V404", Severity.ERROR, "计划完工早于计划开工", "planned completion before planned start", clause=COLUMN)
def end_after_start(plan, lp):
    for row in plan.projects:
        s, e = row.get(C.PLANNED_START), row.get(C.PLANNED_END)
        if readable(s, dt.date) and readable(e, dt.date) and e.value < s.value:
            yield Hit(f"计划完工日期{e.value.isoformat()}早于计划开工日期{s.value.isoformat()}",
                      f"planned completion {e.value.isoformat()} is before the planned start {s.value.isoformat()}",
                      cell=e, row=row, value=e.value, expected=f">= {s.value.isoformat()}")
