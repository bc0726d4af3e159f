"""V0xx: values that cannot be read, or are read but out of range."""
from __future__ import annotations

import datetime as dt

from generator.findings import Severity
from generator.ledger import contract as C
from generator.validate.facts import contract_of, plausible_dates
from generator.validate.registry import COLUMN, Hit, rule


def _all_cells(plan):
    for cell in plan.info.values():
        yield C.SHEET_INFO, None, cell
    for sheet, rows in ((C.SHEET_PROJECTS, plan.projects), (C.SHEET_LIAISON, plan.liaison)):
        for row in rows:
            for cell in row.cells.values():
                yield sheet, row, cell


@rule("V001", Severity.ERROR, "单元格无法识别", "cell cannot be read", clause=COLUMN)
def unreadable(plan, lp):
    for _sheet, row, cell in _all_cells(plan):
        if cell.error:
            yield Hit(cell.error, cell.error_en or cell.error, cell=cell, row=row, value=cell.raw)


@rule("V002", Severity.ERROR, "数值超出合理范围", "value out of range", clause=COLUMN)
def out_of_range(plan, lp):
    contract = contract_of(lp)
    kinds = {sheet: {c.name: c for c in contract.columns(sheet)} for sheet in C.SHEETS}
    first, last = plausible_dates(lp.policy)
    year = lp.policy.year
    for sheet, row, cell in _all_cells(plan):
        col = kinds[sheet].get(cell.column)
        v = cell.value
        if col is None or v is None or cell.error:
            continue
        if col.name == C.BUILT_YEAR:
            if isinstance(v, int) and not 1900 <= v <= year:
                yield Hit(f"建成年份{v}不在1900年至{year}年之间", f"year built {v} is not between 1900 and {year}",
                          cell=cell, row=row, value=v, expected=f"1900–{year}")
        elif col.kind == "int" and isinstance(v, (int, float)) and v < 1:
            yield Hit(f"{col.name}应为不小于1的整数，填写的是{v}", f"{col.name} must be a whole number ≥ 1, found {v}",
                      cell=cell, row=row, value=v, expected="≥ 1")
        elif col.kind == "money" and isinstance(v, (int, float)) and v < 0:
            yield Hit(f"{col.name}不能为负数，填写的是{v}", f"{col.name} cannot be negative, found {v}",
                      cell=cell, row=row, value=v, expected="≥ 0")
        elif col.kind in ("date", "criterion") and isinstance(v, dt.date) and not first <= v <= last:
            yield Hit(f"日期{v.isoformat()}不在{first.year}年至{last.year}年之间，疑为笔误",
                      f"date {v.isoformat()} is outside {first.year}–{last.year}: a typing error?",
                      cell=cell, row=row, value=v, expected=f"{first.isoformat()} – {last.isoformat()}")
