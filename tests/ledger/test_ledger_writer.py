"""The county workbook template: policy values in 填表说明, validations, frozen header, stable bytes."""
import json

import pytest
import yaml
from openpyxl import load_workbook

from generator.errors import InputError
from generator.ledger import contract as C
from generator.ledger.contract import build_contract
from generator.ledger.reader import read_plan
from generator.render.samples import write_plan_workbook
from generator.policy import cnfmt, load_policy

COUNTY = "魏都区"


@pytest.fixture(scope="module")
def template(policy2023, tmp_path_factory):
    return write_plan_workbook(policy2023, COUNTY, tmp_path_factory.mktemp("wb") / "t.xlsx")


def _validations(ws):
    """header text -> list of DataValidation covering that column under the header."""
    header = {c.column_letter: c.value for c in ws[2] if c.value}
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            letter = "".join(ch for ch in rng.split(":")[0] if ch.isalpha())
            out.setdefault(header.get(letter, rng), []).append(dv)
    return out


@pytest.mark.slow
def test_sheets_title_and_header(template, policy2023):
    wb = load_workbook(template)
    assert wb.sheetnames == [C.SHEET_INFO, C.SHEET_PROJECTS, C.SHEET_LIAISON, C.SHEET_GUIDE]
    ws = wb[C.SHEET_PROJECTS]
    assert COUNTY in ws["A1"].value and policy2023.policy.title in ws["A1"].value
    # printable as written (issue 8.4): a title merged over three pages' columns would be drawn off the paper
    assert not any(r.min_row == 1 for r in ws.merged_cells.ranges) and ws["A1"].alignment.horizontal == "left"
    assert (str(ws.page_setup.paperSize), ws.page_setup.orientation) == (str(ws.PAPERSIZE_A4), "landscape")
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows.replace("$", "") == "1:2" and ws.print_title_cols.replace("$", "") == "A:B"
    for name in (C.SHEET_INFO, C.SHEET_LIAISON, C.SHEET_GUIDE):
        assert wb[name].sheet_properties.pageSetUpPr.fitToPage and wb[name].page_setup.fitToWidth == 1, name
    con = build_contract(policy2023.policy)
    header = [c.value for c in ws[2] if c.value]
    assert header[:len(con.required(C.SHEET_PROJECTS))] == [c.name for c in con.required(C.SHEET_PROJECTS)]
    for crit in policy2023.policy.start_criteria.items:
        assert C.criterion_column(crit) in header
    assert C.COUNTY not in header                         # a county's own workbook: the county is in 基本信息
    assert ws.freeze_panes == "C3"
    assert ws.column_dimensions["B"].width >= 10
    info = wb[C.SHEET_INFO]
    rows = {info.cell(r, 1).value: info.cell(r, 2).value for r in range(3, info.max_row + 1)}
    assert rows[C.COUNTY] == COUNTY
    assert list(rows)[:len(con.info)] == [c.name for c in con.info]
    # the template reads back: right sheets and headers, no projects yet
    plan = read_plan(template, policy2023)
    assert plan.county == COUNTY and plan.projects == [] and plan.liaison == []


def test_data_validation(template, policy2023):
    ws = load_workbook(template)[C.SHEET_PROJECTS]
    v = _validations(ws)
    assert v[C.IS_LIAISON][0].type == "list" and v[C.IS_LIAISON][0].formula1 == '"是,否"'
    for name in (C.PLANNED_START, C.PLANNED_END, C.ACTUAL_START, C.ACTUAL_END):
        assert v[name][0].type == "date", name
    for name in (C.BUILDINGS, C.HOUSEHOLDS):
        assert (v[name][0].type, v[name][0].operator, v[name][0].formula1) == ("whole", "greaterThanOrEqual", "1")
    for name in [C.COST] + build_contract(policy2023.policy).funding_columns:
        assert (v[name][0].type, v[name][0].operator, v[name][0].formula1) == ("decimal", "greaterThanOrEqual", "0")
    consent = v[C.CONSENT][0]
    assert (consent.type, consent.formula1, consent.formula2) == ("decimal", "0", "1")
    crit = C.criterion_column(policy2023.policy.start_criteria.items[0])
    assert v[crit][0].type == "list" and not v[crit][0].showErrorMessage      # 是/否 or a date
    # validations reach below the county's target number of rows
    target = policy2023.policy.county(COUNTY).target.projects
    last = int(str(v[C.HOUSEHOLDS][0].sqref).split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    assert last >= 2 + target
    lws = load_workbook(template)[C.SHEET_LIAISON]
    assert _validations(lws)[C.SUBMITTED][0].type == "date"


def test_guide_is_written_from_the_policy(template, policy2023):
    p = policy2023.policy
    ws = load_workbook(template)[C.SHEET_GUIDE]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    county = p.county(COUNTY)
    assert f"{county.target.projects}个" in text and f"{county.target.households}户" in text
    assert f"{county.liaison_quota.value}个联系点" in text
    assert cnfmt.pct(p.consent.threshold) in text and "含本数" in text
    for m in p.milestones:
        assert cnfmt.printed_date(m.date, m.precision) in text
        assert policy2023.text.display(m.clause) in text
    dl = p.deadline("county_plan")
    assert cnfmt.printed_date(dl.date, dl.precision) in text
    rd = p.deadline(p.liaison_points.report_deadline)
    assert cnfmt.printed_date(rd.date, rd.precision) in text
    for ch in p.funding.channels:
        assert ch.name in text
    for item in p.start_criteria.items:
        assert C.criterion_column(item) in text
    assert policy2023.text.display(p.consent.clause) in text
    assert p.document.doc_number.value in text
    for col in build_contract(p).projects:                 # every column explained
        assert col.name in text


def test_properties_carry_the_manifest(template, policy2023):
    props = load_workbook(template).properties
    m = json.loads(props.description)
    assert m["policy_id"] == policy2023.policy.id and m["policy_hash"] == policy2023.content_hash
    assert m["county"] == COUNTY
    assert props.created.date() == policy2023.policy.document.issue_date.value
    assert props.modified.date() == policy2023.policy.document.issue_date.value


def test_rerender_is_byte_identical(template, policy2023, tmp_path):
    again = write_plan_workbook(policy2023, COUNTY, tmp_path / "again.xlsx")
    assert again.read_bytes() == template.read_bytes()


def test_plan_round_trip(policy2023, tmp_path):
    from generator.ledger.samples import sample_plan
    plan = sample_plan(policy2023, "襄城县")
    out = write_plan_workbook(policy2023, "襄城县", tmp_path / "x.xlsx", plan)
    back = read_plan(out, policy2023)
    for a, b in zip(plan.projects, back.projects):
        for name, cell in a.cells.items():
            if cell.value is not None:
                assert b.value(name) == cell.value, (b.row, name)


@pytest.mark.slow
def test_draft_policy_prints_its_label(policy_copy, tmp_path):
    f = policy_copy / "policy.yaml"
    data = yaml.safe_load(f.read_text(encoding="utf-8"))
    data["status"], data["label"] = "draft", "示例草案"
    f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    lp = load_policy(policy_copy)
    wb = load_workbook(write_plan_workbook(lp, COUNTY, tmp_path / "d.xlsx"))
    assert "示例草案" in wb[C.SHEET_PROJECTS]["A1"].value
    assert "示例草案" in wb[C.SHEET_INFO]["A1"].value
    assert "示例草案" in wb[C.SHEET_GUIDE]["A1"].value


def test_unknown_county(policy2023, tmp_path):
    with pytest.raises(InputError) as exc:
        write_plan_workbook(policy2023, "不存在县", tmp_path / "x.xlsx")
    assert "不存在县" in str(exc.value)
    assert not (tmp_path / "x.xlsx").exists()
