"""The monthly figures in the layout of the national 城镇老旧小区改造统计调查制度 (issue 19.5), from one snapshot.

What is known of the survey (docs/monthly-report.md, "The national export", with its sources): it is approved by
国家统计局 and run by 住房和城乡建设部, "分级实施、逐级汇总"; its content is 年度计划、改造进展情况、改造效果情况 and
改造项目基本情况; it publishes 年度计划小区数、居民户数 and 新开工改造小区数、居民户数; the ministry's progress tables
give 新开工小区数（个）, 惠及居民户数 and 开工率 按小区数计 and 按户数计. Its 表号, exact column order and 指标解释
were not available offline, so the export has one sheet per part of the content, named as the survey names it,
with the published indicator names as columns, and says so on every sheet:

- 年度计划: 计划改造小区数 and 居民户数 from the policy's targets (else the listed projects), 楼栋数 from the plans;
- 改造进展: 新开工 counts recognised starts only (开工认定, reports/recognition.py), 户数 their households; 开工率
  by 小区 and by 户 against the plan; 完工 likewise;
- 改造效果: per indicator "projects including it" from the 改造内容 words (validate/works.py, the one keyword
  table) and the quantity (公里, 部, 个) summed from the 月报's quantity columns where the counties reported them
  (``register template --national``); a quantity nobody reported is 待填报, never derived from words;
- 项目基本情况: one row per project of the counted workbooks.

小区数 are counted as projects (the county workbooks list one project per row; a project may be one 小区).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.ledger.monthly import NATIONAL_EFFECTS, national_column

if TYPE_CHECKING:
    from generator.render.pipeline import Document

# kept for callers that read the indicator table from here: (indicator, works/words, unit)
EFFECTS = [(name, words, unit) for name, unit, words in NATIONAL_EFFECTS]

SOURCE_NOTE = ("注：按全国城镇老旧小区改造统计调查制度公开的调查内容和指标名称编制（表号、列次及指标解释未能取得，"
               "以正式表式为准）；小区数按项目数计；新开工为符合开工认定标准的项目。")


def _pct(n: int, base: int) -> str:
    return f"{n / base:.2%}" if base else "—"


def plan_rows(snap, plans: dict) -> tuple[list[str], list[list]]:
    """年度计划: the year's plan per county (targets of the policy, 楼栋数 from the counted workbooks)."""
    from generator.ledger import contract as C
    head = ["地区", "年度计划改造小区数（个）", "年度计划居民户数（户）", "楼栋数（栋）"]
    out = []
    total = 0
    for c in snap.status.counties:
        plan = plans.get(c.line.county)
        buildings = sum(v for r in plan.projects if isinstance(v := r.value(C.BUILDINGS), int)) if plan else None
        total += buildings or 0
        out.append([c.line.county, c.line.projects_target, c.line.households_target,
                    buildings if buildings else "待填报"])
    x = snap.status.city.line
    out.append([x.county, x.projects_target, x.households_target, total or "待填报"])
    return head, out


def progress_rows(snap) -> tuple[list[str], list[list]]:
    head = ["地区", "年度计划小区数（个）", "年度计划居民户数（户）", "新开工小区数（个）", "新开工户数（户）",
            "开工率（按小区数）", "开工率（按户数）", "完工小区数（个）", "完工户数（户）"]
    out = []
    for c in [*snap.status.counties, snap.status.city]:
        x = c.line
        out.append([x.county, x.projects_target, x.households_target, x.started, x.households_started,
                    _pct(x.started, x.projects_target), _pct(x.households_started, x.households_target),
                    x.completed, x.households_completed])
    return head, out


def _includes(value, words, kw) -> bool:
    from generator.validate.works import classify, phrases
    found = classify(value, kw).works
    text = "、".join(phrases(value))
    return any(w in found for w in words) or any(w in text for w in words)


def effect_rows(snap, plans: dict, lp) -> tuple[list[str], list[list]]:
    """``plans``: county -> the Plan of its latest counted submission (改造内容 per project; a 月报 joined to its plan
    carries the quantities the county reported)."""
    from generator.ledger import contract as C
    from generator.validate.works import table
    kw = table(lp)
    head = ["地区"]
    for name, unit, _ in NATIONAL_EFFECTS:
        head += [f"含{name}的项目（个）", f"{name}（{unit}）"]
    out = []
    for c in snap.status.counties:
        plan = plans.get(c.line.county)
        rows = plan.projects if plan is not None else []
        row: list = [c.line.county]
        for name, unit, words in NATIONAL_EFFECTS:
            n = sum(1 for r in rows if _includes(r.value(C.WORKS), words, kw))
            column = national_column(name, unit)
            reported = [v for r in rows if isinstance(v := r.value(column), (int, float)) and not isinstance(v, bool)]
            quantity = round(sum(reported), 2) if reported else "待填报"
            row += [n if plan is not None else "", quantity]
        out.append(row)
    return head, out


def project_rows(snap, plans: dict, lp) -> tuple[list[str], list[list]]:
    """项目基本情况: every project of the counted workbooks, its dates as reported and whether its start counts."""
    from generator.ledger import contract as C
    from generator.validate.works import classify, table
    kw = table(lp)
    head = ["地区", "项目编号", "小区名称", "建成年份", "楼栋数（栋）", "居民户数（户）", "开工日期", "开工认定", "完工日期",
            "改造内容（按通知归类）"]
    out = []
    for c in snap.status.counties:
        plan = plans.get(c.line.county)
        if plan is None:
            continue
        unrecognised = {u["project"]: u["why"] for u in c.line.unrecognised}
        for r in plan.projects:
            pid = r.value(C.PROJECT_ID)
            start, end = r.value(C.ACTUAL_START), r.value(C.ACTUAL_END)
            verdict = "" if start is None else (f"不计入：{unrecognised[str(pid)]}" if str(pid) in unrecognised else "计入")
            out.append([c.line.county, pid, r.value(C.COMMUNITY), r.value(C.BUILT_YEAR), r.value(C.BUILDINGS),
                        r.value(C.HOUSEHOLDS), start.isoformat() if start else "", verdict,
                        end.isoformat() if end else "", "、".join(classify(r.value(C.WORKS), kw).works)])
    return head, out


def write_national(snap, plans: dict, lp, path) -> Path:
    """The workbook to ``path`` through the document pipeline (the kind below): rendered, then written atomically."""
    from generator.render import pipeline
    data = pipeline.produce(KIND, lp, document(snap, plans, lp), "xlsx")
    return pipeline.save([(Path(path), data)])[0]


def xlsx_bytes(snap, plans: dict, lp) -> bytes:
    """The four sheets, before the zip is normalised (the pipeline does it); created/modified pinned to the policy's
    date (ledger.writer.workbook_bytes), so the same register gives the same bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.worksheet import Worksheet

    from generator.ledger.samples import NOTE
    from generator.ledger.writer import document_time, workbook_bytes
    wb = Workbook()
    notes = {
        "改造效果": "“含…的项目”由改造内容文字归类得出；实物量（公里、部、个）为各地月报填报之和，未填报的为“待填报”，本表不推算。",
        "改造进展": "开工率 = 新开工（符合开工认定标准）÷ 年度计划，按小区数（项目数）和按户数分别计算。",
    }
    sheets = (("年度计划", plan_rows(snap, plans)), ("改造进展", progress_rows(snap)),
              ("改造效果", effect_rows(snap, plans, lp)), ("项目基本情况", project_rows(snap, plans, lp)))
    for k, (title, (head, body)) in enumerate(sheets):
        ws = wb.active if k == 0 else wb.create_sheet()
        assert isinstance(ws, Worksheet)      # the new Workbook's sheet, or one just created
        ws.title = title
        ws.cell(1, 1, f"城镇老旧小区改造{title}（截至{snap.as_of}）" + (f"（{NOTE}）" if snap.sample else "")).font = \
            Font(name="宋体", bold=True, size=14)
        for j, h in enumerate(head, 1):
            c = ws.cell(3, j, h)
            c.font = Font(name="宋体", bold=True)
            c.alignment = Alignment(wrap_text=True, horizontal="center")
        for i, r in enumerate(body, 4):
            for j, v in enumerate(r, 1):
                c = ws.cell(i, j, v)
                if isinstance(v, str):
                    c.data_type = "s"
        for t, line in enumerate([SOURCE_NOTE, *([notes[title]] if title in notes else [])]):
            ws.cell(5 + len(body) + t, 1, line).font = Font(name="宋体", size=9)
    return workbook_bytes(wb, document_time(lp.policy), neutralise=False)     # its strings are stored as text above


# -- the workbook as a kind of the document pipeline (generator/render/pipeline.py) ---------------------------------
# context: a National (the day's snapshot, the plans of its latest counted submissions, the policy); layout:
# xlsx_bytes above. gaizao register national writes it through write_national; gaizao render doc national --db FILE
# --as-of DAY too.
@dataclass(frozen=True)
class National:
    snap: Any
    plans: dict
    lp: Any


def document(snap, plans: dict, lp) -> Document:
    from generator.render.pipeline import Document
    return Document(f"全国统计调查表（截至{snap.as_of}）", National(snap, plans, lp), "城镇老旧小区改造统计调查表",
                    bool(snap.sample))


def documents(lp, inputs) -> list[Document]:
    """The register's (--db) figures as of --as-of, judged by the policy given, as gaizao register national."""
    from generator.register import Register
    reg = Register(inputs.db)
    snap = reg.snapshot(inputs.as_of, policy=lp)
    return [document(snap, {county: reg.plan(sub.id, lp) for county, sub in snap.latest.items()}, lp)]


def _xlsx(doc, env) -> bytes:
    n = doc.context
    return xlsx_bytes(n.snap, n.plans, n.lp)


def _kind():
    from generator.render.pipeline import Builder, DocumentKind, register
    return register(DocumentKind(
        "national", "全国统计调查表", "national survey workbook", documents, Builder(xlsx=_xlsx), needs=("db", "as_of"),
        help="按全国城镇老旧小区改造统计调查制度的指标：年度计划、改造进展、改造效果、项目基本情况（XLSX）"))


KIND = _kind()
