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
