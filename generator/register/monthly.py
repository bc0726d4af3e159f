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
        from generator.ledger.monthly import merge
        from generator.validate.monthly import validate_monthly
        name = county_of(self.report, county, self.file_name, lp)
        base = base_plan(reg, name, received, lp)
        if base is None:
            raise UsageError(f"登记库中没有“{name}”{received}前的年度实施方案，信息月报无从对照（项目编号须为实施方案的项目），"
                             "未登记：请先登记年度实施方案", f"no plan of {name!r} in the register to join the monthly "
                             "report to: record the plan first", location=self.file_name)
        findings = [*self.report.read_findings,
                    *validate_monthly(self.report, lp, base[1], period=period, as_of=received)]
        return merge(self.report, base[1]), findings, base[0]


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


def plan_of(reg, sub, data: bytes, lp):
    """A recorded 月报 read back, joined to the plan it was joined to when recorded; None for a plan's form."""
    if not is_monthly_bytes(data, sub.file_name):
        return None
    from generator.ledger.monthly import merge
    report = read_monthly_bytes(data, sub.file_name, lp)
    base = base_plan(reg, sub.county, sub.received, lp, before_id=sub.id)
    if base is None:                  # its plan was withdrawn since: the 月报 alone, no project to count
        from generator.ledger.model import Plan
        return merge(report, Plan(file=""))
    return merge(report, base[1])
