"""Hostile evidence files: every one refused with a located message, the genuine ones kept by content."""
import io
import struct
import zipfile

import pytest

from generator.life import evidence as E
from tests.life.conftest import docx_bytes, jpeg_bytes, pdf_bytes, png_bytes


def refused(data: bytes, name: str = "证据.jpg", match: str = "") -> str:
    with pytest.raises(E.EvidenceError) as info:
        E.check(data, name)
    assert info.value.location == name            # located at the file the user gave
    assert match in info.value.message, info.value.message
    return info.value.message


@pytest.mark.parametrize("make,kind", [(jpeg_bytes, "jpeg"), (png_bytes, "png"), (pdf_bytes, "pdf"),
                                       (docx_bytes, "docx")])
def test_genuine_files_are_kept_by_their_content(make, kind):
    ev = E.check(make(), "现场照片")
    assert ev.type == kind and ev.name == "现场照片" + E.TYPES[kind]


def test_type_is_judged_by_content_not_by_name():
    ev = E.check(png_bytes(), "photo.jpg")
    assert ev.type == "png" and ev.name == "photo.jpg.png"
    refused(b"MZ\x90\x00 this is an exe" * 10, "合同.pdf", "内容不是")
    refused(b"<html><script>alert(1)</script></html>", "x.jpg", "内容不是")


def test_a_200_mb_photo_is_refused_without_reading_it_all(tmp_path):
    p = tmp_path / "大照片.jpg"
    with open(p, "wb") as fh:
        fh.write(jpeg_bytes())
        fh.truncate(200 * 1024 * 1024)           # sparse: 200 MB on paper
    with pytest.raises(E.EvidenceError) as info:
        E.read(p)
    assert "超过30 MB" in info.value.message and info.value.location == str(p)


def test_the_size_limit_is_exact():
    data = jpeg_bytes()
    at_limit = data[:-2] + b"\x00" * (E.MAX_BYTES - len(data)) + b"\xff\xd9"
    assert len(at_limit) == E.MAX_BYTES and E.check(at_limit, "a.jpg").size == E.MAX_BYTES
    refused(at_limit + b"\x00", "a.jpg", "超过")


@pytest.mark.parametrize("given,stored", [
    ("../../etc/passwd.jpg", "passwd.jpg"),
    ("..\\..\\Windows\\win.ini.jpg", "win.ini.jpg"),
    ("/abs/path/现场.jpg", "现场.jpg"),
    ("..", "_.jpg"),
    ("a/..jpg", "_jpg.jpg"),
])
def test_names_with_folders_keep_only_a_safe_last_part(given, stored):
    ev = E.check(jpeg_bytes(), given)
    assert ev.name == stored and "/" not in ev.name and "\\" not in ev.name and ".." not in ev.name


def _zip(entries: dict, *, method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for n, d in entries.items():
            zf.writestr(n, d)
    return buf.getvalue()


def test_zip_bomb_refused():
    bomb = _zip({"[Content_Types].xml": b"wordprocessingml", "word/document.xml": b"\x00" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    refused(bomb, "合同.docx", "压缩炸弹")


def test_zip_with_too_many_entries_refused():
    many = _zip({"[Content_Types].xml": b"wordprocessingml", "word/document.xml": b"x",
                 **{f"word/media/{i}.xml": b"" for i in range(E.MAX_ZIP_ENTRIES)}})
    refused(many, "合同.docx", "个文件")


def test_zip_entry_escaping_the_archive_refused():
    refused(_zip({"[Content_Types].xml": b"wordprocessingml", "word/document.xml": b"x", "../../evil.sh": b"x"}),
            "合同.docx", "指向包外")


def test_a_zip_that_is_not_word_and_a_macro_document_refused():
    refused(_zip({"a.txt": b"x"}), "合同.docx", "不是 Word")
    refused(_zip({"[Content_Types].xml": b"wordprocessingml", "word/document.xml": b"x",
                  "word/vbaProject.bin": b"x"}), "合同.docx", "宏")


def test_polyglots_refused():
    # a photo with a ZIP appended: any unzip opens it
    refused(jpeg_bytes() + docx_bytes(), "照片.jpg", "压缩包")
    # %PDF- inside the first kilobyte of a JPEG (a comment segment): PDF readers open it
    jpg = jpeg_bytes()
    com = b"\xff\xfe" + struct.pack(">H", 2 + 20) + b"%PDF-1.4 hidden pdf."
    refused(jpg[:2] + com + jpg[2:], "照片.jpg", "其他类型的标记")
    # bytes after a PNG's end, and a Word file with data after its directory
    refused(png_bytes() + b"<?php system($_GET['c']); ?>", "图.png")
    refused(png_bytes() + b"\x00" * 16, "图.png", "结束块之后还有16字节")
    refused(docx_bytes() + b"trailing", "合同.docx", "末尾附有")
    # a PDF with a ZIP after %%EOF is not a PDF that ends with %%EOF, nor one without a ZIP
    refused(pdf_bytes() + docx_bytes(), "扫描件.pdf")


def test_pdf_active_content_and_truncation_refused():
    refused(pdf_bytes(b" /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), "扫描件.pdf", "JavaScript")
    refused(pdf_bytes()[:-7], "扫描件.pdf", "不完整")


def test_decompression_bomb_dimensions_refused():
    jpg = bytearray(jpeg_bytes())
    i = jpg.index(b"\xff\xc0")
    jpg[i + 5:i + 9] = struct.pack(">HH", 60000, 60000)
    refused(bytes(jpg), "照片.jpg", "尺寸")
    refused(jpeg_bytes()[:-2] + b"", "照片.jpg", "不完整")


def test_png_with_a_broken_checksum_refused():
    png = bytearray(png_bytes())
    png[20] ^= 0xFF                               # inside IHDR
    refused(bytes(png), "图.png", "校验")


def test_empty_file_refused():
    refused(b"", "空.jpg", "为空")
