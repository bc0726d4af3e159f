"""The plan model: rows are views of a column-wise Table; ``row.cells`` reads and writes like a dict."""
from __future__ import annotations

import copy

import pytest

from generator.ledger.model import Cell, Row, Table


def _table() -> list[Row]:
    t = Table("项目清单", 3, {"户数": 4, "小区名称": 2})
    t.add("小区名称", ["甲小区", "  ", ""], ["甲小区", None, None])
    t.add("户数", [120.0, "#REF!", ""], [120, None, None], {1: ("坏值", "bad")})
    return [Row.of(t, i, 5 + i) for i in range(3)]


def test_a_row_reads_its_cells_from_the_table():
    a, b, c = _table()
    assert a.value("户数") == 120 and a.cell("户数").raw == 120.0 and a.cell("户数").col_index == 4
    assert (a.cell("户数").sheet, a.cell("户数").row) == ("项目清单", 5)
    assert b.cell("户数").error == "坏值" and b.value("户数") is None
    assert b.cell("小区名称").blank and "小区名称" in b.cells          # whitespace is stored, as typed
    assert c.cell("户数") is None and "户数" not in c.cells and dict(c.cells) == {}
    blank = c.get("户数")
    assert blank.value is None and blank.col_index == 4 and blank.row == 7
    assert c.value("没有的列", "缺省") == "缺省"
    assert list(b.cells) == ["小区名称", "户数"] and len(b.cells) == 2


def test_writing_a_cell_writes_the_table_and_only_that_row():
    a, b, c = _table()
    c.cells["户数"] = Cell(88, 88, None, None, "户数")
    assert c.value("户数") == 88 and a.value("户数") == 120
    c.cells["备注"] = Cell("新列", "新列")                             # a column the table did not have
    assert c.value("备注") == "新列" and a.cell("备注") is None
    del b.cells["户数"]
    assert b.cell("户数") is None and b.value("户数") is None
    with pytest.raises(KeyError):
        del b.cells["户数"]
    assert b.cells.pop("小区名称").raw == "  " and "小区名称" not in b.cells


def test_a_copied_row_is_independent():
    a, _, _ = _table()
    twin = copy.deepcopy(a)
    assert twin == a and twin is not a                          # equal by value before the change
    twin.cells["户数"] = Cell(1, 1)
    assert a.value("户数") == 120 and twin.value("户数") == 1 and twin != a


def test_a_row_built_alone_keeps_what_it_is_given():
    r = Row("联系点", 3, {"项目编号": Cell("P1", "P1", "联系点", 3, "项目编号", 1, None, None, 12)})
    c = r.cell("项目编号")
    assert (c.value, c.col_index, c.line, r.col_index) == ("P1", 1, 12, {"项目编号": 1})
    assert r == Row("联系点", 3, {"项目编号": Cell("P1", "P1", "联系点", 3, "项目编号", 1, None, None, 12)})


def test_a_column_of_rows_in_another_order_follows_the_rows():
    """The rules read a column for a list of rows: rows reordered (first and last in place) get their own values."""
    from generator.validate.facts import column_values
    t = Table("项目清单", 4)
    t.add("户数", [10, 20, 30, 40], [10, 20, 30, 40])
    rows = [Row.of(t, i, 5 + i) for i in range(4)]
    assert column_values(rows, "户数") == [10, 20, 30, 40]
    assert column_values([rows[0], rows[2], rows[1], rows[3]], "户数") == [10, 30, 20, 40]
    assert column_values(rows[1:3], "户数") == [20, 30]


def test_many_rows_at_once_are_the_views_one_would_make():
    t = _table()[0].table
    rows = Row.many(t, [5, 9, 11])
    assert [(r.sheet, r.row, r.i) for r in rows] == [("项目清单", 5, 0), ("项目清单", 9, 1), ("项目清单", 11, 2)]
    assert all(r.table is t for r in rows) and rows == [Row.of(t, i, n) for i, n in enumerate([5, 9, 11])]
    assert rows[0].value("户数") == 120 and rows[1].cell("户数").error == "坏值"
