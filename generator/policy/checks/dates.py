"""Dates: milestones (order, year, shares, labels: P110–P114, P150) and deadlines (issue date, erratum, plan
year, the liaison report's deadline: P113, P130–P132)."""
from __future__ import annotations

import re

from generator.findings import Severity
from generator.policy import cnfmt
from generator.policy.checks.base import Ctx


def check_milestones(c: Ctx):
    p = c.p
    ms = p.milestones
    ids = [m.id for m in ms]
    for i, m in enumerate(ms):
        if ids.count(m.id) > 1 and ids.index(m.id) != i:
            yield c.f("P113", Severity.ERROR, f"阶段节点编号“{m.id}”重复", f"duplicate milestone id '{m.id}'",
                      loc=("milestones", i, "id"), clause=m.clause)
        if m.date.year != p.year:
            yield c.f("P111", Severity.ERROR, f"阶段节点“{m.label}”的日期{cnfmt.cn_date(m.date)}不在计划年度{p.year}年内",
                      f"milestone '{m.id}' date {m.date} is outside the plan year {p.year}",
                      loc=("milestones", i, "date"), clause=m.clause, value=m.date)
        if not 0 < m.share <= 1:
            yield c.f("P150", Severity.ERROR, f"阶段节点“{m.label}”的比例{m.share}不在(0, 1]范围内",
                      f"milestone '{m.id}' share {m.share} is not in (0, 1]", loc=("milestones", i, "share"),
                      clause=m.clause, value=m.share)
    for i, m in enumerate(ms):   # a label like 完成改造70% must follow the share it names
        shown = re.findall(r"\d+(?:\.\d+)?%", m.label)
        if shown and cnfmt.pct(m.share) not in shown:
            yield c.f("P114", Severity.ERROR, f"阶段节点名称“{m.label}”中的比例与 share {cnfmt.pct(m.share)} 不一致",
                      f"milestone label '{m.label}' disagrees with its share {cnfmt.pct(m.share)}",
                      loc=("milestones", i, "label"), clause=m.clause, value=m.label, expected=cnfmt.pct(m.share))
    for i in range(1, len(ms)):
        prev, cur = ms[i - 1], ms[i]
        if cur.date < prev.date:
            yield c.f("P110", Severity.ERROR,
                      f"阶段节点顺序错误：“{cur.label}”（{cnfmt.cn_date(cur.date)}）早于其前一节点“{prev.label}”"
                      f"（{cnfmt.cn_date(prev.date)}）",
                      f"milestones out of order: '{cur.id}' ({cur.date}) comes before the preceding '{prev.id}' ({prev.date})",
                      loc=("milestones", i, "date"), clause=cur.clause, value=cur.date, expected=f">= {prev.date}")
    # the same measure must not ask for less later (e.g. 70 % completed in October, 100 % in December)
    ordered = sorted(enumerate(ms), key=lambda t: t[1].date)
    for a_i, (_ia, a) in enumerate(ordered):
        for ib, b in ordered[a_i + 1:]:
            if a.measure == b.measure and b.date > a.date and b.share < a.share and a.basis == b.basis:
                yield c.f("P112", Severity.ERROR,
                          f"“{b.label}”（{cnfmt.cn_date(b.date)}）要求的比例{cnfmt.pct(b.share)}小于更早节点“{a.label}”的"
                          f"{cnfmt.pct(a.share)}", f"'{b.id}' asks for {b.share:.0%}, less than the earlier '{a.id}' ({a.share:.0%})",
                          loc=("milestones", ib, "share"), clause=b.clause)


def check_deadlines(c: Ctx):
    p = c.p
    issue = p.document.issue_date.value if p.document.issue_date else None
    ids = [d.id for d in p.deadlines]
    for i, d in enumerate(p.deadlines):
        if ids.count(d.id) > 1 and ids.index(d.id) != i:
            yield c.f("P113", Severity.ERROR, f"期限编号“{d.id}”重复", f"duplicate deadline id '{d.id}'",
                      loc=("deadlines", i, "id"), clause=d.clause)
        if issue is not None and d.date < issue:
            printed = cnfmt.printed_date(d.date, d.precision)
            zh = f"期限“{d.label}”印为{printed}，早于成文日期{cnfmt.cn_date(issue)}"
            en = f"deadline '{d.id}' is printed as {d.date}, before the issue date {issue}"
            hint = None
            if d.erratum is not None:
                zh += f"；已记录勘误：应为{cnfmt.printed_date(d.erratum.corrected, d.precision)}（{d.erratum.note}）"
                en += f"; erratum recorded: {d.erratum.corrected} ({d.erratum.note_en or d.erratum.note})"
            else:
                hint = "保留印发值，并在 erratum 中记录更正值 / keep the printed value and record the correction in `erratum`"
            yield c.f("P130", Severity.WARNING, zh, en, loc=("deadlines", i, "date"), clause=d.clause, value=d.date,
                      expected=d.erratum.corrected if d.erratum else f">= {issue}", hint=hint)
        elif d.date.year > p.year:
            yield c.f("P131", Severity.WARNING, f"期限“{d.label}”（{cnfmt.cn_date(d.date)}）晚于计划年度",
                      f"deadline '{d.id}' ({d.date}) is after the plan year", loc=("deadlines", i, "date"),
                      clause=d.clause, value=d.date)
    lpt = p.liaison_points
    if lpt is not None and p.deadline(lpt.report_deadline) is None:
        yield c.f("P132", Severity.ERROR, f"联系点报送期限引用了不存在的期限“{lpt.report_deadline}”",
                  f"liaison report deadline refers to unknown deadline '{lpt.report_deadline}'",
                  loc=("liaison_points", "report_deadline"), clause=lpt.clause)

