"""开工认定核查表 as printed: every page fits, a long form continues on a labelled 续页, the merged county
PDF has a cover, an index that tells the real pages and page numbers, nothing is judged in advance, the DOCX
is valid OOXML that LibreOffice lays out the same way, and DOCX and PDF come from one layout.

Measured from the files themselves (pdfplumber geometry, pdftotext, the DOCX XML). The stress fixture
(tests/fixtures/stress, 测试数据) is rendered for a slice of its 190 projects to keep the test fast; the slice
holds the 60-character name, the contradiction and the longest texts (every project of it has them).
"""
from __future__ import annotations

import dataclasses

import re
import subprocess
import zipfile
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from lxml import etree

from generator.cli import main
from support.pdfgeom import off_page

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample-长葛市.xlsx"
STRESS = ROOT / "tests" / "fixtures" / "stress" / "stress-魏都区.xlsx"
MARGINS = (25, 26, 20, 28)            # checklist.css @page and checklist_layout._form_page (top, right, bottom, left)
HEADER_BAND = (8, MARGINS[0] + 0.6)   # the 续页 line sits in the top margin
FOOTER_BAND = (297 - MARGINS[2] - 0.6, 297 - 8)   # page numbers "— N —" in the bottom margin
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SLICE = 6


def _render(plan_path, out, *, n=None, **kw):
    from generator.ledger.reader import read_plan
    from generator.policy import load_policy
    from generator.render.checklists import render_checklists
    lp = load_policy("xuchang/2023")
    plan = read_plan(plan_path, lp)
    if n:
        plan.projects = plan.projects[:n]
    return render_checklists(plan_path, lp, out, plan=plan, show_progress=False, **kw)


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    base = tmp_path_factory.mktemp("checklists-print")
    files = {}
    for key, plan in (("sample", SAMPLE), ("stress", STRESS)):
        w = _render(plan, base / key, n=SLICE, pdf=True, merge=True)
        files[key] = {"docx": w["docx"], "pdf": [p for p in w["pdf"] if "_开工认定核查表" not in p.name],
                      "merged": [p for p in w["pdf"] if "_开工认定核查表" in p.name][0]}
    return files


@pytest.fixture(scope="module")
def office(out, tmp_path_factory):
    """The first two DOCX of sample and stress, opened and printed by LibreOffice (one batch)."""
    from support.office import convert_to_pdf
    docx = out["sample"]["docx"][:2] + out["stress"]["docx"][:2]
    pdfs = convert_to_pdf(docx, tmp_path_factory.mktemp("lo"))
    return {"sample": pdfs[:2], "stress": pdfs[2:]}


def pages_text(pdf) -> list[str]:
    """Per page, in drawing order (WeasyPrint and LibreOffice draw in document order), spaces removed."""
    raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [re.sub(r"\s+", "", p) for p in raw.split("\f")[:-1]]


def layout_lines(pdf) -> list[str]:
    raw = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return raw.splitlines()


def outside_bands(pdf) -> list:
    """Drawn objects outside the form's printable area, except the 续页 line and page numbers in their bands."""
    bad = []
    for o in off_page(pdf, MARGINS):
        x0, top, x1, bottom = o.bbox_mm
        in_margin_x = x0 >= MARGINS[3] - 0.6 and x1 <= 210 - MARGINS[1] + 0.6
        band = (HEADER_BAND[0] <= top and bottom <= HEADER_BAND[1]) or (FOOTER_BAND[0] <= top and bottom <= FOOTER_BAND[1])
        if not (o.kind == "char" and in_margin_x and band):
            bad.append(o)
    return bad


# -- every page fits ------------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("key", ["sample", "stress"])
def test_every_pdf_page_fits_the_form_margins(out, key):
    for pdf in out[key]["pdf"] + [out[key]["merged"]]:
        bad = outside_bands(pdf)
        assert not bad, f"{pdf.name}: " + "; ".join(map(str, bad[:5]))
        assert off_page(pdf, 8) == []                      # not even the bands come near the paper's edge


@pytest.mark.slow
def test_sample_form_is_one_page_stress_form_continues_on_a_labelled_page(out):
    for pdf in out["sample"]["pdf"]:
        assert len(pypdf.PdfReader(pdf).pages) == 1, pdf.name
    for pdf in out["stress"]["pdf"]:
        pages = pages_text(pdf)
        own = pdf.name.split("_")[0]
        assert len(pages) == 2, pdf.name                   # 300-char texts, 8 channels, 60-char name: one more page
        assert "（续页）" not in pages[0]
        assert "（续页）" in pages[1] and f"项目编号：{own}" in pages[1]
        assert "序号开工认定标准县级填报核查情况核查意见" in pages[1]   # the table header repeats with the table
        # the signature block never stands alone: the verdict and at least one criterion row share its page
        sign = [p for p in pages if "核查人（签字）" in p]
        assert len(sign) == 1 and "核查结论" in sign[0] and sign[0].count("□符合") >= 2


def test_dates_never_break_inside(out, office):
    dates = 0
    for pdf in out["sample"]["pdf"] + out["stress"]["pdf"] + office["sample"] + office["stress"]:
        for line in layout_lines(pdf):
            # a date cut at the line end: "2023年4月" with its day on the next line
            assert not re.search(r"20\d\d\s*年\s*\d{1,2}\s*月\s*$", line) and not re.search(r"20\d\d\s*年\s*$", line), \
                (pdf.name, line)
            dates += len(re.findall(r"20\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", line))
    assert dates > 20


# -- merged county PDF ----------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("key", ["sample", "stress"])
def test_merged_pdf_has_cover_index_and_page_numbers_that_agree(out, key):
    pdf = out[key]["merged"]
    pages = pages_text(pdf)
    cover = pages[0]
    total = int(re.search(r"本册共(\d+)页", cover).group(1))
    assert total == len(pages)                             # the index's count is the real count
    assert f"共{SLICE}个项目" in cover and "— 1 —" not in cover and "—1—" not in cover
    import pdfplumber
    listed = {}
    with pdfplumber.open(str(pdf)) as doc:
        for n, page in enumerate(doc.pages[1:], 1):
            if "开工认定核查表依据" in pages[n]:            # the first form: the index is over
                break
            for table in page.extract_tables():
                for row in table:
                    if row and row[0] and row[0].strip().isdigit():
                        listed[row[1].strip()] = int(row[-1])
    assert len(listed) == SLICE, listed
    for n, text in enumerate(pages[1:], 2):
        assert f"—{n}—" in text, (n, text[-40:])          # every page after the cover carries its number
    for code, page in listed.items():
        first = pages[page - 1]
        assert f"项目编号{code}" in first and "（续页）" not in first, (code, page)
    starts = [i for i, t in enumerate(pages) if "开工认定核查表依据" in t and "（续页）" not in t]
    assert len(starts) == SLICE                            # each project starts a page of its own


# -- nothing judged in advance --------------------------------------------------------------------------
@pytest.mark.slow
def test_nothing_is_ticked_and_the_county_report_is_labelled(out, read, policy2023):
    n = len(policy2023.policy.start_criteria.items)
    for docx, pdf in zip(out["stress"]["docx"] + out["sample"]["docx"], out["stress"]["pdf"] + out["sample"]["pdf"]):
        for text in (read.docx_text(docx), "".join(pages_text(pdf))):
            assert "√" not in text and "✓" not in text and "☑" not in text
            assert text.count("□符合") == n + 1 and text.count("□不符合") == n + 1
            assert "县级填报：" in text and "县级填报数据截至：" in text
    # the stress workbook's criterion dates are printed as the county reported them, in its column
    assert "县级填报核查情况" in "".join(pages_text(out["stress"]["pdf"][0]))
    assert "2023年4月15日完成□符合" in "".join(pages_text(out["stress"]["pdf"][0]))


@pytest.mark.slow
def test_a_criterion_the_data_contradicts_shows_the_contradiction(out, read, policy2023):
    from generator.policy.cnfmt import pct
    text = read.docx_text(out["stress"]["docx"][1])             # YL-002: criterion 1 是, consent below threshold
    threshold = pct(policy2023.policy.consent.threshold)
    assert "低于要求" in text
    assert f"矛盾（要求{threshold}以上），须现场核实" in text
    pdf = "".join(pages_text(out["stress"]["pdf"][1]))
    assert f"矛盾（要求{threshold}以上），须现场核实" in pdf
    assert "矛盾" not in read.docx_text(out["stress"]["docx"][0])   # consent above: no contradiction


@pytest.mark.slow
def test_cutoff_date_is_stated_and_later_reports_are_marked(tmp_path, read):
    res = CliRunner().invoke(main, ["render", "checklists", str(SAMPLE), "--as-of", "2023-04-20", "-o", str(tmp_path)])
    assert res.exit_code == 0, res.output
    texts = [read.docx_text(p) for p in sorted(tmp_path.rglob("*.docx"))]
    assert all("县级填报数据截至：2023年4月20日" in t for t in texts)
    assert any("完成（晚于数据截至日期）" in t for t in texts)
    res = CliRunner().invoke(main, ["render", "checklists", str(SAMPLE), "-o", str(tmp_path / "b")])
    text = read.docx_text(sorted((tmp_path / "b").rglob("*.docx"))[0])
    assert re.search(r"县级填报数据截至：2023年\d+月\d+日（工作簿所载最晚填报日期）", text)


# -- one layout ---------------------------------------------------------------------------------------
def _docx_body_text(path) -> str:
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    return re.sub(r"\s+", "", "".join(t.text or "" for t in root.iter(W + "t")))


@pytest.mark.slow
@pytest.mark.parametrize("key", ["sample", "stress"])
def test_docx_and_pdf_carry_the_same_text_in_the_same_order(out, key):
    for docx, pdf in zip(out[key]["docx"], out[key]["pdf"]):
        own = docx.name.split("_")[0]
        pdf_text = "".join(pages_text(pdf))
        pdf_text = re.sub(r"2023年城镇老旧小区改造项目开工认定核查表（续页）项目编号：" + re.escape(own) + "(示例数据)?", "", pdf_text)
        pdf_text = re.sub(r"—\d+—|项目编号：" + re.escape(own), "", pdf_text)     # the footer: in the DOCX's footer part
        head = "序号开工认定标准县级填报核查情况核查意见"          # repeated on a continuation page: drawn again
        first = pdf_text.index(head) + len(head)
        pdf_text = pdf_text[:first] + pdf_text[first:].replace(head, "")
        assert _docx_body_text(docx) == pdf_text, docx.name


def test_committed_templates_are_generated_from_the_one_layout():
    """checklist.html and checklist.docx are both build outputs of checklist_layout: neither edited alone."""
    from generator.render.checklist_layout import build_docx, build_front_html, build_html
    tpl = ROOT / "templates" / "checklist"
    assert (tpl / "checklist.html").read_text(encoding="utf-8") == build_html(), \
        "run python scripts/build_form_templates.py"
    assert (tpl / "checklist_front.html").read_text(encoding="utf-8") == build_front_html(), \
        "run python scripts/build_form_templates.py"
    import io
    fresh = zipfile.ZipFile(io.BytesIO(build_docx())).read("word/document.xml")
    assert zipfile.ZipFile(tpl / "checklist.docx").read("word/document.xml") == fresh


def test_a_word_only_override_says_the_pdf_cannot_follow(tmp_path):
    import shutil
    override = tmp_path / "mine" / "checklist"
    override.mkdir(parents=True)
    shutil.copy(ROOT / "templates" / "checklist" / "checklist.docx", override / "checklist.docx")
    res = CliRunner().invoke(main, ["render", "checklists", str(SAMPLE), "--templates", str(tmp_path / "mine"),
                                    "-o", str(tmp_path / "o"), "--lang", "en"])
    assert res.exit_code == 0 and "PDFs keep the bundled layout" not in res.output      # no PDF asked: no note
    from generator.render.checklists import override_notes
    from generator.render.forms_templates import TemplateSet
    notes = override_notes(TemplateSet(tmp_path / "mine"), docx=True, pdf=True)
    assert len(notes) == 1 and "checklist/checklist.html" in notes[0][0] and "PDF" in notes[0][0]


# -- DOCX structure, and LibreOffice printing it -----------------------------------------------------------
TBLPR = ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
         "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption",
         "tblDescription", "tblPrChange"]
TCPR = ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "textDirection",
        "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel", "cellMerge", "tcPrChange"]


def _in_order(el, order) -> bool:
    ranks = [order.index(c.tag.replace(W, "")) for c in el]
    return ranks == sorted(ranks)


@pytest.mark.slow
@pytest.mark.parametrize("which", ["template", "rendered"])
def test_docx_xml_is_in_schema_order_with_repeating_headers_and_unsplit_rows(out, which):
    from generator.render.gbt9704 import _PPR_ORDER, _RPR_ORDER
    path = ROOT / "templates" / "checklist" / "checklist.docx" if which == "template" else out["stress"]["docx"][0]
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    assert not root.xpath("//w:spacing[@w:line='0']", namespaces={"w": W[1:-1]})
    for tblPr in root.iter(W + "tblPr"):
        assert len(tblPr.findall(W + "tblLayout")) == 1 and _in_order(tblPr, TBLPR)
    for tag, order in (("tcPr", TCPR), ("pPr", _PPR_ORDER), ("rPr", _RPR_ORDER)):
        for el in root.iter(W + tag):
            assert _in_order(el, order), (tag, [c.tag.replace(W, "") for c in el])
    tables = root.findall(f".//{W}tbl")
    for tbl in tables:
        rows = tbl.findall(W + "tr")
        assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
    criteria = tables[1]
    assert criteria.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None
    widths = [int(g.get(W + "w")) for g in criteria.find(W + "tblGrid")]
    assert widths[2] == max(widths[2:]) and sum(widths) <= (210 - MARGINS[1] - MARGINS[3]) / 25.4 * 1440 + 2


def test_libreoffice_prints_the_docx_inside_the_margins(office):
    for pdf in office["sample"]:
        assert len(pypdf.PdfReader(pdf).pages) == 1, pdf.name
        assert not outside_bands(pdf), pdf.name
    for pdf in office["stress"]:
        pages = pages_text(pdf)
        assert len(pages) <= 2 and not outside_bands(pdf), pdf.name
        if len(pages) == 2:
            assert "（续页）" in pages[1] and "（续页）" not in pages[0]
            assert "核查结论" in pages[-1] and pages[-1].count("□符合") >= 2      # a criterion row with the verdict


def test_several_workbooks_in_one_call(tmp_path):
    other = ROOT / "data" / "sample-禹州市.xlsx"
    res = CliRunner().invoke(main, ["render", "checklists", str(SAMPLE), str(other), "-o", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert {p.name for p in tmp_path.iterdir()} == {"长葛市", "禹州市"}


@pytest.mark.slow
def test_a_text_longer_than_a_page_continues_in_its_row_on_the_next_page(tmp_path):
    """改造内容 of 3,000 characters: the row is cut between lines and continued under the repeated table on
    the next pages; nothing lost, nothing off the page, the same text as the DOCX."""
    from generator.ledger.reader import read_plan
    from generator.policy import load_policy
    from generator.render.checklists import render_checklists
    lp = load_policy("xuchang/2023")
    plan = read_plan(STRESS, lp)
    plan.projects = plan.projects[:1]
    row = plan.projects[0]
    key = next(k for k in row.cells if "改造内容" in str(k))
    long_text = "".join(f"第{i}项：改造小区供水、排水、供电、燃气管网及消防设施，" for i in range(1, 121)) + "完。"
    assert len(long_text) > 3000
    row.cells[key] = dataclasses.replace(row.cells[key], raw=long_text, value=long_text)
    w = render_checklists(STRESS, lp, tmp_path, plan=plan, show_progress=False, pdf=True)
    pdf, docx = w["pdf"][0], w["docx"][0]
    pages = pages_text(pdf)
    assert len(pages) >= 3
    assert not outside_bands(pdf)
    own = docx.name.split("_")[0]
    text = re.sub(r"2023年城镇老旧小区改造项目开工认定核查表（续页）项目编号：" + re.escape(own) + "(示例数据)?", "", "".join(pages))
    text = re.sub(r"—\d+—|项目编号：" + re.escape(own), "", text)
    head = "序号开工认定标准县级填报核查情况核查意见"
    first = text.index(head) + len(head)
    text = text[:first] + text[first:].replace(head, "")
    assert _docx_body_text(docx) == text
    assert "完。" in pages[-1] or "完。" in pages[-2]
