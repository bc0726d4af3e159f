"""Evidence files (photos, scans, contracts) for a project's life: checked by their content, stored once.

A file is accepted only when its bytes are what its type says, whatever its name claims:

- **JPEG** (photos): starts ``FF D8 FF``; its frame size is read (a 65535 × 65535 "photo" is a decompression
  bomb: refused above ``MAX_PIXELS``); it has an end-of-image marker.
- **PNG** (screenshots): the signature, every chunk walked with its CRC, ``IHDR`` first (size limited like a
  JPEG), ``IEND`` last and nothing after it.
- **PDF** (scans, signed forms): ``%PDF-`` at byte 0 (readers accept it anywhere in the first 1 KB, which is
  how polyglots are made), ``%%EOF`` at the end; active content (``/JavaScript``, ``/Launch``, embedded files)
  is refused: a scan does not need it.
- **DOCX** (contracts): a ZIP that starts at byte 0 and ends with its directory (no bytes before or after),
  with ``[Content_Types].xml`` and ``word/document.xml``; no macros; every name relative and without ``..``;
  at most ``MAX_ZIP_ENTRIES`` entries, ``MAX_UNZIPPED`` bytes unpacked and ``MAX_RATIO`` per entry (a zip bomb
  unpacks to thousands of times its size; a Word file to a few times).

A **polyglot** (one file that two programs read as two types) is refused: a ZIP directory at the end of a
photo or a PDF (any unzip opens it), ``%PDF-`` or HTML in the first kilobyte of anything else.

Sizes: ``MAX_BYTES`` per file (the notice is silent; a phone photo is 3–12 MB, a scanned contract rarely over
20 MB). A bigger file is refused after reading ``MAX_BYTES`` + 1 bytes, never the whole file.

Names: only the last part of the name is kept (``../../etc/passwd`` → ``passwd``, ``C:\\x\\y.jpg`` → ``y.jpg``),
made safe by ``fileio.safe_filename``; the stored name ends in the extension of the type found.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from generator.errors import InputError

MAX_BYTES = 30 * 1024 * 1024          # per evidence file
MAX_FILES = 20                        # per record: photos of one inspection, pages of one contract
MAX_TOTAL = 100 * 1024 * 1024         # per record, all files together (all are held in memory until written)
MAX_PIXELS = 120_000_000              # 120 MP: above every phone camera, far below a bomb's 4 G pixels
MAX_ZIP_ENTRIES = 2000
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_RATIO = 200                       # per entry: XML compresses 5-20x; a bomb 1000x and more

TYPES = {"jpeg": ".jpg", "png": ".png", "pdf": ".pdf", "docx": ".docx"}
TYPE_WORDS = {"jpeg": "JPEG 照片", "png": "PNG 图片", "pdf": "PDF 文件", "docx": "Word 文档（DOCX）"}

_ZIP_END = b"PK\x05\x06"
_ZIP_LOCAL = b"PK\x03\x04"
_FOREIGN_HEAD = (b"%PDF-", b"<html", b"<HTML", b"<script", b"<SCRIPT", b"<?php", b"<svg", b"<!DOCTYPE", b"<!doctype")


class EvidenceError(InputError):
    """An evidence file refused: too big, not the type its content claims, a polyglot or a bomb."""


@dataclass(frozen=True)
class Evidence:
    name: str          # safe file name, with the extension of its type
    type: str          # jpeg | png | pdf | docx
    data: bytes
    size: int
    shown: str         # the name as given (for messages; never used as a path)


def safe_name(given: str, kind: str) -> str:
    """The last part of ``given`` (either slash), made safe, ending in the type's extension."""
    from generator.fileio import safe_filename
    base = re.split(r"[\\/]", str(given))[-1]
    base = base.replace("..", "_").strip() or "_"
    stem, ext = (base.rsplit(".", 1) + [""])[:2] if "." in base else (base, "")
    want = TYPES[kind]
    if f".{ext.lower()}" in (want, ".jpeg" if kind == "jpeg" else want):
        return safe_filename(base)
    return safe_filename(f"{base}{want}")


def read(path: str | Path, *, name: str | None = None) -> Evidence:
    """Read and check the file at ``path`` (reads at most MAX_BYTES + 1 bytes)."""
    p = Path(path)
    shown = name or str(path)
    if not p.is_file():
        raise EvidenceError("找不到证据文件或不是文件", "evidence file not found or not a file", location=shown)
    with open(p, "rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    return check(data, name or p.name, shown=shown)


def check(data: bytes, name: str, *, shown: str | None = None) -> Evidence:
    """``data`` checked by its content (module doc); raises EvidenceError located at the file's name."""
    shown = shown or name
    if len(data) > MAX_BYTES:
        raise EvidenceError(f"证据文件超过{MAX_BYTES // (1024 * 1024)} MB，不予接收（请压缩照片或分页扫描）",
                            f"evidence file larger than {MAX_BYTES // (1024 * 1024)} MB: refused", location=shown)
    if not data:
        raise EvidenceError("证据文件为空", "evidence file is empty", location=shown)
    kind = sniff(data)
    if kind is None:
        raise EvidenceError("证据文件的内容不是 JPEG、PNG、PDF 或 Word（DOCX）文件（按内容判断，不看扩展名）",
                            "evidence content is not JPEG, PNG, PDF or DOCX (judged by content, not by name)",
                            location=shown)
    _polyglot(data, kind, shown)
    {"jpeg": _jpeg, "png": _png, "pdf": _pdf, "docx": _docx}[kind](data, shown)
    return Evidence(safe_name(name, kind), kind, data, len(data), shown)


def sniff(data: bytes) -> str | None:
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:5] == b"%PDF-":
        return "pdf"
    if data[:4] == _ZIP_LOCAL:
        return "docx"
    return None


def _refuse(what: str, what_en: str, shown: str) -> NoReturn:
    raise EvidenceError(f"证据文件不予接收：{what}", f"evidence refused: {what_en}", location=shown)


def _polyglot(data: bytes, kind: str, shown: str) -> None:
    head = data[:1024]
    for sig in _FOREIGN_HEAD:
        if sig in head and not (kind == "pdf" and sig == b"%PDF-"):
            _refuse(f"文件开头含有其他类型的标记（{sig.decode()}），可能是伪装文件",
                    f"its first kilobyte carries another type's marker ({sig.decode()}): a polyglot", shown)
    if kind != "docx" and _ZIP_END in data[-65557:]:
        _refuse(f"{TYPE_WORDS[kind]}末尾附有压缩包（ZIP），可能是伪装文件", f"a ZIP archive is appended to the {kind}", shown)


def _pixels(w: int, h: int, shown: str) -> None:
    if w == 0 or h == 0:
        _refuse("图片尺寸为零", "image has no pixels", shown)
    if w * h > MAX_PIXELS:
        _refuse(f"图片尺寸{w}×{h}过大（超过{MAX_PIXELS // 1_000_000}百万像素），可能是解压炸弹",
                f"image {w}x{h} exceeds {MAX_PIXELS // 1_000_000} megapixels: a decompression bomb?", shown)


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg(data: bytes, shown: str) -> None:
    """Walk the segments to the first frame header (size) and require an end-of-image marker."""
    i, n, size = 2, len(data), None
    while i + 4 <= n and size is None:
        if data[i] != 0xFF:
            _refuse("JPEG 结构损坏（段标记错误）", "broken JPEG (bad segment marker)", shown)
        marker = data[i + 1]
        if marker == 0xFF:                     # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        if marker in (0xD9, 0xDA):
            break                              # end, or scan data before any frame header: no size
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if length < 2 or i + 2 + length > n:
            _refuse("JPEG 结构损坏（段长度越界）", "broken JPEG (segment runs past the end)", shown)
        if marker in _SOF and length >= 7:
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            size = (w, h)
        i += 2 + length
    if size is None:
        _refuse("JPEG 没有图像帧（无尺寸信息）", "JPEG without a frame header", shown)
    _pixels(size[0], size[1], shown)
    if b"\xff\xd9" not in data[i:]:
        _refuse("JPEG 不完整（没有结束标记，可能传输中断）", "truncated JPEG (no end-of-image marker)", shown)


def _png(data: bytes, shown: str) -> None:
    i, n, first = 8, len(data), True
    while True:
        if i + 12 > n:
            _refuse("PNG 不完整（缺少结束块 IEND）", "truncated PNG (no IEND)", shown)
        length, ctype = struct.unpack(">I4s", data[i:i + 8])
        end = i + 12 + length
        if end > n:
            _refuse("PNG 结构损坏（数据块越界）", "broken PNG (chunk runs past the end)", shown)
        body = data[i + 8:i + 8 + length]
        if struct.unpack(">I", data[end - 4:end])[0] != zlib.crc32(ctype + body) & 0xFFFFFFFF:
            _refuse(f"PNG 数据块 {ctype.decode('latin-1')} 校验和错误（文件损坏或被改动）",
                    f"PNG chunk {ctype.decode('latin-1')} fails its CRC", shown)
        if first:
            if ctype != b"IHDR" or length != 13:
                _refuse("PNG 第一个数据块不是 IHDR", "PNG does not start with IHDR", shown)
            w, h = struct.unpack(">II", body[:8])
            _pixels(w, h, shown)
            first = False
        i = end
        if ctype == b"IEND":
            break
    if i != n:
        _refuse(f"PNG 结束块之后还有{n - i}字节数据（可能夹带其他文件）", f"{n - i} bytes after the PNG's IEND", shown)


# long names only: a short key (/JS) turns up by chance in a 20 MB scan's compressed images; an action with /JS
# names /S /JavaScript. (Keys inside compressed object streams are not seen: not a PDF parser.)
_PDF_ACTIVE = (b"/JavaScript", b"/Launch", b"/EmbeddedFile", b"/RichMedia")


def _pdf(data: bytes, shown: str) -> None:
    if not re.match(rb"%PDF-[12]\.\d", data[:8]):
        _refuse("PDF 版本标记错误", "bad PDF header", shown)
    if b"%%EOF" not in data[-1024:]:
        _refuse("PDF 不完整（末尾没有 %%EOF，可能传输中断或附有其他数据）",
                "truncated PDF (no %%EOF at its end) or data appended", shown)
    for key in _PDF_ACTIVE:
        if re.search(re.escape(key) + rb"(?![A-Za-z])", data):
            _refuse(f"PDF 含有可执行或嵌入内容（{key.decode()}），证据材料不应含此类内容",
                    f"PDF carries active or embedded content ({key.decode()})", shown)


def _docx(data: bytes, shown: str) -> None:
    end = data.rfind(_ZIP_END)
    if end < 0 or end + 22 > len(data):
        _refuse("压缩包结构损坏（没有目录）", "broken ZIP (no end of central directory)", shown)
    comment_len = struct.unpack("<H", data[end + 20:end + 22])[0]
    if end + 22 + comment_len != len(data):
        _refuse("Word 文件末尾附有其他数据（可能是伪装文件）", "data after the DOCX's ZIP directory", shown)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        _refuse(f"压缩包无法读取（{exc}）", f"unreadable ZIP ({exc})", shown)
    if len(infos) > MAX_ZIP_ENTRIES:
        _refuse(f"压缩包含{len(infos)}个文件（上限{MAX_ZIP_ENTRIES}），不是正常的 Word 文件",
                f"{len(infos)} entries (limit {MAX_ZIP_ENTRIES})", shown)
    if infos and min(i.header_offset for i in infos) != 0:
        _refuse("压缩包前面附有其他数据（可能是伪装文件）", "data before the ZIP", shown)
    total = 0
    names = set()
    for info in infos:
        name = info.filename
        if name.startswith(("/", "\\")) or ".." in re.split(r"[\\/]", name) or re.match(r"^[A-Za-z]:", name):
            _refuse(f"压缩包内文件名“{name}”指向包外（../ 或绝对路径）", f"entry {name!r} points outside the archive",
                    shown)
        if info.flag_bits & 0x1:
            _refuse("Word 文件已加密，无法核对内容", "encrypted DOCX", shown)
        total += info.file_size
        if total > MAX_UNZIPPED:
            _refuse(f"解压后超过{MAX_UNZIPPED // (1024 * 1024)} MB，可能是压缩炸弹",
                    f"unpacks to more than {MAX_UNZIPPED // (1024 * 1024)} MB: a zip bomb?", shown)
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            _refuse(f"压缩包内“{name}”压缩比{info.file_size // max(info.compress_size, 1)}倍，可能是压缩炸弹",
                    f"entry {name!r} expands {info.file_size // max(info.compress_size, 1)}x: a zip bomb?", shown)
        names.add(name)
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        _refuse("压缩包不是 Word 文档（缺少 word/document.xml）", "a ZIP but not a Word document", shown)
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        _refuse("Word 文件含有宏，不予接收（请另存为不含宏的 .docx）", "DOCX with macros", shown)
    try:    # the content types are small: read at most what they declare, plus one byte
        with zf.open("[Content_Types].xml") as fh:
            ct = fh.read(min(zf.getinfo("[Content_Types].xml").file_size, 1024 * 1024) + 1)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError) as exc:
        _refuse(f"压缩包内容无法读取（{exc}）", f"unreadable ZIP entry ({exc})", shown)
    if b"wordprocessingml" not in ct:
        _refuse("压缩包不是 Word 文档", "a ZIP but not a Word document", shown)
    if b"macroEnabled" in ct:
        _refuse("Word 文件含有宏，不予接收", "DOCX with macros", shown)
