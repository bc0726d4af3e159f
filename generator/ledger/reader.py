"""Read a county plan (.xlsx, .yaml/.json or .csv) into a ``Plan`` (generator.ledger.model).

Sheets and headers are found by name, not position: the header row is the row among the first
``HEADER_SCAN_ROWS`` that names the most contract columns, so title rows and merged title cells
above it are fine. Blank rows, 合计/小计/总计 rows and a trailing note row (注：…) are not projects;
extra columns are ignored. Every value keeps its cell: sheet, the row number Excel shows, canonical
column and 1-based column index. The file is only read, never written.

.xlsx is read with python-calamine (about 8x faster than openpyxl read_only, see bench/) after the checks
of ledger/workbook.py; values are parsed a column at a time by ``generator.ledger.values``.

Text is made safe here, once, for every output after it (``generator.safetext.inbound``): control characters
(a workbook's ``_x0001_`` arrives decoded as U+0001), bidi overrides and zero-width characters are dropped
(line-break controls become newlines) and each such cell gets a warning L004 naming it.
"""
from __future__ import annotations

import csv
import gc
import io
import operator
import zipfile
from itertools import compress, repeat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator.errors import InputError
from generator.findings import Finding, Severity
from generator.ledger import values as V
from generator.ledger.contract import (COUNTY, INFO_KEY_HEADER, INFO_VALUE_HEADER, PROJECT_ID, COMMUNITY, SHEET_INFO,
                                       SHEETS, Column, Contract, build_contract,
                                       normalize_header, resolve_county)
from generator.ledger.model import Cell, Plan, Row, Table
from generator.ledger.workbook import ExcelWorkbook, is_excel
from generator.ledger.xlsxscan import COLUMN_MARGIN, MAX_ROWS
from generator.policy.yamlsrc import parse_json, parse_yaml, read_text
from generator.safetext import has_hostile, inbound, inbound_text

HEADER_SCAN_ROWS = 20
_TOTAL_WORDS = ("合计", "小计", "总计", "共计")
_NOTE_WORDS = ("注", "说明", "备注", "填表", "制表", "审核")


def read_plan(path, policy, opened=None) -> Plan:
    """Read ``path`` against the contract of ``policy`` (Policy or LoadedPolicy).

    Raises InputError (one clear message, Chinese + English, naming file/sheet/header) when the
    file cannot be used at all; a single unreadable value is kept as a Cell with ``error``.
    ``opened``: what ``workbook.start_reading(path)`` returned, when the reading began before the
    policy was loaded.
    """
    plan = _read_plan(path, policy, opened)
    _say_unsafe(plan)
    return plan


def _say_unsafe(plan: Plan) -> None:
    """A command that shows no findings (render, report, register documents) still says that cells were made
    safe (L004), once per file, in a note when it ends (fileio.note)."""
    unsafe = [f for f in plan.read_findings if f.code == "L004"]
    if not unsafe:
        return
    from generator.fileio import note
    f = unsafe[0]
    at = f"{f.sheet} 第{f.row}行 {f.column}" if f.row else f"{f.sheet} {f.column}"
    at_en = f"{f.sheet} row {f.row} {f.column}" if f.row else f"{f.sheet} {f.column}"
    note(f"{plan.file}：{len(unsafe)} 个单元格含控制字符或不可见字符，读取时已去除（首个在{at}；见 L004）",
         f"{plan.file}: {len(unsafe)} cell(s) held control or invisible characters, removed on reading "
         f"(first at {at_en}; see L004)")


def read_monthly(path, policy) -> Plan:
    """Read a 信息月报 (ledger/monthly.py: 基本信息 with 报告月份, 项目进度) with the same tolerance as a plan: title
    rows, merged cells, full-width digits, Excel serial dates, a GBK CSV of the 项目进度 table. The result is a
    ``Plan`` whose ``projects`` are the 项目进度 rows (the 月报's own columns; ``monthly.merge`` joins it to the plan)."""
    from generator.ledger.monthly import build_monthly_contract
    plan = _read_plan(path, policy, None, build_monthly_contract(policy))
    _say_unsafe(plan)
    return plan


def is_monthly_file(path) -> bool:
    """Whether ``path`` is a 信息月报 (a 项目进度 sheet and no 项目清单; a CSV whose header is the 月报's) rather than a
    plan workbook. Anything unreadable is not: reading it as a plan then says why."""
    from generator.ledger import monthly as M
    p = Path(path)
    try:
        kind = _format_of(p)
        if kind == "xlsx" and zipfile.is_zipfile(p):       # OOXML: the sheet names from workbook.xml, nothing more
            from generator.ledger.xlsxscan import sheet_parts
            with zipfile.ZipFile(p) as zf:
                info = zf.getinfo("xl/workbook.xml") if "xl/workbook.xml" in zf.namelist() else None
                if info is not None and info.file_size < (8 << 20):
                    return M.is_monthly_sheets(sheet_parts(zf))
        if kind == "xlsx":
            book = ExcelWorkbook(p, str(path))
            try:
                return M.is_monthly_sheets([n for n, visible in book.sheets if visible])
            finally:
                book.close()
        if kind == "csv":
            text = read_text(p, str(path))
            rows = list(csv.reader(io.StringIO(text[:8192])))
            return M.is_monthly_header(rows)
        if kind in ("yaml", "json"):
            text = read_text(p, str(path))
            data = parse_json(text, str(path)) if kind == "json" else parse_yaml(text, str(path), InputError).data
            return isinstance(data, dict) and M.is_monthly_sheets([k for k in data if isinstance(k, str)])
    except Exception:  # noqa: BLE001 -- a file that cannot be read is judged by read_plan, which says why
        return False
    return False


def _read_plan(path, policy, opened=None, contract: Contract | None = None) -> Plan:
    p = Path(path)
    if not p.is_file():
        if opened is not None:
            opened.close()
        raise InputError("找不到文件或不是文件", "file not found or not a file", location=str(path))
    contract = contract or build_contract(policy)
    if opened is not None and opened.path == p:
        return _read_excel(opened, contract)
    if opened is not None:
        opened.close()
    kind = _format_of(p)
    if kind == "xlsx":
        return _read_excel(ExcelWorkbook(p, str(path)), contract)
    if kind in ("yaml", "json"):
        return _read_structured(p, str(path), contract, kind)
    if kind == "csv":
        return _read_csv(p, str(path), contract)
    raise InputError("不支持的文件格式：应为 .xlsx 工作簿，或 .yaml / .json / .csv 文件",
                     "unsupported file type: expected an .xlsx workbook or a .yaml/.json/.csv file", location=str(path))


def _format_of(p: Path) -> str | None:
    if is_excel(p):
        return "xlsx"
    suffix = p.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    if suffix in (".csv", ".txt"):
        return "csv"
    return None


def _header_key(text: str) -> str:
    """A sheet name, header or key as typed, compared as the contract's: an invisible character (a zero-width
    space pasted with it) does not hide a header that is plainly there."""
    return normalize_header(inbound_text(text))


# -- sheets as rows of raw values -------------------------------------------------------------------
class _SheetGrid:
    """Raw rows of one sheet; ``rows[i]`` is Excel row i + 1."""

    def __init__(self, name: str, rows: list[list]):
        self.name = name
        self.rows = rows


def _read_excel(book: ExcelWorkbook, contract: Contract) -> Plan:
    """The sheets of the contract from an open workbook (closed when done)."""
    shown = book.shown
    gc_was_on = gc.isenabled()
    gc.disable()          # millions of small acyclic objects: cyclic GC passes only cost time here
    try:
        plan = Plan(file=shown, format="xlsx")
        actual = _match_sheets(book.sheets, shown, plan, contract.sheets)
        plan.sheet_names = actual
        # a county may add columns of its own beyond the contract's, but not fill a sheet to its edge
        width = max(len(contract.projects), len(contract.liaison), 2) + COLUMN_MARGIN
        for canonical in contract.sheets:
            name = actual[canonical]
            grid = _SheetGrid(name, book.rows(name, width))
            if canonical == SHEET_INFO:
                _fill_info(plan, grid, contract, shown)
            else:
                _fill_table(plan, canonical, grid, contract, shown)
    finally:
        book.close()
        if gc_was_on:
            gc.enable()
    _resolve_counties(plan, contract)
    return plan


def _match_sheets(sheets: list[tuple[str, bool]], shown: str, plan: Plan | None = None,
                  wanted: tuple[str, ...] = SHEETS) -> dict[str, str]:
    """Canonical sheet -> the visible sheet of that name (whitespace and full-width forms ignored).

    A hidden or very hidden sheet is never read: a stale copy hidden behind the real one must not give
    the verdict. Skipping one is a warning (L002); two visible sheets of one name are refused."""
    names = [n for n, _ in sheets]
    actual, missing = {}, []
    for canonical in wanted:
        key = normalize_header(canonical)
        visible = [n for n, vis in sheets if vis and _header_key(n) == key]
        hidden = [n for n, vis in sheets if not vis and _header_key(n) == key]
        if len(visible) > 1:
            both = "”“".join(visible)
            raise InputError(f"有多个名为“{canonical}”的工作表（“{both}”），无法确定读取哪一个",
                             f"several sheets are named {canonical} ({', '.join(map(repr, visible))}); "
                             "cannot tell which to read", location=shown)
        if not visible:
            missing.append((canonical, hidden))
            continue
        actual[canonical] = visible[0]
        for h in hidden:
            if plan is not None:
                plan.read_findings.append(Finding(
                    "L002", Severity.WARNING, f"隐藏工作表“{h}”未读取，读取的是可见工作表“{visible[0]}”",
                    f"hidden sheet {h!r} was skipped; the visible sheet {visible[0]!r} was read",
                    file=shown, sheet=h, value=h))
    if missing:
        have = "、".join(names) or "无"
        m = "、".join(c for c, _ in missing)
        hid = [h for _, hs in missing for h in hs]
        note = f"；工作表“{'”“'.join(hid)}”是隐藏的，不读取，请取消隐藏" if hid else ""
        note_en = f"; sheet(s) {', '.join(map(repr, hid))} are hidden and not read: unhide them" if hid else ""
        raise InputError(f"缺少工作表“{m}”（现有工作表：{have}）{note}",
                         f"missing sheet(s) {', '.join(c for c, _ in missing)} (sheets present: {', '.join(names)})"
                         f"{note_en}", location=shown)
    return actual


# -- header row -------------------------------------------------------------------------------------
def _header_matches(row: list, lookup: dict) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """(canonical name -> 0-based column, repeated headers) of one row."""
    found: dict[str, int] = {}
    dups: list[tuple[str, int]] = []
    for j, v in enumerate(row):
        if not isinstance(v, str) or not v:
            continue
        c = lookup.get(_header_key(v))
        if c is None:
            continue
        if c.name in found:
            dups.append((c.name, j))
        else:
            found[c.name] = j
    return found, dups


def _find_header(grid: _SheetGrid, columns: list[Column], sheet: str, shown: str, plan: Plan) -> tuple[int, dict]:
    """(0-based index of the (last) header row, canonical name -> 0-based column index).

    The header is the row naming the most required columns, or a two-row header (资金来源 merged over
    the channel columns, 项目编号 merged down over both rows) when the two rows together name more.
    """
    lookup = {normalize_header(c.name): c for c in columns}
    required = [c.name for c in columns if c.required]
    rows = [_header_matches(r, lookup) for r in grid.rows[:HEADER_SCAN_ROWS]]

    def score(found):
        return sum(1 for r in required if r in found)

    best_i, best, best_score, best_dups = -1, {}, 0, []
    for i, (found, dups) in enumerate(rows):
        if score(found) > best_score:
            best_i, best, best_score, best_dups = i, found, score(found), dups
    for i in range(len(rows) - 1):               # two-row headers
        (top, d1), (low, d2) = rows[i], rows[i + 1]
        if not top or not low:
            continue
        both = {**low, **top}
        if score(both) > best_score:
            dups = d1 + d2 + [(n, low[n]) for n in low if n in top and low[n] != top[n]]
            best_i, best, best_score, best_dups = i + 1, both, score(both), dups
    missing = [r for r in required if r not in best]
    if best_score == 0:
        raise InputError(f"工作表“{grid.name}”前{HEADER_SCAN_ROWS}行中找不到表头（应含：{'、'.join(required)}）",
                         f"sheet '{grid.name}': no header row in the first {HEADER_SCAN_ROWS} rows "
                         f"(expected: {', '.join(required)})", location=shown)
    if missing:
        raise InputError(f"工作表“{grid.name}”第{best_i + 1}行表头缺少列“{'、'.join(missing)}”",
                         f"sheet '{grid.name}', header row {best_i + 1}: missing column(s) {', '.join(missing)}",
                         location=shown)
    for name, _j in best_dups:
        plan.read_findings.append(Finding(
            "L001", Severity.WARNING, f"表头“{name}”出现多次，只读取第一列", f"header '{name}' appears twice; "
            "only the first column is read", file=shown, sheet=grid.name, row=best_i + 1, column=name))
    return best_i, best


def _is_total_or_note(row: list, probe_cols: list[int], filled: int) -> bool:
    """A 合计/小计 row (the word in the first two columns or in 项目编号/小区名称), or a note under the
    table: a single text cell starting with 注/说明/填表."""
    width = len(row)
    for j in probe_cols:
        v = row[j] if j < width else None
        # every total word ends in 计: one substring test spares the rest for (nearly) every row
        if v.__class__ is str and "计" in v and "".join(v.split()).startswith(_TOTAL_WORDS):
            return True
    if filled == 1:
        v = next(x for x in row if x != "" and x is not None)
        return isinstance(v, str) and "".join(v.split()).lstrip("（(").startswith(_NOTE_WORDS + _TOTAL_WORDS)
    return False


def _holds_project(raw_row: list, pick, probe_cols: list[int]) -> bool:
    """Whether a row is a project: a contract column holds something (zeros alone are nothing) and it is
    neither a 合计 row nor a note under the table."""
    ours = pick(raw_row)
    ours_filled = len(ours) - ours.count("") - ours.count(None)
    if ours_filled == 0 or not any(ours) and not any(raw_row):       # blank, or zeros only
        return False
    # a note under the table is one filled cell: count the whole row only when it may be one
    filled = len(raw_row) - raw_row.count("") - raw_row.count(None) if ours_filled == 1 else 2
    return not _is_total_or_note(raw_row, probe_cols, filled)


def _not_projects(body: list[list], column, pick, probe_cols: list[int], key_cols: list[int]) -> list[int]:
    """Indices in ``body`` of the rows that are not projects (``_holds_project``), in order; ``column(j)``
    is the list of cells of sheet column ``j``.

    A row whose 项目编号 and 小区名称 (``key_cols``) are both filled and whose probe cells hold no 计 is
    surely a project: that is nearly every row, and the few others are found with a few passes over those
    columns (loops in C), then judged one by one."""
    n, width = len(body), len(body[0]) if body else 0
    doubtful: set[int] = set()
    if len(key_cols) < 2 or max(key_cols) >= width:
        doubtful.update(range(n))
    else:
        for j in key_cols:
            if not all(col := column(j)):
                doubtful.update(compress(range(n), map(operator.not_, col)))
    for j in probe_cols:
        if j < width and _texts_contain(col := column(j), "计"):
            doubtful.update(i for i, v in enumerate(col) if v.__class__ is str and "计" in v)
    return [i for i in sorted(doubtful) if not _holds_project(body[i], pick, probe_cols)]


def _texts_contain(cells: list, char: str) -> bool:
    """Whether a text cell holds ``char``, in one pass in C over a column of text."""
    try:
        return char in "".join(cells)
    except TypeError:                                # numbers or blanks among the texts
        return char in "".join(compress(cells, map(isinstance, cells, repeat(str))))


_CHUNK_ROWS = 1024


def _transpose(body: list[list], pick, whole_rows: bool, width: int) -> list[list]:
    """The columns ``pick`` takes (every column when ``whole_rows``) as lists. zip(*rows) a chunk of rows at
    a time (for all 53,000 rows at once its row iterators fall out of the CPU caches: twice as slow), into
    lists made at their full length (grown chunk by chunk they would be copied over and over)."""
    n = len(body)
    columns = [[None] * n for _ in range(width)]
    for a in range(0, n, _CHUNK_ROWS):
        chunk = body[a:a + _CHUNK_ROWS]
        b = a + len(chunk)
        for column, cells in zip(columns, zip(*(chunk if whole_rows else map(pick, chunk)))):
            column[a:b] = cells
    return columns


def _fill_table(plan: Plan, sheet: str, grid: _SheetGrid, contract: Contract, shown: str) -> None:
    """The data rows of 项目清单 / 联系点, into one ``Table`` (model.py) with a ``Row`` view per project.

    This is the hot path for a 53,000-row workbook: the rows are transposed into columns at once, the
    rows that are not projects found from a few of them, then each column is parsed in a pass of its own
    (values.quick; no per-cell lookup of the column's parser, no object per cell)."""
    columns = contract.columns(sheet)
    hi, found = _find_header(grid, columns, sheet, shown, plan)
    plan.header_rows[sheet] = hi + 1
    col_index = {name: j + 1 for name, j in found.items()}
    plan.headers[sheet] = col_index
    kinds = {c.name: c.kind for c in columns}
    # Counties type the same spellings over and over (2023年6月30日, "85%", full-width ３２): a parse
    # result is kept per kind and raw text (or number), so each spelling is parsed once. Only kinds
    # whose values are immutable; phones and 改造内容 are nearly all distinct.
    memo: dict[str, dict[type, dict[Any, Any]]] = {kind: {str: {}, int: {}, float: {}} for kind in set(kinds.values()) if kind in V.MEMO_KINDS}
    probe_cols = sorted({0, 1, *(found[k] for k in (PROJECT_ID, COMMUNITY) if k in found)})
    key_cols = [found[k] for k in (PROJECT_ID, COMMUNITY) if k in found]
    ordered = sorted(found.items(), key=lambda x: x[1])
    body = grid.rows[hi + 1:]
    width = max(map(len, body), default=0)
    if len(set(map(len, body))) > 1:                 # CSV rows may be ragged; calamine's are not
        body = [r + [None] * (width - len(r)) for r in body]
    # a row counts only when a column of the contract holds something (else only ignored columns are filled)
    in_contract = [j for _, j in ordered if j < width]
    if not in_contract:
        body = []
    pick = (operator.itemgetter(*in_contract) if len(in_contract) > 1 else
            (lambda r, j=in_contract[0]: (r[j],)) if in_contract else None)
    at = {j: k for k, j in enumerate(in_contract)}
    cells = _transpose(body, pick, in_contract == list(range(width)), len(in_contract))

    def column(j: int) -> list:
        return cells[at[j]] if j in at else list(map(operator.itemgetter(j), body))

    excel_rows: Sequence[int] = range(hi + 2, hi + 2 + len(body))
    dropped = _not_projects(body, column, pick, probe_cols, key_cols)
    if dropped:
        keep = bytearray([1]) * len(body)
        for i in dropped:
            keep[i] = 0
        cells = [list(compress(c, keep)) for c in cells]
        excel_rows = list(compress(excel_rows, keep))
    n = len(excel_rows)
    table = Table(grid.name, n, col_index)
    for name, j in ordered:
        kind = kinds[name]
        raws = cells[at[j]] if j in at else [None] * n
        unsafe = _Unsafe(plan, shown, grid.name, name, excel_rows)
        if kind in _TEXT_KINDS:
            _make_column_safe(raws, unsafe)
        table.add(name, *_column_values(raws, kind, memo.get(kind), unsafe))
    out = plan.projects if sheet == contract.projects_sheet else plan.liaison
    out.extend(Row.many(table, excel_rows))


# -- text made safe ---------------------------------------------------------------------------------
# Kinds whose values are the text itself (checked a column at a time, before values.quick); in the other
# kinds the quick parse takes no text but a clean spelling, so only the cells it leaves to the parser are
# checked, one by one.
_TEXT_KINDS = frozenset({"text", "textlist"})


class _Unsafe:
    """Where the cells of one column are (for L004), and the note itself."""

    __slots__ = ("plan", "shown", "sheet", "column", "rows", "col_index")

    def __init__(self, plan: Plan, shown: str, sheet: str, column: str, rows, col_index: int | None = None):
        self.plan, self.shown, self.sheet, self.column, self.rows = plan, shown, sheet, column, rows
        self.col_index = col_index

    def fix(self, i: int, raw: str, line: int | None = None) -> str:
        """``raw`` made safe; a warning at row ``i`` of the column when a character was dropped or replaced."""
        done = inbound(raw)
        if done is None:
            return raw
        if done.codes:
            self.plan.read_findings.append(unsafe_finding(done, self.shown, self.sheet, self.rows[i], self.column,
                                                          line))
        return done.text


def unsafe_finding(done, file: str, sheet: str | None, row: int | None, column: str | None,
                   line: int | None = None) -> Finding:
    """L004: what ``safetext.inbound`` removed from one cell, and where."""
    how_zh = "、".join([*(["换行类控制字符改为换行"] if "换行类控制字符" in done.kinds_zh else []),
                       *(["孤立代理项标为“\ufffd”"] if "孤立代理项" in done.kinds_zh else [])])
    how_en = ", ".join([*(["line-break controls became newlines"] if "line-break control" in done.kinds_en else []),
                        *(["lone surrogates show as U+FFFD"] if "lone surrogate" in done.kinds_en else [])])
    return Finding("L004", Severity.WARNING,
                   f"单元格含不可见字符或控制字符：{done.describe('zh')}，读取时已去除{f'（{how_zh}）' if how_zh else ''}"
                   "，请在原表中删除",
                   f"the cell holds invisible or control characters: {done.describe('en')}; removed on reading"
                   f"{f' ({how_en})' if how_en else ''}: delete them in the file",
                   file=file, line=line, sheet=sheet, row=row, column=column, value=done.text,
                   extra={"characters": list(done.codes)})


def _make_column_safe(raws: list, unsafe: _Unsafe) -> None:
    """The text cells of a column made safe in place: one pass in C over the column's text finds nearly
    every column clean; only then are its cells looked at one by one."""
    try:
        joined = "".join(raws)
    except TypeError:                                # numbers or blanks among the texts
        joined = "".join(compress(raws, map(isinstance, raws, repeat(str))))
    if joined.isprintable() or "\r" not in joined and not has_hostile(joined):
        return
    for i, raw in enumerate(raws):
        if raw.__class__ is str:
            raws[i] = unsafe.fix(i, raw)


def _column_values(raws: list, kind: str, known: dict | None, unsafe: _Unsafe | None = None
                   ) -> tuple[list, list, dict]:
    """(raw values, parsed values, {row: (why, why_en)}) of one column of ``kind``. Cells typed the usual
    way are parsed for the whole column at once (values.quick); the others one by one, once per distinct
    raw value when ``known`` is a memo. ``raws`` is changed in place: an Unreadable (#REF!, a formula with
    no value) becomes its text, and a text cell the parser gets is made safe first (``unsafe``, L004)."""
    n = len(raws)
    errors: dict[int, tuple] = {}
    if not any(raws) and raws.count("") + raws.count(None) == n:     # a column nobody filled (actual dates)
        return raws, [None] * n, errors
    vals, slow = V.quick(kind, raws)
    if not slow:                                     # the usual case: every cell typed the usual way
        return raws, vals, errors
    parser, unreadable, mutable = V.PARSERS[kind], V.Unreadable, kind in V.MUTABLE_KINDS
    texts = known[str] if known is not None else {}      # text cells: each spelling parsed once
    for i in slow:
        raw = raws[i]
        cls = raw.__class__
        if cls is str:
            if unsafe is not None and (has_hostile(raw) or "\r" in raw):
                raws[i] = raw = unsafe.fix(i, raw)
            parsed = texts.get(raw)
            if parsed is None:
                parsed = texts[raw] = _parse_cell(parser, raw)
        elif cls is unreadable:                      # #REF!, a formula without a value (xlsxscan)
            text = raw.text if unsafe is None or not has_hostile(raw.text) else unsafe.fix(i, raw.text)
            raws[i], vals[i], errors[i] = text, None, (raw.zh, raw.en)
            continue
        else:
            # numbers, one memo per type (1, 1.0 and True are equal keys but not equal cells), but not 0.0
            # and NaN (-0.0 and 0.0 are one key; NaN is never found again)
            m = known.get(cls) if known is not None and (cls is not float or raw and raw == raw) else None
            parsed = m.get(raw) if m is not None else None
            if parsed is None:
                parsed = _parse_cell(parser, raw)
                if m is not None:
                    m[raw] = parsed
        value = parsed[0]
        vals[i] = list(value) if mutable and value is not None else value
        if parsed[1] is not None:
            errors[i] = (parsed[1], parsed[2])
    return raws, vals, errors


def _parse_cell(parser, raw) -> tuple:
    if raw.__class__ is str and raw.isspace():
        return None, None, None
    try:
        return parser(raw)
    except Exception:                                # parsers never raise; belt and braces
        return None, "无法识别的值", "unreadable value"


def _fill_info(plan: Plan, grid: _SheetGrid, contract: Contract, shown: str) -> None:
    """基本信息: rows of 项目 | 内容. Without a header row, the first filled cell of a row is the key and the
    next filled cell its value."""
    lookup = {normalize_header(c.name): c for c in contract.info}
    key_col = val_col = None
    start = 0
    for i, row in enumerate(grid.rows[:HEADER_SCAN_ROWS]):
        norm = [_header_key(v) if isinstance(v, str) else "" for v in row]
        if INFO_KEY_HEADER in norm and INFO_VALUE_HEADER in norm:
            key_col, val_col, start = norm.index(INFO_KEY_HEADER), norm.index(INFO_VALUE_HEADER), i + 1
            plan.header_rows[SHEET_INFO] = i + 1
            plan.headers[SHEET_INFO] = {INFO_KEY_HEADER: key_col + 1, INFO_VALUE_HEADER: val_col + 1}
            break
    for i in range(start, len(grid.rows)):
        row = grid.rows[i]
        if key_col is not None:
            k = row[key_col] if key_col < len(row) else None
            assert val_col is not None            # found together with key_col
            j = val_col
        else:
            filled = [j for j, v in enumerate(row) if not V.is_blank(v)]
            if not filled:
                continue
            k, j = row[filled[0]], (filled[1] if len(filled) > 1 else filled[0] + 1)
        col = lookup.get(_header_key(k)) if isinstance(k, str) else None
        if col is None or col.name in plan.info:
            continue
        raw = row[j] if j < len(row) else None
        plan.info[col.name] = _cell(col, raw, grid.name, i + 1, j + 1,
                                    unsafe=_Unsafe(plan, shown, grid.name, col.name, [i + 1]))
    if not plan.info and key_col is None:
        keys = "、".join(c.name for c in contract.info if c.required)
        raise InputError(f"工作表“{grid.name}”中找不到表头“{INFO_KEY_HEADER}、{INFO_VALUE_HEADER}”，也没有可识别的项目（应含：{keys}）",
                         f"sheet '{grid.name}': no header '{INFO_KEY_HEADER} | {INFO_VALUE_HEADER}' and no known key",
                         location=shown)


def _cell(col: Column, raw, sheet: str, row: int, col_index: int | None, line: int | None = None,
          unsafe: _Unsafe | None = None) -> Cell:
    if raw.__class__ is V.Unreadable:
        text = raw.text if unsafe is None else _Unsafe.fix(unsafe, 0, raw.text, line)
        return Cell(text, None, sheet, row, col.name, col_index, raw.zh, raw.en, line)
    if raw == "":
        raw = None
    if unsafe is not None:
        raw = _safe_value(raw, unsafe, line)
    value, err, err_en = V.parse(col.kind, raw)
    return Cell(raw, value, sheet, row, col.name, col_index, err, err_en, line)


def _safe_value(raw, unsafe: _Unsafe, line: int | None):
    """A value of 基本信息 or of a YAML/JSON record made safe: text, or the texts of a list (改造内容)."""
    if raw.__class__ is str:
        return unsafe.fix(0, raw, line)
    if isinstance(raw, (list, tuple)):
        return [unsafe.fix(0, x, line) if x.__class__ is str else x for x in raw]
    return raw


def _resolve_counties(plan: Plan, contract: Contract) -> None:
    """County names as typed (魏都, 魏都区 with a trailing space, 魏都區) read as the policy's name by
    ``contract.resolve_county``; each variant gets one note (L003) so nobody wonders. A name that does
    not resolve stays as typed, for the validator to report (V101)."""
    seen: dict[str, str | None] = {}

    def resolved(typed: str, sheet: str | None, row: int | None) -> str | None:
        if typed not in seen:
            seen[typed] = resolve_county(typed, contract.counties)
            if seen[typed] is not None and seen[typed] != typed:
                plan.read_findings.append(Finding(
                    "L003", Severity.INFO, f"{COUNTY}“{typed}”按政策名称“{seen[typed]}”读取",
                    f"county {typed!r} read as the policy's {seen[typed]!r}", file=plan.file, sheet=sheet,
                    row=row, column=COUNTY, value=typed, expected=seen[typed]))
        return seen[typed]

    info = plan.info.get(COUNTY)
    if info is not None and info.value.__class__ is str and (name := resolved(info.value, info.sheet, info.row)):
        info.value = name
    for rows in (plan.projects, plan.liaison):
        if not rows:
            continue
        table = rows[0].table                    # the reader makes one table per sheet, row i its i-th row
        k = table.pos.get(COUNTY)
        if k is not None:
            values = table.val[k]
            # each spelling once, in reading order; its first row gets the note
            renamed = {}
            for typed in dict.fromkeys(values):
                if typed.__class__ is str:
                    first = rows[values.index(typed)]
                    if (name := resolved(typed, first.sheet, first.row)) and name != typed:
                        renamed[typed] = name
            if renamed:
                table.val[k] = list(map(renamed.get, values, values))     # a loop in C: 魏都 -> 魏都区


# -- CSV: the 项目清单 sheet ---------------------------------------------------------------------------
MAX_CSV_FIELD = 1 << 20            # characters in one CSV field (Python's default, 131,072, is a traceback)


def _read_csv(p: Path, shown: str, contract: Contract) -> Plan:
    text = read_text(p, shown)
    if "\x00" in text:
        raise InputError("不是文本格式的 CSV 文件", "not a text CSV file", location=shown)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    old_limit = csv.field_size_limit(MAX_CSV_FIELD)
    rows = []
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        for r in reader:
            rows.append([v if v != "" else None for v in r])
    except csv.Error as exc:
        too_long = "field larger" in str(exc)
        raise InputError(f"第{reader.line_num}行：" + (f"单元格超过{MAX_CSV_FIELD:,}个字符，超出读取限制" if too_long
                                                       else f"CSV 格式错误（{exc}）"),
                         f"line {reader.line_num}: " + (f"a field longer than {MAX_CSV_FIELD:,} characters (reading limit)"
                                                        if too_long else f"malformed CSV ({exc})"), location=shown) from None
    finally:
        csv.field_size_limit(old_limit)
    _check_swallowed_rows(rows, dialect.delimiter, shown)
    if len(rows) > MAX_ROWS:
        raise InputError(f"超过{MAX_ROWS:,}行，超出读取上限", f"more than {MAX_ROWS:,} rows (reading limit)", location=shown)
    sheet = contract.projects_sheet
    plan = Plan(file=shown, format="csv", sheet_names={sheet: sheet})
    _fill_table(plan, sheet, _SheetGrid(sheet, rows), contract, shown)
    _resolve_counties(plan, contract)
    return plan


def _check_swallowed_rows(rows: list[list], delimiter: str, shown: str) -> None:
    """A stray quote (\"小区 with no closing quote) makes the csv module read the following lines, rows and
    all, as one field: 187 projects vanish without a word. A field holding whole lines with the
    delimiters of a row is that, and is refused with the line where the quote opened."""
    width = max((len(r) for r in rows[:50]), default=0)
    if width < 3:
        return
    line = 1
    for r in rows:
        for v in r:
            if v and "\n" in v and any(ln.count(delimiter) >= width // 2 for ln in v.split("\n")[1:]):
                raise InputError(f"约第{line}行：引号未闭合，后面的行被并入了一个单元格（请检查该行的引号 \"）",
                                 f"around line {line}: an unclosed quote swallows the following rows into one "
                                 "field (check the quotes \" on that line)", location=shown)
        line += 1 + sum(v.count("\n") for v in r if v)


# -- YAML / JSON: {基本信息: {key: value}, 项目清单: [{header: value}], 联系点: [...]} ---------------------
def _read_structured(p: Path, shown: str, contract: Contract, kind: str) -> Plan:
    text = read_text(p, shown)
    lines = {}
    if kind == "json":
        data = parse_json(text, shown)
        try:                      # line numbers, when the JSON is also plain YAML (nearly always)
            lines = parse_yaml(text, shown, InputError).lines
        except Exception:
            lines = {}
    else:
        doc = parse_yaml(text, shown, InputError)
        data, lines = doc.data, doc.lines
    if not isinstance(data, dict):
        raise InputError(f"应为以“{'”“'.join(contract.sheets)}”为键的映射",
                         f"expected a mapping with keys {', '.join(contract.sheets)}",
                         location=shown)
    keys = {_header_key(k): k for k in data if isinstance(k, str)}
    missing = [s for s in contract.sheets if normalize_header(s) not in keys]
    if missing:
        raise InputError(f"缺少“{'、'.join(missing)}”部分", f"missing section(s) {', '.join(missing)}", location=shown)
    plan = Plan(file=shown, format=kind, sheet_names={s: s for s in contract.sheets})

    info_key = keys[normalize_header(SHEET_INFO)]
    info = data[info_key] or {}
    if not isinstance(info, dict):
        raise InputError(f"“{SHEET_INFO}”应为“项目: 内容”的映射", f"'{SHEET_INFO}' must be a mapping of key: value",
                         location=f"{shown}:{lines.get((info_key,), '')}".rstrip(":"))
    lookup = {normalize_header(c.name): c for c in contract.info}
    for n, (k, raw) in enumerate(info.items(), start=1):
        col = lookup.get(_header_key(k)) if isinstance(k, str) else None
        if col is not None and col.name not in plan.info:
            plan.info[col.name] = _cell(col, raw, SHEET_INFO, n, None, lines.get((info_key, k)),
                                        _Unsafe(plan, shown, SHEET_INFO, col.name, [n]))

    for sheet in contract.sheets[1:]:
        skey = keys[normalize_header(sheet)]
        records = data[skey] or []
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise InputError(f"“{sheet}”应为记录列表（每条为“列名: 值”的映射）",
                             f"'{sheet}' must be a list of records (mappings of column: value)", location=shown)
        columns = contract.columns(sheet)
        lookup = {normalize_header(c.name): c for c in columns}
        present: dict[str, str] = {}
        for r in records:
            for k in r:
                col = lookup.get(_header_key(k)) if isinstance(k, str) else None
                if col is not None:
                    present.setdefault(col.name, k)
        missing = [c.name for c in columns if c.required and c.name not in present]
        if records and missing:
            raise InputError(f"“{sheet}”的记录中缺少列“{'、'.join(missing)}”",
                             f"'{sheet}': no record has column(s) {', '.join(missing)}", location=shown)
        positions = {c.name: i for i, c in enumerate(columns, start=1)}
        by_canonical = {c.name: c for c in columns}
        plan.headers[sheet] = {name: positions[name] for name in present}
        table = Table(sheet, len(records), plan.headers[sheet])
        by_record = []
        for rec in records:
            by_name = {}
            for k, raw in rec.items():
                col = lookup.get(_header_key(k)) if isinstance(k, str) else None
                if col is not None and col.name not in by_name:
                    by_name[col.name] = (k, raw)
            by_record.append(by_name)
        for name in present:
            col = by_canonical[name]
            raws, vals, errs, at = [], [], {}, {}
            for idx, by_name in enumerate(by_record):
                k, raw = by_name.get(name, (None, None))
                line = lines.get((skey, idx, k)) if k is not None else lines.get((skey, idx))
                c = _cell(col, raw, sheet, idx + 1, positions[name], line,
                          _Unsafe(plan, shown, sheet, name, [idx + 1]))
                raws.append(c.raw)
                vals.append(c.value)
                if c.error:
                    errs[idx] = (c.error, c.error_en)
                if line is not None:
                    at[idx] = line
            table.add(name, raws, vals, errs, at)
        out = plan.projects if sheet == contract.projects_sheet else plan.liaison
        out.extend(Row.many(table, range(1, len(records) + 1)))
    _resolve_counties(plan, contract)
    return plan
