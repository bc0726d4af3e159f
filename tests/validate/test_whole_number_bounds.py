"""Whole-number columns carry their own bounds in the contract (no hidden "at least 1" for every count), and
the 建成年份 plausibility bound is reachable: a year before 1900 was never flagged (the check sat behind
``v < 1``). Boundaries: 1899/1900, the policy year and the year after, 0 and 1 households."""
import datetime as dt

import pytest

from generator.ledger import contract as C
from generator.ledger.contract import Column, build_contract
from generator.validate.rules import cells

FIRST, LAST = dt.date(2020, 1, 1), dt.date(2026, 12, 31)


@pytest.fixture(scope="module")
def columns(policy2023):
    contract = build_contract(policy2023.policy)
    return {c.name: c for c in contract.projects}


@pytest.mark.parametrize("year,flagged", [(1899, True), (1900, False), (2023, False), (2024, True), (1, True)])
def test_built_year(columns, policy2023, year, flagged):
    assert policy2023.policy.year == 2023          # the bound's upper end is the plan year
    hit = cells._out_of_range(columns[C.BUILT_YEAR], year, FIRST, LAST)
    assert (hit is not None) is flagged


@pytest.mark.parametrize("name", [C.HOUSEHOLDS, C.BUILDINGS])
@pytest.mark.parametrize("value,flagged", [(0, True), (1, False), (-3, True)])
def test_households_and_buildings_at_least_one(columns, name, value, flagged):
    hit = cells._out_of_range(columns[name], value, FIRST, LAST)
    assert (hit is not None) is flagged
    if flagged:
        assert "不小于1" in hit[0]


def test_a_new_count_column_may_be_zero():
    """A column such as 加装电梯数 (0 elevators is a fact, not a typing error) takes the default least 0."""
    col = Column("加装电梯数", "int")
    assert cells._out_of_range(col, 0, FIRST, LAST) is None
    assert cells._out_of_range(col, -1, FIRST, LAST) is not None
    assert cells._all_within([0, 2, 5], col, FIRST, LAST)
    assert not cells._all_within([0, -1], col, FIRST, LAST)
