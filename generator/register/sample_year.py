"""A year of sample submissions (示例数据) for the register, derived from the sample workbooks in data/.

    python -m generator.register.sample_year data/year-2023      # writes the workbooks and submissions.yaml

February: every county's plan (no progress yet). March: 襄城县 re-submits its plan (one project replaced,
户数 moved between two projects, a planned start moved). Month ends March to December: every county's
progress report (actual dates up to that day, the five start criteria dated before each start); 建安区
misses August. 禹州市 slips: its June report records a project started on 05-20 (June's milestone met),
its July report moves that start to 07-02 (a rewrite of history the register reports as a finding).
Every date that matters (plan deadline, milestones, year) comes from the policy; the slipping dates
are the issue's example and move with the year. Names, figures and dates are synthetic (示例数据).
"""
from __future__ import annotations

import calendar
import copy
import datetime as dt
import sys
from pathlib import Path

from generator.ledger import contract as C
from generator.ledger.model import Cell, Plan, Row
from generator.ledger.samples import NOTE
from generator.policy.wording import lower_organ, lower_units

MANIFEST = "submissions.yaml"
CLERK = "示例登记员"
APPROVER = "示例审核人"          # the 单位领导 who approved each sample submission (五（四）)
SLIPPING = "禹州市"            # the county whose June start moves to July
RESUBMITS = "襄城县"           # the county that re-submits its plan in March
MISSES_AUGUST = "建安区"       # a monthly report not sent (漏报)


def _set(row: Row, column: str, value) -> None:
    old = row.cell(column)
    row.cells[column] = Cell(value, value, row.sheet, row.row, column, old.col_index if old else None)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _truth(plan, lp) -> dict[str, tuple[dt.date, dt.date]]:
    """project -> (actual start, actual completion) over the whole year: the planned dates (sample plans
    keep every start before the start milestone and ~85 % of households done before the 70 % one)."""
    out = {}
    for r in plan.projects:
        s = r.value(C.ACTUAL_START) or r.value(C.PLANNED_START)
        e = r.value(C.ACTUAL_END) or r.value(C.PLANNED_END)
        out[r.value(C.PROJECT_ID)] = (s, min(e, lp.policy.year_end))
    return out


def _snapshot(plan, truth, day: dt.date, criteria: list[str], *, moved: dict | None = None):
    """The plan as reported on ``day``: actual dates on or before ``day``, criteria dated before the start."""
    snap = copy.deepcopy(plan)
    for r in snap.projects:
        pid = r.value(C.PROJECT_ID)
        start, end = (moved or {}).get(pid, truth[pid])
        for k, col in enumerate(criteria):
            met = start - dt.timedelta(days=(len(criteria) - k) * 5)
            _set(r, col, met if met <= day else None)
        _set(r, C.ACTUAL_START, start if start <= day else None)
        _set(r, C.ACTUAL_END, end if end <= day and start <= day else None)
    return snap      # 基本信息's 报送日期 stays the plan's: the register records when the update was received


def _plan_only(plan, criteria: list[str]):
    snap = copy.deepcopy(plan)
    for r in snap.projects:
        for col in (*criteria, C.ACTUAL_START, C.ACTUAL_END):
            r.cells.pop(col, None)
    return snap


def year_submissions(lp, data: Path) -> list[tuple[dict, Plan]]:
    """[(manifest entry, Plan)] in the order received."""
    from generator.ledger.reader import read_plan
    from generator.validate.facts import contract_of
    p = lp.policy
    year = p.year
    criteria = list(contract_of(lp).criterion_columns.values())
    started_by = p.milestone("all_started").date
    plans = {c.name: read_plan(data / f"sample-{c.name}.xlsx", lp) for c in p.counties_with_target}
    out = []

    def entry(day, county, kind, plan, suffix="", period=None):
        name = f"{day.isoformat()}-{county}{suffix}.xlsx"
        e = {"file": name, "county": county, "received": day, "by": CLERK, "note": kind,
             "kind": "信息月报" if period else "年度实施方案", "approved_by": APPROVER}
        if period:
            e["period"] = period
        out.append((e, plan))

    # the slipping project: planned and reported started on 05-20 until June, then moved to 07-02
    slip = plans[SLIPPING]
    victim = next(r for r in slip.projects[3:] if r.value(C.PLANNED_END) > dt.date(year, 7, 2))
    vid = victim.value(C.PROJECT_ID)
    early, late = dt.date(year, 5, 20), dt.date(year, 7, 2)
    _set(victim, C.PLANNED_START, early)
    plan_kind = f"{lower_organ(lp.policy.unit_level)}年度实施方案"          # 县级 under a city, 市级 under a province
    # February: the plans, received on the day each workbook says it was sent
    for county, plan in plans.items():
        entry(plan.info[C.SUBMITTED].value, county, plan_kind, _plan_only(plan, criteria), "-方案")
    # March: one county re-submits its plan
    base = plans[RESUBMITS]
    re = copy.deepcopy(base)
    a, b = re.projects[-2], re.projects[-3]
    _set(a, C.HOUSEHOLDS, a.value(C.HOUSEHOLDS) + 6)
    _set(b, C.HOUSEHOLDS, b.value(C.HOUSEHOLDS) - 6)
    last = re.projects[-1]
    _set(last, C.PROJECT_ID, f"{last.value(C.PROJECT_ID)}R")
    _set(last, C.COMMUNITY, f"{RESUBMITS}示例替换小区")
    mid = re.projects[len(re.projects) // 2]
    _set(mid, C.PLANNED_START, min(mid.value(C.PLANNED_START) + dt.timedelta(days=14), started_by))
    day = dt.date(year, 3, 10)
    entry(day, RESUBMITS, f"{plan_kind}（重报）", _plan_only(re, criteria), "-方案重报")
    plans[RESUBMITS] = re
    truths = {c: _truth(pl, lp) for c, pl in plans.items()}
    truths[SLIPPING][vid] = (early, truths[SLIPPING][vid][1])
    for month in range(3, 13):
        day = _month_end(year, month)
        for county, plan in plans.items():
            if county == MISSES_AUGUST and month == 8:
                continue
            moved = None
            src = plan
            if county == SLIPPING and day > started_by:
                moved = {vid: (late, truths[county][vid][1])}
                src = copy.deepcopy(plan)
                _set(next(r for r in src.projects if r.value(C.PROJECT_ID) == vid), C.PLANNED_START, late)
            entry(day, county, f"{month}月进度月报", _snapshot(src, truths[county], day, criteria, moved=moved),
                  "-月报", f"{year}-{month:02d}")
    out.sort(key=lambda e: (e[0]["received"], e[0]["county"]))
    return out


def write_year(lp, data: Path, folder: Path) -> list[Path]:
    import yaml

    from generator.fileio import atomic_write_text
    from generator.render.samples import write_plan_workbook
    folder.mkdir(parents=True, exist_ok=True)
    written, entries = [], []
    for e, plan in year_submissions(lp, data):
        written.append(write_plan_workbook(lp, e["county"], folder / e["file"], plan, note=NOTE))
        entries.append({**e, "received": e["received"].isoformat()})
    units = lower_units(lp.policy.unit_level)
    doc = {"note": f"{NOTE}：{lp.policy.year}年{units}报送的示例（由 python -m generator.register.sample_year 生成）",
           "policy": f"{lp.policy.id}", "submissions": entries}
    written.append(atomic_write_text(folder / MANIFEST, yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)))
    return written


def read_manifest(folder: Path) -> list[dict]:
    path = manifest_path(folder)
    return manifest_submissions(parse_manifest(path), path)


def manifest_path(folder: Path) -> Path:
    path = Path(folder)
    return path / MANIFEST if path.is_dir() else path


def parse_manifest(path: Path) -> dict:
    """submissions.yaml as read (its ``policy`` and ``submissions``), not yet checked: see manifest_submissions.
    Read as every data file is (policy.yamlsrc: a regular file of bounded size, located YAML errors, a date that
    does not exist kept as typed for ``received`` to report)."""
    from generator.errors import InputError
    from generator.policy.yamlsrc import load_data_file
    doc = load_data_file(path, str(path), InputError)
    return doc if isinstance(doc, dict) else {}


# the keys of an entry that are text when given (file, received and by are required)
_TEXT_KEYS = ("file", "county", "note", "period", "kind", "approved_by")


def manifest_submissions(doc: dict, path: Path) -> list[dict]:
    """The entries of a parsed manifest, each with file, received and by (InputError otherwise, naming the entry:
    nothing is recorded from a list that has a malformed entry)."""
    import datetime as dt

    from generator.errors import InputError
    subs = doc.get("submissions")
    if not isinstance(subs, list) or not all(isinstance(e, dict) and {"file", "received", "by"} <= set(e) for e in subs):
        raise InputError("报送清单应有 submissions 列表，每项含 file、received、by",
                         "the list needs 'submissions', each with file, received and by", location=str(path))
    for i, e in enumerate(subs, 1):
        bad = [k for k in _TEXT_KEYS if e.get(k) is not None and not isinstance(e[k], str)]
        if not str(e.get("file") or "").strip():
            bad.insert(0, "file")
        if not isinstance(e["received"], (str, dt.date)):
            bad.append("received")
        if isinstance(e["by"], (list, dict)) or not str(e["by"] or "").strip():
            bad.append("by")
        if bad:
            keys = "、".join(dict.fromkeys(bad))
            raise InputError(f"报送清单第 {i} 项的 {keys} 应为文字（file 为文件名，received 为日期，by 为登记人），"
                             "未登记任何报送", f"entry {i} of the list: {', '.join(dict.fromkeys(bad))} must be text "
                             "(file a file name, received a date, by who records it); nothing recorded",
                             location=str(path))
    return subs


def main(argv=None) -> int:
    from generator.policy import load_policy
    import argparse
    from generator.paths import DATA as root
    ap = argparse.ArgumentParser(prog="python -m generator.register.sample_year",
                                 description="Write the sample year's county submissions (示例数据).")
    ap.add_argument("folder", nargs="?", default=str(root / "year-2023"))
    ap.add_argument("policy", nargs="?", default="xuchang/2023")
    args = ap.parse_args(sys.argv[1:] if argv is None else argv)
    folder = Path(args.folder)
    lp = load_policy(args.policy)
    for p in write_year(lp, root, folder):
        print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
