"""What changed between two submissions of a county, and which changes rewrite history.

Projects are matched by 项目编号 (a row without one by 小区名称). Ordinary changes: a project added or
removed, 户数 changed, 楼栋数 or 建筑面积 changed (issue 23.6: what the policy names, the register tracks; compared
only where the earlier submission recorded a value, so a register older than these columns shows no change), a
planned or actual date moved, set or cleared. Changes that rewrite what an
earlier report said had happened are findings (错报 candidates, 五（四）): an actual start or completion
date moved or removed after a report that counted it, a finished project un-finished, a counted project
gone, a start back-filled with a date inside the days the earlier report covered (R106: the earlier
report said "not started" on a day the project had, by the later one, started). Each names both values
and both submissions (number and date received).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from generator.findings import Finding, Severity, jsonable

if TYPE_CHECKING:
    from generator.register.records import Submission

FIELDS = {  # snapshot field -> column shown (the workbook contract's names)
    "households": "户数", "planned_start": "计划开工日期", "planned_end": "计划完工日期",
    "actual_start": "实际开工日期", "actual_end": "实际完工日期", "community": "小区名称",
    "buildings": "楼栋数", "area": "建筑面积",
}
MEASURES = ("buildings", "area")     # compared only where the earlier submission recorded a value


@dataclass
class Change:
    kind: str                    # added | removed | changed
    project: str
    field: str | None = None     # snapshot field for "changed"
    old: object = None
    new: object = None
    column: str | None = None    # the column as the workbook heads it, when it carries a unit (建筑面积（万㎡）)

    def text(self, lang: str = "zh") -> str:
        col = self.column or FIELDS.get(self.field or "", self.field)
        if self.kind == "added":
            return f"added project {self.project}" if lang == "en" else f"新增项目 {self.project}"
        if self.kind == "removed":
            return f"removed project {self.project}" if lang == "en" else f"删除项目 {self.project}"
        old = "（空）" if self.old is None else self.old
        new = "（空）" if self.new is None else self.new
        if lang == "en":
            return f"{self.project} {self.field}: {self.old} -> {self.new}"
        return f"{self.project} {col}：{old} → {new}"


@dataclass
class ChangeSet:
    county: str
    old: Submission
    new: Submission
    changes: list[Change] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self, lang: str = "zh") -> dict:
        return jsonable({"county": self.county, "old": self.old.to_dict(), "new": self.new.to_dict(),
                         "changes": [{**asdict(c), "text": c.text(lang)} for c in self.changes],
                         "findings": [f.to_dict(lang) for f in self.findings]})


def _key(r) -> str:
    return r.project or f"{r.community or ''}@{r.row}"


def compare(old, old_rows, new, new_rows, lp) -> ChangeSet:
    """Changes from submission ``old`` to ``new`` (api.Submission + their ProjectSnapshot rows)."""
    p = lp.policy
    clause = lp.text.display(p.reporting.clause) if p.reporting else None
    before = {_key(r): r for r in old_rows}
    after = {_key(r): r for r in new_rows}
    cs = ChangeSet(new.county, old, new)
    counted_day = old.received.isoformat()
    from generator.ledger.contract import area_column
    area_col = area_column(lp)

    def finding(code, project, zh, en, old_v, new_v, column):
        cs.findings.append(Finding(
            code, Severity.ERROR,
            f"{zh}：第{old.version}次报送（{old.received}收到，#{old.id}）为“{old_v or '空'}”，"
            f"第{new.version}次报送（{new.received}收到，#{new.id}）为“{new_v or '空'}”，已改写此前上报的进度（可能属错报）",
            f"{en}: submission #{old.id} (received {old.received}) said {old_v!r}, #{new.id} (received "
            f"{new.received}) says {new_v!r}: an earlier report is rewritten (possible 错报)",
            clause=clause, file=new.file_name, sheet="项目清单", column=column, project=project, county=new.county,
            value=new_v, expected=old_v,
            extra={"old_submission": old.id, "old_received": old.received, "new_submission": new.id,
                   "new_received": new.received}))

    # the days the earlier report spoke for: a 月报 for its month (up to the day received), anything else up
    # to the day received. A start dated inside them that it did not state is back-filled (R106).
    covered = counted_day
    if getattr(old, "period", None) and getattr(old, "kind", None) in (None, "信息月报"):
        import calendar
        y, mo = map(int, old.period.split("-"))
        covered = min(counted_day, f"{old.period}-{calendar.monthrange(y, mo)[1]:02d}")

    def backfill(k, n, was):
        if n.actual_start and n.actual_start <= covered and (was is None or not was.actual_start):
            finding("R106", k, "补报的开工日期落在此前报告已覆盖的时段内（此前报告未报开工）",
                    "a start back-filled inside a period an earlier report covered without it",
                    None, n.actual_start, "实际开工日期")

    for k, r in after.items():
        if k not in before:
            cs.changes.append(Change("added", k))
            backfill(k, r, None)
    for k, o in before.items():
        n = after.get(k)
        if n is None:
            cs.changes.append(Change("removed", k))
            if (o.actual_start and o.actual_start <= counted_day) or (o.actual_end and o.actual_end <= counted_day):
                finding("R105", k, "已上报开工或完工的项目在新报送中被删除", "a project reported started or finished was removed",
                        o.actual_end or o.actual_start, None, "项目编号")
            continue
        for f in FIELDS:
            a, b = getattr(o, f), getattr(n, f)
            if f in MEASURES and a is None:
                continue            # not recorded by the earlier submission (no column then, or an older register)
            if a != b:
                cs.changes.append(Change("changed", k, f, a, b, area_col if f == "area" else None))
        backfill(k, n, o)
        # rewrites: the earlier report counted this date (it lay on or before the day it was received)
        if o.actual_start and o.actual_start <= counted_day and o.actual_start != n.actual_start:
            if n.actual_start is None:
                finding("R102", k, "已上报开工的项目被改为未开工", "a project reported started is un-started",
                        o.actual_start, None, "实际开工日期")
            else:
                finding("R101", k, "已上报的实际开工日期被改动", "a reported actual start date moved",
                        o.actual_start, n.actual_start, "实际开工日期")
        if o.actual_end and o.actual_end <= counted_day and o.actual_end != n.actual_end:
            if n.actual_end is None:
                finding("R104", k, "已上报完工的项目被改为未完工", "a project reported finished is un-finished",
                        o.actual_end, None, "实际完工日期")
            else:
                finding("R103", k, "已上报的实际完工日期被改动", "a reported actual completion date moved",
                        o.actual_end, n.actual_end, "实际完工日期")
    return cs
