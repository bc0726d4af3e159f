"""City-wide: one workbook holding several counties (县（市、区） column), and several files at once."""
from __future__ import annotations

from pathlib import Path

import pytest

from validate_builders import set_cell
from generator.ledger import contract as C
from generator.ledger.reader import read_plan
from generator.validate import validate_plans

FIX = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "validate"


@pytest.fixture
def city(policy2023):
    return read_plan(FIX / "city-two-counties.yaml", policy2023)


def test_each_county_of_one_file_is_checked_against_its_own_targets(city, policy2023):
    result = validate_plans([city], policy2023)
    assert {f.code for f in result.report.findings} == {"V804"}          # only: three counties not in the file
    lines = {c.county: c for c in result.city.counties}
    assert (lines["禹州市"].projects, lines["禹州市"].households, lines["禹州市"].liaison_points) == (8, 181, 3)
    assert (lines["襄城县"].projects, lines["襄城县"].households, lines["襄城县"].liaison_points) == (10, 387, 3)
    assert result.city.citywide and result.city.missing == ["长葛市", "魏都区", "建安区"]
    assert (result.city.total.projects, result.city.total.projects_target) == (18, 265)


def test_a_finding_names_the_county_of_its_row(city, policy2023):
    row = next(r for r in city.projects if r.value(C.COUNTY) == "襄城县")
    set_cell(row, C.HOUSEHOLDS, row.value(C.HOUSEHOLDS) + 5)
    result = validate_plans([city], policy2023)
    [f] = [f for f in result.report.findings if f.severity.value == "error"]
    assert (f.code, f.county, f.extra["delta"]) == ("V103", "襄城县", 5)
    assert {c.county: c.errors for c in result.city.counties} == {"禹州市": 0, "襄城县": 1}


def test_unknown_county_in_a_row(city, policy2023):
    row = city.projects[0]
    set_cell(row, C.COUNTY, "许昌县")
    codes = [(f.code, f.row, f.column) for f in validate_plans([city], policy2023).report.findings
             if f.severity.value == "error"]
    assert ("V101", row.row, C.COUNTY) in codes


def test_project_numbers_only_need_to_be_unique_within_a_county(city, policy2023):
    a = next(r for r in city.projects if r.value(C.COUNTY) == "禹州市" and not r.value(C.IS_LIAISON))
    b = next(r for r in city.projects if r.value(C.COUNTY) == "襄城县" and not r.value(C.IS_LIAISON))
    set_cell(b, C.PROJECT_ID, a.value(C.PROJECT_ID))
    assert not [f for f in validate_plans([city], policy2023).report.findings if f.code == "V701"]


def test_one_county_given_twice(policy2023):
    sample = FIX.parents[2] / "data" / "sample-禹州市.xlsx"
    plans = [read_plan(sample, policy2023), read_plan(FIX / "city-two-counties.yaml", policy2023)]
    result = validate_plans(plans, policy2023)
    [f] = [f for f in result.report.findings if f.code == "V802"]
    assert f.county == "禹州市" and f.file.endswith("city-two-counties.yaml") and "重复报送" in f.message
    # the same communities now appear for 禹州市 twice, but within one county: no V801
    assert not [f for f in result.report.findings if f.code == "V801"]


def test_a_liaison_point_goes_to_the_first_county_listing_its_project(city, policy2023):
    """A 联系点 row without a 县（市、区） cell belongs to the county of its project; when two counties list that
    number, to the county that comes first in the workbook, even if the other lists it on an earlier row."""
    from generator.validate.engine import split_by_county
    rows = city.projects
    set_cell(rows[-1], C.COUNTY, "禹州市")                 # 禹州市 now also has the last row
    set_cell(rows[8], C.PROJECT_ID, "TWICE")              # 襄城县's first row ...
    set_cell(rows[-1], C.PROJECT_ID, "TWICE")             # ... and 禹州市's last one
    set_cell(city.liaison[-1], C.PROJECT_ID, "TWICE")     # a 襄城县 point until now
    parts = {part.county: part for part in split_by_county(city, policy2023)}
    assert "TWICE" in [r.value(C.PROJECT_ID) for r in parts["禹州市"].liaison]
    assert "TWICE" not in [r.value(C.PROJECT_ID) for r in parts["襄城县"].liaison]
