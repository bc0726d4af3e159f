"""Generate the Word templates of the inspection forms (templates/acceptance/*.docx).

    python scripts/build_acceptance_templates.py     # (also run by scripts/build_form_templates.py)

These .docx files are the ONE layout of each form: `gaizao render acceptance` fills them (docxtpl) and
prints the PDF from the filled DOCX with LibreOffice, so a bureau's edit in Word reaches both outputs.
They hold Jinja tags only, never a policy value. What makes them print well in Word, WPS and LibreOffice:

- landscape A4, margins 20/20/22/25 mm, one fixed table grid that sums to the text width (252 mm), so
  the table never runs past the right margin; cell margins 1 mm, column widths fit a date on one line;
- header rows marked w:tblHeader (repeat on every page), every row w:cantSplit (never split);
- the last two project rows (a tail table) and the closing block (inspector's / county's box, signatures,
  date) carry w:keepNext, so the signature block never stands alone on the last page;
- XML children in schema order, one w:tblLayout, no w:line="0".
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
from generator.render.checklist_layout import CELL_MARGIN_TWIPS, SINGLE, TBLPR_ORDER  # noqa: E402

TITLE_SZ, TEXT_SZ, TABLE_SZ = 36, 24, 21          # 小二 title, 小四 text, 五号 table (half-points)
MARGINS_MM = (20, 20, 22, 25)                      # top, right, bottom, left (binding side left)
TEXT_WIDTH_MM = 297 - MARGINS_MM[1] - MARGINS_MM[3]  # 252
PORTRAIT_MARGINS_MM = (25, 26, 22, 28)
BOX_INDENT = 113                                    # 2 mm: a paragraph border lies 4 pt + its width outside the text
# the document the forms rest on, by title and 文号: no clause citation in a form a leader signs (issue 21.1)
BASIS = "依据：《{{ plan_title }}》（{{ doc_number }}）"
CELL_PAD_TWIPS = 40                                 # 0.7 mm cell padding above and below the text
TAIL_ROWS = 2                                       # project rows kept on the page of the signatures
ROW_MM = 9

TWIPS = 1440 / 25.4

# Schema order of the property elements we write (ECMA-376 Part 1, CT_TcPr / CT_TrPr; CT_TblPr's is the
# checklist's TBLPR_ORDER). Cell margins (1 mm) and single line spacing are the checklist's too.
TCPR_ORDER = ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
              "textDirection", "tcFitText", "vAlign", "hideMark"]
TRPR_ORDER = ["cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit", "trHeight",
              "tblHeader", "tblCellSpacing", "jc", "hidden"]


def _el(tag: str, **attrs):
    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), str(v))
    return el


def _replace(parent, el):
    old = parent.find(el.tag)
    if old is not None:
        parent.remove(old)
    parent.append(el)
    return el


def _tw(mm: float) -> int:
    return round(mm * TWIPS)


# -- paragraphs ---------------------------------------------------------------------------------------
def para(container, text: str = "", *, font: str | None = None, size: int = TEXT_SZ, align: str = "left",
         before: int = 0, after: int = 0, keep_next: bool = False):
    """A form paragraph with single line spacing (no exact 公文 grid, no w:line="0"), one run per text."""
    p = container.add_paragraph()
    pPr = p._p.get_or_add_pPr()
    G.set_paragraph_format(pPr, align=align, before=before, after=after, line=SINGLE, line_rule="auto",
                           keep_next=keep_next, snap_to_grid=False)
    G._sort_children(pPr, G._PPR_ORDER)
    if text:
        r = p.add_run(text)
        G.set_run_format(r._r.get_or_add_rPr(), font=font or G.FONT["body"], size=size)
    return p


def boxed(doc, lines: list[str]):
    """Consecutive paragraphs with the same four borders print as one box (Word, WPS, LibreOffice)."""
    for text in lines:
        p = para(doc, text, after=0, keep_next=True)
        pPr = p._p.get_or_add_pPr()
        bdr = _el("w:pBdr")
        for side in ("top", "left", "bottom", "right"):
            bdr.append(_el(f"w:{side}", val="single", sz=6, space=4, color="000000"))
        pPr.append(bdr)
        pPr.append(_el("w:ind", left=BOX_INDENT, right=BOX_INDENT))    # the border is drawn outside the text
        G._sort_children(pPr, G._PPR_ORDER)
        if not text:                     # an empty line of the box still has the body size
            p._p.get_or_add_pPr().append(_el("w:rPr"))
            G.set_run_format(pPr.find(qn("w:rPr")), size=TEXT_SZ)
            G._sort_children(pPr, G._PPR_ORDER)


# draft label and 示例数据, each only when the context says so, in one run (docxtpl renders headers too)
PAGE_LABEL = ("{% if policy.label %}{{ policy.label }}{% endif %}{% if policy.label and sample %}　{% endif %}"
              "{% if sample %}示例数据{% endif %}")


def labels(doc):
    """Draft label and 示例数据 in the page header of every page (issue 21.5), not above page 1's title only."""
    G.page_label(doc, PAGE_LABEL)


# -- tables -------------------------------------------------------------------------------------------
class Table:
    def __init__(self, doc, widths_mm: list[float], *, borders: bool = True):
        self.widths = widths_mm
        self.t = doc.add_table(rows=0, cols=len(widths_mm))
        tbl = self.t._tbl
        tblPr = tbl.tblPr
        for child in list(tblPr):            # python-docx's defaults (style, tblW auto, tblLook): set our own
            tblPr.remove(child)
        tblPr.append(_el("w:tblW", w=_tw(sum(widths_mm)), type="dxa"))
        tblPr.append(_el("w:jc", val="center"))
        if borders:
            b = _el("w:tblBorders")
            for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
                b.append(_el(f"w:{side}", val="single", sz=6, space=0, color="000000"))
            tblPr.append(b)
        tblPr.append(_el("w:tblLayout", type="fixed"))
        mar = _el("w:tblCellMar")
        # 0.7 mm above and below: LibreOffice otherwise sets the text against the rules (issue 21.6)
        for side, w in (("top", CELL_PAD_TWIPS), ("left", CELL_MARGIN_TWIPS), ("bottom", CELL_PAD_TWIPS),
                        ("right", CELL_MARGIN_TWIPS)):
            mar.append(_el(f"w:{side}", w=w, type="dxa"))
        tblPr.append(mar)
        for gc, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths_mm):
            gc.set(qn("w:w"), str(_tw(w)))

    def row(self, texts: list, *, head: bool = False, align: list | None = None, keep_next: bool = False,
            min_height_mm: float | None = None, size: int = TABLE_SZ, spans: dict[int, int] | None = None):
        """One row; ``None`` leaves a cell empty; ``spans`` {first cell: last cell} merges across."""
        r = self.t.add_row()
        trPr = r._tr.get_or_add_trPr()
        trPr.append(_el("w:cantSplit"))
        if min_height_mm:
            trPr.append(_el("w:trHeight", val=_tw(min_height_mm), hRule="atLeast"))
        if head:
            trPr.append(_el("w:tblHeader"))
        for i, w in enumerate(self.widths):
            r.cells[i].width = Mm(w)
        for i, text in enumerate(texts):
            cell = r.cells[i]
            p = cell.paragraphs[0]
            pPr = p._p.get_or_add_pPr()
            a = align[i] if align else ("center" if head else "left")
            G.set_paragraph_format(pPr, align=a, before=0, after=0, line=SINGLE, line_rule="auto",
                                   keep_next=keep_next, snap_to_grid=False)
            for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
                pPr.append(_el(tag, val=0))
            G._sort_children(pPr, G._PPR_ORDER)
            if text:
                run = p.add_run(text)
                G.set_run_format(run._r.get_or_add_rPr(), font=G.FONT["heading1"] if head else G.FONT["body"],
                                 size=size)
            tcPr = cell._tc.get_or_add_tcPr()
            if head:                     # its own top rule: a repeated header on a tail table has no table top rule
                borders = _el("w:tcBorders")
                borders.append(_el("w:top", val="single", sz=6, space=0, color="000000"))
                _replace(tcPr, borders)
            _replace(tcPr, _el("w:vAlign", val="center"))
            G._sort_children(tcPr, TCPR_ORDER)
        for a, b in (spans or {}).items():
            r.cells[a].merge(r.cells[b])
        return r

    def tag_row(self, tag: str):
        """A row holding only a docxtpl {%tr %} tag (docxtpl removes the row itself)."""
        r = self.t.add_row()
        r.cells[0].paragraphs[0].add_run(tag)
        return r


def project_rows(doc, t: Table, header, cells: list[str], align: list[str], items: str, keep: int = TAIL_ROWS):
    """The rows of ``items`` in ``t`` but the last ``keep``; those in a second table of the same grid right below
    (a 1 pt paragraph between, or Word would join them), every paragraph "keep with next", so that they
    travel with the closing block (paragraphs, no table) to its page. ``header(table)`` adds the header rows:
    the tail table repeats them only when ``repeat_header`` is set, which the renderer does when the tail
    was printed at the top of a page (generator.render.acceptance).

    Why: LibreOffice honours keep-with-next for a table's first part only (a keep on the last rows of a long
    table is lost after its second page), and a keep on every row pushes a long table off its first page."""
    t.tag_row(f"{{%tr for r in {items}[:-{keep}] %}}")
    t.row(cells, align=align, min_height_mm=ROW_MM)
    t.tag_row("{%tr endfor %}")
    spacer = para(doc, "", keep_next=False)
    pPr = spacer._p.get_or_add_pPr()
    pPr.find(qn("w:spacing")).set(qn("w:line"), "20")
    pPr.find(qn("w:spacing")).set(qn("w:lineRule"), "exact")
    rPr = _el("w:rPr")
    rPr.append(_el("w:sz", val=2))
    pPr.append(rPr)
    G._sort_children(pPr, G._PPR_ORDER)
    tail = Table(doc, t.widths)
    # no top rule on the tail table: with the main table's bottom rule 1 pt above it, it printed as a double rule
    # (issue 21.6); repeated header rows (a tail at the top of a page) draw their own top rule
    tail_borders = tail.t._tbl.tblPr.find(qn("w:tblBorders"))
    if tail_borders is not None:
        _replace(tail_borders, _el("w:top", val="nil"))
        G._sort_children(tail_borders, ["top", "left", "bottom", "right", "insideH", "insideV"])
    tail.tag_row("{%tr if repeat_header %}")
    header(tail, 1, keep_next=True)
    tail.tag_row("{%tr endif %}")
    tail.tag_row(f"{{%tr for r in {items}[-{keep}:] %}}")
    tail.row(cells, align=align, min_height_mm=ROW_MM, keep_next=True)
    tail.tag_row("{%tr endfor %}")
    return tail


def vmerge(t: Table, col: int, top: int, bottom: int):
    t.t.cell(top, col).merge(t.t.cell(bottom, col))


def sort_properties(doc):
    """Put every property element in schema order (python-docx appends some at the end)."""
    body = doc.element.body
    for tag, order in (("w:tblPr", TBLPR_ORDER), ("w:tcPr", TCPR_ORDER), ("w:trPr", TRPR_ORDER),
                       ("w:pPr", G._PPR_ORDER), ("w:rPr", G._RPR_ORDER)):
        for el in body.iter(qn(tag)):
            G._sort_children(el, order)


def page(doc, landscape: bool):
    s = doc.sections[0]
    if landscape:
        s.orientation = WD_ORIENT.LANDSCAPE
        s.page_width, s.page_height = Mm(297), Mm(210)
    margins = MARGINS_MM if landscape else PORTRAIT_MARGINS_MM
    s.top_margin, s.right_margin, s.bottom_margin, s.left_margin = (Mm(m) for m in margins)
    s.footer_distance = Mm(10)
    s.header_distance = Mm(8)         # the 示例数据 header line stays above the 20 mm top margin
    grid = s._sectPr.find(qn("w:docGrid"))
    if grid is not None:       # forms do not use the 22 × 28 公文 grid (table text is 五号)
        for a in ("w:linePitch", "w:charSpace"):
            grid.attrib.pop(qn(a), None)
        grid.set(qn("w:type"), "default")


def save(doc, rel: str) -> Path:
    sort_properties(doc)
    G.set_core_properties(doc, title="", author="gaizao")
    path = TEMPLATES / rel
    save_zip_document(path, G.to_bytes(doc))
    return path


# -- 检查验收表 (年中 / 年终): 县级自查自评表, 市级检查验收表 ------------------------------------------------
# (header, cell, width mm, align); the two forms share the reported columns and differ in whose boxes follow.
# A date column holds "2023年12月31日" on one line at 五号 even when Times New Roman falls back to the wide
# DejaVu Serif (LibreOffice without Liberation fonts): 8 digits × 6.7 pt + 3 × 10.5 pt + the CJK/Latin spacing
# LibreOffice adds ≈ 92 pt = 32.5 mm, + 2 mm cell margins; 37 mm leaves room (measured: tests/render_forms).
REPORTED = [
    ("序号", "{{ r.no }}", 10, "center"),
    ("项目编号", "{{ r.id }}", 22, "center"),
    ("小区名称", "{{ r.name }}", 50, "left"),
    ("户数", "{{ r.households }}", 12, "center"),
    ("开工日期", "{{ r.start }}", 37, "center"),
    ("完工日期", "{{ r.completion }}", 37, "center"),
]
# 质量安全: what the project's life record holds as of the record's day (generator/render/acceptance.quality_cell:
# hazards found, open, overdue; 未录入巡检记录 where no inspection visited it), printed for the inspectors. Seven
# characters a line at 五号 (28 mm, 未录入巡检记录 on one line): the city form's 小区名称 gives 9 mm and 备注 2 mm.
CITY_NAME_MM = 41
CITY_BOXES = [
    ("核查情况", "□符合\n□不符合", 20, "left"),
    ("质量安全", "{{ r.quality }}", 28, "left"),
    ("资料档案", "", 17, "left"),
    ("得分", "", 12, "center"),
    ("备注", "{{ r.remark }}", 16, "left"),
]
SELF_BOXES = [
    ("自评得分", "", 18, "center"),
    ("自评意见", "", 48, "left"),
    ("备注", "{{ r.remark }}", 18, "left"),
]


def acceptance(kind: str):
    """kind: self (县级自查自评表: the county's own) or city (市级检查验收表: the inspectors')."""
    city = kind == "city"
    boxes = CITY_BOXES if city else SELF_BOXES
    reported = [(h, c, CITY_NAME_MM if city and h == "小区名称" else w, a) for h, c, w, a in REPORTED]
    cols = reported + boxes
    assert abs(sum(c[2] for c in cols) - TEXT_WIDTH_MM) < 0.01, sum(c[2] for c in cols)
    doc = G.new_document()
    page(doc, landscape=True)
    labels(doc)
    para(doc, "{{ plan_year }}年城镇老旧小区改造工作{{ round.name }}{{ form_title }}", font=G.FONT["title"],
         size=TITLE_SZ, align="center", after=60)
    para(doc, BASIS, font=G.FONT["heading2"], align="center", after=120)
    if city:
        para(doc, "{{ lower_unit }}：{{ county.name }}　　检查时间：{{ round_period }}　　日　　"
                  "填报数据截至{{ cutoff }}（{{ lower_organ }}填报，以现场核查为准）", size=TABLE_SZ, after=40)
    else:
        para(doc, "填报单位：{{ county.name }}（盖章）　　自查时间：{{ round_period }}　　日　　"
                  "填报数据截至{{ cutoff }}", size=TABLE_SZ, after=40)
    para(doc, "目标任务：{{ county.target }}；"
              "本表项目{{ rows | length }}个，涉及居民{{ totals.households }}户。", size=TABLE_SZ, after=40)
    check = "核查" if city else "自评"
    para(doc, "节点目标：{% for m in milestones %}{{ m.label }}（{{ m.due }}）："
              "{{ m.reported }}{% if m.due_now %}，" + check + "：□达到 □未达到{% endif %}"
              "{{ '；' if not loop.last else '。' }}{% endfor %}", size=TABLE_SZ, after=40)
    if city:
        para(doc, "{%p if weight_text %}")
        para(doc, "{{ weight_text }}", size=TABLE_SZ, after=40)
        para(doc, "{%p endif %}")
        rubric_table(doc)
    group = "{{ reported_heading }}\n（截至{{ cutoff }}）"
    t = Table(doc, [c[2] for c in cols])
    n_rep = len(REPORTED)
    head1 = [c[0] for c in cols[:4]] + [group, None] + ([("{{ level_organ }}核查（检查验收组填写）"), None, None, None, "备注"]
                                                       if city else ["{{ lower_organ }}自查（{{ lower_self }}填写）", None, "备注"])
    last_box = len(cols) - 2

    def header(table, first: int = 0, keep_next: bool = False):
        table.row(head1, head=True, spans={4: 5, n_rep: last_box}, keep_next=keep_next)
        table.row([None] * 4 + [c[0] for c in cols[4:-1]] + [None], head=True, keep_next=keep_next)
        for i in (0, 1, 2, 3, len(cols) - 1):
            vmerge(table, i, first, first + 1)
    header(t)
    body_cells = [c[1] for c in cols]
    align = [c[3] for c in cols]
    project_rows(doc, t, header, body_cells, align, "rows")
    para(doc, "{{ note }}", size=TABLE_SZ, before=60, after=60, keep_next=True)
    # the signer's box: bordered paragraphs (not a table: LibreOffice would not keep a table with the signatures)
    boxed(doc, ["{{ lower_unit }}总分：　　　　　分{% if rubric %}（满分{{ rubric_total }}分，按评分细则评定）{% endif %}　　"
                "核查结论及主要问题：" if city else "自评总分：　　　　　分　　自评意见（主要成效、存在问题及整改措施）：",
                "", ""])
    para(doc, "", after=60, keep_next=True)
    para(doc, "{{ signature_line }}", after=60, keep_next=True)
    para(doc, "日期：　　　　年　　月　　日", align="right")
    name = "county_self_check" if kind == "self" else "city_inspection"
    return save(doc, f"acceptance/{name}.docx")


def rubric_table(doc):
    """The office's 评分细则 when it gives one (``--rubric``; never invented): item, points, standard, and a
    得分 box per item; the county's total is the box under the table."""
    para(doc, "{%p if rubric %}")
    para(doc, "评分细则", font=G.FONT["heading1"], size=TABLE_SZ, after=20, keep_next=True)
    widths = [12, 60, 16, 142, 22]
    assert abs(sum(widths) - TEXT_WIDTH_MM) < 0.01
    t = Table(doc, widths)
    t.row(["序号", "评分项目", "分值", "评分标准", "得分"], head=True, keep_next=True)
    t.tag_row("{%tr for item in rubric %}")
    t.row(["{{ loop.index }}", "{{ item.name }}", "{{ item.points }}", "{{ item.standard }}", ""],
          align=["center", "left", "center", "left", "center"], keep_next=True)
    t.tag_row("{%tr endfor %}")
    t.row(["", "合计", "{{ rubric_total }}", "", ""], align=["center", "left", "center", "left", "center"])
    para(doc, "", after=60)
    para(doc, "{%p endif %}")


# -- 全市检查验收汇总表（排名） ---------------------------------------------------------------------------
def acceptance_summary():
    doc = G.new_document()
    page(doc, landscape=False)
    labels(doc)
    para(doc, "{{ plan_year }}年城镇老旧小区改造工作{{ round.name }}检查验收汇总表", font=G.FONT["title"],
         size=TITLE_SZ, align="center", after=60)
    para(doc, BASIS, font=G.FONT["heading2"], align="center", after=120)
    para(doc, "{{ basis_text }}", size=TABLE_SZ, after=40)
    para(doc, "{%p if weights_text %}")
    para(doc, "{{ weights_text }}", size=TABLE_SZ, after=120)
    para(doc, "{%p endif %}")
    widths = [12, 28, 52, 24, 14, 26]                   # 156 mm: the portrait text width; 评定 holds 待研究确定
    t = Table(doc, widths)

    def header(table, first: int = 0, keep_next: bool = False):
        table.row(["序号", "{{ lower_unit }}", "{{ scores_heading }}", "{{ total_heading }}", "名次", "评定"], head=True,
                  keep_next=keep_next)
    header(t)
    align = ["center", "center", "left", "center", "center", "center"]
    project_rows(doc, t, header, ["{{ r.no }}", "{{ r.county }}", "{{ r.scores_text }}", "{{ r.total }}", "{{ r.rank }}",
                        "{{ r.grade }}"], align, "ranking")
    para(doc, "{%p for line in notes %}", keep_next=True)
    para(doc, "{{ line }}", size=TABLE_SZ, before=40, keep_next=True)
    para(doc, "{%p endfor %}", keep_next=True)
    para(doc, "", after=120, keep_next=True)
    para(doc, "制表：　　　　　　　　审核：", keep_next=True, after=60)
    para(doc, "{{ issuer }}（盖章）", align="right", keep_next=True, after=60)
    para(doc, "日期：　　　　年　　月　　日", align="right")
    return save(doc, "acceptance/summary.docx")


def main() -> list[Path]:
    return [acceptance("self"), acceptance("city"), acceptance_summary()]


if __name__ == "__main__":
    for path in main():
        print(path.relative_to(ROOT))
