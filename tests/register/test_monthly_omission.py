"""A 信息月报 that leaves out a project of the county's plan (issue 19): the project stays in the plan.

Expected verdicts written from the notice, not from the code: 五（四） asks the counties for 信息月报 (progress) and
counts 迟报、漏报、瞒报、错报; the plan itself is the 县级年度实施方案 (二、三). A 月报 that does not mention a planned
project does not amend the plan, so the project is still planned and, if it had started (开工认定, 附件), still
started; its omission is the monthly rule M102 (a warning), not a removal (删除项目) and not a rewrite (R105, 错报).
A plan-form submission that drops a started project does amend the plan, and is still R105.

The plan is data/sample-禹州市.xlsx (示例数据): XC01-001 … XC01-008; XC01-004 has 24 households. The June 月报
(june_rows) reports XC01-001 started 05-30 and XC01-004 started 06-12, every criterion met before each start.
"""
from __future__ import annotations

import datetime as dt

import pytest

from tests.register.test_monthly_report import PLAN, june_rows, write

D = dt.date
JULY = {"报告月份": "2023-07", "报送日期": "2023-08-03"}
AUGUST = {"报告月份": "2023-08", "报送日期": "2023-09-04"}


@pytest.fixture
def reg(tmp_path, policy2023):
    from generator.register import Register
    r = Register(tmp_path / "r.db")
    r.add(PLAN, received=D(2023, 2, 20), by="登记员", policy=policy2023, kind="年度实施方案", today=D(2024, 1, 1))
    r.add(write(tmp_path / "june.xlsx", june_rows()), received=D(2023, 7, 3), by="登记员", policy=policy2023,
          today=D(2024, 1, 1))
    return r


def without(*ids):
    rows = june_rows()
    for k in ids:
        del rows[k]
    return rows


def _line(reg, day, policy2023):
    st = reg.status(day, policy=policy2023)
    return next(c for c in st.counties if c.line.county == "禹州市").line


def test_a_month_that_omits_a_started_project_does_not_remove_it(reg, tmp_path, policy2023):
    assert _line(reg, D(2023, 7, 10), policy2023).started == 2            # June: XC01-001 and XC01-004
    res = reg.add(write(tmp_path / "july.xlsx", without("XC01-004"), JULY), received=D(2023, 8, 3), by="登记员",
                  policy=policy2023, today=D(2024, 1, 1))
    # not a removal, not a rewrite: nothing the June report said is changed
    assert res.changes is not None and res.changes.changes == [] and res.changes.findings == []
    # the omission is what M102 says, a warning: 本月未报, progress carried from the June report
    m102 = [f for f in res.findings if f.code == "M102"]
    assert [(f.severity.value, f.value) for f in m102] == [("warning", "XC01-004")]
    assert "本月未报" in m102[0].message and m102[0].extra["carried_from"] == res.previous.id
    assert not [f for f in res.findings if f.severity.value == "error"]
    # still a plan project, with June's start and the plan's 24 households, still counted as started
    rows = {p.project: p for p in reg.projects(res.submission.id)}
    assert sorted(rows) == [f"XC01-00{i}" for i in range(1, 9)]
    assert (rows["XC01-004"].actual_start, rows["XC01-004"].households) == ("2023-06-12", 24)
    assert _line(reg, D(2023, 8, 10), policy2023).started == 2
    # read back, the same join: the project is marked as carried (本月未报)
    assert reg.plan(res.submission.id, policy2023).carried == ["XC01-004"]
    snap = reg.snapshot(D(2023, 8, 10), policy=policy2023)
    assert not [w for w in snap.words if w.county == "禹州市" and w.word in ("错报", "瞒报")]


@pytest.mark.slow
def test_a_second_month_without_it_carries_the_carried_state(reg, tmp_path, policy2023):
    reg.add(write(tmp_path / "july.xlsx", without("XC01-004", "XC01-008"), JULY), received=D(2023, 8, 3),
            by="登记员", policy=policy2023, today=D(2024, 1, 1))
    res = reg.add(write(tmp_path / "aug.xlsx", without("XC01-004"), AUGUST), received=D(2023, 9, 4), by="登记员",
                  policy=policy2023, today=D(2024, 1, 1))
    rows = {p.project: p for p in reg.projects(res.submission.id)}
    assert rows["XC01-004"].actual_start == "2023-06-12"                  # June's, through July's carried row
    assert res.changes.findings == [] and res.changes.changes == []       # XC01-008 back, still not started
    assert _line(reg, D(2023, 9, 10), policy2023).started == 2
    july = reg.submissions("禹州市")[-2]
    assert reg.plan(july.id, policy2023).carried == ["XC01-004", "XC01-008"]
    assert {p.project: p.actual_start for p in reg.projects(july.id)}["XC01-008"] is None


def test_a_plan_form_resubmission_that_drops_it_is_still_r105(reg, tmp_path, policy2023):
    from openpyxl import load_workbook
    reg.add(write(tmp_path / "july.xlsx", without("XC01-004"), JULY), received=D(2023, 8, 3), by="登记员",
            policy=policy2023, today=D(2024, 1, 1))
    wb = load_workbook(PLAN)
    ws = wb["项目清单"]
    row = next(r[0].row for r in ws.iter_rows(min_row=3) if r[0].value == "XC01-004")
    ws.delete_rows(row)
    wb.save(tmp_path / "更正.xlsx")
    res = reg.add(tmp_path / "更正.xlsx", received=D(2023, 8, 10), by="登记员", policy=policy2023,
                  kind="年度实施方案", today=D(2024, 1, 1))
    assert ("removed", "XC01-004") in [(c.kind, c.project) for c in res.changes.changes]
    assert [(f.code, f.project, f.expected) for f in res.changes.findings if f.code == "R105"] == [
        ("R105", "XC01-004", "2023-06-12")]


def test_a_carried_date_that_never_counted_still_does_not(tmp_path, policy2023):
    """June's report gives XC01-002 a July start (M201: not counted); July's leaves XC01-002 out. The date stands as
    reported (no rewrite of June) and still does not count: the county has not reported it validly."""
    from generator.register import Register
    reg = Register(tmp_path / "r.db")
    reg.add(PLAN, received=D(2023, 2, 20), by="登记员", policy=policy2023, kind="年度实施方案", today=D(2024, 1, 1))
    rows = june_rows()
    rows["XC01-002"][2:4] = [D(2023, 7, 1), 16]
    rows["XC01-002"][6:] = [D(2023, 6, 1)] * 5
    reg.add(write(tmp_path / "june.xlsx", rows), received=D(2023, 7, 3), by="登记员", policy=policy2023,
            today=D(2024, 1, 1))
    assert _line(reg, D(2023, 7, 10), policy2023).started == 2
    res = reg.add(write(tmp_path / "july.xlsx", without("XC01-002"), JULY), received=D(2023, 8, 3), by="登记员",
                  policy=policy2023, today=D(2024, 1, 1))
    assert res.changes.findings == [] and res.changes.changes == []
    assert {p.project: p.actual_start for p in reg.projects(res.submission.id)}["XC01-002"] == "2023-07-01"
    assert _line(reg, D(2023, 8, 10), policy2023).started == 2             # XC01-001 and XC01-004 only
    # and once the county reports it, in August, it counts
    rows = june_rows()
    rows["XC01-002"][2:4] = [D(2023, 7, 1), 16]
    rows["XC01-002"][6:] = [D(2023, 6, 1)] * 5
    reg.add(write(tmp_path / "aug.xlsx", rows, AUGUST), received=D(2023, 9, 4), by="登记员", policy=policy2023,
            today=D(2024, 1, 1))
    assert _line(reg, D(2023, 9, 10), policy2023).started == 3


def test_a_plan_row_repeating_a_project_id_is_not_carried_twice(tmp_path, policy2023):
    """The plan lists XC01-004 twice (XC01-008's row renumbered: the plan's own error). A June report listing
    XC01-004 once covers it; the repeated row is not a project to carry (it would count XC01-004 twice)."""
    from openpyxl import load_workbook

    from generator.register import Register
    wb = load_workbook(PLAN)
    ws = wb["项目清单"]
    next(r for r in ws.iter_rows(min_row=3) if r[0].value == "XC01-008")[0].value = "XC01-004"
    wb.save(tmp_path / "plan.xlsx")
    reg = Register(tmp_path / "r.db")
    reg.add(tmp_path / "plan.xlsx", received=D(2023, 2, 20), by="登记员", policy=policy2023, kind="年度实施方案",
            today=D(2024, 1, 1))
    res = reg.add(write(tmp_path / "june.xlsx", without("XC01-008")), received=D(2023, 7, 3), by="登记员",
                  policy=policy2023, today=D(2024, 1, 1))
    assert [p.project for p in reg.projects(res.submission.id)] == [f"XC01-00{i}" for i in range(1, 8)]
    assert reg.plan(res.submission.id, policy2023).carried == []
    assert _line(reg, D(2023, 7, 10), policy2023).started == 2
