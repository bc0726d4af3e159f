"""The monthly figures in the indicators of the national 城镇老旧小区改造统计调查制度 (issue 19.5), from one snapshot.

The survey system (国家统计局 approved, 住房和城乡建设部; "分级实施、逐级汇总") publishes: 年度计划 小区数 and 居民户数;
新开工 小区数 and 户数; 开工率 按小区数 and 按户数; and effect indicators (改造老旧管线 km, 加装电梯, 建筑节能改造
面积, 停车位, 充电桩, 养老托育 and 助餐 facilities). Its full table layout was not available offline
(programme-year.md): the export uses the indicator names, and says what it assumed:

- 小区数 is counted as projects (the county workbooks list one project per row; a project may be one 小区);
- 新开工 counts recognised starts (开工认定, recognition.py), 户数 their households;
- an effect indicator the 改造内容 words can show is derived as "projects including it" (validate/works.py, the
  one keyword table); a physical quantity (km, 部, 个) is never guessed: its column is left for the county to fill.
"""
from __future__ import annotations

import io
from pathlib import Path

# indicator -> (works of validate/works.py KEYWORDS whose words show it, or a word of its own; unit of the quantity)
EFFECTS = [
    ("改造老旧管线", ("电力", "供水", "排水", "燃气", "供热"), "公里"),
    ("加装电梯", ("电梯",), "部"),
    ("建筑节能改造", ("建筑节能",), "万平方米"),
    ("停车位", ("停车",), "个"),
    ("充电桩", ("充电",), "个"),
    ("养老托育设施", ("养老", "托育", "托幼"), "个"),
    ("助餐设施", ("助餐",), "个"),
]


def _pct(n: int, base: int) -> str:
    return f"{n / base:.2%}" if base else "—"


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


def effect_rows(snap, plans: dict, lp) -> tuple[list[str], list[list]]:
    """``plans``: county -> the Plan of its latest counted submission (改造内容 per project)."""
    from generator.ledger import contract as C
    from generator.validate.works import classify, phrases, table
    kw = table(lp)
    head = ["地区"]
    for name, _, unit in EFFECTS:
        head += [f"含{name}的项目（个）", f"{name}（{unit}）"]
    out = []
    for c in snap.status.counties:
        plan = plans.get(c.line.county)
        row = [c.line.county]
        for _name, words, _ in EFFECTS:
            n = 0
            for r in (plan.projects if plan is not None else []):
                value = r.value(C.WORKS)
                found = classify(value, kw).works
                text = "、".join(phrases(value))
                if any(w in found for w in words) or any(w in text for w in words):
                    n += 1
            row += [n if plan is not None else "", "待填报"]
        out.append(row)
    return head, out


def write_national(snap, plans: dict, lp, path) -> Path:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet
    from openpyxl.styles import Alignment, Font

    from generator.fileio import atomic_write_bytes
    from generator.ledger.samples import NOTE
    wb = Workbook()
    notes = ["注：按全国城镇老旧小区改造统计调查制度公开的指标名称编制（完整表式未能取得，列名以正式表式为准）；",
             "小区数按项目数计；新开工为符合开工认定标准的项目；“含…的项目”由改造内容文字归类得出，实物量（公里、部、个）"
             "须由各地填报，本表不推算。"]
    for k, (title, (head, body)) in enumerate((("改造进展", progress_rows(snap)),
                                               ("改造效果", effect_rows(snap, plans, lp)))):
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
        for t, line in enumerate(notes):
            ws.cell(5 + len(body) + t, 1, line).font = Font(name="宋体", size=9)
    buf = io.BytesIO()
    wb.save(buf)
    return atomic_write_bytes(Path(path), buf.getvalue())
