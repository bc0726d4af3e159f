"""The sample year in data/year-2023 and the year's steps of ``gaizao build``."""
import datetime as dt
from pathlib import Path

import pytest

from generator.build import REGISTER_DB, YEAR_DIR, year_steps
from generator.register.sample_year import MISSES_AUGUST, RESUBMITS, SLIPPING

ROOT = Path(__file__).resolve().parents[2]
YEAR = ROOT / "data" / "year-2023"


def test_the_sample_year_is_complete_and_labelled(year_entries, policy2023):
    from generator.ledger.reader import read_plan
    from generator.render.checklists import plan_is_sample
    p = policy2023.policy
    assert {e["file"] for e in year_entries} | {"submissions.yaml"} == {f.name for f in YEAR.iterdir()}
    per = {}
    for e in year_entries:
        per.setdefault(e["county"], []).append(str(e["received"]))
    assert set(per) == {c.name for c in p.counties_with_target}
    for county, days in per.items():
        months = {d[5:7] for d in days}
        expected = {f"{m:02d}" for m in range(2, 13)} - ({"08"} if county == MISSES_AUGUST else set())
        assert months == expected, county
        assert days == sorted(days)
    assert sum(1 for e in year_entries if e["county"] == RESUBMITS and e["received"] == f"{p.year}-03-10") == 1
    plan = read_plan(YEAR / year_entries[0]["file"], policy2023)
    assert plan_is_sample(plan)


def test_the_slipping_start_as_the_issue_tells_it(policy2023):
    from generator.ledger import contract as C
    from generator.ledger.reader import read_plan
    y = policy2023.policy.year
    june = read_plan(YEAR / f"{y}-06-30-{SLIPPING}-月报.xlsx", policy2023)
    july = read_plan(YEAR / f"{y}-07-31-{SLIPPING}-月报.xlsx", policy2023)
    before = {r.value(C.PROJECT_ID): r.value(C.ACTUAL_START) for r in june.projects}
    after = {r.value(C.PROJECT_ID): r.value(C.ACTUAL_START) for r in july.projects}
    moved = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert moved == {next(iter(moved)): (dt.date(y, 5, 20), dt.date(y, 7, 2))}


def test_build_records_the_year_and_reports_at_every_milestone(policy2023, tmp_path):
    steps = year_steps("xuchang/2023", tmp_path, ROOT / "data")
    args = [a for _, a in steps]
    assert args[0][:2] == ["register", "import"] and str(YEAR / "submissions.yaml") in args[0]
    assert all(str(tmp_path / YEAR_DIR / REGISTER_DB) in a for a in args)
    days = [a[a.index("--as-of") + 1] for a in args if a[:2] == ["register", "status"]]
    p = policy2023.policy
    assert days == sorted({m.date.isoformat() for m in p.milestones} | {p.year_end.isoformat()})
    assert all("--xlsx" in a for a in args if a[:2] == ["register", "status"])
    assert any(a[:2] == ["register", "series"] for a in args)
    docs = [a[a.index("--as-of") + 1] for a in args if a[:2] == ["register", "documents"]]
    start = p.milestone("all_started").date
    assert docs == [(start.replace(day=1) - dt.timedelta(days=1)).isoformat(), p.year_end.isoformat()]
    assert year_steps("xuchang/2023", tmp_path, tmp_path) == []          # no sample year: no year steps


def test_build_prints_where_the_years_documents_are(tmp_path):
    from generator.build import year_listing
    assert year_listing(tmp_path) == []
    year = tmp_path / YEAR_DIR
    (year / "截至2023-12-31").mkdir(parents=True)
    for name in (REGISTER_DB, REGISTER_DB + "-wal", "汇总表-截至2023-06-30.xlsx", "截至2023-12-31/进度通报.pdf"):
        (year / name).write_bytes(b"x")
    lines = year_listing(tmp_path)
    assert lines[0].endswith(str(year / REGISTER_DB))
    assert sorted(lines[1:]) == sorted([f"  {year / '汇总表-截至2023-06-30.xlsx'}",
                                        f"  {year / '截至2023-12-31' / '进度通报.pdf'}"])       # not the database


@pytest.mark.slow
def test_the_sample_years_plans_are_named_by_the_level_below(policy2023):
    """The register notes say what was received as the level below calls it: 县级年度实施方案 under 许昌,
    市级年度实施方案 under a province (the same sample workbooks, only the unit differs)."""
    from support.levels import as_unit

    from generator.register.sample_year import year_submissions
    data = ROOT / "data"
    province = {e["note"] for e, _ in year_submissions(as_unit(policy2023, "河南省"), data) if "方案" in e["note"]}
    assert province == {"市级年度实施方案", "市级年度实施方案（重报）"}
    city = {e["note"] for e, _ in year_submissions(policy2023, data) if "方案" in e["note"]}
    assert city == {"县级年度实施方案", "县级年度实施方案（重报）"}
