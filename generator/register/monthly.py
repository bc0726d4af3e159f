"""A 信息月报 in the register (issue 19.5): the 月报 form (ledger/monthly.py) read, judged by the monthly rules
(validate/monthly.py) and joined to the county's plan, so that everything after it (status, series, 开工认定,
changes, the documents) sees one row per planned project as it always has.

The plan a 月报 is joined to is the county's latest counted submission in a plan's form (年度实施方案, or an
older 月报 sent on the plan's columns) received on or before the 月报 and recorded before it, not withdrawn by
then and not a 试填报. The same rule finds it again when the 月报 is read back (``Register.plan``), so a 月报
reads the same every time; a 月报 with no plan to join is refused (its 项目编号 cannot be checked).

Files on the plan's columns sent as a 月报 (the form before this one) are read as before.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import GaizaoError, UsageError


def _with_file(data: bytes, file_name: str, fn):
    """``fn(path)`` on a private copy of ``data`` named like ``file_name``; errors name ``file_name``."""
    from generator.fileio import safe_filename
    with tempfile.TemporaryDirectory(prefix="gaizao-register-") as tmp:
        path = Path(tmp) / safe_filename(Path(file_name).name)
        path.write_bytes(data)
        try:
            return fn(path), str(path)
        except GaizaoError as exc:
            if exc.location:
                exc.location = exc.location.replace(str(path), file_name)
            raise


def is_monthly_bytes(data: bytes, file_name: str) -> bool:
    from generator.ledger.reader import is_monthly_file
    return _with_file(data, file_name, is_monthly_file)[0]


def read_monthly_bytes(data: bytes, file_name: str, lp):
    from generator.ledger.reader import read_monthly
    report, shown = _with_file(data, file_name, lambda p: read_monthly(p, lp))
    report.file = file_name
    for f in report.read_findings:
        if f.file == shown:
            f.file = file_name
    return report


@dataclass
class MonthlyForm:
    """A file in the 月报's form, about to be recorded."""

    data: bytes
    file_name: str
    report: Any                    # the 月报 as read (ledger Plan with the 月报's columns)
    period: str | None             # its 报告月份

    @classmethod
    def of(cls, source, file_name: str | None, lp) -> MonthlyForm | None:
        """The 月报 in ``source`` (a path or bytes), or None when it is not in the 月报's form (a plan's workbook:
        read as before) or cannot be read (read_plan then says why)."""
        from generator.ledger import monthly as M
        if isinstance(source, (bytes, bytearray)):
            data, name = bytes(source), file_name or "upload"
        else:
            p = Path(source)
            if not p.is_file():
                return None
            data, name = p.read_bytes(), file_name or p.name
        if not is_monthly_bytes(data, name):
            return None
        report = read_monthly_bytes(data, name, lp)
        return cls(data, name, report, M.period_of(report))

    def period_and_kind(self, period: str | None, kind: str | None) -> tuple[str, str]:
        """The month it reports (``--period``, else the form's 报告月份; both given must agree) and its kind (信息月报
        unless given as 试填报 or 其他: a 月报's form is never a plan)."""
        from generator.register import rules as R
        given = R.parse_period(period)
        if given and self.period and given != self.period:
            raise UsageError(f"表内报告月份为{self.period}，--period 为{given}，两者不一致，未登记：请核对后重新登记",
                             f"the form reports {self.period} but --period says {given}: not recorded",
                             location=f"{self.file_name} · 基本信息")
        month = given or self.period
        if not month:
            raise UsageError("信息月报未写明报告月份，请在基本信息填写或用 --period 2023-06 注明",
                             "the monthly report names no month: fill 报告月份 or give --period",
                             location=f"{self.file_name} · 基本信息")
        k = (kind or "").strip() or R.MONTHLY
        if k.endswith("月报"):
            k = R.MONTHLY
        if k not in (R.MONTHLY, R.TRIAL, R.OTHER):
            raise UsageError(f"该文件为信息月报表式（工作表“项目进度”），不能登记为“{kind}”",
                             f"the file is a monthly report (sheet 项目进度), not a {kind}", location=self.file_name)
        return month, k

    def read(self, reg, lp, received: dt.date, county: str | None, period: str, county_of):
        """(the 月报 joined to its plan, its findings, the plan's submission): the monthly rules, with the plan it was
        joined to. ``county_of(plan, given, file_name, lp)``: the register's rule for the county of a file."""
        from generator.validate.monthly import validate_monthly
        name = county_of(self.report, county, self.file_name, lp)
        base = base_plan(reg, name, received, lp)
        if base is None:
            raise UsageError(f"登记库中没有“{name}”{received}前的年度实施方案，信息月报无从对照（项目编号须为实施方案的项目），"
                             "未登记：请先登记年度实施方案", f"no plan of {name!r} in the register to join the monthly "
                             "report to: record the plan first", location=self.file_name)
        findings = [*self.report.read_findings,
                    *validate_monthly(self.report, lp, base[1], period=period, as_of=received)]
        merged, carried_from = joined(reg, self.report, base[1], name, received, lp)
        return merged, said_carried(findings, merged, carried_from), base[0]


def base_plan(reg, county: str, received: dt.date, lp, before_id: int | None = None):
    """(submission, Plan) the county's 月报 received on ``received`` (recorded before ``before_id``) is joined to,
    or None (see the module's doc)."""
    from generator.register.rules import TRIAL
    if not reg.exists():
        return None
    gone = reg.withdrawn(received)
    for s in reversed(reg.submissions(county, until=received)):
        if (before_id is not None and s.id >= before_id) or s.kind == TRIAL or s.id in gone:
            continue
        data = reg.blob(s.id)
        if is_monthly_bytes(data, s.file_name):
            continue
        return s, reg.plan(s.id, lp)
    return None


def standing(reg, county: str, received: dt.date, lp, before_id: int | None = None):
    """(submission, progress, rejected) the county stood at before its 月报 received on ``received`` (recorded
    before ``before_id``), or None: its latest submission received by then and recorded before, not withdrawn by
    then, not a 试填报, and once the county has sent a 信息月报, its latest 月报 (a plan sent after 月报s revises the
    plan, not the progress reported: series.Book's chain). ``progress``: ``pid_key(项目编号)`` -> {column ->
    value} of what that submission reported (actual dates, households, criteria, quantities), as stored with it;
    ``rejected``: ``pid_key`` -> the errors that kept its start or completion date from counting there
    (recognition.rejected_dates), which keep it from counting when carried. A plan project a 月报 leaves out
    keeps both (ledger/monthly.merge, docs/monthly-report.md)."""
    from generator.ledger import contract as C
    from generator.ledger.monthly import HH_DONE, HH_STARTED, _is_national, build_monthly_contract, pid_key
    from generator.register.rules import MONTHLY, PLAN, TRIAL
    from generator.reports.recognition import rejected_dates
    if not reg.exists():
        return None
    gone = reg.withdrawn(received)
    subs = [s for s in reg.submissions(county, until=received)
            if (before_id is None or s.id < before_id) and s.kind != TRIAL and s.id not in gone]
    if not subs:
        return None
    monthly = [s for s in subs if (s.kind or (MONTHLY if s.period else PLAN)) == MONTHLY]
    sub = (monthly or subs)[-1]
    plan = reg.plan(sub.id, lp)
    by_row = {**rejected_dates(reg.findings(sub.id)), **plan.carried_rejected}
    keep = [C.ACTUAL_START, C.ACTUAL_END, HH_STARTED, HH_DONE, *build_monthly_contract(lp).criterion_columns.values()]
    progress: dict[str, dict[str, Any]] = {}
    rejected: dict[str, dict[str, list[str]]] = {}
    for r in plan.projects:
        key = pid_key(r.value(C.PROJECT_ID))
        if not key or key in progress:
            continue
        out: dict[str, Any] = {}
        for name in [*keep, *(n for n in r.cells if _is_national(n))]:
            cell = r.get(name)
            if cell is not None and not cell.error and cell.value is not None:
                out[name] = cell.value
        progress[key] = out
        if r.row in by_row:
            rejected[key] = {k: [m if m.startswith("沿用") else f"沿用第{sub.version}次报送（#{sub.id}）：{m}" for m in v]
                             for k, v in by_row[r.row].items()}
    return sub, progress, rejected


def joined(reg, report, plan, county: str, received: dt.date, lp, before_id: int | None = None):
    """(the 月报 joined to its plan, the submission its carried projects' progress comes from or None): a plan
    project the 月报 leaves out is carried forward from the standing state before it (standing()), the same when
    the 月报 is recorded and when it is read back."""
    from generator.ledger.monthly import merge
    now = standing(reg, county, received, lp, before_id) if omits(report, plan) else None
    merged = merge(report, plan, now[1] if now else {})
    carry(merged, now)
    return merged, (now[0] if now else None)


def carry(merged, now) -> None:
    """The carried rows of ``merged`` keep the rejections of the standing state ``now`` (standing())."""
    if not merged.carried or not now or not now[2]:
        return
    from generator.ledger import contract as C
    from generator.ledger.monthly import pid_key
    carried = {pid_key(p) for p in merged.carried}
    for r in merged.projects:
        key = pid_key(r.value(C.PROJECT_ID))
        if key in carried and key in now[2]:
            merged.carried_rejected[r.row] = now[2][key]


def said_carried(findings: list, merged, sub) -> list:
    """The M102 warnings of a 月报 whose projects were carried forward say so (本月未报, counted as the
    county's standing state of submission ``sub``): the omission is reported as what it is, never as 删除."""
    if not merged.carried or sub is None:
        return findings
    from generator.ledger.monthly import pid_key
    carried = {pid_key(p) for p in merged.carried}
    for f in findings:
        if f.code == "M102" and pid_key(f.value) in carried:
            f.project = f.project or f.value
            f.message += f"：本月未报，仍为实施方案项目，进度沿用第{sub.version}次报送（{sub.received}收到，#{sub.id}）"
            if f.message_en:
                f.message_en += f": not reported this month; still a plan project, progress carried from #{sub.id}"
            f.extra = {**(f.extra or {}), "carried_from": sub.id}
    return findings


def plan_of(reg, sub, data: bytes, lp):
    """A recorded 月报 read back, joined to the plan it was joined to when recorded (a plan project it left out
    carried forward from the standing state before it, as when recorded); None for a plan's form."""
    if not is_monthly_bytes(data, sub.file_name):
        return None
    from generator.ledger.monthly import merge
    report = read_monthly_bytes(data, sub.file_name, lp)
    base = base_plan(reg, sub.county, sub.received, lp, before_id=sub.id)
    if base is None:                  # its plan was withdrawn since: the 月报 alone, no project to count
        from generator.ledger.model import Plan
        return merge(report, Plan(file=""))
    return joined(reg, report, base[1], sub.county, sub.received, lp, before_id=sub.id)[0]


def omits(report, plan) -> bool:
    """Does the 月报 leave out a project of its plan (M102)? Only then is the standing state read."""
    from generator.ledger.monthly import link, omitted
    return bool(report.projects) and bool(omitted(plan, link(report, plan)))
