"""Each rule on its fixture: a valid plan built from the policy with one thing broken.

Every case asserts the one finding: its code, where it is (sheet, row, column, project) and the
clause it cites; a valid plan gives no finding at all.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.policy import load_policy

from validate_builders import set_cell, valid_plan
from generator.findings import Severity
from generator.ledger import contract as C
from generator.validate.engine import validate_plan
from generator.validate.rules import all_rules

COUNTY = "禹州市"          # 8 projects, 181 households, 3 liaison points in 2023


@pytest.fixture
def plan(policy2023):
    return valid_plan(policy2023, COUNTY)


def only(findings, code):
    assert [f.code for f in findings] == [code], [(f.code, f.message) for f in findings]
    return findings[0]


@pytest.mark.parametrize("county", ["禹州市", "长葛市", "襄城县", "魏都区", "建安区"])
def test_valid_plan_has_no_findings(policy2023, county):
    assert validate_plan(valid_plan(policy2023, county), policy2023) == []


def test_every_rule_has_code_titles_and_a_clause(policy2023):
    rules = all_rules()
    assert len({r.code for r in rules}) == len(rules) >= 20
    # a rule of a provision 2023 lacks (改造范围, V203/V204) cites its clause in the policy that has it
    draft = load_policy("xuchang/2024-draft").policy
    for r in rules:
        assert r.title and r.title_en and (r.clause_id(policy2023.policy) or r.clause_id(draft)), r.code


# -- V0xx cells --------------------------------------------------------------------------------
def test_unreadable_cell_is_reported_there_and_the_rest_still_checked(plan, policy2023):
    row = plan.projects[2]
    set_cell(row, C.HOUSEHOLDS, None, raw="二十户", error="无法识别“二十户”：应为整数")
    set_cell(plan.projects[4], C.CONSENT, 0.5)
    fs = validate_plan(plan, policy2023)
    assert [(f.code, f.row, f.column) for f in fs] == [("V001", row.row, C.HOUSEHOLDS),
                                                       ("V301", plan.projects[4].row, C.CONSENT)]
    assert fs[0].clause == "二、目标任务" and fs[0].value == "二十户" and fs[0].project == "P003"


@pytest.mark.parametrize("column,value,clause", [
    (C.BUILDINGS, 0, "三（一）制定工作实施方案"),
    (C.HOUSEHOLDS, -5, "二、目标任务"),
    (C.COST, -1.0, "三（一）制定工作实施方案"),
    (C.PLANNED_START, dt.date(2203, 5, 1), "二、目标任务"),
    (C.BUILT_YEAR, 2999, None),
])
def test_out_of_range(plan, policy2023, column, value, clause):
    row = plan.projects[1]
    set_cell(row, column, value)
    fs = validate_plan(plan, policy2023)
    f = next(f for f in fs if f.code == "V002")
    assert (f.sheet, f.row, f.column, f.clause, f.value) == (C.SHEET_PROJECTS, row.row, column, clause, value)


# -- V1xx county and targets -------------------------------------------------------------------
def test_county_not_named(plan, policy2023):
    plan.info[C.COUNTY].value = plan.info[C.COUNTY].raw = "许昌县"
    fs = validate_plan(plan, policy2023)
    f = only(fs, "V101")
    assert (f.sheet, f.column, f.clause, f.value) == (C.SHEET_INFO, C.COUNTY, "二、目标任务", "许昌县")
    assert "禹州市" in f.message and "建安区" in f.message


def test_county_blank(plan, policy2023):
    del plan.info[C.COUNTY]
    f = only(validate_plan(plan, policy2023), "V101")
    assert (f.sheet, f.column) == (C.SHEET_INFO, C.COUNTY)


def test_project_county_differs_from_basic_info(plan, policy2023):
    row = plan.projects[3]
    set_cell(row, C.COUNTY, "禹州市")                       # agrees: fine
    set_cell(plan.projects[4], C.COUNTY, "建安区")
    f = only(validate_plan(plan, policy2023), "V105")        # the row is the mistake: no split, no count off
    assert (f.sheet, f.row, f.column, f.value, f.expected, f.clause) == (
        C.SHEET_PROJECTS, plan.projects[4].row, C.COUNTY, "建安区", "禹州市", "二、目标任务")
    assert f.county == "禹州市"                               # the file's county, whose plan must be fixed


def test_project_count_and_households_show_deltas(plan, policy2023):
    plan.projects.pop()                       # one project (and its households) missing
    fs = validate_plan(plan, policy2023)
    assert [f.code for f in fs] == ["V102", "V103"]
    count, households = fs
    assert (count.value, count.expected, count.extra["delta"]) == (7, 8, -1)
    assert households.expected == 181 and households.extra["delta"] == households.value - 181 < 0
    assert count.clause == households.clause == "二、目标任务"
    assert "少1个" in count.message and households.column == C.HOUSEHOLDS


# -- V2xx fields and funding -------------------------------------------------------------------
@pytest.mark.parametrize("column,clause", [
    ("保障措施", "三（一）制定工作实施方案"), ("监管责任单位", "三（一）制定工作实施方案"),
    (C.WORKS, "三（一）制定工作实施方案"), (C.PROPERTY_MODEL, "三（二）拟定小区改造方案"),
    (C.PLANNED_START, "二、目标任务"),
])
def test_required_field_blank(plan, policy2023, column, clause):
    row = plan.projects[5]
    set_cell(row, column, None)
    f = only(validate_plan(plan, policy2023), "V201")
    assert (f.sheet, f.row, f.column, f.project, f.clause) == (C.SHEET_PROJECTS, row.row, column, "P006", clause)


def test_funding_must_add_up_within_a_cent(plan, policy2023):
    channels = C.build_contract(policy2023.policy).funding_columns
    set_cell(plan.projects[0], channels[0], 60.01)             # within 0.01: fine
    set_cell(plan.projects[1], channels[0], 59.0)              # 1 万元 short
    f = only(validate_plan(plan, policy2023), "V202")
    assert (f.row, f.column, f.value, f.expected, f.extra["delta"]) == (plan.projects[1].row, C.COST, 99.0, 100.0, -1.0)
    assert f.clause == "三（一）制定工作实施方案"


# -- V3xx consent ------------------------------------------------------------------------------
def test_consent_exactly_at_threshold_passes(plan, policy2023):
    set_cell(plan.projects[0], C.CONSENT, policy2023.policy.consent.threshold)
    assert validate_plan(plan, policy2023) == []


def test_consent_just_below_fails_at_that_cell(plan, policy2023):
    row = plan.projects[3]
    set_cell(row, C.CONSENT, 0.799)
    f = only(validate_plan(plan, policy2023), "V301")
    assert (f.sheet, f.row, f.column, f.project, f.clause) == (C.SHEET_PROJECTS, row.row, C.CONSENT, "P004",
                                                               "三（二）拟定小区改造方案")
    assert "79.9%" in f.message and "80%以上" in f.message and f.severity is Severity.ERROR


# -- V4xx schedule -----------------------------------------------------------------------------
def test_start_after_all_started_milestone(plan, policy2023):
    row = plan.projects[2]
    set_cell(row, C.PLANNED_START, policy2023.policy.milestone("all_started").date + dt.timedelta(days=1))
    f = only(validate_plan(plan, policy2023), "V401")
    assert (f.row, f.column, f.clause, f.expected) == (row.row, C.PLANNED_START, "二、目标任务", dt.date(2023, 6, 30))


def test_completion_after_year_end(plan, policy2023):
    row = plan.projects[7]
    set_cell(row, C.PLANNED_END, dt.date(2024, 1, 15))
    fs = validate_plan(plan, policy2023)
    f = next(f for f in fs if f.code == "V402")
    assert (f.row, f.column, f.clause) == (row.row, C.PLANNED_END, "二、目标任务")


def test_completions_by_october_cover_the_share(plan, policy2023):
    late = dt.date(2023, 11, 15)               # after the 70 % milestone, before year end
    for row in plan.projects[:4]:
        set_cell(row, C.PLANNED_END, late)
    f = only(validate_plan(plan, policy2023), "V403")
    assert (f.sheet, f.column, f.clause, f.extra["milestone"]) == (C.SHEET_PROJECTS, C.PLANNED_END, "二、目标任务",
                                                                   "completed_70")
    assert f.value < 0.7 * 181 and f.expected == pytest.approx(0.7 * 181)


def test_completion_before_start(plan, policy2023):
    row = plan.projects[0]
    set_cell(row, C.PLANNED_END, row.value(C.PLANNED_START) - dt.timedelta(days=1))
    f = only(validate_plan(plan, policy2023), "V404")
    assert (f.row, f.column, f.clause) == (row.row, C.PLANNED_END, "二、目标任务")


# -- V5xx liaison points -----------------------------------------------------------------------
def test_liaison_count_below_quota(plan, policy2023):
    plan.liaison.pop()
    set_cell(plan.projects[2], C.IS_LIAISON, False)
    f = only(validate_plan(plan, policy2023), "V501")
    assert (f.sheet, f.value, f.expected, f.clause) == (C.SHEET_LIAISON, 2, 3, "五（五）注重典型引路")


def test_liaison_not_in_project_list(plan, policy2023):
    row = plan.liaison[1]
    set_cell(row, C.PROJECT_ID, "P999")
    # P002 is now marked 是 without a 联系点 row: the mistyped number explains it, so it is said once
    f = only(validate_plan(plan, policy2023), "V502")
    assert (f.sheet, f.row, f.column, f.clause) == (C.SHEET_LIAISON, row.row, C.PROJECT_ID, "五（五）注重典型引路")


def test_liaison_not_marked(plan, policy2023):
    row = plan.projects[1]
    set_cell(row, C.IS_LIAISON, False)
    f = only(validate_plan(plan, policy2023), "V503")
    assert (f.sheet, f.row, f.column, f.project, f.clause) == (C.SHEET_PROJECTS, row.row, C.IS_LIAISON, "P002",
                                                               "五（五）注重典型引路")


def test_marked_but_not_reported(plan, policy2023):
    set_cell(plan.projects[6], C.IS_LIAISON, True)
    f = only(validate_plan(plan, policy2023), "V504")
    assert (f.row, f.column, f.project, f.clause) == (plan.projects[6].row, C.IS_LIAISON, "P007", "五（五）注重典型引路")


@pytest.mark.parametrize("item", ["基本情况", "推进措施", "拟打造特色和亮点"])
def test_liaison_report_contents(plan, policy2023, item):
    row = plan.liaison[0]
    set_cell(row, item, None, raw="  ")           # as the reader keeps a blank-looking cell
    f = only(validate_plan(plan, policy2023), "V505")
    assert (f.sheet, f.row, f.column, f.clause) == (C.SHEET_LIAISON, row.row, item, "五（五）注重典型引路")


def test_liaison_reported_late(plan, policy2023):
    row = plan.liaison[2]
    set_cell(row, C.SUBMITTED, dt.date(2023, 4, 1))
    f = only(validate_plan(plan, policy2023), "V506")
    assert (f.row, f.column, f.clause, f.expected) == (row.row, C.SUBMITTED, "五（五）注重典型引路", dt.date(2023, 3, 31))


# -- V6xx 基本信息 -------------------------------------------------------------------------------
@pytest.mark.parametrize("key", ["目标任务", "任务分解", "职责分工", "推进措施"])
def test_plan_contents_of_clause_3_1(plan, policy2023, key):
    del plan.info[key]
    f = only(validate_plan(plan, policy2023), "V601")
    assert (f.sheet, f.column, f.clause) == (C.SHEET_INFO, key, "三（一）制定工作实施方案")


def test_plan_submitted_late(plan, policy2023):
    plan.info[C.SUBMITTED].value = dt.date(2023, 3, 1)
    f = only(validate_plan(plan, policy2023), "V602")
    assert (f.sheet, f.column, f.clause, f.expected) == (C.SHEET_INFO, C.SUBMITTED, "三（一）制定工作实施方案",
                                                         dt.date(2023, 2, 28))


# -- V7xx duplicates ---------------------------------------------------------------------------
def test_duplicate_project_number_and_community(plan, policy2023):
    set_cell(plan.projects[4], C.PROJECT_ID, "P001")
    set_cell(plan.projects[6], C.COMMUNITY, " 示例小区2 ")
    fs = validate_plan(plan, policy2023)
    assert [(f.code, f.row, f.column) for f in fs] == [("V701", plan.projects[4].row, C.PROJECT_ID),
                                                       ("V702", plan.projects[6].row, C.COMMUNITY)]
    assert fs[0].extra["first_row"] == plan.projects[0].row
    assert fs[0].clause == fs[1].clause == "二、目标任务"
    assert [f.severity for f in fs] == [Severity.ERROR, Severity.WARNING]


# -- English -----------------------------------------------------------------------------------
def test_english_messages(plan, policy2023):
    set_cell(plan.projects[3], C.CONSENT, 0.5)
    f = only(validate_plan(plan, policy2023), "V301")
    assert f.text("en").startswith("consent 50%") and f.text("zh").startswith("居民同意率50%")


def test_every_rule_is_documented():
    from pathlib import Path
    doc = (Path(__file__).resolve().parents[2] / "docs" / "validate.md").read_text(encoding="utf-8")
    for r in all_rules():
        assert f"| {r.code} | {r.severity.value} | {r.scope} |" in doc, r.code


def test_a_rule_whose_policy_record_is_absent_is_not_run(plan, policy2023):
    """Never invent policy: a policy without a consent threshold asks nothing of 居民同意率."""
    from dataclasses import replace as dc_replace
    lp = dc_replace(policy2023, policy=policy2023.policy.model_copy(update={"consent": None}))
    set_cell(plan.projects[0], C.CONSENT, 0.1)
    assert validate_plan(plan, policy2023)[0].code == "V301"
    assert [f.code for f in validate_plan(plan, lp)] == []


def test_annotate_needs_an_xlsx(tmp_path):
    from click.testing import CliRunner

    from generator.cli import main
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "validate" / "yuzhou-consent-79.9.yaml"
    r = CliRunner().invoke(main, ["validate", str(fixture), "--annotate", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 2 and ".xlsx" in r.output and not (tmp_path / "x.xlsx").exists()


def test_columns_are_read_afresh_for_each_run(plan, policy2023):
    """The checks read each column once per run (facts.run_scope); a plan edited between two runs is judged
    as it is now, not as the first run saw it (a stale cache would miss the new duplicate number)."""
    assert not [f for f in validate_plan(plan, policy2023) if f.code == "V701"]
    set_cell(plan.projects[1], C.PROJECT_ID, plan.projects[0].value(C.PROJECT_ID))
    assert [f.row for f in validate_plan(plan, policy2023) if f.code == "V701"] == [plan.projects[1].row]


def test_one_run_per_thread(policy2023):
    """Two validations at once (the web front end's threads) each see their own plan's columns."""
    from concurrent.futures import ThreadPoolExecutor
    counties = [c.name for c in policy2023.policy.counties_with_target][:2]
    plans = [valid_plan(policy2023, name) for name in counties]
    set_cell(plans[1].projects[1], C.PROJECT_ID, plans[1].projects[0].value(C.PROJECT_ID))
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda p: validate_plan(p, policy2023), plans * 4))
    assert [sum(f.code == "V701" for f in r) for r in results] == [0, 1] * 4
