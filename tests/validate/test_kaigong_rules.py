"""开工认定 as the 附件 says (V302–V304) and consistent actual dates (V405–V407); each boundary tested."""
from __future__ import annotations

import datetime as dt

import pytest

from validate_builders import set_cell, valid_plan
from generator.ledger import contract as C
from generator.validate import validate_plans
from generator.validate.rules.projects import consent_criterion, readiness

DAY = dt.timedelta(days=1)
COUNTY = "禹州市"


def found(plan, lp, code):
    return [f for f in validate_plans([plan], lp).report.findings if f.code == code]


def criterion_columns(lp):
    return [C.criterion_column(c) for c in lp.policy.start_criteria.items]


def started_plan(lp, **criteria):
    """A valid plan whose first project started 40 days before the all-started milestone, with every
    criterion met the day before (override one with ``criteria={id: value}``)."""
    plan = valid_plan(lp, COUNTY)
    row = plan.projects[0]
    start = lp.policy.milestone("all_started").date - 40 * DAY
    set_cell(row, C.ACTUAL_START, start)
    for c in lp.policy.start_criteria.items:
        set_cell(row, C.criterion_column(c), criteria.get(c.id, start - DAY))
    return plan, row, start


def test_a_fully_met_start_has_no_finding(policy2023):
    plan, row, _ = started_plan(policy2023)
    assert validate_plans([plan], policy2023).report.findings == []
    assert readiness(row, policy2023).ready


def test_criterion_1_is_the_consent_criterion_of_the_policy(policy2023):
    c = consent_criterion(policy2023.policy)
    assert c is not None and c.clause == "附件.1"


@pytest.mark.parametrize("consent, contradicted", [(0.75, True), (0.7999, True), (0.8, False), (0.85, False)])
def test_v302_criterion_1_marked_met_must_agree_with_the_consent(policy2023, consent, contradicted):
    plan, row, _ = started_plan(policy2023)
    crit = consent_criterion(policy2023.policy)
    set_cell(row, C.criterion_column(crit), True)
    set_cell(row, C.CONSENT, consent)
    hits = found(plan, policy2023, "V302")
    assert bool(hits) == contradicted
    if contradicted:
        assert hits[0].column == C.criterion_column(crit) and hits[0].clause == policy2023.text.display(crit.clause)
        assert "80%以上" in hits[0].message
        assert not readiness(row, policy2023).ready          # never counted as met


def test_v303_started_with_criteria_4_and_5_blank(policy2023):
    plan, row, start = started_plan(policy2023)
    items = policy2023.policy.start_criteria.items
    set_cell(row, C.criterion_column(items[3]), None)
    set_cell(row, C.criterion_column(items[4]), False)
    hits = found(plan, policy2023, "V303")
    assert len(hits) == 1 and hits[0].extra["missing"] == [items[3].id, items[4].id]
    assert items[3].label in hits[0].message and items[4].label in hits[0].message
    assert hits[0].column == C.ACTUAL_START and hits[0].project == row.value(C.PROJECT_ID)
    # not started: nothing to say (it may not start yet; that is the 汇总表's answer)
    set_cell(row, C.ACTUAL_START, None)
    assert found(plan, policy2023, "V303") == []


def test_v304_a_criterion_met_after_the_start(policy2023):
    plan, row, start = started_plan(policy2023)
    c = policy2023.policy.start_criteria.items[2]
    set_cell(row, C.criterion_column(c), start)                  # on the start date: in time
    assert found(plan, policy2023, "V304") == []
    set_cell(row, C.criterion_column(c), start + DAY)
    hits = found(plan, policy2023, "V304")
    assert len(hits) == 1 and hits[0].clause == policy2023.text.display(c.clause)


def test_v405_v406_completion_before_start_or_without_start(policy2023):
    plan, row, start = started_plan(policy2023)
    set_cell(row, C.ACTUAL_END, start)                           # same day: allowed
    assert found(plan, policy2023, "V405") == []
    set_cell(row, C.ACTUAL_END, start - DAY)
    assert len(found(plan, policy2023, "V405")) == 1
    set_cell(row, C.ACTUAL_END, start + 30 * DAY)
    set_cell(row, C.ACTUAL_START, None)
    hits = found(plan, policy2023, "V406")
    assert len(hits) == 1 and hits[0].column == C.ACTUAL_START


def test_v407_start_outside_the_plan_year(policy2023):
    year = policy2023.policy.year
    plan, row, _ = started_plan(policy2023)
    for c in policy2023.policy.start_criteria.items:
        set_cell(row, C.criterion_column(c), True)
    set_cell(row, C.ACTUAL_START, dt.date(year, 12, 31))
    assert found(plan, policy2023, "V407") == []
    set_cell(row, C.ACTUAL_START, dt.date(year + 1, 1, 1))
    assert len(found(plan, policy2023, "V407")) == 1
    set_cell(row, C.ACTUAL_START, dt.date(year, 1, 1))
    set_cell(plan.projects[1], C.PLANNED_START, dt.date(year - 1, 12, 31))
    hits = found(plan, policy2023, "V407")
    assert len(hits) == 1 and hits[0].column == C.PLANNED_START


def test_readiness_as_of_a_date_for_a_project_not_yet_started(policy2023):
    plan = valid_plan(policy2023, COUNTY)
    row = plan.projects[0]
    items = policy2023.policy.start_criteria.items
    day = dt.date(policy2023.policy.year, 5, 1)
    for c in items:
        set_cell(row, C.criterion_column(c), day)
    assert readiness(row, policy2023, day).ready
    r = readiness(row, policy2023, day - DAY)
    assert not r.ready and len(r.missing) == len(items)
