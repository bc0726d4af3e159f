"""Write-back: the county's own workbook, marked up with what to fix.

Each faulty cell gets a fill (light red: error, yellow: warning) and a comment (code, message,
clause); a finding about a whole column (a sum, a count) marks that column's header; a 问题清单
sheet lists every finding with a link to its cell. The input is read, never written: the copy is
saved atomically to a different path.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import InputError, UsageError
from generator.findings import Finding, Severity
from generator.safetext import clean, neutralise_sheet
from generator.ledger import contract as C
from generator.ledger.model import Plan
from generator.validate.engine import canonical_sheet

if TYPE_CHECKING:
    from generator.render.pipeline import Document

ISSUES_SHEET = "问题清单"
FILLS = {Severity.ERROR: "FFC7CE", Severity.WARNING: "FFEB9C", Severity.INFO: "DDEBF7"}   # Excel's own palette
RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
HEADERS = ("级别", "代码", "工作表", "行", "列", C.PROJECT_ID, "说明", "依据条款")
HEADERS_EN = ("level", "code", "sheet", "row", "column", "project", "message", "clause")


def same_file(a, b) -> bool:
    a, b = Path(a), Path(b)
    if a.exists() and b.exists():
        return os.path.samefile(a, b)
    return a.resolve() == b.resolve()


def cell_of(plan: Plan, f: Finding) -> tuple[int, int] | None:
    """(row, column index) of the cell a finding is at: the cell itself, else the column's header."""
    sheet = canonical_sheet(plan, f.sheet)
    if sheet == C.SHEET_INFO:
        cell = plan.info.get(f.column or "")
        return (cell.row, cell.col_index) if cell is not None and cell.row and cell.col_index else None
    col = plan.headers.get(sheet or "", {}).get(f.column or "")
    if col is None:
        return None
    row = f.row or plan.header_rows.get(sheet or "")
    return (row, col) if row else None


def annotate(plan: Plan, findings: list[Finding], out, *, lp, lang: str = "zh") -> Path:
    """Write a marked-up copy of ``plan.file`` to ``out`` through the document pipeline (the kind below: rendered,
    then written atomically); returns the path written. ``lp``: the policy judged by (the pipeline's manifest)."""
    from generator.render import pipeline
    _check_xlsx(plan)
    if Path(out).suffix.lower() != ".xlsx":
        raise UsageError("标注输出文件应以 .xlsx 结尾", "the annotated copy must end in .xlsx", location=str(out))
    if same_file(plan.file, out):
        raise UsageError("标注输出不能覆盖原工作簿，请另取文件名", "refusing to overwrite the input workbook; "
                         "choose another file name", location=str(out))
    data = pipeline.produce(KIND, lp, document(plan, findings, lang=lang), "xlsx")
    return pipeline.save([(Path(out), data)])[0]


def _check_xlsx(plan: Plan) -> None:
    if plan.format != "xlsx":
        raise UsageError("--annotate 只能用于 .xlsx 工作簿", "--annotate needs an .xlsx workbook", location=plan.file)


def xlsx_bytes(plan: Plan, findings: list[Finding], *, lang: str = "zh") -> bytes:
    """The marked-up copy of ``plan.file`` as bytes, before its zip is normalised (the pipeline does it); the input
    is only read."""
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    _check_xlsx(plan)
    try:
        wb = load_workbook(plan.file)
    except Exception:
        raise InputError("工作簿无法用 openpyxl 打开，不能标注", "openpyxl cannot open the workbook to annotate it",
                         location=plan.file) from None
    en = lang == "en"
    by_cell: dict[tuple[str, int, int], list[Finding]] = {}
    for f in findings:
        if f.sheet is not None and f.sheet in wb.sheetnames and (at := cell_of(plan, f)) is not None:
            by_cell.setdefault((f.sheet, *at), []).append(f)
    for (sheet, r, c), fs in _merge_anchored(wb, by_cell).items():
        cell = wb[sheet].cell(row=r, column=c)
        worst = min((f.severity for f in fs), key=RANK.__getitem__)
        cell.fill = PatternFill("solid", fgColor=FILLS[worst])
        text = clean("\n".join(_line(f, lang) for f in fs))
        if cell.comment is not None:
            text = cell.comment.text + "\n" + text
        comment = Comment(text, "gaizao")
        comment.width, comment.height = 320, 60 + 40 * len(fs)
        cell.comment = comment

    if ISSUES_SHEET in wb.sheetnames:                  # annotating an annotated copy again
        del wb[ISSUES_SHEET]
    _print_setup_where_missing(wb, plan)
    ws = wb.create_sheet(ISSUES_SHEET, 0)
    ws.append(HEADERS_EN if en else HEADERS)
    for c in ws[1]:
        c.font = Font(bold=True)
    for f in findings:
        ws.append([f.severity.value if en else f.severity.zh, f.code, f.sheet, f.row, f.column, f.project,
                   f.text(lang), f.clause])
        at = cell_of(plan, f) if f.sheet in wb.sheetnames else None
        if at is not None:                             # 列 links to the cell (or to the header it marks)
            link = ws.cell(row=ws.max_row, column=5)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{f.sheet}'!{get_column_letter(at[1])}{at[0]}")
            link.font = Font(color="0563C1", underline="single")
        ws.cell(row=ws.max_row, column=1).fill = PatternFill("solid", fgColor=FILLS[f.severity])
    if not findings:
        ws.append(["", "", "", "", "", "", "No problems found" if en else "未发现问题", ""])
    for letter, width in zip("ABCDEFGH", (8, 8, 10, 6, 18, 12, 70, 26)):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    # printed as a list a clerk can work through: A4 landscape, one page wide, header row on every page
    from generator.ledger.writer import print_a4
    print_a4(ws, title_row=1, margins_in=(0.6, 0.5, 0.6, 0.5), centered=False)
    ws.auto_filter.ref = ws.dimensions
    neutralise_sheet(ws)            # a project id "=HYPERLINK(...)" stays text (the county's own sheets are theirs)
    from generator.ledger.writer import workbook_bytes
    # the copy's dates are the input's, so two runs give the same bytes
    when = wb.properties.modified or wb.properties.created or dt.datetime(2000, 1, 1)
    return workbook_bytes(wb, when, neutralise=False)


def _print_setup_where_missing(wb, plan: Plan) -> None:
    """The copy is printed to work through the marked cells: a county sheet without a print setup of its own (not
    fitted to pages, no print titles) gets the plan workbook's (ledger.writer.print_plan_sheet), so it prints on
    A4 with its title rows on each page instead of running off the paper; a setup the county made is kept."""
    from generator.ledger.writer import print_plan_sheet
    for ws in wb.worksheets:
        if ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage:
            continue
        if ws.print_title_rows or ws.print_title_cols:
            continue
        sheet = canonical_sheet(plan, ws.title)
        known = sheet if sheet in (*C.SHEETS, C.SHEET_GUIDE) else None
        print_plan_sheet(ws, known, plan.header_rows.get(sheet or ""))


def _merge_anchored(wb, by_cell: dict) -> dict:
    """Findings at a cell inside a merged range (a county written once over several rows, a header merged
    down over a two-row header) go to the range's top-left cell, the only one Excel shows and keeps."""
    out: dict[tuple[str, int, int], list[Finding]] = {}
    anchors: dict[str, list] = {}
    for (sheet, r, c), fs in by_cell.items():
        if sheet not in anchors:
            anchors[sheet] = list(wb[sheet].merged_cells.ranges)
        for mr in anchors[sheet]:
            if mr.min_row <= r <= mr.max_row and mr.min_col <= c <= mr.max_col:
                r, c = mr.min_row, mr.min_col
                break
        out.setdefault((sheet, r, c), []).extend(fs)
    return out


def _line(f: Finding, lang: str) -> str:
    clause = f"（{'clause' if lang == 'en' else '依据'}：{f.clause}）" if f.clause else ""
    return f"[{f.code} {f.severity.value if lang == 'en' else f.severity.zh}] {f.text(lang)}{clause}"


# -- the annotated copy as a kind of the document pipeline (generator/render/pipeline.py) -----------------------------
# context: an Annotated (the plan as read, its findings, the language); layout: xlsx_bytes above. validate --annotate
# and the web's annotated download make it through annotate / pipeline.produce; gaizao render doc annotate --plan
# F.xlsx [--as-of DAY] too (each workbook validated as validate does, written as <name>（标注）.xlsx).
@dataclass(frozen=True)
class Annotated:
    plan: Plan
    findings: list[Finding]
    lang: str = "zh"


def document(plan: Plan, findings: list[Finding], *, lang: str = "zh", stem: str = "") -> Document:
    from generator.render.pipeline import Document
    return Document(stem or f"{Path(plan.file).stem}（标注）", Annotated(plan, list(findings), lang), "标注副本",
                    author=plan.county or "")


def documents(lp, inputs) -> list[Document]:
    """Each workbook given (--plan) validated as ``gaizao validate`` does (as of --as-of, default today), marked up."""
    from generator.validate import validate_files
    result = validate_files(list(inputs.plans), lp, inputs.as_of or dt.date.today())
    return [document(plan, result.by_file.get(plan.file, [])) for plan in result.plans]


def _xlsx(doc, env) -> bytes:
    a = doc.context
    return xlsx_bytes(a.plan, a.findings, lang=a.lang)


def _kind():
    from generator.render.pipeline import Builder, DocumentKind, register
    return register(DocumentKind(
        "annotate", "标注副本", "annotated workbook", documents, Builder(xlsx=_xlsx), needs=("plans",),
        help="下级单位的工作簿原样复制，问题单元格着色并加批注，附“问题清单”（XLSX；原文件只读）"))


KIND = _kind()
