"""Boundaries pinned (issue 9 item 7): each test here fails when its boundary moves by one step.

Every value at a boundary is taken from the policy (a date, a share, a threshold) and tried exactly AT it and one
step past it, so that both "<" for "<=" and a widened tolerance are caught. The mutation each test catches is
named in its docstring; each was applied to the code and seen to fail the test.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent / "validate"))   # the rule tests' plan builders
from validate_builders import set_cell, valid_plan  # noqa: E402
from generator.findings import Severity
from generator.ledger import contract as C

DAY = dt.timedelta(days=1)


def codes(findings, code):
    return [f for f in findings if f.code == code]


def _validate(plan, lp, as_of=None):
    from generator.validate.engine import validate_plan
    return validate_plan(plan, lp, as_of) if as_of else validate_plan(plan, lp)


def _need(share: float, base: int) -> int:
    """The smallest whole number of projects/households that reaches ``share`` of ``base`` (exact arithmetic)."""
    return math.ceil(Fraction(str(share)) * base)


def _milestone(lp, measure, basis):
    return next(m for m in lp.policy.milestones if m.measure == measure and m.basis == basis)


# -- milestones: met exactly at 100 % / exactly at the share; a project done ON the date counts ------------------
def _progress(lp, plan, as_of):
    from generator.validate.progress import progress
    return progress([plan], lp, as_of).counties[0]


def test_milestone_met_exactly_at_100_percent_on_its_date(policy2023):
    """Mutations: progress `reached >= share` -> `reached > share`; `d <= day` -> `d < day` (a start ON the
    milestone date not counted)."""
    m = _milestone(policy2023, "started", "projects")
    assert m.share == 1
    plan = valid_plan(policy2023, "禹州市")
    for row in plan.projects:                       # every project starts on the milestone's last day
        set_cell(row, C.ACTUAL_START, m.date)
    status = next(s for s in _progress(policy2023, plan, m.date).milestones if s.id == m.id)
    assert status.due and status.share_reached == 1 and status.met is True
    set_cell(plan.projects[-1], C.ACTUAL_START, m.date + DAY)     # one project a day late: missed
    status = next(s for s in _progress(policy2023, plan, m.date).milestones if s.id == m.id)
    assert status.met is False


def test_household_share_met_exactly(policy2023):
    """Exactly 70 % of the target households completed by the October milestone is met (progress), and a plan
    that schedules exactly that share is not short (validate V403). Mutations: `>=` -> `>` in progress;
    `done < share*base - 1e-9` -> `done <= share*base` in V403."""
    m = _milestone(policy2023, "completed", "households")
    county = next(c for c in policy2023.policy.counties_with_target
                  if Fraction(str(m.share)) * c.target.households == _need(m.share, c.target.households))
    base = county.target.households
    need = _need(m.share, base)
    plan = valid_plan(policy2023, county.name)
    rest = plan.projects[1:]
    per, extra = divmod(base - need, len(rest))
    set_cell(plan.projects[0], C.HOUSEHOLDS, need)
    for i, row in enumerate(rest):
        set_cell(row, C.HOUSEHOLDS, per + (1 if i < extra else 0))
        set_cell(row, C.PLANNED_END, m.date + DAY)             # the others are planned after the milestone
    set_cell(plan.projects[0], C.PLANNED_END, m.date)          # exactly the share, planned ON the date
    set_cell(plan.projects[0], C.ACTUAL_END, m.date)
    assert sum(r.value(C.HOUSEHOLDS) for r in plan.projects) == base

    status = next(s for s in _progress(policy2023, plan, m.date).milestones if s.id == m.id)
    assert status.met is True, status
    assert not codes(_validate(plan, policy2023), "V403")

    # one household fewer in time: short in both
    set_cell(plan.projects[0], C.HOUSEHOLDS, need - 1)
    set_cell(plan.projects[1], C.HOUSEHOLDS, plan.projects[1].value(C.HOUSEHOLDS) + 1)
    status = next(s for s in _progress(policy2023, plan, m.date).milestones if s.id == m.id)
    assert status.met is False
    assert len(codes(_validate(plan, policy2023), "V403")) == 1


def test_project_finished_on_the_as_of_date_is_counted(policy2023):
    """Mutation: progress `_measure` `d <= day` -> `d < day`."""
    plan = valid_plan(policy2023, "禹州市")
    as_of = dt.date(policy2023.policy.year, 9, 15)
    set_cell(plan.projects[0], C.ACTUAL_START, as_of - 60 * DAY)
    set_cell(plan.projects[0], C.ACTUAL_END, as_of)
    set_cell(plan.projects[1], C.ACTUAL_START, as_of - 60 * DAY)
    set_cell(plan.projects[1], C.ACTUAL_END, as_of + DAY)
    cp = _progress(policy2023, plan, as_of)
    assert cp.completed == 1 and cp.started == 2
    assert cp.households_completed == plan.projects[0].value(C.HOUSEHOLDS)


def _acceptance_lines(lp, county, rows):
    """{milestone label: the form's 节点目标 text} for the year-end city form (every milestone due)."""
    from generator.render.acceptance import CountyRows, milestone_lines
    rnd = lp.policy.inspections.rounds[-1]
    lines = milestone_lines(lp, rnd, county, CountyRows(county.name, rows, True))
    return {x["label"]: x.get("reported", x.get("attainment", "")) for x in lines}


def test_acceptance_form_counts_on_the_date_and_rounds_the_requirement_up(policy2023):
    """The city form's 节点目标 line: projects started ON the milestone date count (8/8, not 7/8), and 须≥N rounds
    up. Mutations: acceptance `r[key] <= m.date` -> `<`; `math.ceil` -> `round`."""
    lp = policy2023
    started = _milestone(lp, "started", "projects")
    hh = _milestone(lp, "completed", "households")
    # a county whose household requirement is not whole and would round DOWN (x.2): ceil and round differ
    county = next(c for c in lp.policy.counties_with_target
                  if round(hh.share * c.target.households) < _need(hh.share, c.target.households))
    n, households = county.target.projects, county.target.households
    need_hh = _need(hh.share, households)
    per, extra = divmod(households, n)
    rows = [{"actual_start": started.date, "actual_end": None, "households": per + (1 if i < extra else 0)}
            for i in range(n)]
    rows[0]["actual_end"] = hh.date                        # some progress reported: the line is computed
    lines = _acceptance_lines(lp, county, rows)
    assert f"已开工{n}/{n}个" in lines[started.label], lines[started.label]
    assert f"须≥{n}个" in lines[started.label]
    assert f"已完工{rows[0]['households']}/{households}户" in lines[hh.label], lines[hh.label]
    assert f"须≥{need_hh}户" in lines[hh.label], lines[hh.label]
    rows[-1]["actual_start"] = started.date + DAY
    assert f"已开工{n - 1}/{n}个" in _acceptance_lines(lp, county, rows)[started.label]


def test_county_plan_required_count_is_rounded_up(policy2023):
    """The county plan template's 即完成改造不少于N户. Mutation: county_plan `math.ceil` -> `round`."""
    from generator.render.county_plan import county_facts
    hh = _milestone(policy2023, "completed", "households")
    checked = 0
    for county in policy2023.policy.counties_with_target:
        need = _need(hh.share, county.target.households)
        text = "".join(f["text"] for f in county_facts(policy2023, county))
        assert f"不少于{need}户" in text, (county.name, need, text)
        checked += round(hh.share * county.target.households) != need
    assert checked, "no county where rounding and rounding up differ: the test would not catch the mutation"


# -- consent: exactly the threshold is enough -------------------------------------------------------------------
def test_consent_exactly_at_threshold_is_not_short(policy2023):
    """validate V301. Mutation: `v < threshold - 1e-9` -> `v <= threshold`."""
    c = policy2023.policy.consent
    assert c.inclusive
    plan = valid_plan(policy2023, "禹州市")
    set_cell(plan.projects[0], C.CONSENT, c.threshold)
    set_cell(plan.projects[1], C.CONSENT, c.threshold - 0.0001)
    hits = codes(_validate(plan, policy2023), "V301")
    assert [f.row for f in hits] == [plan.projects[1].row]


def _checklist_text(lp, **overrides) -> str:
    import zipfile

    from lxml import etree

    from generator.render.forms_context import policy_context, project_context, sample_row
    from generator.render.forms_templates import TemplateSet
    pctx = policy_context(lp)
    p = project_context(sample_row(lp, **overrides), lp, pctx)
    data = TemplateSet().docx("checklist/checklist.docx").render({**pctx, "p": p, "projects": [p], "manifest": ""})
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    return "".join(t.text or "" for t in root.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))


def test_checklist_consent_exactly_at_threshold_is_not_printed_short(policy2023):
    """The checklist marks a consent below the threshold (today （未达到）/“低于要求”), never exactly the threshold:
    at the threshold it reads as at a comfortable 90 %, the value aside. Mutation: forms_context
    `consent >= threshold` -> `consent > threshold`."""
    from generator.policy.cnfmt import pct
    t = policy2023.policy.consent.threshold

    def shown(v):   # the form's text with the county's consent value blanked (its first mention after the label)
        text = _checklist_text(policy2023, **{C.CONSENT: v})
        i = text.index(C.CONSENT)
        assert pct(v) in text[i:], (pct(v), text[i:i + 80])
        return text[:i] + text[i:].replace(pct(v), "{consent}", 1)

    assert shown(t) == shown(0.9)
    assert shown(t - 0.01) != shown(0.9)


# -- deadlines: a submission dated exactly on its deadline is on time ---------------------------------------------
def test_plan_submitted_on_its_deadline_is_on_time(policy2023):
    """V602. Mutation: `cell.value > d.date` -> `>=`."""
    d = policy2023.policy.deadline("county_plan")
    plan = valid_plan(policy2023, "禹州市")
    plan.info[C.SUBMITTED] = type(plan.info[C.SUBMITTED])(d.date, d.date, C.SHEET_INFO, plan.info[C.SUBMITTED].row,
                                                           C.SUBMITTED, plan.info[C.SUBMITTED].col_index)
    assert not codes(_validate(plan, policy2023), "V602")
    plan.info[C.SUBMITTED] = type(plan.info[C.SUBMITTED])(d.date + DAY, d.date + DAY, C.SHEET_INFO,
                                                           plan.info[C.SUBMITTED].row, C.SUBMITTED,
                                                           plan.info[C.SUBMITTED].col_index)
    assert len(codes(_validate(plan, policy2023), "V602")) == 1


def test_liaison_report_on_its_deadline_is_on_time(policy2023):
    """V506. Mutation: `cell.value > d.date` -> `>=`."""
    p = policy2023.policy
    d = p.deadline(p.liaison_points.report_deadline)
    plan = valid_plan(policy2023, "禹州市")
    set_cell(plan.liaison[0], C.SUBMITTED, d.date)
    assert not codes(_validate(plan, policy2023, d.date), "V506")
    set_cell(plan.liaison[1], C.SUBMITTED, d.date + DAY)
    hits = codes(_validate(plan, policy2023, d.date + DAY), "V506")
    assert [f.row for f in hits] == [plan.liaison[1].row]


# -- funding: channels add up to the cost within 0.01 万元, not more ------------------------------------------------
def test_funding_tolerance_is_one_hundredth_of_a_wan(policy2023):
    """V202. Mutation: MONEY_TOLERANCE 0.01 -> 0.5 (or any widening past 0.01)."""
    from generator.validate.facts import contract_of
    channels = contract_of(policy2023).funding_columns
    plan = valid_plan(policy2023, "禹州市")
    cost = plan.projects[0].value(C.COST)
    set_cell(plan.projects[0], channels[0], plan.projects[0].value(channels[0]) + 0.01)   # within: rounding
    set_cell(plan.projects[1], channels[0], plan.projects[1].value(channels[0]) + 0.02)   # outside
    set_cell(plan.projects[2], channels[0], plan.projects[2].value(channels[0]) - 0.02)
    hits = codes(_validate(plan, policy2023), "V202")
    assert sorted(f.row for f in hits) == [plan.projects[1].row, plan.projects[2].row], \
        [(f.row, f.message) for f in hits]
    assert cost == plan.projects[1].value(C.COST)


# -- the reader: total rows are not projects; every spelling of 否 is 否 --------------------------------------------
def _csv_plan(tmp_path, lp, rows: list[dict]):
    from generator.ledger.reader import read_plan
    from generator.validate.facts import contract_of
    header = [c.name for c in contract_of(lp).columns(C.SHEET_PROJECTS)]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    for r in rows:
        w.writerow([r.get(h, "") for h in header])
    path = tmp_path / "plan.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    return read_plan(path, lp)


def _project(i: int, **extra) -> dict:
    return {C.PROJECT_ID: f"P{i:03d}", C.COMMUNITY: f"示例小区{i}", C.HOUSEHOLDS: "20", C.COST: "100",
            C.CONSENT: "90%", C.IS_LIAISON: "是", **extra}


@pytest.mark.parametrize("word", ["小计", "总计", "共计", "合计", "合　计"])
def test_total_rows_are_not_projects(word, tmp_path, policy2023):
    """Mutation: drop a word from reader._TOTAL_WORDS."""
    plan = _csv_plan(tmp_path, policy2023, [_project(1), _project(2),
                                            {C.PROJECT_ID: word, C.HOUSEHOLDS: "40", C.COST: "200"}])
    assert [r.value(C.PROJECT_ID) for r in plan.projects] == ["P001", "P002"]
    plan = _csv_plan(tmp_path, policy2023, [_project(1), {C.COMMUNITY: word, C.HOUSEHOLDS: "20", C.COST: "100"}])
    assert len(plan.projects) == 1


NO_SPELLINGS = ["否", "✗", "✘", "x", "X", "×", "无", "不是", "N", "no"]


@pytest.mark.parametrize("word", NO_SPELLINGS)
def test_every_spelling_of_no_is_read_as_no(word, tmp_path, policy2023):
    """是否联系点 and the start criteria read ✗ ✘ x 无 不是 as 否, and the checklist then shows the criterion
    as 不符合. Mutation: drop the word from ledger.values._NO."""
    from generator.ledger import values as V
    from generator.render.forms_context import NO, policy_context, project_context
    assert V.parse_yesno(word)[:2] == (False, None)
    assert V.parse_criterion(word)[:2] == (False, None)
    first = policy2023.policy.start_criteria.items[0]
    plan = _csv_plan(tmp_path, policy2023, [_project(1, **{C.IS_LIAISON: word, C.criterion_column(first): word})])
    row = plan.projects[0]
    assert row.get(C.IS_LIAISON).error is None and row.value(C.IS_LIAISON) is False
    p = project_context(row, policy2023, policy_context(policy2023))
    assert p["criteria"][0]["status"] == NO and p["unmet"] == [first.id]


# -- annotate: a warning is painted as a warning, not as an error --------------------------------------------------
def test_annotate_paints_warnings_apart_from_errors(tmp_path, policy2023):
    """Mutation: annotate.FILLS[WARNING] set to the error colour (or `worst` chosen by the wrong rank)."""
    import shutil

    from openpyxl import load_workbook

    from generator.findings import Finding
    from generator.ledger.reader import read_plan
    from generator.validate.annotate import annotate
    src = tmp_path / "plan.xlsx"
    shutil.copy(Path(__file__).resolve().parents[1] / "data" / "sample-禹州市.xlsx", src)
    plan = read_plan(src, policy2023)
    r1, r2 = plan.projects[0].row, plan.projects[1].row
    findings = [
        Finding("V901", Severity.ERROR, "错误", "error", sheet=C.SHEET_PROJECTS, row=r1, column=C.COMMUNITY),
        Finding("V902", Severity.WARNING, "警告", "warning", sheet=C.SHEET_PROJECTS, row=r2, column=C.COMMUNITY),
        Finding("V904", Severity.ERROR, "错误", "error", sheet=C.SHEET_PROJECTS, row=r1, column=C.HOUSEHOLDS),
        Finding("V903", Severity.WARNING, "警告", "warning", sheet=C.SHEET_PROJECTS, row=r1, column=C.HOUSEHOLDS),
    ]
    out = annotate(plan, findings, tmp_path / "marked.xlsx", lp=policy2023)
    ws = load_workbook(out)[C.SHEET_PROJECTS]
    col = {name: i for name, i in plan.headers[C.SHEET_PROJECTS].items()}

    def fill(r, name):
        return ws.cell(row=r, column=col[name]).fill.fgColor.rgb[-6:].upper()

    error, warning = fill(r1, C.COMMUNITY), fill(r2, C.COMMUNITY)
    assert error != warning and "000000" not in (error, warning)
    assert fill(r1, C.HOUSEHOLDS) == error              # a cell with both is painted as its worst: the error
    issues = load_workbook(out)["问题清单"]
    level = {issues.cell(row=i, column=2).value: issues.cell(row=i, column=1).fill.fgColor.rgb[-6:].upper()
             for i in range(2, issues.max_row + 1)}
    assert level["V901"] == level["V904"] == error and level["V902"] == level["V903"] == warning


# -- ranking: ties share a rank ----------------------------------------------------------------------------------
def test_tied_counties_share_a_rank(tmp_path, policy2023):
    """Two counties with the same weighted total share rank 2 and the next is 4 (1, 2, 2, 4, 5).
    Mutation: rank = position (`i + 1`) instead of 1 + the number of better totals."""
    import yaml
    from docx import Document

    from generator.cli import main
    names = [c.name for c in policy2023.policy.counties_with_target]
    rounds = [r.id for r in policy2023.policy.inspections.rounds]
    assert len(names) == 5 and len(rounds) == 2
    pairs = [(95, 95), (80, 90), (90, 80), (70, 70), (60, 60)]      # totals with equal weights: 95, 85, 85, 70, 60
    table = {rounds[0]: {n: a for n, (a, _) in zip(names, pairs)}, rounds[1]: {n: b for n, (_, b) in zip(names, pairs)}}
    scores = tmp_path / "scores.yaml"
    scores.write_text(yaml.safe_dump(table, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "o"
    res = CliRunner().invoke(main, ["render", "acceptance", "xuchang/2023", "--round", rounds[-1], "--all",
                                    "--scores", str(scores), "--weights", f"{rounds[0]}=0.5,{rounds[1]}=0.5",
                                    "-o", str(out)])
    assert res.exit_code == 0, res.output
    summary = next(p for p in out.glob("*.docx") if not any(n in p.name for n in names))
    ranks, col = {}, None
    for t in Document(summary).tables:          # the ranking may continue in a second table without a header
        header = [c.text.strip() for c in t.rows[0].cells]
        col = next((i for i, h in enumerate(header) if h in ("名次", "排名")), col)
        if col is None:
            continue
        for row in t.rows:
            cells = [c.text.strip() for c in row.cells]
            name = next((n for n in names if n in cells), None)
            if name:
                ranks[name] = cells[col]
    assert ranks == {names[0]: "1", names[1]: "2", names[2]: "2", names[3]: "4", names[4]: "5"}, ranks


def test_acceptance_form_reports_the_sample_workbooks_own_counts(policy2023):
    """The year-end city form of the 禹州市 sample states, per milestone, the count the workbook gives (computed
    here from the workbook's cells, not from the form's code): "达到" somewhere in the text proves nothing."""
    from generator.ledger.reader import read_plan
    from generator.render.acceptance import group_projects
    from generator.validate.facts import actual_column
    lp = policy2023
    county = lp.policy.county("禹州市")
    plan = read_plan(Path(__file__).resolve().parents[1] / "data" / "sample-禹州市.xlsx", lp)
    lines = _acceptance_lines(lp, county, group_projects(lp, [plan])[county.name].rows)
    for m in lp.policy.milestones:
        done = [r for r in plan.projects if isinstance(d := r.value(actual_column(m.measure)), dt.date) and d <= m.date]
        if m.basis == "projects":
            num, den, unit = len(done), county.target.projects, "个"
        else:
            num, den, unit = sum(r.value(C.HOUSEHOLDS) for r in done), county.target.households, "户"
        assert 0 < num < den                           # the sample is part-way: a wrong count cannot hide
        assert f"{num}/{den}{unit}" in lines[m.label], (m.label, num, den, lines[m.label])


def test_acceptance_form_marks_the_liaison_points_the_workbook_names(policy2023):
    """是否联系点 read as 是 (√, 是, Y ...) puts 联系点 in the form's 备注; 否 in any spelling does not."""
    from generator.ledger.reader import read_plan
    from generator.render.acceptance import group_projects, table_rows
    county = policy2023.policy.county("禹州市")
    plan = read_plan(Path(__file__).resolve().parents[1] / "data" / "sample-禹州市.xlsx", policy2023)
    liaison = [r.value(C.PROJECT_ID) for r in plan.projects if r.value(C.IS_LIAISON) is True]
    assert 0 < len(liaison) < len(plan.projects)
    rows = table_rows(group_projects(policy2023, [plan])[county.name], county)
    assert sorted(r["id"] for r in rows if "联系点" in str(r.get("remark", ""))) == sorted(liaison)
