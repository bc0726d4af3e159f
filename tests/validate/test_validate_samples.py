"""The sample workbooks of data/: each valid county plan gives no finding; each mistake workbook
gives exactly its planted mistakes (data/mistakes/*.planted.yaml), each at its cell with its clause."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.validate import validate_files

DATA = Path(__file__).resolve().parents[2] / "data"
SAMPLES = sorted(DATA.glob("sample-*.xlsx"))
MISTAKES = sorted(DATA.glob("mistakes/*.planted.yaml"))

# the rule each kind of planted mistake must be reported by (kinds not listed: location only)
KIND_CODES = {
    "duplicate_project_id": "V701", "duplicate_community": "V702", "consent_below_threshold": "V301",
    "missing_required_field": "V201", "funding_mismatch": "V202", "households_off_target": "V103",
    "projects_off_target": "V102", "start_after_milestone": "V401", "completion_after_milestone": "V402",
    "unreadable_date": "V001", "unreadable_number": "V001", "unreadable_value": "V001",
    "liaison_not_in_projects": "V502", "liaison_not_marked": "V503", "late_submission": "V602",
    "county_not_named": "V101", "liaison_content_missing": "V505", "plan_content_missing": "V601",
}


def test_there_are_samples_for_every_county(policy2023):
    assert {p.stem.removeprefix("sample-") for p in SAMPLES} >= {c.name for c in policy2023.policy.counties}
    assert MISTAKES


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_sample_county_plan_has_no_findings(policy2023, path):
    result = validate_files([path], policy2023)
    assert result.report.findings == []
    assert result.report.exit_code(strict=True) == 0


@pytest.mark.parametrize("planted", MISTAKES, ids=lambda p: p.stem)
def test_mistake_workbook_reports_exactly_its_planted_mistakes(policy2023, planted):
    spec = yaml.safe_load(planted.read_text(encoding="utf-8"))
    result = validate_files([planted.parent / spec["file"]], policy2023)
    found = {(f.sheet, f.row, f.column): f for f in result.report.findings}
    wanted = {(m["sheet"], m["row"], m["column"]): m for m in spec["mistakes"]}
    assert set(found) == set(wanted), [(f.code, f.sheet, f.row, f.column, f.message) for f in found.values()]
    assert len(result.report.findings) == len(wanted)
    for where, m in wanted.items():
        f = found[where]
        assert f.project == m.get("project"), where
        assert any(f.clause == c.display for c in policy2023.text.clauses), f.clause
        assert f.county == spec["county"]
        if m["kind"] in KIND_CODES:
            assert f.code == KIND_CODES[m["kind"]], (m["kind"], f.code, f.message)


def test_messy_but_valid_workbook_has_no_findings(policy2023, tmp_path):
    """The usual mess of a hand-typed workbook changes nothing: full-width digits, 95.8 / "95.8%",
    text and serial dates, stray spaces and half-width brackets in headers, an extra column, a blank
    row between projects and a trailing 合计 row."""
    import datetime as dt

    from openpyxl import load_workbook

    from generator.ledger import contract as C

    path = tmp_path / "messy.xlsx"
    wb = load_workbook(DATA / "sample-禹州市.xlsx")
    ws = wb[C.SHEET_PROJECTS]
    header = next(r for r in range(1, 20) if any(C.normalize_header(c.value) == C.PROJECT_ID for c in ws[r] if c.value))
    by_header = {C.normalize_header(c.value): c.column for c in ws[header] if c.value}
    col = {name: by_header[C.normalize_header(name)] for name in
           (C.PROJECT_ID, C.HOUSEHOLDS, C.PLANNED_START, C.CONSENT, C.COST)}
    first, last = header + 1, max(r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, col[C.PROJECT_ID]).value)
    full = str.maketrans("0123456789", "０１２３４５６７８９")
    hh = ws.cell(first, col[C.HOUSEHOLDS])
    hh.value = f" {str(int(hh.value)).translate(full)} "
    for i, r in enumerate(range(first, last + 1)):
        start = ws.cell(r, col[C.PLANNED_START])
        d = start.value.date() if isinstance(start.value, dt.datetime) else start.value
        start.value = [f"{d.year}年{d.month}月{d.day}日", f"{d.year}.{d.month}.{d.day}", (d - dt.date(1899, 12, 30)).days,
                       d.isoformat()][i % 4]
        consent = ws.cell(r, col[C.CONSENT])
        consent.value = [f"{consent.value * 100:g}%", round(consent.value * 100, 4)][i % 2]
    ws.cell(header, col[C.HOUSEHOLDS]).value = "  户 数 "
    ws.cell(header, col[C.COST]).value = "资金概算(万元)"
    ws.cell(header, ws.max_column + 1).value = "县里自己加的列"
    for c in range(1, ws.max_column + 1):                  # a blank row before the last project
        ws.cell(last + 1, c).value = ws.cell(last, c).value
        ws.cell(last, c).value = None
    ws.cell(last + 2, col[C.PROJECT_ID]).value = "合计"
    ws.cell(last + 2, col[C.HOUSEHOLDS]).value = policy2023.policy.county("禹州市").target.households
    wb.save(path)
    result = validate_files([path], policy2023)
    assert result.report.findings == []
    assert len(result.plans[0].projects) == policy2023.policy.county("禹州市").target.projects


LEDGER_FIXTURES = sorted(p for p in (DATA.parent / "tests" / "fixtures" / "ledger").glob("*")
                         if p.suffix in (".xlsx", ".yaml", ".json") and not p.name.endswith(".rows.yaml"))


@pytest.mark.parametrize("path", LEDGER_FIXTURES, ids=lambda p: p.name)
def test_the_readers_messy_fixtures_validate_clean(policy2023, path):
    """The ledger's fixtures are the 禹州市 sample as counties send it (title rows, merged cells, shuffled and
    extra columns, 85% / 0.85 / 85, text and serial dates, √/×, a 合计 row ...) and as YAML/JSON: no finding."""
    assert validate_files([path], policy2023).report.findings == []
