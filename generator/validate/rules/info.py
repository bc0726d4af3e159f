"""V6xx: 基本信息 complete (the contents 三（一） asks of a plan) and submitted by the deadline."""
from __future__ import annotations

import datetime as dt

from generator.findings import Severity
from generator.ledger import contract as C
from generator.ledger.model import Cell
from generator.policy.cnfmt import printed_date
from generator.validate.facts import contract_of, readable
from generator.validate.registry import COLUMN, Hit, rule


@rule("V601", Severity.ERROR, "基本信息未填写完整", "基本信息 incomplete", clause=COLUMN,
      needs=(C.SHEET_INFO,))
def info_complete(plan, lp):
    for col in contract_of(lp).required(C.SHEET_INFO):
        if col.name == C.COUNTY:
            continue                       # V101 says which county is expected
        cell = plan.info.get(col.name) or Cell(None, None, C.SHEET_INFO, None, col.name)
        if cell.blank and cell.error is None:
            what = col.meaning if col.meaning and col.meaning != col.name else col.name
            yield Hit(f"基本信息未填写“{col.name}”（{what}）", f"基本信息: {col.name} is blank", cell=cell)


@rule("V602", Severity.ERROR, "实施方案报送晚于期限", "plan submitted after the deadline",
      clause=lambda p: p.deadline("county_plan").clause, needs=(C.SHEET_INFO,))
def submitted_in_time(plan, lp):
    d = lp.policy.deadline("county_plan")
    cell = plan.info.get(C.SUBMITTED)
    if cell is not None and readable(cell, dt.date) and cell.value > d.date:
        yield Hit(f"报送日期{cell.value.isoformat()}晚于“{d.label}”期限（{printed_date(d.date, d.precision)}前）",
                  f"submitted {cell.value.isoformat()}, after the deadline {d.id} ({d.date.isoformat()})",
                  cell=cell, value=cell.value, expected=d.date)
