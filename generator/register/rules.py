"""The office's rules (what the notice leaves to 市百城办), recorded in the register with the day they apply from.

The notice requires a 信息月报 and says 迟报、漏报、瞒报、错报 are assessed, but names no due day, no first month,
and does not say whether a late report can satisfy a milestone or whether an unapproved submission counts
provisionally. Those are the office's decisions: ``gaizao register rule KEY VALUE --from DATE --by NAME``
records one (append-only; the latest applying on a day wins), and every document prints it as the office's.
Defaults (when nothing is recorded) are those of programme-year.md and are printed as defaults.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from generator.errors import UsageError

# codes the register adds to a submission's findings (not the validator's): facts of receipt, which a
# county cannot correct by re-submitting, so the 反馈意见函 never asks for them (R207, a 月报's date after its
# month, is rejected and can be corrected: not among them)
RECEIPT_CODES = {"R201", "R202", "R203", "R204", "R205", "R206"}

KINDS = ("年度实施方案", "信息月报", "联系点情况", "改造方案", "试填报", "其他")
PLAN, MONTHLY, LIAISON, RENOVATION, TRIAL, OTHER = KINDS
KIND_EN = {PLAN: "annual plan", MONTHLY: "monthly report", LIAISON: "liaison-point report",
           RENOVATION: "renovation plans", TRIAL: "trial submission", OTHER: "other"}

# key -> (Chinese name, parse, default, what the default means)
_YES = {"是", "yes", "true", "1", "计入", "y"}
_NO = {"否", "no", "false", "0", "不计入", "n"}


def _bool(value: str) -> bool:
    v = str(value).strip().lower()
    if v in _YES:
        return True
    if v in _NO:
        return False
    raise UsageError(f"应为“是”或“否”，不是“{value}”", f"expected yes or no, not {value!r}")


def _day(value: str | int) -> int:
    from generator.reports.duties import MONTHLY_DUE_DAYS
    low, high = MONTHLY_DUE_DAYS
    try:
        d = int(str(value).strip())
    except ValueError:
        d = 0
    if not low <= d <= high:
        raise UsageError(f"月报报送日应为{low}—{high}之间的日期（每月都有的一天），不是“{value}”",
                         f"the monthly due day must be {low}-{high}, not {value!r}")
    return d


def parse_period(value) -> str | None:
    """'2023-03' (also 2023-3, 2023年3月, a date) -> '2023-03'; None stays None."""
    import re
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return f"{value.year}-{value.month:02d}"
    m = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*", str(value))
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise UsageError(f"报送期应为年月，如 2023-03，不是“{value}”", f"period must be a month like 2023-03, not {value!r}")
    return f"{m.group(1)}-{int(m.group(2)):02d}"


def _month(value: str) -> str | None:
    return parse_period(value)


RULES = {
    "monthly_due_day": ("信息月报报送日（次月N日前）", _day, None, "未规定：不判断迟报、漏报"),
    "late_counts": ("迟报的月报可否用于节点判定", _bool, True, "可以（迟报另行统计）"),
    "unapproved_counts": ("未经单位领导审核盖章的报送是否暂计入", _bool, True, "暂计入，并注明未经审核"),
    "first_period": ("首个应报月报的月份", _month, None, "最早报送的月份"),
    "declared_counts": ("未经现场核查的申报开工是否计入", _bool, True, "计入（按申报），另列核查情况"),
}


def parse(key: str, value: str):
    if key not in RULES:
        raise UsageError(f"未知的规则“{key}”（可用：{'、'.join(RULES)}）", f"unknown rule {key!r} ({', '.join(RULES)})")
    return RULES[key][1](value)


@dataclass
class OfficeRules:
    monthly_due_day: int | None = None
    late_counts: bool = True
    unapproved_counts: bool = True
    first_period: str | None = None
    declared_counts: bool = True
    # key -> (applies_from, recorded_by) for the ones the office recorded; the rest are defaults
    recorded: dict = field(default_factory=dict)

    def source(self, key: str) -> str:
        """How a document names where the rule comes from."""
        if key in self.recorded:
            since, who = self.recorded[key]
            return f"已登记，自{since}起（{who}）"
        return "默认：" + RULES[key][3]

    def lines(self) -> list[str]:
        out = []
        for key, (name, _, _, _default) in RULES.items():
            v = getattr(self, key)
            shown = ("是" if v else "否") if isinstance(v, bool) else ("—" if v is None else str(v))
            out.append(f"{name}：{shown}（{self.source(key)}）")
        return out

    def with_due_day(self, day: int | None) -> "OfficeRules":
        """A due day given on the command line where none is recorded (said as such)."""
        if day is None or "monthly_due_day" in self.recorded:
            return self
        import copy
        r = copy.copy(self)
        r.recorded = {**self.recorded, "monthly_due_day": ("本次命令", "--monthly-due-day")}
        r.monthly_due_day = _day(day)
        return r


def read(conn, as_of: dt.date) -> OfficeRules:
    r = OfficeRules()
    for key, value, since, who in conn.execute(
            "SELECT key, value, applies_from, recorded_by FROM office_rules WHERE applies_from <= ? ORDER BY applies_from, id",
            (as_of.isoformat(),)):
        if key in RULES:
            setattr(r, key, RULES[key][1](value))
            r.recorded[key] = (since, who)
    return r
