"""The checklist PDFs drawn from checklist_layout (generator.render.checklist_pdf) against the same forms laid
out by WeasyPrint from the HTML template: same text in the same order, the same footer on every page, and the
drawn path's own rules (line breaks, pagination) pinned down."""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pdfplumber
import pypdf
import pytest

from generator.render import checklist_pdf as CP

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample-长葛市.xlsx"
STRESS = ROOT / "tests" / "fixtures" / "stress" / "stress-魏都区.xlsx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _render(plan_path, out, templates=None, n=4, merge=False):
    from generator.ledger.reader import read_plan
    from generator.policy import load_policy
    from generator.render.checklists import render_checklists
    from generator.render.forms_templates import TemplateSet
    lp = load_policy("xuchang/2023")
    plan = read_plan(plan_path, lp)
    plan.projects = plan.projects[:n]
    return render_checklists(plan_path, lp, out, plan=plan, show_progress=False, pdf=not merge, merge=merge,
                             templates=TemplateSet(templates) if templates else None)


def _pages(pdf, *, stamped: bool = False) -> list[str]:
    """Each page's text without white space. ``stamped``: laid out by a bureau's own template, so the pipeline
    stamps 示例数据 over each page (issue 21.5, test_override_labels.py); the stamp is checked and taken off here."""
    pages = [re.sub(r"\s+", "", p.extract_text() or "") for p in pypdf.PdfReader(pdf).pages]
    if stamped:
        assert all(t.endswith("示例数据") for t in pages), pdf
        pages = [t[:-len("示例数据")] for t in pages]
    return pages


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """The stress slice drawn, and laid out by WeasyPrint (a bureau's copy of checklist.css selects it)."""
    base = tmp_path_factory.mktemp("drawn")
    own = base / "tpl" / "checklist"
    own.mkdir(parents=True)
    shutil.copy(ROOT / "templates" / "checklist" / "checklist.css", own / "checklist.css")
    return {"drawn": _render(STRESS, base / "drawn"), "weasy": _render(STRESS, base / "weasy", base / "tpl"),
            "drawn-merged": _render(SAMPLE, base / "dm", merge=True),
            "weasy-merged": _render(SAMPLE, base / "wm", base / "tpl", merge=True)}


@pytest.mark.slow
def test_the_bundled_layout_is_drawn_and_an_overriding_css_goes_to_weasyprint(both):
    for kind, producer in (("drawn", "gaizao"), ("weasy", "gaizao (WeasyPrint, pypdf)")):
        for pdf in both[kind]["pdf"]:
            assert pypdf.PdfReader(pdf).metadata["/Producer"] == producer


@pytest.mark.slow
def test_drawn_and_weasyprint_pdfs_carry_the_same_text_in_the_same_order(both):
    """One layout: the two renderers of checklist_layout.FORM print the same words, page by page."""
    footer = re.compile(r"—\d+—|项目编号：[A-Z]+-\d+$")
    for drawn, weasy in zip(both["drawn"]["pdf"], both["weasy"]["pdf"]):
        a, b = _pages(drawn), _pages(weasy, stamped=True)
        assert len(a) == len(b) == 2, drawn.name                 # the stress form continues on a 续页 in both
        for pa, pb in zip(a, b):
            assert sorted(footer.findall(pa)) == sorted(footer.findall(pb))
            assert footer.sub("", pa) == footer.sub("", pb), drawn.name


@pytest.mark.slow
def test_drawn_and_weasyprint_merged_volumes_agree_page_by_page(both):
    """Cover, index with the real page numbers, forms numbered through: the same in both renderers."""
    footer = re.compile(r"—\d+—|项目编号：[A-Z0-9]+-\d+$")
    a, b = _pages(both["drawn-merged"]["pdf"][0]), _pages(both["weasy-merged"]["pdf"][0], stamped=True)
    assert len(a) == len(b) == 2 + 4                           # cover, index, four one-page forms
    assert "本册共6页" in a[0] and "—" not in a[0]
    for pa, pb in zip(a, b):
        assert sorted(footer.findall(pa)) == sorted(footer.findall(pb))
        assert footer.sub("", pa) == footer.sub("", pb)
    assert pypdf.PdfReader(both["drawn-merged"]["pdf"][0]).metadata["/Producer"] == "gaizao"


@pytest.mark.slow
def test_every_page_carries_its_number_and_the_project_in_the_footer(both, tmp_path):
    files = both["drawn"]["pdf"] + _render(SAMPLE, tmp_path, n=2)["pdf"]
    for pdf in files:
        own = pdf.name.split("_")[0]
        with pdfplumber.open(str(pdf)) as doc:
            for n, page in enumerate(doc.pages, 1):
                foot = page.crop((0, page.height - 20 * 72 / 25.4, page.width, page.height))
                text = re.sub(r"\s+", "", foot.extract_text() or "")
                assert f"—{n}—" in text and f"项目编号：{own}" in text, (pdf.name, n, text)
    # the DOCX has the same footer on its first and later pages: a PAGE field and the project number
    docx = both["drawn"]["docx"][0]
    own = docx.name.split("_")[0]
    with zipfile.ZipFile(docx) as z:
        footers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/footer")]
        sect = z.read("word/document.xml").decode()
    assert len(footers) == 3 and all(" PAGE " in f and f"项目编号：{own}" in f for f in footers)
    assert 'w:footerReference w:type="first"' in sect and "<w:titlePg/>" in sect


@pytest.mark.slow
def test_the_drawn_pdf_embeds_its_fonts_and_is_byte_identical_on_rerender(both, tmp_path):
    again = _render(STRESS, tmp_path)
    assert [p.read_bytes() for p in again["pdf"]] == [p.read_bytes() for p in both["drawn"]["pdf"]]
    fonts = pypdf.PdfReader(again["pdf"][0]).pages[0]["/Resources"]["/Font"]
    for ref in fonts.values():
        descriptor = ref.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile3" in descriptor or "/FontFile2" in descriptor
        assert "/ToUnicode" in ref.get_object()


# -- the drawn path's rules -----------------------------------------------------------------------------
def test_lines_never_cut_a_date_nor_start_with_closing_punctuation():
    style = CP.CELL[""]
    width = 10.5 * 9.5                       # about nine and a half characters of 五号
    text = "县级填报：已于2023年12月18日完成，符合要求。"
    lines = ["".join(g[3] for g in line) for line in CP.wrap(text, style, width)]
    assert "".join(lines) == text and len(lines) > 1
    assert any("2023年12月18日" in line for line in lines)          # the date kept whole on one line
    assert not any(line[0] in CP.NO_LINE_START for line in lines[1:])
    assert all(sum(g[2] for g in line) <= width + 1e-6 for line in CP.wrap(text, style, width))


def _row(h, header=False, keep=None, table="t"):
    return CP.Item(h, 0, 0, lambda page, y: None, table=table, header=header, keep=keep)


def test_a_row_that_does_not_fit_opens_a_new_page_under_the_repeated_header():
    class T:
        headers: list = []
    t = T()
    head = _row(20, header=True, table=t)
    t.headers = [head]
    room = CP.PAGE_H - CP.BOTTOM - CP.TOP
    rows = [head] + [_row(room / 4, table=t) for _ in range(4)]
    pages = CP.paginate(rows)
    assert [len(p) for p in pages] == [4, 2]                      # header + 3 rows, then header + 1 row
    assert pages[1][0][0] is head and pages[1][0][1] == CP.TOP


def test_the_verdict_block_never_opens_a_page_alone():
    """When the kept-together block does not fit, the last criterion row goes over with it."""
    class T:
        headers: list = []
    t = T()
    room = CP.PAGE_H - CP.BOTTOM - CP.TOP
    rows = [_row(room / 3 - 1, table=t) for _ in range(3)]
    keep = [CP.Item(30, 0, 0, lambda page, y: None, keep=1), CP.Item(30, 0, 0, lambda page, y: None, keep=1)]
    pages = CP.paginate(rows + keep)
    assert len(pages) == 2
    assert [i for i, _ in pages[1]] == [rows[2]] + keep          # not the block alone
    assert [i for i, _ in pages[0]] == rows[:2]


@pytest.mark.slow
def test_pdf_and_merge_lay_each_form_out_once_and_print_the_same(tmp_path, monkeypatch):
    """--pdf --merge: each form is laid out once, for its own PDF and for its county's volume, and both files
    are byte for byte those made by --pdf alone and --merge alone."""
    from generator.ledger.reader import read_plan
    from generator.policy import load_policy
    from generator.render import checklist_layout as L
    from generator.render.checklists import render_checklists
    lp = load_policy("xuchang/2023")
    plan = read_plan(SAMPLE, lp)
    plan.projects = plan.projects[:4]

    def render(out, **kinds):
        written = render_checklists(SAMPLE, lp, tmp_path / out, plan=plan, show_progress=False, docx=False, **kinds)
        return {p.relative_to(tmp_path / out): p.read_bytes() for p in written["pdf"]}
    alone = {**render("pdf", pdf=True), **render("merge", merge=True)}
    laid_out = []
    real = CP.flow_items
    monkeypatch.setattr(CP, "flow_items", lambda form, ctx: (form is L.FORM and laid_out.append(ctx)) or real(form, ctx))
    both = render("both", pdf=True, merge=True)
    assert len(laid_out) == 4 and len(both) == 5
    assert both == alone
