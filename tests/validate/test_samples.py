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
