"""Random garbage in the cells never crashes the validator, and every unreadable value is reported at
its cell (hypothesis). Two ways in: values as the reader would parse them into a Plan, and raw
values written into a real workbook and read back."""
from __future__ import annotations

import datetime as dt
import json
import math
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from validate_builders import valid_plan
from generator.findings import Finding
from generator.ledger import contract as C
from generator.ledger import values as V
from generator.ledger.model import Cell
from generator.validate import validate_files
from generator.validate.engine import validate_plan
from generator.validate.facts import contract_of

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample-禹州市.xlsx"

garbage = st.one_of(
    st.none(), st.text(max_size=12), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)), st.booleans(),
    st.sampled_from(["😀🏠", "８５％", "2023年13月40日", "２０２３．６．３０", "—", "#N/A", "合计", "  ", "是", "0374-",
                     "85%以上", "1e309", "-0", "2023/2/29", "NaN", "None"]),
)


def _report_ok(findings):
    assert isinstance(findings, list) and all(isinstance(f, Finding) for f in findings)
    json.dumps([f.to_dict() for f in findings], ensure_ascii=False)         # always serialisable
    for f in findings:
        assert f.code and f.message and f.message_en


@pytest.mark.slow
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_parsed_garbage_in_a_plan(policy2023, data):
    """As the reader does: each raw value parsed by its column's kind; unreadable -> V001 there."""
    plan = valid_plan(policy2023, "禹州市")
    contract = contract_of(policy2023)
    kinds = {s: {c.name: c.kind for c in contract.columns(s)} for s in C.SHEETS}
    changed = []
    for _ in range(data.draw(st.integers(1, 8))):
        sheet, rows = data.draw(st.sampled_from([(C.SHEET_PROJECTS, plan.projects), (C.SHEET_LIAISON, plan.liaison)]))
        row = data.draw(st.sampled_from(rows))
        column = data.draw(st.sampled_from(sorted(kinds[sheet])))
        raw = data.draw(garbage)
        value, err, err_en = V.parse(kinds[sheet][column], raw)
        row.cells[column] = Cell(raw, value, sheet, row.row, column, None, err, err_en)
        changed.append((sheet, row.row, column, err))
    findings = validate_plan(plan, policy2023)
    _report_ok(findings)
    at = {(f.sheet, f.row, f.column) for f in findings if f.code == "V001"}
    last = {}
    for sheet, r, column, err in changed:
        last[(sheet, r, column)] = err
    for where, err in last.items():
        assert (where in at) == bool(err), where


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_any_value_of_any_type_in_any_cell(policy2023, data):
    """Rules never trust a value's type: even values a reader would never produce do not crash them."""
    plan = valid_plan(policy2023, "禹州市")
    for _ in range(data.draw(st.integers(1, 10))):
        target = data.draw(st.sampled_from(["info", "project", "liaison"]))
        if target == "info":
            key = data.draw(st.sampled_from(sorted(plan.info)))
            v = data.draw(garbage)
            plan.info[key] = Cell(v, v, C.SHEET_INFO, 2, key)
            continue
        rows = plan.projects if target == "project" else plan.liaison
        row = data.draw(st.sampled_from(rows))
        column = data.draw(st.sampled_from(sorted(row.cells) + [C.COUNTY]))
        v = data.draw(garbage)
        row.cells[column] = Cell(v, v, row.sheet, row.row, column, None, data.draw(st.sampled_from([None, "坏值"])))
    _report_ok(validate_plan(plan, policy2023))


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.tuples(st.integers(0, 7), st.integers(1, 30), garbage), min_size=1, max_size=6))
def test_garbage_written_into_a_workbook(policy2023, tmp_path, values):
    path = tmp_path / "garbage.xlsx"
    shutil.copy(SAMPLE, path)
    wb = load_workbook(path)
    ws = wb[C.SHEET_PROJECTS]
    header = next(r for r in range(1, 20) if any(c.value and C.PROJECT_ID in str(c.value) for c in ws[r]))
    for i, col, v in values:
        if isinstance(v, float) and math.isnan(v):
            v = "NaN"                           # openpyxl cannot store NaN/inf in a cell
        elif isinstance(v, float) and v in (float("inf"), float("-inf")):
            v = str(v)
        elif isinstance(v, int) and abs(v) > 2**53:
            v = str(v)
        elif isinstance(v, str):
            v = ILLEGAL_CHARACTERS_RE.sub("", v)  # control characters cannot be stored in xlsx at all
        ws.cell(row=header + 1 + i, column=col, value=v)
    # and one value that is garbage for sure, in a row kept recognisable as a project (not blank, not 合计)
    by_header = {C.normalize_header(c.value): c.column for c in ws[header] if c.value}
    original = load_workbook(SAMPLE)[C.SHEET_PROJECTS]
    for name in (C.PROJECT_ID, C.COMMUNITY):
        ws.cell(row=header + 1, column=by_header[name], value=original.cell(header + 1, by_header[name]).value)
    ws.cell(row=header + 1, column=by_header[C.HOUSEHOLDS], value="🏠二十户")
    wb.save(path)
    findings = validate_files([path], policy2023).report.findings
    _report_ok(findings)
    assert any((f.code, f.row, f.column) == ("V001", header + 1, C.HOUSEHOLDS) for f in findings)


def test_impossible_date_serial_is_reported_at_its_cell(policy2023, tmp_path):
    """Found by the test above: -1e20 in a date-formatted cell made python-calamine panic (a
    BaseException, so a traceback); the reader now falls back to openpyxl for that sheet."""
    path = tmp_path / "serial.xlsx"
    wb = load_workbook(SAMPLE)
    ws = wb[C.SHEET_PROJECTS]
    header = next(r for r in range(1, 20) if any(c.value and C.PROJECT_ID in str(c.value) for c in ws[r]))
    col = next(c.column for c in ws[header] if c.value and C.PLANNED_START in str(c.value))
    ws.cell(row=header + 2, column=col, value=-1e20).number_format = "yyyy-mm-dd"
    wb.save(path)
    [f] = validate_files([path], policy2023).report.findings
    assert (f.code, f.row, f.column) == ("V001", header + 2, C.PLANNED_START)


@pytest.mark.slow
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_progress_on_garbage(policy2023, data):
    """Progress reads actual dates and criteria of any shape without crashing; unreadable ones count as not yet."""
    from generator.validate.progress import progress
    plan = valid_plan(policy2023, "禹州市")
    columns = [C.ACTUAL_START, C.ACTUAL_END, C.HOUSEHOLDS, *contract_of(policy2023).criterion_columns.values()]
    for _ in range(data.draw(st.integers(1, 12))):
        row = data.draw(st.sampled_from(plan.projects))
        column = data.draw(st.sampled_from(columns))
        v = data.draw(st.one_of(garbage, st.datetimes()))
        row.cells[column] = Cell(v, v, row.sheet, row.row, column)
    result = progress([plan], policy2023, data.draw(st.dates(dt.date(2022, 1, 1), dt.date(2024, 12, 31))))
    json.dumps(result.to_dict(), ensure_ascii=False)
    [c] = result.counties
    assert 0 <= c.started <= c.projects and 0 <= c.households_completed
