"""What a county plan is once read: the interface between the workbook reader and the rules.

The reader (generator.ledger.reader) turns an .xlsx / .yaml / .json / .csv county plan into a
``Plan``; the validator's rules only see ``Plan`` and never a workbook. Every value keeps the
cell it came from, so a finding can name sheet, row (as Excel shows it) and column (header text).

Values are parsed leniently (full-width digits, "85%", 2023年6月30日, Excel serials...); a value that
cannot be parsed keeps ``value=None`` and an ``error`` message, and the rules report it at that cell.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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


@dataclass
class Row:
    """One project (项目清单) or liaison point (联系点) row: canonical header -> Cell."""

    sheet: str
    row: int
    cells: dict[str, Cell] = field(default_factory=dict)
    # canonical header -> 1-based column index in the sheet (shared by the rows of a sheet); lets
    # ``get`` place a blank cell the reader did not store (blank cells are not stored, for speed)
    col_index: dict[str, int] | None = None

    def get(self, column: str) -> Cell:
        c = self.cells.get(column)
        if c is None:
            idx = self.col_index.get(column) if self.col_index else None
            c = Cell(None, None, self.sheet, self.row, column, idx)
        return c

    def value(self, column: str, default=None):
        c = self.cells.get(column)
        return default if c is None or c.value is None else c.value


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

    @property
    def county(self) -> str | None:
        c = self.info.get("县（市、区）")
        return c.value if c is not None and c.value else None
