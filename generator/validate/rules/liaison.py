"""V5xx: liaison points (五（五）): as many as the quota, each a project marked 是, each reported in full."""
from __future__ import annotations

import datetime as dt

from generator.findings import Severity
from generator.ledger import contract as C
from generator.policy.cnfmt import printed_date
from generator.validate.facts import column_keys, column_values, contract_of, key_set, norm, readable
from generator.validate.registry import COLUMN, Hit, count_hit, rule
from generator.validate.rules.projects import required_blanks


def _liaison_clause(p):
    return p.liaison_points.clause


@rule("V501", Severity.ERROR, "联系点个数与要求不符", "number of liaison points differs from the quota",
      clause=lambda p: next(c.liaison_quota.clause for c in p.counties if c.liaison_quota), scope="county",
      needs=(C.SHEET_LIAISON,))
def liaison_count(plan, lp):
    county = lp.policy.county(plan.county) if plan.county else None
    q = county.liaison_quota if county is not None else None
    if q is None:
        return
    hit = count_hit(len(plan.liaison), q.value, "个", f"{plan.county}确定了{{found}}个联系点，要求确定{{expected}}个",
                    f"{plan.county}: {{found}} liaison points, the quota is {{expected}}",
                    sheet=C.SHEET_LIAISON, column=C.PROJECT_ID, clause=q.clause)
    if hit:
        yield hit


@rule("V502", Severity.ERROR, "联系点不在项目清单中", "liaison point is not a listed project",
      clause=_liaison_clause, scope="county", needs=(C.SHEET_LIAISON,))
def liaison_listed(plan, lp):
    if not plan.liaison:
        return
    ids = key_set(plan.projects, C.PROJECT_ID)
    for row in plan.liaison:
        cell = row.get(C.PROJECT_ID)
        if readable(cell) and norm(cell.value) not in ids:
            yield Hit(f"联系点项目编号“{cell.value}”不在项目清单中", f"liaison point {cell.value!r} is not in 项目清单",
                      cell=cell, row=row, value=cell.value)


@rule("V503", Severity.ERROR, "联系点项目未标为联系点", "liaison point not marked 是 in 项目清单",
      clause=_liaison_clause, scope="county", needs=(C.SHEET_LIAISON,))
def liaison_marked(plan, lp):
    points = {norm(r.value(C.PROJECT_ID)) for r in plan.liaison if r.value(C.PROJECT_ID) is not None}
    if not points:
        return
    rows = plan.projects
    keys, marks = column_keys(rows, C.PROJECT_ID), column_values(rows, C.IS_LIAISON)
    listed = [j for j, key in enumerate(keys) if key in points]          # the rows of the points' projects
    marked = {keys[j] for j in listed if marks[j] is True}
    for j in listed:
        if marks[j] is False and keys[j] not in marked:   # (a duplicate number is V701's)
            row = rows[j]
            cell = row.cell(C.IS_LIAISON)
            yield Hit("该项目列在联系点表中，但“是否联系点”填的是“否”",
                      "listed in 联系点 but 是否联系点 says 否", cell=cell, row=row, value=cell.raw, expected="是")


@rule("V504", Severity.ERROR, "标为联系点的项目未报送联系点情况", "project marked 是 missing from 联系点",
      clause=_liaison_clause, scope="county", needs=(C.SHEET_LIAISON,))
def marked_reported(plan, lp):
    points = {norm(r.value(C.PROJECT_ID)) for r in plan.liaison if r.value(C.PROJECT_ID) is not None}
    if points and points - key_set(plan.projects, C.PROJECT_ID):
        return    # a 联系点 row names an unknown project (V502): most likely this one, mistyped; say it once
    keys = column_keys(plan.projects, C.PROJECT_ID)
    marks = column_values(plan.projects, C.IS_LIAISON)
    for j in [j for j, mark in enumerate(marks) if mark is True]:
        row = plan.projects[j]
        if row.value(C.PROJECT_ID) is not None and keys[j] not in points:
            cell = row.get(C.IS_LIAISON)
            yield Hit("“是否联系点”为“是”，但联系点表中没有该项目",
                      "marked 是 but missing from the 联系点 sheet", cell=cell, row=row, value=cell.raw)


@rule("V505", Severity.ERROR, "联系点报送内容未填写", "liaison report content is blank", clause=COLUMN,
      scope="county", needs=(C.SHEET_LIAISON,))
def liaison_contents(plan, lp):
    for row, cell, col in required_blanks(plan.liaison, contract_of(lp).required(C.SHEET_LIAISON)):
        yield Hit(f"联系点未填写{col.name}", f"liaison point: {col.name} is blank", cell=cell, row=row)


@rule("V506", Severity.ERROR, "联系点情况报送晚于期限", "liaison report after its deadline",
      clause=lambda p: p.deadline(p.liaison_points.report_deadline).clause, scope="county",
      needs=(C.SHEET_LIAISON,))
def liaison_deadline(plan, lp):
    d = lp.policy.deadline(lp.policy.liaison_points.report_deadline)
    for row in plan.liaison:
        cell = row.get(C.SUBMITTED)
        if readable(cell, dt.date) and cell.value > d.date:
            yield Hit(f"报送日期{cell.value.isoformat()}晚于“{d.label}”期限（{printed_date(d.date, d.precision)}前）",
                      f"reported {cell.value.isoformat()}, after the deadline {d.id} ({d.date.isoformat()})",
                      cell=cell, row=row, value=cell.value, expected=d.date)
