"""年度考核评价表 (issue 19.7) and the office's 说明 of the four words, from one snapshot.

五（四）: 迟报、漏报、瞒报、错报 are "纳入年度考核评价内容"; 三（五）: the city inspects in July and December and
"综合权重" elects the excellent counties; the weights and the rubric are in the 考核办法 (待印发). So per county
the table joins, from the register alone: the reporting record (the four words), each milestone met as
reported then, the 开工认定 rate (recognised / typed starts), and the inspection scores and weights where
the office gives them. Without weights it never combines: what is not given is a blank cell to fill, and
what the office must supply is listed in its 说明 (``missing``), never in the table it signs (issue 21.1).

The 说明 lists each word with the submissions behind it (ids, days, values): for the office, never the
signed text.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.register.words import WORDS

if TYPE_CHECKING:
    import datetime as dt

    from generator.render.pipeline import Document


@dataclass
class Table:
    """One sheet as the office prints it: title, the as-of line, header, rows and the notes below them."""

    title: str
    sub: str
    head: list[str]
    body: list[list]
    notes: list[str]
    sample: bool


def _rounds(snap, scores: dict | None) -> list[tuple[str, str]]:
    """(round id, name) of every inspection round the policy names, then any other round scored."""
    p = snap.lp.policy
    named = [(r.id, r.name) for r in (p.inspections.rounds if p.inspections else [])]
    return named + [(r, r) for r in (scores or {}) if r not in dict(named)]


def rows(snap, scores: dict | None = None, weights: dict | None = None) -> tuple[list[str], list[list]]:
    """(header, rows): one row per county. ``scores``: {round id: {county: score}}; ``weights``: {round id:
    weight}, both the office's (never invented). What is not given is a blank cell to fill in by hand: a
    round's score, the 综合得分 without every score and weight, 迟报/漏报 where no monthly due day is recorded
    (issue 21.1: what the office must supply is said in its 说明, never in the signed table)."""
    st = snap.status
    ms = [v for v in st.city.verdicts]
    rounds = _rounds(snap, scores)
    judged = snap.rules.monthly_due_day is not None          # without a due day 迟报 and 漏报 are not judged
    from generator.policy.wording import lower_unit, policy_level
    head = [lower_unit(policy_level(snap.lp.policy)), *WORDS, *[f"{v.label}（{v.date.month}月{v.date.day}日）" for v in ms],
            "开工认定（认定/填报）", "开工认定率", *[f"{name}检查验收得分" for _, name in rounds], "综合得分"]
    out = []
    for c in st.counties:
        x = c.line
        counts = snap.word_counts(x.county)
        marks = []
        for v in c.verdicts:
            if getattr(v, "pending", False) or not v.due:
                marks.append("未到期")
            else:
                marks.append(("达到" if v.met_then else "未达到") + f"（{v.reached_then}/{v.required}）")
        declared = x.started_declared
        rate = f"{x.started / declared:.1%}" if declared else "—"
        got = [(scores or {}).get(r, {}).get(x.county) for r, _ in rounds]
        total = ""
        if weights and rounds and all(g is not None for g in got) and all(r in weights for r, _ in rounds):
            total = f"{sum(weights[r] * g for (r, _), g in zip(rounds, got)):.2f}"
        words = [counts[w] if judged or w not in ("迟报", "漏报") else "" for w in WORDS]
        out.append([x.county, *words, *marks, f"{x.started}/{declared}", rate,
                    *["" if g is None else g for g in got], total])
    return head, out


def missing(snap, scores: dict | None = None, weights: dict | None = None) -> list[str]:
    """What the office must still supply for the 年度考核评价表 (its blank cells), for the office's 说明 and the
    terminal, never for the signed table."""
    rounds = _rounds(snap, scores)
    out = []
    if snap.rules.monthly_due_day is None:
        out.append("迟报、漏报两栏留空：未记录信息月报报送日，未判断迟报、漏报（政策未规定报送日，确定后记录）。")
    lacking = [name for r, name in rounds if not (scores or {}).get(r)]
    if lacking:
        out.append(f"{'、'.join(lacking)}检查验收得分留空：未给出得分（由检查验收确定后填写或给出）。")
    if rounds and not weights:
        out.append("综合得分留空：各轮权重由考核办法确定，政策未规定，未给出权重的不作综合。")
    else:
        partial = [c.line.county for c in snap.status.counties
                   if any((scores or {}).get(r, {}).get(c.line.county) is None for r, _ in rounds)]
        if rounds and partial and len(lacking) < len(rounds):
            out.append(f"{'、'.join(partial)}得分不全，综合得分留空。")
    return out


def _text_width(v) -> int:
    """Width of a value in Excel's character units: a Chinese character counts two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in ("" if v is None else str(v)))


def _widths(head: list[str], body: list[list]) -> list[float]:
    """Column widths: the longest value, or the header on one line up to 14 units (longer headers wrap),
    within 6–40 units."""
    out = []
    for j, h in enumerate(head):
        values = [_text_width(r[j]) for r in body] or [0]
        out.append(float(min(40, max(6, max(values) + 2, min(14, _text_width(h) + 2)))))
    return out


def _height(values: list, widths: list[float]) -> float:
    """Row height in points for wrapped text of 10 pt (14 pt a line, a line's padding)."""
    lines = max((-(-_text_width(v) // max(1, int(w) - 1)) for v, w in zip(values, widths)), default=1)
    return 14.0 * max(1, lines) + 4


def xlsx_bytes(t: Table, when: dt.datetime) -> bytes:
    """The table as XLSX (openpyxl), as the office prints it: its title (示例数据 in it and in the page header when
    made from sample data), the as-of line, the header row repeated on each page, the notes below."""
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    from generator.ledger.samples import NOTE
    title, sub, head, body, notes, sample = t.title, t.sub, t.head, t.body, t.notes, t.sample
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)          # a new Workbook has one worksheet
    ws.title = title[:28]
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    full = title + (f"（{NOTE}）" if sample else "")
    ws.cell(1, 1, full).font = Font(name="方正小标宋简体", size=16)
    ws.cell(2, 1, sub).font = Font(name="宋体", size=10)
    widths = _widths(head, body)
    for j, h in enumerate(head, 1):
        c = ws.cell(4, j, h)
        c.font, c.border = Font(name="宋体", size=10, bold=True), border
        c.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    ws.row_dimensions[4].height = _height(head, widths)
    for i, r in enumerate(body, 5):
        for j, v in enumerate(r, 1):
            c = ws.cell(i, j, v)
            c.font, c.border = Font(name="宋体", size=10), border
            c.alignment = Alignment(wrap_text=True, vertical="center",
                                    horizontal="left" if _text_width(v) > widths[j - 1] - 2 else "center")
            if isinstance(v, str):
                c.data_type = "s"
        ws.row_dimensions[i].height = _height(r, widths)
    for j, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(j)].width = w
    for k, line in enumerate(notes):
        ws.cell(6 + len(body) + k, 1, line).font = Font(name="宋体", size=9)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0             # as many pages as the rows need, the header row on each
    ws.print_options.horizontalCentered = True
    setup = ws.sheet_properties.pageSetUpPr
    assert setup is not None                  # openpyxl creates it with the sheet
    setup.fitToPage = True
    ws.print_title_rows = "4:4"
    if sample:                                # 示例数据 in the page header of every printed page (issue 21.5)
        odd = ws.oddHeader
        assert odd is not None                # openpyxl gives every worksheet its header and footer
        odd.right.text = NOTE
        odd.right.color = "FF0000"
    from generator.ledger.writer import workbook_bytes
    return workbook_bytes(wb, when, neutralise=False)    # the document's date, not the run's: same bytes twice


def assessment_table(snap, scores: dict | None = None, weights: dict | None = None) -> Table:
    """The table the office signs: figures, and blank cells where a value is still to be given (``missing``
    says which, in the office's 说明). No clause citation, no provenance remark."""
    from generator.policy.cnfmt import cn_date
    head, body = rows(snap, scores, weights)
    p = snap.lp.policy
    rounds = _rounds(snap, scores)
    notes = ["注：1. 迟报、漏报、错报、瞒报为信息报送中认定的次数；节点完成情况按当期报告认定，括号内为完成数/应完成数。",
             "2. 开工认定率＝符合开工认定标准的已开工项目数÷填报的已开工项目数。"]
    if weights and rounds and all(r in weights for r, _ in rounds):
        formula = "＋".join(f"{name}检查验收得分×{weights[r]:g}" for r, name in rounds)
        notes.append(f"3. 综合得分＝{formula}。")
    return Table(f"{p.year}年城镇老旧小区改造年度考核评价表", f"截至{cn_date(snap.as_of)}", head, body, notes, snap.sample)


def words_annex(snap, scores: dict | None = None, weights: dict | None = None) -> Table:
    """The office's 说明 of the four words: each with the submissions behind it, and the table's blank cells."""
    from generator.policy.wording import lower_unit, policy_level
    head = [lower_unit(policy_level(snap.lp.policy)), "类别", "所属月份", "情况", "依据（报送编号、收到日期、前后数值）", "报送编号"]
    body = [[w.county, w.word, w.period or "", w.text, w.detail, "、".join(f"#{i}" for i in w.submissions)]
            for w in snap.words]
    try:
        from generator.render.official import office
        who = office(snap.lp)
    except AttributeError:                  # the recorded facts of a policy (no document details)
        who = "发文单位"
    notes = [f"注：本表供{who}核查，列明每项认定所依据的报送（登记库编号）；不随通报印发。", *snap.rules.lines()]
    todo = missing(snap, scores, weights)
    if todo:
        notes += ["年度考核评价表待补充（表中留空）：", *[f"{k}. {t}" for k, t in enumerate(todo, 1)]]
    return Table("信息报送情况说明（迟报、漏报、错报、瞒报）", f"截至{snap.as_of}", head, body, notes, snap.sample)


def write_assessment(snap, out_dir, *, scores: dict | None = None, weights: dict | None = None) -> list[Path]:
    """The 年度考核评价表 and its 说明 into ``out_dir`` through the document pipeline (the kind below): both rendered
    before either is written, each atomically."""
    from generator.render import pipeline
    return pipeline.save(pipeline.render([(KIND, d) for d in assessment_documents(snap, scores, weights)], snap.lp,
                                         out_dir))


# -- the table and its 说明 as a kind of the document pipeline (generator/render/pipeline.py) ----------------------------
# context: a Table; layout: xlsx_bytes above. gaizao register documents writes it through write_assessment; gaizao
# render doc assessment --db FILE --as-of DAY [--scores S.yaml] [--weights ROUND=W,...] too.
def assessment_documents(snap, scores: dict | None = None, weights: dict | None = None) -> list[Document]:
    """The table the office signs, then the office's 说明 (named as of the snapshot's day)."""
    from generator.render.pipeline import Document
    day = snap.as_of.isoformat()
    table, annex = assessment_table(snap, scores, weights), words_annex(snap, scores, weights)
    return [Document(f"年度考核评价表（截至{day}）", table, table.title, table.sample),
            Document(f"信息报送情况说明（内部核查用，截至{day}）", annex, annex.title, annex.sample)]


def documents(lp, inputs) -> list[Document]:
    """From the register (--db) as of --as-of, with the office's --scores and --weights when given (the policy's
    weights, else the office's; never our own), as gaizao register documents reads them."""
    from generator.register.api import Register
    from generator.render.ranking import load_scores, parse_weights
    scores = load_scores(inputs.scores, lp.policy) if inputs.scores else None
    weights = parse_weights(inputs.weights, lp.policy)[0] if inputs.scores or inputs.weights else None
    snap = Register(inputs.db).snapshot(inputs.as_of, policy=lp)
    return assessment_documents(snap, scores, weights)


def _kind():
    from generator.ledger.writer import document_time
    from generator.render.pipeline import Builder, DocumentKind, from_register, register
    return register(DocumentKind(
        "assessment", "年度考核评价表", "annual assessment table", documents,
        Builder(xlsx=lambda d, env: xlsx_bytes(d.context, document_time(env.lp.policy))), needs=("db", "as_of"),
        build=from_register,
        built_by="register documents",
        help="各下级单位的信息报送（迟报、漏报、错报、瞒报）、节点、开工认定率与检查验收得分，附内部核查用说明（XLSX）"))


KIND = _kind()
