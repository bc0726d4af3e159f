"""What the register records of a submission, as the register's modules read it back (no click, no policy).

``Submission`` (one row of ``submissions``) and ``ProjectSnapshot`` (one parsed 项目清单 row), with the two
reads every part of the register needs; ``api`` re-exports them. Kept apart from ``api`` so the picture of a
day (series, words, snapshot) reads records without importing the recording code.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from generator.errors import UsageError
from generator.findings import jsonable


@dataclass
class Submission:
    id: int
    county: str
    version: int
    received: dt.date
    recorded_at: str
    recorded_by: str
    file_name: str
    format: str
    sha256: str
    policy_id: str
    policy_version: str
    policy_hash: str
    sample: bool
    errors: int
    warnings: int
    note: str | None = None
    period: str | None = None                 # YYYY-MM a 信息月报 is for (None: a plan or other material)
    kind: str | None = None                   # rules.KINDS: 年度实施方案, 信息月报, 联系点情况, 试填报, ...
    sheet_date: str | None = None             # 报送日期 as typed in the workbook (ISO)
    forced: str | None = None                 # the guards --force overrode
    withdrawn: dt.date | None = None          # the day the county withdrew it (撤回; withdrawn.py), never counted

    @classmethod
    def from_row(cls, row) -> "Submission":
        d = dict(row)
        d["received"] = dt.date.fromisoformat(d["received"])
        d["sample"] = bool(d["sample"])
        names = set(cls.__dataclass_fields__)
        sub = cls(**{k: v for k, v in d.items() if k in names})
        if sub.kind is None:                  # recorded before kinds: a named month is a 月报, else a plan
            from generator.register.rules import MONTHLY, PLAN
            sub.kind = MONTHLY if sub.period else PLAN
        return sub

    def to_dict(self) -> dict:
        return jsonable(asdict(self))


@dataclass
class ProjectSnapshot:
    """One 项目清单 row as recorded (dates ISO text or None; households None when unreadable)."""

    row: int
    project: str | None
    community: str | None
    households: int | None
    planned_start: str | None
    planned_end: str | None
    actual_start: str | None
    actual_end: str | None
    buildings: int | None = None      # 楼栋数, when the workbook has the column (None: blank or not recorded)
    area: float | None = None         # 建筑面积 in the policy's unit (万㎡ or ㎡), when the policy states an area


SNAPSHOT_FIELDS = ("row", "project", "community", "households", "planned_start", "planned_end",
                   "actual_start", "actual_end", "buildings", "area")     # the last two: NULL in rows recorded before


def get_submission(conn, sid: int) -> Submission:
    row = conn.execute("SELECT * FROM submissions WHERE id = ?", (int(sid),)).fetchone()
    if row is None:
        raise UsageError(f"登记库中没有编号为 {sid} 的报送", f"no submission #{sid} in the register")
    return Submission.from_row(row)


def project_rows(conn, sid: int) -> list[ProjectSnapshot]:
    return [ProjectSnapshot(*r) for r in conn.execute(
        f"SELECT {', '.join(SNAPSHOT_FIELDS)} FROM projects WHERE submission_id = ? ORDER BY row", (int(sid),))]


def start_check_texts(conn, sid: int) -> dict[int, str]:
    """Excel row -> the 开工认定 facts stored with submission ``sid`` as stored (recognition.dumps' JSON text), as
    ``Register.start_checks`` reads them before parsing: for a reader that parses only the rows it needs
    (reports.kaigong.kaigong_table; recognition.quick reads a recognised start's decision without a parse)."""
    if not any(r[1] == "start_check" for r in conn.execute("PRAGMA table_info(projects)")):
        return {}
    out = dict(conn.execute(
        "SELECT row, start_check FROM projects WHERE submission_id = ? AND start_check IS NOT NULL", (int(sid),)))
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'project_checks'").fetchone():
        out.update(conn.execute("SELECT row, facts FROM project_checks WHERE submission_id = ?", (int(sid),)))
    return out
