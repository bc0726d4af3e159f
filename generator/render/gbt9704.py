"""GB/T 9704-2012 page layout as DOCX building blocks (python-docx + raw OXML).

Shared by every Word document gaizao writes (notice, county plan template, checklists, acceptance
forms): A4 with the 版心 156 × 225 mm at 37 mm from the top and 28 mm from the left, a 22-line ×
28-character grid, styles that name the Windows/WPS fonts in ``w:eastAsia`` (theme fonts removed,
because they override explicit names), odd/even footers with "— N —" page numbers and a slim base
document without python-docx's 800 KB of default styles.

Numbers come from ``docs/reference`` gbt9704.md §1–§7; comments give the clause.

Typical use (templates are generated once by scripts/build_templates.py):

    doc = new_document()                         # slim, A4, grid, styles, footers
    doc.add_paragraph("……", style=STYLE["body"])
    set_core_properties(doc, title=..., author=issuer, date=issue_date)
"""
from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

# -- geometry (twips: 1/1440 inch) ----------------------------------------------------------------
PAGE_W, PAGE_H = 11906, 16838                        # A4 [std 5.1]
MARGIN_TOP, MARGIN_BOTTOM = 2098, 1984               # 37 mm / 35 mm: 版心 225 mm high [std 5.2.1]
MARGIN_LEFT, MARGIN_RIGHT = 1588, 1474               # 28 mm / 26 mm: 版心 156 mm wide
FOOTER_DISTANCE = 1417                               # 25 mm: dash top ≈ 7 mm below the 版心 [std 7.5]
LINES, CHARS = 22, 28                                # [std 5.2.3]
LINE_PITCH = 579                                     # 225 mm / 22 rounded down (580 gives 21 lines)
TEXT_WIDTH_PT = 156 / 25.4 * 72                      # 442.2 pt
CHAR_PITCH_PT = TEXT_WIDTH_PT / CHARS                # 15.79 pt
CHAR_SPACING = -5                                    # w:spacing in twentieths of a point: 16 − 0.25 pt

# -- type sizes (half-points, as w:sz) ------------------------------------------------------------
SIZE = {"二号": 44, "三号": 32, "四号": 28, "小四": 24, "五号": 21}
BODY_PT = 16                                         # 三号 [std 5.2.2]

# -- fonts by role: the names Word/WPS know; fonts/fonts.conf maps them to Fandol / Noto ----------
FONT = {
    "title": "方正小标宋简体",     # 标题, 发文机关标志 [std 7.2.4, 7.3.1]
    "body": "仿宋_GB2312",        # 正文 and every default element [std 5.2.2]
    "heading1": "黑体",           # 一、 [std 7.3.3]
    "heading2": "楷体_GB2312",    # （一） [std 7.3.3]
    "page_number": "宋体",        # 页码 [std 7.5]
}
LATIN = "Times New Roman"
RED = "FF0000"

# Style ids used by templates (ASCII ids, Chinese names as shown in Word's style list).
STYLE = {
    "normal": "Normal",
    "banner": "GWBanner", "doc_number": "GWDocNumber", "title": "GWTitle", "addressee": "GWAddressee",
    "body": "GWBody", "heading1": "GWHeading1", "heading2_char": "GWHeading2Char",
    "signature": "GWSignature", "date": "GWDate", "attachment_note": "GWAttachmentNote",
    "plan_title": "GWPlanTitle", "attachment_label": "GWAttachmentLabel", "attachment_title": "GWAttachmentTitle",
    "page_number": "GWPageNumber", "header_mark": "GWHeaderMark", "table_text": "GWTableText",
}


def char_space(normal_pt: float = BODY_PT) -> int:
    """docGrid w:charSpace for 28 characters a line, relative to the Normal style's size (ECMA-376)."""
    return round((CHAR_PITCH_PT - normal_pt) * 4096)


def lines(n: float) -> int:
    """n grid lines in twips (spacing before/after)."""
    return round(n * LINE_PITCH)


# -- low-level OXML helpers ---------------------------------------------------------------------
def _child(parent, tag: str, **attrs):
    """Get or create child ``tag`` of ``parent`` and set w:-attributes."""
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        parent.append(el)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), str(v))
    return el


def set_fonts(rPr, east_asia: str, latin: str = LATIN, hint: bool = False) -> None:
    """Fonts on a run or style: East Asian name in w:eastAsia, theme attributes removed."""
    rf = rPr.get_or_add_rFonts() if hasattr(rPr, "get_or_add_rFonts") else _child(rPr, "w:rFonts")
    for a in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rf.attrib.pop(qn(a), None)
    rf.set(qn("w:ascii"), latin)
    rf.set(qn("w:hAnsi"), latin)
    rf.set(qn("w:eastAsia"), east_asia)
    rf.set(qn("w:cs"), latin)
    if hint:
        rf.set(qn("w:hint"), "eastAsia")


def _rpr(style_el):
    return style_el.get_or_add_rPr()


def _ppr(style_el):
    return style_el.get_or_add_pPr()


def set_run_format(rPr, *, font: str | None = None, size: int | None = None, color: str | None = None,
                   bold: bool | None = None, scale: int | None = None, spacing: int | None = None,
                   hint: bool = False, latin: str = LATIN) -> None:
    """Character formatting in schema order (rFonts, b, color, spacing, w, sz, szCs)."""
    if font:
        set_fonts(rPr, font, latin=latin if font != FONT["page_number"] else font, hint=hint)
    if bold is not None:
        _child(rPr, "w:b", val=1 if bold else 0)
        _child(rPr, "w:bCs", val=1 if bold else 0)
    if color:
        _child(rPr, "w:color", val=color)
    if spacing is not None:
        _child(rPr, "w:spacing", val=spacing)
    if scale is not None:
        _child(rPr, "w:w", val=scale)
    if size:
        _child(rPr, "w:sz", val=size)
        _child(rPr, "w:szCs", val=size)
    _sort_children(rPr, _RPR_ORDER)


def set_paragraph_format(pPr, *, align: str | None = None, first_line_chars: int | None = None,
                         left_chars: int | None = None, right_chars: int | None = None,
                         before: int | None = None, after: int | None = None, line: int | None = None,
                         line_rule: str = "exact", page_break_before: bool = False, keep_next: bool = False,
                         widow_control: bool | None = None, border_bottom: dict | None = None,
                         snap_to_grid: bool | None = None) -> None:
    """Paragraph formatting; indents in hundredths of a character (200 = 2 字) plus twips for LibreOffice."""
    if keep_next:
        _child(pPr, "w:keepNext")
    if page_break_before:
        _child(pPr, "w:pageBreakBefore")
    if widow_control is not None:
        _child(pPr, "w:widowControl", val=1 if widow_control else 0)
    if border_bottom:
        bdr = _child(pPr, "w:pBdr")
        _child(bdr, "w:bottom", **border_bottom)
    if snap_to_grid is not None:
        _child(pPr, "w:snapToGrid", val=1 if snap_to_grid else 0)
    if any(v is not None for v in (before, after, line)):
        sp = _child(pPr, "w:spacing")
        if before is not None:
            sp.set(qn("w:before"), str(before))
            sp.set(qn("w:beforeLines"), "0")
        if after is not None:
            sp.set(qn("w:after"), str(after))
            sp.set(qn("w:afterLines"), "0")
        if line is not None:
            sp.set(qn("w:line"), str(line))
            sp.set(qn("w:lineRule"), line_rule)
    if any(v is not None for v in (first_line_chars, left_chars, right_chars)):
        ind = _child(pPr, "w:ind")
        unit = BODY_PT * 20 / 100                     # twips per hundredth of a 三号 character
        if left_chars is not None:
            ind.set(qn("w:leftChars"), str(left_chars))
            ind.set(qn("w:left"), str(round(left_chars * unit)))
        if right_chars is not None:
            ind.set(qn("w:rightChars"), str(right_chars))
            ind.set(qn("w:right"), str(round(right_chars * unit)))
        if first_line_chars is not None:
            ind.set(qn("w:firstLineChars"), str(first_line_chars))
            ind.set(qn("w:firstLine"), str(round(first_line_chars * unit)))
    if align:
        _child(pPr, "w:jc", val=align)
    _sort_children(pPr, _PPR_ORDER)


_PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
              "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
              "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
              "sectPr", "pPrChange"]
_RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
              "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
              "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
              "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"]


_RANKS: dict[int, tuple[list[str], dict[str, int]]] = {}     # id(order) -> (order, its tags' ranks), made once


def _sort_children(el, order: list[str]) -> None:
    """Word rejects elements out of schema order; python-docx appends, so sort after editing."""
    got = _RANKS.get(id(order))
    if got is None or got[0] is not order:
        got = _RANKS[id(order)] = (order, {qn(f"w:{n}"): i for i, n in enumerate(order)})
    rank = got[1]
    kids = list(el)
    kids.sort(key=lambda k: rank.get(k.tag, len(order)))
    for k in kids:
        el.append(k)


# -- styles ----------------------------------------------------------------------------------------
KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "TableGrid"}


def _style(doc, style_id: str, name: str, kind=WD_STYLE_TYPE.PARAGRAPH, based_on: str | None = "Normal"):
    styles = doc.styles
    st = styles.add_style(name, kind)
    st.element.set(qn("w:styleId"), style_id)
    if based_on and kind == WD_STYLE_TYPE.PARAGRAPH:
        st.base_style = styles[based_on] if based_on != "Normal" else styles["Normal"]
    st.quick_style = True
    return st


def define_styles(doc) -> None:
    """The GB/T 9704 styles; documents and templates refer to them by the ids in STYLE."""
    styles_el = doc.styles.element
    # docDefaults carry theme fonts in python-docx's template: make them explicit.
    rpr_default = styles_el.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr_default is not None:
        set_run_format(rpr_default, font=FONT["body"], size=SIZE["三号"])
        lang = _child(rpr_default, "w:lang", val="en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
        _sort_children(rpr_default, _RPR_ORDER)

    no_hanging_punctuation(styles_el)

    normal = doc.styles["Normal"].element
    # −0.25 pt a character: 28 三号 characters fill the 156 mm line (15.79 pt pitch) [gbt9704.md §1].
    set_run_format(_rpr(normal), font=FONT["body"], size=SIZE["三号"], color="000000", spacing=CHAR_SPACING)
    # Exact grid pitch keeps 22 lines a page in Word, WPS and LibreOffice; widow control off
    # because moving lines breaks the grid [gbt9704.md §1].
    set_paragraph_format(_ppr(normal), align="both", before=0, after=0, line=LINE_PITCH, widow_control=False)

    def para(key, name, based_on="Normal", run=None, **fmt):
        st = _style(doc, STYLE[key], name, based_on=based_on)
        if run:
            set_run_format(_rpr(st.element), **run)
        if fmt:
            set_paragraph_format(_ppr(st.element), **fmt)
        return st

    big_line = dict(line=0, line_rule="auto")
    # 发文机关标志: red 小标宋, centred; top 35 mm below the 版心 top [std 7.2.4]. The renderer fits
    # its size and horizontal scale to the 156 mm width (w:sz, w:w on the run).
    para("banner", "公文发文机关标志", run=dict(font=FONT["title"], size=72, color=RED, scale=70),
         align="center", before=1871, after=0, line=240, line_rule="auto", snap_to_grid=False)
    # 发文字号: 2 blank lines below the 标志, centred; the red rule 4 mm below it [std 7.2.5, 7.2.7].
    para("doc_number", "公文发文字号", align="center", before=lines(2), after=0,
         border_bottom=dict(val="single", sz=12, space=5, color=RED))
    para("title", "公文标题", run=dict(font=FONT["title"], size=SIZE["二号"]), align="center",
         before=lines(2), after=lines(1))              # 2 lines below the rule, 1 blank line above 主送
    para("addressee", "公文主送机关", align="both")       # 顶格 [std 7.3.2]
    para("body", "公文正文", first_line_chars=200)        # 左空二字 [std 7.3.3]
    para("heading1", "公文一级标题", run=dict(font=FONT["heading1"]), first_line_chars=200, keep_next=True)
    para("attachment_note", "公文附件说明", first_line_chars=200, before=lines(1))
    # Sealed 署名: above the 成文日期, which sits 右空四字 [std 7.3.5.1]; room for the seal above.
    para("signature", "公文署名", align="right", right_chars=200, before=lines(1), keep_next=True)
    para("date", "公文成文日期", align="right", right_chars=400)
    para("plan_title", "公文印发方案标题", run=dict(font=FONT["title"], size=SIZE["二号"]), align="center",
         page_break_before=True, after=lines(1))
    para("attachment_label", "公文附件标识", run=dict(font=FONT["heading1"]), page_break_before=True)
    para("attachment_title", "公文附件标题", run=dict(font=FONT["title"], size=SIZE["二号"]), align="center",
         before=lines(1), after=lines(1))
    para("header_mark", "公文草案标识", run=dict(font=FONT["heading1"], size=SIZE["四号"], color=RED),
         align="center", **big_line)
    para("page_number", "公文页码", run=dict(font=FONT["page_number"], size=SIZE["四号"], hint=True), **big_line)
    para("table_text", "公文表格文字", run=dict(size=SIZE["小四"]), align="left", **big_line)
    h2 = _style(doc, STYLE["heading2_char"], "公文二级标题字符", kind=WD_STYLE_TYPE.CHARACTER, based_on=None)
    set_run_format(_rpr(h2.element), font=FONT["heading2"])


MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W15_NS = "http://schemas.microsoft.com/office/word/2012/wordml"


def no_hanging_punctuation(styles_el) -> None:
    """Line-end ，。、； stay inside the 156 mm 版心 (no 标点溢出边界) in every paragraph, via docDefaults.

    Word and WPS read ``w:overflowPunct w:val="0"`` as "no hanging punctuation". LibreOffice's DOCX
    import (writerfilter, 7.x) reads the value inverted (ParaIsHangingPunctuation = val == 0), so 0 makes
    it hang the mark up to 5.7 mm into the right margin and 1 stops it. An mc:AlternateContent gives each
    its value: the Choice requires w15 (Word 2013+ and WPS know it), which LibreOffice does not take
    (it takes Choices for wps/wpg/w14/wpc only), so it reads the Fallback. Placed where w:overflowPunct
    belongs in the pPr sequence, so the pPr a consumer sees after choosing stays in schema order.
    """
    ppr = styles_el.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}")
    if ppr is None:
        defaults = _child(styles_el, "w:docDefaults")
        ppr = _child(_child(defaults, "w:pPrDefault"), "w:pPr")
    for old in ppr.findall(f"{{{MC_NS}}}AlternateContent"):
        ppr.remove(old)
    alt = etree.SubElement(ppr, f"{{{MC_NS}}}AlternateContent", nsmap={"mc": MC_NS, "w15": W15_NS})
    choice = etree.SubElement(alt, f"{{{MC_NS}}}Choice", Requires="w15")
    _child(choice, "w:overflowPunct", val=0)
    _child(etree.SubElement(alt, f"{{{MC_NS}}}Fallback"), "w:overflowPunct", val=1)
    rank = {qn(f"w:{n}"): i for i, n in enumerate(_PPR_ORDER)}
    slot = _PPR_ORDER.index("overflowPunct")
    kids = list(ppr)
    kids.sort(key=lambda k: slot if k is alt else rank.get(k.tag, len(_PPR_ORDER)))
    for k in kids:
        ppr.append(k)


def _slim(doc) -> None:
    """Drop python-docx's bloat: 270 unused styles, stylesWithEffects, customXml, thumbnail, latent styles."""
    styles_el = doc.styles.element
    for st in list(styles_el.findall(qn("w:style"))):
        if st.get(qn("w:styleId")) not in KEEP_STYLES:
            styles_el.remove(st)
    latent = styles_el.find(qn("w:latentStyles"))
    if latent is not None:
        styles_el.remove(latent)
    drop = ("stylesWithEffects", "customXml", "webSettings", "thumbnail")
    for rels in (doc.part.rels, doc.part.package.rels):
        for rid, rel in list(rels.items()):
            if any(rel.reltype.endswith(d) for d in drop):
                del rels[rid]


# -- page setup, footers, settings -------------------------------------------------------------------
def setup_page(section, normal_pt: float = BODY_PT, grid_type: str = "lines") -> None:
    """A4, GB/T 9704 margins and the 22 × 28 grid on one section.

    ``grid_type="lines"`` (default) fixes 22 lines and gets 28 characters from the −0.25 pt character
    spacing of the Normal style; it lays out the same in Word, WPS and LibreOffice. ``"linesAndChars"``
    is what Word's 文档网格 dialog writes (28 characters from ``charSpace``), but LibreOffice then
    puts 14 characters on a line [gbt9704.md §1, verified here]. ``charSpace`` is written either way.
    """
    sp = section._sectPr
    for tag in ("w:pgSz", "w:pgMar", "w:cols", "w:docGrid"):
        el = sp.find(qn(tag))
        if el is not None:
            sp.remove(el)
    pg = OxmlElement("w:pgSz")
    pg.set(qn("w:w"), str(PAGE_W))
    pg.set(qn("w:h"), str(PAGE_H))
    mar = OxmlElement("w:pgMar")
    for k, v in (("top", MARGIN_TOP), ("right", MARGIN_RIGHT), ("bottom", MARGIN_BOTTOM), ("left", MARGIN_LEFT),
                 ("header", 851), ("footer", FOOTER_DISTANCE), ("gutter", 0)):
        mar.set(qn(f"w:{k}"), str(v))
    cols = OxmlElement("w:cols")
    cols.set(qn("w:space"), "425")
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), grid_type)
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(char_space(normal_pt)))
    for el in (pg, mar, cols, grid):
        sp.append(el)
    _sort_children(sp, ["headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
                        "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign",
                        "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings"])


def _page_number_paragraph(paragraph, odd: bool) -> None:
    """'— N —' in 宋体 四号; odd pages right 1 字 in, even pages left 1 字 in [std 7.5]."""
    pPr = paragraph._p.get_or_add_pPr()
    _child(pPr, "w:pStyle", val=STYLE["page_number"])
    ind = _child(pPr, "w:ind")
    one_char = SIZE["四号"] * 10                        # 14 pt in twips
    ind.set(qn("w:right" if odd else "w:left"), str(one_char))
    _child(pPr, "w:jc", val="right" if odd else "left")
    _sort_children(pPr, _PPR_ORDER)

    def run(text=None, fld=None):
        r = OxmlElement("w:r")
        if fld:
            fc = OxmlElement("w:fldChar")
            fc.set(qn("w:fldCharType"), fld)
            r.append(fc)
        else:
            t = OxmlElement("w:t")
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            t.text = text
            r.append(t)
        return r

    p = paragraph._p
    p.append(run("— "))
    p.append(run(fld="begin"))
    instr = OxmlElement("w:r")
    it = OxmlElement("w:instrText")
    it.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    it.text = " PAGE "
    instr.append(it)
    p.append(instr)
    p.append(run(fld="separate"))
    p.append(run("1"))
    p.append(run(fld="end"))
    p.append(run(" —"))


def setup_footers(doc, section=None) -> None:
    """Odd/even footers with PAGE fields; w:evenAndOddHeaders in settings."""
    section = section or doc.sections[0]
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        for r in list(p._p.findall(qn("w:r"))):
            p._p.remove(r)
        _page_number_paragraph(p, odd)


def page_label(doc, text: str, section=None, align: str = "right") -> None:
    """``text`` (示例数据, a draft label, or a Jinja tag that prints them) in the page header of every page,
    odd and even (the footers differ, so the headers must both be set), red 黑体 四号 like a draft mark: the
    label is on every printed page, not only above the title of page 1 (issue 21.5)."""
    section = section or doc.sections[0]
    doc.settings.odd_and_even_pages_header_footer = True
    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False
        p = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        for r in list(p._p.findall(qn("w:r"))):
            p._p.remove(r)
        pPr = p._p.get_or_add_pPr()
        _child(pPr, "w:pStyle", val=STYLE["header_mark"])
        set_paragraph_format(pPr, align=align, snap_to_grid=False)
        _sort_children(pPr, _PPR_ORDER)
        r = p.add_run(text)
        set_run_format(r._r.get_or_add_rPr(), font=FONT["heading1"], size=SIZE["四号"], color=RED)


def setup_settings(doc) -> None:
    """Chinese defaults in settings.xml: no compatibility with Word 2003 line breaking surprises."""
    s = doc.settings.element
    lang = s.find(qn("w:themeFontLang"))
    if lang is None:
        lang = OxmlElement("w:themeFontLang")
        s.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def new_document(normal_pt: float = BODY_PT):
    """A slim python-docx Document with the GB/T 9704 page, grid, styles and page-number footers."""
    doc = Document()
    _slim(doc)
    define_styles(doc)
    body = doc.element.body
    for p in list(body.findall(qn("w:p"))):
        body.remove(p)
    setup_page(doc.sections[0], normal_pt)
    setup_footers(doc)
    setup_settings(doc)
    return doc


def add_paragraph(doc_or_container, text: str = "", style_key: str = "body", runs: list | None = None):
    """A paragraph in one of the STYLE roles; ``runs`` = [(text, char_style_id or None), ...]."""
    p = doc_or_container.add_paragraph()
    pPr = p._p.get_or_add_pPr()
    _child(pPr, "w:pStyle", val=STYLE[style_key])
    _sort_children(pPr, _PPR_ORDER)
    for t, rstyle in (runs if runs is not None else [(text, None)]):
        if not t:
            continue
        r = p.add_run(t)
        for t_el in r._r.findall(qn("w:t")):     # keep leading/trailing spaces of filled-in values
            t_el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        if rstyle:
            rPr = r._r.get_or_add_rPr()
            _child(rPr, "w:rStyle", val=rstyle)
    return p


def set_core_properties(doc, *, title: str = "", author: str = "", date: dt.date | None = None,
                        subject: str = "", keywords: str = "", comments: str = "") -> None:
    """Fixed core properties: the issuer as author, the issue date as created/modified (deterministic)."""
    cp = doc.core_properties
    cp.title = title
    cp.author = author
    cp.last_modified_by = author
    cp.subject = subject
    cp.keywords = keywords
    cp.comments = comments             # replaces python-docx's "generated by python-docx"
    cp.category = ""
    cp.revision = 1
    when = dt.datetime.combine(date or dt.date(2000, 1, 1), dt.time())
    cp.created = when
    cp.modified = when
    cp.last_printed = when


def to_bytes(doc) -> bytes:
    """Serialise a Document (not yet normalised; base.save_zip_document does that)."""
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def base_docx_bytes() -> bytes:
    """The slim GB/T 9704 base as normalised .docx bytes (for templates built from code)."""
    from generator.render.base import normalize_zip
    doc = new_document()
    set_core_properties(doc, title="", author="gaizao")
    return normalize_zip(to_bytes(doc))


__all__ = ["PAGE_W", "PAGE_H", "MARGIN_TOP", "MARGIN_BOTTOM", "MARGIN_LEFT", "MARGIN_RIGHT", "LINE_PITCH",
           "FONT", "STYLE", "SIZE", "RED", "char_space", "lines", "set_fonts", "set_run_format",
           "set_paragraph_format", "define_styles", "setup_page", "setup_footers", "page_label", "new_document", "add_paragraph",
           "set_core_properties", "to_bytes", "base_docx_bytes"]
