"""The sample workbooks in data/ are consistent with the policy and are what samples.py makes."""
from pathlib import Path

import pytest
import yaml

from generator.ledger import contract as C
from generator.ledger.contract import build_contract
from generator.ledger.reader import read_plan
from generator.ledger.samples import NOTE
from generator.render.samples import write_samples

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"


def counties(lp):
    return [c.name for c in lp.policy.counties_with_target]


@pytest.fixture(scope="module")
def plans(policy2023):
    return {name: read_plan(DATA / f"sample-{name}.xlsx", policy2023) for name in counties(policy2023)}


def test_one_valid_sample_per_county(plans, policy2023):
    p = policy2023.policy
    con = build_contract(p)
    started = p.milestone("all_started").date
    m70 = p.milestone("completed_70")
    for name, plan in plans.items():
        c = p.county(name)
        assert plan.county == name
        rows = plan.projects
        assert not [x for r in rows + plan.liaison for x in r.cells.values() if x.error]
        assert len(rows) == c.target.projects
        assert sum(r.value(C.HOUSEHOLDS) for r in rows) == c.target.households
        assert all(r.value(C.CONSENT) >= p.consent.threshold for r in rows)
        assert all(r.value(C.PLANNED_START) <= started for r in rows)
        assert all(r.value(C.PLANNED_END) <= p.year_end for r in rows)
        early = sum(r.value(C.HOUSEHOLDS) for r in rows if r.value(C.PLANNED_END) <= m70.date)
        assert early >= m70.share * c.target.households
        for r in rows:
            channels = sum(r.value(n, 0) for n in con.funding_columns)
            assert abs(channels - r.value(C.COST)) < 0.005
            for col in con.required(C.SHEET_PROJECTS):
                assert col.blank_is_zero or r.value(col.name) is not None, (name, r.row, col.name)
        ids = [r.value(C.PROJECT_ID) for r in rows]
        assert len(set(ids)) == len(ids)
        assert len({r.value(C.COMMUNITY) for r in rows}) == len(rows)
        # liaison points: the quota, each marked 是 in 项目清单, each with its report contents
        marked = {r.value(C.PROJECT_ID) for r in rows if r.value(C.IS_LIAISON)}
        assert len(plan.liaison) == c.liaison_quota.value == len(marked)
        for lr in plan.liaison:
            assert lr.value(C.PROJECT_ID) in marked
            for item in p.liaison_points.report_contents:
                assert lr.value(item)
            assert lr.value(C.SUBMITTED) <= p.deadline(p.liaison_points.report_deadline).date
        # 基本信息 complete and in time
        for col in con.required(C.SHEET_INFO):
            assert plan.info[col.name].value, (name, col.name)
        assert plan.info[C.SUBMITTED].value <= p.deadline("county_plan").date
        assert NOTE in plan.info[C.REMARKS].value


def test_boundaries_are_present(plans, policy2023):
    p = policy2023.policy
    rows = [r for plan in plans.values() for r in plan.projects]
    assert any(r.value(C.CONSENT) == p.consent.threshold for r in rows)          # exactly 80 %
    assert any(r.value(C.PLANNED_START) == p.milestone("all_started").date for r in rows)
    assert any(r.value(C.ACTUAL_START) for r in rows) and any(r.value(C.ACTUAL_END) for r in rows)
    crit = build_contract(p).criterion_columns.values()
    assert any(r.value(n) is True for r in rows for n in crit)
    assert any(r.value(n) is False for r in rows for n in crit)


def test_real_communities_of_weidu(plans):
    rows = {r.value(C.COMMUNITY): r for r in plans["魏都区"].projects}
    yz, qzy = rows["延中小区"], rows["青竹苑小区"]
    assert (yz.value(C.HOUSEHOLDS), yz.value(C.BUILDINGS), yz.value(C.BUILT_YEAR)) == (618, 23, 1998)
    assert (qzy.value(C.HOUSEHOLDS), qzy.value(C.BUILDINGS), qzy.value(C.BUILT_YEAR)) == (808, 29, 1999)
    assert "人民网" in yz.value(C.REMARKS) and "许昌报业传媒集团" in qzy.value(C.REMARKS)
    synthetic = [n for n in rows if n not in ("延中小区", "青竹苑小区")]
    assert all("示例" in n for n in synthetic)


def test_samples_are_labelled(policy2023):
    from openpyxl import load_workbook
    for name in counties(policy2023):
        wb = load_workbook(DATA / f"sample-{name}.xlsx", read_only=True)
        assert NOTE in next(wb[C.SHEET_PROJECTS].iter_rows(values_only=True))[0]
        wb.close()


@pytest.mark.slow
def test_committed_data_is_what_the_script_makes(policy2023, tmp_path):
    written = write_samples(policy2023, tmp_path)
    for path in written:
        rel = path.relative_to(tmp_path)
        assert (DATA / rel).read_bytes() == path.read_bytes(), f"data/{rel} is stale: python -m generator.render.samples data/"


def test_planted_mistakes_point_at_real_cells(policy2023):
    sidecars = sorted((DATA / "mistakes").glob("*.planted.yaml"))
    kinds = set()
    assert len(sidecars) >= 3
    for side in sidecars:
        spec = yaml.safe_load(side.read_text(encoding="utf-8"))
        plan = read_plan(side.parent / spec["file"], policy2023)
        assert plan.county == spec["county"]
        for m in spec["mistakes"]:
            kinds.add(m["kind"])
            assert m["sheet"] in C.SHEETS
            if m["sheet"] == C.SHEET_INFO:
                assert plan.info[m["column"]].row == m["row"]
                continue
            if m["row"] is None:
                continue
            rows = plan.projects if m["sheet"] == C.SHEET_PROJECTS else plan.liaison
            row = next(r for r in rows if r.row == m["row"])
            assert m["column"] in plan.headers[m["sheet"]]
            assert row.value(C.PROJECT_ID) == m["project"]
    assert {"consent_below_threshold", "households_off_target", "missing_required_field", "funding_mismatch",
            "start_after_milestone", "duplicate_project_id", "liaison_not_in_projects", "unreadable_date",
            "late_submission"} <= kinds
