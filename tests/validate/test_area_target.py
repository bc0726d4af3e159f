"""建筑面积 when the policy states an area target (issue 23.6): the workbook asks for it in the policy's unit and
V106 compares each county's sum with its published area within the published precision. 牡丹江 2022 (real):
东安区 “约20.88万平方米” — two decimals of 万㎡, so 50㎡ either way is the same published figure."""
from __future__ import annotations

import pytest

from generator.ledger import contract as C
from generator.ledger.district_sample import district_plan
from generator.render.samples import write_district_sample
from generator.ledger.model import Cell
from generator.ledger.values import parse_area
from generator.policy import load_policy
from generator.validate import validate_files, validate_plan


@pytest.fixture(scope="module")
def mudanjiang():
    return load_policy("mudanjiang/2022")


def test_the_column_follows_the_policys_unit(mudanjiang, policy2023, tmp_path):
    assert C.area_column(mudanjiang.policy) == "建筑面积（万㎡）"
    assert "建筑面积（万㎡）" in [c.name for c in C.build_contract(mudanjiang.policy).projects]
    assert C.area_column(policy2023.policy) is None                      # 许昌 2023 states no area: no column
    assert not [c for c in C.build_contract(policy2023.policy).projects if c.name.startswith("建筑面积")]


def _with_first_area(lp, county: str, add: float):
    plan = district_plan(lp, county, plant=False)
    col = C.area_column(lp.policy)
    row = plan.projects[0]
    v = round(row.value(col) + add, 4)
    row.cells[col] = Cell(v, v)
    return plan


def _v106(plan, lp):
    return [f for f in validate_plan(plan, lp) if f.code == "V106"]


@pytest.mark.parametrize("add, delta", [(0, None), (0.005, None), (-0.005, None), (0.0051, 51), (-0.0051, -51),
                                        (0.01, 100)])
def test_the_area_sum_is_checked_within_the_published_precision(mudanjiang, add, delta):
    found = _v106(_with_first_area(mudanjiang, "东安区", add), mudanjiang)
    if delta is None:
        assert found == []
    else:
        (f,) = found
        assert f.extra["delta"] == delta
        assert "目标任务为20.88万㎡" in f.message and ("多" if delta > 0 else "少") in f.message
        assert f.clause == "目标任务"


def test_a_written_workbook_holds_the_column_and_reads_back(mudanjiang, tmp_path):
    path = write_district_sample(mudanjiang, "西安区", tmp_path, plant=False)
    result = validate_files([path], mudanjiang)
    codes = {f.code for fs in result.by_file.values() for f in fs}
    assert result.plans[0].projects[0].value("建筑面积（万㎡）") is not None
    assert "V106" not in codes and "V002" not in codes, codes


def test_area_cells_are_read_as_typed():
    assert parse_area("20.88万㎡")[0] == 20.88 and parse_area("1234.5")[0] == 1234.5 and parse_area(3)[0] == 3
    assert parse_area("-1")[1] and parse_area("约二十")[1]
    assert parse_area("")[0] is None


def test_the_county_template_totals_the_area(mudanjiang, tmp_path):
    import openpyxl

    from generator.render.county_plan import render_county_plans
    paths = render_county_plans(mudanjiang, [mudanjiang.policy.county("东安区")], tmp_path)
    (book,) = [p for p in paths if p.suffix == ".xlsx"]
    ws = openpyxl.load_workbook(book)[C.SHEET_PROJECTS]
    headers = [c.value for c in ws[2]]
    col = headers.index("建筑面积（万㎡）")
    total = next(r for r in ws.iter_rows(values_only=True) if r[0] == "合计")
    assert str(total[col]).startswith("=SUM(")
