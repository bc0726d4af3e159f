"""The 开工认定核查表 layout, written once: its Word template and its HTML (PDF) template are both
generated from ``FORM`` below by ``python scripts/build_form_templates.py``.

So the DOCX and the PDF of a checklist hold the same text in the same order (tested), and a change
of wording or of a column is made here, not in two files. The text of every block is a Jinja
expression over the checklist context (generator.render.forms_context); policy values come only
from it. Styles (fonts, sizes) live in the CSS and in the docx paragraph formats; the column widths
are in millimetres for both.

Nothing is judged in advance: what the county reported is printed as 县级填报 (市级填报 under a province:
the level's words come from the context, never typed here), the inspector's own boxes (核查情况, 核查意见, 核查结论) stay empty.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# -- the form ------------------------------------------------------------------------------------------
TEXT_WIDTH_MM = 156          # A4 210 mm minus the 28 mm binding and 26 mm right margins (checklist.css @page)
# the labels ride on the 续页 line: on every page after a form's first (DOCX header, drawn PDF, HTML string-set)
LABELS = ("{% if policy.label %}　{{ policy.label }}{% endif %}{% if p.sample %}　示例数据{% endif %}")
CONT = "{{ plan_year }}年城镇老旧小区改造项目开工认定核查表（续页）　项目编号：{{ p.id }}" + LABELS
# the merged volume's index pages: the labels in the top margin (the cover has them in its body)
FRONT_LABELS = ("{% if policy.label %}{{ policy.label }}{% endif %}{% if policy.label and projects and projects[0].sample %}"
                "　{% endif %}{% if projects and projects[0].sample %}示例数据{% endif %}")
# every page's footer: its number as the merged county PDF prints it ("— N —", centred) and the form's project
FOOTER_ID = "项目编号：{{ p.id }}"


@dataclass
class Cell:
    lines: list[tuple[str, str]]        # (Jinja text, role): role "" plain, "cite" small 楷体, "strong" 黑体
    head: bool = False                  # a heading cell (th, 黑体, centred)
    span: int = 1
    align: str = "left"


@dataclass
class Row:
    cells: list[Cell]
    loop: str | None = None             # Jinja "for" target, e.g. "c in p.criteria"
    header: bool = False                # repeated on every page the table runs onto
    min_height_mm: float | None = None


@dataclass
class Table:
    name: str
    widths_mm: list[float]
    rows: list[Row]
    borders: bool = True
    keep_with_next: bool = False


@dataclass
class Para:
    text: str
    role: str                            # label, title, basis, cutoff, verdict, indent, note
    cond: str | None = None              # shown only when this Jinja condition holds


@dataclass
class Keep:
    """Blocks that stay on one page together (the verdict and signatures never stand alone)."""
    blocks: list = field(default_factory=list)


def c(text: str, *more: tuple[str, str], head: bool = False, span: int = 1, align: str = "left") -> Cell:
    return Cell([(text, "")] + list(more), head=head, span=span, align=align)


def h(text: str, span: int = 1) -> Cell:
    return Cell([(text, "")], head=True, span=span, align="center")


FACTS = Table("facts", [36, 42, 36, 42], [
    Row([h("{{ lower_unit }}"), c("{{ p.county }}"), h("项目编号"), c("{{ p.id }}")]),
    Row([h("小区名称"), c("{{ p.name }}", span=3)]),
    Row([h("楼栋数"), c("{{ p.buildings }}"), h("户数"), c("{{ p.households }}")]),
    Row([h("{{ f.name }}"), c("{{ f.value }}", span=3)], loop="f in p.fields"),
    # rows of a provision the policy may not have: looped over a list that is empty when it is absent
    Row([h("居民同意率"), c("{{ lower_organ }}填报：{{ p.consent or '未填报' }}{% if p.consent_ok is sameas false %}，低于要求{% endif %}",
                          ("要求：{{ consent_requirement }}居民同意", "cite"), span=3)],
        loop="_ in p.consent_rule"),
    Row([h("建成年份"), c("{{ lower_organ }}填报：{{ e.built_year or '未填报' }}{{ e.verdict }}",
                        ("改造范围：{{ e.rule }}", "cite"), span=3)], loop="e in p.eligibility"),
    Row([h("计划开工日期"), c("{{ p.planned_start | date_or_blank }}"),
         h("实际开工日期"), c("{{ p.actual_start | date_or_blank }}", ("{{ lower_organ }}填报", "cite"))]),
])

CRITERIA = Table("criteria", [9, 63, 40, 22, 22], [
    Row([h("序号"), h("开工认定标准"), h("{{ lower_organ }}填报"), h("核查情况"), h("核查意见")], header=True),
    Row([c("{{ c.id }}", align="center"),
         # no clause under each criterion: the 依据 line names the 标准 once (issue 21.1: no citations in a form)
         c("{{ c.text }}"),
         Cell([("{{ c.reported }}", ""), ("{{ c.conflict }}", "strong"), ("{{ c.evidence }}", "cite")]),
         c("□符合", ("□不符合", ""), align="left"),
         c("")], loop="c in p.criteria", min_height_mm=10),
], keep_with_next=False)

SIGN = Table("sign", [52, 52, 52], [
    Row([c("核查人（签字）："), c("建设单位（盖章）："), c("监管责任单位（盖章）：")], min_height_mm=12),
    Row([c("日期：　　年　月　日"), c("日期：　　年　月　日"), c("日期：　　年　月　日")]),
], borders=False)

FORM = [
    Para("{{ policy.label }}", "label", cond="policy.label"),
    Para("示例数据", "label", cond="p.sample"),
    Para("{{ plan_year }}年城镇老旧小区改造项目开工认定核查表", "title"),
    Para("依据：{{ doc_number }}{{ start_criteria.clause }}《{{ start_criteria.title }}》", "basis"),
    Para("{{ lower_organ }}填报数据截至：{{ p.as_of_text }}", "cutoff"),
    FACTS,
    CRITERIA,
    Keep([
        Para("核查结论：□符合开工认定标准，认定开工日期：　　　　年　　月　　日", "verdict"),
        Para("□不符合开工认定标准，未满足第　　　　条", "indent"),
        Para("注：“{{ lower_organ }}填报”为{{ lower_unit }}在工作簿中的填报，不是核查结论；核查情况、核查意见、核查结论由核查人现场核实后填写。",
             "note"),
        SIGN,
    ]),
]


# -- the merged county PDF's cover and index (PDF only; generated into checklist_front.html as well) --------------
TOTAL_PAGES = "{{ total_pages }}"                  # the volume's page count (HTML: counter(pages))
FIRST_PAGE = "{{ first_pages[loop.index0] }}"      # the page a project's form starts on (HTML: target-counter)
COVER = [
    Para("{{ policy.label }}", "label", cond="policy.label"),
    Para("示例数据", "label", cond="projects and projects[0].sample"),
    Para("{{ projects[0].county if projects else '' }}\n{{ plan_year }}年城镇老旧小区改造项目\n开工认定核查表", "cover-title"),
    Para("共{{ projects | length }}个项目，本册共" + TOTAL_PAGES + "页", "cover"),
    Para("{{ lower_organ }}填报数据截至：{{ projects[0].as_of_text if projects else '' }}", "cover"),
    Para("依据：{{ doc_number }}{{ start_criteria.clause }}《{{ start_criteria.title }}》", "cover"),
]
INDEX_TITLE = Para("目　录", "index-title")
# the labels above the index (its first page; the drawn volume adds them in the margin of any further index page)
INDEX_LABELS = [Para("{{ policy.label }}", "label", cond="policy.label"),
                Para("示例数据", "label", cond="projects and projects[0].sample")]
INDEX = Table("toc", [10, 20, 56, 14], [
    Row([h("序号"), h("项目编号"), h("小区名称"), h("页码")], header=True),
    Row([c("{{ loop.index }}", align="center"), c("{{ p.id }}"), c("{{ p.name }}"), c(FIRST_PAGE, align="center")],
        loop="p in projects"),
])


def _walk(blocks):
    for b in blocks:
        if isinstance(b, Keep):
            yield from _walk(b.blocks)
        else:
            yield b


# -- HTML ----------------------------------------------------------------------------------------------
HTML_HEAD = """<!DOCTYPE html>
{#- GENERATED from generator/render/checklist_layout.py by scripts/build_form_templates.py, like
    checklist.docx: edit the layout there (or restyle checklist.css), not here. One form per project in
    `projects`; each starts with one <h1> (the batch renderer splits the chunk PDFs at it).
    Written as well-formed XML (<br/>, <col/>): the PDF path then parses it much faster. -#}
<html lang="zh-CN">
<head>
<meta charset="utf-8"/>
<title>{{ plan_year }}年城镇老旧小区改造项目开工认定核查表</title>
<meta name="author" content="{{ issuer }}"/>
<meta name="description" content="{{ manifest }}"/>
</head>
<body{% if merged %} class="merged"{% endif %}>
{% if merged %}{% include "checklist/checklist_front.html" %}{% endif %}
{% for p in projects %}
<section class="sheet" id="f-{{ loop.index }}">
"""
HTML_TAIL = """</section>
{% endfor %}
</body>
</html>
"""


def _single_value(text: str) -> bool:
    return text.startswith("{{") and text.endswith("}}") and text.count("{{") == 1


def _html_lines(cell: Cell) -> str:
    out = []
    for i, (text, role) in enumerate(cell.lines):
        if i == 0 and not role:
            out.append(text)
        elif _single_value(text):
            expr = text[2:-2].strip()      # an optional value: no empty line when it is blank
            out.append(f'{{% if {expr} %}}<div class="{role or "line"}">{text}</div>{{% endif %}}')
        else:
            out.append(f'<div class="{role or "line"}">{text}</div>')
    return "".join(out)


def _html_table(t: Table) -> list[str]:
    total = sum(t.widths_mm)
    out = [f'<table class="{t.name}">',
           "  <colgroup>" + "".join(f'<col style="width: {w / total * 100:.2f}%"/>' for w in t.widths_mm) + "</colgroup>"]
    heads = [r for r in t.rows if r.header]
    if heads:
        out.append("  <thead>")
    for r in t.rows:
        if r.loop:
            out.append(f"  {{% for {r.loop} %}}")
        cells = []
        for cell in r.cells:
            tag = "th" if cell.head else "td"
            attrs = f' colspan="{cell.span}"' if cell.span > 1 else ""
            cls = {"center": "c", "right": "r"}.get(cell.align, "")
            attrs += f' class="{cls}"' if cls and not cell.head else ""
            cells.append(f"<{tag}{attrs}>{_html_lines(cell)}</{tag}>")
        style = f' style="height: {r.min_height_mm}mm"' if r.min_height_mm else ""
        out.append(f"  <tr{style}>" + "".join(cells) + "</tr>")
        if r.loop:
            out.append("  {% endfor %}")
        if r.header:
            out.append("  </thead><tbody>")
    if heads:
        out.append("  </tbody>")
    out.append("</table>")
    return out


def _html_block(b) -> list[str]:
    if isinstance(b, Table):
        return _html_table(b)
    if isinstance(b, Keep):
        return ['<div class="keep">'] + [line for x in b.blocks for line in _html_block(x)] + ["</div>"]
    if b.role == "title":
        line = f'<h1 data-cont="{CONT}" data-id="{FOOTER_ID}">{b.text}</h1>'
    else:
        line = f'<p class="{b.role}">{b.text}</p>'
    return [f"{{% if {b.cond} %}}{line}{{% endif %}}" if b.cond else line]


def build_html(form=FORM) -> str:
    body = [line for b in form for line in _html_block(b)]
    return HTML_HEAD + "".join(f"  {line}\n" for line in body) + HTML_TAIL


FRONT_HEAD = """{#- GENERATED from generator/render/checklist_layout.py (COVER, INDEX) by scripts/build_form_templates.py:
    cover and index of a county's merged checklist PDF, included by checklist.html when `merged`. Page numbers
    come from the CSS (@page, none on the cover); the index's page column is target-counter() of each form's
    anchor, so it always says where the form really starts. PDF only: the DOCX is one file per project. -#}
"""


def build_front_html() -> str:
    """checklist_front.html, from COVER and INDEX: the page references become CSS counters."""
    def html(b) -> list[str]:
        if isinstance(b, Para) and b.role == "cover-title":
            line = "<h2>" + b.text.replace("\n", "<br/>") + "</h2>"
            return [f"{{% if {b.cond} %}}{line}{{% endif %}}" if b.cond else line]
        if isinstance(b, Para) and b.role in ("cover", "index-title"):
            tag = "h2" if b.role == "index-title" else "p"
            return [f"<{tag}>{b.text}</{tag}>"]
        return _html_block(b)
    cover = [line for b in COVER for line in html(b)]
    index = [line for b in (*INDEX_LABELS, INDEX_TITLE, INDEX) for line in html(b)]
    text = (FRONT_HEAD + '<div class="cover">\n' + "".join(f"  {x}\n" for x in cover) + "</div>\n"
            + '<div class="index">\n' + "".join(f"  {x}\n" for x in index) + "</div>\n")
    return (text.replace(TOTAL_PAGES, '<span class="total"></span>')
            .replace(FIRST_PAGE, '<a href="#f-{{ loop.index }}"></a>'))


# -- DOCX ----------------------------------------------------------------------------------------------
# Sizes in half-points: title 小二 (18 pt), table and body 五号 (10.5 pt), citations 小五 (9 pt).
DOCX_SIZES = {"title": 36, "basis": 24, "label": 24, "cutoff": 21, "verdict": 22, "indent": 22, "note": 18,
              "cell": 21, "head": 21, "cite": 18, "strong": 21, "cont": 21, "footer": 24}
CELL_MARGIN_TWIPS = 57       # 1 mm left and right in every cell
TBLPR_ORDER = ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW",
               "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
               "tblCaption", "tblDescription", "tblPrChange"]
SINGLE = 240                 # single line spacing ("auto"): never w:line="0", which presses text on the rules


def build_docx(form=FORM) -> bytes:
    """The Word template (docxtpl tags, one per run) on the GB/T 9704 base page and footers."""
    from generator.render import gbt9704 as G
    doc = G.new_document()
    _form_page(doc)
    _continuation_header(doc, G)
    _form_footer(doc, G)
    for b in form:
        _docx_block(doc, b, G, keep=False)
    G.set_core_properties(doc, title="", author="gaizao")
    return G.to_bytes(doc)


def _form_page(doc):
    """A4 portrait, 28 mm binding margin as the HTML's @page; no 公文 line grid (forms use their own sizes)."""
    from docx.oxml.ns import qn
    from docx.shared import Mm
    s = doc.sections[0]
    s.top_margin, s.right_margin, s.bottom_margin, s.left_margin = Mm(25), Mm(26), Mm(20), Mm(28)
    s.header_distance, s.footer_distance = Mm(12), Mm(10)
    grid = s._sectPr.find(qn("w:docGrid"))
    if grid is not None:
        for a in ("w:linePitch", "w:charSpace"):
            grid.attrib.pop(qn(a), None)
        grid.set(qn("w:type"), "default")


def _continuation_header(doc, G):
    """Pages after the first carry 续页 and the project (a first-page header that stays empty)."""
    s = doc.sections[0]
    s.different_first_page_header_footer = True
    for header in (s.header, s.even_page_header):
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        _fmt(p, G, align="left")
        _run(p, CONT, G, "cont")
    s.first_page_header.is_linked_to_previous = False
    s.first_page_footer.is_linked_to_previous = False


def _form_footer(doc, G):
    """Every page (the first too): "— N —" centred, the project number flush right (tab stops), as the PDF."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    s = doc.sections[0]
    width = round(TEXT_WIDTH_MM / 25.4 * 1440)
    for footer in (s.first_page_footer, s.footer, s.even_page_footer):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        for child in list(p._p):
            p._p.remove(child)
        _fmt(p, G)
        tabs = OxmlElement("w:tabs")
        for kind, pos in (("center", width // 2), ("right", width)):
            tab = OxmlElement("w:tab")
            tab.set(qn("w:val"), kind)
            tab.set(qn("w:pos"), str(pos))
            tabs.append(tab)
        pPr = p._p.get_or_add_pPr()
        pPr.append(tabs)
        G._sort_children(pPr, G._PPR_ORDER)
        _run(p, "\t— ", G, "footer")
        for fld in ("begin", None, "separate", "1", "end"):
            r = _run(p, "", G, "footer")
            if fld in ("begin", "separate", "end"):
                fc = OxmlElement("w:fldChar")
                fc.set(qn("w:fldCharType"), fld)
                r._r.append(fc)
            elif fld is None:
                it = OxmlElement("w:instrText")
                it.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                it.text = " PAGE "
                r._r.append(it)
            else:
                r.text = fld
        _run(p, " —", G, "footer")
        _run(p, "\t" + FOOTER_ID, G, "cite")


def _fmt(p, G, *, align="left", before=0, after=0, keep=False, first_line_chars=None):
    G.set_paragraph_format(p._p.get_or_add_pPr(), align=align, before=before, after=after, line=SINGLE,
                           line_rule="auto", snap_to_grid=False, keep_next=keep, first_line_chars=first_line_chars)


def _run(p, text, G, role):
    font = {"title": G.FONT["title"], "label": G.FONT["heading1"], "head": G.FONT["heading1"],
            "strong": G.FONT["heading1"], "basis": G.FONT["heading2"], "cite": G.FONT["heading2"],
            "cont": G.FONT["heading2"], "footer": G.FONT["page_number"]}.get(role, G.FONT["body"])
    r = p.add_run(text)
    G.set_run_format(r._r.get_or_add_rPr(), font=font, size=DOCX_SIZES.get(role, DOCX_SIZES["cell"]))
    return r


def _docx_para(container, b: Para, G, keep: bool):
    if b.cond:
        p = container.add_paragraph()
        _run(p, f"{{%p if {b.cond} %}}", G, "cell")
    align = {"label": "right", "title": "center", "basis": "center"}.get(b.role, "left")
    spacing = {"title": (0, 80), "basis": (0, 60), "cutoff": (0, 120), "verdict": (120, 60), "indent": (0, 60),
               "note": (0, 60)}.get(b.role, (0, 0))
    p = container.add_paragraph()
    _fmt(p, G, align=align, before=spacing[0], after=spacing[1], keep=keep,
         first_line_chars=500 if b.role == "indent" else None)
    _run(p, b.text, G, b.role)
    if b.cond:
        q = container.add_paragraph()
        _run(q, "{%p endif %}", G, "cell")


def _docx_block(doc, b, G, keep: bool):
    if isinstance(b, Keep):
        for x in b.blocks:
            _docx_block(doc, x, G, keep=True)
    elif isinstance(b, Table):
        _docx_table(doc, b, G, keep)
        if b.name != "sign":
            _fmt(doc.add_paragraph(), G, after=0, keep=keep)     # a small gap between tables
    else:
        _docx_para(doc, b, G, keep)


def _docx_table(doc, t: Table, G, keep: bool):
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm
    tbl = doc.add_table(rows=0, cols=len(t.widths_mm))
    if t.borders:
        tbl.style = doc.styles["Table Grid"]
    tbl.autofit = False                      # python-docx writes the one w:tblLayout fixed, in schema order
    # Word and LibreOffice put a table's border one cell margin left of the text margin: indent the table
    # by that margin (1 mm) and shorten the grid by as much, so every rule lies inside the margins.
    tblPr = tbl._tbl.tblPr
    ind = OxmlElement("w:tblInd")
    ind.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
    ind.set(qn("w:type"), "dxa")
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tblPr.append(ind)
    tblPr.append(mar)
    G._sort_children(tblPr, TBLPR_ORDER)
    scale = (sum(t.widths_mm) - CELL_MARGIN_TWIPS / 1440 * 25.4) / sum(t.widths_mm)
    widths = [w * scale for w in t.widths_mm]
    for gc, w in zip(tbl._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        gc.set(qn("w:w"), str(round(w / 25.4 * 1440)))

    def add_row(cells: list[Cell] | None, r: Row | None, tag: str | None = None):
        row = tbl.add_row()
        trPr = row._tr.get_or_add_trPr()
        trPr.append(OxmlElement("w:cantSplit"))              # a row never splits across pages
        if r is not None and r.min_height_mm:
            hgt = OxmlElement("w:trHeight")
            hgt.set(qn("w:val"), str(round(r.min_height_mm / 25.4 * 1440)))
            hgt.set(qn("w:hRule"), "atLeast")
            trPr.append(hgt)
        if r is not None and r.header:
            trPr.append(OxmlElement("w:tblHeader"))          # repeated on every page
        for i, w in enumerate(widths):
            row.cells[i].width = Mm(w)
        if tag is not None:
            p = row.cells[0].paragraphs[0]
            _fmt(p, G)
            _run(p, tag, G, "cell")
            return row
        assert cells is not None                  # a row without a tag is a row of cells
        i = 0
        merges = []
        for cell in cells:
            target = row.cells[i]
            for k, (text, role) in enumerate(cell.lines):
                optional = k > 0 and _single_value(text)
                if optional:                                  # as in the HTML: no empty line for a blank value
                    _run(target.add_paragraph(), f"{{%p if {text[2:-2].strip()} %}}", G, "cell")
                p = target.paragraphs[0] if k == 0 else target.add_paragraph()
                _fmt(p, G, align="center" if cell.head else cell.align, keep=keep)
                if text:
                    _run(p, text, G, "head" if cell.head else (role or "cell"))
                if optional:
                    _run(target.add_paragraph(), "{%p endif %}", G, "cell")
            target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            if cell.span > 1:
                merges.append((i, i + cell.span - 1))
            i += cell.span
        for a, b in merges:
            row.cells[a].merge(row.cells[b])
        return row

    for r in t.rows:
        if r.loop:
            add_row(None, None, f"{{%tr for {r.loop} %}}")
        add_row(r.cells, r)
        if r.loop:
            add_row(None, None, "{%tr endfor %}")
    return tbl
