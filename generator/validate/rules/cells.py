"""V0xx: values that cannot be read, or are read but out of range."""
from __future__ import annotations

import datetime as dt

from generator.findings import Severity
from generator.ledger import contract as C
from generator.validate.facts import contract_of, plausible_dates
from generator.validate.registry import COLUMN, Hit, rule


def _rows(plan):
    """(sheet, row, its cells) for every row; 基本信息 is one row without a Row (53,000 rows: one yield each)."""
    yield C.SHEET_INFO, None, list(plan.info.values())
    for sheet, rows in ((C.SHEET_PROJECTS, plan.projects), (C.SHEET_LIAISON, plan.liaison)):
        for row in rows:
            yield sheet, row, row.cells.values()


@rule("V001", Severity.ERROR, "单元格无法识别", "cell cannot be read", clause=COLUMN)
def unreadable(plan, lp):
    for _sheet, row, cells in _rows(plan):
        for cell in cells:
            if cell.error:
                yield Hit(cell.error, cell.error_en or cell.error, cell=cell, row=row, value=cell.raw)


@rule("V002", Severity.ERROR, "数值超出合理范围", "value out of range", clause=COLUMN)
def out_of_range(plan, lp):
    contract = contract_of(lp)
    first, last = plausible_dates(lp.policy)
    year = lp.policy.year
    kinds = {sheet: {c.name: c.kind for c in contract.columns(sheet)} for sheet in C.SHEETS}
    # one pass over every cell, testing the value's type first: most cells are text and cost one test
    for sheet, row, cells in _rows(plan):
        for cell in cells:
            v = cell.value
            cls = v.__class__
            if cls is str or v is None:
                continue
            if cls is int:
                if v < 1 or v > year:
                    kind = kinds[sheet].get(cell.column)
                    if cell.column == C.BUILT_YEAR and not 1900 <= v <= year:
                        yield Hit(f"建成年份{v}不在1900年至{year}年之间", f"year built {v} is not between 1900 and {year}",
                                  cell=cell, row=row, value=v, expected=f"1900–{year}")
                    elif kind == "int" and v < 1 and cell.column != C.BUILT_YEAR:
                        yield _too_small(cell, row, v)
                    elif kind == "money" and v < 0:
                        yield _negative(cell, row, v)
            elif cls is float:
                if v < 0 and kinds[sheet].get(cell.column) == "money":
                    yield _negative(cell, row, v)
            elif cls is dt.date:
                if not first <= v <= last and kinds[sheet].get(cell.column) in ("date", "criterion"):
                    yield Hit(f"日期{v.isoformat()}不在{first.year}年至{last.year}年之间，疑为笔误",
                              f"date {v.isoformat()} is outside {first.year}–{last.year}: a typing error?",
                              cell=cell, row=row, value=v, expected=f"{first.isoformat()} – {last.isoformat()}")


def _too_small(cell, row, v) -> Hit:
    return Hit(f"{cell.column}应为不小于1的整数，填写的是{v}", f"{cell.column} must be a whole number ≥ 1, found {v}",
               cell=cell, row=row, value=v, expected="≥ 1")


def _negative(cell, row, v) -> Hit:
    return Hit(f"{cell.column}不能为负数，填写的是{v}", f"{cell.column} cannot be negative, found {v}",
               cell=cell, row=row, value=v, expected="≥ 0")
