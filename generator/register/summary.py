"""The city-wide 汇总表 (XLSX): every county's progress as of a day against the policy's milestones, and
the monthly series, with formulas for the totals and shares, borders, A4 print setup and the 示例数据
label when any submission behind it is sample data."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.policy.wording import lower_unit, policy_level, policy_scope
from generator.register.series import Series, Status, month_mark

if TYPE_CHECKING:
    from generator.render.pipeline import Document

SHEET_SUMMARY = "汇总表"
SHEET_MONTHLY = "月度进度"
SHEET_WORKS = "改造内容分类"


class F(str):
    """A formula gaizao writes on purpose (every other string is data, stored as text)."""


def _put(ws, row: int, col: int, value):
    cell = ws.cell(row, col)
    if isinstance(value, F):
        cell.value = str(value)
        return cell
    from generator.safetext import set_text
    return set_text(cell, value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _bytes(wb, when) -> bytes:
    """Deterministic bytes; the formulas are ours, so the writer must not neutralise them."""
    from generator.ledger.writer import workbook_bytes
    return workbook_bytes(wb, when, neutralise=False)


def _mark(v) -> str:
    from generator.policy.goals import not_compared
    if getattr(v, "pending", False):
        return "待当期月报（未到报送日）"
    if not v.due:
        return "未到期"
    if v.met_then is None:                    # the city's sum over part of its counties: not compared
        return f"{v.reached_then}/{v.required}{not_compared()}"
    s = f"{'✓' if v.met_then else '✗'} {v.reached_then}/{v.required}"
    if v.changed:
        s += f"（其后重报：{'✓' if v.met_now else '✗'} {v.reached_now}/{v.required}）"
    return s


def _snapshot_notes(status, snap) -> list[str]:
    """What the figures rest on: starts not recognised (未计入), unapproved submissions, 试填报 aside."""
    out = []
    wrong = [(c.line.county, len(c.line.unrecognised)) for c in status.counties if c.line.unrecognised]
    if wrong:
        out.append("填报已开工但不符合开工认定标准、未计入已开工的：" + "、".join(f"{c}{n}个" for c, n in wrong)
                   + "（见开工项目认定汇总表）。")
    unapproved = [c.line.county for c in status.counties if c.line.approved is False]
    if unapproved:
        out.append(f"{'、'.join(unapproved)}的数据所依据的报送尚未经单位领导审核盖章（"
                   + ("暂予计入" if getattr(status, "unapproved_counted", True) else "未计入") + "）。")
    return out


def xlsx_bytes(status: Status, series: Series, lp, *, snap=None, works: list | None = None,
               works_missing: Sequence[str] = ()) -> bytes:
    """``snap``: the day's snapshot (snapshot.py) the status and series come from, for its notes. ``works``:
    per county the 改造内容 classified by the one keyword table (validate/works.py ``by_county`` over the
    latest counted submissions), written as a third sheet; ``works_missing``: counties whose workbook could
    not be read back for it (said in a note, never counted as zero)."""
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter as L

    from generator.ledger.samples import NOTE
    from generator.ledger.writer import document_time, label_of, print_a4

    p = lp.policy
    doc = p.document.doc_number.value if p.document.doc_number else p.title
    city_name = p.document.city.value
    labels = [t for t in (label_of(p), NOTE if (status.sample or series.sample) else None) if t]
    tag = "".join(f"（{t}）" for t in labels)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_font = Font(name="宋体", bold=True, size=11)
    fill = PatternFill("solid", fgColor="DDEBF7")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def setup(ws, ncols: int, header_row: int, widths: list[int]):
        print_a4(ws, title_row=header_row, margins_in=(0.8, 0.6, 0.8, 0.6))
        ws.freeze_panes = ws.cell(header_row + 1, 1)
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[L(i)].width = w

    def title(ws, text: str, ncols: int, sub: str):
        _put(ws, 1, 1, text).font = Font(name="方正小标宋简体", size=16)
        ws.cell(1, 1).alignment = center
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
        ws.row_dimensions[1].height = 34
        _put(ws, 2, 1, sub).font = Font(name="宋体", size=10)
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)

    def header(ws, row: int, names: list[str]):
        for j, n in enumerate(names, 1):
            c = _put(ws, row, j, n)
            c.font, c.fill, c.alignment, c.border = head_font, fill, center, border
        ws.row_dimensions[row].height = 42

    def boxed(ws, r0: int, r1: int, ncols: int):
        for r in range(r0, r1 + 1):
            for j in range(1, ncols + 1):
                c = ws.cell(r, j)
                c.border = border
                if c.alignment is None or not c.alignment.wrap_text:
                    c.alignment = Alignment(horizontal="center" if j != 2 else "left", vertical="center", wrap_text=True)

    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)          # a new Workbook has one worksheet
    ws.title = SHEET_SUMMARY
    ms = status.city.verdicts
    unit = lower_unit(policy_level(p))
    names = ["序号", unit, "计划项目（个）", "计划户数（户）", "已开工项目（个）", "开工率",
             "已完工项目（个）", "已完工户数（户）", "完工率（按户数）",
             *[f"{v.label}\n（{v.date.month}月{v.date.day}日前）" for v in ms], "最近报送", "报送次数"]
    n = len(names)
    title(ws, f"{city_name}{p.year}年城镇老旧小区改造进度汇总表{tag}",
          n, f"截至{status.as_of.year}年{status.as_of.month}月{status.as_of.day}日；依据{doc}；节点按各节点日期前收到的报送判定")
    H = 4
    header(ws, H, names)
    r = H
    for i, c in enumerate(status.counties, 1):
        r += 1
        x = c.line
        vals = [i, x.county, x.projects_target, x.households_target, x.started, F(f'=IF(C{r}=0,"",E{r}/C{r})'),
                x.completed, x.households_completed, F(f'=IF(D{r}=0,"",H{r}/D{r})'),
                *[_mark(v) for v in c.verdicts],
                # the date in words, no register id: the table goes out (issue 21.1)
                (f"{x.received.year}年{x.received.month}月{x.received.day}日" if x.submission and x.received else "未报送"),
                c.submissions]
        for j, v in enumerate(vals, 1):
            _put(ws, r, j, v)
        ws.cell(r, 6).number_format = ws.cell(r, 9).number_format = "0.0%"
    first, last = H + 1, r
    r += 1
    total = ["合计", None, *[F(f"=SUM({L(j)}{first}:{L(j)}{last})") for j in (3, 4, 5)], F(f'=IF(C{r}=0,"",E{r}/C{r})'),
             *[F(f"=SUM({L(j)}{first}:{L(j)}{last})") for j in (7, 8)], F(f'=IF(D{r}=0,"",H{r}/D{r})'),
             *[_mark(v) for v in status.city.verdicts], None, F(f"=SUM({L(n)}{first}:{L(n)}{last})")]
    for j, v in enumerate(total, 1):
        _put(ws, r, j, v).font = head_font
    ws.cell(r, 6).number_format = ws.cell(r, 9).number_format = "0.0%"
    boxed(ws, first, r, n)
    setup(ws, n, H, [6, 12, 10, 11, 11, 9, 11, 11, 11, *[26] * len(ms), 18, 8])
    notes = ["“✓/✗ 达到数/要求数”按当期报告（节点所在月份的信息月报，报送日前收到的最后一版）认定；"
             "括号内为其后重报改写后的数字（列入错报核查）。",
             "已开工为符合开工认定标准的项目数；开工率、完工率、合计行为公式。"]
    notes += _snapshot_notes(status, snap)
    if labels and NOTE in labels:
        notes.append(f"本表数据为{NOTE}，仅用于演示和测试。")
    notes = [("注：" if k == 0 else "") + f"{k + 1}. {t}" for k, t in enumerate(notes)]
    for k, t in enumerate(x for x in notes if x):
        _put(ws, r + 2 + k, 1, t).font = Font(name="宋体", size=9)
        ws.merge_cells(start_row=r + 2 + k, start_column=1, end_row=r + 2 + k, end_column=n)

    # -- monthly series --------------------------------------------------------------------------
    ws2 = wb.create_sheet(SHEET_MONTHLY)
    names2 = ["月份", unit, "计划项目（个）", "计划户数（户）", "已开工项目（个）", "开工率", "已完工项目（个）",
              "已完工户数（户）", "完工率（按户数）", "本月报送", "本月到期节点"]
    n2 = len(names2)
    title(ws2, f"{city_name}{p.year}年城镇老旧小区改造月度进度{tag}", n2,
          f"各月按该月信息月报统计（未收到该月月报的，按月末前收到的最近一次报送）；“本月报送”指该月月报；"
          f"{policy_scope(p)}行为公式")
    header(ws2, H, names2)
    r = H
    label_of_ms = {m["id"]: m["label"] for m in series.milestones}
    for month in series.months:
        rows = [x for x in series.rows if x.month == month]
        start = r + 1
        for row in rows:
            r += 1
            x = row.line
            city = row is rows[-1]
            marks = "；".join(month_mark(m, label_of_ms[m["id"]]) for m in row.milestones)
            if city:
                vals = [month, x.county, *[F(f"=SUM({L(j)}{start}:{L(j)}{r - 1})") for j in (3, 4, 5)],
                        F(f'=IF(C{r}=0,"",E{r}/C{r})'), *[F(f"=SUM({L(j)}{start}:{L(j)}{r - 1})") for j in (7, 8)],
                        F(f'=IF(D{r}=0,"",H{r}/D{r})'), None, marks]
            else:
                vals = [month, x.county, x.projects_target, x.households_target, x.started, F(f'=IF(C{r}=0,"",E{r}/C{r})'),
                        x.completed, x.households_completed, F(f'=IF(D{r}=0,"",H{r}/D{r})'),
                        "是" if row.reported_this_month else "否", marks]
            for j, v in enumerate(vals, 1):
                cell = _put(ws2, r, j, v)
                if city:
                    cell.font = head_font
            ws2.cell(r, 6).number_format = ws2.cell(r, 9).number_format = "0.0%"
    boxed(ws2, H + 1, r, n2)
    setup(ws2, n2, H, [9, 12, 10, 11, 11, 9, 11, 11, 11, 8, 30])
    if labels:
        _put(ws2, r + 2, 1, f"注：本表数据为{NOTE}。" if NOTE in labels else "").font = Font(name="宋体", size=9)

    if works is not None:
        _works_sheet(wb, lp, works, works_missing, unit, tag, labels, NOTE, title, header, boxed, setup, head_font)

    wb.properties.title = f"{city_name}{p.year}年城镇老旧小区改造进度汇总表"
    wb.properties.creator = "gaizao"
    wb.properties.keywords = f"{p.id}@{p.version}"
    if labels:                 # 示例数据 in the page header of every printed page (issue 21.5)
        for sheet in wb.worksheets:
            odd = sheet.oddHeader
            assert odd is not None            # openpyxl gives every worksheet its header and footer
            odd.right.text = "　".join(labels)
            odd.right.color = "FF0000"
    wb.properties.category = "；".join(labels)
    return _bytes(wb, document_time(p))


def _works_sheet(wb, lp, works: list, missing, unit: str, tag: str, labels, note: str, title, header, boxed, setup,
                 head_font):
    """改造内容分类 (issue 20.6): per county how many projects of its latest counted submission include the
    priority pipelines (by the policy's kinds), 建筑节能, and how many include no priority work (a note for the
    city, not an error: the notice says 优先)."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter as L

    from generator.validate.works import table
    p = lp.policy
    kw = table(lp)
    pipes = [w for w, (group, _) in kw.items() if group == "pipeline"]
    others = [w for w, (group, _) in kw.items() if group != "pipeline"]
    ws = wb.create_sheet(SHEET_WORKS)
    names = ["序号", unit, "项目（个）", "含优先改造管线的项目（个）", *[f"含{w}管线（个）" for w in pipes],
             *[f"含{w}（个）" for w in others], "未含优先改造内容的项目（个）"]
    n = len(names)
    title(ws, f"{p.document.city.value}{p.year}年城镇老旧小区改造内容分类汇总表{tag}", n,
          "按各单位最近一次计入的报送的改造内容归类")
    H = 4
    header(ws, H, names)
    r = H
    for i, c in enumerate(works, 1):
        r += 1
        for j, v in enumerate([i, c.county, c.projects, c.with_pipeline, *[c.by_work[w] for w in pipes],
                               *[c.by_work[w] for w in others], len(c.without_priority)], 1):
            _put(ws, r, j, v)
    first, last = H + 1, r
    if works:
        r += 1
        for j, v in enumerate(["合计", None, *[F(f"=SUM({L(j)}{first}:{L(j)}{last})") for j in range(3, n + 1)]], 1):
            _put(ws, r, j, v).font = head_font
    boxed(ws, H + 1, r, n)
    setup(ws, n, H, [6, 12, 9, 12, *[9] * (n - 5), 12])
    pw = getattr(p, "priority_works", None)
    notes = ["按改造内容所含词语归类（关键词表见 docs/life.md）；优先改造内容为存在安全隐患的"
             + ("、".join(pw.pipelines) if pw is not None else "电力、供水、排水、燃气、供热") + "等老旧管线和建筑节能改造。",
             "配套设施是否属群众意愿强烈的，请结合征求意见记录核实；未含优先改造内容的项目仅作提示，不作为错误。"]
    if missing:
        notes.append(f"{'、'.join(missing)}的报送无法读回，未归类（不计为0）。")
    if labels and note in labels:
        notes.append(f"本表数据为{note}。")
    for k, t in enumerate(notes):
        _put(ws, r + 2 + k, 1, ("注：" if k == 0 else "") + f"{k + 1}. {t}").font = Font(name="宋体", size=9)
        ws.merge_cells(start_row=r + 2 + k, start_column=1, end_row=r + 2 + k, end_column=n)


# -- the 汇总表 as a kind of the document pipeline (generator/render/pipeline.py) ---------------------------------------
# context: a Summary (api.Register.summary makes it from a snapshot); layout: xlsx_bytes above. register documents,
# register status|series --xlsx and the web's download write it through api.Register.write_summary; gaizao render
# doc summary --db FILE --as-of DAY too.
@dataclass
class Summary:
    """What the 汇总表 is made of: the day's status and series (and snapshot), the 改造内容 by county."""

    status: Status
    series: Series
    lp: Any
    snap: object = None
    works: list | None = None
    works_missing: Sequence[str] = field(default_factory=list)


def document(s: Summary, as_of) -> Document:
    from generator.render.pipeline import Document
    p = s.lp.policy
    return Document(f"汇总表（截至{as_of.isoformat()}）", s, f"{p.document.city.value}{p.year}年城镇老旧小区改造进度汇总表",
                    bool(s.status.sample or s.series.sample))


def _xlsx(doc, env) -> bytes:
    s = doc.context
    return xlsx_bytes(s.status, s.series, s.lp, snap=s.snap, works=s.works, works_missing=s.works_missing)


def documents(lp, inputs) -> list[Document]:
    """The register's (--db) 汇总表 as of --as-of, judged by the policy given (the register's public entry: api.py
    itself imports this module to write the 汇总表)."""
    from generator.register import Register
    return [document(Register(inputs.db).summary(inputs.as_of, policy=lp), inputs.as_of)]


def _kind():
    from generator.render.pipeline import Builder, DocumentKind, from_register, register
    return register(DocumentKind(
        "summary", "汇总表", "summary workbook", documents, Builder(xlsx=_xlsx), needs=("db", "as_of"), build=from_register,
        built_by="register documents", help="各下级单位对照节点的进度、月度进度与改造内容分类（XLSX，含公式）"))


KIND = _kind()
