"""Generate the Word templates of the forms (templates/checklist, acceptance; county_plan: build_templates.py).

    python scripts/build_form_templates.py        # rewrites the .docx files; commit them

The templates are docxtpl documents built on the GB/T 9704 base (generator.render.gbt9704): A4,
版心, fonts named in w:eastAsia, odd/even "— N —" footers. They hold Jinja tags only, never a policy
value: numbers, dates and criteria come from the context at render time. Each tag is written in one
run, so Word has nothing to split (staff who edit them can check with ``gaizao templates check``).
Bureaus restyle them in Word/WPS and pass ``--templates DIR``.
"""
from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.render import gbt9704 as G  # noqa: E402
from generator.render.base import TEMPLATES, save_zip_document  # noqa: E402

# Sizes (half-points) used by forms: table text 小四/五号, form titles 小二.
TITLE_SZ, TEXT_SZ, SMALL_SZ, CITE_SZ = 36, 24, 21, 18


# -- small building blocks ----------------------------------------------------------------------------
def para(container, text: str = "", *, font: str | None = None, size: int = TEXT_SZ, align: str = "left",
         before: int = 0, after: int = 0, bold: bool | None = None, page_break_before: bool = False,
         first_line_chars: int | None = None):
    """A form paragraph: off the 公文 line grid (forms use their own sizes), one run per text."""
    p = container.add_paragraph()
    G.set_paragraph_format(p._p.get_or_add_pPr(), align=align, before=before, after=after, line=0,
                           line_rule="auto", snap_to_grid=False, page_break_before=page_break_before,
                           first_line_chars=first_line_chars)
    if text:
        run(p, text, font=font, size=size, bold=bold)
    return p


def run(p, text: str, *, font: str | None = None, size: int = TEXT_SZ, bold: bool | None = None):
    r = p.add_run(text)
    G.set_run_format(r._r.get_or_add_rPr(), font=font or G.FONT["body"], size=size, bold=bold)
    return r


def cell_text(cell, text: str, *, font: str | None = None, size: int = TEXT_SZ, align: str = "left",
              extra: list[tuple[str, dict]] = ()):
    """Fill a table cell: first paragraph ``text``, then one paragraph per (text, format) in ``extra``."""
    p = cell.paragraphs[0]
    G.set_paragraph_format(p._p.get_or_add_pPr(), align=align, before=0, after=0, line=0, line_rule="auto",
                           snap_to_grid=False)
    if text:
        run(p, text, font=font, size=size)
    for t, fmt in extra:
        q = cell.add_paragraph()
        G.set_paragraph_format(q._p.get_or_add_pPr(), align=fmt.get("align", align), before=0, after=0, line=0,
                               line_rule="auto", snap_to_grid=False)
        run(q, t, font=fmt.get("font"), size=fmt.get("size", size))
    _vcenter(cell)


def _vcenter(cell):
    tcPr = cell._tc.get_or_add_tcPr()
    v = tcPr.find(qn("w:vAlign"))
    if v is None:
        v = OxmlElement("w:vAlign")
        tcPr.append(v)
    v.set(qn("w:val"), "center")


def table(doc, widths_mm: list[float], *, borders: bool = True):
    t = doc.add_table(rows=0, cols=len(widths_mm))
    if borders:
        t.style = doc.styles["Table Grid"]
    t.autofit = False
    tblPr = t._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblPr.append(layout)
    grid = t._tbl.tblGrid
    for gc, w in zip(grid.findall(qn("w:gridCol")), widths_mm):
        gc.set(qn("w:w"), str(round(w / 25.4 * 1440)))
    t._widths = widths_mm
    return t


def row(t, texts: list[str | None], *, head: bool = False, merge: list[tuple[int, int]] = (), align=None,
        extra: dict[int, list] | None = None, min_height_mm: float | None = None):
    """Add a row; ``None`` leaves a cell empty; ``merge`` spans cells (first, last)."""
    r = t.add_row()
    for i, w in enumerate(t._widths):
        r.cells[i].width = Mm(w)
    for i, text in enumerate(texts):
        if text is None:
            continue
        cell_text(r.cells[i], text, font=G.FONT["heading1"] if head else None,
                  size=SMALL_SZ if head else TEXT_SZ,
                  align=(align[i] if align else ("center" if head else "left")),
                  extra=(extra or {}).get(i, ()))
    for a, b in merge:
        r.cells[a].merge(r.cells[b])
    if min_height_mm:
        trPr = r._tr.get_or_add_trPr()
        h = OxmlElement("w:trHeight")
        h.set(qn("w:val"), str(round(min_height_mm / 25.4 * 1440)))
        h.set(qn("w:hRule"), "atLeast")
        trPr.append(h)
    return r


def tag_row(t, tag: str):
    """A row holding only a docxtpl {%tr %} tag (docxtpl removes the row itself)."""
    r = t.add_row()
    cell_text(r.cells[0], tag)
    return r


def landscape(doc, margins_mm=(20, 20, 20, 25)):
    """Landscape A4 for wide tables; the page number keeps its place (GB/T 9704 §8)."""
    s = doc.sections[0]
    s.orientation = WD_ORIENT.LANDSCAPE
    s.page_width, s.page_height = Mm(297), Mm(210)
    form_page(doc, margins_mm)


def form_page(doc, margins_mm=(25, 26, 20, 28)):
    """Forms keep A4 and the 28 mm binding margin but not the 22 × 28 公文 grid: table text is 小四,
    and the character grid would stretch it (and LibreOffice reproduces Word's grid badly)."""
    s = doc.sections[0]
    s.top_margin, s.right_margin, s.bottom_margin, s.left_margin = (Mm(m) for m in margins_mm)
    s.footer_distance = Mm(10)
    grid = s._sectPr.find(qn("w:docGrid"))
    if grid is not None:
        for a in ("w:linePitch", "w:charSpace"):
            grid.attrib.pop(qn(a), None)
        grid.set(qn("w:type"), "default")


def labels(doc):
    """Draft label and 示例数据 marker, shown only when the context says so."""
    para(doc, "{%p if policy.label %}")
    para(doc, "{{ policy.label }}", font=G.FONT["heading1"], align="right")
    para(doc, "{%p endif %}")
    para(doc, "{%p if sample %}")
    para(doc, "示例数据", font=G.FONT["heading1"], align="right")
    para(doc, "{%p endif %}")


def title(doc, text: str, sub: str | None = None):
    para(doc, text, font=G.FONT["title"], size=TITLE_SZ, align="center", after=80)
    if sub:
        para(doc, sub, font=G.FONT["heading2"], size=TEXT_SZ, align="center", after=160)


def save(doc, rel: str) -> Path:
    G.set_core_properties(doc, title="", author="gaizao")
    path = TEMPLATES / rel
    save_zip_document(path, G.to_bytes(doc))
    return path


# -- 开工认定核查表 ----------------------------------------------------------------------------------
def checklist():
    """The checklist's DOCX and HTML both come from one layout (generator.render.checklist_layout)."""
    from generator.fileio import atomic_write_text
    from generator.render.checklist_layout import build_docx, build_html
    atomic_write_text(TEMPLATES / "checklist" / "checklist.html", build_html())
    path = TEMPLATES / "checklist" / "checklist.docx"
    save_zip_document(path, build_docx())
    return path


# -- 检查验收表 and 汇总表: scripts/build_acceptance_templates.py (their own layout helpers) --------------


# -- 县级年度实施方案: scripts/build_templates.py (GB/T 9704 document with its 条款引用/填写说明 styles) --------


def main() -> None:
    import build_acceptance_templates
    for path in (checklist(), *build_acceptance_templates.main()):
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
