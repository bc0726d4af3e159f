"""The rules of a 信息月报 (ledger/monthly.py): what a month's report must get right, judged against its plan.

A 月报 is judged by these rules only; the plan rules (V…: targets, funding, deadlines such as V602's 报送日期
against the plan deadline) judge plans. Every finding cites the clause of the policy record it rests on, and
a rule whose record the policy lacks is not run (no 开工认定标准: no M401).

    from generator.validate.monthly import validate_monthly, RULES
    findings = validate_monthly(report, lp, plan, period="2023-06", as_of=date(2023, 7, 3))

``report``: a 月报 as ``ledger.reader.read_monthly`` reads it; ``plan``: the county's plan it reports on (None:
the rules that need the plan are not run); ``period``: the month the office records it for (``register add
--period``), compared with the form's 报告月份; ``as_of``: the day it was received (no date may be later).
Dates a rule rejects (M201, M202, M203, M204, M206) never count as starts or completions
(``reports.recognition.rejected_dates`` reads them).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from generator.findings import Finding, Severity
from generator.ledger import contract as C
from generator.ledger import monthly as M

E, W = Severity.ERROR, Severity.WARNING

# code -> (severity, title, title_en, clause of the policy: policy -> clause id or None). docs/monthly-report.md
RULES: dict[str, tuple[Severity, str, str, Callable]] = {
    "M001": (E, "基本信息缺少县（市、区）或报告月份", "基本信息 lacks the county or the report month",
             lambda p: p.reporting.clause),
    "M002": (W, "基本信息缺少报送日期、填报人或联系电话", "基本信息 lacks the date, the reporter or the phone",
             lambda p: p.reporting.clause),
    "M003": (W, "未写明审核同意的单位领导（五（四）：经审核盖章方为有效）", "no approving 单位领导 named",
             lambda p: p.reporting.clause),
    "M004": (E, "单元格的值无法识别", "a value cannot be read", lambda p: p.reporting.clause),
    "M005": (E, "报告月份无法识别，或与登记的所属月份不同", "the report month is unreadable or differs from the recorded one",
             lambda p: p.reporting.clause),
    "M101": (E, "项目编号不在年度实施方案中", "project not in the plan", lambda p: p.project_fields.clause),
    "M102": (W, "实施方案中的项目未在月报中填报", "a plan project is missing from the report", lambda p: p.reporting.clause),
    "M103": (W, "小区名称与实施方案不一致", "community name differs from the plan", lambda p: p.project_fields.clause),
    "M104": (E, "项目编号为空或重复", "project id blank or repeated", lambda p: p.project_fields.clause),
    "M201": (E, "开工日期晚于报告月份月末", "start after the end of the report month", lambda p: p.reporting.clause),
    "M202": (E, "完工日期晚于报告月份月末", "completion after the end of the report month", lambda p: p.reporting.clause),
    "M203": (E, "完工日期早于开工日期", "completion before start", lambda p: p.milestone("all_completed").clause),
    "M204": (E, "有完工日期而无开工日期", "completion without a start", lambda p: p.milestone("all_completed").clause),
    "M205": (E, "开工认定条件的日期晚于报告月份月末", "a criterion date after the end of the report month",
             lambda p: p.start_criteria.clause),
    "M206": (E, "日期晚于收到日期（尚未发生）", "a date after the day received", lambda p: p.reporting.clause),
    "M301": (E, "开工户数或完工户数超过计划户数", "households beyond the plan's", lambda p: _target_clause(p)),
    "M302": (E, "完工户数超过开工户数", "households completed beyond those started", lambda p: _target_clause(p)),
    "M303": (W, "开工户数与开工日期不一致", "households started without a start, or a start without households",
             lambda p: p.milestone("all_started").clause),
    "M304": (W, "已填完工日期，完工户数少于计划户数", "completed, but fewer households than planned",
             lambda p: _target_clause(p)),
    "M305": (E, "户数或实物量小于表式规定的最小值（如负数）", "a count or quantity below the form's least value",
             lambda p: p.reporting.clause),
    "M401": (W, "已填开工日期，开工认定条件未全部达到（不计为开工）", "started, but the 开工认定 criteria are not all met",
             lambda p: p.start_criteria.clause),
}


def _target_clause(p) -> str | None:
    return next((c.target.clause for c in p.counties if c.target), None)


def clause_of(code: str, lp) -> str | None:
    """The clause a finding of ``code`` cites (as a person cites it), or None when the policy lacks the record."""
    try:
        cid = RULES[code][3](lp.policy)
    except (AttributeError, IndexError, StopIteration, TypeError):
        return None
    return lp.text.display(cid) if cid else None


class _Out:
    def __init__(self, lp, report, county):
        self.lp, self.report, self.county, self.found = lp, report, county, []
        self._clauses: dict[str, str | None] = {}

    def runs(self, code: str) -> bool:
        if code not in self._clauses:
            self._clauses[code] = clause_of(code, self.lp)
        return self._clauses[code] is not None

    def add(self, code, zh, en, *, cell=None, row=None, sheet=None, column=None, value=None, expected=None, **extra):
        sev = RULES[code][0]
        if not self.runs(code):
            return
        pid = row.value(C.PROJECT_ID) if row is not None else None
        self.found.append(Finding(
            code, sev, zh, en, clause=self._clauses[code], file=self.report.file,
            sheet=(cell.sheet if cell is not None else sheet or (row.sheet if row is not None else None)),
            row=(cell.row if cell is not None else (row.row if row is not None else None)),
            column=(cell.column if cell is not None else column), project=None if pid is None else str(pid),
            county=self.county, value=_plain(value), expected=_plain(expected), extra=extra))


def _plain(v):
    return v.isoformat() if isinstance(v, dt.date) else v


def _date(cell) -> dt.date | None:
    v = cell.value if cell is not None and cell.error is None else None
    return v if isinstance(v, dt.date) and not isinstance(v, dt.datetime) else None


def validate_monthly(report, lp, plan=None, *, period: str | None = None, as_of: dt.date | None = None) -> list[Finding]:
    """The findings of one 月报 (see the module's doc)."""
    p = lp.policy
    out = _Out(lp, report, report.info.get(C.COUNTY).value if report.info.get(C.COUNTY) is not None else None)
    sheet_info = report.sheet_names.get(C.SHEET_INFO, C.SHEET_INFO)

    # 基本信息
    for key, code in ((C.COUNTY, "M001"), (M.PERIOD, "M001"), (C.SUBMITTED, "M002"), (M.REPORTER, "M002"),
                      (C.PHONE, "M002"), (M.APPROVER, "M003")):
        cell = report.info.get(key)
        if report.format != "csv" and (cell is None or cell.blank):
            out.add(code, f"基本信息“{key}”未填写", f"基本信息 {key} is blank", cell=cell, sheet=sheet_info, column=key)
    stated = None
    pc = report.info.get(M.PERIOD)
    if pc is not None and not pc.blank:
        stated, err, err_en = M.parse_period(pc.raw)
        if stated is None:
            out.add("M005", err or "报告月份无法识别", err_en or "unreadable", cell=pc, value=pc.raw)
    if period and stated and stated != period:
        out.add("M005", f"表内报告月份为{stated}，登记的所属月份为{period}：请核对后重报",
                f"the sheet reports {stated}, recorded as {period}", cell=pc, value=stated, expected=period)
    month = period or stated
    end = M.month_end(month) if month else None

    # unreadable cells
    for cell in report.info.values():
        if cell.error:
            out.add("M004", cell.error, cell.error_en or cell.error, cell=cell, value=cell.raw)
    rows = report.projects
    if rows:
        t = rows[0].table
        for name, k in t.pos.items():
            for i, (zh, en) in sorted(t.err[k].items()):
                out.add("M004", zh, en or zh, cell=rows[i].get(name), row=rows[i], value=t.raw[k][i])

    contract = M.build_monthly_contract(p)
    crit_cols = contract.criterion_columns
    least = {c.name: c.minimum for c in contract.projects if c.minimum is not None}
    # dates of the month
    for r in rows:
        s, e = r.get(M.START), r.get(M.END)
        ds, de = _date(s), _date(e)
        if end is not None and ds and ds > end:
            out.add("M201", f"开工日期{ds}晚于报告月份{month}月末（{end}）：月报只报月末及以前已发生的事，该日期不计入",
                    f"start {ds} is after the end of {month} ({end}): not counted", cell=s, row=r, value=ds,
                    expected=f"<= {end}")
        elif as_of is not None and ds and ds > as_of:
            out.add("M206", f"开工日期{ds}晚于收到日期{as_of}：尚未发生，不计入", f"start {ds} is after the day received "
                    f"{as_of}: not counted", cell=s, row=r, value=ds, expected=f"<= {as_of}")
        if end is not None and de and de > end:
            out.add("M202", f"完工日期{de}晚于报告月份{month}月末（{end}）：该日期不计入",
                    f"completion {de} is after the end of {month} ({end}): not counted", cell=e, row=r, value=de,
                    expected=f"<= {end}")
        elif as_of is not None and de and de > as_of:
            out.add("M206", f"完工日期{de}晚于收到日期{as_of}：尚未发生，不计入", f"completion {de} is after the day "
                    f"received {as_of}: not counted", cell=e, row=r, value=de, expected=f"<= {as_of}")
        if ds and de and de < ds:
            out.add("M203", f"完工日期{de}早于开工日期{ds}", f"completion {de} is before the start {ds}", cell=e, row=r,
                    value=de, expected=f">= {ds}")
        if de and not ds and s.error is None:
            out.add("M204", f"有完工日期{de}而无开工日期：请补填开工日期", f"completion {de} without a start", cell=e,
                    row=r, value=de)
        for name in crit_cols.values():
            c = r.get(name)
            dc = _date(c)
            if end is not None and dc and dc > end:
                out.add("M205", f"{name}的日期{dc}晚于报告月份{month}月末（{end}）：该条件在本月尚未达到",
                        f"{name} {dc} is after the end of {month}", cell=c, row=r, value=dc, expected=f"<= {end}")
        for name, low in least.items():
            c = r.get(name)
            v = c.value if c is not None and c.error is None else None
            if isinstance(v, (int, float)) and not isinstance(v, bool) and v < low:
                out.add("M305", f"{name}应不小于{low}，填写的是{v}", f"{name} must be at least {low}, found {v}", cell=c,
                        row=r, value=v, expected=f">= {low}")
        hs, hd = r.get(M.HH_STARTED), r.get(M.HH_DONE)
        vs = hs.value if hs.error is None and isinstance(hs.value, int) else None
        vd = hd.value if hd.error is None and isinstance(hd.value, int) else None
        if vs and not ds and s.error is None:
            out.add("M303", f"开工户数为{vs}而未填开工日期", f"{vs} households started but no start date", cell=hs, row=r,
                    value=vs)
        elif ds and not vs and hs.error is None:
            out.add("M303", f"已填开工日期{ds}而开工户数为空或0", f"started {ds} but no households started", cell=hs,
                    row=r, value=vs)
        if vs is not None and vd is not None and vd > vs:
            out.add("M302", f"完工户数{vd}超过开工户数{vs}", f"{vd} households completed, only {vs} started", cell=hd,
                    row=r, value=vd, expected=f"<= {vs}")

    if plan is None:
        return out.found
    _against_plan(out, report, plan, lp, crit_cols)
    return out.found


def _against_plan(out: _Out, report, plan, lp, crit_cols) -> None:
    from generator.validate.facts import norm
    lk = M.link(report, plan)
    rows = report.projects
    for j in lk.blank:
        out.add("M104", "项目编号为空：每行须填写实施方案中的项目编号", "blank project id", cell=rows[j].get(C.PROJECT_ID),
                row=rows[j])
    for j in lk.repeated:
        out.add("M104", f"项目编号“{rows[j].value(C.PROJECT_ID)}”重复：只读取第一行", "project id repeated: the first row "
                "is read", cell=rows[j].get(C.PROJECT_ID), row=rows[j], value=rows[j].value(C.PROJECT_ID))
    for j in lk.unknown:
        r = rows[j]
        out.add("M101", f"项目编号“{r.value(C.PROJECT_ID)}”（{r.value(C.COMMUNITY) or ''}）不在年度实施方案中：不计入进度",
                f"project {r.value(C.PROJECT_ID)!r} is not in the plan: not counted", cell=r.get(C.PROJECT_ID), row=r,
                value=r.value(C.PROJECT_ID))
    sheet = report.sheet_names.get(M.SHEET_PROGRESS, M.SHEET_PROGRESS)
    for i in lk.unreported:
        pr = plan.projects[i]
        out.add("M102", f"实施方案项目“{pr.value(C.PROJECT_ID)}”（{pr.value(C.COMMUNITY) or ''}）未在月报中填报",
                f"plan project {pr.value(C.PROJECT_ID)!r} is not in the report", sheet=sheet, column=C.PROJECT_ID,
                value=pr.value(C.PROJECT_ID))
    for j, i in lk.pairs:
        r, pr = rows[j], plan.projects[i]
        name, planned = r.value(C.COMMUNITY), pr.value(C.COMMUNITY)
        if name and planned and norm(name) != norm(planned):
            out.add("M103", f"小区名称“{name}”与实施方案的“{planned}”不一致", f"community {name!r} differs from the "
                    f"plan's {planned!r}", cell=r.get(C.COMMUNITY), row=r, value=name, expected=planned)
        hh = pr.value(C.HOUSEHOLDS)
        if not isinstance(hh, int):
            continue
        for column in (M.HH_STARTED, M.HH_DONE):
            cell = r.get(column)
            v = cell.value if cell.error is None else None
            if isinstance(v, int) and v > hh:
                out.add("M301", f"{column}{v}超过该项目计划户数{hh}（多{v - hh}户）", f"{column} {v} exceeds the plan's "
                        f"{hh} households", cell=cell, row=r, value=v, expected=f"<= {hh}")
        done = r.get(M.HH_DONE)
        vd = done.value if done.error is None else None
        if _date(r.get(M.END)) and isinstance(vd, int) and vd < hh:
            out.add("M304", f"已填完工日期，完工户数{vd}少于计划户数{hh}：部分完工请勿填完工日期",
                    f"completed, but {vd} of {hh} households", cell=done, row=r, value=vd, expected=hh)
    if not out.runs("M401") or not lk.pairs:
        return
    from generator.validate.rules.projects import readiness
    merged = M.merge(report, plan)
    for row in merged.projects:
        if _date(row.get(C.ACTUAL_START)) is None:
            continue
        rd = readiness(row, lp, None)
        unmet = [c for c in rd.criteria if not c.met]
        if unmet:
            why = "；".join(f"{c.column}：{c.why}" for c in unmet)
            out.add("M401", f"开工认定条件未全部达到，不计为开工（{why}）", "the 开工认定 criteria are not all met: "
                    "not counted as started", row=row, column=unmet[0].column, sheet=row.sheet,
                    value=[c.id for c in unmet])
