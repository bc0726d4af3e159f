"""The DOCX laid out by LibreOffice (when installed): 22 lines a page, 28 characters a line, 版头 in place.

Word and WPS are not available here; LibreOffice is the strictest of the three about the character grid
(with Word's linesAndChars grid it puts 14 characters on a line), so it guards the portable grid.
"""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.render_notice.conftest import ROOT, pdf_words

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")


@pytest.fixture(scope="module")
def docx_as_pdf(rendered, tmp_path_factory):
    work = tmp_path_factory.mktemp("lo")
    src = work / "notice.docx"
    src.write_bytes(rendered["docx"])
    env = dict(os.environ, FONTCONFIG_FILE=str(ROOT / "fonts" / "fonts.conf"))
    subprocess.run(["soffice", f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(work), str(src)],
                   env=env, capture_output=True, timeout=180, check=True)
    return work / "notice.pdf"


def test_libreoffice_keeps_the_grid(docx_as_pdf, rendered):
    pages = pdf_words(docx_as_pdf)
    ctx = rendered["ctx"]
    first = "".join(w["text"] for w in pages[0])
    assert ctx["addressee"] in first and ctx["date"].replace(" ", "") in first.replace(" ", "")
    # full pages of the plan; the page before the 附件说明 gives its last paragraph to the note's page (keep-with-next)
    for words in pages[2:-3]:
        lines: dict[float, str] = {}
        for w in words:
            if w["y0"] < 262:
                lines[round(w["y0"], 0)] = lines.get(round(w["y0"], 0), "") + w["text"]
        assert len(lines) == 22
        # a full-width stop may hang past the line end (LibreOffice compresses it), so it is not counted
        cjk = [sum(1 for ch in text.rstrip("，。、；：”）") if ord(ch) > 0x2E80) for text in lines.values()]
        assert max(cjk) == 28
