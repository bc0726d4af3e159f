"""What a clerk checks before stamping, measured on the PDFs (WeasyPrint) and on the DOCX as LibreOffice prints it.

- the 署名 is centred over the 成文日期 (GB/T 9704 7.3.5.1, sealed document), inside the 版心;
- the 勘误版 says so on page 1 (header mark) and in its file name, and keeps the 文号;
- the 附件说明 never stands alone on a page;
- the missed erratum of 三（五） (《按照…考核办法》) is printed as in the original unless corrected;
- nothing is drawn outside the page: the text inside the 版心 (page numbers and the header mark in their margins),
  and every object on the paper in LibreOffice's rendering of the DOCX.
"""
from __future__ import annotations

import shutil

import pytest

from support.office import convert_to_pdf
from support.pdfgeom import off_page, pages_text
from tests.render_notice.conftest import pdf_words

MARGINS = (37, 26, 35, 28)          # GB/T 9704 版心 margins (top, right, bottom, left) in mm
CHAR_MM = 15.79 * 25.4 / 72        # one 三号 character with the −0.25 pt spacing


@pytest.fixture(scope="module")
def lo_pdfs(rendered, rendered_corrected, tmp_path_factory):
    """Both DOCX converted by LibreOffice in one batch: {'printed': pdf, 'corrected': pdf}."""
    work = tmp_path_factory.mktemp("lo_print")
    a, b = work / "printed.docx", work / "corrected.docx"
    shutil.copy(rendered["docx_path"], a)
    shutil.copy(rendered_corrected[".docx"], b)
    printed, corrected = convert_to_pdf([a, b], work)
    return {"printed": printed, "corrected": corrected}


def _line(words, text):
    """x0, x1 (mm) of the printed line that spells ``text`` (its words share one baseline)."""
    squashed = text.replace(" ", "")
    rows: dict[int, list] = {}
    for w in words:
        rows.setdefault(round(w["y0"]), []).append(w)
    for _, row in sorted(rows.items(), reverse=True):      # from the bottom: the title's first line is the issuer too
        if "".join(w["text"] for w in sorted(row, key=lambda w: w["x0"])).replace(" ", "") == squashed:
            return min(w["x0"] for w in row), max(w["x1"] for w in row)
    raise AssertionError(f"no line spells {text!r}")


def _assert_centred(pdf, ctx):
    words = pdf_words(pdf)[0]
    s0, s1 = _line(words, ctx["signature"])
    d0, d1 = _line(words, ctx["date"])
    assert (s0 + s1) / 2 == pytest.approx((d0 + d1) / 2, abs=1.5)    # centred over the date, not flush right
    right_edge = 210 - MARGINS[1]
    assert right_edge - s1 == pytest.approx(2 * CHAR_MM, abs=2.5)    # 右空二字: inside the 版心, never flush
    assert right_edge - d1 > 4 * CHAR_MM - 2                           # the date at least 右空四字


def test_signature_centred_over_date_in_pdf(rendered):
    _assert_centred(rendered["pdf_path"], rendered["ctx"])


def test_signature_centred_over_date_in_docx(lo_pdfs, rendered):
    _assert_centred(lo_pdfs["printed"], rendered["ctx"])


def test_corrected_edition_marked_on_page_one(rendered, rendered_corrected, lo_pdfs):
    doc_number = rendered["ctx"]["doc_number"]
    for pdf in (rendered_corrected[".pdf"], lo_pdfs["corrected"]):
        first = pages_text(pdf)[0].replace(" ", "")
        assert "勘误版" in first and doc_number.replace(" ", "") in first
    for pdf in (rendered["pdf_path"], lo_pdfs["printed"]):
        assert "勘误版" not in pages_text(pdf)[0]
    assert rendered_corrected[".docx"].name == f"{doc_number}（勘误版）.docx"


def test_attachment_note_never_alone_on_a_page(rendered, lo_pdfs):
    note = rendered["ctx"]["attachment_note"]
    for pdf in (rendered["pdf_path"], lo_pdfs["printed"], lo_pdfs["corrected"]):
        pages = [t.replace(" ", "").replace("\n", "") for t in pages_text(pdf)]
        page = next(t for t in pages if note in t)
        before = page.split(note)[0]
        rest = before.rstrip("—0123456789")
        assert len(rest) > 10, f"{pdf.name}: 附件说明 alone on its page"


def test_missed_erratum_printed_unless_corrected(rendered, rendered_corrected, lo_pdfs):
    wrong, right = "《按照2023年许昌市重点民生实事考核办法》", "按照《2023年许昌市重点民生实事考核办法》"
    printed = "".join(pages_text(rendered["pdf_path"])).replace(" ", "").replace("\n", "")
    corrected = "".join(pages_text(rendered_corrected[".pdf"])).replace(" ", "").replace("\n", "")
    assert wrong in printed and right not in printed
    assert right in corrected and wrong not in corrected
    errata = "".join(pages_text(rendered_corrected["correction_notice"][".pdf"])).replace(" ", "").replace("\n", "")
    assert f"中的“{wrong}”更正为“{right}”" in errata
    # the 更正通知 lists the corrections in reading order of the text: 三（二）, 三（五）, 五
    where = [errata.index(w) for w in ("“三（二）拟定小区改造方案”", "“三（五）做好工作督导验收”", "“五、保障措施”")]
    assert where == sorted(where)


HANGING = set("，。、；：！？”’）》")


def _outside_margins(pdf, hanging_mm: float = 0):
    """Objects outside the 版心 other than the page numbers and the header mark (which belong in the margins).

    ``hanging_mm``: LibreOffice hangs a line-end punctuation mark into the right margin (行尾标点悬挂, as Word does
    for CJK by default; w:overflowPunct="0" does not switch it off in LibreOffice 7). Only such marks, and at most
    one character wide, are allowed past the right edge of the 版心.
    """
    extra = set("—0123456789勘误版") | set("示例草案")
    out = []
    for o in off_page(pdf, MARGINS):
        if o.kind == "char" and o.text in extra:
            continue
        if (hanging_mm and o.kind == "char" and o.text in HANGING and o.bbox_mm[2] <= o.area_mm[2] + hanging_mm
                and o.bbox_mm[0] >= o.area_mm[0] and o.area_mm[1] <= o.bbox_mm[1] <= o.area_mm[3]):
            continue
        out.append(o)
    return out


def test_every_page_fits(rendered, rendered_corrected, lo_pdfs):
    for pdf in (rendered["pdf_path"], rendered_corrected[".pdf"]):
        assert _outside_margins(pdf) == []
        assert off_page(pdf, 5) == []
    for pdf in lo_pdfs.values():
        assert off_page(pdf, 0) == []
        assert _outside_margins(pdf, hanging_mm=CHAR_MM + 0.3) == []
