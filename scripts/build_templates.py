#!/usr/bin/env python3
"""Generate the bundled Word templates under templates/ (python-docx + raw OXML, GB/T 9704 styles).

The .docx files are committed; run this again after changing a layout here or in
generator/render/gbt9704.py:

    python scripts/build_templates.py            # writes templates/notice/notice.docx

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
    # --corrected: the list of corrections on a last page
    _control(doc, "if corrections")
    add(doc, "{{ corrections_title }}", "plan_title")
    _control(doc, "for correction in corrections")
    add(doc, "{{ correction.text }}", "body")
    _control(doc, "endfor")
    _control(doc, "endif")

    gw.set_core_properties(doc, title="通知模板（GB/T 9704）", author="gaizao")
    target = TEMPLATES / "notice" / "notice.docx"
    save_zip_document(target, gw.to_bytes(doc))
    return target


def main() -> None:
    for path in (build_notice(),):
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
