"""Right verdicts on hostile workbooks (issue 9, item 4): what is read, not only the exit code."""
from __future__ import annotations

import shutil

import pytest

from generator.ledger import contract as C
from generator.ledger.reader import read_plan


@pytest.mark.parametrize("typed", ["魏都", "魏都区 ", "\u3000魏都区", "魏都區", "ＷＥＩ"])
def test_county_variants_resolve_by_one_rule_or_stay_for_v101(typed, policy2023):
    names = [c.name for c in policy2023.policy.counties]
    got = C.resolve_county(typed, names)
    if typed == "ＷＥＩ":
        assert got is None
    else:
        assert got == "魏都区"


def test_a_bare_name_shared_by_two_counties_is_not_guessed():
    assert C.resolve_county("新", ["新县", "新区"]) is None
    assert C.resolve_county("新县", ["新县", "新区"]) == "新县"


def test_acceptance_plan_with_bare_county_name_keeps_its_projects(hostile_dir, policy2023):
    """render acceptance --plan used to drop every project of a plan whose county is written 魏都."""
    from generator.render.acceptance import group_projects
    plan = read_plan(hostile_dir / "county-bare.xlsx", policy2023)
    assert plan.county == "魏都区"
    assert [f.code for f in plan.read_findings] == ["L003"]
    groups = group_projects(policy2023, [plan])
    assert len(groups["魏都区"].rows) == len(plan.projects) > 0


def test_hidden_stale_sheet_is_skipped_and_named(hostile_dir, policy2023):
    plan = read_plan(hostile_dir / "hidden-stale-sheet.xlsx", policy2023)
    assert plan.sheet_names[C.SHEET_PROJECTS] == "项目清单 "
    assert {p.get(C.CONSENT).value for p in plan.projects[:1]} == {0.5}      # the visible sheet's data
    skipped = [f for f in plan.read_findings if f.code == "L002"]
    assert len(skipped) == 1 and skipped[0].sheet == "项目清单"


def test_error_cell_and_formula_are_reported_as_such_not_as_blank(hostile_dir, policy2023):
    for name, raw in (("ref-error.xlsx", "#REF!"), ("formula-no-value.xlsx", "=C3*20")):
        cell = read_plan(hostile_dir / name, policy2023).projects[0].get(C.HOUSEHOLDS)
        assert cell.raw == raw and cell.value is None and not cell.blank
        assert raw in cell.error


def test_same_county_twice_is_v802_with_one_county(hostile_dir, policy2023, tmp_path):
    from generator.validate import validate_files
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    shutil.copy(hostile_dir / "county-bare.xlsx", a)
    shutil.copy(hostile_dir / "county-traditional.xlsx", b)      # the same county, spelt otherwise
    codes = [f.code for f in validate_files([a, b], policy2023).report.findings]
    assert codes.count("V802") == 1
