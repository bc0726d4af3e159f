"""Issue 11, item 5: one real parameter — the eligibility cut-off "2000年底前建成" with the 2001–2005 band (国办发〔2020〕
23号; 驻马店 2021, 洛阳 2022) — added to the 2024 示例草案 reaches the notice text, the checklist and the validator
through its schema field, its clause text and those consumers only: no name list had to learn it (the clause
context and the diff's words are read from the schema), no issued hash moved, no sample workbook went stale."""
import datetime as dt
from pathlib import Path

import pytest

from generator.ledger import contract as C
from generator.ledger.model import Cell
from generator.ledger.samples import sample_plan
from generator.render.samples import write_samples
from generator.policy import load_policy
from generator.policy.loader import load_issued_lock
from generator.render.forms_context import policy_context, project_context
from generator.validate import validate_plan

ROOT = Path(__file__).resolve().parents[2]
DRAFT = "xuchang/2024-draft"


@pytest.fixture(scope="module")
def draft():
    return load_policy(DRAFT)


def test_the_notice_states_the_scope(draft):
    text = draft.text.get("三（二）").text
    assert text.startswith("改造范围为2000年底前建成的老旧小区，2001年至2005年建成的住宅小区可适当纳入。")
    e = draft.policy.eligibility
    assert (e.built_by, e.band_to, e.clause) == (2000, 2005, "三（二）") and "国办发〔2020〕23号" in e.note


def _row_with_year(lp, year):
    plan = sample_plan(lp, "禹州市")
    row = plan.projects[0]
    row.cells[C.BUILT_YEAR] = Cell(year, year, C.SHEET_PROJECTS, row.row, C.BUILT_YEAR)
    return plan, row


@pytest.mark.parametrize("year, codes", [(2000, []), (2001, ["V204"]), (2005, ["V204"]), (2006, ["V203"])])
def test_the_validator_checks_the_year_built_at_the_boundaries(draft, year, codes):
    plan, _ = _row_with_year(draft, year)
    found = [f for f in validate_plan(plan, draft) if f.code in ("V203", "V204")]
    assert [f.code for f in found] == codes
    assert all(f.column == C.BUILT_YEAR and f.clause == "三（二）拟定小区改造方案" for f in found)


def test_the_year_built_is_a_required_column_only_where_the_policy_has_the_rule(draft):
    assert C.build_contract(draft).column(C.SHEET_PROJECTS, C.BUILT_YEAR).required
    assert "改造范围：2000年底前建成，2001年至2005年建成的可适当纳入" in \
        C.build_contract(draft).column(C.SHEET_PROJECTS, C.BUILT_YEAR).meaning
    old = load_policy("xuchang/2023")
    assert not C.build_contract(old).column(C.SHEET_PROJECTS, C.BUILT_YEAR).required
    plan, _ = _row_with_year(old, 2010)            # 2023 has no such rule: nothing to check
    assert not [f for f in validate_plan(plan, old) if f.code in ("V203", "V204")]


def test_the_checklist_shows_the_scope_and_what_the_county_reported(draft):
    _, row = _row_with_year(draft, 2003)
    p = project_context(row, draft, policy_context(draft), as_of=dt.date(2024, 4, 1))
    (e,) = p["eligibility"]
    assert e["built_year"] == "2003" and "须说明纳入理由" in e["verdict"] and e["clause"] == "三（二）拟定小区改造方案"
    old = load_policy("xuchang/2023")
    _, row = _row_with_year(old, 2003)
    assert project_context(row, old, policy_context(old))["eligibility"] == []


def test_the_diff_names_the_new_parameter_in_chinese_from_the_schema():
    from generator.diff.labels import FIELDS, field_label
    assert "eligibility" not in FIELDS and "built_by" not in FIELDS       # no entry in the diff's name table
    assert (field_label("eligibility"), field_label("band_to")) == ("改造范围", "可适当纳入的建成年份上限")


def test_the_clause_context_reads_its_names_from_the_schema():
    from generator.policy.text import parameter_sections
    assert "eligibility" in parameter_sections() and "consent" in parameter_sections()


@pytest.mark.slow
def test_no_issued_hash_moved_and_no_sample_went_stale(tmp_path):
    lock = load_issued_lock()
    for pid, entry in lock.items():
        assert load_policy(pid).content_hash == entry["sha256"], pid
    written = write_samples(load_policy("xuchang/2023"), tmp_path)
    for path in written:
        rel = path.relative_to(tmp_path)
        assert (ROOT / "data" / rel).read_bytes() == path.read_bytes(), rel
