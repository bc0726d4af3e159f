"""``gaizao render county-plan REF (--county NAME | --all)``: per county, a 实施方案 draft (DOCX) and
the workbook to report its projects in (XLSX, generator.ledger.writer).

The draft has one section per item the policy requires of a county plan (三（一）: plan_contents),
each with guidance citing the clause, and prefilled with what the city plan already fixes for
this county: its target, the milestones turned into its own numbers, the deadlines, the consent
threshold, the liaison-point quota. A fact goes to the section whose name is the heading of the
city-plan section it comes from (目标任务 <- 二、目标任务); the others are listed as further
requirements. Nothing is typed here: every value is read from the policy.
"""
from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any


from generator.errors import UsageError
from generator.policy.wording import government, level_organ, lower_organ, lower_unit, own_word   # 管委会 for a 开发区

DOCX_TEMPLATE = "county_plan/county_plan.docx"
DATE_LINE = "　　年　　月　　日"          # filled in by hand when the county government signs


def _cn_number(i: int) -> str:
    """Section ``i`` counted from 0: 一, 二, … (cnfmt.cn_ordinal, the one home of numerals)."""
    from generator.policy.cnfmt import cn_ordinal
    return cn_ordinal(i + 1)


def county_facts(lp, county) -> list[dict]:
    """What the city plan fixes for ``county``: [{"clause": id, "text": ..., "cite": "（二、目标任务）"}].

    The citation is a separate field, printed in the character style 条款引用 so the county removes all of them
    in one step. A date the city printed wrong (a recorded erratum) is given as corrected, with no remark: the
    county's plan states the deadline it works to, not an editorial note on the city's misprint (the notice
    rendered --corrected and `policy check` document the correction).
    """
    from generator.policy import cnfmt, goals
    p = lp.policy
    facts: list[dict] = []

    def fact(clause: str, text: str) -> None:
        facts.append({"clause": clause, "text": text, "cite": f"（{lp.text.display(clause)}）"})

    t = county.target
    if goals.phrase(t):
        fact(t.clause, f"{p.year}年{goals.phrase(t)}。")
    for m in p.milestones:
        # the county's own number only from an exact published count (1.3万户 or 不少于… gives no exact share)
        g = goals.goal(t, m.basis)
        total = g.as_int() if g.published and g.comparator == "exactly" and g.slack == 0 else None
        unit = "个" if m.basis == "projects" else "户"
        verb = "开工" if m.measure == "started" else "完成改造"
        need = f"，即{verb}不少于{math.ceil(m.share * total - 1e-9)}{unit}" if total else ""
        fact(m.clause, f"{cnfmt.printed_date(m.date, m.precision)}前：{m.label}{need}。")
    for d in p.deadlines:
        date = d.erratum.corrected if (d.erratum is not None and d.erratum.field == "date") else d.date
        fact(d.clause, f"{cnfmt.printed_date(date, d.precision)}前：{d.label}。")
    if p.consent is not None:
        c = p.consent
        fact(c.clause, f"{'和'.join(c.subjects)}须经{cnfmt.pct(c.threshold)}以上居民同意后方可开工改造。")
    if county.liaison_quota is not None and p.liaison_points is not None:
        lq, lpnt = county.liaison_quota, p.liaison_points
        deadline = p.deadline(lpnt.report_deadline)
        when = f"于{cnfmt.printed_date(deadline.date, deadline.precision)}前" if deadline else ""
        report = f"，{when}报送联系点{'、'.join(lpnt.report_contents)}" if lpnt.report_contents else ""
        fact(lq.clause, f"确定联系点{lq.value}个{report}。")
    if p.has_start_criteria:
        sc = p.start_criteria
        fact(sc.clause, f"项目开工按《{sc.title}》认定，共{len(sc.items)}条，逐项目核查。")
    return facts


def _section_of_clause(lp, clause: str) -> str | None:
    """Heading of the city-plan section (一、二 ...) a clause id belongs to."""
    for c in lp.text.clauses:
        if c.kind == "section" and (clause == c.id or clause.startswith(c.id + "（")):
            return c.heading
    return None


def county_plan_context(lp, county, *, sample: bool = False) -> dict:
    from generator.policy import goals
    from generator.ledger.writer import label_of as policy_label
    from generator.render.forms_context import policy_context
    p = lp.policy
    ctx = policy_context(lp)
    ctx["sample"] = sample
    facts = county_facts(lp, county)
    contents = p.plan_contents.items if p.plan_contents else []
    clause = lp.text.display(p.plan_contents.clause) if p.plan_contents else ""
    organ_plan = f"{level_organ(p.unit_level)}实施方案"
    sections = []
    used: set[int] = set()
    for i, item in enumerate(contents):
        mine = [j for j, f in enumerate(facts) if j not in used and _section_of_clause(lp, f["clause"]) == item.key]
        used.update(mine)
        sections.append({"number": _cn_number(i), "heading": item.key, "prefilled": [facts[j] for j in mine],
                         "guidance": f"依据{clause}，年度工作实施方案要{item.phrase}。请结合本地实际填写本部分。"})
    rest = [f for j, f in enumerate(facts) if j not in used]
    if rest:
        organ = level_organ(p.unit_level)            # 市级 (许昌), 省级 (河南省)
        sections.append({"number": _cn_number(len(sections)), "heading": f"{organ}方案明确的要求", "prefilled": rest,
                         "guidance": f"以上各项取自{organ}实施方案，请在本方案中逐项落实。"})
    # 填写说明 and the clauses of the prefilled facts go into Word comments on the section headings (issue 21.1):
    # shown while the county writes, absent from its print
    comments: list[Any] = []
    for s in sections:
        s["comment_id"] = len(comments)
        cites = list(dict.fromkeys(f["cite"].strip("（）") for f in s["prefilled"]))
        comments.append({"id": s["comment_id"], "text": f"【填写说明】{s['guidance']}"
                         + (f"本部分预填内容依据{organ_plan}：{'；'.join(cites)}。" if cites else "")})
    project_cite = lp.text.display(p.project_fields.clause) if p.project_fields else ""
    comments.append({"id": len(comments), "text": "【填写说明】全部改造项目逐项列入项目清单工作簿，与本方案同时报送。"
                     + (f"每个项目须明确的内容依据{organ_plan}：{project_cite}。" if project_cite else "")})
    fields = p.project_fields.items if p.project_fields else []
    content = "、".join(f.name for f in fields if f.group == "content")
    resp = "和".join(f.name for f in fields if f.group == "responsibility")
    from generator.render.notice import break_title
    title = f"{county.name}{p.year}年城镇老旧小区改造工作实施方案"
    ctx.update({
        # broken after a word, never one character alone on the last line (docxtpl turns \n into a line break)
        "title": "\n".join(break_title(title)),
        # the parent plan cited by its 文号 only when the policy records one (a target table may have none)
        "doc_number_cite": f"（{p.document.doc_number.value}）" if p.document.doc_number else "",
        "county": {"name": county.name, "unit": own_word(county.name, p.unit_level),
                   "signature": government(county.name), "date_line": DATE_LINE,
                   "target": goals.phrase(county.target),
                   "liaison_quota": county.liaison_quota.value if county.liaison_quota else ""},
        "sections": sections,
        "comments": comments, "last_comment_id": comments[-1]["id"],
        "comment_author": (p.document.issuer_short or p.document.issuer).value,
        "page_label": policy_label(p) or "",          # 示例草案 on every page of a draft's template (header)
        "last_number": _cn_number(len(sections)),
        "project_fields_text": "；".join(x for x in (content, resp) if x),
        "project_fields_clause": lp.text.display(p.project_fields.clause) if p.project_fields else "",
        "project_fields_cite": f"（{lp.text.display(p.project_fields.clause)}）" if p.project_fields else "",
    })
    return ctx


def resolve_counties(lp, name: str | None, all_counties: bool) -> list:
    if bool(name) == bool(all_counties):
        raise UsageError("请指定 --county 名称 或 --all（二者选一）", "give --county NAME or --all (one of them)")
    if all_counties:
        counties = lp.policy.counties_with_target
        unit = lower_unit(lp.policy.unit_level)        # a province's plan lists 市, a city's 县（市、区）
        if not counties:
            why = (f"政策未列出任何{unit}" if not lp.policy.counties else
                   f"政策列出的{unit}（{'、'.join(c.name for c in lp.policy.counties)}）均无目标任务")
            raise UsageError(f"{lp.policy.id}：{why}，无下级方案可生成；请在政策的 counties 中写明各{unit}及其目标",
                             f"{lp.policy.id}: " + ("the policy lists no counties" if not lp.policy.counties else
                                                    "no county of the policy has a target")
                             + "; nothing to render (list the counties and their targets under counties)")
        return counties
    county = lp.policy.county(name)
    if county is None:
        names = "、".join(c.name for c in lp.policy.counties)
        raise UsageError(f"政策中没有“{name}”；可选的{lower_unit(lp.policy.unit_level)}：{names}",
                         f"no county {name!r} in the policy; choose from: {names}")
    return [county]


def render_county_plans(lp, counties: list, out_dir, *, templates=None, workbook: bool = True) -> list[Path]:
    """Library entry point: per county, the DOCX draft and the printable XLSX 报送表, both through the document
    pipeline (KIND and WORKBOOK below): all rendered first, then written, each county's DOCX before its XLSX."""
    from generator.render import pipeline

    files = pipeline.render([(KIND, d) for d in plan_documents(lp, counties)], lp, out_dir, ("docx",),
                            templates=templates)
    if workbook:
        books = pipeline.render([(WORKBOOK, d) for d in workbook_documents(lp, counties)], lp, out_dir, ("xlsx",))
        files = [f for pair in zip(files, books) for f in pair]
    return pipeline.save(files)


# -- the template as a kind of the document pipeline (generator/render/pipeline.py) -----------------------------
# context: county_plan_context; layout: the docxtpl template (its PDF printed by LibreOffice). gaizao render
# county-plan writes its DOCX through KIND; gaizao render doc county-plan [--county C] [--format pdf] too.
DOCX_KIND_TITLE = "实施方案模板"


def plan_documents(lp, counties: list) -> list:
    from generator.render.pipeline import Document
    issuer = lp.policy.document.issuer.value
    docs = []
    for county in counties:
        stem = f"{county.name}{lp.policy.year}年城镇老旧小区改造工作实施方案（模板）"
        docs.append(Document(stem, county_plan_context(lp, county), stem, False, county.name, author=issuer,
                             extra={"document": f"{lower_organ(lp.policy.unit_level)}{DOCX_KIND_TITLE}",
                                    "county": county.name}))
    return docs


def _documents(lp, inputs) -> list:
    return plan_documents(lp, resolve_counties(lp, inputs.county, not inputs.county))


def _kind():
    from generator.render.pipeline import DocumentKind, DocxLayout, register
    return register(DocumentKind(
        "county-plan", DOCX_KIND_TITLE, "county plan template", _documents, DocxLayout(DOCX_TEMPLATE),
        build=lambda lp, data: [], built_by="render county-plan",
        help="下级单位年度实施方案模板（预填目标、节点、期限），每个单位一份；PDF 由 LibreOffice 打印"))


KIND = _kind()


# -- the blank workbook as a county prints, fills and returns it --------------------------------------------
# a kind of the pipeline too: context {"county": County}; layout: a Builder whose XLSX is the workbook of
# generator.ledger.writer (plan_workbook_bytes) made printable here. gaizao render county-plan writes it beside
# the DOCX; gaizao render doc county-workbook [--county C] alone.
WORKBOOK_TITLE = "项目清单报送表"
WORKBOOK_PASSWORD = None       # sheets protected without a password: protection guards against slips, not people


def workbook_documents(lp, counties: list) -> list:
    """One blank printable 报送表 per county, in the county's folder beside its plan template."""
    from generator.render.pipeline import Document
    issuer = lp.policy.document.issuer.value
    return [Document(f"{c.name}{lp.policy.year}年城镇老旧小区改造项目清单（报送表）", {"county": c},
                     f"{c.name}{lp.policy.year}年城镇老旧小区改造项目清单（报送表）", False, c.name, author=issuer,
                     extra={"county": c.name}) for c in counties]


def _workbook_documents(lp, inputs) -> list:
    return workbook_documents(lp, resolve_counties(lp, inputs.county, not inputs.county))


def _workbook_xlsx(doc, env) -> bytes:
    """The Builder's XLSX: the writer's workbook (its own manifest in its properties), made printable."""
    from generator.ledger.writer import plan_workbook_bytes
    county = doc.context["county"]
    return printable_workbook_bytes(env.lp, county, plan_workbook_bytes(env.lp, county))


def _workbook_kind():
    from generator.render.pipeline import Builder, DocumentKind, register
    return register(DocumentKind(
        "county-workbook", WORKBOOK_TITLE, "county workbook (project list to report)", _workbook_documents,
        Builder(xlsx=_workbook_xlsx), build=lambda lp, data: [], built_by="render county-plan",
        help="下级单位项目清单报送表（XLSX，预填单位与目标，可打印、工作表保护），每个单位一份"))


WORKBOOK = _workbook_kind()


def printable_workbook_bytes(lp, county, data: bytes) -> bytes:
    """The blank 报送表 (generator.ledger.writer, ``data``: its bytes) made printable and safe to fill in:

    - every sheet printed as the writer sets it up (ledger.writer.print_plan_sheet: A4, title and header rows on
      each page, 项目清单 three pages across with 项目编号 and 小区名称 repeated), each print area ending at its note;
    - the table's rows (one per project of the county's target, one per liaison point) bordered and unlocked, then a
      合计 row with formulas (count of 项目编号, SUM of 楼栋数/户数/金额) and a note row with the city's target;
      the reader skips both (a 合计 row and a single-cell 注 row are not projects);
    - the prefilled cells (county, target, headers, 合计, 填表说明) locked and every sheet protected without a password
      (rows may be inserted and columns resized), so a target cannot be overwritten by accident.
    """
    from openpyxl import load_workbook
    from openpyxl.styles import Alignment, Border, Font, Protection, Side
    from openpyxl.utils import get_column_letter

    from generator.ledger import contract as C
    from generator.ledger.writer import HEADER_ROW, TITLE_ROW, document_time, workbook_bytes
    from generator.policy import goals
    from generator.zipdoc import normalize_zip

    wb = load_workbook(io.BytesIO(normalize_zip(data)))        # the workbook as the writer saved it
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    unlocked, locked = Protection(locked=False), Protection(locked=True)
    target = county.target
    for ws in wb.worksheets:
        ws.protection.sheet = True
        ws.protection.formatColumns = ws.protection.formatRows = False      # allowed: resize
        ws.protection.insertRows = False                                     # allowed: more projects
    # 项目清单 / 联系点: bordered input rows, 合计, the target as a note
    for sheet, n in ((C.SHEET_PROJECTS, target.projects if target and target.projects else 1),
                     (C.SHEET_LIAISON, county.liaison_quota.value if county.liaison_quota else 1)):
        if sheet not in wb.sheetnames:          # no 联系点 sheet when the policy has no liaison points
            continue
        ws = wb[sheet]
        ncols = ws.max_column
        names = [ws.cell(HEADER_ROW, j).value for j in range(1, ncols + 1)]
        first, last = HEADER_ROW + 1, HEADER_ROW + n
        for i in range(first, last + 1):
            for j in range(1, ncols + 1):
                cell = ws.cell(i, j)
                cell.border, cell.protection = box, unlocked
        total = last + 1
        ws.cell(total, 1, "合计")
        for j, name in enumerate(names, start=1):
            col = get_column_letter(j)
            if j == 2:
                ws.cell(total, j, f'=COUNTA({get_column_letter(1)}{first}:{get_column_letter(1)}{last})&"个"')
            elif name in (C.BUILDINGS, C.HOUSEHOLDS, C.area_column(lp.policy)) or (isinstance(name, str)
                                                                                 and name.endswith("（万元）")):
                ws.cell(total, j, f"=SUM({col}{first}:{col}{last})")
            cell = ws.cell(total, j)
            cell.border, cell.protection = box, locked
            cell.font = Font(name="宋体", bold=True, size=11)
            cell.alignment = Alignment(horizontal="center", vertical="center")
        note_row = total + 1
        if sheet == C.SHEET_PROJECTS and goals.phrase(target):
            rule = goals.workbook_rule(target).removeprefix("项目清单的")
            note = (f"注：{level_organ(lp.policy.unit_level)}下达{county.name}{lp.policy.year}年{goals.phrase(target)}"
                    "；合计行由公式计算" + (f"，{rule}。" if rule else "。"))
        else:
            quota = county.liaison_quota
            note = (f"注：{county.name}须确定联系点{quota.value}个。" if quota
                    else "注：合计行由公式计算。")
        ws.cell(note_row, 1, note).alignment = Alignment(vertical="top", wrap_text=False)
        ws.print_area = f"A{TITLE_ROW}:{get_column_letter(ncols)}{note_row}"     # pages: writer.print_plan_sheet
    _instructions_printed_whole(wb)
    # 基本信息: names and the prefilled county and target locked, the other answers unlocked
    ws = wb[C.SHEET_INFO]
    prefilled = {C.COUNTY, "目标任务"}
    for i in range(HEADER_ROW + 1, ws.max_row + 1):
        key = ws.cell(i, 1).value
        ws.cell(i, 2).protection = locked if key in prefilled else unlocked
        for j in (1, 2):
            ws.cell(i, j).border = box
    ws.print_title_rows = f"{TITLE_ROW}:{HEADER_ROW}"
    ws.print_area = f"A{TITLE_ROW}:B{ws.max_row}"
    return workbook_bytes(wb, document_time(lp.policy), neutralise=False)


INSTRUCTIONS_SHEET = "填表说明"


def _instructions_printed_whole(wb) -> None:
    """The 填表说明's notes above its table are one long cell each: printed, they ran past column A into the
    table's columns and were cut off by the next filled cell (issue 21.6). Each note now spans the columns up to
    the last one that holds a value in its row, wraps, and its row is as tall as its lines."""
    import math

    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    if INSTRUCTIONS_SHEET not in wb.sheetnames:
        return
    ws = wb[INSTRUCTIONS_SHEET]
    ncols = ws.max_column
    widths = [ws.column_dimensions[get_column_letter(j)].width or 8.43 for j in range(1, ncols + 1)]
    for r in range(2, ws.max_row + 1):
        first = ws.cell(r, 1).value
        filled = [j for j in range(2, ncols + 1) if ws.cell(r, j).value not in (None, "")]
        if not isinstance(first, str) or (filled and filled[0] == 2):
            continue                      # a table row (its second column holds a value)
        last = (filled[0] - 1) if filled else ncols
        if last > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last)
        ws.cell(r, 1).alignment = Alignment(wrap_text=True, vertical="top")
        units = sum(widths[:last]) * 0.95                       # character units of the merged width
        need = sum(2 if ord(ch) > 0x2E7F else 1 for ch in first)   # a CJK character takes two units
        ws.row_dimensions[r].height = 15 * max(1, math.ceil(need / units))


