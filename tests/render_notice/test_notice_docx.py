"""The notice DOCX: seed text reproduced, GB/T 9704 page, grid, fonts per role, red 版头, page numbers."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from lxml import etree

from tests.render_notice.conftest import docx_text, similarity

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def part(data: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def w(el, attr):
    return el.get(W + attr)


def style(styles, style_id):
    found = styles.find(f"{W}style[@{W}styleId='{style_id}']")
    assert found is not None, style_id
    return found


def test_docx_reproduces_seed_text(rendered, seed_text):
    ratio = similarity(seed_text, docx_text(rendered["docx"]))
    print(f"DOCX similarity to the seed text: {ratio:.4f}")
    assert ratio >= 0.995


def test_page_margins_and_grid(rendered):
    sect = part(rendered["docx"], "word/document.xml").find(f"{W}body/{W}sectPr")
    pg, mar, grid = sect.find(W + "pgSz"), sect.find(W + "pgMar"), sect.find(W + "docGrid")
    assert (w(pg, "w"), w(pg, "h")) == ("11906", "16838")
    assert int(w(mar, "top")) == 2098 and abs(int(w(mar, "left")) - 1588) <= 57
    assert abs(int(w(mar, "right")) - 1474) <= 57 and abs(int(w(mar, "bottom")) - 1984) <= 57
    # "lines": the LibreOffice-safe grid (gbt9704.md: "linesAndChars" puts 14 characters on a line there)
    assert w(grid, "type") == "lines" and int(w(grid, "linePitch")) == 579
    assert 22 * int(w(grid, "linePitch")) <= 16838 - 2098 - 1984          # 22 lines fit the 版心
    # 28 characters across the 156 mm 版心 at Normal 16 pt (三号): (pitch - 16 pt) x 4096, ECMA-376
    pitch_pt = 156 / 25.4 * 72 / 28
    assert int(w(grid, "charSpace")) == round((pitch_pt - 16) * 4096) == -848


def test_no_punctuation_hangs_into_the_margin(rendered):
    """Word/WPS read w:overflowPunct 0 as "no 标点溢出边界"; LibreOffice 7.x reads the value inverted, so it gets
    1 from the Fallback of a Choice it does not take (Requires w15). Geometry: tests/test_office_files.py."""
    ppr = part(rendered["docx"], "word/styles.xml").find(f"{W}docDefaults/{W}pPrDefault/{W}pPr")
    mc = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
    alt = ppr.find(mc + "AlternateContent")
    assert alt is not None and ppr.index(alt) == 0          # before w:spacing, where w:overflowPunct belongs
    choice, fallback = alt.find(mc + "Choice"), alt.find(mc + "Fallback")
    assert choice.get("Requires") == "w15" and alt.nsmap["w15"].endswith("/word/2012/wordml")
    assert w(choice.find(W + "overflowPunct"), "val") == "0"
    assert w(fallback.find(W + "overflowPunct"), "val") == "1"
    assert not any(st.find(f"{W}pPr/{W}overflowPunct") is not None    # nothing overrides the default
                   for st in part(rendered["docx"], "word/styles.xml").iter(W + "style"))


def test_fonts_by_role(rendered):
    styles = part(rendered["docx"], "word/styles.xml")
    normal = style(styles, "Normal").find(W + "rPr")
    assert w(normal.find(W + "sz"), "val") == "32"
    assert w(normal.find(W + "rFonts"), "eastAsia") == "仿宋_GB2312"
    assert int(w(normal.find(W + "spacing"), "val")) * 28 / 20 + 16 * 28 <= 156 / 25.4 * 72   # 28 chars fit
    title = style(styles, "GWTitle").find(W + "rPr")
    assert w(title.find(W + "sz"), "val") == "44" and w(title.find(W + "rFonts"), "eastAsia") == "方正小标宋简体"
    assert w(style(styles, "GWHeading1").find(f"{W}rPr/{W}rFonts"), "eastAsia") == "黑体"
    assert w(style(styles, "GWHeading2Char").find(f"{W}rPr/{W}rFonts"), "eastAsia") == "楷体_GB2312"
    assert w(style(styles, "GWAttachmentLabel").find(f"{W}rPr/{W}rFonts"), "eastAsia") == "黑体"
    for rf in styles.iter(W + "rFonts"):                                  # theme fonts would override the names
        assert not any(k.endswith("Theme") or k.endswith("theme") for k in rf.attrib), etree.tostring(rf)
    assert w(style(styles, "Normal").find(f"{W}pPr/{W}widowControl"), "val") == "0"


def test_headings_use_their_styles(rendered):
    body = part(rendered["docx"], "word/document.xml").find(W + "body")
    level1 = level2 = 0
    for p in body.iter(W + "p"):
        text = "".join(t.text or "" for t in p.iter(W + "t"))
        pstyle = p.find(f"{W}pPr/{W}pStyle")
        sid = w(pstyle, "val") if pstyle is not None else "Normal"
        if re.match(r"^[一二三四五六七八九十]+、", text):
            assert sid == "GWHeading1", text
            level1 += 1
        if re.match(r"^（[一二三四五六七八九十]+）", text):
            first = p.find(f"{W}r/{W}rPr/{W}rStyle")
            assert first is not None and w(first, "val") == "GWHeading2Char", text
            level2 += 1
    assert level1 == 4 and level2 == 10


def test_red_banner_and_rule(rendered, policy2023):
    doc = part(rendered["docx"], "word/document.xml")
    styles = part(rendered["docx"], "word/styles.xml")
    first = doc.find(f"{W}body/{W}p")
    assert "".join(t.text for t in first.iter(W + "t")) == policy2023.text.get("版头").text
    assert w(first.find(f"{W}pPr/{W}pStyle"), "val") == "GWBanner"
    assert w(style(styles, "GWBanner").find(f"{W}rPr/{W}color"), "val").upper() == "FF0000"
    run = first.find(f"{W}r/{W}rPr")                                      # fitted to 156 mm
    size_pt, scale = int(w(run.find(W + "sz"), "val")) / 2, int(w(run.find(W + "w"), "val")) / 100
    n = len(policy2023.text.get("版头").text)
    assert n * size_pt * scale <= 156 / 25.4 * 72
    rule = style(styles, "GWDocNumber").find(f"{W}pPr/{W}pBdr/{W}bottom")
    assert w(rule, "color").upper() == "FF0000" and w(rule, "val") == "single"


def test_odd_even_page_number_footers(rendered):
    data = rendered["docx"]
    settings = part(data, "word/settings.xml")
    assert settings.find(W + "evenAndOddHeaders") is not None
    doc = part(data, "word/document.xml")
    rels = part(data, "word/_rels/document.xml.rels")
    target = {r.get("Id"): r.get("Target") for r in rels}
    refs = {w(f, "type"): target[f.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")]
            for f in doc.iter(W + "footerReference")}
    assert set(refs) == {"default", "even"}
    for kind, align, side in (("default", "right", "right"), ("even", "left", "left")):
        footer = part(data, "word/" + refs[kind])
        p = footer.find(W + "p")
        assert w(p.find(f"{W}pPr/{W}jc"), "val") == align
        assert int(w(p.find(f"{W}pPr/{W}ind"), side)) == 280               # 1 字 of 四号
        assert " PAGE " in "".join(t.text for t in p.iter(W + "instrText"))
        text = "".join(t.text for t in p.iter(W + "t"))
        assert text.startswith("— ") and text.endswith(" —")
    styles = part(data, "word/styles.xml")
    pn = style(styles, "GWPageNumber").find(W + "rPr")
    assert w(pn.find(W + "sz"), "val") == "28" and w(pn.find(W + "rFonts"), "eastAsia") == "宋体"
    assert w(pn.find(W + "rFonts"), "ascii") == "宋体"                    # the dashes too


def test_plan_and_attachment_start_new_pages(rendered, policy2023):
    import docx
    d = docx.Document(io.BytesIO(rendered["docx"]))
    texts = [p.text.replace("\n", "") for p in d.paragraphs]
    plan = texts.index(policy2023.text.get("方案标题").text)
    label = texts.index(policy2023.text.get("附件标识").text)
    for i in (plan, label):
        assert d.paragraphs[i].style.paragraph_format.page_break_before, texts[i]
    assert d.paragraphs[label].style.style_id == "GWAttachmentLabel"
    assert texts[label + 1] == policy2023.text.get("附件").text


def test_core_and_custom_properties(rendered, policy2023):
    import docx
    from generator.render.base import docx_custom_properties
    cp = docx.Document(io.BytesIO(rendered["docx"])).core_properties
    doc = policy2023.policy.document
    assert cp.author == doc.issuer.value
    assert cp.created.date() == doc.issue_date.value == cp.modified.date()
    assert cp.keywords == doc.doc_number.value
    with zipfile.ZipFile(io.BytesIO(rendered["docx"])) as z:
        assert not any(b"python-docx" in z.read(n) for n in z.namelist())
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in z.infolist())
    import json
    m = json.loads(docx_custom_properties(rendered["docx"])["gaizao_manifest"])
    assert m["policy_id"] == "xuchang/2023" and m["policy_hash"] == policy2023.content_hash
    assert m["document"] == "notice" and m["corrected"] is False


def test_file_names_come_from_the_doc_number(rendered, policy2023):
    stem = policy2023.policy.document.doc_number.value
    assert sorted(p.name for p in rendered["paths"]) == [f"{stem}.docx", f"{stem}.pdf"]


@pytest.mark.slow
def test_rerender_is_byte_identical(rendered, policy2023, tmp_path):
    from generator.render.notice import render_notice
    again = {p.suffix: p.read_bytes() for p in render_notice(policy2023, tmp_path)}
    assert again[".docx"] == rendered["docx"]
    assert again[".pdf"] == rendered["pdf"]


@pytest.mark.slow
def test_rare_characters_survive_in_docx(rendered_rare, rare_policy):
    text = docx_text(rendered_rare[".docx"].read_bytes())
    issuer = rare_policy.policy.document.issuer.value
    assert issuer + "文件" in text
    assert "市&<喆>办制定了" in text
    import docx
    d = docx.Document(str(rendered_rare[".docx"]))
    header = d.sections[0].header.paragraphs[0].text
    assert header == "示例草案" == d.sections[0].even_page_header.paragraphs[0].text
