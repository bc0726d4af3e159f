"""The documents as printed: every PDF (WeasyPrint, and LibreOffice's print of the DOCX/XLSX) stays on the
page, in the GB/T 9704 版心 for the 公文; the 文号 is a blank field; 示例数据 is on sample output.
All documents are written once per module through the CLI and converted in one LibreOffice call."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from support.office import convert_to_pdf
from support.pdfgeom import off_page, page_size_mm, pages_text
from generator.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample-禹州市.xlsx"
# GB/T 9704 版心: 37 mm top, 26 right, 35 bottom, 28 left; the page number and the 示例数据 mark sit in the
# bottom and top margins, so only the sides are the 版心's and top/bottom are checked against the paper
GW_MARGINS = (5, 26, 5, 28)
SCORES = """# 示例数据
mid-year: {禹州市: 90, 长葛市: 88, 襄城县: 88, 魏都区: 92, 建安区: 80}
year-end: {禹州市: 90, 长葛市: 88, 襄城县: 88, 魏都区: 92, 建安区: 80}
"""


# LibreOffice hangs a line-end punctuation mark into the right margin (行尾标点悬挂, as Word does for CJK);
# such a mark, at most one 三号 character (5.64 mm) past the 版心, is allowed in its prints of the DOCX
HANGING = set("，。、；：！？”’）》")
CHAR_MM = 16 / 72 * 25.4


def letter_rule(o) -> bool:
    """The 信函格式's red double lines are 170 mm on the 156 mm 版心 by the standard [GB/T 9704 10.1]."""
    return o.kind in ("rect", "line") and abs((o.bbox_mm[2] - o.bbox_mm[0]) - 170) < 1.5 and o.bbox_mm[3] - o.bbox_mm[1] < 2


def outside_type_area(pdf):
    return [o for o in off_page(pdf, GW_MARGINS)
            if not (o.kind == "char" and o.text in HANGING and o.bbox_mm[2] <= o.area_mm[2] + CHAR_MM + 0.3
                    and o.bbox_mm[0] >= o.area_mm[0]) and not letter_rule(o)]


def run(*args):
    r = CliRunner().invoke(main, [*map(str, args)])
    assert r.exit_code == 0, r.output
    return r.output


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    d = tmp_path_factory.mktemp("reports")
    run("report", "kaigong", SAMPLE, "--as-of", "2023-06-01", "-o", d / "kaigong")
    run("report", "tongbao", SAMPLE, "--as-of", "2023-08-15", "-o", d / "tongbao")
    (d / "scores.yaml").write_text(SCORES, encoding="utf-8")
    text = run("report", "results", "--scores", d / "scores.yaml", "--weights", "mid-year=0.4,year-end=0.6",
               "-o", d / "results")
    assert "待研究确定" in text
    mistakes = ROOT / "data" / "mistakes" / "mistakes-建安区.xlsx"
    run("report", "feedback", mistakes, "--as-of", "2023-12-31", "-o", d / "feedback")
    office = sorted(d.glob("*/*.docx")) + sorted(d.glob("kaigong/*.xlsx"))
    lo = d / "lo"
    pdfs = convert_to_pdf(office, lo)
    return d, dict(zip([p.name for p in office], pdfs))


def one(d: Path, sub: str, ext: str) -> Path:
    files = list((d / sub).glob(f"*.{ext}"))
    assert len(files) == 1, files
    return files[0]


@pytest.mark.parametrize("sub", ["tongbao", "results", "feedback"])
def test_gongwen_pdfs_fit_the_type_area(out, sub):
    d, _ = out
    pdf = one(d, sub, "pdf")
    w, h = page_size_mm(pdf)
    assert round(w) == 210 and round(h) == 297
    assert [o for o in off_page(pdf, GW_MARGINS) if not letter_rule(o)] == []
    pages = [t.replace(" ", "") for t in pages_text(pdf)]
    text = "".join(pages)
    assert "许百城提质办〔" in text and "〕号" in text and "2023〕3号〕" not in text
    assert all("示例数据" in t for t in pages) and "许昌市百城建设提质工程指挥部办公室" in text


def test_gongwen_docx_print_in_libreoffice_inside_the_type_area(out):
    d, lo = out
    for name, pdf in lo.items():
        if not name.endswith(".docx"):
            continue
        assert off_page(pdf, 0) == [] and outside_type_area(pdf) == [], name
        pages = [t.replace(" ", "") for t in pages_text(pdf)]
        assert "〔〕号" in "".join(pages).replace("　", ""), name
        assert all("示例数据" in t for t in pages), name              # odd and even pages alike


def test_docx_tables_repeat_their_header_and_keep_rows_whole(out):
    d, _ = out
    xml = zipfile.ZipFile(one(d, "feedback", "docx")).read("word/document.xml").decode("utf-8")
    assert "<w:tblHeader/>" in xml and "<w:cantSplit/>" in xml
    # 信函格式: the issuer's name over a red double line, no 文件格式 文号 rule [GB/T 9704 10.1]
    assert 'w:val="GWBanner"' in xml and 'w:val="GWDocNumber"' not in xml and 'w:val="thickThinSmallGap"' in xml
    # schema order in w:tblPr (Word refuses a file otherwise): borders, cell margins, then tblLook
    assert xml.index("<w:tblBorders>") < xml.index("<w:tblCellMar>") < xml.index("<w:tblLook")
    # the grid carries the column widths (LibreOffice lays the table out from it): not all equal
    import re
    cols = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', xml)]
    assert len(set(cols)) > 1 and abs(sum(cols) - (11906 - 1588 - 1474)) < len(cols)


def test_results_pdf_does_not_name_tied_counties_excellent(out):
    d, _ = out
    text = "".join(pages_text(one(d, "results", "pdf"))).replace(" ", "").replace("\n", "")
    assert "魏都区、禹州市为2023年" in text and "待研究确定" in text
    # the weights by value; no option syntax, no provenance remark (issue 21.1)
    assert "--weights" not in text and "市百城办确定" not in text and "政策未规定" not in text


def test_kaigong_pdf_and_xlsx_fit_a_landscape_page(out):
    d, lo = out
    pdf = one(d, "kaigong", "pdf")
    w, h = page_size_mm(pdf)
    assert round(w) == 297 and round(h) == 210
    assert off_page(pdf, (5, 12, 5, 12)) == []
    pages = pages_text(pdf)
    text = "".join(pages)
    assert all("示例数据" in t for t in pages) and ("可以开工" in text or "暂不具备开工条件" in text)
    xlsx_pdf = lo[one(d, "kaigong", "xlsx").name]
    w, h = page_size_mm(xlsx_pdf)
    assert round(w) == 297 and round(h) == 210
    # inside the printable area the workbook declares (LibreOffice prints 第N页 past a footer distance that
    # leaves the footer line no room)
    from openpyxl import load_workbook
    m = load_workbook(one(d, "kaigong", "xlsx")).active.page_margins
    inch = 25.4
    declared = (min(m.top, m.header) * inch, m.right * inch, min(m.bottom, m.footer) * inch, m.left * inch)
    assert off_page(xlsx_pdf, declared) == []
    # fit to width: the reasons column (the last) is printed, not cut onto a second page across
    assert "原因" in pages_text(xlsx_pdf)[0]
