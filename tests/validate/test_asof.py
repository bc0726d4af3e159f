"""validate --as-of: each rule applies from the due date of the duty it enforces (dates from the policy)."""
from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from validate_builders import set_cell, valid_plan
from generator.cli import main
from generator.ledger import contract as C
from generator.validate import validate_plans
from generator.validate.dates import duties, effective_date

DAY = dt.timedelta(days=1)
COUNTY = "禹州市"


def codes(plan, lp, as_of):
    return [f.code for f in validate_plans([plan], lp, as_of).report.findings]


def february_plan(lp):
    """A plan as handed in in February: 联系点 chosen but their report not written, one consent figure
    still short (the 改造方案 consultation runs until 3-15)."""
    plan = valid_plan(lp, COUNTY)
    for row in plan.liaison:
        for item in lp.policy.liaison_points.report_contents + [C.SUBMITTED]:
            set_cell(row, item, None)
    set_cell(plan.projects[0], C.CONSENT, 0.75)
    return plan


def test_february_plan_is_not_failed_for_march_duties(policy2023):
    p = policy2023.policy
    plan = february_plan(policy2023)
    renovation = p.deadline("renovation_plans")
    liaison = p.deadline(p.liaison_points.report_deadline)
    as_of = p.deadline("county_plan").date
    result = validate_plans([plan], policy2023, as_of)
    assert result.report.errors == 0, [f.message for f in result.report.findings]
    later = {f.extra["duty"]: f for f in result.report.findings if f.code == "V004"}
    # every deadline and milestone after the date is named, each with its own date
    assert set(later) == {d.id for d in duties(p) if d.date > as_of}
    assert later[liaison.id].extra["held"] == len(plan.liaison) * (len(p.liaison_points.report_contents) + 1)
    assert later[renovation.id].extra["held"] == 1
    assert later[liaison.id].expected == liaison.date and later[liaison.id].clause == policy2023.text.display(liaison.clause)


def test_each_duty_applies_exactly_from_its_date(policy2023):
    p = policy2023.policy
    plan = february_plan(policy2023)
    renovation = effective_date(p.deadline("renovation_plans"))
    liaison = p.deadline(p.liaison_points.report_deadline).date
    assert renovation < liaison
    before = codes(plan, policy2023, renovation - DAY)
    assert "V301" not in before and "V505" not in before
    on_renovation = codes(plan, policy2023, renovation)           # on the due date the duty applies
    assert on_renovation.count("V301") == 1 and "V505" not in on_renovation
    assert "V505" not in codes(plan, policy2023, liaison - DAY)
    on_liaison = codes(plan, policy2023, liaison)
    assert "V505" in on_liaison and "V004" not in [c for c in on_liaison if c != "V004"]
    # no date: every duty applies, nothing is said to come later
    assert "V004" not in codes(plan, policy2023, None) and "V505" in codes(plan, policy2023, None)


def test_the_renovation_deadline_is_the_corrected_date_not_the_printed_2022(policy2023):
    d = policy2023.policy.deadline("renovation_plans")
    assert d.erratum is not None and d.date.year == policy2023.policy.year - 1
    plan = february_plan(policy2023)
    # after the printed date (2022) but before the corrected one: still not due
    as_of = effective_date(d) - DAY
    assert as_of > d.date
    findings = validate_plans([plan], policy2023, as_of).report.findings
    assert "V301" not in [f.code for f in findings]
    note = next(f for f in findings if f.code == "V004" and f.extra["duty"] == d.id)
    assert d.date.isoformat() in note.message and "勘误" in note.message


def test_the_plans_own_deadline_never_holds_its_contents_back(policy2023):
    plan = valid_plan(policy2023, COUNTY)
    set_cell(plan.projects[0], "保障措施", None)                    # 三（一）: the plan's own contents
    early = policy2023.policy.deadline("county_plan").date - 10 * DAY
    assert "V201" in codes(plan, policy2023, early)


def test_v408_an_actual_date_after_the_as_of_date(policy2023):
    plan = valid_plan(policy2023, COUNTY)
    start = policy2023.policy.milestone("all_started").date - 40 * DAY
    row = plan.projects[0]
    for i in range(1, 6):
        set_cell(row, C.criterion_column(policy2023.policy.start_criteria.items[i - 1]), True)
    set_cell(row, C.ACTUAL_START, start)
    assert "V408" not in codes(plan, policy2023, start)              # the day itself is fine
    assert codes(plan, policy2023, start - DAY).count("V408") == 1
    assert "V408" not in codes(plan, policy2023, None)               # no date, no such rule


def february_workbook(src, dst, lp):
    """The sample workbook as it stood in February: no actual dates, 联系点 chosen but not reported."""
    from openpyxl import load_workbook
    wb = load_workbook(src)
    blank = {C.ACTUAL_START, C.ACTUAL_END, *lp.policy.liaison_points.report_contents, C.SUBMITTED}
    for sheet in (C.SHEET_PROJECTS, C.SHEET_LIAISON):
        ws = wb[sheet]
        header = next(r for r in ws.iter_rows() if any(C.normalize_header(c.value) == C.PROJECT_ID for c in r))
        for cell in header:
            if C.normalize_header(cell.value) in blank:
                for row in range(cell.row + 1, ws.max_row + 1):
                    ws.cell(row=row, column=cell.column).value = None
    wb.save(dst)
    return dst


def test_cli_as_of(tmp_path, policy2023):
    p = policy2023.policy
    plan = february_workbook("data/sample-禹州市.xlsx", tmp_path / "二月.xlsx", policy2023)
    day = p.deadline("county_plan").date
    r = CliRunner().invoke(main, ["validate", str(plan), "--as-of", day.isoformat(), "--format", "json"])
    assert r.exit_code == 0, r.output
    found = json.loads(r.output)["findings"]
    assert found and {f["code"] for f in found} == {"V004"} and all(f["severity"] == "info" for f in found)
    liaison = p.deadline(p.liaison_points.report_deadline).date
    r = CliRunner().invoke(main, ["validate", str(plan), "--as-of", liaison.isoformat(), "--format", "json"])
    assert r.exit_code == 1 and "V505" in {f["code"] for f in json.loads(r.output)["findings"]}
    r = CliRunner().invoke(main, ["validate", str(plan), "--as-of", "2023-02-30"])
    assert r.exit_code == 2 and "--as-of" in r.output and "Traceback" not in r.output
    # default: today; the 2023 year is over, every duty applies, nothing comes later
    r = CliRunner().invoke(main, ["validate", "data/sample-禹州市.xlsx", "--format", "json"])
    assert r.exit_code == 0 and json.loads(r.output)["findings"] == []


def test_a_report_received_on_the_due_date_is_on_time(policy2023):
    from generator.ledger.model import Cell
    p = policy2023.policy
    plan = valid_plan(policy2023, COUNTY)
    plan_due = p.deadline("county_plan").date
    liaison_due = p.deadline(p.liaison_points.report_deadline).date

    def submitted(day):
        old = plan.info[C.SUBMITTED]
        plan.info[C.SUBMITTED] = Cell(day, day, old.sheet, old.row, old.column, old.col_index)

    submitted(plan_due)
    for row in plan.liaison:
        set_cell(row, C.SUBMITTED, liaison_due)
    assert not {"V602", "V506"} & set(codes(plan, policy2023, liaison_due))
    submitted(plan_due + DAY)
    set_cell(plan.liaison[0], C.SUBMITTED, liaison_due + DAY)
    late = codes(plan, policy2023, liaison_due + DAY)
    assert late.count("V602") == 1 and late.count("V506") == 1
