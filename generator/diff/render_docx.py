"""The 新旧对照表 as an official-style DOCX (python-docx, built in code: the layout is the table).

A4 landscape; title in 方正小标宋简体 二号; header row in 黑体; body in 仿宋_GB2312 (always set in
``w:eastAsia``, theme fonts removed, see reference gbt9704 §7); deletions struck through in 原规定,
insertions underlined in 修改后; page numbers “— 1 —” in 宋体 四号, right on odd pages and left on even
pages. The bytes are deterministic: fixed core-property dates and normalised zip members
(``save_zip_document``), so the same two policies give the same file.
"""
from __future__ import annotations

import datetime as dt
import io

from generator.diff.model import PolicyDiff
from generator.diff.render_text import readable_side
from generator.diff.textdiff import Ops
from generator.render.base import docx_set_custom_properties, manifest_text
from generator.render.gbt9704 import FONT, LATIN

# the official document fonts by role, named once in gbt9704
FANGSONG, HEITI, KAITI, XBS, SONG = FONT["body"], FONT["heading1"], FONT["heading2"], FONT["title"], FONT["page_number"]
BODY_PT, TITLE_PT, SUBTITLE_PT, PAGE_NO_PT = 12, 22, 14, 14       # 小四 table text, 二号 title, 四号
COLUMNS_MM = (30, 78, 78, 61)        # 条款 / 原规定 / 修改后 / 修改说明 = 247 mm between 25 mm margins
FIXED_DATE = dt.datetime(2000, 1, 1)


def to_docx(diff: PolicyDiff, lang: str = "zh") -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    en = lang == "en"
    doc = Document()
    _default_fonts(doc, FANGSONG, BODY_PT)
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    sec.left_margin = sec.right_margin = Mm(25)
    sec.top_margin, sec.bottom_margin = Mm(25), Mm(25)
    sec.footer_distance = Mm(12)
    _page_numbers(doc, sec)
    if diff.new.label or diff.new.status != "issued":
        _page_label(doc, sec, diff.new.label or ("draft" if en else "未印发版本"))

    for line in _title_lines(diff, en):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, line, XBS, TITLE_PT, latin=XBS)          # digits of a title in the title face
    for key, side in ((("old", "原规定"), diff.old), (("new", "修改后"), diff.new)):   # one line each: readable names
        sub = doc.add_paragraph()
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(sub, f"{key[0]}: {readable_side(side, lang)}" if en else f"{key[1]}：{readable_side(side, lang)}",
             KAITI, SUBTITLE_PT)
    if diff.new.label or diff.new.status != "issued":
        note = doc.add_paragraph()
        note.alignment = WD_ALIGN_PARAGRAPH.CENTER
        text = (f"{diff.new.label or diff.new.status}: not an issued document" if en
                else f"{diff.new.label or '未印发版本'}：非正式印发文件，仅供讨论")
        _run(note, text, HEITI, SUBTITLE_PT)
    if diff.levels:                            # a city against its province: say what is (not) compared
        _run(doc.add_paragraph(), diff.levels["note_en" if en else "note"], FANGSONG, BODY_PT)

    head = ("Clause", "Old", "New", "Explanation") if en else ("条款", "原规定", "修改后", "修改说明")
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _repeat_header(table.rows[0])
    for column, width in zip(table.columns, COLUMNS_MM):
        column.width = Mm(width)          # w:gridCol: LibreOffice and WPS lay out by the grid
    for cell, text, width in zip(table.rows[0].cells, head, COLUMNS_MM):
        cell.width = Mm(width)
        hp = cell.paragraphs[0]
        hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(hp, text, HEITI, BODY_PT)
    for r, row in enumerate(diff.rows):
        # the first row shares page 1 with the title block: a piece no taller than what is left there, so
        # page 1 never holds the title alone (a row is never split, a taller one would go to page 2 whole)
        for k, (old, new, notes) in enumerate(_row_pieces(row, FIRST_PAGE_LINES if r == 0 else ROW_LINES)):
            cells = table.add_row().cells
            for cell, width in zip(cells, COLUMNS_MM):
                cell.width = Mm(width)
            _plain_cell(cells[0], row.clause if k == 0 else f"{row.clause}{CONTINUED_EN if en else CONTINUED}")
            _ops_cell(cells[1], old, "delete", blank=k > 0)
            _ops_cell(cells[2], new, "insert", blank=k > 0)
            _plain_cell(cells[3], "".join(t for _, t in notes))
    if diff.identical:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[3])
        _plain_cell(merged, "No changes." if en else "两个版本无变化。")
    for row in table.rows:                     # a row (one clause, old beside new) is never split across pages
        _cant_split(row)
    _closing_row(table, diff.summary(lang), en)

    props = doc.core_properties
    props.title = "".join(_title_lines(diff, en))
    props.author = "gaizao"
    props.last_modified_by = "gaizao"
    props.revision = 1
    props.created = props.modified = FIXED_DATE
    docx_set_custom_properties(doc, {"gaizao_manifest": manifest_text(diff_manifest(diff))})
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def diff_manifest(diff: PolicyDiff) -> dict:
    """Which two versions this table compares (stored in the DOCX custom properties)."""
    from importlib.metadata import version
    return {"generator": f"gaizao {version('gaizao')}", "kind": "policy-diff", "county": diff.county,
            **{f"{name}_{k}": getattr(side, k) for name, side in (("old", diff.old), ("new", diff.new))
               for k in ("id", "version", "hash")}}


def _title_lines(diff: PolicyDiff, en: bool) -> list[str]:
    """《新标题》 on one line, 新旧对照表 on the next (a title never breaks inside a word)."""
    if en:
        return [diff.new.title, f"comparison with the previous version{' for ' + diff.county if diff.county else ''}"]
    county = f"（{diff.county}）" if diff.county else ""
    return [f"《{diff.new.title}》", f"新旧对照表{county}"]


SIGN_OFF = (("拟稿", "Drafted by"), ("审核", "Reviewed by"), ("签发", "Approved by"))


def _closing_row(table, summary: str, en: bool) -> None:
    """The summary and the 拟稿、审核、签发 block as the table's last row: one merged cell without side or bottom
    rules (it reads as the lines under the table), never split, and the clause row above it kept with it.

    Issue 21.4: LibreOffice does not keep a table's last row with the paragraph after the table, so with other
    font metrics a block after the table fell alone on the last page. Rows are kept together by both Word and
    LibreOffice (keep-with-next in a row's first cell, LibreOffice's Word-compatible "table row keep"), so the
    block is a row: it goes to the next page only with the last clause row, under the repeated header."""
    for cp in table.rows[-1].cells[0].paragraphs + [c.paragraphs[0] for c in table.rows[-1].cells[1:]]:
        cp.paragraph_format.keep_with_next = True
    row = table.add_row()
    _cant_split(row)
    cell = row.cells[0].merge(row.cells[-1])
    _no_rules(cell, ("left", "right", "bottom"))
    _run(cell.paragraphs[0], "", FANGSONG, BODY_PT)              # a blank line under the last clause
    summary_p = cell.add_paragraph()
    _run(summary_p, summary, FANGSONG, BODY_PT)
    _sign_off(cell, en)
    for p in cell.paragraphs[:-1]:                              # Word: the lines of the block stay together
        p.paragraph_format.keep_with_next = True


def _no_rules(cell, sides) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    tcPr = cell._tc.get_or_add_tcPr()
    borders = tcPr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        tcPr.append(borders)
    for side in sides:
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)


def _sign_off(cell, en: bool) -> None:
    """拟稿、审核、签发, each with a name line and a 日期 line, kept together."""
    from docx.shared import Pt
    blank = "　" * 8
    for i, (zh, en_label) in enumerate(SIGN_OFF):
        p = cell.add_paragraph()
        fmt = p.paragraph_format
        fmt.space_before = Pt(BODY_PT if i == 0 else 6)
        fmt.keep_together = True
        parts = ((f"{en_label}: ", False), (blank, True), ("    Date: ", False), ("　" * 6, True)) if en else \
            ((f"{zh}：", False), (blank, True), ("　　日期：　　　　年　　月　　日", False))
        for text, line in parts:                   # the blanks are underlined: a line to sign on
            _run(p, text, FANGSONG, SUBTITLE_PT).font.underline = line


# -- rows taller than a page ---------------------------------------------------------------------------
# A row never splits (w:cantSplit), so a clause change longer than a page would be cut off at its foot. Such a
# change is cut into several rows of at most ROW_LINES lines, each kept whole; the header row repeats on the next
# page and the clause column of each later piece reads "…（续）". Lines are counted with every character a full
# 小四 em (Latin is narrower: the estimate errs towards shorter pieces).
ROW_LINES = 24                     # 160 mm of page: 29–32 lines of 小四 (LibreOffice 4.96 mm, Word about 5.5 mm a line)
CELL_MARGIN_MM = 2 * 108 / 1440 * 25.4     # Table Grid: 108 twips left and right
CONTINUED, CONTINUED_EN = "（续）", " (cont.)"
SENTENCE_END = "。；！？\n"
BREAK_BACK_LINES = 6               # a piece ends at a sentence end within its last lines, else mid-sentence
FIRST_PAGE_LINES = 16              # 90 mm below the title block and header row: 18 lines in LibreOffice, 16 in Word


def _chars_per_line(width_mm: float) -> int:
    return max(1, int((width_mm - CELL_MARGIN_MM) / (BODY_PT * 25.4 / 72)))


def _split_ops(ops: Ops, per_line: int, max_lines: int = ROW_LINES, first_lines: int | None = None) -> list[Ops]:
    """``ops`` cut into pieces of at most ``max_lines`` lines of ``per_line`` characters (the first piece at most
    ``first_lines``), each piece ending at a sentence end where one is near; a line break at a cut is dropped (the
    next row starts a new line anyway)."""
    chars = [(tag, ch) for tag, text in ops for ch in text]
    pieces: list[Ops] = []
    start = 0
    page_lines = max_lines
    while start < len(chars):
        max_lines = first_lines if first_lines is not None and not pieces else page_lines
        line, col, cut, last_end = 0, 0, len(chars), None
        for i in range(start, len(chars)):
            ch = chars[i][1]
            if ch == "\n":
                line, col = line + 1, 0
            else:
                if col == per_line:
                    line, col = line + 1, 0
                col += 1
            if line >= max_lines:
                cut = last_end if last_end is not None else i
                break
            if ch in SENTENCE_END and line >= max_lines - BREAK_BACK_LINES:
                last_end = i + 1
        pieces.append(_regroup(chars[start:cut]))
        start = cut + 1 if cut < len(chars) and chars[cut][1] == "\n" else cut
    return pieces or [[]]


def _regroup(chars: list[tuple[str, str]]) -> Ops:
    out: Ops = []
    for tag, ch in chars:
        if out and out[-1][0] == tag:
            out[-1] = (tag, out[-1][1] + ch)
        else:
            out.append((tag, ch))
    return out


def _row_pieces(row, first_lines: int = ROW_LINES) -> list[tuple[Ops, Ops, Ops]]:
    """(原规定, 修改后, 修改说明) of each table row one 对照表 row needs: one, unless it is taller than the space
    (``first_lines`` for its first piece, a page for the others)."""
    width = dict(zip(("clause", "old", "new", "notes"), COLUMNS_MM))
    old = _split_ops(row.old, _chars_per_line(width["old"]), first_lines=first_lines)
    new = _split_ops(row.new, _chars_per_line(width["new"]), first_lines=first_lines)
    notes = _split_ops([("equal", "\n".join(row.notes))], _chars_per_line(width["notes"]), first_lines=first_lines)
    n = max(len(old), len(new), len(notes))
    return [(old[k] if k < len(old) else [], new[k] if k < len(new) else [], notes[k] if k < len(notes) else [])
            for k in range(n)]


# -- cells ---------------------------------------------------------------------------------------
def _plain_cell(cell, text: str) -> None:
    for k, line in enumerate(text.split("\n")):
        p = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
        _run(p, line, FANGSONG, BODY_PT)


def _ops_cell(cell, ops: Ops, mark: str, blank: bool = False) -> None:
    """Segments into runs; a line break in the text starts a new paragraph in the cell. An empty side prints
    "—", unless ``blank`` (a continuation row whose side ended in an earlier row)."""
    p = cell.paragraphs[0]
    for tag, text in ops:
        for k, piece in enumerate(text.split("\n")):
            if k:
                p = cell.add_paragraph()
            if piece:
                r = _run(p, piece, FANGSONG, BODY_PT)
                if tag == "delete" and mark == "delete":
                    r.font.strike = True
                elif tag == "insert" and mark == "insert":
                    r.font.underline = True
    if not any(text for _, text in ops) and not blank:
        _run(p, "—", FANGSONG, BODY_PT)


# -- fonts, header rows, page numbers ------------------------------------------------------------
def _set_fonts(rPr, east_asia: str, latin: str = LATIN) -> None:
    from docx.oxml.ns import qn
    rf = rPr.get_or_add_rFonts()
    for a in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rf.attrib.pop(qn(a), None)
    rf.set(qn("w:ascii"), latin)
    rf.set(qn("w:hAnsi"), latin)
    rf.set(qn("w:eastAsia"), east_asia)
    rf.set(qn("w:hint"), "eastAsia")


def _default_fonts(doc, east_asia: str, size_pt: int) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt
    normal = doc.styles["Normal"]
    normal.font.size = Pt(size_pt)
    _set_fonts(normal.element.get_or_add_rPr(), east_asia)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _set_fonts(rpr, east_asia)


def _run(p, text: str, east_asia: str, size_pt: int, latin: str = LATIN):
    from docx.shared import Pt
    r = p.add_run(text)
    r.font.size = Pt(size_pt)
    _set_fonts(r._element.get_or_add_rPr(), east_asia, latin)
    return r


def _cant_split(row) -> None:
    from docx.oxml import OxmlElement
    trPr = row._tr.get_or_add_trPr()
    trPr.insert(0, OxmlElement("w:cantSplit"))     # first: CT_TrPr lists cantSplit before tblHeader


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    trPr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trPr.append(el)


def _page_label(doc, sec, text: str) -> None:
    """The draft's label (示例草案) in the page header of every page, odd and even (issue 21.5)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import RGBColor
    for header in (sec.header, sec.even_page_header):
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        r = _run(p, text, HEITI, SUBTITLE_PT)
        r.font.color.rgb = RGBColor(0xFF, 0, 0)


def _page_numbers(doc, sec) -> None:
    """— N — in 宋体 四号: odd pages right, even pages left, one character in from the edge."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((sec.footer, WD_ALIGN_PARAGRAPH.RIGHT), (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = Pt(PAGE_NO_PT)
        else:
            p.paragraph_format.left_indent = Pt(PAGE_NO_PT)
        _run(p, "— ", SONG, PAGE_NO_PT, latin=SONG)      # the dash must not take the Latin font
        r = _run(p, "", SONG, PAGE_NO_PT, latin=SONG)
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
            if kind:
                fc = OxmlElement("w:fldChar")
                fc.set(qn("w:fldCharType"), kind)
                r._element.append(fc)
            elif text == " PAGE ":
                it = OxmlElement("w:instrText")
                it.set(qn("xml:space"), "preserve")
                it.text = text
                r._element.append(it)
            else:
                t = OxmlElement("w:t")
                t.text = text
                r._element.append(t)
        _run(p, " —", SONG, PAGE_NO_PT, latin=SONG)
