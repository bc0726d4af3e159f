"""年度考核评价表 (issue 19.7) and the office's 说明 of the four words, from one snapshot.

五（四）: 迟报、漏报、瞒报、错报 are "纳入年度考核评价内容"; 三（五）: the city inspects in July and December and
"综合权重" elects the excellent counties; the weights and the rubric are in the 考核办法 (待印发). So per county
the table joins, from the register alone: the reporting record (the four words), each milestone met as
reported then, the 开工认定 rate (recognised / typed starts), and the inspection scores and weights where
the office gives them. Without weights it never combines: the column says 待考核办法确定权重.

The 说明 lists each word with the submissions behind it (ids, days, values): for the office, never the
signed text.
"""
from __future__ import annotations

from pathlib import Path

from generator.register.words import WORDS


def rows(snap, scores: dict | None = None, weights: dict | None = None) -> tuple[list[str], list[list]]:
    """(header, rows): one row per county. ``scores``: {round id: {county: score}}; ``weights``: {round id:
    weight}, both the office's (never invented)."""
    st = snap.status
    ms = [v for v in st.city.verdicts]
    rounds = list(scores or {})
    from generator.policy.wording import lower_unit, policy_level
    head = [lower_unit(policy_level(snap.lp.policy)), *WORDS, *[f"{v.label}（{v.date.month}月{v.date.day}日）" for v in ms],
            "开工认定（认定/填报）", "开工认定率", *[f"{r}得分" for r in rounds], "综合得分"]
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
        got = [(scores or {}).get(r, {}).get(x.county) for r in rounds]
        if weights and rounds and all(g is not None for g in got) and all(r in weights for r in rounds):
            total = f"{sum(weights[r] * g for r, g in zip(rounds, got)):.2f}"
        elif rounds:
            total = "待考核办法确定权重" if not weights else "得分不全"
        else:
            total = "待检查验收得分及权重"
        out.append([x.county, *[counts[w] for w in WORDS], *marks, f"{x.started}/{declared}", rate,
                    *["" if g is None else g for g in got], total])
    return head, out


def _write(path, title: str, sub: str, head: list[str], body: list[list], notes: list[str], sample: bool) -> Path:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet
    from openpyxl.styles import Alignment, Border, Font, Side

    from generator.fileio import atomic_write_bytes
    from generator.ledger.samples import NOTE
    import io
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)          # a new Workbook has one worksheet
    ws.title = title[:28]
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    full = title + (f"（{NOTE}）" if sample else "")
    ws.cell(1, 1, full).font = Font(name="方正小标宋简体", size=16)
    ws.cell(2, 1, sub).font = Font(name="宋体", size=10)
    for j, h in enumerate(head, 1):
        c = ws.cell(4, j, h)
        c.font, c.border = Font(name="宋体", bold=True), border
        c.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for i, r in enumerate(body, 5):
        for j, v in enumerate(r, 1):
            c = ws.cell(i, j, v)
            c.border = border
            c.alignment = Alignment(wrap_text=True, vertical="center")
            if isinstance(v, str):
                c.data_type = "s"
    for k, t in enumerate(notes):
        ws.cell(6 + len(body) + k, 1, t).font = Font(name="宋体", size=9)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    setup = ws.sheet_properties.pageSetUpPr
    assert setup is not None                  # openpyxl creates it with the sheet
    setup.fitToPage = True
    ws.print_title_rows = "4:4"
    buf = io.BytesIO()
    wb.save(buf)
    return atomic_write_bytes(Path(path), buf.getvalue())


def write_assessment(snap, path, *, scores: dict | None = None, weights: dict | None = None) -> Path:
    head, body = rows(snap, scores, weights)
    p = snap.lp.policy
    notes = ["注：1. 迟报、漏报、错报、瞒报按信息报送情况说明所列认定（五（四））；节点按当期报告认定。",
             "2. 开工认定率 = 符合开工认定标准的已开工项目 / 填报已开工项目。",
             "3. 检查验收得分及权重由考核办法确定（政策未规定），未给出的不作综合。"]
    notes += [f"4. {t}" for t in snap.rules.lines()[:1]]
    return _write(path, f"{p.year}年城镇老旧小区改造年度考核评价表", f"截至{snap.as_of}；依据登记库", head, body, notes,
                  snap.sample)


def write_words_annex(snap, path) -> Path:
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
    return _write(path, "信息报送情况说明（迟报、漏报、错报、瞒报）", f"截至{snap.as_of}", head, body, notes, snap.sample)
