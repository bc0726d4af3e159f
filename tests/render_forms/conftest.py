"""Fixtures of the form tests: a nasty workbook, and readers for DOCX/PDF text and PDF fonts."""
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "render_forms"


def docx_text(path) -> str:
    """The text of a DOCX body (runs joined, XML entities decoded)."""
    from lxml import etree
    xml = zipfile.ZipFile(path).read("word/document.xml")
    root = etree.fromstring(xml)
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return "".join(t.text or "" for t in root.iter(ns + "t"))


def docx_header_text(path) -> str:
    """The text of every page header of a DOCX (odd and even): where labels printed on every page live."""
    from lxml import etree
    zf = zipfile.ZipFile(path)
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return "".join(t.text or "" for name in sorted(zf.namelist()) if name.startswith("word/header")
                   for t in etree.fromstring(zf.read(name)).iter(ns + "t"))


def pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", out)


def pdf_fonts(path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


@pytest.fixture
def read():
    """read.docx_text(path), read.pdf_text(path), read.pdf_fonts(path)."""
    return SimpleNamespace(docx_text=docx_text, docx_header_text=docx_header_text, pdf_text=pdf_text, pdf_fonts=pdf_fonts)


@pytest.fixture
def nasty_plan(tmp_path):
    """A county workbook with names holding & < > " ' 镕 喆 emoji, '../' and '/' (copied: inputs stay untouched)."""
    dst = tmp_path / "nasty-names.xlsx"
    shutil.copy(FIXTURES / "nasty-names.xlsx", dst)
    return dst


def has_poppler() -> bool:
    return shutil.which("pdftotext") is not None and shutil.which("pdffonts") is not None


@pytest.fixture(scope="session")
def issued(tmp_path_factory):
    """Every document kind gaizao issues, built once (tests/support/issued.py)."""
    from support.issued import build_all
    return build_all(tmp_path_factory.mktemp("issued"))
