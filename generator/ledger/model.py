"""What a county plan is once read: the interface between the workbook reader and the rules.

The reader (generator.ledger.reader) turns an .xlsx / .yaml / .json / .csv county plan into a
``Plan``; the validator's rules only see ``Plan`` and never a workbook. Every value keeps the
cell it came from, so a finding can name sheet, row (as Excel shows it) and column (header text).

Values are parsed leniently (full-width digits, "85%", 2023年6月30日, Excel serials...); a value that
cannot be parsed keeps ``value=None`` and an ``error`` message, and the rules report it at that cell.
"""
from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

from generator.ledger.contract import COUNTY        # the header, named once in the contract


@dataclass(slots=True)              # slots: a 53,000-row plan holds ~1.8 million cells
class Cell:
    raw: Any                           # as stored in the file
    value: Any = None                  # parsed (int, float, date, bool, str, list[str]) or None
    sheet: str | None = None
    row: int | None = None             # Excel row number (1-based, as a person sees it); line for YAML
    column: str | None = None          # canonical header text (as in the contract)
    col_index: int | None = None       # 1-based column index in the sheet (for write-back)
    error: str | None = None           # why ``raw`` could not be read (Chinese)
    error_en: str | None = None
    line: int | None = None            # line in a YAML/JSON plan file (None for workbooks and CSV)

    @property
    def blank(self) -> bool:
        return self.raw is None or (isinstance(self.raw, str) and not self.raw.strip())


_STORED_NOT = ("", None)


class Table:
    """The cells of one sheet, column by column: the reader fills a column in one loop and the rules read
    a column in one loop. A ``Cell`` is built only when one is asked for (``Row.cell``/``Row.get``: a
    finding's place, a form), so a 53,000-row plan is 30 lists, not a million objects.

    ``raw[k][i]`` / ``val[k][i]`` are the raw and parsed value of column ``k`` in row ``i`` of the table;
    ``err[k]`` maps a row to (Chinese, English) why its raw value could not be read, ``line[k]`` a row to
    its line in a YAML/JSON plan. A blank cell is "" or None with no value and no error."""

    __slots__ = ("sheet", "pos", "raw", "val", "err", "line", "col_index", "size")

    def __init__(self, sheet: str, size: int = 0, col_index: dict[str, int] | None = None):
        self.sheet = sheet
        self.size = size                           # rows
        self.pos: dict[str, int] = {}              # canonical header -> k
        self.raw: list[list] = []
        self.val: list[list] = []
        self.err: list[dict[int, tuple[str, str | None]]] = []
        self.line: list[dict[int, int]] = []
        self.col_index: dict[str, int] = dict(col_index or {})   # canonical header -> 1-based sheet column

    def add(self, name: str, raw: list, val: list, err: dict | None = None, line: dict | None = None) -> int:
        """Add (or replace) a whole column; returns its k."""
        k = self.pos.get(name)
        if k is None:
            k = self.pos[name] = len(self.raw)
            self.raw.append(raw)
            self.val.append(val)
            self.err.append(err or {})
            self.line.append(line or {})
        else:
            self.raw[k], self.val[k], self.err[k], self.line[k] = raw, val, err or {}, line or {}
        return k

    def column(self, name: str) -> int:
        """k of ``name``, adding an empty column when the table has none (a cell set on a row)."""
        k = self.pos.get(name)
        return k if k is not None else self.add(name, [None] * self.size, [None] * self.size)

    def stored(self, k: int, i: int) -> bool:
        # a blank cell of a YAML record keeps its line, for a finding to point at
        return (self.raw[k][i] not in _STORED_NOT or self.val[k][i] is not None or i in self.err[k]
                or i in self.line[k])

    def cell(self, name: str, i: int, row: int | None) -> Cell | None:
        k = self.pos.get(name)
        if k is None or not self.stored(k, i):
            return None
        e = self.err[k].get(i)
        raw = self.raw[k][i]
        return Cell(None if raw == "" else raw, self.val[k][i], self.sheet, row, name, self.col_index.get(name),
                    e[0] if e else None, e[1] if e else None, self.line[k].get(i))


class Row:
    """One project (项目清单) or liaison point (联系点) row: a view of row ``i`` of its sheet's ``Table``.

    ``cells`` reads and writes like the dict of canonical header -> Cell it once was (only stored cells
    are in it); ``cell``, ``get`` and ``value`` are the quick ways to read one cell. A Cell read from a row
    is a copy: to change a cell, assign one (``row.cells[name] = Cell(...)``)."""

    __slots__ = ("sheet", "row", "table", "i")

    def __init__(self, sheet: str, row: int, cells: dict[str, Cell] | None = None,
                 col_index: dict[str, int] | None = None):
        self.sheet, self.row, self.table, self.i = sheet, row, Table(sheet, 1, col_index), 0
        for name, cell in (cells or {}).items():
            self.cells[name] = cell

    @classmethod
    def of(cls, table: Table, i: int, row: int) -> Row:
        """Row ``i`` of ``table``, shown as Excel row ``row``."""
        r = cls.__new__(cls)
        r.sheet, r.row, r.table, r.i = table.sheet, row, table, i
        return r

    @classmethod
    def many(cls, table: Table, rows) -> list[Row]:
        """Rows 0, 1, … of ``table``, shown as Excel rows ``rows``: 53,000 at once, without a call each."""
        new, sheet = object.__new__, table.sheet
        out: list[Row] = []
        append = out.append
        for i, row in enumerate(rows):
            r = new(cls)
            r.sheet, r.row, r.table, r.i = sheet, row, table, i
            append(r)
        return out

    def __repr__(self) -> str:
        return f"Row({self.sheet!r}, {self.row}, {dict(self.cells)!r})"

    def __eq__(self, other) -> bool:
        return (isinstance(other, Row) and (self.sheet, self.row) == (other.sheet, other.row)
                and dict(self.cells) == dict(other.cells))

    # unhashable (mutable, compared by content): Python sets __hash__ to None for a class that defines __eq__

    @property
    def col_index(self) -> dict[str, int]:
        return self.table.col_index

    @property
    def cells(self) -> CellsView:
        return CellsView(self)

    def cell(self, column: str) -> Cell | None:
        """The stored cell of ``column`` (None when blank): ``row.cell(column)``, quicker."""
        return self.table.cell(column, self.i, self.row)

    def get(self, column: str) -> Cell:
        """The cell of ``column``, a blank one (placed at its column) when nothing is stored."""
        c = self.table.cell(column, self.i, self.row)
        return c if c is not None else Cell(None, None, self.sheet, self.row, column, self.table.col_index.get(column))

    def value(self, column: str, default=None):
        k = self.table.pos.get(column)
        v = None if k is None else self.table.val[k][self.i]
        return default if v is None else v


class CellsView(MutableMapping):
    """``row.cells``: the stored cells of a row as a mapping, writing through to its table."""

    __slots__ = ("_row",)

    def __init__(self, row: Row):
        self._row = row

    def __getitem__(self, name: str) -> Cell:
        c = self._row.cell(name)
        if c is None:
            raise KeyError(name)
        return c

    def get(self, name: str, default=None):
        c = self._row.cell(name)
        return default if c is None else c

    def __contains__(self, name) -> bool:
        t, i = self._row.table, self._row.i
        k = t.pos.get(name)
        return k is not None and t.stored(k, i)

    def __setitem__(self, name: str, cell: Cell) -> None:
        t, i = self._row.table, self._row.i
        k = t.column(name)
        t.raw[k][i], t.val[k][i] = cell.raw, cell.value
        if cell.error:
            t.err[k][i] = (cell.error, cell.error_en)
        else:
            t.err[k].pop(i, None)
        if cell.line is not None:
            t.line[k][i] = cell.line
        else:
            t.line[k].pop(i, None)
        if cell.col_index is not None and name not in t.col_index:
            t.col_index[name] = cell.col_index

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        t, i = self._row.table, self._row.i
        k = t.pos[name]
        t.raw[k][i] = t.val[k][i] = None
        t.err[k].pop(i, None), t.line[k].pop(i, None)

    def __iter__(self):
        t, i = self._row.table, self._row.i
        return iter([name for name, k in t.pos.items() if t.stored(k, i)])

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass
class Plan:
    """A county's annual implementation plan as read from one file."""

    file: str                                     # as given by the user
    info: dict[str, Cell] = field(default_factory=dict)      # 基本信息: key -> Cell
    projects: list[Row] = field(default_factory=list)        # 项目清单
    liaison: list[Row] = field(default_factory=list)         # 联系点
    headers: dict[str, dict[str, int]] = field(default_factory=dict)   # sheet -> canonical header -> col index
    header_rows: dict[str, int] = field(default_factory=dict)          # sheet -> Excel row of the header
    sheet_names: dict[str, str] = field(default_factory=dict)          # canonical sheet -> actual name in file
    read_findings: list = field(default_factory=list)        # Finding records produced while reading
    format: str = "xlsx"                                     # xlsx | yaml | json | csv
    # a 信息月报 joined to its plan (ledger/monthly.merge): 项目编号 of the plan projects it did not list, kept with
    # the county's standing progress carried forward (本月未报)
    carried: list[str] = field(default_factory=list)
    # Excel row of a carried project -> the errors that kept its start/completion date from counting in the
    # standing state it was carried from (recognition.rejected_dates' form): still not counted
    carried_rejected: dict[int, dict[str, list[str]]] = field(default_factory=dict)

    @property
    def county(self) -> str | None:
        c = self.info.get(COUNTY)
        return c.value if c is not None and c.value else None
