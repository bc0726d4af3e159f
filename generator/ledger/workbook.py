"""An Excel workbook being read: checked against the reading limits (xlsxscan), then loaded sheet by sheet
by python-calamine, in a background thread when the reading starts early (``start_reading``).

Why a thread: python-calamine releases the GIL while it parses a sheet, about 2 s for a 53,000-row
项目清单, during which the process would otherwise only wait. ``gaizao validate`` therefore starts the
reading before it imports the rules and loads the policy, which then cost nothing. Only calamine runs
in the thread; what calamine could not hold never reaches it, because each sheet is checked against the
limits first, in the calling thread. Nothing here knows the policy: the contract's own column range is
checked by the reader once the rows are loaded (``check_width``).
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from generator.errors import GaizaoError, InputError
from generator.ledger import xlsxscan
from generator.ledger.contract import SHEETS, normalize_header
from generator.ledger.values import Unreadable

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


def is_excel(p: Path) -> bool:
    """An Excel (or ODF) workbook by its name, or by its first bytes when the name says nothing known."""
    if p.suffix.lower() in EXCEL_SUFFIXES:
        return True
    if p.suffix.lower() in (".yaml", ".yml", ".json", ".csv", ".txt"):
        return False
    with open(p, "rb") as fh:
        head = fh.read(4)
    return head.startswith(b"PK") or head.startswith(b"\xd0\xcf\x11\xe0")


class ExcelWorkbook:
    """One workbook open for reading: its zip (for the limits), calamine's workbook and the sheets' visibility.

    ``rows(name, max_cols)`` gives a sheet's rows; ``start(names)`` has calamine load sheets in the
    background first. Always ``close()`` it (it waits for the background loading to end)."""

    def __init__(self, path: Path, shown: str):
        self.path, self.shown = path, shown
        self._zf = xlsxscan.open_zip(path, shown)     # refuses a zip bomb before calamine inflates anything
        self._wb = None
        self._checked: set[str] = set()
        self._too_wide: dict[str, str] = {}          # sheet -> its first cell beyond xlsxscan.MAX_COLUMNS
        self._special: dict[str, dict] = {}          # sheet -> error cells and value-less formulas
        self._loaded: dict[str, list | BaseException] = {}
        self._thread: threading.Thread | None = None
        try:
            self._parts = xlsxscan.sheet_parts(self._zf) if self._zf is not None else {}
            if not self._parts:
                # not OOXML (.xls/.xlsb/.ods): nothing to stream, and calamine reads an .ods whole on opening
                xlsxscan.probe_sheets(path, shown)
            self._wb = _open_calamine(path, shown)
            self.sheets = _sheet_visibility(self._wb)   # (name, visible) of every worksheet, in order
        except BaseException:
            self.close()
            raise

    def start(self, names: list[str]) -> None:
        """Check the sheets ``names`` against the limits now, then let calamine load them in a thread."""
        self._wait()
        for name in names:
            part = self._parts.get(name)
            seen: dict = {}
            far = (xlsxscan.check_sheet(self._zf, part, name, self.shown, seen) if self._zf is not None and part
                   else None)
            if far is not None:
                self._too_wide[name] = far
            elif seen.get("plain"):
                self._special[name] = {}          # no formula, no error cell: nothing for special_cells to find
        self._checked.update(names)
        load = [n for n in names if n not in self._too_wide]
        self._thread = threading.Thread(target=self._load_all, args=(load,), name="gaizao-calamine", daemon=True)
        self._thread.start()

    def rows(self, name: str, max_cols: int) -> list[list]:
        """Rows of sheet ``name`` (``rows[i]`` is Excel row i + 1), with error cells and formulas without a
        value marked (values.Unreadable); refused when a value lies beyond column ``max_cols``."""
        if name not in self._checked:
            self.start([name])
        if name in self._too_wide:
            raise xlsxscan.beyond_columns(name, self._too_wide[name], min(max_cols, xlsxscan.MAX_COLUMNS), self.shown)
        # while calamine parses (in its thread, without the GIL), look for what it reads as blank
        for started in self._checked:
            if started not in self._special and started not in self._too_wide:
                part = self._parts.get(started)
                self._special[started] = (xlsxscan.special_cells(self._zf, part, started, self.shown)
                                          if self._zf is not None and part else {})
        self._wait()
        if name not in self._loaded:              # asked for a second time: calamine loads it again
            self._load_all([name])
        got = self._loaded.pop(name)
        rows: list[list[Any]] | None
        if isinstance(got, BaseException):      # a panic of calamine's: the slow, tolerant way
            if isinstance(got, MemoryError):
                raise got
            rows = _rows_by_openpyxl(self.path, name)
            if rows is None:
                raise InputError(f"工作表“{name}”无法读取", f"sheet '{name}' cannot be read", location=self.shown)
        else:
            rows = got
        if self._special[name]:
            _mark_special(rows, self._special[name])
        check_width(rows, max_cols, name, self.shown)
        return rows

    def close(self) -> None:
        self._wait()
        if self._wb is not None:
            self._wb.close()
            self._wb = None
        if self._zf is not None:
            self._zf.close()
            self._zf = None

    def _load_all(self, names: list[str]) -> None:
        for name in names:
            self._loaded[name] = _calamine_rows(self._wb, name)

    def _wait(self) -> None:
        # calamine's workbook is used by one thread at a time: the loader's, then the caller's
        if self._thread is not None:
            self._thread.join()
            self._thread = None


def start_reading(path) -> ExcelWorkbook | None:
    """Begin loading the sheets of an Excel plan before the policy is known (``gaizao validate``); hand the
    result to ``read_plan(path, policy, opened=...)``. None when ``path`` is no readable workbook: read_plan
    then reports why, exactly as without this."""
    p = Path(path)
    try:
        if not p.is_file() or not is_excel(p):
            return None
        book = ExcelWorkbook(p, str(path))
    except (GaizaoError, OSError):
        return None
    try:
        # the sheets of the contract, by name as the reader matches them: one visible sheet each
        wanted = []
        for canonical in SHEETS:
            key = normalize_header(canonical)
            named = [n for n, visible in book.sheets if visible and normalize_header(n) == key]
            if len(named) == 1:
                wanted.append(named[0])
        book.start(wanted)
    except GaizaoError:
        book.close()
        return None
    return book


def check_width(rows: list[list], max_cols: int, sheet: str, shown: str) -> None:
    """Refuse a value beyond column ``max_cols`` (the contract's width plus ``xlsxscan.COLUMN_MARGIN``),
    naming the first such cell in reading order."""
    if max(map(len, rows), default=0) <= max_cols:
        return
    for i, row in enumerate(rows):
        for j in range(max_cols, len(row)):
            if row[j] != "" and row[j] is not None:
                raise xlsxscan.beyond_columns(sheet, f"{xlsxscan.col_letters(j + 1)}{i + 1}", max_cols, shown)


def _open_calamine(path: Path, shown: str):
    import python_calamine as pc
    try:
        return pc.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several types for zip/xml/password problems
        if "Password" in type(exc).__name__:
            raise InputError("工作簿有密码保护，无法读取", "the workbook is password-protected", location=shown) from None
        raise InputError("不是有效的 Excel 工作簿（.xlsx），无法打开", "not a valid Excel workbook (.xlsx)",
                         location=shown) from None


def _calamine_rows(wb, name: str) -> list[list] | BaseException:
    """The rows calamine reads, or what it raised (handed on to the calling thread by ``rows``)."""
    try:
        return wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except BaseException as exc:      # calamine *panics* (a BaseException) on e.g. -1e20 in a date cell
        return exc


def _sheet_visibility(wb) -> list[tuple[str, bool]]:
    """(name, visible) of every worksheet, in order."""
    import python_calamine as pc
    try:
        return [(m.name, m.visible == pc.SheetVisibleEnum.Visible and m.typ == pc.SheetTypeEnum.WorkSheet)
                for m in wb.sheets_metadata]
    except Exception:
        return [(n, True) for n in wb.sheet_names]


def _mark_special(rows: list[list], special: dict) -> None:
    """Put back what calamine reads as blank: an error cell (#REF!) or a formula nobody calculated."""
    for (r, c), (kind, text) in special.items():
        if r >= len(rows):
            rows.extend([] for _ in range(r + 1 - len(rows)))
        row = rows[r]
        if c >= len(row):
            row.extend([""] * (c + 1 - len(row)))
        if row[c] == "" or row[c] is None:
            row[c] = Unreadable.error_cell(text) if kind == "error" else Unreadable.formula(text)


def _rows_by_openpyxl(p: Path, sheet: str) -> list[list] | None:
    """The slow, tolerant way, for a sheet python-calamine cannot convert (an impossible date serial
    becomes the text '#VALUE!', which the parsers report at its cell)."""
    import warnings
    from openpyxl import load_workbook
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(p, read_only=True, data_only=True)
            try:
                return [list(r) for r in wb[sheet].iter_rows(values_only=True)]
            finally:
                wb.close()
    except Exception:
        return None
