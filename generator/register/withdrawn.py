"""Is a submission withdrawn (撤回) as of a day: the one answer every figure and page reads (issue 22.5/19).

The county withdraws a submission in the web before the city receives it; the web appends that to the
register's ``web_reviews`` table (the register never imports the web: it reads its own database's table).
A withdrawn submission is kept (append-only) but never counted: not in the status, the series, the words,
the 汇总表 or 通报, and the county's previous submission is its latest again.

One picture per date: a withdrawal counts from the city's day it was made (北京时间, the day the web calls
"today"), so a snapshot of an earlier day still counts the submission. A withdrawal recorded after the
city received (or reviewed) the submission is not one — the web refuses it; a row written around the web is
ignored here by the same rule.
"""
from __future__ import annotations

import datetime as dt

# the city's day (Asia/Shanghai: UTC+8 all year, no daylight saving since 1991), as the web's "today"
CITY_TZ = dt.timezone(dt.timedelta(hours=8))


def day_of(at: str) -> dt.date:
    """The city's day of a recorded time (ISO; a time without an offset is UTC, as the web writes it)."""
    t = dt.datetime.fromisoformat(at)
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    return t.astimezone(CITY_TZ).date()


def withdrawals(conn, as_of: dt.date | None = None) -> dict[int, dt.date]:
    """submission id -> the day it was withdrawn, for withdrawals made on or before ``as_of`` (None: all)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'web_reviews'").fetchone() is None:
        return {}
    out: dict[int, dt.date] = {}
    acted: set[int] = set()                 # the city acted first: a later "withdrawal" is not one
    for sid, action, at in conn.execute("SELECT submission_id, action, at FROM web_reviews ORDER BY id"):
        if action != "withdrawn":
            acted.add(sid)
            continue
        if sid in acted or sid in out:
            continue
        day = day_of(at)
        if as_of is None or day <= as_of:
            out[sid] = day
    return out


def withdrawn_ids(conn, as_of: dt.date | None = None) -> set[int]:
    return set(withdrawals(conn, as_of))


def is_withdrawn(conn, sid: int, as_of: dt.date | None = None) -> bool:
    return int(sid) in withdrawals(conn, as_of)
