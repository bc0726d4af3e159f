"""A 公文 the office prints and stamps, as plain data rendered twice: DOCX (python-docx on the GB/T 9704
base of generator.render.gbt9704) and PDF (WeasyPrint with the notice's CSS), both from one ``Official``.

Reused from the notice, not forked: the 发文机关标志 fitting (notice.banner_fit), the 署名/成文日期
placement (notice.seal_layout), the page, fonts and styles (gbt9704). The 文号 is left as a field the
office fills: the policy's own 机关代字 with blank year and number, 许百城提质办〔　　〕　号. The 成文日期
is the date the user gives, or left blank (　　年　月　日) for the office to write in.
"""
from __future__ import annotations

import datetime as dt
import re
from copy import deepcopy
from typing import Any
from dataclasses import dataclass, field
from pathlib import Path

BLANK_DATE = "　　　　年　　月　　日"
BLANK_PRINTED = "　　年　月　日"             # the 印发日期 left to fill in the 版记's one line
SHORT_TABLE_ROWS = 8                 # a table of up to 8 rows (header included) is kept on one page
TABLE_PT = 10.5                      # 五号 in tables: a table of 6–8 columns fits the 156 mm 版心


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    widths: list[float] | None = None      # relative column widths
    caption: str = ""


@dataclass
class Official:
    """One document: every text already worded; blocks are paragraphs (str), headings (("h1", text)),
    or tables (Table)."""

    banner: str                            # 发文机关标志
    doc_number: str                        # 发文字号 (or its blank field)
    title: str
    addressee: str
    blocks: list = field(default_factory=list)
    signature: str = ""
    date: str = BLANK_DATE
    label: str = ""                        # 示例数据 / 草案: printed at the top of every page
    author: str = ""
    subject: str = ""
    issue_date: dt.date | None = None
    # 版记 [std 7.4]: 抄送 only where the policy or the office gives it; the 印发机关 (default: the issuer) and the
    # 印发日期 (default: the 成文日期, blank when that is blank) close every 文件格式 document
    cc: list[str] = field(default_factory=list)
    printer: str = ""
    printed: str = ""
    letter: bool = False                   # 信函格式 [std 10.1] (函): no 印发 line, no 版记 rules


def doc_number_field(lp) -> str:
    """The 文号 with blank year and number: the policy's 机关代字 + 〔　　〕　号 (the office fills them)."""
    number = lp.policy.document.doc_number
    text = number.value if number is not None else ""
    m = re.match(r"^(.*?)〔", text)
    prefix = m.group(1) if m else ""
    return f"{prefix}〔　　〕　号" if prefix else "〔　　〕　号"


ISSUER_BLANK = "××××"                  # the 发文机关 a plan does not state: a field the office fills, never a guess


def issuer_stated(lp) -> bool:
    """Does the policy state who issues its documents? A plan with its notice text does, and an issuer with a
    quote; a target table read from a report (issuer = the place, "报道未载明发文机关") does not."""
    p = lp.policy
    return (p.text is not None and p.text.notice is not None) or bool(getattr(p.document.issuer, "quote", None))


def issuer_of(lp) -> str:
    """The issuer for a 署名 / 印发机关: the policy's, or the blank field where the policy states none."""
    return lp.policy.document.issuer.value if issuer_stated(lp) else ISSUER_BLANK


def banner_of(lp, letter: bool = False) -> str:
    """The 发文机关标志 of the notice (…办公室文件); a letter (函) carries the issuer's name alone. A plan that
    names no issuer gets the blank field ××××文件 (issue 23.8: never "牡丹江市文件" made up from the city)."""
    from generator.render.notice import notice_context
    issuer = issuer_of(lp)
    if letter:
        return issuer
    if not issuer_stated(lp):
        return f"{issuer}文件"
    try:
        return notice_context(lp)["banner"] or f"{issuer}文件"
    except Exception:            # a policy without notice text: the issuer's name + 文件 [std 7.2.4]
        return f"{issuer}文件"


def office(lp) -> str:
    """The issuer as the notice itself names it in the text (issuer_short: 市百城办), else its full name."""
    d = lp.policy.document
    return d.issuer_short.value if d.issuer_short is not None else d.issuer.value


def date_text(day: dt.date | None) -> str:
    from generator.policy.cnfmt import cn_date
    return cn_date(day) if day else BLANK_DATE


_REGISTER_ID = re.compile(r"[，,、]\s*#\d+|（#\d+）|\(#\d+\)|#\d+")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def issued_text(text: str) -> str:
    """A message written for the office's terminal, as a document a leader signs may print it: register ids
    (#23) dropped and ISO dates in words (2023-06-30 -> 2023年6月30日). Issue 21.1: no internal trace."""
    text = _REGISTER_ID.sub("", text)
    return _ISO_DATE.sub(lambda m: f"{int(m[1])}年{int(m[2])}月{int(m[3])}日", text)


def label_of(lp, sample: bool) -> str:
    """The label rules' one home is the document pipeline (render.pipeline.label_of)."""
    from generator.render.pipeline import label_of as rules
    return rules(lp, sample)


def colophon(doc: Official) -> list[dict]:
    """The 版记 lines, top to bottom: [{"kind": "cc", "text": "抄送：…。"}, {"kind": "printed", "printer", "text"}].
    A letter (信函格式) has no 印发 line [std 10.1]; 抄送 names end with 。 [std 7.4.2]."""
    lines = []
    if doc.cc:
        lines.append({"kind": "cc", "text": "抄送：" + "，".join(doc.cc) + "。"})
    if not doc.letter:
        # a blank 印发日期 is shorter than the 成文日期's: the 印发机关 and the date share one 四号 line of 28 字 less
        # the two 1 字 indents, and the long blank wrapped "印发" onto a line of its own in LibreOffice's print
        printed = doc.printed or (doc.date if doc.date != BLANK_DATE else BLANK_PRINTED)
        lines.append({"kind": "printed", "printer": doc.printer or doc.author,
                      "text": printed if printed.endswith("印发") else printed + "印发"})
    return lines


# -- DOCX ---------------------------------------------------------------------------------------------
def render_docx(doc: Official, manifest: dict | None = None) -> bytes:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from generator.render import base
    from generator.render import gbt9704 as gw
    from generator.render.notice import banner_fit, seal_layout

    d = gw.new_document()
    if doc.label:
        # the label in the page header of every page (red 黑体 like a draft mark) [gbt9704.md]
        gw.page_label(d, doc.label, align="center")
    fit = banner_fit(doc.banner)
    p = gw.add_paragraph(d, doc.banner, "banner")
    for r in p.runs:
        gw.set_run_format(r._r.get_or_add_rPr(), size=round(fit["size_pt"] * 2), scale=round(fit["scale"] * 100))
    if doc.letter:
        _letter_head(d, p, doc, qn, OxmlElement)
    else:
        gw.add_paragraph(d, doc.doc_number, "doc_number")
    title_lines = doc.title.split("\n")
    p = gw.add_paragraph(d, title_lines[0], "title")
    for line in title_lines[1:]:                   # one title paragraph, lines broken (not spaced apart)
        r = p.add_run()
        r.add_break()
        r.add_text(line)
    gw.add_paragraph(d, doc.addressee, "addressee")
    formats: dict[tuple[bool, bool], tuple[Any, Any]] = {}
    for block in doc.blocks:
        if isinstance(block, Table):
            if block.caption:
                cap = gw.add_paragraph(d, block.caption, "body")
                gw.set_paragraph_format(cap._p.get_or_add_pPr(), keep_next=True)
            t = d.add_table(rows=1 + len(block.rows), cols=len(block.header))
            t.style = d.styles["Table Grid"] if "Table Grid" in [s.name for s in d.styles] else None
            t.alignment = WD_TABLE_ALIGNMENT.CENTER
            _borders(t, qn, OxmlElement)
            widths = block.widths or [1] * len(block.header)
            total = sum(widths)
            text_w = gw.PAGE_W - gw.MARGIN_LEFT - gw.MARGIN_RIGHT          # twips
            col_tw = [text_w * w // total for w in widths]
            for gc, tw in zip(t._tbl.tblGrid.findall(qn("w:gridCol")), col_tw):   # LibreOffice reads the grid
                gc.set(qn("w:w"), str(tw))
            n_rows = 1 + len(block.rows)
            table_rows = list(t.rows)              # python-docx lists every row again at each t.rows[i]
            for ri, values in enumerate([block.header, *block.rows]):
                row = table_rows[ri]
                # never one row alone on a page (issue 21.6): a short table moves whole; a long one keeps its header
                # with the first row, and its last row with the one before
                keep = ri < n_rows - 1 and (n_rows <= SHORT_TABLE_ROWS or ri <= 1 or ri == n_rows - 2)
                if ri == 0:               # the header row repeats on every page
                    trPr = row._tr.get_or_add_trPr()
                    trPr.append(OxmlElement("w:tblHeader"))
                row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
                cells = row.cells                  # and every cell of the row at each row.cells
                ppr, rpr = _cell_formats(ri == 0, keep, formats, qn, OxmlElement)
                for ci, value in enumerate(values):
                    cell = cells[ci]
                    cell.width = col_tw[ci] * 635                                      # EMU
                    para = cell.paragraphs[0]
                    para._p.insert(0, deepcopy(ppr))          # a new cell's paragraph is empty: its pPr comes first
                    run = para.add_run(str(value))
                    run._r.insert(0, deepcopy(rpr))           # before the run's text, as get_or_add_rPr puts it
        elif isinstance(block, tuple) and block[0] == "h1":
            gw.add_paragraph(d, block[1], "heading1")
        else:
            gw.add_paragraph(d, str(block), "body")
    layout = seal_layout(doc.signature, doc.date)
    # the 署名 page carries at least two lines of the text, never the seal alone nor with one line [std 7.3.5.1]:
    # the last two text paragraphs keep with the 署名, each with widow control (2 lines at least on a page)
    tail: list[Any] = []
    for block, para in zip(reversed(doc.blocks), reversed(d.paragraphs)):
        if isinstance(block, Table) or len(tail) == 2:
            break
        tail.append(para)
    for para in tail:
        gw.set_paragraph_format(para._p.get_or_add_pPr(), keep_next=True, widow_control=True)
    if len(tail) < 2 and len(doc.blocks) > len(tail) and isinstance(doc.blocks[-1 - len(tail)], Table) and d.tables:
        # a one-line closing (特此函告。) after a table: the table's last two rows go with it to the 署名's page
        for row in d.tables[-1].rows[-2:]:
            for cell in row.cells:
                for cp in cell.paragraphs:
                    gw.set_paragraph_format(cp._p.get_or_add_pPr(), keep_next=True)
    if doc.signature:
        p = gw.add_paragraph(d, doc.signature, "signature")
        gw.set_paragraph_format(p._p.get_or_add_pPr(), right_chars=round(layout["signature_right_chars"] * 100))
    p = gw.add_paragraph(d, doc.date, "date")
    gw.set_paragraph_format(p._p.get_or_add_pPr(), right_chars=round(layout["date_right_chars"] * 100))
    lines = colophon(doc)
    if lines:
        _colophon_table(d, lines, doc.letter, qn, OxmlElement)
    gw.set_core_properties(d, title=doc.title.replace("\n", ""), author=doc.author, date=doc.issue_date,
                           subject=doc.subject, keywords=doc.doc_number)
    if manifest:
        base.docx_set_custom_properties(d, {"gaizao_manifest": base.manifest_text(manifest)})
    return base.normalize_zip(gw.to_bytes(d))


LETTER_OVERHANG = 397            # twips each side: the letter's red double lines are 170 mm on the 156 mm 版心


def _letter_head(d, banner, doc: Official, qn, OxmlElement) -> None:
    """信函格式 [std 10.1]: under the issuer's name a red double line (thick over thin, 170 mm), the 文号 flush
    right below it; page 1 has its own footer: a red double line (thin over thick) 20 mm above the paper bottom
    and no page number. The name starts at the 版心 top (37 mm) in the DOCX, not 30 mm: Word cannot set a body
    paragraph above the top margin."""
    from generator.render import gbt9704 as gw
    pPr = banner._p.get_or_add_pPr()
    gw.set_paragraph_format(pPr, before=0, left_chars=0, right_chars=0)
    ind = pPr.find(qn("w:ind"))
    for a in ("w:leftChars", "w:rightChars"):
        ind.attrib.pop(qn(a), None)
    ind.set(qn("w:left"), str(-LETTER_OVERHANG))
    ind.set(qn("w:right"), str(-LETTER_OVERHANG))
    gw.set_paragraph_format(pPr, border_bottom=dict(val="thickThinSmallGap", sz=24, space=11, color=gw.RED))
    number = gw.add_paragraph(d, doc.doc_number, "body")
    gw.set_paragraph_format(number._p.get_or_add_pPr(), align="right", first_line_chars=0, before=280)
    section = d.sections[0]
    section.different_first_page_header_footer = True
    footer = section.first_page_footer
    footer.is_linked_to_previous = False
    fp = footer.paragraphs[0]
    for r in list(fp._p.findall(qn("w:r"))):
        fp._p.remove(r)
    fpPr = fp._p.get_or_add_pPr()
    gw.set_paragraph_format(fpPr, line=20, line_rule="exact", before=0, after=0, snap_to_grid=False)
    bdr = gw._child(fpPr, "w:pBdr")
    gw._child(bdr, "w:top", val="thinThickSmallGap", sz=24, space=0, color=gw.RED)
    gw._sort_children(fpPr, gw._PPR_ORDER)
    ind = gw._child(fpPr, "w:ind", left=-LETTER_OVERHANG, right=-LETTER_OVERHANG)
    gw._sort_children(fpPr, gw._PPR_ORDER)
    section.footer_distance = 20 * 36000          # EMU: the line 20 mm above the paper bottom
    if doc.label:                                  # the label on page 1 too
        header = section.first_page_header
        header.is_linked_to_previous = False
        hp = header.paragraphs[0]
        hp.text = ""
        r = hp.add_run(doc.label)
        gw.set_run_format(r._r.get_or_add_rPr(), font=gw.FONT["heading1"], size=gw.SIZE["四号"], color=gw.RED)
        hp.alignment = 1


def _colophon_table(d, lines: list[dict], letter: bool, qn, OxmlElement) -> None:
    """The 版记 as a table floating at the bottom of the 版心 of the last page [std 7.4.1] (w:tblpYSpec bottom):
    first and last rules 0.35 mm (w:sz 8), the rule between 抄送 and 印发 0.25 mm (6); a letter's has no rules
    [std 10.1]. 四号仿宋; 抄送 and the 印发机关 1 字 in, the 印发日期 1 字 from the right (right tab). The table
    is 150.7 mm, 2.6 mm short of each side of the 156 mm 版心: LibreOffice 7.4 lays a floating table within
    about 5 mm of the text width inline (measured: 300 twips less floats, 200 does not)."""
    from generator.render import gbt9704 as gw
    width = gw.PAGE_W - gw.MARGIN_LEFT - gw.MARGIN_RIGHT - 300
    t = d.add_table(rows=len(lines), cols=1)
    tblPr = t._tbl.tblPr
    pos = OxmlElement("w:tblpPr")
    for k, v in (("leftFromText", 0), ("rightFromText", 0), ("vertAnchor", "margin"), ("horzAnchor", "margin"),
                 ("tblpXSpec", "center"), ("tblpYSpec", "bottom")):
        pos.set(qn(f"w:{k}"), str(v))
    style = tblPr.find(qn("w:tblStyle"))
    (style.addnext if style is not None else lambda el: tblPr.insert(0, el))(pos)
    overlap = OxmlElement("w:tblOverlap")
    overlap.set(qn("w:val"), "never")
    pos.addnext(overlap)
    tw = tblPr.find(qn("w:tblW"))
    tw.set(qn("w:w"), str(width))
    tw.set(qn("w:type"), "dxa")
    for gc in t._tbl.tblGrid.findall(qn("w:gridCol")):
        gc.set(qn("w:w"), str(width))
    mar = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), "0")
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    look = tblPr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(mar)
    else:
        tblPr.append(mar)
    one_char = 280                                 # 四号 = 14 pt = 280 twips
    for i, (row, line) in enumerate(zip(t.rows, lines)):
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))     # a 版记 line never splits across pages
        cell = row.cells[0]
        cell.width = width * 635
        tcPr = cell._tc.get_or_add_tcPr()
        if not letter:
            borders = OxmlElement("w:tcBorders")
            for edge, sz, on in (("top", 8 if i == 0 else 6, i == 0 or line["kind"] == "printed"),
                                 ("bottom", 8, i == len(lines) - 1)):
                if on:
                    el = OxmlElement(f"w:{edge}")
                    for k, v in (("val", "single"), ("sz", sz), ("space", 0), ("color", "000000")):
                        el.set(qn(f"w:{k}"), str(v))
                    borders.append(el)
            tcPr.append(borders)
        para = cell.paragraphs[0]
        pPr = para._p.get_or_add_pPr()
        gw._child(pPr, "w:pStyle", val=gw.STYLE["body"])
        gw.set_paragraph_format(pPr, align="left", before=0, after=0)
        ind = gw._child(pPr, "w:ind", left=one_char, right=one_char, firstLine=0, firstLineChars=0)
        if line["kind"] == "cc":                   # wrapped names align after 抄送：
            for a in ("w:firstLine", "w:firstLineChars"):
                ind.attrib.pop(qn(a), None)
            ind.set(qn("w:left"), str(one_char * 4))
            ind.set(qn("w:hanging"), str(one_char * 3))
        if line["kind"] == "printed":
            tabs = gw._child(pPr, "w:tabs")
            gw._child(tabs, "w:tab", val="right", pos=width - one_char)
            run = para.add_run(line["printer"])
            run.add_tab()
            runs = [run, para.add_run(line["text"])]
        else:
            runs = [para.add_run(line["text"])]
        gw._sort_children(pPr, gw._PPR_ORDER)
        for r in runs:
            gw.set_run_format(r._r.get_or_add_rPr(), size=gw.SIZE["四号"])
    # the table's anchor: a 1 pt paragraph after it (a body ends with a paragraph)
    anchor = d.add_paragraph()
    gw.set_paragraph_format(anchor._p.get_or_add_pPr(), line=20, line_rule="exact", before=0, after=0,
                            snap_to_grid=False)


def _cell_formats(header: bool, keep: bool, made: dict, qn, OxmlElement) -> tuple[Any, Any]:
    """A table cell's paragraph and run formatting (pPr, rPr), made once for the header row or a body row, kept
    with the next row or not, and copied into each cell: the same elements as made cell by cell."""
    got = made.get((header, keep))
    if got is None:
        from generator.render import gbt9704 as gw
        pPr = OxmlElement("w:p").get_or_add_pPr()
        pPr.insert(0, _pstyle(gw.STYLE["table_text"], qn, OxmlElement))
        # off the 28.95 pt line grid: a table line is as high as its 五号 text
        gw.set_paragraph_format(pPr, align="center" if header else "left", snap_to_grid=False, keep_next=keep)
        rPr = OxmlElement("w:r").get_or_add_rPr()
        gw.set_run_format(rPr, font=gw.FONT["heading1"] if header else gw.FONT["body"], size=round(TABLE_PT * 2))
        got = made[(header, keep)] = (pPr, rPr)
    return got


def _pstyle(style_id: str, qn, OxmlElement):
    el = OxmlElement("w:pStyle")
    el.set(qn("w:val"), style_id)
    return el


def _borders(table, qn, OxmlElement) -> None:
    """Single 0.5 pt borders on every cell (no reliance on a table style Word may not have)."""
    tblPr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    # schema order of w:tblPr: ... tblInd, tblBorders, shd, tblLayout, tblCellMar, tblLook ...
    later = next((c for c in tblPr if c.tag in {qn(f"w:{n}") for n in ("shd", "tblLayout", "tblCellMar", "tblLook",
                                                                         "tblCaption", "tblDescription")}), None)
    if later is not None:
        later.addprevious(borders)
    else:
        tblPr.append(borders)
    # 1 mm left/right and 0.5 mm top/bottom inside each cell (before w:tblLook, after the borders)
    mar = OxmlElement("w:tblCellMar")
    for edge, tw in (("top", 28), ("left", 57), ("bottom", 28), ("right", 57)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(tw))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    look = tblPr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(mar)
    else:
        tblPr.append(mar)


# -- PDF ----------------------------------------------------------------------------------------------
HTML_TEMPLATE = "reports/official.html.j2"
CSS_FILES = ("base/gbt9704.css", "notice/notice.css", "reports/official.css")


def render_pdf(doc: Official, manifest: dict | None = None) -> bytes:
    from generator.render import base
    from generator.render.forms_templates import new_environment
    from generator.render.notice import banner_fit, seal_layout

    source = (base.TEMPLATES / HTML_TEMPLATE).read_text(encoding="utf-8")
    css = "\n".join((base.TEMPLATES / rel).read_text(encoding="utf-8") for rel in CSS_FILES)
    blocks = []
    for b in doc.blocks:
        if isinstance(b, Table):
            total = sum(b.widths or [1] * len(b.header))
            blocks.append({"kind": "table", "header": b.header, "rows": b.rows, "caption": b.caption,
                           "widths": [round(100 * w / total, 2) for w in (b.widths or [1] * len(b.header))]})
        elif isinstance(b, tuple):
            blocks.append({"kind": b[0], "text": b[1]})
        else:
            blocks.append({"kind": "p", "text": str(b)})
    html = new_environment().from_string(source).render(
        doc=doc, blocks=blocks, title_lines=doc.title.split("\n"), banner_fit=banner_fit(doc.banner),
        colophon=colophon(doc),
        seal_layout=seal_layout(doc.signature, doc.date))
    meta = {"title": doc.title.replace("\n", ""), "author": doc.author, "subject": doc.subject,
            "keywords": [doc.doc_number]}
    if manifest:
        meta["gaizaomanifest"] = base.manifest_text(manifest)
    return base.html_to_pdf(html, css, metadata=meta)


@dataclass(frozen=True)
class OfficialLayout:
    """The 公文 as a layout of the document pipeline (render/pipeline.py): the context is an ``Official`` (its own
    label), DOCX on the GB/T 9704 base and PDF. ``manifest``: False for a 公文 that has always been handed out
    without the manifest in its properties (the web's 回执 and 反馈意见函, web/letters.py)."""

    formats: tuple[str, ...] = ("docx", "pdf")
    manifest: bool = True

    def render(self, fmt: str, doc: Any, env: Any) -> bytes:
        manifest = env.manifest if self.manifest else None
        return render_docx(doc.context, manifest) if fmt == "docx" else render_pdf(doc.context, manifest)


def write(doc: Official, out_dir, stem: str, *, pdf: bool = True, manifest: dict | None = None) -> list[Path]:
    """DOCX (and PDF) of one 公文 into ``out_dir``; both rendered before either is written (pipeline.save). For a
    公文 outside any kind (tests, a one-off); every issued kind goes through its kind (render/pipeline.py)."""
    from generator.fileio import safe_filename
    from generator.render.pipeline import save
    out, stem = Path(out_dir), safe_filename(stem)
    files = [(out / f"{stem}.docx", render_docx(doc, manifest))]
    if pdf:
        files.append((out / f"{stem}.pdf", render_pdf(doc, manifest)))
    return save(files)
