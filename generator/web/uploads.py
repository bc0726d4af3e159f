"""What an uploaded file is, judged by its bytes and not by its name.

The reader (generator.ledger.reader) picks its parser by suffix, so the web gives it a name whose suffix
matches the content: a ZIP container is read as .xlsx whatever it was called; text is read as the
CSV/YAML/JSON its name says, and a text file called .xlsx (or a .json that is not JSON-shaped) is refused
with what to do. Everything past this point is the CLI's own reading and validation (register.add).
"""
from __future__ import annotations

from pathlib import PurePath

from generator.errors import InputError
from generator.fileio import safe_filename

TEXT_SUFFIXES = {".csv": "csv", ".txt": "csv", ".yaml": "yaml", ".yml": "yaml", ".json": "json"}
ACCEPT = ".xlsx,.xlsm,.csv,.yaml,.yml,.json"


def _refuse(name: str, zh: str, en: str) -> InputError:
    return InputError(zh, en, location=name)


def sniff(data: bytes, name: str) -> str:
    """The file name to read ``data`` under (its suffix set by the content), or InputError."""
    shown = safe_filename(PurePath((name or "").replace("\\", "/")).name or "上传文件")
    stem, suffix = PurePath(shown).stem or "上传文件", PurePath(shown).suffix.lower()
    if not data:
        raise _refuse(shown, "文件是空的（0 字节）：请重新选择填好的工作簿", "the file is empty (0 bytes)")
    head = data[:8]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return f"{stem}.xlsx"                   # Office Open XML: the reader checks it is a workbook
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse(shown, "这是旧版 Excel（.xls）或 Word 文件：请在 Excel 中“另存为 .xlsx 工作簿”后再上传",
                      "an old .xls/.doc file: save it as an .xlsx workbook in Excel, then upload it")
    if head.startswith(b"%PDF"):
        raise _refuse(shown, "这是 PDF 文件：请上传填好的 .xlsx 工作簿（PDF 无法读取数据）",
                      "a PDF: upload the filled-in .xlsx workbook (data cannot be read from a PDF)")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _refuse(shown, "不是工作簿，也不是文本文件：请上传 .xlsx 工作簿（或 CSV / YAML / JSON）",
                      "neither a workbook nor a text file: upload an .xlsx workbook (or CSV/YAML/JSON)")
    kind = TEXT_SUFFIXES.get(suffix)
    if kind is None:
        if suffix in (".xlsx", ".xlsm"):
            raise _refuse(shown, "文件名是 .xlsx，但内容不是 Excel 工作簿（可能是改了扩展名的文本）：请在 Excel 中打开并另存为 .xlsx",
                          "named .xlsx but not an Excel workbook (a renamed text file?): save it as .xlsx in Excel")
        raise _refuse(shown, "不支持的文件类型：请上传 .xlsx 工作簿，或 .csv / .yaml / .json 文件",
                      "unsupported file type: upload an .xlsx workbook or a .csv/.yaml/.json file")
    if kind == "json" and not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
        raise _refuse(shown, "文件名是 .json，但内容不是 JSON：请检查文件", "named .json but not JSON")
    return f"{stem}{suffix}"
