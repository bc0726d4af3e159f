"""Look at an .xlsx before python-calamine loads a sheet: what calamine would allocate, and what it hides.

calamine turns a sheet into one dense grid from its first to its last cell, so a single value at
XFD1048576 asks for 17 billion cells (the process aborts) and one in the last row for a gigabyte.
It also reads an error cell (#REF!) and a formula without a cached value as blank. So, before
loading, each sheet's XML is streamed (never held whole) and checked against the limits below
(``check_sheet``); a second pass (``special_cells``, run by ledger/workbook.py while calamine parses)
notes error cells and value-less formulas with their place, so the reader can report them as what they
are. Exceeding a limit is an InputError (exit 2) that names the cell and the limit.

Limits (docs/ledger.md, "Limits"):
- ``MAX_UNZIPPED_BYTES``: declared size of all parts together, and bytes actually inflated per sheet
  (zip bombs);
- ``MAX_CELL_BYTES``: one cell's text (in a sheet, and each shared string), ``MAX_SHARED_STRINGS`` items and
  ``MAX_SHARED_STRINGS_BYTES`` of shared strings, checked by ``open_zip`` before calamine opens the workbook
  (it reads every shared string on opening); ``MAX_STRING_BYTES`` of text per loaded sheet, counting each
  cell's copy of the shared string it names (``check_sheet``);
- ``MAX_ROWS`` rows and ``MAX_COLUMNS`` columns. These bound what calamine allocates and need no policy, so
  the check runs before the policy is loaded (ledger/workbook.py). The contract's own column range (its width
  plus ``COLUMN_MARGIN``) is checked on the loaded rows (``workbook.check_width``, ``beyond_columns``).

Only sheets written as OOXML (.xlsx/.xlsm) are scanned. The sheets of an .xls/.xlsb/.ods (binary or
ODF: nothing to stream cheaply; all of them) are first loaded by python-calamine in a child process with bounded
memory (``probe_sheets``): the same row and column limits then apply to the extent calamine reports, and
a sheet calamine cannot hold within ``PROBE_MEMORY`` is refused the same way. The zip of an .xlsb/.ods is
held to ``MAX_UNZIPPED_BYTES`` like any other (``open_zip``).
"""
from __future__ import annotations

import array
import json
import re
import subprocess
import sys
import zipfile
import zlib
from xml.etree import ElementTree

from generator.errors import InputError

MAX_UNZIPPED_BYTES = 1 << 30       # 1 GiB; a 53,000-row 项目清单 inflates to about 100 MB
MAX_CELL_BYTES = 1 << 20           # one cell's text as XML (a run without "<"), and one shared string item;
                                   # Excel holds at most 32,767 characters in a cell (< 230 KB even escaped)
MAX_SHARED_STRINGS = 4_000_000     # shared string items (a 53,000-row plan has < 1 million)
MAX_SHARED_STRINGS_BYTES = 256 << 20   # sharedStrings.xml inflated (calamine holds all of it from the start)
MAX_STRING_BYTES = 512 << 20       # the text one sheet's cells take when loaded (each cell its own copy of its
                                   # shared string: one 1 MB string named by 99,999 cells would be 100 GB)
_SST_CHUNK = 256 << 10             # <= MAX_CELL_BYTES: the longest run is then measured exactly
MAX_ROWS = 99_999                  # five-digit row numbers; a year's projects in all of China were about 53,000
MAX_COLUMNS = 100                  # column CV: 99,999 x 100 cells is the most calamine is let allocate
COLUMN_MARGIN = 50                 # extra columns a county may add beyond the contract's
_CHUNK = 1 << 20
PROBE_MEMORY = 2 << 30             # address space of the child that loads an .xls/.xlsb/.ods first
PROBE_SECONDS = 120
_MAX_ROW_BYTES = 64 << 20          # one row's XML; longer means no row structure at all
_MAX_REF_BYTES = 4096              # a cell reference cut by a chunk's end is carried over when shorter

_REF = re.compile(rb'\sr="([A-Z]{1,3})(\d+)"')
_CELL_START = re.compile(rb'<(?:\w+:)?c[\s>/]')
_FORMULA_NO_VALUE = re.compile(rb'(?:</f>|<f\b[^>]*/>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>')
_FORMULA_TEXT = re.compile(rb'<f\b[^>]*>([^<]*)</f>')
_ERROR_VALUE = re.compile(rb'<v>([^<]*)</v>')
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def col_letters(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def col_number(letters: bytes | str) -> int:
    n = 0
    for ch in (letters.decode() if isinstance(letters, bytes) else letters):
        n = n * 26 + ord(ch) - 64
    return n


def _beyond(max_col: int) -> re.Pattern:
    """A cell (or row) reference after ``max_col`` (< 702) or after row ``MAX_ROWS`` (six digits): one regex
    search with a literal prefix, fast because such references are rare (the usual one fails at once)."""
    letters = col_letters(max_col)
    # a row of six digits, leading zeros or not (calamine reads A000200000 as row 200,000)
    alts = [b"[A-Z]{0,3}+0*+[1-9][0-9]{5}", b"[A-Z]{3}"]
    if len(letters) == 1:
        alts.append(b"[A-Z]{2}")
        if letters != "Z":
            alts.append(b"[" + bytes([ord(letters) + 1]) + b"-Z]")
    else:
        a, b = letters.encode()[0], letters.encode()[1]
        if a < ord("Z"):
            alts.append(b"[" + bytes([a + 1]) + b"-Z][A-Z]")
        if b < ord("Z"):
            alts.append(bytes([a]) + b"[" + bytes([b + 1]) + b"-Z]")
    return re.compile(b' r="(?:' + b"|".join(alts) + b')')


_BEYOND = _beyond(MAX_COLUMNS)


def beyond_columns(sheet: str, ref: str, max_cols: int, shown: str) -> InputError:
    """Cell ``ref`` holds something beyond column ``max_cols``."""
    return InputError(f"工作表“{sheet}”单元格{ref}有内容，超出读取范围（最多{col_letters(max_cols)}列）；"
                      "请删除多余的内容后重新提交",
                      f"sheet '{sheet}': cell {ref} has content beyond the columns read (up to "
                      f"{col_letters(max_cols)}); delete it and submit again", location=shown)


def _too_big(shown: str) -> InputError:
    mb = MAX_UNZIPPED_BYTES >> 20
    return InputError(f"工作簿解压后超过{mb} MB，超出读取限制（疑为压缩炸弹）",
                      f"the workbook inflates to more than {mb} MB (reading limit; a zip bomb?)", location=shown)


class ScannedZip(zipfile.ZipFile):
    """The workbook's zip with the byte sizes of its shared strings, scanned once on opening."""
    gaizao_sst: _Sizes | None = None


def open_zip(path, shown: str) -> ScannedZip | None:
    """The workbook as a zip (None for .xls and other non-zip formats); refuses a zip bomb by declared sizes."""
    if not zipfile.is_zipfile(path):
        return None
    try:
        zf = ScannedZip(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None                  # calamine then says "not a valid workbook"
    if sum(i.file_size for i in zf.infolist()) > MAX_UNZIPPED_BYTES:
        zf.close()
        raise _too_big(shown)
    try:
        zf.gaizao_sst = _scan_shared_strings(zf, shown)
    except BaseException:
        zf.close()
        raise
    return zf


def _cell_too_big(where: str, shown: str) -> InputError:
    mb = MAX_CELL_BYTES >> 20
    return InputError(f"{where}有一个单元格的内容超过{mb} MB，超出读取限制（Excel 单元格最多 32,767 个字符）；请删除后重新提交",
                      f"{where or 'the workbook'}: a cell holds more than {mb} MB, over the reading limit (an Excel "
                      "cell holds at most 32,767 characters); delete it and submit again", location=shown)


class _Sizes(array.array):
    longest = 0


def _scan_shared_strings(zf: zipfile.ZipFile, shown: str):
    """Byte size of each shared string item (an ``array``), streamed before calamine reads them all; refuses an
    item over ``MAX_CELL_BYTES``, more than ``MAX_SHARED_STRINGS`` items or ``MAX_SHARED_STRINGS_BYTES`` inflated.
    None when the workbook has no shared strings."""
    part = next((i.filename for i in zf.infolist() if i.filename.lower().endswith("sharedstrings.xml")), None)
    if part is None:
        return None
    sizes = _Sizes("Q")
    try:
        fh = zf.open(part)
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return None
    inflated, carry = 0, 0          # carry: bytes of the item still open at the end of the last piece
    with fh:
        while True:
            try:
                chunk = fh.read(_SST_CHUNK)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
                return sizes        # a broken stream: calamine reports the workbook as unreadable
            if not chunk:
                return sizes
            while chunk.endswith((b"<", b"</", b"</s", b"</si")):     # an end tag cut by the piece's end
                try:
                    more = fh.read(4)
                except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
                    more = b""
                if not more:
                    break
                chunk += more
            inflated += len(chunk)
            if inflated > MAX_SHARED_STRINGS_BYTES:
                mb = MAX_SHARED_STRINGS_BYTES >> 20
                raise InputError(f"工作簿的共享字符串（sharedStrings.xml）解压后超过{mb} MB，超出读取限制",
                                 f"the workbook's shared strings (sharedStrings.xml) inflate to more than {mb} MB "
                                 "(reading limit)", location=shown)
            pieces = chunk.split(b"</si>")
            lens = list(map(len, pieces))
            lens[0] += carry
            carry = lens.pop()
            if carry > MAX_CELL_BYTES or (lens and max(lens) > MAX_CELL_BYTES):
                raise _cell_too_big("共享字符串中", shown)
            sizes.extend(lens)
            if lens:
                sizes.longest = max(sizes.longest, max(lens))
            if len(sizes) > MAX_SHARED_STRINGS:
                raise InputError(f"工作簿的共享字符串超过{MAX_SHARED_STRINGS:,}条，超出读取限制",
                                 f"the workbook holds more than {MAX_SHARED_STRINGS:,} shared strings (reading limit)",
                                 location=shown)


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part (xl/worksheets/sheetN.xml) from workbook.xml and its relationships."""
    try:
        wb = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for s in wb.iterfind("m:sheets/m:sheet", _NS):
        t = targets.get(s.get(_REL_ID), "")
        out[s.get("name", "")] = t.lstrip("/") if t.startswith("/") else "xl/" + t
    return out


def check_sheet(zf: zipfile.ZipFile, part: str, sheet: str, shown: str, seen: dict | None = None) -> str | None:
    """Whether calamine could hold the sheet. Refuses a value beyond row ``MAX_ROWS`` and more than
    ``MAX_UNZIPPED_BYTES`` inflated; returns the first cell beyond column ``MAX_COLUMNS`` (the sheet must then
    not be loaded; the reader refuses it with the contract's range), or None. One streamed pass, one regex
    search per chunk: such references are rare, so the usual one fails at its first letter.

    ``seen``: ``seen["plain"] = True`` when the whole sheet was read and holds no formula and no error cell, in
    rows of a structure ``special_cells`` reads without refusing (then it would find nothing: it need not
    inflate the sheet a second time; issue 19.9)."""
    try:
        fh = zf.open(part)
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError):
        return None
    inflated = 0
    tail = b""             # a reference cut by the chunk's end, or the chunk's last bytes (a cut ' r=')
    since_lt = 0           # bytes since the last "<": a cell's text (or an attribute) cannot hold one
    shared_refs = 0        # cells naming a shared string (t="s"), for the text the loaded sheet will hold
    sst = getattr(zf, "gaizao_sst", None)
    special = False        # a formula or an error cell may be there (the markers special_cells looks for)
    since_row = 0          # bytes since the end of the last row (as _pieces cuts), and the most of them
    longest_row = 0
    edge = b""             # the last bytes of the chunk before, for a marker cut by the chunk's end
    with fh:
        while True:
            try:
                chunk = fh.read(_CHUNK)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
                return None       # a broken stream: calamine reports the workbook as unreadable
            inflated += len(chunk)
            if inflated > MAX_UNZIPPED_BYTES:
                raise _too_big(shown)
            if not chunk:
                if sst:
                    _check_loaded_strings(zf, part, sheet, shown, shared_refs, sst)
                if seen is not None and not special and longest_row <= _MAX_ROW_BYTES - 4 * _CHUNK:
                    seen["plain"] = True
                return None
            if seen is not None:
                both = edge + chunk
                special = special or b"<f" in both or b't="e"' in both
                a, b = both.rfind(b"</row>"), both.rfind(b":row>")
                if a < 0 and b < 0:
                    since_row += len(chunk)
                else:
                    since_row = len(both) - max(a + 6 if a >= 0 else 0, b + 5 if b >= 0 else 0)
                longest_row = max(longest_row, since_row)
                edge = chunk[-8:]
            # _CHUNK <= MAX_CELL_BYTES: a run inside one chunk is shorter, so the runs across chunks are enough
            first = chunk.find(b"<")
            if first < 0:
                since_lt += len(chunk)
            else:
                since_lt += first
            if since_lt > MAX_CELL_BYTES:
                raise _cell_too_big(f"工作表“{sheet}”", shown)
            if first >= 0:
                since_lt = len(chunk) - chunk.rfind(b"<") - 1
            if sst:
                shared_refs += chunk.count(b't="s"')
            buf = tail + chunk
            m = _BEYOND.search(buf)
            if m:
                end = buf.find(b'"', m.end())
                ref = buf[m.start() + 4:end if end >= 0 else m.end()].decode("ascii", "replace")
                digits = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
                if digits.isdigit() and int(digits) > MAX_ROWS:
                    row = int(digits)
                    raise InputError(f"工作表“{sheet}”第{row}行有内容，超出读取上限{MAX_ROWS:,}行；请删除多余的行后重新提交",
                                     f"sheet '{sheet}' has content in row {row}, beyond the reading limit of "
                                     f"{MAX_ROWS:,} rows; delete the stray rows and submit again", location=shown)
                return ref
            cut = buf.rfind(b' r="')
            if cut < 0 or buf.find(b'"', cut + 4) >= 0:
                tail = buf[-3:]
            elif len(buf) - cut <= _MAX_REF_BYTES:
                tail = buf[cut:]
            else:                 # no reference is that long: garbage calamine might still read as a place
                raise InputError(f"工作表“{sheet}”有超过{_MAX_REF_BYTES}字节的单元格位置，文件已损坏",
                                 f"sheet '{sheet}' has a cell reference over {_MAX_REF_BYTES} bytes long: "
                                 "the file is damaged", location=shown)


_SHARED_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\st="s"[^>]*>\s*<(?:\w+:)?v>\s*(\d{1,9})\s*</')


def _check_loaded_strings(zf, part: str, sheet: str, shown: str, refs: int, sizes) -> None:
    """Refuse a sheet whose cells would hold more than ``MAX_STRING_BYTES`` of text once loaded: each cell gets its
    own copy of the shared string it names. Counted exactly only when the cheap bound (cells x longest) is over."""
    if refs * sizes.longest <= MAX_STRING_BYTES:
        return
    total = 0
    n = len(sizes)
    for piece in _pieces(zf, part, sheet, shown):
        for m in _SHARED_REF.finditer(piece):
            i = int(m.group(1))
            if i < n:
                total += sizes[i]
        if total > MAX_STRING_BYTES:
            mb = MAX_STRING_BYTES >> 20
            raise InputError(f"工作表“{sheet}”的文字内容读入后超过{mb} MB（大量单元格重复引用长文本），超出读取限制",
                             f"the text of sheet '{sheet}' would take more than {mb} MB once read (many cells naming "
                             "long text), over the reading limit", location=shown)


def special_cells(zf: zipfile.ZipFile, part: str, sheet: str, shown: str) -> dict[tuple[int, int], tuple[str, str]]:
    """What calamine reads as blank but is not: error cells (#REF!) and formulas without a cached value,
    (row0, col0) -> ("error" | "formula", text). Run after ``check_sheet``."""
    special: dict[tuple[int, int], tuple[str, str]] = {}
    for piece in _pieces(zf, part, sheet, shown):
        if b"<f" in piece:                 # one pass over the piece each: formulas are rare, errors rarer
            for m in _FORMULA_NO_VALUE.finditer(piece):
                where = _cell_ref_before(piece, m.start())
                if where is not None:
                    f = _FORMULA_TEXT.search(piece, piece.rfind(b"<f", 0, m.start() + 1), m.end())
                    text = f.group(1).decode("utf-8", "replace") if f else ""
                    special[where] = ("formula", "=" + _unescape(text) if text else "=")
        if b't="e"' in piece:
            for m in re.finditer(rb'\st="e"', piece):
                where = _cell_ref_before(piece, m.start())
                if where is not None:
                    v = _ERROR_VALUE.search(piece, m.end(), piece.find(b"</c>", m.end()) + 4)
                    special[where] = ("error", v.group(1).decode("utf-8", "replace") if v else "#错误")
    return special


def _pieces(zf: zipfile.ZipFile, part: str, sheet: str, shown: str):
    """The sheet's XML inflated a MiB at a time, each piece ending at the end of a row (so no cell is cut),
    never held whole. Nothing when the part cannot be opened, and the pieces read so far when the stream
    breaks: calamine then reports the workbook as unreadable."""
    try:
        fh = zf.open(part)
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError):
        return
    inflated = 0
    carry = b""
    with fh:
        while True:
            try:
                chunk = fh.read(_CHUNK)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
                return
            inflated += len(chunk)
            if inflated > MAX_UNZIPPED_BYTES:
                raise _too_big(shown)
            buf = carry + chunk
            if not chunk:
                if buf:
                    yield buf
                return
            cut = max(buf.rfind(b"</row>"), buf.rfind(b":row>"))
            if cut < 0:
                if len(buf) > _MAX_ROW_BYTES:
                    raise InputError(f"工作表“{sheet}”的一行超过{_MAX_ROW_BYTES >> 20} MB，超出读取限制",
                                     f"sheet '{sheet}': one row is over {_MAX_ROW_BYTES >> 20} MB (reading limit)",
                                     location=shown)
                carry = buf
                continue
            cut = buf.index(b">", cut) + 1
            yield buf[:cut]
            carry = buf[cut:]


def _cell_ref_before(buf: bytes, pos: int) -> tuple[int, int] | None:
    """(row0, col0) of the cell element that contains ``pos``."""
    start = None
    for m in _CELL_START.finditer(buf, max(0, pos - 4096), pos):
        start = m.start()
    if start is None:
        return None
    ref = _REF.search(buf, start, buf.find(b">", start) + 1)
    return (int(ref.group(2)) - 1, col_number(ref.group(1)) - 1) if ref else None


def _unescape(s: str) -> str:
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


_PROBE = """
import json, resource, sys
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
try:
    import python_calamine as pc
    wb = pc.CalamineWorkbook.from_path(sys.argv[1])
    out = []
    for name in wb.sheet_names:
        sheet = wb.get_sheet_by_name(name)
        out.append([name, list(sheet.end) if sheet.height else None])
except MemoryError:
    sys.exit(3)
print(json.dumps(out))
"""


def probe_sheets(path, shown: str) -> None:
    """An .xls/.xlsb/.ods: load every sheet in a child process first (memory bounded by ``PROBE_MEMORY``) and
    refuse, as for an .xlsx, a sheet whose content reaches beyond ``MAX_ROWS`` rows or ``MAX_COLUMNS`` columns,
    or that calamine cannot hold at all (a cell at the last row and column asks for billions of cells).
    Every sheet, hidden ones too: calamine reads all sheets of an .ods as it opens the file."""
    try:
        proc = subprocess.run([sys.executable, "-c", _PROBE, str(path), str(PROBE_MEMORY)],
                              capture_output=True, timeout=PROBE_SECONDS)
    except subprocess.TimeoutExpired:
        proc = None
    if proc is None or proc.returncode < 0 or proc.returncode == 3:   # killed, aborted, out of memory, too slow
        raise InputError(f"工作簿的工作表过大，无法在读取限制内打开（最多{MAX_ROWS:,}行、{col_letters(MAX_COLUMNS)}列）；"
                         "请删除多余的行列后重新提交",
                         f"a sheet of the workbook is too large to open within the reading limits (up to "
                         f"{MAX_ROWS:,} rows and column {col_letters(MAX_COLUMNS)}); delete the stray rows and "
                         "columns and submit again", location=shown)
    if proc.returncode != 0:
        return                      # not a size problem: the reader reports what calamine says about the file
    for name, end in json.loads(proc.stdout):
        if end is None:
            continue
        last_row, last_col = end[0] + 1, end[1] + 1
        if last_row > MAX_ROWS:
            raise InputError(f"工作表“{name}”第{last_row}行有内容，超出读取上限{MAX_ROWS:,}行；请删除多余的行后重新提交",
                             f"sheet '{name}' has content in row {last_row}, beyond the reading limit of "
                             f"{MAX_ROWS:,} rows; delete the stray rows and submit again", location=shown)
        if last_col > MAX_COLUMNS:
            letters = col_letters(last_col)
            raise InputError(f"工作表“{name}”第{letters}列有内容，超出读取范围（最多{col_letters(MAX_COLUMNS)}列）；"
                             "请删除多余的内容后重新提交",
                             f"sheet '{name}': column {letters} has content beyond the columns read (up to "
                             f"{col_letters(MAX_COLUMNS)}); delete it and submit again", location=shown)
