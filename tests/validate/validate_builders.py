"""Valid county plans built in memory from the policy, for rule tests: each test breaks one thing.

Values are derived from the policy (targets, quotas, milestones, deadlines), so the base plan is valid
for whatever the policy says; a rule test then changes one cell and expects exactly one finding there.
"""
from __future__ import annotations

import datetime as dt

from generator.ledger import contract as C
from generator.ledger.model import Cell, Plan, Row
from generator.validate.facts import contract_of, full_milestone

DAY = dt.timedelta(days=1)


def _row(sheet: str, row_no: int, values: dict, headers: dict[str, int]) -> Row:
    r = Row(sheet, row_no)
    for name, v in values.items():
        r.cells[name] = Cell(v, v, sheet, row_no, name, headers.get(name))
    return r


def split_households(total: int, n: int) -> list[int]:
    base, rest = divmod(total, n)
    return [base + (1 if i < rest else 0) for i in range(n)]


def valid_plan(lp, county: str, *, file: str = "plan.xlsx", header_row: int = 3) -> Plan:
    p = lp.policy
    contract = contract_of(lp)
    c = p.county(county)
    start = full_milestone(p, "started").date - 30 * DAY
    # every project completes before the earliest completion milestone, so each share is met
    end = min(m.date for m in p.milestones if m.measure == "completed") - 10 * DAY
    plan_deadline = p.deadline("county_plan").date
    liaison_deadline = p.deadline(p.liaison_points.report_deadline).date
    headers = {s: {col.name: i + 1 for i, col in enumerate(contract.columns(s))} for s in C.SHEETS}
    headers[C.SHEET_INFO] = {}
    plan = Plan(file=file, headers=headers, header_rows={C.SHEET_PROJECTS: header_row, C.SHEET_LIAISON: 1},
                sheet_names={s: s for s in C.SHEETS})
    info_values = {col.name: f"示例{col.name}" for col in contract.info}
    info_values.update({C.COUNTY: county, C.SUBMITTED: plan_deadline - 3 * DAY, C.PHONE: "0374-1234567"})
    info_values.pop("备注", None)
    for i, (k, v) in enumerate(info_values.items()):
        plan.info[k] = Cell(v, v, C.SHEET_INFO, i + 2, k, 2)
    quota = c.liaison_quota.value if c.liaison_quota else 0
    for i, hh in enumerate(split_households(c.target.households, c.target.projects)):
        values = {
            C.PROJECT_ID: f"P{i + 1:03d}", C.COMMUNITY: f"示例小区{i + 1}", C.BUILDINGS: 3, C.HOUSEHOLDS: hh,
            C.WORKS: ["供水管网改造", "外墙保温"], C.COST: 100.0, C.CONSENT: 0.9, C.PROPERTY_MODEL: "专业化物业服务",
            C.PLANNED_START: start, C.PLANNED_END: end, C.IS_LIAISON: i < quota,
            "保障措施": "示例保障措施", "建设单位": "示例建设单位", "监管责任单位": "示例街道办事处", "责任人": "张三",
            C.PHONE: "13800000000",
        }
        channels = contract.funding_columns
        values.update({channels[0]: 60.0, channels[2]: 40.0})
        for name in channels[1:2] + channels[3:]:
            values[name] = None                        # blank = 0
        plan.projects.append(_row(C.SHEET_PROJECTS, header_row + 1 + i, values, headers[C.SHEET_PROJECTS]))
    for i in range(quota):
        values = {C.PROJECT_ID: f"P{i + 1:03d}", C.COMMUNITY: f"示例小区{i + 1}", C.SUBMITTED: liaison_deadline - 5 * DAY}
        values.update({item: f"示例{item}" for item in p.liaison_points.report_contents})
        plan.liaison.append(_row(C.SHEET_LIAISON, 2 + i, values, headers[C.SHEET_LIAISON]))
    return plan


def set_cell(row: Row, column: str, value, *, raw=None, error: str | None = None) -> Cell:
    """Change one cell (value as parsed; ``error`` for a value the reader could not read)."""
    old = row.get(column)
    cell = Cell(value if raw is None else raw, None if error else value, row.sheet, row.row, column,
                old.col_index, error, error)
    row.cells[column] = cell
    return cell
