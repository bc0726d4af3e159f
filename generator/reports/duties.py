"""Reporting duties (五（四）): 信息月报 on time, 迟报/漏报 listed, figures revised later as 错报 candidates.

The 2023 notice names the 信息月报 and says 迟报、漏报、瞒报、错报 are scored and 通报ed, but gives no due
day: ``monthly_due_day`` is asked for (``MonthlyDueDayMissing``) and never invented. With a day D given by
the office, the report for month M is due on day D of month M+1 (as a 月报 reports a finished month);
received on the due day is on time. Periods run from ``first_period`` (default: the month of the
notice's issue date) to the last month whose report was due on the as-of date.

Input is plain data the register supplies: ``Received(county, received, period)``. A period received more
than once was revised: each later receipt is a 错报 candidate (the office decides whether the first figures
were wrong; 瞒报 cannot be seen from receipts and is not listed).
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from generator.errors import UsageError

# the due days accepted: 次月N日前 holds in every month only up to the 28th (``--monthly-due-day``)
MONTHLY_DUE_DAYS = (1, 28)


class MonthlyDueDayMissing(UsageError):
    """The policy gives no due day for the 信息月报 and none was given (exit 2: asks for it)."""


@dataclass(frozen=True)
class Received:
    county: str
    received: dt.date
    period: str                          # YYYY-MM the report is for


@dataclass
class CountyDuties:
    county: str
    on_time: list[str] = field(default_factory=list)
    late: list[tuple[str, dt.date, int]] = field(default_factory=list)      # period, received, days late
    missing: list[str] = field(default_factory=list)
    revised: list[tuple[str, dt.date]] = field(default_factory=list)        # period, received again after its due day
    misreported: list[str] = field(default_factory=list)    # 错报, each as the 通报 says it (from the register)
    concealed: list[str] = field(default_factory=list)      # 瞒报, where the record shows it


@dataclass
class DutiesReport:
    as_of: dt.date
    due_day: int
    due_day_source: str                  # "user" (the city office's, printed as such) | "policy"
    periods: list[str]
    counties: list[CountyDuties]
    clause: str
    office: str                          # the issuer as the notice names it (市百城办)
    units: str                           # the units one level down as the policy's level names them (各县（市、区）)

    def due_date(self, period: str) -> dt.date:
        return due_date(period, self.due_day)

    words: bool = False                  # 错报/瞒报 judged by the register (from_words), not receipts alone

    def table_header(self) -> list[str]:
        return ["迟报", "漏报", "错报", "瞒报"] if self.words else ["迟报", "漏报", "逾期重报（待核实）"]

    def widths(self) -> list[int]:
        return [14, 20, 20, 24, 22] if self.words else [16, 28, 28, 28]

    def table_rows(self) -> list[list[str]]:
        rows = []
        for c in self.counties:
            late = "、".join(f"{_month(p)}（{r.month}月{r.day}日报，迟{d}天）" for p, r, d in c.late) or "—"
            missing = "、".join(_month(p) for p in c.missing) or "—"
            if self.words:
                if c.late or c.missing or c.misreported or c.concealed:
                    rows.append([c.county, late, missing, "；".join(c.misreported) or "—", "；".join(c.concealed) or "—"])
            elif c.late or c.missing or c.revised:
                rows.append([c.county, late, missing,
                             "、".join(f"{_month(p)}（{r.month}月{r.day}日重报）" for p, r in c.revised) or "—"])
        return rows

    def paragraphs(self) -> list[str]:
        src = f"（{self.office}确定）" if self.due_day_source == "user" else ""
        first, last = (_month(self.periods[0]), _month(self.periods[-1])) if self.periods else ("", "")
        text = (f"按照{self.clause}“信息月报”报送要求，{self.units}应于次月{self.due_day}日前报送上月信息月报{src}。"
                + (f"{first}至{last}各月报送情况如下：" if self.periods else "截至本通报日期尚无到期的月报。"))
        late = [c.county for c in self.counties if c.late]
        missing = [c.county for c in self.counties if c.missing]
        revised = [c.county for c in self.counties if c.revised]
        wrong = [c.county for c in self.counties if c.misreported]
        hidden = [c.county for c in self.counties if c.concealed]
        if not (late or missing or revised or wrong or hidden):
            if self.periods:
                text += f"{self.units}均按时报送。"
        else:
            if late:
                text += f"{'、'.join(late)}存在迟报；"
            if missing:
                text += f"{'、'.join(missing)}存在漏报；"
            if revised:
                text += f"{'、'.join(revised)}在报送日后重报月报，是否属错报待核实；"
            if wrong:
                text += f"{'、'.join(wrong)}存在错报（后报改写了此前已报送的进度）；"
            if hidden:
                text += f"{'、'.join(hidden)}存在瞒报（已开工的项目在当期月报中未报，后补报）；"
            words = "、".join(w for w, on in (("迟报", late), ("漏报", missing), ("错报", wrong or revised),
                                              ("瞒报", hidden)) if on)
            text = text.rstrip("；") + f"（详见下表）。{words}情况纳入年度考核评价内容。"
        return [text]


def _month(period: str) -> str:
    y, m = period.split("-")
    return f"{int(m)}月"


def due_date(period: str, day: int) -> dt.date:
    y, m = map(int, period.split("-"))
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return dt.date(y, m, min(day, calendar.monthrange(y, m)[1]))


def monthly_duty(policy):
    """The 信息月报 duty of the policy (reporting.duties, key ``monthly``), or None."""
    rep = policy.reporting
    return next((d for d in rep.duties if d.key == "monthly"), None) if rep is not None else None


def require_due_day(lp, due_day: int | None) -> tuple[int, str]:
    """The due day to use and where it comes from; asks for it when the policy is silent."""
    duty = monthly_duty(lp.policy)
    clause = lp.text.display(lp.policy.reporting.clause) if lp.policy.reporting else ""
    if due_day is None:
        from generator.render.official import office
        what = f"“{duty.quote}”" if duty is not None else "信息月报"
        raise MonthlyDueDayMissing(
            f"政策（{clause}）要求{what}，但未规定每月报送日期，无法判断迟报、漏报：请提供{office(lp)}确定的"
            f"报送日（如 --monthly-due-day 5，表示次月5日前报送上月月报）",
            f"the policy ({clause}) requires a monthly report but gives no due day, so late or missing reports "
            "cannot be judged: give the day the city office set (e.g. --monthly-due-day 5: by the 5th of the "
            "following month)")
    low, high = MONTHLY_DUE_DAYS
    if not low <= int(due_day) <= high:
        raise UsageError(f"--monthly-due-day 应为{low}—{high}之间的日期（每月都有的一天），不是 {due_day}",
                         f"--monthly-due-day must be a day {low}-{high} (one every month has), not {due_day}")
    return int(due_day), "user"


def reporting_duties(lp, received: list[Received], as_of: dt.date, due_day: int | None, *,
                     first_period: str | None = None, counties: list[str] | None = None) -> DutiesReport:
    day, source = require_due_day(lp, due_day)
    p = lp.policy
    if first_period is None:
        issue = p.document.issue_date.value if p.document.issue_date else dt.date(p.year, 1, 1)
        first_period = f"{issue.year}-{issue.month:02d}"
    y, m = map(int, first_period.split("-"))
    periods = []
    while True:
        period = f"{y}-{m:02d}"
        if due_date(period, day) >= as_of or y > p.year:       # judged once the due day has passed
            break
        periods.append(period)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    names = counties or [c.name for c in p.counties_with_target]
    out = []
    for name in names:
        c = CountyDuties(name)
        mine = sorted((r for r in received if r.county == name and r.received <= as_of), key=lambda r: r.received)
        for period in periods:
            got = [r for r in mine if r.period == period]
            due = due_date(period, day)
            if not got:
                c.missing.append(period)
                continue
            first = got[0]
            if first.received <= due:
                c.on_time.append(period)
            else:
                c.late.append((period, first.received, (first.received - due).days))
            # a re-submission by the due day is a version of the report, not a revision of it
            c.revised.extend((period, r.received) for r in got[1:] if r.received > max(due, first.received))
        out.append(c)
    clause = lp.text.display(p.reporting.clause) if p.reporting else ""
    from generator.policy.wording import lower_units
    from generator.render.official import office
    return DutiesReport(as_of, day, source, periods, out, clause, office(lp), lower_units(p.unit_level))


def from_words(lp, as_of: dt.date, due_day: int, periods: list[str], counties: list[str], words, *,
               source: str = "user") -> DutiesReport:
    """The report from the register's four words (generator.register.words.Word: word, county, text, period,
    submissions, days_late): the same counts the 年度考核评价 and the office's 说明 carry."""
    day, _ = require_due_day(lp, due_day)
    out = []
    for name in counties:
        c = CountyDuties(name)
        mine = [w for w in words if w.county == name]
        for w in mine:
            if w.word == "迟报":
                late_day = due_date(w.period, day) + dt.timedelta(days=w.days_late or 0)
                c.late.append((w.period, late_day, w.days_late or 0))
            elif w.word == "漏报":
                c.missing.append(w.period)
            elif w.word == "错报":
                c.misreported.append(w.text)
            elif w.word == "瞒报":
                c.concealed.append(w.text)
        flagged = {p for p, _, _ in c.late} | set(c.missing)
        c.on_time = [p for p in periods if p not in flagged]
        out.append(c)
    p = lp.policy
    clause = lp.text.display(p.reporting.clause) if p.reporting else ""
    from generator.policy.wording import lower_units
    from generator.render.official import office
    return DutiesReport(as_of, day, source, list(periods), out, clause, office(lp), lower_units(p.unit_level),
                        words=True)
