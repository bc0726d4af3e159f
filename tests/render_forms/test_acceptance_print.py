"""检查验收表 and 汇总表 as printed: measured from the PDFs LibreOffice prints and from the DOCX XML.

Three LibreOffice batches for the whole module (module fixtures): the five sample counties (mid-year), a
190-project county with 60-character names (year-end, with a ranking that ties at the cut-off), and the
closing-block check on forms of 1..N rows.
"""
import re
import shutil
from collections import Counter
from functools import lru_cache
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from generator.cli import main
from support.office import require_soffice
from support.pdfgeom import off_page
from support.pdfgeom import pages_text as _pages_text

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MARGINS = (20, 20, 22, 25)                 # the forms' landscape margins (top, right, bottom, left), mm
PORTRAIT = (25, 26, 22, 28)
FOOTER_MIN_MM = 8                          # the page number sits in the bottom margin, never nearer the edge
ID = re.compile(r"XC\d\d-\d{3}")
DATE = re.compile(r"20\d\d年\d{1,2}月\d{1,2}日")


@lru_cache(maxsize=None)
def pages_text(pdf) -> tuple:
    """Parsed once per PDF for the whole module (pdfplumber takes seconds on a 30-page form)."""
    return tuple(_pages_text(pdf))


def run(*args):
    result = CliRunner().invoke(main, ["render", "acceptance", "xuchang/2023", *args])
    assert result.exit_code == 0, result.output
    return result


def body(docx) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))


def docx_text(docx) -> str:
    return "".join(t.text or "" for t in body(docx).iter(W + "t"))


def flat(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    require_soffice()
    out = tmp_path_factory.mktemp("samples")
    plans = sum((["--plan", str(p)] for p in sorted(DATA.glob("sample-*.xlsx"))), [])
    run("--round", "mid-year", "--all", *plans, "-o", str(out / "mid"))
    run("--round", "year-end", "--all", *plans, "-o", str(out / "end"), "--no-pdf")
    return out


@pytest.fixture(scope="module")
def stress(tmp_path_factory, policy_module):
    """魏都区's 190 projects with 60-character names; year-end; scores tied at third place."""
    require_soffice()
    import openpyxl
    import yaml
    tmp = tmp_path_factory.mktemp("stress")
    plan = tmp / "stress-魏都区.xlsx"
    wb = openpyxl.load_workbook(DATA / "sample-魏都区.xlsx")
    ws = wb["项目清单"]
    head = next(r for r in range(1, 6) if any(c.value == "小区名称" for c in ws[r]))
    col = next(c.column for c in ws[head] if c.value == "小区名称")
    for r in range(head + 1, ws.max_row + 1):
        if ws.cell(r, col).value:
            ws.cell(r, col).value = (f"第{r - head}号" + "许昌市魏都区示例老旧小区综合改造提质工程片区" * 4)[:60]
    wb.save(plan)
    rounds = [r.id for r in policy_module.policy.inspections.rounds]
    names = [c.name for c in policy_module.policy.counties_with_target]
    tied = [95, 90, 85, 85, 70]
    scores = tmp / "scores.yaml"
    scores.write_text(yaml.safe_dump({r: dict(zip(names, tied)) for r in rounds}, allow_unicode=True), "utf-8")
    out = tmp / "o"
    run("--round", "year-end", "--county", "魏都区", "--plan", str(plan), "--scores", str(scores),
        "--weights", f"{rounds[0]}=0.4,{rounds[1]}=0.6", "-o", str(out))
    return out


@pytest.fixture(scope="module")
def policy_module():
    from generator.policy import load_policy
    return load_policy("xuchang/2023")


def forms(folder, suffix):
    return sorted(Path(folder).glob(f"*{suffix}"))


# -- 1. every page fits --------------------------------------------------------------------------------
def _fits(pdf, margins):
    """Inside the margins, but for the page number "— N —" in the bottom margin (and not nearer the edge)."""
    outside = off_page(pdf, margins)
    page_number = [o for o in outside if o.kind == "char" and o.text in "—0123456789"
                   and o.bbox_mm[1] >= o.area_mm[3] and o.bbox_mm[3] <= 210 + 87 * (margins == PORTRAIT) - FOOTER_MIN_MM]
    # the label (示例数据 / 示例草案) is in the page header, above the top margin, on every page (issue 21.5)
    label = [o for o in outside if o.kind == "char" and o.text in "示例数据草案" and o.bbox_mm[3] <= o.area_mm[1]]
    assert [str(o) for o in outside if o not in page_number and o not in label] == [], pdf.name
    pages = {o.page for o in page_number}
    assert pages == set(range(1, len(pages_text(pdf)) + 1)), pdf.name          # every page is numbered


def test_every_page_fits_samples_and_stress(samples, stress):
    pdfs = forms(samples / "mid", ".pdf") + forms(stress, ".pdf")
    assert len(pdfs) == 10 + 3
    for pdf in pdfs:
        _fits(pdf, PORTRAIT if "汇总表" in pdf.name else MARGINS)


def test_header_repeats_rows_whole_dates_on_one_line(samples, stress):
    for pdf in forms(samples / "mid", "检查验收表.pdf") + forms(stress, "检查验收表.pdf"):
        pages = pages_text(pdf)
        assert len(pages) > 1 or "建安区" in pdf.name or "禹州市" in pdf.name
        for text in pages:
            assert "开工日期" in text and "序号" in text, pdf.name          # the header on every page
        assert all(len(ID.findall(text)) >= 3 for text in pages[:-1]), pdf.name   # no page left (almost) empty
        ids = [i for text in pages for i in ID.findall(text)]
        assert ids == sorted(set(ids)), pdf.name                           # each row once, in order, none split
        docx = pdf.with_suffix(".docx")
        dates = DATE.findall(flat(docx_text(docx)))
        printed = Counter(d for text in pages for d in DATE.findall(text))   # a wrapped date would not match
        cutoff = re.search(r"截至(20\d\d年\d+月\d+日)", flat(docx_text(docx))).group(1)
        assert printed[cutoff] >= dates.count(cutoff)                        # the repeated header says it again
        printed[cutoff] = dates.count(cutoff)
        assert printed == Counter(dates), pdf.name
    # Word/WPS get the same instructions: header rows repeat, no row splits
    docx = next(stress.glob("*市级检查验收表.docx"))
    root = body(docx)
    rows = list(root.iter(W + "tr"))
    heads = [r for r in rows if r.find(f"{W}trPr/{W}tblHeader") is not None]
    first = next(root.iter(W + "tbl")).findall(W + "tr")
    assert first[0] in heads and first[1] in heads and first[2] not in heads     # two heading rows, then projects
    assert len(heads) in (2, 4)                         # 4: the tail table repeats them at the top of a page
    assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)


def test_signatures_never_alone_on_the_last_page(tmp_path, policy_module):
    """Forms of 6..33 projects cross the first and the second page boundary at every row count: the last page
    always holds project rows and the column headings with the signatures. Without the keep rule the closing
    block stands alone at some counts (LibreOffice loses a keep on a long table's later parts)."""
    from generator.render.acceptance import CountyRows, county_context, fill_and_print, find_round
    from generator.render.forms_context import policy_context, project_context, sample_row
    from generator.render.forms_templates import TemplateSet
    lp = policy_module
    pctx = policy_context(lp)
    county = lp.policy.county("魏都区")
    rnd = find_round(lp, "mid-year")
    tpl = TemplateSet().docx("acceptance/city_inspection.docx")
    counts = [*range(6, 13), *range(20, 34, 2)]
    jobs = []
    for n in counts:
        rows = [project_context(sample_row(lp, i + 2, **{"项目编号": f"XC04-{i + 1:03d}"}), lp, pctx)
                for i in range(n)]
        ctx = county_context(lp, pctx, rnd, county, CountyRows("魏都区", rows, True), None, "city", {})
        jobs.append((tmp_path / f"n{n:02d}.docx", tpl, ctx, None, f"（截至{ctx['cutoff']}）"))
    _, printed = fill_and_print(jobs, "20230101")
    for n, (path, *_) in zip(counts, jobs):
        pdf = path.with_suffix(".pdf")
        pdf.write_bytes(printed[pdf])
        pages = pages_text(pdf)
        assert "日期" in pages[-1] and len(ID.findall(pages[-1])) >= 2, (n, len(pages))
        assert all("开工日期" in text for text in pages), n                 # headings on the last page too
        assert len(ID.findall(pages[0])) >= 3, n                          # the table starts on page 1


def test_only_the_forms_whose_tail_opens_a_page_are_filled_and_printed_again(tmp_path, monkeypatch):
    """Each form is printed once; the filling with repeated headings is made and printed only for the forms
    whose last page lacks the headings' probe (here: b), and those are what is returned for them."""
    import generator.render.office_pdf as office_pdf
    from generator.render.acceptance import fill_and_print

    class Template:
        def render(self, ctx, core):
            return f"{ctx['name']}{'+heads' if ctx.get('repeat_header') else ''}".encode()

    batches = []

    def fake_print(items, stamp, what):
        batches.append(sorted(data.decode() for data, _ in items))
        return [(dest, b"PDF " + data) for data, dest in items]
    monkeypatch.setattr(office_pdf, "docx_to_pdf", fake_print)
    monkeypatch.setattr(office_pdf, "last_page_text", lambda pdf: "" if pdf == b"PDF b" else "（截至probe）")
    jobs = [(tmp_path / f"{n}.docx", Template(), {"name": n}, None, "（截至probe）") for n in "abc"]
    docs, printed = fill_and_print(jobs, "20230101")
    assert batches == [["a", "b", "c"], ["b+heads"]]
    assert docs[tmp_path / "b.docx"] == b"b+heads" and printed[tmp_path / "b.pdf"] == b"PDF b+heads"
    assert docs[tmp_path / "a.docx"] == b"a" and printed[tmp_path / "a.pdf"] == b"PDF a"
    batches.clear()
    assert fill_and_print(jobs, "20230101", pdf=False)[1] == {} and batches == []


# -- 2. nothing judged in advance; data as of the inspection date ------------------------------------
def test_forms_show_what_was_reported_and_leave_the_verdicts_empty(samples, policy_module):
    city = docx_text(next((samples / "mid").glob("魏都区*市级检查验收表.docx")))
    self_ = docx_text(next((samples / "mid").glob("魏都区*自查自评表.docx")))
    assert "县级填报" in city and "□符合" in city and "□达到" in city
    assert "√" not in city and "☑" not in city and "，达到" not in city and "）达到" not in city
    assert "填报数据截至2023年7月31日" in city and "填报数据截至2023年7月31日" in self_
    # the county's own form: its own score, opinion and signature; not the city form renamed
    for word in ("自评得分", "自评意见", "县级负责人（签字）", "自评总分"):
        assert word in self_
    for word in ("检查时间", "市级", "核查情况", "检查验收组"):
        assert word not in self_, word


def test_mid_year_cuts_data_at_the_inspection_date(samples):
    import datetime as dt
    mid = docx_text(next((samples / "mid").glob("魏都区*市级检查验收表.docx")))
    end = docx_text(next((samples / "end").glob("魏都区*市级检查验收表.docx")))
    cut = dt.date(2023, 7, 31)

    def dates(text):
        return [dt.date(*map(int, re.findall(r"\d+", d))) for d in DATE.findall(text)]
    assert max(dates(mid.split("填报数据截至")[1].split("节点目标")[0] + mid.split("开工日期")[-1])) <= cut
    assert any(d > cut for d in dates(end)) and mid != end
    assert "截至2023年12月31日" in end


def test_as_of_moves_the_cut_off(tmp_path):
    run("--round", "mid-year", "--county", "魏都区", "--plan", str(DATA / "sample-魏都区.xlsx"),
        "--as-of", "2023-05-01", "--no-pdf", "-o", str(tmp_path))
    text = docx_text(next(tmp_path.glob("*市级检查验收表.docx")))
    assert "填报数据截至2023年5月1日" in text
    assert not any(re.match(r"2023年(6|7|8|9|10|11|12)月", d) for d in DATE.findall(text.split("开工日期")[-1]))


# -- 3. ranking sheet ----------------------------------------------------------------------------------
def test_ranking_sheet_tie_at_cut_off_and_no_option_syntax(stress, policy_module):
    docx = next(stress.glob("*汇总表.docx"))
    text = docx_text(docx)
    n = policy_module.policy.inspections.excellent_count.value
    grades = re.findall(r"(优秀|待研究确定)(?=\d|$)", text)
    assert text.count("待研究确定") >= 2
    cells = [flat("".join(t.text or "" for t in tc.iter(W + "t"))) for tc in body(docx).iter(W + "tc")]
    assert cells.count("优秀") == 2 and cells.count("待研究确定") == 2 and cells.count("优秀") < n
    del grades
    issuer = policy_module.policy.document.issuer.value
    assert "政策未规定" not in text and f"由{issuer}确定" not in text       # no provenance remark (21.1)
    for path in stress.iterdir():                       # no command-line syntax in any document
        t = docx_text(path) if path.suffix == ".docx" else flat("".join(pages_text(path)))
        assert "--" not in t and "weights" not in t, path.name


def test_mid_year_summary_shows_mid_year_scores_only(tmp_path, policy_module):
    import yaml
    rounds = [r for r in policy_module.policy.inspections.rounds]
    names = [c.name for c in policy_module.policy.counties_with_target]
    scores = tmp_path / "s.yaml"
    scores.write_text(yaml.safe_dump({rounds[0].id: {n: 80 for n in names}, rounds[1].id: {n: 99 for n in names}},
                                     allow_unicode=True), "utf-8")
    run("--round", rounds[0].id, "--county", "禹州市", "--scores", str(scores), "--no-pdf", "-o", str(tmp_path / "o"))
    docx = next((tmp_path / "o").glob("*汇总表.docx"))
    text = docx_text(docx)
    assert f"{rounds[0].name} 80" in text and "99" not in text and f"{rounds[1].name} " not in text
    cells = [flat("".join(t.text or "" for t in tc.iter(W + "t"))) for tc in body(docx).iter(W + "tc")]
    assert "优秀" not in cells and "待研究确定" not in cells            # no excellence decided mid-year


# -- 4. valid DOCX ---------------------------------------------------------------------------------------
TBLPR = ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW",
         "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption",
         "tblDescription"]
TCPR = ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "textDirection",
        "tcFitText", "vAlign", "hideMark"]


def _in_order(el, order):
    names = [etree.QName(c).localname for c in el]
    known = [n for n in names if n in order]
    return known == sorted(known, key=order.index) and len(set(names)) == len(names)


def test_docx_schema_order_and_no_zero_line(samples, stress):
    from generator.render.gbt9704 import _PPR_ORDER, _RPR_ORDER
    for docx in forms(samples / "mid", ".docx") + forms(stress, ".docx"):
        root = body(docx)
        for tag, order in (("tblPr", TBLPR), ("tcPr", TCPR), ("pPr", _PPR_ORDER), ("rPr", _RPR_ORDER)):
            for el in root.iter(W + tag):
                assert _in_order(el, order), (docx.name, tag, [etree.QName(c).localname for c in el])
        assert all(len(p.findall(W + "tblLayout")) <= 1 for p in root.iter(W + "tblPr"))
        assert not [s for s in root.iter(W + "spacing") if s.get(W + "line") == "0"], docx.name


# -- 5. one layout per form ------------------------------------------------------------------------------
def test_docx_and_pdf_carry_the_same_text_in_the_same_order(samples, stress):
    for docx in forms(samples / "mid", ".docx") + forms(stress, ".docx"):
        pdf = flat(re.sub(r"—\s*\d+\s*—", "", "".join(pages_text(docx.with_suffix(".pdf")))))
        paras = [flat("".join(t.text or "" for t in p.iter(W + "t"))) for p in body(docx).find(W + "body")
                 if p.tag == W + "p"]
        pos = 0
        for text in filter(None, paras):                 # every paragraph outside the tables, in order
            found = pdf.find(text, pos)
            assert found >= 0, (docx.name, text)
            pos = found + len(text)
        assert ID.findall(pdf) == sorted(set(ID.findall(pdf))) == sorted(set(ID.findall(docx_text(docx))))


def test_an_edited_word_template_reaches_docx_and_pdf(tmp_path):
    from generator.render.base import TEMPLATES
    tpl = tmp_path / "tpl" / "acceptance"
    tpl.mkdir(parents=True)
    src = TEMPLATES / "acceptance" / "city_inspection.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(tpl / "city_inspection.docx", "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/document.xml":
                data = data.decode().replace("核查结论及主要问题：", "核查结论、主要问题及整改要求：").encode()
            zout.writestr(item, data)
    run("--round", "mid-year", "--county", "禹州市", "--templates", str(tmp_path / "tpl"), "-o", str(tmp_path / "o"))
    docx = next((tmp_path / "o").glob("*市级检查验收表.docx"))
    assert "核查结论、主要问题及整改要求" in docx_text(docx)
    assert "核查结论、主要问题及整改要求" in flat("".join(pages_text(docx.with_suffix(".pdf"))))
    shutil.rmtree(tmp_path / "tpl")
