"""V4xx: planned dates meet the milestones of 二 (all started, share completed, all completed); actual dates
agree with each other, lie in the plan year and not after the as-of date (V405–V408)."""
from __future__ import annotations

import datetime as dt

from generator.findings import Severity
from generator.ledger import contract as C
from generator.policy.cnfmt import printed_date
from generator.validate.facts import date_of, full_milestone, partial_milestones, pct, planned_column, target_of
from generator.validate.registry import COLUMN, Hit, rule

_VERB = {"started": ("开工", "start"), "completed": ("完工", "completion")}


def _no_later_than(plan, lp, measure):
    m = full_milestone(lp.policy, measure)
    if m is None:
        return
    zh, en = _VERB[measure]
    column = planned_column(measure)
    for row in plan.projects:
        cell = row.cells.get(column)
        d = date_of(cell)
        if d is not None and d > m.date:
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
        s, e = row.cells.get(C.PLANNED_START), row.cells.get(C.PLANNED_END)
        start, end = date_of(s), date_of(e)
        if start is not None and end is not None and end < start:
            yield Hit(f"计划完工日期{e.value.isoformat()}早于计划开工日期{s.value.isoformat()}",
                      f"planned completion {e.value.isoformat()} is before the planned start {s.value.isoformat()}",
                      cell=e, row=row, value=e.value, expected=f">= {s.value.isoformat()}")


# -- actual dates: consistent with each other, inside the plan year, not after the as-of date ------------
def _actual(row, column):
    """(cell, its readable date or None); the cell is None when not stored (blank): most projects have
    no actual dates yet, and V405–V408 look at both columns of every row."""
    cell = row.cells.get(column)
    return cell, date_of(cell)


@rule("V405", Severity.ERROR, "实际完工早于实际开工", "actual completion before the actual start", clause=COLUMN)
def actual_end_after_start(plan, lp):
    for row in plan.projects:
        (_, s), (e_cell, e) = _actual(row, C.ACTUAL_START), _actual(row, C.ACTUAL_END)
        if s is not None and e is not None and e < s:
            yield Hit(f"实际完工日期{e.isoformat()}早于实际开工日期{s.isoformat()}",
                      f"actual completion {e.isoformat()} is before the actual start {s.isoformat()}",
                      cell=e_cell, row=row, value=e, expected=f">= {s.isoformat()}")


@rule("V406", Severity.ERROR, "有实际完工日期而无实际开工日期", "completed without a start", clause=COLUMN)
def completed_without_start(plan, lp):
    for row in plan.projects:
        (s_cell, _), (_, e) = _actual(row, C.ACTUAL_START), _actual(row, C.ACTUAL_END)
        if e is not None and (s_cell is None or s_cell.blank):
            s_cell = row.get(C.ACTUAL_START)
            yield Hit(f"已填报实际完工日期{e.isoformat()}，但未填报实际开工日期",
                      f"actual completion {e.isoformat()} is recorded but no actual start", cell=s_cell, row=row,
                      value=None, expected="实际开工日期")


# The 2023 policy names no 续建 (projects carried over into another year): every start lies in the plan
# year. A policy that allows carry-overs needs a parameter for it, and this rule a reading of it.
@rule("V407", Severity.ERROR, "开工日期不在计划年度内", "start outside the plan year",
      clause=lambda p: full_milestone(p, "started").clause)
def start_in_plan_year(plan, lp):
    year = lp.policy.year
    for row in plan.projects:
        for column, zh, en in ((C.ACTUAL_START, "实际开工", "actual start"), (C.PLANNED_START, "计划开工", "planned start")):
            cell, d = _actual(row, column)
            # a planned start after the year is also after the all-started milestone: V401 says so
            if d is not None and (d.year < year or (column == C.ACTUAL_START and d.year > year)):
                yield Hit(f"{zh}日期{d.isoformat()}不在{year}年度内；本年度方案未规定续建项目，"
                          f"{year}年计划项目应于{year}年内开工",
                          f"{en} {d.isoformat()} is outside the plan year {year} (the policy provides for no "
                          "carry-over projects)", cell=cell, row=row, value=d, expected=str(year))


@rule("V408", Severity.ERROR, "实际日期晚于填报截止日期", "actual date after the as-of date", clause=COLUMN,
      dated=True)
def actual_not_after_as_of(plan, lp, as_of):
    cols = [C.ACTUAL_START, C.ACTUAL_END]
    for row in plan.projects:
        for column in cols:
            cell, d = _actual(row, column)
            if d is not None and d > as_of:
                yield Hit(f"{column}{d.isoformat()}晚于截止日期{as_of.isoformat()}：尚未发生的事不能填报为实际完成",
                          f"{column} {d.isoformat()} is after the as-of date {as_of.isoformat()}: a future date "
                          "cannot be an actual one", cell=cell, row=row, value=d, expected=f"<= {as_of.isoformat()}")
