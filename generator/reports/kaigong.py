"""开工项目认定汇总表: per county, which projects may start, which may not, and why (附件 开工认定标准).

One row per project of the county's 项目清单, judged by ``validate.rules.projects.readiness`` — the same
function the validator's V302–V304 use, so the table and the findings never disagree: a criterion marked
met whose data contradicts it (criterion 1 at 75 % consent) is not met here either.

- not started, every criterion met on the as-of date: 可以开工;
- not started, some missing: 暂不具备开工条件, with the missing criteria and why;
- started: 已开工（符合认定标准）, or 已开工，不符合认定标准 with what was missing on its start date.

Written as XLSX (A4 landscape, fit to width, header rows repeated, borders, 示例数据 label when the plan is
sample data) and PDF (WeasyPrint, same rows), from plain data: the policy and a county's ``Plan``.
"""
from __future__ import annotations

import datetime as dt
import io
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.ledger import contract as C

if TYPE_CHECKING:
    from generator.render.pipeline import Document

MAY_START = "可以开工"
MAY_NOT_START = "暂不具备开工条件"
STARTED_OK = "已开工（符合认定标准）"
STARTED_NOT_OK = "已开工，不符合认定标准"
MET, NOT_MET = "√", "×"
PRESERVE = '<t xml:space="preserve">'


@dataclass
class KaigongRow:
    no: int
    project: str
    community: str
    households: str
    consent: str
    planned_start: str
    actual_start: str
    marks: list[str]                  # per criterion: √ / √ date / × / 未填报
    verdict: str
    why: str
    missing: list[int] = field(default_factory=list)


@dataclass
class KaigongTable:
    county: str
    as_of: dt.date
    title: str
    criteria: list[tuple[int, str, str]]     # (id, label, clause display)
    rows: list[KaigongRow]
    label: str                               # 示例数据 / draft label, "" for real data
    source: str                              # the policy document the criteria come from
    counts: dict[str, int]
    unapproved: bool = False                 # the submission behind it has no recorded approval (五（四）)

    def header(self) -> list[str]:
        return (["序号", C.PROJECT_ID, C.COMMUNITY, C.HOUSEHOLDS, C.CONSENT, C.PLANNED_START, C.ACTUAL_START]
                + [f"条件{cid}\n{label}" for cid, label, _ in self.criteria] + ["认定结果", "原因（未满足的条件）"])

    def values(self, r: KaigongRow) -> list[str]:
        return [str(r.no), r.project, r.community, r.households, r.consent, r.planned_start, r.actual_start,
                *r.marks, r.verdict, r.why]


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def kaigong_table(lp, county: str, plan, as_of: dt.date, *, sample: bool = False, checks: dict | None = None,
                  verdicts: dict | None = None, unapproved: bool = False) -> KaigongTable:
    """The table for ``county``'s rows of ``plan`` as of ``as_of`` (rows of other counties are left out).

    A started project's verdict is ``generator.reports.recognition.recognise`` — the one decision the
    register's counts use — from ``checks`` (Excel row -> the 开工认定 facts stored when the submission was
    recorded, with the dates a rule rejected; parsed, or their stored JSON text, of which a recognised start without
    a verdict is read without a parse, recognition.quick) or, for a plan read from a file, the same facts derived
    here;
    ``verdicts``: inspectors' verdicts by 项目编号 (符合/不符合, or per criterion)."""
    from generator.reports import recognition
    from generator.policy.cnfmt import pct
    from generator.render.official import label_of
    from generator.validate.rules.projects import readiness

    p = lp.policy
    if p.start_criteria is None:
        from generator.errors import RenderError
        raise RenderError("政策没有开工认定标准，无法生成开工项目认定汇总表",
                          "the policy has no start-of-work criteria (start_criteria)")
    rows = []
    counts = {MAY_START: 0, MAY_NOT_START: 0, STARTED_OK: 0, STARTED_NOT_OK: 0}
    projects = [r for r in plan.projects
                if r.value(C.COUNTY) is None or str(r.value(C.COUNTY)).strip() == county or plan.county == county]
    dated: dict[dt.date, str] = {}            # a date -> its mark (√ date), made once
    for i, row in enumerate(projects, 1):
        r = readiness(row, lp, as_of)
        if r.started is not None and r.started > as_of:
            r = readiness(_without_start(row), lp, as_of)      # a start after the as-of date had not happened yet
        marks = []
        for c in r.criteria:
            if c.met:
                if c.date:
                    mark = dated.get(c.date)
                    if mark is None:
                        mark = dated[c.date] = f"{MET} {c.date.isoformat()}"
                    marks.append(mark)
                else:
                    marks.append(MET)
            else:
                marks.append("未填报" if c.state == "blank" else NOT_MET)
        why = reasons(r.missing)
        if r.started is None:
            verdict = MAY_START if r.ready else MAY_NOT_START
        else:
            facts: Any = (checks or {}).get(row.row) if checks is not None else recognition.start_facts(row, lp)
            pid = _text(row.value(C.PROJECT_ID))
            said = (verdicts or {}).get(pid)
            if facts.__class__ is str:        # as stored: the decision made when recorded, read without a parse
                rec, facts = recognition.recognise_stored(r.started, facts, as_of, said)
            else:
                rec = recognition.recognise(r.started, facts, as_of, said)
            verdict = STARTED_OK if rec.recognised else STARTED_NOT_OK
            if not rec.recognised and (not why or rec.inspected or (facts or {}).get("rejected")):
                why = rec.why
            elif rec.recognised and rec.inspected:
                why = "经现场核查符合认定标准"
        counts[verdict] += 1
        consent = row.value(C.CONSENT)
        rows.append(KaigongRow(i, _text(row.value(C.PROJECT_ID)), _text(row.value(C.COMMUNITY)),
                               _text(row.value(C.HOUSEHOLDS)),
                               pct(consent) if isinstance(consent, (int, float)) and not isinstance(consent, bool) else "",
                               _text(row.value(C.PLANNED_START)), _text(r.started), marks, verdict, why,
                               [c.id for c in r.missing]))
    criteria = [(c.id, c.label, lp.text.display(c.clause)) for c in p.start_criteria.items]
    number = p.document.doc_number.value if p.document.doc_number else p.title
    return KaigongTable(county, as_of, f"{county}城镇老旧小区改造开工项目认定汇总表", criteria, rows,
                        label_of(lp, sample), f"{p.start_criteria.title}（{number}附件）", counts, unapproved)


def reasons(missing) -> str:
    """The missing criteria, short: "未填报：条件4、5；未达到：条件3；条件1：居民同意率75%，未达到80%以上"."""
    plain: dict[str, list[str]] = {}
    other = []
    for c in missing:
        if c.state == "blank":
            plain.setdefault("未填报", []).append(str(c.id))
        elif c.state == "no":
            plain.setdefault("未达到", []).append(str(c.id))
        else:
            other.append(f"条件{c.id}：{c.why}")
    return "；".join([f"{k}：条件{'、'.join(v)}" for k, v in plain.items()] + other)


def _without_start(row):
    from generator.ledger.model import Row
    cells = {k: v for k, v in row.cells.items() if k != C.ACTUAL_START}
    return Row(row.sheet, row.row, cells, row.col_index)


def summary_line(t: KaigongTable) -> str:
    c = t.counts
    return (f"共{len(t.rows)}个项目：{MAY_START}{c[MAY_START]}个，{MAY_NOT_START}{c[MAY_NOT_START]}个，"
            f"已开工{c[STARTED_OK] + c[STARTED_NOT_OK]}个（其中不符合认定标准{c[STARTED_NOT_OK]}个）。"
            + ("本表所依据的报送尚未经单位领导审核并加盖单位印章（五（四）），暂予列出。" if t.unapproved else ""))


def criteria_note(t) -> str:
    """条件N：label for the 说明 line; no clause citation in a table that goes out (issue 21.1: the 认定依据 line
    names the document)."""
    return "；".join(f"条件{cid}：{label}" for cid, label, _clause in t.criteria)


# -- XLSX ---------------------------------------------------------------------------------------------
WIDTHS = [5, 12, 18, 7, 8, 11, 11]
CRIT_WIDTH = 11
VERDICT_WIDTH, WHY_WIDTH = 14, 40
ROW_PT = 14                      # one line of 10 pt text


class _Halves(dict):
    """A str.translate table: a character's code -> the character as many times as its half-width units (two for
    East Asian Width W or F), each character's width looked up once."""

    def __missing__(self, code: int) -> str:
        import unicodedata
        ch = chr(code)
        got = self[code] = ch * 2 if unicodedata.east_asian_width(ch) in "WF" else ch
        return got


_HALVES = _Halves()


def _units(text: str) -> int:
    """Width of ``text`` in half-width units (a CJK character is two: East Asian Width W or F; no ASCII one is)."""
    if text.isascii():
        return len(text)
    return len(text.translate(_HALVES))


def _lines(text: str, width: float) -> int:
    """Lines a value takes in a column ``width`` characters wide (a CJK character is two)."""
    import math
    return max(1, math.ceil(_units(str(text)) / max(width - 1.5, 1)))


def xlsx_bytes(t: KaigongTable, when: dt.datetime) -> bytes:
    """The table as one sheet, written in openpyxl's write-only mode (issue 19.9: a county's 10,600 rows
    streamed, no cell objects kept): everything a row's writing reads (column widths, print setup, freeze
    panes, merged ranges) is set before the first row; each data cell takes its column's style (the
    workbook's indices of the same font, alignment and border). Text cells are cleaned and stored as text,
    a formula-like one shown as typed (quotePrefix), as ``safetext.neutralise_sheet`` does to a whole sheet."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import CellRange
    from openpyxl.worksheet.dimensions import RowDimension
    from openpyxl.worksheet._writer import WorksheetWriter, create_temporary_file

    from generator.ledger.writer import print_a4
    from generator.policy.cnfmt import cn_date
    from generator.safetext import FORMULA_START, clean, is_clean, is_formula_like

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("开工项目认定汇总表")
    header = t.header()
    n = len(header)
    last = get_column_letter(n)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    widths = WIDTHS + [CRIT_WIDTH] * len(t.criteria) + [VERDICT_WIDTH, WHY_WIDTH]
    # the layout's rows: [示例数据], title, 填报单位, header, one a project, summary, 说明, signatures
    first = 2 if t.label else 1
    head_row = first + 2
    end = head_row + len(t.rows) + 3
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    # the header (示例数据) and footer (page numbers) lines need room between their distance and the margin
    print_a4(ws, title_row=head_row, margins_in=(0.8, 0.5, 0.8, 0.5), header_footer_in=0.3)
    ws.print_area = f"A1:{last}{end}"
    if t.label:
        odd = ws.oddHeader
        assert odd is not None                # openpyxl gives every worksheet its header and footer
        odd.center.text = t.label
    ws.freeze_panes = f"D{head_row + 1}"
    for merged in (first, first + 1, end - 2, end - 1, end):
        ws.merged_cells.add(CellRange(min_col=1, min_row=merged, max_col=n, max_row=merged))
    ws.calculate_dimension = lambda: f"A1:{last}{end}"   # a write-only sheet states no extent of its own
    ws.row_dimensions[first].height = 30
    ws.row_dimensions[head_row].height = 42
    ws.row_dimensions[end - 1].height = 45

    row = 0

    def put(cells: list) -> None:
        """One row of the sheet (the rows around the table), its cells numbered here and written at once:
        openpyxl streams a write-only sheet's rows as they come."""
        nonlocal row
        row += 1
        for col, c in enumerate(cells, 1):
            c.row, c.column = row, col
            if isinstance(c.value, str):
                c.data_type = "s"             # text, never a formula (openpyxl types "=..." as one on assignment)
                if is_formula_like(c.value):
                    c.quotePrefix = True      # shown as typed, never run (safetext.neutralise_sheet)
        ws.append(cells)

    def cell(value, font=None, alignment=None, cell_border=None):
        c = WriteOnlyCell(ws, clean(value))
        if font is not None:
            c.font = font
        if alignment is not None:
            c.alignment = alignment
        if cell_border is not None:
            c.border = cell_border
        return c

    ws._values_to_row = lambda cells, row_idx: cells     # the cells as put() made them, numbered
    # the sheet's stream into a file opened here (openpyxl's own temporary file, named back on the writer before
    # the save reads it), so that a data row's XML text can be written between openpyxl's own elements
    path = create_temporary_file()
    stream = open(path, "wb")
    writer: Any = WorksheetWriter(ws, out=stream)
    ws._writer = writer
    writer.write_top()                        # what the first row would do
    if t.label:
        put([cell(t.label, Font(name="黑体", size=12, color="FF0000", bold=True))])
    put([cell(t.title, Font(name="方正小标宋简体", size=18), Alignment(horizontal="center", vertical="center"))])
    put([cell(f"填报单位：{t.county}（盖章）　　　　截至：{cn_date(t.as_of)}　　　　认定依据：{t.source}",
              Font(name="仿宋_GB2312", size=11))])
    head_font = Font(name="黑体", size=10)
    head_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
    put([cell(v, head_font, head_align, border) for v in header])
    # the data rows, written straight as the XML openpyxl writes for a styled text cell (its write_row and
    # lxml_write_cell: <c r s t="inlineStr"><is><t>): no cell object or element a value, each column's style (the
    # workbook's indices of its font, alignment and border, the verdict column's red one apart) made once and
    # numbered in the order openpyxl numbers them, as the cells are written (issue 19.9: 53,000 rows)
    styles: dict[tuple[int, bool, bool], Any] = {}
    ids: dict[int, str] = {}                  # id(style) -> its index in the workbook's cell styles, once written
    cell_styles = wb._cell_styles             # type: ignore[attr-defined]  # openpyxl: the workbook's cellXfs
    letters = [get_column_letter(i) for i in range(1, n + 1)]

    def style(col: int, red: bool, quote: bool):
        got = styles.get((col, red, quote))
        if got is None:
            if quote:                         # shown as typed, never run: the quote prefix is part of the style
                got = copy(style(col, red, False))
                got.quotePrefix = True
            else:
                got = cell(None, Font(name="仿宋_GB2312", size=10, color="C00000" if red else None),
                           Alignment(vertical="center", wrap_text=True,
                                     horizontal="left" if col in (2, 3, n) else "center"), border)._style
            styles[(col, red, quote)] = got
        return got

    class Texts(list):
        """One data row: (text, style) a column, and its height; ``styled``: the columns' styles when they are
        a row kind's shared list (a row without formula-like text), whose cells' openings are made once."""
        height: float
        styled: list | None = None

    high: dict[float, str] = {}               # a row height -> the attributes openpyxl writes for it

    def write_texts(xf, texts, row_idx):
        """The row's XML as openpyxl's lxml stream writes a row of styled text cells (<c r s t="inlineStr"><is><t>,
        xml:space="preserve" for a text with spaces at an end, <c></c> for an empty text, markup escaped, every
        non-ASCII character a decimal reference) built as one string and written into the file after what the
        stream holds: no element a cell (issue 19.9: 53,000 rows, 742,000 cells)."""
        out = [f'<row r="{row_idx}"{high[texts.height]}>']
        styled = texts.styled
        cols = None if styled is None else openings.get(id(styled))
        if cols is None:                      # each cell's <c r="A and its " s t="inlineStr">, styles numbered
            cols = []
            for letter, (_, arr) in zip(letters, texts):
                sid = ids.get(id(arr))
                if sid is None:
                    sid = ids[id(arr)] = f"{cell_styles.add(arr)}"
                cols.append((f'<c r="{letter}', f'" s="{sid}" t="inlineStr">'))
            if styled is not None:
                openings[id(styled)] = cols
        r = f"{row_idx}"
        for (opening, styling), (value, _) in zip(cols, texts):
            if value:
                tag = "<t>" if value == value.strip() else PRESERVE
                if "&" in value or "<" in value or ">" in value or "\r" in value:
                    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
                        "\r", "&#13;")
                out.append(f"{opening}{r}{styling}<is>{tag}{value}</t></is></c>")
            else:
                out.append(f"{opening}{r}{styling}</c>")
        out.append("</row>")
        xf.flush()
        stream.write("".join(out).encode("ascii", "xmlcharrefreplace"))

    write_row = writer.write_row
    writer.write_row = lambda xf, cells, row_idx: (write_texts if isinstance(cells, Texts) else write_row)(
        xf, cells, row_idx)
    lines: dict[float, dict[str, int]] = {w: {} for w in widths}      # a width -> a text -> its lines
    by_column = [lines[w] for w in widths]
    openings: dict[int, list[tuple[str, str]]] = {}   # id(a shared style list) -> its cells' openings
    plain: dict[bool, list] = {}              # r.missing -> each column's style in a row without formula-like text
    for r in t.rows:
        values = [str(v) for v in t.values(r)]
        if not is_clean("".join(values)):
            values = [clean(v) for v in values]
        values = [v[:32767] for v in values]                       # as openpyxl stores a text cell
        # LibreOffice and Excel do not grow a row for wrapped text on opening: give it its height
        most = 1
        for v, w, memo in zip(values, widths, by_column):
            k = memo.get(v)
            if k is None:                     # a text of n characters is at most 2n units wide
                k = memo[v] = 1 if 2 * len(v) <= w - 1.5 else _lines(v, w)
            if k > most:
                most = k
        row += 1
        missing = bool(r.missing)
        if any(v.startswith(FORMULA_START) for v in values):
            texts = Texts((v, style(col, col == n - 1 and missing, is_formula_like(v)))
                          for col, v in enumerate(values, 1))
        else:                                 # the same styles, made in the same order, as cell by cell above
            styled = plain.get(missing)
            if styled is None:
                styled = plain[missing] = [style(col, col == n - 1 and missing, False) for col in range(1, n + 1)]
            texts = Texts(zip(values, styled))
            texts.styled = styled
        texts.height = ROW_PT * most
        if texts.height not in high:
            high[texts.height] = "".join(f' {k}="{v}"' for k, v in dict(RowDimension(ws, index=row, ht=texts.height)).items())
        ws.append(texts)
    put([cell(summary_line(t), Font(name="仿宋_GB2312", size=11))])
    notes = criteria_note(t)
    put([cell(f"说明：√ 已达到（注明日期的为达到日期），× 未达到，未填报 视为未达到。{notes}。"
              "项目须在开工前达到全部条件方可认定开工。", Font(name="仿宋_GB2312", size=9),
              Alignment(wrap_text=True, vertical="top"))])
    put([cell("填报人：　　　　　　审核人：　　　　　　单位负责人：　　　　　　日期：　　　　年　　月　　日",
              Font(name="仿宋_GB2312", size=11))])
    assert row == end
    ws.close()                                # the sheet's stream ends: the file holds the whole sheet
    stream.close()
    writer.out = path                         # what the save reads (and removes)
    # saved as Workbook.save saves (openpyxl's save_workbook) but into a zip that stores its parts uncompressed:
    # the document pipeline compresses them once when it normalises the zip (zipdoc.normalize_zip), instead of
    # deflating the 11 MB sheet a second time only to inflate it there
    import zipfile

    from openpyxl.writer.excel import ExcelWriter
    buf = io.BytesIO()
    wb.properties.created = wb.properties.modified = when      # the document's date, not the run's: same bytes twice
    ExcelWriter(wb, zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED, allowZip64=True)).save()
    return buf.getvalue()


# -- PDF ----------------------------------------------------------------------------------------------
HTML_TEMPLATE = "reports/kaigong.html.j2"
CSS_FILE = "reports/kaigong.css"


def pdf_bytes(t: KaigongTable) -> bytes:
    from generator.policy.cnfmt import cn_date
    from generator.render import base
    from generator.render.forms_templates import new_environment

    source = (base.TEMPLATES / HTML_TEMPLATE).read_text(encoding="utf-8")
    css = (base.TEMPLATES / CSS_FILE).read_text(encoding="utf-8")
    fixed = {"no": 4, "id": 8, "name": 11, "num": 5, "date": 7.5, "crit": 6.2, "verdict": 9}
    used = fixed["no"] + fixed["id"] + fixed["name"] + 2 * fixed["num"] + 2 * fixed["date"] \
        + fixed["crit"] * len(t.criteria) + fixed["verdict"]
    widths = {**fixed, "why": round(100 - used, 2)}          # the reasons take what the criteria leave
    html = new_environment().from_string(source).render(
        t=t, widths=widths, header=t.header(), rows=[(r, t.values(r)) for r in t.rows], summary=summary_line(t),
        as_of=cn_date(t.as_of), notes=criteria_note(t))
    return base.html_to_pdf(html, css, metadata={"title": t.title, "subject": t.source})


def write_kaigong(lp, county: str, plan, as_of: dt.date, out_dir, *, sample: bool = False,
                  pdf: bool = True, checks: dict | None = None, verdicts: dict | None = None,
                  unapproved: bool = False) -> list[Path]:
    return write_table(kaigong_table(lp, county, plan, as_of, sample=sample, checks=checks, verdicts=verdicts,
                                     unapproved=unapproved), out_dir, pdf=pdf, lp=lp)


def write_table(t: KaigongTable, out_dir, *, lp, pdf: bool = True) -> list[Path]:
    """XLSX (and PDF) of a table through the document pipeline (the kind below): both rendered before either is
    written (atomic writes). ``lp``: the policy, for the manifest (the table carries its own label)."""
    from generator.render import pipeline
    doc = document(t)
    return pipeline.save(pipeline.render([(KIND, doc)], lp, out_dir, None if pdf else ("xlsx",)))


# -- the table as a kind of the document pipeline (generator/render/pipeline.py) -------------------------------------
# context: a KaigongTable; layout: the XLSX and the PDF above. gaizao report kaigong and register documents make it
# through write_table; gaizao render doc kaigong --plan F.xlsx [--county C] [--as-of DAY] too.
def document(t: KaigongTable) -> Document:
    from generator.render.pipeline import Document
    return Document(f"{t.title}（截至{t.as_of.isoformat()}）", t, t.title, bool(t.label), author=t.county)


def documents(lp, inputs) -> list:
    """One table per county part of the workbooks given (--county: that one), as of --as-of (default today)."""
    from generator.errors import UsageError
    from generator.ledger.reader import read_plan
    from generator.render.checklists import plan_is_sample
    from generator.validate.citywide import county_parts
    day = inputs.as_of or dt.date.today()
    plans = [read_plan(p, lp) for p in inputs.plans]
    parts = [(plan, part, part.county or "（未注明）") for plan, part in county_parts(plans, lp)]
    if inputs.county and inputs.county not in {name for _, _, name in parts}:
        found = "、".join(name for _, _, name in parts)
        raise UsageError(f"所给工作簿中没有{inputs.county}（有：{found}）",
                         f"{inputs.county} is not in the given workbooks ({found})")
    return [document(kaigong_table(lp, name, part, day, sample=plan_is_sample(plan)))
            for plan, part, name in parts if not inputs.county or name == inputs.county]


def _build(lp, data) -> list[str] | str:
    return [x for s in data.samples for x in ("--plan", str(s))] if data.samples else "没有示例工作簿"


def _kind():
    from generator.ledger.writer import document_time
    from generator.render.pipeline import Builder, DocumentKind, register
    return register(DocumentKind(
        "kaigong", "开工项目认定汇总表", "start-of-work table", documents,
        Builder(xlsx=lambda d, env: xlsx_bytes(d.context, document_time(env.lp.policy)),
                pdf=lambda d, env: pdf_bytes(d.context)),
        needs=("plans",), label=lambda lp, d: d.context.label, build=_build, built_by="register documents",
        help="每个下级单位一份：可开工/不可开工及原因（XLSX + PDF）"))


KIND = _kind()
