"""V0xx: values that cannot be read, or are read but out of range."""
from __future__ import annotations

import datetime as dt

from generator.findings import Severity
from generator.ledger import contract as C
from generator.validate.facts import column_errors, column_names, column_values, contract_of, plausible_dates
from generator.validate.registry import COLUMN, Hit, rule


def _tables(plan):
    """(sheet, rows, column names) of 项目清单 and 联系点: the columns any of the rows holds."""
    for sheet, rows in ((C.SHEET_PROJECTS, plan.projects), (C.SHEET_LIAISON, plan.liaison)):
        if rows:
            yield sheet, rows, column_names(rows)


@rule("V001", Severity.ERROR, "单元格无法识别", "cell cannot be read", clause=COLUMN)
def unreadable(plan, lp):
    for cell in plan.info.values():
        if cell.error:
            yield Hit(cell.error, cell.error_en or cell.error, cell=cell, value=cell.raw)
    for _sheet, rows, names in _tables(plan):
        for name in names:
            for j in sorted(column_errors(rows, name)):
                row = rows[j]
                cell = row.cell(name)
                yield Hit(cell.error, cell.error_en or cell.error, cell=cell, row=row, value=cell.raw)


@rule("V002", Severity.ERROR, "数值超出合理范围", "value out of range", clause=COLUMN)
def out_of_range(plan, lp):
    contract = contract_of(lp)
    first, last = plausible_dates(lp.policy)
    info = {c.name: c for c in contract.info}
    for cell in plan.info.values():
        if (hit := _out_of_range(info.get(cell.column), cell.value, first, last)) is not None:
            yield _at(hit, cell, None)
    for sheet, rows, names in _tables(plan):
        columns = {c.name: c for c in contract.columns(sheet)}
        for name in names:
            col = columns.get(name)
            kind = col.kind if col is not None else None
            if kind not in ("int", "money", "date", "criterion"):
                continue                  # text, lists, yes/no, phones and shares are never out of this range
            values = column_values(rows, name)
            if _all_within(values, col, first, last):
                continue
            # a comprehension per kind picks the few candidates of 53,000 values; each is then judged in full
            if kind == "int":
                low, high = col.least, col.maximum
                candidates = [j for j, v in enumerate(values)
                              if v.__class__ is int and (v < low or (high is not None and v > high))]
            elif kind == "money":
                candidates = [j for j, v in enumerate(values) if (v.__class__ is int or v.__class__ is float) and v < 0]
            else:
                candidates = [j for j, v in enumerate(values) if v.__class__ is dt.date and not first <= v <= last]
            for j in candidates:
                row = rows[j]
                cell = row.cell(name)
                if (hit := _out_of_range(col, cell.value, first, last)) is not None:
                    yield _at(hit, cell, row)


def _all_within(values: list, col, first: dt.date, last: dt.date) -> bool:
    """Every value of a column in range, told by its least and greatest value (in C); False: look closer.
    Bools and floats are bounded with the rest here: if all of them lie within, so do the ones a rule checks."""
    kind = col.kind
    low, high = (col.least, col.maximum) if kind == "int" else (0, None) if kind == "money" else (first, last)
    try:
        return _within(values, low, high)         # the usual column: no blank
    except TypeError:                             # a blank (None), or values that do not compare
        pass
    present = [v for v in values if v is not None]
    try:
        return not present or _within(present, low, high)
    except TypeError:                             # text, dates with datetimes, 是/否 with dates
        return False


def _within(values: list, low, high) -> bool:
    return low <= min(values) and (high is None or max(values) <= high)


def _at(hit: tuple[str, str, object, str], cell, row) -> Hit:
    zh, en, v, expected = hit
    return Hit(zh, en, cell=cell, row=row, value=v, expected=expected)


def _out_of_range(col, v, first, last):
    """(message, message_en, value, expected) when ``v`` (of a cell of contract column ``col``) is out of
    range, else None. The type is tested first: most cells are text and cost one test."""
    cls = v.__class__
    if cls is str or v is None or col is None:
        return None
    column, kind = col.name, col.kind
    if cls is int:
        if kind == "int":
            low, high = col.least, col.maximum
            if high is not None and not low <= v <= high:
                return (f"{column}{v}不在{low}年至{high}年之间" if column == C.BUILT_YEAR else
                        f"{column}{v}不在{low}至{high}之间",
                        f"{column} {v} is not between {low} and {high}", v, f"{low}–{high}")
            if v < low:
                return _too_small(column, v, low)
        elif kind == "money" and v < 0:
            return _negative(column, v)
    elif cls is float:
        if v < 0 and kind == "money":
            return _negative(column, v)
    elif cls is dt.date:
        if not first <= v <= last and kind in ("date", "criterion"):
            return (f"日期{v.isoformat()}不在{first.year}年至{last.year}年之间，疑为笔误",
                    f"date {v.isoformat()} is outside {first.year}–{last.year}: a typing error?",
                    v, f"{first.isoformat()} – {last.isoformat()}")
    return None


def _too_small(column, v, low: int):
    return (f"{column}应为不小于{low}的整数，填写的是{v}", f"{column} must be a whole number ≥ {low}, found {v}", v,
            f"≥ {low}")


def _negative(column, v):
    return f"{column}不能为负数，填写的是{v}", f"{column} cannot be negative, found {v}", v, "≥ 0"
