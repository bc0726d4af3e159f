"""Write the county workbook of docs/ledger.md: the blank template for one county, or a given Plan.

Everything in it comes from the policy: the columns (contract.build_contract), the title, the
county's targets, milestones, deadlines, consent threshold, liaison quota and funding channels in
the 填表说明 sheet, each with its clause. Data validation gives Excel/WPS users 是/否 dropdowns,
date checks and numeric ranges. The file is byte-identical on re-render: fixed core-property dates
(the policy's issue date) and a normalised zip (generator.zipdoc.normalize_zip).

The functions here return a workbook's bytes; the document pipeline (floor 4, which this floor may not import)
normalises and writes them: the printable 报送表 (county-workbook, render/county_plan.py) and the 信息月报 form
(monthly-form, register/monthly_form.py) and a workbook filled with a plan (sample-workbook, render/samples.py:
the sample workbooks of data/, the district samples and the register's sample year).
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from generator.errors import InputError
from generator.ledger import contract as C
from generator.ledger.contract import Column, build_contract
from generator.ledger.model import Cell, Plan
from generator.policy import cnfmt
from generator.policy import consent as consent_rule, goals

TITLE_ROW, HEADER_ROW = 1, 2          # 项目清单 / 联系点: title row, then the header row
SPARE_ROWS = 200                      # rows below the data that keep the validations

_NUMBER_FORMATS = {"date": "yyyy-mm-dd", "money": "0.00", "area": "0.00##", "percent": "0.0%", "int": "0", "phone": "@",
                   "text": "@", "textlist": "@"}
_WIDTHS = {"date": 13, "money": 12, "area": 14, "percent": 11, "int": 8, "phone": 15, "yesno": 10, "criterion": 14,
           "text": 16, "textlist": 30}


def label_of(policy) -> str | None:
    """What a non-issued policy prints on every document (示例草案 ...)."""
    if policy.label:
        return policy.label
    return None if policy.status == "issued" else {"draft": "草案", "sample": "示例"}[policy.status]


def plan_title(lp) -> str:
    from generator.policy.text import context
    return context(lp.policy)["plan_title"]


def plan_workbook_bytes(policy_loaded, county, plan: Plan | None = None, *, note: str | None = None) -> bytes:
    """The workbook of ``county`` (name or County), with ``plan``'s rows when given and ``note`` (e.g. 示例数据) in
    its title rows and 基本信息 备注, as bytes before their zip is normalised (``zipdoc.normalize_zip``; the document
    pipeline does it: the county workbook kind, render/county_plan.py, and the sample workbook kind,
    render/samples.py, whose write_plan_workbook writes it to a path)."""
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    lp = policy_loaded
    p = lp.policy
    name = getattr(county, "name", county)
    c = p.county(name)
    if c is None:
        known = "、".join(x.name for x in p.counties)
        raise InputError(f"政策中没有“{name}”（可选：{known}）", f"county '{name}' is not in the policy ({known})")
    contract = build_contract(p)
    title = f"{name}年度实施方案报送表——{plan_title(lp)}"
    tags = [t for t in (label_of(p), note) if t]
    shown_title = title + "".join(f"（{t}）" for t in tags)

    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)          # a new Workbook has one worksheet
    ws.title = C.SHEET_INFO
    _info_sheet(ws, lp, contract, c, plan, shown_title, note)
    _table_sheet(wb.create_sheet(C.SHEET_PROJECTS), lp, contract, C.SHEET_PROJECTS, plan, shown_title, c)
    if C.SHEET_LIAISON in contract.sheets:
        _table_sheet(wb.create_sheet(C.SHEET_LIAISON), lp, contract, C.SHEET_LIAISON, plan, shown_title, c)
    _guide_sheet(wb.create_sheet(C.SHEET_GUIDE), lp, contract, c, tags)
    for sheet in wb.worksheets:
        print_plan_sheet(sheet, sheet.title, HEADER_ROW if sheet.title != C.SHEET_GUIDE else TITLE_ROW)
    _properties(wb, lp, name, title, plan)
    return workbook_bytes(wb, document_time(p))


# -- styles ---------------------------------------------------------------------------------------
def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    thin = Side(style="thin", color="999999")
    return {
        "title": Font(name="宋体", bold=True, size=14),
        "header_font": Font(name="宋体", bold=True, size=11),
        "header_fill": PatternFill("solid", fgColor="DDEBF7"),
        "required_fill": PatternFill("solid", fgColor="FCE4D6"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "wrap": Alignment(vertical="top", wrap_text=True),
    }


def _title(ws, text: str, ncols: int) -> None:
    from openpyxl.utils import get_column_letter
    st = _styles()
    ws.cell(TITLE_ROW, 1, text).font = st["title"]
    ws.cell(TITLE_ROW, 1).alignment = st["center"]
    if ncols > 1:
        ws.merge_cells(f"A{TITLE_ROW}:{get_column_letter(ncols)}{TITLE_ROW}")
    ws.row_dimensions[TITLE_ROW].height = 30


def _header(ws, row: int, names: list[str], required: set[str]) -> None:
    st = _styles()
    for j, n in enumerate(names, start=1):
        cell = ws.cell(row, j, n)
        cell.font = st["header_font"]
        cell.fill = st["required_fill"] if n in required else st["header_fill"]
        cell.border = st["border"]
        cell.alignment = st["center"]
    ws.row_dimensions[row].height = 42


def _write_value(ws, row: int, col: int, column: Column, cell: Cell | None):
    if cell is None:
        v = None
    elif cell.error is None and cell.value is not None:
        v = "、".join(cell.value) if isinstance(cell.value, list) else cell.value
        if column.kind in ("yesno", "criterion") and isinstance(v, bool):
            v = "是" if v else "否"
    else:
        v = cell.raw
    target = ws.cell(row, col, v)
    fmt = _NUMBER_FORMATS.get(column.kind)
    if column.kind == "criterion" and isinstance(v, dt.date):
        fmt = "yyyy-mm-dd"
    if fmt:
        target.number_format = fmt
    return target


# -- sheets ---------------------------------------------------------------------------------------
def _info_sheet(ws, lp, contract, county, plan, shown_title, note) -> None:
    st = _styles()
    _title(ws, shown_title, 2)
    _header(ws, HEADER_ROW, [C.INFO_KEY_HEADER, C.INFO_VALUE_HEADER], set())
    prefill = {C.COUNTY: county.name}
    if goals.phrase(county.target):
        prefill.setdefault("目标任务", goals.phrase(county.target))
    if note:
        prefill[C.REMARKS] = note
    for i, col in enumerate(contract.info, start=HEADER_ROW + 1):
        k = ws.cell(i, 1, col.name)
        k.font = st["header_font"]
        k.border = st["border"]
        cell = plan.info.get(col.name) if plan is not None else None
        if cell is None and col.name in prefill:
            cell = Cell(prefill[col.name], prefill[col.name])
        v = _write_value(ws, i, 2, col, cell)
        v.border = st["border"]
        v.alignment = st["wrap"]
        if col.kind == "date":
            _validation(ws, _date_rule(lp.policy.year), f"B{i}")
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 90
    ws.freeze_panes = f"A{HEADER_ROW + 1}"


def _columns_to_write(contract, sheet: str, plan: Plan | None) -> list[Column]:
    cols = contract.columns(sheet)
    if sheet != C.SHEET_PROJECTS:
        return cols
    has_county = plan is not None and any(C.COUNTY in r.cells for r in plan.projects)
    return [c for c in cols if c.required] + [c for c in cols if not c.required and (c.name != C.COUNTY or has_county)]


def _table_sheet(ws, lp, contract, sheet: str, plan: Plan | None, shown_title: str, county) -> None:
    from openpyxl.utils import get_column_letter
    cols = _columns_to_write(contract, sheet, plan)
    title = f"{shown_title}——{sheet}"
    _title(ws, title, len(cols))
    _header(ws, HEADER_ROW, [c.name for c in cols], {c.name for c in cols if c.required})
    rows = (plan.projects if sheet == C.SHEET_PROJECTS else plan.liaison) if plan is not None else []
    first = HEADER_ROW + 1
    for i, r in enumerate(rows, start=first):
        for j, col in enumerate(cols, start=1):
            _write_value(ws, i, j, col, r.cell(col.name))
    target = county.target.projects if county.target and county.target.projects else 0
    quota = county.liaison_quota.value if county.liaison_quota else 0
    last = first + max(len(rows), target if sheet == C.SHEET_PROJECTS else quota) + SPARE_ROWS
    for j, col in enumerate(cols, start=1):
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = max(_WIDTHS.get(col.kind, 14), min(len(col.name) * 2 + 2, 30))
        rule = _rule_for(col, lp.policy.year)
        if rule is not None:
            _validation(ws, rule, f"{letter}{first}:{letter}{last}")
        fmt = _NUMBER_FORMATS.get(col.kind)
        if fmt and not rows:      # a blank template: format the empty input cells too
            for i in range(first, first + max(target, quota, 1)):
                ws.cell(i, j).number_format = fmt
    ws.freeze_panes = ws.cell(first, 3 if sheet == C.SHEET_PROJECTS else 1).coordinate


def _guide_sheet(ws, lp, contract, county, tags) -> None:
    """填表说明: the county's numbers and each column's meaning, every line with its clause."""
    st = _styles()
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 28
    ws.column_dimensions["C"].width = 10
    ws.column_dimensions["D"].width = 70
    ws.column_dimensions["E"].width = 22
    lines = guide_lines(lp, county, contract)
    head = "填表说明" + "".join(f"（{t}）" for t in tags)
    ws.cell(1, 1, head).font = st["title"]
    ws.merge_cells("A1:E1")
    r = 2
    for text, clause in lines:
        ws.cell(r, 1, text).alignment = st["wrap"]
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
        ws.cell(r, 5, clause or "")
        r += 1
    r += 1
    _header(ws, r, ["工作表", "列名", "必填", "填写要求", "依据条款"], set())
    for sheet in contract.sheets:
        for col in contract.columns(sheet):
            r += 1
            cells = [sheet, col.name, "是" if col.required else "否", _requirement(col, lp.policy.year),
                     lp.text.display(col.clause) if col.clause else ""]
            for j, v in enumerate(cells, start=1):
                x = ws.cell(r, j, v)
                x.alignment = st["wrap"]
                x.border = st["border"]


_KIND_ZH = {"int": "整数", "money": "金额（万元，最多2位小数）", "area": "面积（数字，单位见列名）", "percent": "百分比（如85%）", "date": "日期（如{year}-06-30）",
            "yesno": "是/否", "phone": "电话（座机带区号，或11位手机号）", "text": "文字",
            "textlist": "文字，多项用“、”分隔", "criterion": "是/否，或达到条件的日期"}


def _requirement(col: Column, year: int) -> str:
    # a date example in the plan's own year: "如2023-06-30" in a 2022 workbook would mislead
    kind = _KIND_ZH[col.kind].format(year=year)
    return f"{col.meaning}；{kind}" if col.meaning else kind


def guide_lines(lp, county, contract=None) -> list[tuple[str, str | None]]:
    """The 填表说明 sentences for ``county``: (text, cited clause). All values read from the policy."""
    from generator.policy.text import context
    p = lp.policy
    d = lp.text.display
    ctx = context(p)
    out: list[tuple[str, str | None]] = []
    doc = p.document
    number = f"（{doc.doc_number.value}）" if doc.doc_number else ""
    out.append((f"依据：{doc.issuer.value}《{ctx['plan_title']}》{number}。", None))
    if goals.phrase(county.target):
        t = county.target
        rule = goals.workbook_rule(t)
        out.append((f"{county.name}目标任务：{goals.phrase(t)}{'；' + rule if rule else ''}。", d(t.clause)))
    for m in p.milestones:
        out.append((f"{cnfmt.printed_date(m.date, m.precision)}前：计划项目{m.label}"
                    f"（以{C.PLANNED_START if m.measure == 'started' else C.PLANNED_END}计）。", d(m.clause)))
    if p.consent is not None:
        pc_ = cnfmt.pct(p.consent.threshold)
        incl = consent_rule.inclusivity_note(p.consent)
        out.append((f"居民同意率：{'和'.join(p.consent.subjects)}须经{pc_}以上居民同意后方可开工，{incl}。",
                    d(p.consent.clause)))
    dl = p.deadline("county_plan")
    if dl is not None:
        out.append((f"年度实施方案须于{cnfmt.printed_date(dl.date, dl.precision)}前完成；基本信息“报送日期”不得晚于该日期。",
                    d(dl.clause)))
    if p.plan_contents is not None:
        out.append((f"基本信息须写明：{'、'.join(i.key for i in p.plan_contents.items)}（"
                    f"{'、'.join(i.phrase for i in p.plan_contents.items)}）。", d(p.plan_contents.clause)))
    if county.liaison_quota is not None and p.liaison_points is not None:
        lpnt = p.liaison_points
        rd = p.deadline(lpnt.report_deadline)
        when = f"并于{cnfmt.printed_date(rd.date, rd.precision)}前" if rd else "并"
        out.append((f"{county.name}须确定{county.liaison_quota.value}个联系点（条件：{'、'.join(lpnt.criteria)}），"
                    f"在项目清单“{C.IS_LIAISON}”填“是”，{when}在“{C.SHEET_LIAISON}”表报送"
                    f"{'、'.join(lpnt.report_contents)}。", d(county.liaison_quota.clause)))
    if p.funding is not None:
        out.append((f"资金来源按渠道填写（{p.funding.unit}，空白按0计）：{'、'.join(ch.name for ch in p.funding.channels)}；"
                    f"各渠道之和须等于{C.COST}（相差不超过0.01）。", d(p.funding.clause)))
    if p.start_criteria is not None:
        for item in ctx["start_criteria"]["items"]:
            crit = next(x for x in p.start_criteria.items if x.id == item["id"])
            out.append((f"{C.criterion_column(crit)}——{item['text']}（填“是/否”或达到条件的日期）。", d(crit.clause)))
    return out


# -- validations ----------------------------------------------------------------------------------
def _validation(ws, dv_args: dict, sqref: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation
    dv = DataValidation(**dv_args)
    dv.add(sqref)
    ws.add_data_validation(dv)


def _date_rule(year: int) -> dict:
    return dict(type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2100,12,31)",
                allow_blank=True, showErrorMessage=True, errorTitle="日期", error=f"请填写日期，如{year}-06-30",
                showInputMessage=True, promptTitle="日期", prompt=f"格式：{year}-06-30")


def _rule_for(col: Column, year: int) -> dict | None:
    if col.kind == "date":
        return _date_rule(year)
    if col.kind == "yesno":
        return dict(type="list", formula1='"是,否"', allow_blank=True, showErrorMessage=True,
                    errorTitle="是/否", error="请选择“是”或“否”")
    if col.kind == "criterion":
        return dict(type="list", formula1='"是,否"', allow_blank=True, showErrorMessage=False,
                    showInputMessage=True, promptTitle="开工条件", prompt="选择是/否，或填写达到条件的日期")
    if col.kind == "int" and col.maximum is not None:
        return dict(type="whole", operator="between", formula1=str(col.least), formula2=str(col.maximum),
                    allow_blank=True, showErrorMessage=True, errorTitle="整数",
                    error=f"请填写{col.least}至{col.maximum}之间的整数")
    if col.kind == "int":          # the column's own least value (the contract), the same bound as V002
        return dict(type="whole", operator="greaterThanOrEqual", formula1=str(col.least), allow_blank=True,
                    showErrorMessage=True, errorTitle="整数", error=f"请填写不小于{col.least}的整数")
    if col.kind == "money":
        return dict(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                    showErrorMessage=True, errorTitle="金额", error="请填写不小于0的金额（万元）")
    if col.kind == "area":
        return dict(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                    showErrorMessage=True, errorTitle="面积", error="请填写不小于0的面积（单位见列名）")
    if col.kind == "percent":
        return dict(type="decimal", operator="between", formula1="0", formula2="1", allow_blank=True,
                    showErrorMessage=True, errorTitle="百分比", error="请填写0%到100%之间的百分比，如85%")
    return None


# -- properties and saving ------------------------------------------------------------------------
def document_time(p) -> dt.datetime:
    """The date every document of the policy ``p`` carries (its issue date, else 1 January of its year), at
    midnight: DOCX/XLSX properties and the printed PDFs' stamp (render.pipeline), never the run's time."""
    d = p.document.issue_date.value if p.document.issue_date else dt.date(p.year, 1, 1)
    if isinstance(d, str):
        d = dt.date.fromisoformat(d)
    return dt.datetime(d.year, d.month, d.day)


def _properties(wb, lp, county: str, title: str, plan: Plan | None) -> None:
    from generator.fileio import sha256_file
    from generator.zipdoc import manifest, manifest_text
    p = lp.policy
    input_hash = None
    if plan is not None and plan.file and Path(plan.file).is_file():
        input_hash = sha256_file(plan.file)
    m = manifest(lp, input_hash, document="county-workbook", county=county)
    props = wb.properties
    props.title = title
    props.subject = p.title
    props.creator = p.document.issuer.value
    props.lastModifiedBy = p.document.issuer.value
    props.keywords = f"{p.id}@{p.version}"
    props.description = manifest_text(m)
    props.category = label_of(p) or ""


_MODIFIED = re.compile(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>")


def print_a4(ws, *, landscape: bool = True, title_row: int | tuple | None = None,
             margins_in: tuple = (0.8, 0.6, 0.8, 0.6),
             header_footer_in: float | None = None, page_footer: str | None = "第 &P 页 共 &N 页",
             centered: bool = True) -> None:
    """The one print setup of every sheet gaizao writes: A4, one page wide (as many pages long as needed),
    ``title_row`` (a row, or (first, last) rows) repeated on every page, margins (top, right, bottom, left) in inches, page numbers in the footer.
    ``header_footer_in``: the header/footer distance; LibreOffice sizes a header/footer line from the gap between
    that distance and the margin, and prints past the footer distance when the gap is too small."""
    from openpyxl.worksheet.worksheet import Worksheet
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4      # the class's: a write-only sheet has no such attribute
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = centered
    top, right, bottom, left = margins_in
    ws.page_margins.top, ws.page_margins.right, ws.page_margins.bottom, ws.page_margins.left = top, right, bottom, left
    if header_footer_in is not None:
        ws.page_margins.header = ws.page_margins.footer = header_footer_in
    if title_row is not None:
        first, last = title_row if isinstance(title_row, tuple) else (title_row, title_row)
        ws.print_title_rows = f"{first}:{last}"
    if page_footer:
        ws.oddFooter.center.text = page_footer


PROJECT_PAGES_WIDE = 3         # 项目清单 pages across (34 columns: one page wide would print at about 20 %, 4 pt text)
PLAN_MARGINS_CM = dict(left=1.5, right=1.0, top=1.5, bottom=1.5, header=0.6, footer=0.6)


def print_plan_sheet(ws, sheet: str | None, header_row: int | None = HEADER_ROW) -> None:
    """Print setup of one sheet of a county's plan workbook, by its canonical name (``sheet``; None: another
    sheet): the written samples, the blank 报送表 (render.county_plan) and an annotated copy (validate --annotate)
    all print this way. A4, fitted to the page width, title rows (1 to ``header_row``) on every page; 项目清单 and
    联系点 landscape. 项目清单 is fitted to at most PROJECT_PAGES_WIDE pages across with its first two columns
    (项目编号, 小区名称) repeated at the left, and its title rows unmerged and left-aligned: a title merged over
    three pages' columns is drawn centred across them, off the paper."""
    from openpyxl.styles import Alignment
    cm = {k: v / 2.54 for k, v in PLAN_MARGINS_CM.items()}
    head = (1, header_row) if header_row else None
    print_a4(ws, landscape=sheet in (C.SHEET_PROJECTS, C.SHEET_LIAISON) or sheet is None, title_row=head,
             margins_in=(cm["top"], cm["right"], cm["bottom"], cm["left"]), header_footer_in=cm["header"])
    if sheet != C.SHEET_PROJECTS:
        return
    ws.page_setup.fitToWidth = PROJECT_PAGES_WIDE
    ws.print_title_cols = "A:B"
    for rng in [r for r in ws.merged_cells.ranges if header_row and r.max_row < header_row]:
        ws.unmerge_cells(str(rng))
        first = ws.cell(rng.min_row, rng.min_col)
        first.alignment = Alignment(horizontal="left", vertical=first.alignment.vertical or "center",
                                    wrap_text=False)


def workbook_bytes(wb, when: dt.datetime, *, neutralise: bool = True) -> bytes:
    """The bytes of an openpyxl workbook before their zip is normalised (``zipdoc.normalize_zip``; the document
    pipeline does it): openpyxl stamps ``modified`` with now(), pinned here (and ``created``) to ``when`` for
    identical bytes.

    ``neutralise`` (a workbook gaizao wrote itself): every string cell stored as text, formulas neutralised
    (generator.safetext). An annotated copy passes False: the county's sheets are theirs."""
    from generator.safetext import neutralise_sheet
    if neutralise:
        for ws in wb.worksheets:
            neutralise_sheet(ws)
    wb.properties.created = when
    buf = io.BytesIO()
    wb.save(buf)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "docProps/core.xml":
                data = _MODIFIED.sub(rb"<dcterms:modified\1>" + stamp + rb"</dcterms:modified>", data)
            dst.writestr(name, data)
    return out.getvalue()


# -- the 信息月报 (ledger/monthly.py) ----------------------------------------------------------------
def monthly_workbook_bytes(policy_loaded, county, period: str, report: Plan | None = None, *,
                           note: str | None = None, national: bool = False) -> bytes:
    """The 信息月报 form of ``county`` for ``period`` (YYYY-MM): 基本信息 (报告月份 filled), 项目进度 (``report``'s rows:
    a 月报 as ``monthly.prefill`` makes it from the county's latest plan or report) and 填表说明 from the contract.
    ``national``: the office adopts the national survey, so its quantity columns are in the form. The bytes before
    their zip is normalised (the document pipeline does it: the monthly-form kind, register/monthly_form.py)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    from generator.ledger import monthly as M
    lp = policy_loaded
    p = lp.policy
    name = getattr(county, "name", county)
    c = p.county(name)
    if c is None:
        known = "、".join(x.name for x in p.counties)
        raise InputError(f"政策中没有“{name}”（可选：{known}）", f"county '{name}' is not in the policy ({known})")
    contract = M.build_monthly_contract(p)
    y, m = map(int, period.split("-"))
    title = f"{name}{y}年{m}月城镇老旧小区改造信息月报——{plan_title(lp)}"
    tags = [t for t in (label_of(p), note) if t]
    shown_title = title + "".join(f"（{t}）" for t in tags)
    st = _styles()
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = C.SHEET_INFO
    _title(ws, shown_title, 2)
    _header(ws, HEADER_ROW, [C.INFO_KEY_HEADER, C.INFO_VALUE_HEADER], set())
    prefill: dict = {C.COUNTY: name, M.PERIOD: period}
    if note:
        prefill[C.REMARKS] = note
    for i, col in enumerate(contract.info, start=HEADER_ROW + 1):
        k = ws.cell(i, 1, col.name)
        k.font, k.border = st["header_font"], st["border"]
        cell = report.info.get(col.name) if report is not None else None
        if col.name in prefill:
            cell = Cell(prefill[col.name], prefill[col.name])
        v = _write_value(ws, i, 2, col, cell)
        v.border, v.alignment = st["border"], st["wrap"]
        v.number_format = "@" if col.name == M.PERIOD else v.number_format      # 2023-06 stays text, not a date
        if col.kind == "date":
            _validation(ws, _date_rule(p.year), f"B{i}")
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 60

    pg = wb.create_sheet(M.SHEET_PROGRESS)
    has = {n for r in (report.projects if report is not None else []) for n in r.cells}
    cols = [col for col in contract.projects if col.group != "national" or national or col.name in has]
    _title(pg, f"{shown_title}——{M.SHEET_PROGRESS}", len(cols))
    _header(pg, HEADER_ROW, [col.name for col in cols], {col.name for col in cols if col.required})
    rows = report.projects if report is not None else []
    first = HEADER_ROW + 1
    target = c.target.projects if c.target and c.target.projects else 0
    for i in range(first, first + max(len(rows), target)):          # the form's cells, ruled like a printed table
        for j, col in enumerate(cols, start=1):
            r = rows[i - first] if i - first < len(rows) else None
            _write_value(pg, i, j, col, r.cell(col.name) if r is not None else None).border = st["border"]
    last = first + max(len(rows), target) + SPARE_ROWS
    for j, col in enumerate(cols, start=1):
        letter = get_column_letter(j)
        pg.column_dimensions[letter].width = max(_WIDTHS.get(col.kind, 14), min(len(col.name) * 2 + 2, 30))
        rule = _rule_for(col, p.year)
        if rule is not None:
            _validation(pg, rule, f"{letter}{first}:{letter}{last}")
    pg.freeze_panes = pg.cell(first, 3).coordinate

    guide = wb.create_sheet(C.SHEET_GUIDE)
    for letter, width in zip("ABCDE", (14, 28, 10, 70, 22)):
        guide.column_dimensions[letter].width = width
    guide.cell(1, 1, "填表说明" + "".join(f"（{t}）" for t in tags)).font = st["title"]
    guide.merge_cells("A1:E1")
    at = 2
    for text, clause in monthly_guide_lines(lp, c, contract, period):
        guide.cell(at, 1, text).alignment = st["wrap"]
        guide.merge_cells(start_row=at, start_column=1, end_row=at, end_column=4)
        guide.cell(at, 5, clause or "")
        at += 1
    at += 1
    _header(guide, at, ["工作表", "列名", "必填", "填写要求", "依据条款"], set())
    for sheet_name, columns in ((C.SHEET_INFO, contract.info), (M.SHEET_PROGRESS, cols)):
        for col in columns:
            at += 1
            cells = [sheet_name, col.name, "是" if col.required else "否", _requirement(col, p.year),
                     lp.text.display(col.clause) if col.clause else ("全国城镇老旧小区改造统计调查制度"
                                                                     if col.group == "national" else "")]
            for j, v in enumerate(cells, start=1):
                x = guide.cell(at, j, v)
                x.alignment, x.border = st["wrap"], st["border"]
    for each in wb.worksheets:
        print_a4(each, landscape=each.title == M.SHEET_PROGRESS,
                 title_row=(1, HEADER_ROW) if each.title != C.SHEET_GUIDE else 1)
    _properties(wb, lp, name, title, None)
    wb.properties.keywords = f"{p.id}@{p.version} 信息月报 {period}"
    return workbook_bytes(wb, document_time(p))


def monthly_guide_lines(lp, county, contract, period: str) -> list[tuple[str, str | None]]:
    """The 月报's 填表说明: what it reports and why, each line with its clause; values read from the policy."""
    from generator.ledger import monthly as M
    from generator.policy.text import context
    p = lp.policy
    d = lp.text.display
    ctx = context(p)
    out: list[tuple[str, str | None]] = []
    doc = p.document
    number = f"（{doc.doc_number.value}）" if doc.doc_number else ""
    out.append((f"依据：{doc.issuer.value}《{ctx['plan_title']}》{number}。", None))
    end = M.month_end(period)
    out.append((f"本表为{county.name}{period}信息月报：每个年度实施方案项目一行（项目编号与实施方案一致），"
                f"填报截至{end.isoformat()}（报告月份月末）已发生的开工、完工及开工认定条件；月末以后的日期不计入。",
                d(contract.reporting_clause) if contract.reporting_clause else None))
    for m in p.milestones:
        what = M.START if m.measure == "started" else M.END
        basis = "按户数" if m.basis == "households" else "按项目"
        basis = "" if basis in m.label else basis + "，"
        out.append((f"{cnfmt.printed_date(m.date, m.precision)}前：{m.label}（{basis}以本表“{what}”计）。", d(m.clause)))
    if p.start_criteria is not None:
        out.append(("开工以开工认定标准为准：各项条件全部达到方计为开工；只填开工日期不计为开工。",
                    d(p.start_criteria.clause) if getattr(p.start_criteria, "clause", None) else None))
        for item in ctx["start_criteria"]["items"]:
            crit = next(x for x in p.start_criteria.items if x.id == item["id"])
            out.append((f"{C.criterion_column(crit)}——{item['text']}（填达到条件的日期）。", d(crit.clause)))
    if p.reporting is not None:
        for duty in p.reporting.duties:
            out.append((f"{duty.text}。", d(p.reporting.clause)))
    if not contract.investment:
        out.append(("政策未要求月报填报投资完成额，本表不设投资列。", None))
    return out
