"""Lenient cell-value parsers: a table of what counties type, and garbage that must never crash."""
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.ledger import values as V
from generator.ledger.values import parse

D = dt.date(2023, 6, 30)

CASES = [
    # kind, raw, expected value
    ("int", 12, 12), ("int", 12.0, 12), ("int", "１２", 12), ("int", " 1,234 ", 1234), ("int", "１，２３４", 1234),
    ("money", 12.345, 12.35), ("money", "1,234.50", 1234.5), ("money", "12.5万元", 12.5), ("money", "１２．５", 12.5),
    ("money", 0, 0.0),
    ("percent", 0.85, 0.85), ("percent", "85%", 0.85), ("percent", 85, 0.85), ("percent", "85", 0.85),
    ("percent", "８５％", 0.85), ("percent", 80, 0.8), ("percent", "80%", 0.8), ("percent", 79.9, 0.799),
    ("percent", 1, 1.0), ("percent", "100%", 1.0), ("percent", 0, 0.0),
    ("date", D, D), ("date", dt.datetime(2023, 6, 30, 0, 0), D), ("date", 45107, D), ("date", 45107.0, D),
    ("date", "45107", D), ("date", "2023-06-30", D), ("date", "2023/6/30", D), ("date", "2023.6.30", D),
    ("date", "2023年6月30日", D), ("date", " 2023 年 6 月 30 日 ", D), ("date", "２０２３年６月３０日", D),
    ("date", "２０２３－０６－３０", D), ("date", "20230630", D), ("date", "2023-06-30 00:00:00", D),
    ("yesno", "是", True), ("yesno", "否", False), ("yesno", " 是 ", True), ("yesno", "Y", True), ("yesno", "n", False),
    ("yesno", "√", True), ("yesno", "×", False), ("yesno", "true", True), ("yesno", "FALSE", False),
    ("yesno", 1, True), ("yesno", 0, False), ("yesno", True, True),
    ("phone", "0374-1234567", "0374-1234567"), ("phone", "13800000001", "13800000001"),
    ("phone", 13800000001, "13800000001"), ("phone", 13800000001.0, "13800000001"),
    ("phone", " 138 0000 0001 ", "13800000001"), ("phone", "（0374）1234567", "(0374)1234567"),
    ("phone", "03741234567", "03741234567"), ("phone", "0374-1234567、13800000001", "0374-1234567、13800000001"),
    ("text", "  延中小区 ", "延中小区"), ("text", 12.0, "12"), ("text", 7, "7"),
    ("textlist", "供水、排水；燃气\n供热，外墙", ["供水", "排水", "燃气", "供热", "外墙"]),
    ("textlist", ["供水", " 排水 "], ["供水", "排水"]),
    ("criterion", "是", True), ("criterion", "否", False), ("criterion", D, D), ("criterion", "2023年6月30日", D),
]


@pytest.mark.parametrize("kind,raw,expected", CASES)
def test_parses(kind, raw, expected):
    value, err, err_en = parse(kind, raw)
    assert err is None and err_en is None
    if isinstance(expected, float):
        assert value == pytest.approx(expected, abs=1e-9)
    else:
        assert value == expected
        assert type(value) is type(expected)


BAD = [
    ("int", "3.5"), ("int", "abc"), ("int", True), ("money", "十万"), ("percent", 101), ("percent", "120%"),
    ("percent", -5), ("percent", "高"), ("date", "2023.11.31"), ("date", "2023年13月1日"), ("date", "下半年"),
    ("date", 2023), ("date", 99999999), ("date", 1.5), ("yesno", "也许"), ("yesno", 2), ("phone", "12345"),
    ("phone", 3741234567), ("phone", "0374-12"), ("criterion", "明天"),
]


@pytest.mark.parametrize("kind,raw", BAD)
def test_unreadable_values_explain_themselves(kind, raw):
    value, err, err_en = parse(kind, raw)
    assert value is None
    assert err and "无法识别" in err and str(raw)[:5] in err
    assert err_en and "cannot read" in err_en


@pytest.mark.parametrize("kind", sorted(V.PARSERS))
@pytest.mark.parametrize("raw", [None, "", "   ", "\n"])
def test_blank_is_no_value_and_no_error(kind, raw):
    assert parse(kind, raw) == (None, None, None)


def test_percent_boundary_is_exact():
    """80% typed any way is exactly the policy's 0.8 (no float noise that would fail 'at least 80%')."""
    for raw in (0.8, "80%", 80, "80", "８０％", 80.0):
        assert parse("percent", raw)[0] == 0.8


def test_landline_stored_as_number_lost_its_zero():
    value, err, _ = parse("phone", 3741234567)
    assert value is None and "0" in err


garbage = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                    st.text(max_size=40), st.dates(), st.datetimes(), st.binary(max_size=10),
                    st.lists(st.text(max_size=5), max_size=3), st.decimals(allow_nan=True))


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(sorted(V.PARSERS)), raw=garbage)
def test_any_input_returns_and_never_raises(kind, raw):
    out = parse(kind, raw)
    assert isinstance(out, tuple) and len(out) == 3
    value, err, err_en = out
    assert (err is None) == (err_en is None)
    if err is not None:
        assert value is None
