#!/usr/bin/env python3
"""Generate the bundled Word templates under templates/ (python-docx + raw OXML, GB/T 9704 styles).

The .docx files are committed; run this again after changing a layout here or in
generator/render/gbt9704.py:

    python scripts/build_templates.py            # writes templates/notice/notice.docx and county_plan/county_plan.docx

Why generated, not hand-made: Word and WPS split a ``{{ tag }}`` across several runs when one edits
it, which breaks docxtpl. Here every tag sits in exactly one run and every ``{%p %}`` control tag in
its own paragraph. The templates name fields only (see ``gaizao templates check``); no policy value
is typed here. A bureau can restyle the generated file in Word (styles 公文正文, 公文标题, ...).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.render import gbt9704 as gw  # noqa: E402
from generator.render.base import TEMPLATES, save_zip_document  # noqa: E402


def _control(doc, tag: str) -> None:
    """A paragraph holding only a docxtpl paragraph tag ({%p ... %}); docxtpl removes it."""
    gw.add_paragraph(doc, f"{{%p {tag} %}}", "body")


def _header_mark(doc) -> None:
    """Odd and even headers carry the draft label and the 勘误版 mark (both empty for the issued text as printed)."""
    section = doc.sections[0]
    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        p.style = None
        pPr = p._p.get_or_add_pPr()
        gw._child(pPr, "w:pStyle", val=gw.STYLE["header_mark"])
        p.add_run("{{ header_mark }}")


def build_notice() -> Path:
    """templates/notice/notice.docx: the notice, the transmitted plan, its attachments, the errata page."""
    doc = gw.new_document()
    _header_mark(doc)
    add = gw.add_paragraph
    # 版头
    add(doc, "{{ banner }}", "banner")
    add(doc, "{{ doc_number }}", "doc_number")
    # 主体 of the notice
    add(doc, "{{ title }}", "title")
    add(doc, "{{ addressee }}", "addressee")
    _control(doc, "for paragraph in body")
    add(doc, "{{ paragraph }}", "body")
    _control(doc, "endfor")
    add(doc, "{{ signature }}", "signature")
    add(doc, "{{ date }}", "date")
    # the transmitted plan, from a new page
    add(doc, "{{ plan_title }}", "plan_title")
    _control(doc, "for paragraph in preamble")
    add(doc, "{{ paragraph }}", "body")
    _control(doc, "endfor")
    _control(doc, "for section in sections")
    add(doc, "{{ section.heading }}", "heading1")
    _control(doc, "for paragraph in section.paragraphs")
    add(doc, "{{ paragraph }}", "body")
    _control(doc, "endfor")
    _control(doc, "for clause in section.clauses")
    add(doc, runs=[("{{ clause.heading }}", gw.STYLE["heading2_char"]), ("{{ clause.text }}", None)])
    _control(doc, "endfor")
    _control(doc, "endfor")
    _control(doc, "if attachment_note")
    add(doc, "{{ attachment_note }}", "attachment_note")
    _control(doc, "endif")
    # attachments, each from a new page
    _control(doc, "for attachment in attachments")
    add(doc, "{{ attachment.label }}", "attachment_label")
    add(doc, "{{ attachment.title }}", "attachment_title")
    _control(doc, "for item in attachment.paragraphs")
    add(doc, "{{ item }}", "body")
    _control(doc, "endfor")
    _control(doc, "endfor")
    # --corrected: no list of corrections here; the 更正通知 is its own document (render.notice.correction_notice).
    # The 版记 is added by the renderer (a floating table at the bottom of the last page).

    gw.set_core_properties(doc, title="通知模板（GB/T 9704）", author="gaizao")
    target = TEMPLATES / "notice" / "notice.docx"
    save_zip_document(target, gw.to_bytes(doc))
    return target


COMMENT_AUTHOR = "{{ comment_author }}"


def build_county_plan() -> Path:
    """templates/county_plan/county_plan.docx: a county's 实施方案 draft, prefilled from the policy.

    What the county is told (【填写说明】) and where each prefilled fact comes from (the city plan's clauses) are
    Word comments on the section headings, not text (issue 21.1): Word and WPS show them in the margin while
    the county writes, and they are not part of the county's print (LibreOffice prints none by default; tested
    by printing it). The title breaks where the notice's titles break; the 署名 and date close the plan as
    GB/T 9704 7.3.5.1 (centred over each other on one centre tab, date 右空四字).
    """
    doc = gw.new_document()
    add = gw.add_paragraph
    gw.page_label(doc, "{{ page_label }}")
    add(doc, "{{ title }}", "plan_title").paragraph_format.page_break_before = False
    add(doc, "根据{{ issuer }}《{{ plan_title }}》{{ doc_number_cite }}要求，结合我{{ county.unit }}实际，制定本方案。", "body")
    _control(doc, "for s in sections")
    head = add(doc, "{{ s.number }}、{{ s.heading }}", "heading1")
    doc.add_comment(head.runs, text="{{ c.text }}", author=COMMENT_AUTHOR, initials="")
    _control(doc, "for f in s.prefilled")
    add(doc, "{{ f.text }}", "body")
    _control(doc, "endfor")
    _control(doc, "endfor")
    last = add(doc, "{{ last_number }}、改造项目清单", "heading1")
    doc.add_comment(last.runs, text="{{ c.text }}", author=COMMENT_AUTHOR, initials="")
    # what each project must state only when the policy says it (三（二） in 2023): never "须明确：。"
    _control(doc, "if project_fields_text")
    add(doc, "全部改造项目逐项列入附表《{{ county.name }}{{ plan_year }}年城镇老旧小区改造项目清单》（与本方案同时报送的"
             "工作簿），每个项目须明确：{{ project_fields_text }}。", "body")
    _control(doc, "else")
    add(doc, "全部改造项目逐项列入附表《{{ county.name }}{{ plan_year }}年城镇老旧小区改造项目清单》（与本方案同时报送的工作簿）。",
        "body")
    _control(doc, "endif")
    sig = add(doc, "\t{{ county.signature }}", "signature")
    date = add(doc, "\t{{ county.date_line }}", "date")
    centre_twips = round((gw.TEXT_WIDTH_PT - 8.5 * gw.CHAR_PITCH_PT) * 20)   # 右空四字 for a 9-character date
    for p in (sig, date):
        pPr = p._p.get_or_add_pPr()
        gw.set_paragraph_format(pPr, align="left", right_chars=0)
        gw._child(gw._child(pPr, "w:tabs"), "w:tab", val="center", pos=centre_twips)
        gw._sort_children(pPr, gw._PPR_ORDER)
    gw.set_core_properties(doc, title="县级实施方案模板", author="gaizao")
    target = TEMPLATES / "county_plan" / "county_plan.docx"
    save_zip_document(target, _comments_as_loop(gw.to_bytes(doc)))
    return target


def _comments_as_loop(data: bytes) -> bytes:
    """The template's two comments made Jinja: the sections' heading comment takes ``s.comment_id`` (one per
    section), the last heading's ``last_comment_id``; comments.xml holds one ``w:comment`` per entry of
    ``comments`` (id, text). No w:date: the same template bytes on every build."""
    import io
    import re
    import zipfile
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    ids = {"0": "{{ s.comment_id }}", "1": "{{ last_comment_id }}"}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            body = src.read(name)
            if name == "word/document.xml":
                body = re.sub(rb'(<w:comment(?:RangeStart|RangeEnd|Reference) w:id=")(\d)"',
                              lambda m: m[1] + ids[m[2].decode()].encode() + b'"', body)
            elif name == "word/comments.xml":
                text = body.decode("utf-8")
                first, end = text.index("<w:comment "), text.rindex("</w:comment>") + len("</w:comment>")
                one = text[first:text.index("</w:comment>") + len("</w:comment>")]
                one = re.sub(r' w:id="\d+"', ' w:id="{{ c.id }}"', one)
                one = re.sub(r' w:date="[^"]*"', "", one)
                text = text[:first] + "{% for c in comments %}" + one + "{% endfor %}" + text[end:]
                body = text.encode("utf-8")
            dst.writestr(name, body)
    return out.getvalue()


def main() -> None:
    for path in (build_notice(), build_county_plan()):
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
