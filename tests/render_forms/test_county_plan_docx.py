"""The county-plan DOCX as a county clerk edits and prints it (issue 8, item 1).

Choices (documented in generator/render/county_plan.py and scripts/build_templates.py):
- clause citations are runs in the character style 条款引用 (Word: 查找和替换 → 格式 → 样式 → 条款引用 → 全部替换
  with nothing removes all of them in one step);
- 【填写说明】 are paragraphs in the style 填写说明 (楷体, grey), removable by selecting all instances of the style;
- a date the city printed wrong is given as corrected, with no editorial remark;
- the 署名 (县级人民政府) and the blank date close the plan, centred over each other (one centre tab), not indented.
"""
from __future__ import annotations

import re
import shutil

import docx
import pytest
from docx.oxml.ns import qn

from support.office import convert_to_pdf
from support.pdfgeom import off_page, page_count, pages_text

CITE = re.compile(r"（[一二三四五六七八九十]+(（[一二三四五六七八九十]+）)?[、\u4e00-\u9fff]|（附件")


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    from generator.policy import load_policy
    from generator.render.county_plan import render_county_plans
    lp = load_policy("xuchang/2023")
    out = tmp_path_factory.mktemp("county_plan")
    paths = render_county_plans(lp, lp.policy.counties_with_target, out, workbook=False)
    work = out / "lo"
    work.mkdir()
    copies = []
    for i, p in enumerate(paths):
        copies.append(work / f"plan{i}.docx")
        shutil.copy(p, copies[-1])
    return {"lp": lp, "docx": paths, "pdf": convert_to_pdf(copies, work)}


def _style_of(p):
    el = p._p.pPr.find(qn("w:pStyle")) if p._p.pPr is not None else None
    return el.get(qn("w:val")) if el is not None else None


def test_title_breaks_after_a_word_never_one_character_alone(plans):
    for path, pdf in zip(plans["docx"], plans["pdf"]):
        title = docx.Document(path).paragraphs[0]
        lines = [t for t in title.text.split("\n")]
        assert len(lines) == 2 and lines[1] == "工作实施方案", lines
        first_page = [line.replace(" ", "") for line in pages_text(pdf)[0].splitlines()]
        assert first_page[0] + first_page[1] == title.text.replace("\n", "")   # LibreOffice keeps the break
        assert all(len(line) > 2 for line in first_page[:2])


def test_citations_removable_in_one_step(plans):
    d = docx.Document(plans["docx"][-1])
    styles = {s.style_id: s.name for s in d.styles}
    assert styles["GWCitation"] == "条款引用"
    kept = []
    cited = 0
    for p in d.paragraphs:
        for r in p.runs:
            rs = r._r.rPr.find(qn("w:rStyle")) if r._r.rPr is not None else None
            if rs is not None and rs.get(qn("w:val")) == "GWCitation":
                assert CITE.match(r.text), r.text
                cited += 1
            else:
                kept.append(r.text)
    assert cited >= 8
    rest = "".join(kept)
    assert not CITE.search(rest), CITE.search(rest)          # nothing left to delete by hand


def test_no_editorial_remark_and_corrected_date(plans):
    text = "\n".join(p.text for p in docx.Document(plans["docx"][0]).paragraphs)
    assert "原文如此" not in text and "勘误" not in text
    d = plans["lp"].policy.deadline("renovation_plans")
    from generator.policy.cnfmt import printed_date
    assert printed_date(d.erratum.corrected, d.precision) in text and printed_date(d.date, d.precision) not in text


def test_guidance_in_its_own_removable_style(plans):
    d = docx.Document(plans["docx"][0])
    guidance = [p for p in d.paragraphs if p.text.startswith("【填写说明】")]
    assert guidance and all(_style_of(p) == "GWGuidance" for p in guidance)
    assert all(_style_of(p) != "GWGuidance" for p in d.paragraphs if not p.text.startswith("【填写说明】"))
    st = d.styles["填写说明"]
    rpr = st.element.rPr
    assert rpr.find(qn("w:color")).get(qn("w:val")) != "000000"
    assert "楷体" in rpr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_signature_block_centred_not_indented(plans):
    for path, pdf in zip(plans["docx"], plans["pdf"]):
        d = docx.Document(path)
        sig = next(p for p in d.paragraphs if _style_of(p) == "GWSignature")
        name = sig.text.strip()
        # a 开发区/示范区 is governed by a 管委会, not a 人民政府
        assert name.endswith("管委会" if ("开发区" in name or "示范区" in name) else "人民政府"), name
        with __import__("pdfplumber").open(str(pdf)) as doc:
            page = doc.pages[-1]
            lines = page.extract_text_lines()
        s = next(line for line in lines if line["text"].replace(" ", "") == name)
        dline = next(line for line in lines if re.fullmatch(r"年\s*月\s*日", line["text"].strip()))
        centre = lambda line: (line["x0"] + line["x1"]) / 2  # noqa: E731
        assert abs(centre(s) - centre(dline)) < 6 * 72 / 25.4       # within 6 mm: the blanks of the date differ
        assert centre(s) > page.width / 2 + 20                       # right side, not a body-text indent


def test_every_page_fits_in_libreoffice(plans):
    for pdf in plans["pdf"]:
        assert off_page(pdf, 0) == []
        assert page_count(pdf) <= 4
