"""The county-plan DOCX as a county clerk edits and prints it (issue 8, item 1).

Choices (documented in generator/render/county_plan.py and scripts/build_templates.py):
- clause citations and 【填写说明】 are Word comments on the section headings (issue 21.1): shown in Word/WPS while
  the county writes, absent from its print (tested with LibreOffice's print);
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


def _comments(path) -> list[str]:
    import zipfile
    xml = zipfile.ZipFile(path).read("word/comments.xml").decode("utf-8")
    return ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", c)) for c in re.findall(r"<w:comment .*?</w:comment>", xml)]


def test_citations_and_guidance_are_comments_not_text(plans):
    """Issue 21.1: the clauses the prefilled facts come from and the 【填写说明】 are Word comments on the section
    headings (shown while the county writes), never text in the body, so nothing is left to delete by hand."""
    lp = plans["lp"]
    for path in plans["docx"]:
        d = docx.Document(path)
        body = "\n".join(p.text for p in d.paragraphs)
        assert not CITE.search(body), CITE.search(body)
        assert "【填写说明】" not in body and "依据" not in body
        comments = _comments(path)
        headings = [p for p in d.paragraphs if _style_of(p) == "GWHeading1"]
        refs = [p for p in headings if p._p.find(".//" + qn("w:commentReference")) is not None]
        assert len(refs) == len(headings) == len(comments)        # one comment per section heading
        assert all(c.startswith("【填写说明】") for c in comments)
        joined = "".join(comments)
        for item in lp.policy.plan_contents.items:
            assert item.phrase in joined
        assert lp.text.display(lp.policy.plan_contents.clause) in joined
        assert "二、目标任务" in joined                         # the target's clause, cited in the comment


def test_citations_and_guidance_absent_from_the_libreoffice_print(plans):
    """Printed as the county would print it (LibreOffice, default settings): no comment text on paper."""
    for path, pdf in zip(plans["docx"], plans["pdf"]):
        printed = "".join(pages_text(pdf)).replace(" ", "").replace("\n", "")
        assert "填写说明" not in printed and not CITE.search(printed), CITE.search(printed)
        for c in _comments(path):
            assert c[:20] not in printed


def test_no_editorial_remark_and_corrected_date(plans):
    text = "\n".join(p.text for p in docx.Document(plans["docx"][0]).paragraphs)
    assert "原文如此" not in text and "勘误" not in text
    d = plans["lp"].policy.deadline("renovation_plans")
    from generator.policy.cnfmt import printed_date
    assert printed_date(d.erratum.corrected, d.precision) in text and printed_date(d.date, d.precision) not in text


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
