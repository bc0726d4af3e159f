"""V4xx: planned dates meet the milestones of 二 (all started, share completed, all completed); actual dates
agree with each other, lie in the plan year and not after the as-of date (V405–V408)."""
from __future__ import annotations

import datetime as dt

from generator.findings import Severity
from generator.ledger import contract as C
from generator.ledger.values import is_blank
from generator.policy.cnfmt import printed_date
from generator.validate.facts import (column_bounds, column_dates, column_raws, column_types, full_milestone,
                                      partial_milestones, pct, planned_column, readable_values, target_of)
from generator.validate.registry import COLUMN, Hit, rule

_VERB = {"started": ("开工", "start"), "completed": ("完工", "completion")}


def _no_later_than(plan, lp, measure):
    m = full_milestone(lp.policy, measure)
    if m is None:
        return
    zh, en = _VERB[measure]
    column = planned_column(measure)
    if not _any_after(plan.projects, column, m.date):
        return
    for row, d in zip(plan.projects, column_dates(plan.projects, column)):
        if d is not None and d > m.date:
            cell = row.cell(column)
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
        done = sum([w for d, w in zip(dates, weights) if d <= m.date])
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
    return readable_values(rows, name) if column_types(rows, name, "readable") <= {kind} else None


def _any_after(rows, column: str, day: dt.date) -> bool:
    """Some readable date of ``column`` is after ``day`` (told by the column's latest date)."""
    bounds = column_bounds(rows, column, "dates")
    return bounds is not None and bounds[1] > day


def _any_before(rows, column: str, day: dt.date) -> bool:
    bounds = column_bounds(rows, column, "dates")
    return bounds is not None and bounds[0] < day


@rule("V404", Severity.ERROR, "计划完工早于计划开工", "planned completion before planned start", clause=COLUMN)
def end_after_start(plan, lp):
    for row, start, end in _ends_before_start(plan.projects, C.PLANNED_START, C.PLANNED_END):
        yield Hit(f"计划完工日期{end.isoformat()}早于计划开工日期{start.isoformat()}",
                  f"planned completion {end.isoformat()} is before the planned start {start.isoformat()}",
                  cell=row.cell(C.PLANNED_END), row=row, value=end, expected=f">= {start.isoformat()}")


def _ends_before_start(rows, start_column: str, end_column: str):
    """(row, start, end) for every row whose readable end date is before its readable start date."""
    starts, ends = column_bounds(rows, start_column, "dates"), column_bounds(rows, end_column, "dates")
    if starts is None or ends is None or ends[0] >= starts[1]:
        return                                # no end before the latest start: no row to look at
    for j, (start, end) in enumerate(zip(column_dates(rows, start_column), column_dates(rows, end_column))):
        if start is not None and end is not None and end < start:
            yield rows[j], start, end


# -- actual dates: consistent with each other, inside the plan year, not after the as-of date ------------
@rule("V405", Severity.ERROR, "实际完工早于实际开工", "actual completion before the actual start", clause=COLUMN)
def actual_end_after_start(plan, lp):
    for row, s, e in _ends_before_start(plan.projects, C.ACTUAL_START, C.ACTUAL_END):
        yield Hit(f"实际完工日期{e.isoformat()}早于实际开工日期{s.isoformat()}",
                  f"actual completion {e.isoformat()} is before the actual start {s.isoformat()}",
                  cell=row.cell(C.ACTUAL_END), row=row, value=e, expected=f">= {s.isoformat()}")


@rule("V406", Severity.ERROR, "有实际完工日期而无实际开工日期", "completed without a start", clause=COLUMN)
def completed_without_start(plan, lp):
    rows = plan.projects
    if column_bounds(rows, C.ACTUAL_END, "dates") is None:
        return                                # (the usual plan: nothing completed yet)
    starts = column_raws(rows, C.ACTUAL_START)
    for j, e in enumerate(column_dates(rows, C.ACTUAL_END)):
        if e is not None and is_blank(starts[j]):
            row = rows[j]
            yield Hit(f"已填报实际完工日期{e.isoformat()}，但未填报实际开工日期",
                      f"actual completion {e.isoformat()} is recorded but no actual start",
                      cell=row.get(C.ACTUAL_START), row=row, value=None, expected="实际开工日期")


# The 2023 policy names no 续建 (projects carried over into another year): every start lies in the plan
# year. A policy that allows carry-overs needs a parameter for it, and this rule a reading of it.
@rule("V407", Severity.ERROR, "开工日期不在计划年度内", "start outside the plan year",
      clause=lambda p: full_milestone(p, "started").clause)
def start_in_plan_year(plan, lp):
    year = lp.policy.year
    rows = plan.projects
    columns = ((C.ACTUAL_START, "实际开工", "actual start"), (C.PLANNED_START, "计划开工", "planned start"))
    # a planned start after the year is also after the all-started milestone: V401 says so
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    outside = [{j for j, d in enumerate(column_dates(rows, column))
                if d is not None and (d.year < year or (column == C.ACTUAL_START and d.year > year))}
               if _any_before(rows, column, first) or (column == C.ACTUAL_START and _any_after(rows, column, last))
               else set() for column, _, _ in columns]
    for j in sorted(set().union(*outside)):
        row = rows[j]
        for (column, zh, en), where in zip(columns, outside):
            if j in where:
                d = row.value(column)
                cell = row.cell(column)
                yield Hit(f"{zh}日期{d.isoformat()}不在{year}年度内；本年度方案未规定续建项目，"
                          f"{year}年计划项目应于{year}年内开工",
                          f"{en} {d.isoformat()} is outside the plan year {year} (the policy provides for no "
                          "carry-over projects)", cell=cell, row=row, value=d, expected=str(year))


@rule("V408", Severity.ERROR, "实际日期晚于填报截止日期", "actual date after the as-of date", clause=COLUMN,
      dated=True)
def actual_not_after_as_of(plan, lp, as_of):
    cols = [C.ACTUAL_START, C.ACTUAL_END]
    rows = plan.projects
    late = [{j for j, d in enumerate(column_dates(rows, column)) if d is not None and d > as_of}
            if _any_after(rows, column, as_of) else set() for column in cols]
    for j in sorted(set().union(*late)):
        row = rows[j]
        for column, where in zip(cols, late):
            if j in where:
                d = row.value(column)
                cell = row.cell(column)
                yield Hit(f"{column}{d.isoformat()}晚于截止日期{as_of.isoformat()}：尚未发生的事不能填报为实际完成",
                          f"{column} {d.isoformat()} is after the as-of date {as_of.isoformat()}: a future date "
                          "cannot be an actual one", cell=cell, row=row, value=d, expected=f"<= {as_of.isoformat()}")
