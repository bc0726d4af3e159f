import datetime as dt
import io
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "data" / "year-2023" / "2023-02-24-禹州市-方案.xlsx"


@pytest.fixture
def reg(tmp_path, policy2023):
    """A register holding 禹州市's February plan (projects XC01-001 ... XC01-008)."""
    from generator.register import Register
    r = Register(tmp_path / "r.db")
    r.add(PLAN, received=dt.date(2023, 2, 24), by="登记员", policy=policy2023)
    return r


@pytest.fixture
def life(reg):
    from generator.life import Life
    return Life(reg.path)


def jpeg_bytes(w=32, h=24) -> bytes:
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (200, 30, 30)).save(buf, "JPEG")
    return buf.getvalue()


def png_bytes(w=32, h=24) -> bytes:
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (30, 30, 200)).save(buf, "PNG")
    return buf.getvalue()


def docx_bytes() -> bytes:
    from docx import Document
    buf = io.BytesIO()
    d = Document()
    d.add_paragraph("施工合同")
    d.save(buf)
    return buf.getvalue()


def pdf_bytes(extra: bytes = b"") -> bytes:
    body = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R" + extra + b" >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    return body


@pytest.fixture(autouse=True)
def _register_backend(backend, request, monkeypatch):
    """Every test here runs twice: on SQLite files and on the tests' PostgreSQL server (issue 22.7)."""
    backend.apply(request, monkeypatch)
