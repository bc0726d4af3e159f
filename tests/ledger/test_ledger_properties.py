"""Property tests (hypothesis) for the value parsers and the workbook reader: every spelling a county uses
reads as the same value, out-of-scale and impossible values are errors, and a workbook of random cells
reads back exactly what was written."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.ledger import contract as C
from generator.ledger import values as V
from generator.validate.facts import pct

FULL = str.maketrans("0123456789%-.", "０１２３４５６７８９％－．")
EPOCH = dt.date(1899, 12, 30)


@given(n=st.integers(min_value=-999_999_999, max_value=999_999_999))
def test_integers_read_in_every_spelling(n):
    for raw in (n, float(n), str(n), str(n).translate(FULL), f"{n:,}", f" {n} "):
        assert V.parse_number(raw) == (n, None, None), raw


@given(n=st.one_of(st.integers(min_value=10**9, max_value=10**30), st.integers(max_value=-10**9)),
       as_text=st.booleans())
def test_out_of_scale_numbers_are_errors(n, as_text):
    value, err, _ = V.parse_number(str(n) if as_text else n)
    assert value is None and err


@given(x=st.sampled_from([float("nan"), float("inf"), float("-inf")]), kind=st.sampled_from(["int", "money", "percent"]))
def test_nan_and_infinity_are_errors(x, kind):
    value, err, _ = V.parse(kind, x)
    assert value is None and err


@given(digits=st.integers(min_value=21, max_value=6000))
def test_long_digit_strings_are_errors_quickly(digits):
    value, err, _ = V.parse_number("7" * digits)
    assert value is None and "超出" in err


@given(p=st.integers(min_value=2, max_value=100))
def test_percentages_in_every_spelling(p):
    for raw in (p / 100, f"{p}%", str(p), p, f"{p}%".translate(FULL), f"{p} %"):
        value, err, _ = V.parse_percent(raw)
        assert err is None and value == pytest.approx(p / 100), raw


@given(x=st.floats(min_value=0, max_value=1))
def test_a_share_never_prints_as_a_threshold_it_misses(x):
    """79.99999 % must not print as 80%: a printed whole percent is within 1e-9 of the value."""
    shown = pct(x)
    if "." not in shown:
        assert abs(x * 100 - int(shown[:-1])) < 1e-7
    assert float(shown[:-1]) / 100 == pytest.approx(x, abs=5e-5)


@given(d=st.dates(min_value=dt.date(1950, 1, 2), max_value=dt.date(2099, 12, 31)))
def test_dates_in_every_spelling(d):
    spellings = [d, dt.datetime(d.year, d.month, d.day), d.isoformat(), f"{d.year}/{d.month}/{d.day}",
                 f"{d.year}.{d.month}.{d.day}", f"{d.year}年{d.month}月{d.day}日", (d - EPOCH).days,
                 float((d - EPOCH).days), d.strftime("%Y%m%d"), f"{d.year}年{d.month}月{d.day}日".translate(FULL)]
    for raw in spellings:
        assert V.parse_date(raw) == (d, None, None), raw


def _impossible_dates():
    """Every (year, month, day) of 1950–2099 with day 29–31 past the month's end, drawn from directly
    (filtering random triples with assume() failed Hypothesis's filter_too_much health check in CI)."""
    out = []
    for y in range(1950, 2100):
        for m in range(1, 13):
            for day in range(29, 32):
                try:
                    dt.date(y, m, day)
                except ValueError:
                    out.append((y, m, day))
    return out


@given(ymd=st.sampled_from(_impossible_dates()))
def test_impossible_dates_are_errors(ymd):
    y, m, day = ymd
    for raw in (f"{y}-{m:02d}-{day:02d}", f"{y}年{m}月{day}日", f"{y}/{m}/{day}"):
        value, err, _ = V.parse_date(raw)
        assert value is None and "日期不存在" in err


@given(serial=st.one_of(st.integers(min_value=-10**12, max_value=V._SERIAL_MIN - 1),
                        st.integers(min_value=V._SERIAL_MAX + 1, max_value=10_000_000),
                        st.integers(min_value=100_000_000, max_value=10**12)))
def test_serials_outside_the_plausible_range_are_errors(serial):
    value, err, _ = V.parse_date(serial)
    assert value is None and err


@given(token=st.sampled_from(sorted(V._YES | V._NO)), pad=st.sampled_from(["", " ", "\u3000", "\t"]),
       upper=st.booleans())
def test_yes_no_tokens_with_padding_and_case(token, pad, upper):
    raw = pad + (token.upper() if upper else token) + pad
    assert V.parse_yesno(raw) == (token in V._YES, None, None)


# -- the workbook reader --------------------------------------------------------------------------------
households = st.integers(min_value=1, max_value=5000)
consent = st.one_of(st.floats(min_value=0.0, max_value=1.0), st.integers(min_value=2, max_value=100).map(lambda p: f"{p}%"))
# a name starting with 合计/注… marks a total or note row (not a project); one starting with = is a formula
_NOT_NAMES = ("合计", "小计", "总计", "共计", "注", "说明", "备注", "填表", "制表", "审核", "(", "（", "=", "#")
text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20).filter(
    lambda s: s.strip() and not "".join(s.split()).startswith(_NOT_NAMES))


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(text, households, consent), min_size=1, max_size=6),
       hidden_rows=st.booleans())
def test_workbook_of_random_cells_reads_back(rows, hidden_rows, policy2023, tmp_path):
    from openpyxl import load_workbook
    from generator.ledger.reader import read_plan
    from generator.render.samples import write_plan_workbook

    county = policy2023.policy.counties_with_target[0].name
    path = tmp_path / "random.xlsx"
    write_plan_workbook(policy2023, county, path)
    wb = load_workbook(path)
    ws = wb[C.SHEET_PROJECTS]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == C.PROJECT_ID)
    col = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    for i, (name, hh, share) in enumerate(rows):
        r = header + 1 + i
        ws.cell(r, col[C.PROJECT_ID]).value = f"P-{i:03d}"
        ws.cell(r, col[C.COMMUNITY]).value = name
        ws.cell(r, col[C.HOUSEHOLDS]).value = hh
        ws.cell(r, col[C.CONSENT]).value = share
    if hidden_rows:
        ws.row_dimensions[header + 1].hidden = True            # hidden rows are data: still read
    wb.save(path)
    wb.close()

    plan = read_plan(path, policy2023)
    got = [(r.value(C.PROJECT_ID), r.value(C.HOUSEHOLDS), r.value(C.CONSENT)) for r in plan.projects]
    # the share as written, not as the parser under test reads it: a number is the fraction, "85%" is 0.85
    expected = [(f"P-{i:03d}", hh, share if isinstance(share, float) else int(share[:-1]) / 100)
                for i, (name, hh, share) in enumerate(rows)]
    got = [g for g in got if g[0] and str(g[0]).startswith("P-")]
    assert len(got) == len(expected)
    for (gid, ghh, gshare), (eid, ehh, eshare) in zip(got, expected):
        assert (gid, ghh) == (eid, ehh)
        # a share is kept to 10 decimal places (a tiny 1.192092896e-07 reads as 1.192e-07)
        assert gshare == pytest.approx(eshare, abs=5e-11)
