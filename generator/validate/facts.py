"""What rules look up in the policy and the plan, written once.

Milestones are picked by what they mean (``measure``/``basis``/``share``), not by their id, so a
policy that adds or renames a milestone is checked without touching a rule.
"""
from __future__ import annotations

import datetime as dt
import operator
import threading
import unicodedata
from contextlib import contextmanager

from generator.ledger import contract as C
from generator.ledger.model import Cell, Row

_CONTRACTS: dict[str, C.Contract] = {}


def contract_of(lp) -> C.Contract:
    """The workbook contract of the policy (built once per policy content)."""
    key = lp.content_hash
    if key not in _CONTRACTS:
        _CONTRACTS[key] = C.build_contract(lp.policy)
    return _CONTRACTS[key]


def norm(value) -> str:
    """A name or id as compared: NFKC, no spaces (全角 ００１ equals 001)."""
    if value is None:
        return ""
    s = value if value.__class__ is str else str(value)
    if s.isascii():                      # most project numbers: NFKC would change nothing
        return "".join(s.split())
    return "".join(unicodedata.normalize("NFKC", s).split())


def project_id(row: Row) -> str | None:
    v = row.value(C.PROJECT_ID)
    return None if v is None else str(v)


def readable(cell: Cell, kind: type | tuple = object) -> bool:
    """A value of ``kind`` is there and could be read (unreadable cells are reported once, by V001)."""
    v = cell.value
    if kind is dt.date and isinstance(v, dt.datetime):   # a datetime does not compare with a date
        return False
    return cell.error is None and isinstance(v, kind) and not isinstance(v, bool)


# -- one validation run: columns read once ----------------------------------------------------------
# The rules, the split by county, the cross-county checks and the summary read the same columns of the
# same 53,000 rows many times over. Inside ``run_scope()`` each column of a list of rows is read (and
# its names normalised) once. Plans are mutable (tests edit them between runs), so nothing outlives
# the run; outside a run every call reads afresh. One cache per thread (the web front end validates
# uploads in several threads).
_RUN = threading.local()


@contextmanager
def run_scope():
    """A validation run (re-entrant: an inner scope shares the outer one's cache)."""
    if getattr(_RUN, "cache", None) is not None:
        yield
        return
    _RUN.cache = {}
    try:
        yield
    finally:
        _RUN.cache = None


def run_cached(rows: list, column: str | int, what, compute):
    """``compute()`` once per validation run for these rows, column and ``what`` (outside a run: every time)."""
    cache = getattr(_RUN, "cache", None)
    if cache is None:
        return compute()
    key = (id(rows), column, what)
    hit = cache.get(key)
    if hit is None or hit[0] is not rows:
        hit = cache[key] = (rows, compute())        # the rows are kept so that their id stays theirs
    return hit[1]


def _positions(rows: list[Row]):
    """(table, [row i in table]) when every row is a view of one table (a county's part of a plan), with
    None for the list when the rows are the whole table in order (a plan as read); None when the rows were
    built one by one (each has a table of its own). Once per run."""
    return run_cached(rows, "", "positions", lambda: _find_positions(rows))


def _find_positions(rows: list[Row]):
    if not rows:
        return None
    tables = set(map(_TABLE, rows))
    if len(tables) > 1:
        return None
    t, idx = tables.pop(), list(map(_INDEX, rows))
    return t, (None if len(idx) == t.size and idx == list(range(t.size)) else idx)


_TABLE, _INDEX = operator.attrgetter("table"), operator.attrgetter("i")


def pick_rows(rows: list[Row], picks: list[int]) -> list[Row]:
    """``[rows[j] for j in picks]`` (a county's rows of a plan); inside a run their places in the table are
    then known from the plan's, without looking at each row again."""
    picked = list(map(rows.__getitem__, picks))
    if getattr(_RUN, "cache", None) is not None and picked and (at := _positions(rows)) is not None:
        t, idx = at
        run_cached(picked, "", "positions", lambda: (t, picks if idx is None else list(map(idx.__getitem__, picks))))
    return picked


# What can be known of a column, from the list of its values: each is computed once per table and run
# (``_table_fact``), and a county's part of the table takes its rows' entries of it.
def _readable(values: list, errors) -> list:
    if not errors:
        return values
    out = values[:]
    for i in errors:
        out[i] = None
    return out


def _dates(readable: list) -> list:
    if classes(readable) <= _DATE_OR_NONE:             # the usual column: nothing to drop
        return readable
    date = dt.date
    return [v if v.__class__ is date else None if v is None else _date_or_none(v) for v in readable]


def _numbers(readable: list) -> list:
    if classes(readable) <= _NUMBER_OR_NONE:
        return readable
    return [v if v.__class__ is int or v.__class__ is float else None if v is None else _number_or_none(v)
            for v in readable]


NoneType = type(None)
_DATE_OR_NONE = {dt.date, NoneType}
_NUMBER_OR_NONE = {int, float, NoneType}


def _date_or_none(v):
    return v if isinstance(v, dt.date) and not isinstance(v, dt.datetime) else None


def _number_or_none(v):
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def keys_of(values: list) -> list[str]:
    """``[norm(v) for v in values]`` in a few calls over the whole column, not three per value: the texts
    joined by NUL, which NFKC neither makes nor changes nor composes with its neighbours and which is not
    a space, so the result splits back into one key per value."""
    if not values:
        return []
    try:
        joined = "\0".join(values)                    # the usual column: all text (each pass costs)
    except TypeError:                                  # blanks, numbers: each as text, blank ""
        joined = "\0".join(["" if v is None else v if v.__class__ is str else str(v) for v in values])
    if joined.count("\0") != len(values) - 1:         # a value holds a NUL itself: one by one
        return [norm(v) for v in values]
    if not joined.isascii():                           # NFKC changes no ASCII text
        joined = unicodedata.normalize("NFKC", joined)
    return "".join(joined.split()).split("\0")        # as norm: no spaces of any kind


# what -> how a table computes it from (table, k)
_TABLE_FACTS = {
    "value": lambda t, k: t.val[k],
    "raw": lambda t, k: t.raw[k],
    "readable": lambda t, k: _readable(t.val[k], t.err[k]),
    "dates": lambda t, k: _dates(_table_fact(t, k, "readable")),
    "numbers": lambda t, k: _numbers(_table_fact(t, k, "readable")),
    "norm": lambda t, k: keys_of(t.val[k]),
}


def _table_fact(t, k: int, what: str) -> list:
    return run_cached(t, k, ("table", what), lambda: _TABLE_FACTS[what](t, k))


def _gather(rows: list[Row], column: str, what: str) -> list:
    """One fact of a column for ``rows``, in their order: "raw" values, "value"s (None: blank or not read),
    "readable" values (None also where the cell has an error), "dates", "numbers", "norm" keys. The list
    may be the table's own: read it, never change it."""
    def compute():
        at = _positions(rows)
        if at is None:                               # rows one by one
            return _rows_fact(rows, column, what)
        t, idx = at
        k = t.pos.get(column)
        if k is None:
            return ["" if what == "norm" else None] * len(rows)
        fact = _table_fact(t, k, what)
        if idx is None:
            return fact
        # the "value"s and "readable" values of a column without errors are one list: take the part once
        return run_cached(rows, "", ("part of", id(fact)), lambda: [fact[i] for i in idx])
    return run_cached(rows, column, what, compute)


def _rows_fact(rows: list[Row], column: str, what: str) -> list:
    """A fact of rows that are no one table's (each built on its own): cell by cell."""
    if what == "raw":
        return [None if (c := r.cell(column)) is None else c.raw for r in rows]
    if what == "value":
        return [r.value(column) for r in rows]
    if what == "norm":
        return keys_of([r.value(column) for r in rows])
    readable = [None if (c := r.cell(column)) is None or c.error is not None else c.value for r in rows]
    return _dates(readable) if what == "dates" else _numbers(readable) if what == "numbers" else readable


def column_values(rows: list[Row], column: str) -> list:
    """``row.value(column)`` of every row, in order (None: blank or unreadable)."""
    return _gather(rows, column, "value")


def column_raws(rows: list[Row], column: str) -> list:
    """The raw value of every row's cell of ``column`` ("" or None: blank)."""
    return _gather(rows, column, "raw")


def readable_values(rows: list[Row], column: str) -> list:
    """The value of every row's cell of ``column``, None where blank or where the cell has an error (the
    rules leave an unreadable cell to V001)."""
    return _gather(rows, column, "readable")


def column_dates(rows: list[Row], column: str) -> list:
    """Every row's readable date in ``column`` (a date, not a datetime), else None."""
    return _gather(rows, column, "dates")


def column_numbers(rows: list[Row], column: str) -> list:
    """Every row's readable number in ``column`` (an int or float, not a bool), else None."""
    return _gather(rows, column, "numbers")


def column_keys(rows: list[Row], column: str) -> list[str]:
    """``norm(row.value(column))`` of every row, in order ("" for blank): names and ids as compared."""
    return _gather(rows, column, "norm")


def column_spellings(rows: list[Row], column: str) -> list:
    """The distinct values of ``column`` in the order they first appear (a county typed 53,000 times is a few
    spellings): the split by county and the county checks judge each once."""
    return run_cached(rows, column, "spellings", lambda: list(dict.fromkeys(column_values(rows, column))))


def key_set(rows: list[Row], column: str) -> set[str]:
    """The set of ``column_keys``: the liaison checks, the duplicate checks and the city-wide names ask it of
    each county."""
    return run_cached(rows, column, "norm set", lambda: set(column_keys(rows, column)))


def column_errors(rows: list[Row], column: str) -> set[int]:
    """Positions in ``rows`` whose cell of ``column`` could not be read."""
    def compute():
        at = _positions(rows)
        if at is None:
            return {j for j, r in enumerate(rows) if (c := r.cell(column)) is not None and c.error is not None}
        t, idx = at
        k = t.pos.get(column)
        if k is None or not t.err[k]:
            return set()
        errors = t.err[k]
        return set(errors) if idx is None else {j for j, i in enumerate(idx) if i in errors}
    return run_cached(rows, column, "errors", compute)


def column_names(rows: list[Row]) -> list[str]:
    """The columns any of ``rows`` holds, in the order of their tables."""
    at = _positions(rows)
    tables = [at[0]] if at is not None else list({id(r.table): r.table for r in rows}.values())
    return list(dict.fromkeys(name for t in tables for name in t.pos))


def classes(values: list) -> set[type]:
    """The classes in a list of values (NoneType for a blank): one pass in C, which answers "any blank?",
    "all dates?" for a whole column at once. Once per list in a run: a column read as "value", "readable"
    and "dates" is often one list, and each pass over 53,000 scattered objects costs milliseconds."""
    return run_cached(values, "", "classes", lambda: set(map(type, values)))


def column_types(rows: list[Row], column: str, what: str = "value") -> set[type]:
    """``classes`` of a fact of ``column`` (``_gather``'s ``what``) over ``rows``."""
    def compute():
        at = _positions(rows)
        if at is not None and at[1] is not None and (k := at[0].pos.get(column)) is not None:
            whole = classes(_table_fact(at[0], k, what))
            if len(whole) == 1:
                return set(whole)              # a county's part of a column of one class: that class
        return classes(_gather(rows, column, what))
    return run_cached(rows, column, ("types", what), compute)


def has_blank(rows: list[Row], column: str) -> bool:
    """Some row's value of ``column`` is None (blank or unreadable): from the column's classes when a rule
    has taken them already, else by ``None in`` (it stops at the first blank, and over text it is the
    quicker pass)."""
    values = column_values(rows, column)
    cache = getattr(_RUN, "cache", None)
    known = cache.get((id(values), "", "classes")) if cache is not None else None
    if known is not None and known[0] is values:
        return NoneType in known[1]
    return None in values


def column_bounds(rows: list[Row], column: str, what: str) -> tuple | None:
    """(least, greatest) of the entries of a fact of ``column`` that are not None ("dates", "numbers": they
    compare), None when there is none: a rule whose bound lies inside both skips the column."""
    def compute():
        values = _gather(rows, column, what)
        if NoneType in column_types(rows, column, what):
            values = [v for v in values if v is not None]
        return (min(values), max(values)) if values else None
    return run_cached(rows, column, ("bounds", what), compute)


def unreadable_or_blank(rows: list[Row], column: str, kind: type | tuple = object) -> bool:
    """Some row has no readable value of ``kind`` in ``column`` (a bool is no number, a datetime no date)."""
    def unfit(cls) -> bool:
        return cls is NoneType or not issubclass(cls, kind) or issubclass(cls, bool) or (
            kind is dt.date and issubclass(cls, dt.datetime))
    return any(unfit(cls) for cls in column_types(rows, column, "readable"))


def full_milestone(policy, measure: str):
    """The milestone by which every project must have ``measure`` (started/completed): share 1."""
    ms = [m for m in policy.milestones if m.measure == measure and m.share >= 1]
    return min(ms, key=lambda m: m.date) if ms else None


def partial_milestones(policy):
    """Milestones asking for a share (< 1) of projects or households by a date."""
    return [m for m in policy.milestones if m.share < 1]


def planned_column(measure: str) -> str:
    return C.PLANNED_START if measure == "started" else C.PLANNED_END


def actual_column(measure: str) -> str:
    return C.ACTUAL_START if measure == "started" else C.ACTUAL_END


def target_clause(policy) -> str:
    """The clause the county targets come from (二 in 2023): cited for counts, sums and duplicates."""
    return next(c.target.clause for c in policy.counties if c.target)


def target_of(policy, county: str | None):
    c = policy.county(county) if county else None
    return c.target if c is not None else None


def plausible_dates(policy) -> tuple[dt.date, dt.date]:
    """Dates a plan for the policy year can sensibly hold: the year before to the year after.
    A wider gap is a typing error (2203, 1023), not a plan."""
    y = policy.year
    return dt.date(y - 1, 1, 1), dt.date(y + 1, 12, 31)


def pct(x: float) -> str:
    """A computed share, to 0.01 % (2/3 -> 66.67%), but never rounded onto a whole percent it is not:
    79.99999 % prints as 79.99999%, not as 80% beside a rule that asks for 80%. Policy values print with
    cnfmt.pct, which keeps every digit the source has."""
    v = float(x) * 100
    whole = round(v)
    if abs(v - whole) < 1e-7:            # 0.8 * 100 is 80.00000000000001
        return f"{whole}%"
    for digits in range(2, 10):
        shown = round(v, digits)
        if shown != whole:
            break
    return f"{shown:.{digits}f}".rstrip("0").rstrip(".") + "%"
