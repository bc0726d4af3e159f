"""values.quick (a column parsed at once) must give exactly what the kind's parser gives, for every value it
does not leave to the parser (SLOW); the reader relies on it for a million cells."""
from __future__ import annotations

import datetime as dt
import math

from hypothesis import given, strategies as st

from generator.ledger import values as V

RAW = st.one_of(
    st.none(), st.just(""), st.just("  "), st.booleans(),
    st.integers(min_value=-2 * 10**9, max_value=2 * 10**9),
    st.floats(allow_nan=True, allow_infinity=True), st.floats(min_value=-1, max_value=2),
    st.sampled_from([0.0, -0.0, 1.0, 0.85, 1e9, -1e9, 999999999.0, 13800000000.0]),
    st.dates(), st.datetimes(),
    st.text(max_size=20), st.sampled_from(["13800000000", " 13800000000", "0374-1234567", "85%", "２０２３年６月３０日"]),
)


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b and (not isinstance(a, float) or math.copysign(1, a) == math.copysign(1, b))


@given(kind=st.sampled_from(sorted(V.PARSERS)), raws=st.lists(RAW, max_size=8))
def test_quick_agrees_with_the_parser(kind, raws):
    for raw, q in zip(raws, V.quick(kind, list(raws))):
        if raw is None or raw == "":
            assert q is None          # a blank cell: never parsed (the reader's rule, before any parser)
            continue
        if q is V.SLOW:
            continue
        value, zh, _ = V.PARSERS[kind](raw)
        assert zh is None, (kind, raw)
        assert _same(q, value), (kind, raw, q, value)


def test_the_usual_cells_are_quick():
    """The common spellings are parsed by the column pass, not one by one (else the speed is gone)."""
    usual = {"money": (12.345, 12.35), "int": (32.0, 32), "percent": (0.85, 0.85),
             "date": (dt.date(2023, 6, 30), dt.date(2023, 6, 30)), "criterion": (dt.date(2023, 6, 1), dt.date(2023, 6, 1)),
             "text": ("  示例小区 ", "示例小区"), "phone": ("13800000000", "13800000000")}
    for kind, (raw, value) in usual.items():
        got = V.quick(kind, [raw, "", None])
        assert got == [value, None, None] and type(got[0]) is type(value), kind
    assert V.quick("int", [1.5, True, "３２"]) == [V.SLOW] * 3           # parsed one by one, with their errors
    assert V.quick("money", [math.nan, math.inf, 1e9]) == [V.SLOW] * 3
    assert V.quick("percent", [1.2, -0.1]) == [V.SLOW] * 2
