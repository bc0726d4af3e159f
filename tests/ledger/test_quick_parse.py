"""values.quick (a column parsed at once) must give exactly what the kind's parser gives, for every value it
does not leave to the parser (SLOW); the reader relies on it for a million cells."""
from __future__ import annotations

import datetime as dt
import math

import pytest
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


def _quick(kind, raws):
    """values.quick's values, checking that its positions of SLOW are right."""
    vals, slow = V.quick(kind, raws)
    assert slow == [i for i, v in enumerate(vals) if v is V.SLOW]
    return vals


def _agrees(kind, raws):
    for raw, q in zip(raws, _quick(kind, list(raws))):
        if raw is None or raw == "":
            assert q is None          # a blank cell: never parsed (the reader's rule, before any parser)
            continue
        if q is V.SLOW:
            continue
        value, zh, _ = V.PARSERS[kind](raw)
        assert zh is None, (kind, raw)
        assert _same(q, value), (kind, raw, q, value)


@pytest.mark.slow
@given(kind=st.sampled_from(sorted(V.PARSERS)), raws=st.lists(RAW, max_size=8))
def test_quick_agrees_with_the_parser(kind, raws):
    _agrees(kind, raws)


def test_the_usual_cells_are_quick():
    """The common spellings are parsed by the column pass, not one by one (else the speed is gone)."""
    usual = {"money": (12.345, 12.35), "int": (32.0, 32), "percent": (0.85, 0.85),
             "date": (dt.date(2023, 6, 30), dt.date(2023, 6, 30)), "criterion": (dt.date(2023, 6, 1), dt.date(2023, 6, 1)),
             "text": ("  示例小区 ", "示例小区"), "phone": ("13800000000", "13800000000")}
    for kind, (raw, value) in usual.items():
        got = _quick(kind, [raw, "", None])
        assert got == [value, None, None] and type(got[0]) is type(value), kind
    assert _quick("int", [1.5, True, "３２"]) == [V.SLOW] * 3           # parsed one by one, with their errors
    assert _quick("money", [math.nan, math.inf, 1e9]) == [V.SLOW] * 3
    assert _quick("percent", [1.2, -0.1]) == [V.SLOW] * 2


# -- the whole-column paths (loops in C): taken only when every cell of the column suits them --------------
LIST_TEXT = st.text(alphabet="、，,；;\n\r \u3000\t加装电梯ab1", max_size=12)
TEXT_ONLY = st.one_of(st.text(max_size=12), LIST_TEXT, st.sampled_from(["", " ", "是", "否", "13800000000"]))


@pytest.mark.slow
@given(kind=st.sampled_from(sorted(V.PARSERS)), raws=st.lists(TEXT_ONLY, max_size=8))
def test_quick_agrees_with_the_parser_on_columns_of_text(kind, raws):
    """A column of text only is where the C paths are taken (text, 改造内容, 是/否, mobiles)."""
    _agrees(kind, raws)


@pytest.mark.slow
@given(raws=st.lists(st.one_of(st.just(""), st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
                               st.sampled_from(["0374-1234567", " 13800000000", "１３８００００００００", "2"])),
                     max_size=8))
def test_quick_phone_column(raws):
    _agrees("phone", raws)


def test_quick_text_column():
    assert _quick("text", ["  示例小区 ", "", "\u3000", "a b"]) == ["示例小区", None, None, "a b"]
    # a number or None among the texts: cell by cell, the number left to the parser
    assert _quick("text", [" a", None, 12.0]) == ["a", None, V.SLOW]


def test_quick_textlist_column():
    tidy = ["加装电梯、停车位", "", "外墙保温", "供水，排水；燃气,照明;绿化"]
    assert _quick("textlist", tidy) == [["加装电梯", "停车位"], None, ["外墙保温"], ["供水", "排水", "燃气", "照明", "绿化"]]
    got = _quick("textlist", tidy)
    assert got[0] is not _quick("textlist", tidy)[0]                     # every cell its own list
    # anything to strip or drop anywhere in the column: every cell to the parser (which strips and drops)
    for odd in ("加装电梯、 停车位", "加装电梯\n停车位", "、停车位", "停车位、", "加装电梯、、停车位", "外墙 保温", "，停车位"):
        assert _quick("textlist", [odd, "停车位"]) == [V.SLOW, V.SLOW], odd
    assert _quick("textlist", ["停车位", 12.0, None]) == [V.SLOW, V.SLOW, None]


def test_quick_yesno_column():
    raws = ["是", "否", "Y", "x", "不是", "√", "×", "No", "TRUE", "", None, " 是", "ｙｅｓ", True, 1, 0.0, "是的"]
    assert _quick("yesno", raws) == [True, False, True, False, False, True, False, False, True, None, None,
                                      V.SLOW, V.SLOW, V.SLOW, V.SLOW, V.SLOW, V.SLOW]


def test_quick_phone_column_literals():
    assert _quick("phone", ["13800000000", "", "19912345678"]) == ["13800000000", None, "19912345678"]
    assert _quick("phone", ["13800000000", "0374-1234567", "12345678901", 13800000000.0]) == [
        "13800000000", V.SLOW, V.SLOW, V.SLOW]


def test_quick_int_column():
    raws = [12.0, 12.0, 1.0, -0.0, 1e9, 12.5, math.nan, "", None, "１２"]
    got = _quick("int", raws)
    assert got == [12, 12, 1, 0, V.SLOW, V.SLOW, V.SLOW, None, None, V.SLOW]
    assert [type(v) for v in got[:4]] == [int] * 4


# a few values repeated over a column: the by-distinct path (values._by_distinct) is taken
REPEATED = st.lists(RAW, min_size=1, max_size=3).flatmap(
    lambda pool: st.lists(st.sampled_from(pool), min_size=24, max_size=40))


@pytest.mark.slow
@given(kind=st.sampled_from(sorted(V.PARSERS)), raws=REPEATED)
def test_quick_agrees_with_the_parser_on_repeated_values(kind, raws):
    _agrees(kind, raws)


def test_a_column_of_few_values_is_parsed_once_per_value():
    counts = [12.0] * 50 + ["３２", " 7 ", "", None, 0.0, 12.5]
    assert _quick("int", counts) == [12] * 50 + [32, 7, None, None, V.SLOW, V.SLOW]   # 0.0: its sign; 12.5: an error
    dates = ["2023年6月30日"] * 20 + [dt.date(2023, 7, 1)] * 20 + [45000.0, "2023-02-30", dt.datetime(2023, 7, 1, 8)]
    assert _quick("date", dates) == ([dt.date(2023, 6, 30)] * 20 + [dt.date(2023, 7, 1)] * 20
                                     + [dt.date(2023, 3, 15), V.SLOW, dt.date(2023, 7, 1)])
    # numbers of two types are one key (True == 1 == 1.0) but not one cell: the comprehension, not the table
    assert _quick("int", [1.0] * 30 + [True, 1]) == [1] * 30 + [V.SLOW, 1]


@pytest.mark.slow
@given(r=st.one_of(st.floats(min_value=-1e9, max_value=1e9, exclude_max=True, exclude_min=True),
                   st.integers(-10**11 + 1, 10**11 - 1).map(lambda k: k / 100),
                   st.integers(-10**11 + 1, 10**11 - 1).map(lambda k: (k + 0.5) / 100)))
def test_amounts_round_as_round_does(r):
    """The quick rounding of amounts (an amount with two decimals is its own rounding) is round(r, 2) to the
    bit, sign of zero included."""
    (got,), _ = V.quick("money", [r])
    assert _same(got, round(r, 2))


@given(r=st.one_of(st.floats(min_value=0, max_value=1), st.integers(0, 10**10).map(lambda k: k / 10**10),
                   st.integers(0, 10**10 - 1).map(lambda k: (k + 0.5) / 10**10)))
def test_shares_round_as_round_does(r):
    (got,), _ = V.quick("percent", [r])
    assert _same(got, round(r, 10))


def test_rounding_literals():
    """Written out: ties go to the even digit of the exact binary value, as round() does."""
    raws = [318.29, 2.675, 1.005, 0.125, 0.375, -0.125, -0.0, 0.0, -0.001, 0.004999, 12.345, 999999999.995]
    assert _quick("money", raws) == [318.29, 2.67, 1.0, 0.12, 0.38, -0.12, -0.0, 0.0, -0.0, 0.0, 12.35, 1000000000.0]
    signs = [math.copysign(1, v) for v in _quick("money", [-0.0, 0.0, -0.001, -0.004])]
    assert signs == [-1, 1, -1, -1]
    assert _quick("percent", [0.85, 0.8537123456789, 1.192092896e-07, 0.0, 1.0]) == [
        0.85, 0.8537123457, 1.192e-07, 0.0, 1.0]
