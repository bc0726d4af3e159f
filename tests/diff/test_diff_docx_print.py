"""The 新旧对照表 DOCX as a leader reads and signs it (issue 8, item 4), measured in LibreOffice's print of it."""
from __future__ import annotations

import docx
import pytest

from support.office import convert_to_pdf
from support.pdfgeom import off_page, page_count, pages_text


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    from generator.diff import diff_policies
    from generator.diff.render_docx import to_docx
    from generator.policy import load_policy
    work = tmp_path_factory.mktemp("duizhao")
    old, new = load_policy("xuchang/2023"), load_policy("xuchang/2024-draft")
    diff = diff_policies(old, new)
    path = work / "duizhao.docx"
    path.write_bytes(to_docx(diff))
    (pdf,) = convert_to_pdf([path], work)
    return {"diff": diff, "docx": path, "pdf": pdf, "old": old.policy, "new": new.policy}


def _paragraphs(path):
    return [p.text for p in docx.Document(path).paragraphs]


def test_header_names_the_documents_not_internal_ids(table):
    head = "\n".join(_paragraphs(table["docx"])[:5])
    for p in (table["old"], table["new"]):
        assert p.document.doc_number.value in head and f"{p.year}年" in head
    assert "原规定：许百城提质办〔2023〕3号《许昌市2023年城镇老旧小区改造工作实施方案》（2023年，已印发）" in head
    assert "（2024年，草案，示例草案）" in head
    assert "xuchang/" not in head and "版本" not in head and "1.0.0" not in head


def _cells(path):
    return "\n".join(c.text for t in docx.Document(path).tables for r in t.rows for c in r.cells)


def test_dates_worded_by_month_and_day_and_erratum_counted_from_correction(table):
    text = _cells(table["docx"])
    assert "由6月30日调整为5月31日（年内提前30天）" in text
    assert "按勘误后的2023年3月15日计" in text and "年内推迟31天" in text
    assert "762" not in text and "336" not in text


def test_sign_off_block_with_date_lines_never_alone(table):
    doc = docx.Document(table["docx"])
    (grid,) = doc.tables
    closing = grid.rows[-1].cells[0]                  # the summary and the block: the table's last row, merged
    assert len({id(c._tc) for c in grid.rows[-1].cells}) == 1
    paras = [p.text for p in closing.paragraphs]
    for role in ("拟稿", "审核", "签发"):
        (line,) = [p for p in paras if p.startswith(role + "：")]
        assert "日期：" in line and line.endswith("年　　月　　日")
    assert not [p for p in _paragraphs(table["docx"]) if p.startswith(("拟稿", "审核", "签发"))]
    pages = [t.replace(" ", "") for t in pages_text(table["pdf"])]
    last = next(t for t in pages if "签发" in t)
    assert "拟稿" in last and "审核" in last                     # the block stays together
    assert table["diff"].summary("zh").replace(" ", "") in last  # with the summary of the table
    # ... and with the last clause row: the block is a row, the clause row above it keeps with it (issue 21.4)
    assert table["diff"].rows[-1].clause.replace(" ", "") in last


def test_every_page_fits(table):
    assert off_page(table["pdf"], 0) == []
    # margins 25 mm; page numbers 12 mm from the edge; the draft's label (示例草案) in the header above the text
    assert [o for o in off_page(table["pdf"], (25, 25, 10, 25))
            if not (o.kind == "char" and o.text in "示例草案" and o.bbox_mm[3] < 25)] == []
    assert page_count(table["pdf"]) <= 8          # 27 changes of the 2024 示例草案 (改造范围 included)
