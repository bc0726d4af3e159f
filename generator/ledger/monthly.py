"""The 信息月报 workbook contract (docs/monthly-report.md): what a month's report holds, derived from the policy.

A 信息月报 is not a plan. The plan (县级年度实施方案, contract.py) says what will be done; the 月报 says, for one
month, how far each planned project has got: 五（四） "信息月报…纳入日常考评，对迟报、漏报、瞒报、错报等情况纳为年度
考核评价内容" and "上报项目信息必须经单位领导审核同意并加盖单位印章方为有效". So a 月报 holds, per project of the
plan (linked by 项目编号, with its 小区名称 as a check):

- 开工日期 and 开工户数 (二: 全部开工 by the all_started milestone), 完工日期 and 完工户数 (二: the completion
  milestones, 70 % counted 按户数);
- one column per 开工认定标准 of the policy (附件: the criteria as the policy lists them, named by
  ``contract.criterion_column``, the same header as in the plan), a date or 是/否;
- 本月完成投资（万元） only when the policy asks a 月报 for investment: a reporting duty with key
  ``monthly_investment`` (the notice of 2023 asks none, so its 月报 has no money column: never invented);
- optional quantity columns of the national 城镇老旧小区改造统计调查制度 (``NATIONAL_EFFECTS``), written into the
  form only when the office adopts that survey (``register template --national``) and read whenever present.

and in 基本信息 the 报告月份 it speaks for, the 报送日期, the 填报人 and 联系电话 (专人专责) and the 单位领导 who
approved it (审核人). Sheet names: 基本信息 and 项目进度 (a plan has 项目清单 instead: ``is_monthly_sheets``).

The reader (``reader.read_monthly``), the writer (``writer.monthly_workbook_bytes``: the monthly-form kind's bytes)
and the monthly rules (``validate/monthly.py``) all read this module; the register joins a 月报 to the county's plan with ``merge``.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.ledger import contract as C
from generator.ledger.contract import Column, Contract, normalize_header

if TYPE_CHECKING:       # annotations only (the policy model sits above the workbook reader's imports)
    from generator.policy.model import Duty

SHEET_PROGRESS = "项目进度"
MONTHLY_SHEETS = (C.SHEET_INFO, SHEET_PROGRESS)

# 基本信息 keys of a 月报 (the contract itself, not policy values)
PERIOD = "报告月份"
REPORTER = "填报人"
APPROVER = "审核人（单位领导）"

# 项目进度 columns
START = "开工日期"
END = "完工日期"
HH_STARTED = "开工户数"
HH_DONE = "完工户数"
INVESTMENT = "本月完成投资（万元）"
INVESTMENT_DUTY = "monthly_investment"        # the reporting duty key that asks a 月报 for investment

# The plan's column each 月报 column stands for when a 月报 is joined to its plan (merge)
AS_PLAN = {START: C.ACTUAL_START, END: C.ACTUAL_END}

# The effect indicators of the national survey a county may be asked to report as quantities (the survey's
# published indicator names; its table layout was not available offline: docs/monthly-report.md).
# (indicator, unit, 改造内容 works of validate/works.py whose words show a project includes it)
NATIONAL_EFFECTS: list[tuple[str, str, tuple[str, ...]]] = [
    ("改造老旧管线", "公里", ("电力", "供水", "排水", "燃气", "供热")),
    ("加装电梯", "部", ("电梯",)),
    ("建筑节能改造", "万平方米", ("建筑节能",)),
    ("停车位", "个", ("停车",)),
    ("充电桩", "个", ("充电",)),
    ("养老托育设施", "个", ("养老", "托育", "托幼")),
    ("助餐设施", "个", ("助餐",)),
]


def national_column(indicator: str, unit: str) -> str:
    """THE header of a national quantity column: 加装电梯（部）."""
    return f"{indicator}（{unit}）"


@dataclass
class MonthlyContract(Contract):
    """The 月报's contract: ``info`` its 基本信息 keys, ``projects`` its 项目进度 columns (the reader's and writer's
    names for them, as in the plan's Contract), no 联系点."""

    investment: bool = False                  # the policy asks for 本月完成投资
    reporting_clause: str | None = None

    @property
    def sheets(self) -> tuple[str, ...]:
        return MONTHLY_SHEETS

    @property
    def projects_sheet(self) -> str:
        return SHEET_PROGRESS

    def columns(self, sheet: str) -> list[Column]:
        return {C.SHEET_INFO: self.info, SHEET_PROGRESS: self.projects}[sheet]

    @property
    def national_columns(self) -> list[Column]:
        return [c for c in self.projects if c.group == "national"]


def asks_investment(p) -> Duty | None:
    """The reporting duty that asks a 月报 for investment, or None (then there is no investment column)."""
    duties = p.reporting.duties if p.reporting is not None else []
    return next((d for d in duties if d.key == INVESTMENT_DUTY), None)


def build_monthly_contract(policy) -> MonthlyContract:
    """The 月报 contract of ``policy`` (a Policy or a LoadedPolicy)."""
    from generator.policy import wording
    p = getattr(policy, "policy", policy)
    unit = wording.lower_unit(p)
    target_clause = next((c.target.clause for c in p.counties if c.target), None)
    fields_clause = p.project_fields.clause if p.project_fields else None
    reporting = p.reporting.clause if p.reporting else None
    started = p.milestone("all_started")
    done = p.milestone("all_completed")
    by_households = next((m for m in p.milestones if m.measure == "completed" and m.basis == "households"), None) or done
    info = [
        Column(C.COUNTY, "text", clause=target_clause, meaning=f"本{unit}名称，须为政策列明的{unit}"),
        Column(PERIOD, "text", clause=reporting, meaning="本月报所报告的月份，如2023-06；只报该月末及以前已发生的事"),
        Column(C.SUBMITTED, "date", clause=reporting, meaning="报送日期（以市里收到日期为准）"),
        Column(REPORTER, "text", clause=reporting, meaning="填报人（信息报送专人专责）"),
        Column(C.PHONE, "phone", clause=reporting, meaning="填报人电话（座机带区号或11位手机号）"),
        Column(APPROVER, "text", clause=reporting,
               meaning="审核同意的单位领导；上报项目信息须经单位领导审核同意并加盖单位印章方为有效"),
        Column(C.REMARKS, "text", required=False, meaning="备注"),
    ]
    projects = [
        Column(C.PROJECT_ID, "text", clause=fields_clause, meaning="项目编号，须为年度实施方案项目清单中的编号"),
        Column(C.COMMUNITY, "text", clause=fields_clause, meaning="小区名称，与年度实施方案一致"),
        Column(START, "date", clause=started.clause if started else None,
               meaning="实际开工日期；未开工留空；不得晚于报告月份月末"),
        Column(HH_STARTED, "int", clause=started.clause if started else None, minimum=0,
               meaning="已开工户数（累计），不超过该项目计划户数"),
        Column(END, "date", clause=done.clause if done else None,
               meaning="实际完工日期；未完工留空；不得早于开工日期，不得晚于报告月份月末"),
        Column(HH_DONE, "int", clause=by_households.clause if by_households else None, minimum=0,
               meaning="已完工户数（累计），不超过开工户数和计划户数"),
    ]
    crit_cols: dict[int, str] = {}
    for c in (p.start_criteria.items if p.start_criteria else []):
        crit_cols[c.id] = C.criterion_column(c)
        projects.append(Column(crit_cols[c.id], "criterion", clause=c.clause, group="criterion", key=c.id,
                               meaning="开工认定标准：达到该条件的日期（或是/否）；未达到留空"))
    duty = asks_investment(p)
    if duty is not None:
        projects.append(Column(INVESTMENT, "money", required=False, clause=reporting, group="investment",
                               meaning=f"本月完成投资（万元）：{duty.text}"))
    for indicator, unit_, _ in NATIONAL_EFFECTS:
        projects.append(Column(national_column(indicator, unit_), "area" if unit_ in ("公里", "万平方米") else "int",
                               required=False, group="national", minimum=0,
                               meaning=f"{indicator}（{unit_}，累计）：全国城镇老旧小区改造统计调查制度指标，市里采用时填报"))
    projects.append(Column(C.REMARKS, "text", required=False, meaning="备注"))
    return MonthlyContract(info, projects, [], [], crit_cols, [c.name for c in p.counties],
                           investment=duty is not None, reporting_clause=reporting)


# -- which form a file is ------------------------------------------------------------------------
def is_monthly_sheets(names) -> bool:
    """A workbook with a 项目进度 sheet and no 项目清单 is a 月报 (sheet names as typed, tolerant)."""
    keys = {normalize_header(n) for n in names}
    return normalize_header(SHEET_PROGRESS) in keys and normalize_header(C.SHEET_PROJECTS) not in keys


_MONTHLY_ONLY = {normalize_header(h) for h in (HH_STARTED, HH_DONE, START, END)}
_PLAN_ONLY = {normalize_header(h) for h in (C.BUILDINGS, C.HOUSEHOLDS, C.PLANNED_START, C.PLANNED_END)}


def is_monthly_header(rows) -> bool:
    """A table (CSV) whose header names the 月报's columns (开工户数, 完工户数 …) and none of the plan's (楼栋数,
    户数, 计划开工日期): a 月报."""
    for row in rows[:20]:
        keys = {normalize_header(v) for v in row if isinstance(v, str)}
        if len(keys & _MONTHLY_ONLY) >= 3 and not keys & _PLAN_ONLY:
            return True
    return False


# -- the month a report speaks for ---------------------------------------------------------------
_PERIOD = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:月(?:份)?)?(?:\s*[-/.]?\s*\d{1,2}\s*日?)?")


def parse_period(raw) -> tuple[str | None, str | None, str | None]:
    """(YYYY-MM, error zh, error en) of a 报告月份 cell: 2023-06, 2023/6, 2023年6月, ２０２３年６月, an Excel date
    (a month typed into Excel becomes its first day), an Excel serial; blank: (None, None, None)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None, None
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return f"{raw.year}-{raw.month:02d}", None, None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        from generator.ledger.values import parse_date
        d, err, err_en = parse_date(raw)
        if d is None:
            return None, err or "无法识别的月份", err_en or "unreadable month"
        return f"{d.year}-{d.month:02d}", None, None
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    m = _PERIOD.fullmatch(text)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{int(m.group(1))}-{int(m.group(2)):02d}", None, None
    return None, f"报告月份“{raw}”无法识别，应如2023-06或2023年6月", f"report month {raw!r} unreadable (e.g. 2023-06)"


def month_end(period: str) -> dt.date:
    """The last day of ``period`` (YYYY-MM): what a 月报 may report up to."""
    import calendar
    y, m = map(int, period.split("-"))
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def period_of(report) -> str | None:
    """The 报告月份 a read 月报 states (None: blank or unreadable)."""
    cell = report.info.get(PERIOD)
    return parse_period(cell.raw)[0] if cell is not None else None


# -- joined to the plan ---------------------------------------------------------------------------
def pid_key(value) -> str:
    """A 项目编号 as linked: NFKC, no spaces (全角 ＸＣ０１ equals XC01)."""
    if value is None:
        return ""
    return "".join(unicodedata.normalize("NFKC", str(value)).split())


@dataclass
class Link:
    """How a 月报 lines up with its plan: report row index -> plan row index, and what does not line up."""

    pairs: list[tuple[int, int]]             # (report row i, plan row i), in report order
    unknown: list[int]                       # report rows whose 项目编号 is not the plan's
    repeated: list[int]                      # report rows repeating a 项目编号 already given
    blank: list[int]                         # report rows with no 项目编号
    unreported: list[int]                    # plan rows the report does not list


def link(report, plan) -> Link:
    index: dict[str, int] = {}
    for i, r in enumerate(plan.projects):
        index.setdefault(pid_key(r.value(C.PROJECT_ID)), i)
    index.pop("", None)
    pairs, unknown, repeated, blank, seen = [], [], [], [], set()
    for j, r in enumerate(report.projects):
        key = pid_key(r.value(C.PROJECT_ID))
        if not key:
            blank.append(j)
        elif key in seen:
            repeated.append(j)
        elif key not in index:
            unknown.append(j)
            seen.add(key)
        else:
            seen.add(key)
            pairs.append((j, index[key]))
    listed = {i for _, i in pairs}
    return Link(pairs, unknown, repeated, blank, [i for i in range(len(plan.projects)) if i not in listed])


def merge(report, plan, standing: dict[str, dict[str, Any]] | None = None):
    """The 月报 joined to its plan, as a ``Plan`` the register counts: one row per plan project the 月报 lists, at
    the 月报's row (so a finding at a 月报 cell names the same row), holding the plan's values (户数, 计划日期,
    居民同意率, 改造内容 …) and the 月报's progress (开工日期 -> 实际开工日期, 完工日期 -> 实际完工日期, the criteria,
    the households and quantities). A 月报 row not in the plan is left out (it is not a planned project: M101).

    A plan project the 月报 does not list (M102) is still the plan's (issue 19: a 月报 reports progress, it does
    not amend the plan): with ``standing`` (``pid_key(项目编号)`` -> {column as the joined plan names it (实际开工日期,
    开工户数, the criteria …) -> value}: the county's standing state before this 月报) it is kept, after the
    月报's rows (Excel rows below its last one, cells no finding names), with the plan's values and its standing
    progress carried forward; its 项目编号 is in ``carried`` (本月未报). Without ``standing`` (``gaizao validate``, a
    月报 read alone) it is left out as before. An unreadable 月报 value keeps its error."""
    from generator.ledger.model import Plan, Row, Table
    lk = link(report, plan)
    merged = Plan(file=report.file, format=report.format)
    merged.info = dict(report.info)
    for key in (C.COUNTY,):
        if key not in merged.info and key in plan.info:
            merged.info[key] = plan.info[key]
    merged.read_findings = list(report.read_findings)
    merged.sheet_names = {C.SHEET_PROJECTS: report.sheet_names.get(SHEET_PROGRESS, SHEET_PROGRESS)}
    merged.header_rows = {C.SHEET_PROJECTS: report.header_rows.get(SHEET_PROGRESS, 1)}
    kept = omitted(plan, lk) if standing is not None and report.projects else []
    if not lk.pairs and not kept:
        return merged
    rt = report.projects[0].table
    pt = plan.projects[0].table
    ri = [j for j, _ in lk.pairs]
    pi = [i for _, i in lk.pairs] + kept
    now = [(standing or {}).get(pid_key(plan.projects[i].value(C.PROJECT_ID)), {}) for i in kept]
    col_index = {AS_PLAN.get(n, n): k for n, k in rt.col_index.items()}
    table = Table(rt.sheet, len(pi), col_index)
    from_report = {AS_PLAN.get(n, n) for n in rt.pos}
    for name, k in pt.pos.items():
        if name in from_report or name in (C.ACTUAL_START, C.ACTUAL_END):
            continue
        raw, val = pt.raw[k], pt.val[k]
        table.add(name, [raw[i] for i in pi], [val[i] for i in pi])
    at = {j: n for n, j in enumerate(ri)}
    for name, k in rt.pos.items():
        raw, val, err = rt.raw[k], rt.val[k], rt.err[k]
        name = AS_PLAN.get(name, name)
        if name in (C.PROJECT_ID, C.COMMUNITY):       # a carried row is named as the plan names it
            pk = pt.pos.get(name)
            more = [pt.val[pk][i] if pk is not None else None for i in kept]
        else:
            more = [v.get(name) for v in now]
        table.add(name, [raw[j] for j in ri] + more, [val[j] for j in ri] + more,
                  {at[j]: e for j, e in err.items() if j in at})
    for name in (C.ACTUAL_START, C.ACTUAL_END):      # a 月报 without a date column still carries the dates
        if name not in table.pos and kept:
            table.add(name, [None] * len(ri) + [v.get(name) for v in now],
                      [None] * len(ri) + [v.get(name) for v in now])
    last = max(r.row for r in report.projects)
    rows = [report.projects[j].row for j in ri] + [last + 1 + n for n in range(len(kept))]
    merged.projects = Row.many(table, rows)
    merged.headers = {C.SHEET_PROJECTS: col_index}
    merged.carried = [str(plan.projects[i].value(C.PROJECT_ID)) for i in kept]
    return merged


def omitted(plan, lk: Link) -> list[int]:
    """The plan rows a 月报 left out that are projects to carry: a 项目编号, its first row in the plan (a blank or
    repeated 项目编号 of the plan is the plan's fault, V-rules, never counted twice)."""
    first: dict[str, int] = {}
    for i, r in enumerate(plan.projects):
        first.setdefault(pid_key(r.value(C.PROJECT_ID)), i)
    first.pop("", None)
    return [i for i in lk.unreported if first.get(pid_key(plan.projects[i].value(C.PROJECT_ID))) == i]



def prefill(source, policy, period: str | None = None):
    """A 月报 (``Plan`` with the 月报's columns) made from ``source``, the county's latest counted workbook (a plan, or
    a 月报 joined to it by ``merge``): one row per project with its 项目编号 and 小区名称 and what was reported so
    far (actual dates, criteria, households, quantities), for the county to bring up to date. Dates after
    ``period``'s end are left out (they cannot be in that month's report)."""
    from generator.ledger.model import Cell, Plan, Row
    end = month_end(period) if period else None
    back = {v: k for k, v in AS_PLAN.items()}
    keep = {C.PROJECT_ID, C.COMMUNITY, C.ACTUAL_START, C.ACTUAL_END, HH_STARTED, HH_DONE, INVESTMENT,
            *build_monthly_contract(policy).criterion_columns.values()}
    out = Plan(file="", format="xlsx")
    for i, r in enumerate(source.projects):
        cells = {}
        for name in r.cells:
            if name not in keep and not _is_national(name):
                continue
            cell = r.cell(name)
            if cell is None or cell.error:
                continue
            v = cell.value
            if end is not None and isinstance(v, dt.date) and v > end:
                continue
            cells[back.get(name, name)] = Cell(v, v)
        out.projects.append(Row(SHEET_PROGRESS, i + 3, cells))
    return out


def _is_national(name: str) -> bool:
    return any(name == national_column(ind, unit) for ind, unit, _ in NATIONAL_EFFECTS)
