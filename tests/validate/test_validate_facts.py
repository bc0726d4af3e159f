"""The column facts the rules read (generator.validate.facts) equal what one cell at a time would give:
for a whole table, for a county's part of it (rows picked out of order) and for rows built one by one."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.ledger.model import Row, Table
from generator.validate import facts as F

# names and ids as counties type them, and text that tests the one-call normalisation: full-width forms,
# combining marks and Hangul jamo at a value's edge (NFKC would compose them with a neighbour), every kind
# of space, NUL itself
edge_text = st.text(alphabet=st.sampled_from(
    ["a", "1", " ", "\u3000", "\t", "\n", "\x1c", "\x85", "\xa0", "\u2028", "\x00", "\u0301", "\u0308", "e",
     "\u1100", "\u1161", "\u11a8", "가", "Ａ", "０", "①", "ﬁ", "魏", "都", "區", "㍿", "\ufb01", "\ud800"]), max_size=6)
keyable = st.one_of(st.none(), edge_text, st.text(max_size=8), st.integers(-10**6, 10**6), st.floats(allow_nan=False),
                    st.booleans(), st.dates())


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(keyable, max_size=12))
def test_keys_of_a_column_are_each_value_normalised(values):
    assert F.keys_of(values) == [F.norm(v) for v in values]


def test_keys_of_nfkc_does_not_join_across_values():
    # a combining accent or a jamo opening a value must not compose with the end of the previous one
    assert F.keys_of(["e", "\u0301x", "\u1100", "\u1161", "Ａ１", " a b ", None, 7]) == \
        ["e", "\u0301x", "\u1100", "\u1161", "A1", "ab", "", "7"]


cell_value = st.one_of(st.none(), st.integers(-5, 5), st.floats(-5, 5), st.booleans(), st.dates(),
                       st.datetimes(), st.sampled_from(["x", " Ａ ", "", "  "]))


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(cell_value, st.booleans()), min_size=1, max_size=10), st.randoms(use_true_random=False))
def test_facts_of_a_table_a_part_and_loose_rows_agree(cells, rnd):
    """Each fact, for the whole table in order (the table's own list), a shuffled part of it (a county's
    rows) and the same cells on rows built one by one, equals the cell-by-cell reading."""
    table = Table("项目清单", len(cells))
    table.add("c", [v for v, _ in cells], [None if bad else v for v, bad in cells],
              {i: ("坏", "bad") for i, (_, bad) in enumerate(cells) if bad})
    rows = [Row.of(table, i, i + 2) for i in range(len(cells))]
    part = rnd.sample(rows, rnd.randint(0, len(rows)))
    loose = [Row("项目清单", r.row, {"c": r.cell("c")} if r.cell("c") is not None else {}) for r in part]

    def by_cell(rs):
        cs = [r.cell("c") for r in rs]
        readable = [None if c is None or c.error else c.value for c in cs]
        return {"value": [r.value("c") for r in rs], "readable": readable,
                "dates": [v if isinstance(v, dt.date) and not isinstance(v, dt.datetime) else None for v in readable],
                "numbers": [v if isinstance(v, (int, float)) and not isinstance(v, bool) else None for v in readable],
                "keys": [F.norm(r.value("c")) for r in rs],
                "errors": {j for j, c in enumerate(cs) if c is not None and c.error}}

    def bounds(values):
        present = [v for v in values if v is not None]
        return (min(present), max(present)) if present else None

    for rs in (rows, part, loose):
        with F.run_scope():
            want = by_cell(rs)
            assert F.column_types(rs, "c") == {type(v) for v in want["value"]}
            assert F.column_types(rs, "c", "readable") == {type(v) for v in want["readable"]}
            assert F.column_bounds(rs, "c", "dates") == bounds(want["dates"])
            assert F.column_bounds(rs, "c", "numbers") == bounds(want["numbers"])

    for rs in (rows, part, loose):
        with F.run_scope():
            got = {"value": F.column_values(rs, "c"), "readable": F.readable_values(rs, "c"),
                   "dates": F.column_dates(rs, "c"), "numbers": F.column_numbers(rs, "c"),
                   "keys": F.column_keys(rs, "c"), "errors": F.column_errors(rs, "c")}
            assert got == by_cell(rs)
            assert F.column_values(rs, "absent") == [None] * len(rs) and F.column_keys(rs, "absent") == [""] * len(rs)


money = st.one_of(st.none(), st.floats(-1e12, 1e12), st.integers(-10**6, 10**6),
                  st.decimals("-1000", "1000", places=3).map(float),
                  st.sampled_from([0.005, 0.015, 0.0049, 99.995, 1e9]))


# a cost and one channel a few thousandths apart, the rest blank: the totals the quick pass must not misjudge
near = st.tuples(st.decimals("-1", "1000", places=4), st.decimals("-0.02", "0.02", places=4)).map(
    lambda cd: (float(cd[0]), [float(cd[0] + cd[1])] + [None] * 7))


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(near, st.tuples(money, st.lists(money, min_size=8, max_size=8))), min_size=1, max_size=6))
@example([(-0.0039, [0.0051] + [None] * 7)])       # 0.009 apart, 0.0139 once rounded: flagged
def test_funding_flags_exactly_the_rows_off_by_more_than_the_tolerance(policy2023, projects):
    """V202's quick pass over a column skips rows without calling round(): it must flag exactly the rows the
    plain reading flags, near the 0.01 tolerance and for huge amounts alike."""
    from generator.ledger import contract as C
    from generator.validate.rules.projects import MONEY_TOLERANCE, funding_adds_up
    channels = F.contract_of(policy2023).funding_columns
    table = Table("项目清单", len(projects))
    table.add(C.COST, [c for c, _ in projects], [c for c, _ in projects])
    for k, name in enumerate(channels):
        values = [chs[k] for _, chs in projects]
        table.add(name, values, values)
    rows = [Row.of(table, i, i + 2) for i in range(len(projects))]

    def plain(cost, chs):
        total = 0.0
        for v in chs:
            total = total + v if v is not None else total
        return cost is not None and abs(round(total, 2) - cost) > MONEY_TOLERANCE + 1e-9

    class P:                                 # the rule reads only the projects
        projects = rows
    with F.run_scope():
        flagged = [h.row.row for h in funding_adds_up(P, policy2023)]
    assert flagged == [r.row for r, (cost, chs) in zip(rows, projects) if plain(cost, chs)]


column_value = st.one_of(st.none(), st.integers(-3, 2030), st.floats(-2, 2030), st.just(float("nan")), st.booleans(),
                         st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)), st.datetimes(dt.datetime(2020, 1, 1)),
                         st.sampled_from(["", "x", "是"]))


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(st.sampled_from([("户数", "int"), ("建成年份", "int"), ("资金概算（万元）", "money"), ("计划开工日期", "date"),
                        ("开工条件2：违建临建拆除", "criterion")]), st.lists(column_value, min_size=1, max_size=8))
def test_a_column_passed_as_in_range_holds_no_value_out_of_range(policy2023, column_kind, values):
    """V002 skips a column whose least and greatest values lie in range: no value of it may be one V002 flags."""
    from generator.ledger.contract import build_contract
    from generator.validate.rules import cells
    column, kind = column_kind
    col = next(c for c in build_contract(policy2023.policy).projects if c.name == column)
    assert col.kind == kind
    first, last = dt.date(2022, 1, 1), dt.date(2024, 12, 31)
    if cells._all_within(values, col, first, last):
        assert [v for v in values if cells._out_of_range(col, v, first, last)] == []
