"""Text from data, made safe for where it goes: one module, used by every writer.

- ``clean``: for XML documents (XLSX, DOCX, the HTML of PDFs). Characters XML 1.0 cannot hold (C0
  controls other than tab, newline and carriage return; U+FFFE/U+FFFF; lone surrogates) are removed:
  Excel keeps a pasted vertical tab, and a DOCX holding one opens in neither Word, LibreOffice nor
  python-docx. Each removal is counted in the current ``collecting()`` block so the command can say so.
- ``set_text`` / ``neutralise_sheet``: an XLSX text cell is stored as a string, and a value Excel
  would read as a formula or DDE (starting with = + - @, tab or CR) gets the cell's quotePrefix
  (OWASP "CSV injection": the visible text stays the same, Excel shows it as typed, never runs it).
- ``terminal``: for what is printed. ANSI/OSC escape sequences, C0/C1 controls and bidi overrides
  are removed, so a cell holding "\\x1b[2J" cannot clear the screen or disguise a message.
- ``inbound``: for text as it is read from a county's file (the ledger reader, score files), once, so that
  every output after it (DOCX, PDF, XLSX, terminal, HTML) gets clean text: see ``inbound``.
"""
from __future__ import annotations

import contextvars
import re
from contextlib import contextmanager
from dataclasses import dataclass

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# ESC [ ... final byte (CSI), ESC ] ... BEL/ST (OSC), ESC P/X/^/_ ... ST (DCS, SOS, PM, APC), ESC + one char
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]PX^_].*?(?:\x07|\x1b\\|$)|\x1b.?|\x9b[0-?]*[ -/]*[@-~]",
                      re.DOTALL)
_TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]")


@dataclass
class Removed:
    count: int = 0


_COLLECTOR: contextvars.ContextVar[Removed | None] = contextvars.ContextVar("gaizao_safetext", default=None)


@contextmanager
def collecting():
    """Count the characters ``clean`` removes while the block runs (a command: see options.handle_errors)."""
    removed = Removed()
    token = _COLLECTOR.set(removed)
    try:
        yield removed
    finally:
        _COLLECTOR.reset(token)


def clean_counted(text: str) -> tuple[str, int]:
    """``text`` without XML-illegal characters, and how many were removed."""
    out, n = _XML_ILLEGAL.subn("", text)
    return out, n


def is_clean(text: str) -> bool:
    """Whether ``clean`` would leave ``text`` as it is (no XML-illegal character in it)."""
    return _XML_ILLEGAL.search(text) is None


def clean(value):
    """``value`` with XML-illegal characters removed when it is a string (anything else unchanged)."""
    if not isinstance(value, str):
        return value
    out, n = _XML_ILLEGAL.subn("", value)
    if n:
        removed = _COLLECTOR.get()
        if removed is not None:
            removed.count += n
    return out


def clean_deep(value):
    """``clean`` through dicts, lists and tuples (a template context)."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {k: clean_deep(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_deep(v) for v in value]
    if isinstance(value, tuple):
        return tuple(clean_deep(v) for v in value)
    return value


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def set_text(cell, value):
    """Put ``value`` into an openpyxl cell as data: strings cleaned, stored as strings, formulas neutralised."""
    value = clean(value)
    cell.value = value
    if isinstance(value, str):
        _as_text(cell)
    return cell


def _as_text(cell) -> None:
    cell.data_type = "s"                # openpyxl typed "=..." as a formula on assignment
    if is_formula_like(cell.value):
        cell.quotePrefix = True         # Excel/WPS/LibreOffice show the text as typed and never evaluate it


def neutralise_sheet(ws) -> None:
    """Every string cell of a sheet gaizao wrote itself: cleaned, stored as text, formulas neutralised."""
    # the cells that exist (ws.iter_rows would create every empty one of the range and change the file)
    for cell in list(ws._cells.values()):
        if isinstance(cell.value, str):
            cell.value = clean(cell.value)
            _as_text(cell)


def terminal(text) -> str:
    """``text`` safe to print: no escape sequences, no control characters but newline and tab."""
    text = "" if text is None else str(text)
    return _TERMINAL_CONTROLS.sub("", _ESCAPES.sub("", text))


# -- text read from a file ----------------------------------------------------------------------------
# What a county's file may hold that no document should: C0 controls but tab and newline (a workbook's
# _x0001_ escapes arrive decoded as these), DEL and the C1 controls, lone surrogates, the bidi embeddings,
# overrides and isolates (U+202A-202E, U+2066-2069) and marks (U+200E/200F/061C) that can make 小区A read as
# another name, and the zero-width characters (U+200B-200D, U+2060-2064, U+FEFF, U+180E) that make two equal-
# looking 项目编号 differ. Carriage returns are line ends (CR LF, CR: newline), not findings.
_INBOUND = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064"
                      "\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff]")
# a line break in the program it came from (Word's manual line break is a vertical tab on the clipboard)
_LINE_BREAKS = frozenset("\x0b\x0c\x85\u2028\u2029")


def _kind_of(ch: str) -> tuple[str, str]:
    o = ord(ch)
    if ch in _LINE_BREAKS:
        return "换行类控制字符", "line-break control"
    if 0xD800 <= o <= 0xDFFF:
        return "孤立代理项", "lone surrogate"
    if 0x202A <= o <= 0x202E or 0x2066 <= o <= 0x2069 or o in (0x200E, 0x200F, 0x061C):
        return "双向文本控制符", "bidi control"
    if 0x200B <= o <= 0x200D or 0x2060 <= o <= 0x2064 or o in (0xFEFF, 0x180E):
        return "零宽字符", "zero-width character"
    return "控制字符", "control character"


@dataclass(frozen=True)
class Inbound:
    """What ``inbound`` changed in one text: the characters (as U+XXXX) and their kinds, in order."""
    text: str
    codes: tuple[str, ...]
    kinds_zh: tuple[str, ...]
    kinds_en: tuple[str, ...]

    def describe(self, lang: str = "zh") -> str:
        codes = "、".join(self.codes) if lang != "en" else ", ".join(self.codes)
        kinds = ("、".join(self.kinds_zh) if lang != "en" else ", ".join(self.kinds_en))
        return f"{kinds}（{codes}）" if lang != "en" else f"{kinds} ({codes})"


def has_hostile(text: str) -> bool:
    """Whether ``inbound`` would change ``text`` beyond its line ends (one search in C)."""
    return _INBOUND.search(text) is not None


def inbound(text: str) -> Inbound | None:
    """``text`` as read from a file, made safe once for every output: None when nothing in it needs it
    (the usual case: one search in C), else the cleaned text and what was changed.

    Line-break controls (vertical tab, form feed, NEL, U+2028/2029) become a newline, a lone surrogate becomes
    U+FFFD (a visible mark where a character was lost), every other character of ``_INBOUND`` is dropped.
    CR LF and a lone CR become a newline without a word (they are line ends: ``codes`` is empty when that is
    all). Tab stays (a cell may hold one; an XLSX writer neutralises a leading one as a formula start)."""
    if _INBOUND.search(text) is None:
        return None if "\r" not in text else Inbound(text.replace("\r\n", "\n").replace("\r", "\n"), (), (), ())
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    codes, zh, en = [], [], []
    for ch in dict.fromkeys(_INBOUND.findall(text)):
        codes.append(f"U+{ord(ch):04X}")
        kz, ke = _kind_of(ch)
        if kz not in zh:
            zh.append(kz)
            en.append(ke)

    def swap(m: re.Match) -> str:
        ch = m.group()
        if ch in _LINE_BREAKS:
            return "\n"
        return "\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ""
    return Inbound(_INBOUND.sub(swap, text), tuple(codes), tuple(zh), tuple(en))


def inbound_text(text: str) -> str:
    """``inbound(text)``'s text (``text`` itself when nothing needed changing): for callers that report
    nothing per value (a name a command prints)."""
    if text.__class__ is not str:
        return text
    done = inbound(text)
    return text if done is None else done.text
