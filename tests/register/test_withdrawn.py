"""A submission the county withdrew (撤回, issue 22.5/19) never counts, from the city's day it was withdrawn.

The web appends the withdrawal to ``web_reviews``; these tests write those rows as the web does (an ISO time),
so the register is tested without the web, and then check the web refuses what the register ignores.
"""
import datetime as dt
import json

import pytest
from click.testing import CliRunner

from tests.register.conftest import YEAR

PLAN, MARCH, APRIL = ("2023-02-24-禹州市-方案.xlsx", "2023-03-31-禹州市-月报.xlsx", "2023-04-30-禹州市-月报.xlsx")
W = dt.date(2023, 5, 2)          # the day 禹州市 withdraws its April 月报 (received 2023-04-30)
# 00:30 北京时间 on W is still the day before in UTC: the city's day decides
AT_W = "2023-05-01T16:30:00+00:00"


def _add(reg, entries, name, policy):
    e = next(x for x in entries if x["file"] == name)
    return reg.add(YEAR / e["file"], received=dt.date.fromisoformat(str(e["received"])), by=e["by"],
                   policy=policy, note=e["note"], period=e.get("period"), kind=e.get("kind"),
                   approved_by=e.get("approved_by")).submission.id


def _review(reg, sid, action, at):
    from generator.register import db
    with db.opened(reg.path, create=True) as conn:
        with db.transaction(conn):
            conn.execute("INSERT INTO web_reviews(submission_id, action, at, by) VALUES (?,?,?,?)",
                         (sid, action, at, "禹州市填报员"))


@pytest.fixture()
def regs(tmp_path, policy2023, year_entries):
    """``reg``: plan, March and April (April withdrawn on W); ``without``: plan and March only."""
    from generator.register import Register
    reg, without = Register(tmp_path / "w.db"), Register(tmp_path / "plain.db")
    ids = {n: _add(reg, year_entries, n, policy2023) for n in (PLAN, MARCH, APRIL)}
    for n in (PLAN, MARCH):
        _add(without, year_entries, n, policy2023)
    _review(reg, ids[APRIL], "withdrawn", AT_W)
    reg.ids = ids
    return reg, without


def test_counted_the_day_before_not_from_the_day_withdrawn(regs, policy2023):
    from generator.register.series import latest_ids
    from generator.register import db
    reg, _ = regs
    before = reg.snapshot(W - dt.timedelta(days=1), policy=policy2023, due_day=5)
    assert before.latest["禹州市"].id == reg.ids[APRIL]
    for day in (W, W + dt.timedelta(days=1), dt.date(2023, 12, 31)):
        snap = reg.snapshot(day, policy=policy2023, due_day=5)
        assert snap.latest["禹州市"].id == reg.ids[MARCH]          # the previous one is the latest again
        assert snap.last["禹州市"].id == reg.ids[MARCH]
        assert reg.ids[APRIL] not in {s.id for s in snap.trials + snap.unapproved}
    with db.opened(reg.path, readonly=True) as conn:
        assert latest_ids(conn, W - dt.timedelta(days=1))["禹州市"] == reg.ids[APRIL]
        assert latest_ids(conn, W)["禹州市"] == reg.ids[MARCH]


def test_the_figures_are_those_of_a_register_that_never_had_it(regs, policy2023):
    reg, without = regs
    for day in (W, dt.date(2023, 5, 10), dt.date(2023, 6, 30)):
        a = reg.snapshot(day, policy=policy2023, due_day=5)
        b = without.snapshot(day, policy=policy2023, due_day=5)
        assert a.figures() == b.figures()
        assert a.series.to_dict() == b.series.to_dict()
    # due 5 May, withdrawn 2 May and not sent again: April is 漏报 on 10 May
    snap = reg.snapshot(dt.date(2023, 5, 10), policy=policy2023, due_day=5)
    assert [w.period for w in snap.words_of("禹州市", "漏报")] == ["2023-04"]
    assert reg.snapshot(dt.date(2023, 5, 1), policy=policy2023, due_day=5).words_of("禹州市", "漏报") == []


def test_status_and_plans_as_of_leave_it_out(regs, policy2023):
    reg, without = regs
    a = reg.status(W, policy=policy2023).to_dict()
    b = without.status(W, policy=policy2023).to_dict()
    assert a == b
    assert reg.plans_as_of(W - dt.timedelta(days=1), policy2023)["禹州市"].file == APRIL
    assert reg.plans_as_of(W, policy2023)["禹州市"].file == MARCH


def test_the_register_function_is_the_one_answer(regs):
    from generator.register import db
    from generator.register.withdrawn import is_withdrawn, withdrawals
    reg, _ = regs
    sid = reg.ids[APRIL]
    with db.opened(reg.path, readonly=True) as conn:
        assert withdrawals(conn) == {sid: W}
        assert not is_withdrawn(conn, sid, dt.date(2023, 5, 1))
        assert is_withdrawn(conn, sid, W)
        assert not is_withdrawn(conn, reg.ids[MARCH], W)
    assert reg.withdrawn(dt.date(2023, 5, 1)) == {} and reg.withdrawn(W) == {sid: W}


def test_list_and_history_show_it_withdrawn(regs):
    from generator.cli import main
    reg, _ = regs
    r = CliRunner().invoke(main, ["register", "list", "--db", str(reg.path)])
    assert r.exit_code == 0, r.output
    lines = {int(x.split()[0][1:]): x for x in r.output.splitlines() if x.startswith("#")}
    assert "已撤回，2023-05-02" in lines[reg.ids[APRIL]]
    assert "已撤回" not in lines[reg.ids[MARCH]] and "已撤回" not in lines[reg.ids[PLAN]]
    r = CliRunner().invoke(main, ["register", "history", "禹州市", "--db", str(reg.path), "--policy",
                                  "xuchang/2023"])
    assert "已撤回，2023-05-02" in r.output, r.output
    r = CliRunner().invoke(main, ["register", "list", "--db", str(reg.path), "--format", "json"])
    got = {d["id"]: d["withdrawn"] for d in json.loads(r.output)}
    assert got[reg.ids[APRIL]] == "2023-05-02" and got[reg.ids[MARCH]] is None


def test_no_withdrawal_after_the_city_received_it(regs, policy2023):
    """The web refuses it; a row written around the web is not a withdrawal either."""
    from generator.errors import UsageError
    from generator.register import db
    from generator.register.withdrawn import withdrawals
    from generator.web.workflow import record
    reg, _ = regs
    march = reg.ids[MARCH]
    record(reg.path, march, "received", "许昌市住建局", day=dt.date(2023, 4, 3))
    with pytest.raises(UsageError):
        record(reg.path, march, "withdrawn", "禹州市填报员", day=dt.date(2023, 5, 3))
    _review(reg, march, "withdrawn", "2023-05-03T02:00:00+00:00")     # around the web
    with db.opened(reg.path, readonly=True) as conn:
        assert march not in withdrawals(conn)
    assert reg.snapshot(dt.date(2023, 6, 1), policy=policy2023, due_day=5).latest["禹州市"].id == march


def test_the_web_records_a_withdrawal_on_its_own_day(regs):
    """The web's clock (the day it receives by) is the withdrawal's day too."""
    from generator.register import db
    from generator.register.withdrawn import withdrawals
    from generator.web.workflow import record
    reg, _ = regs
    record(reg.path, reg.ids[MARCH], "withdrawn", "禹州市填报员", day=dt.date(2023, 4, 1))
    with db.opened(reg.path, readonly=True) as conn:
        assert withdrawals(conn)[reg.ids[MARCH]] == dt.date(2023, 4, 1)


def test_a_resend_after_a_withdrawal_is_compared_with_what_still_stands():
    """The previous submission of a re-send skips a withdrawn one (no rewrite found against words the county
    took back)."""
    import sqlite3

    from generator.register.api import _previous
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    conn.execute("CREATE TABLE submissions (id INTEGER PRIMARY KEY, county TEXT, received TEXT)")
    conn.execute("CREATE TABLE web_reviews (id INTEGER PRIMARY KEY, submission_id INT, action TEXT, at TEXT)")
    conn.executemany("INSERT INTO submissions VALUES (?, ?, ?)",
                     [(1, "禹州市", "2023-03-01"), (2, "禹州市", "2023-04-30"), (3, "禹州市", "2023-05-02")])
    conn.execute("INSERT INTO web_reviews VALUES (1, 2, 'withdrawn', '2023-05-01T08:00:00+08:00')")

    class Sub:
        county, received, id = "禹州市", __import__("datetime").date(2023, 5, 2), 3

    import generator.register.api as api
    seen = []
    orig = api.Submission.from_row
    api.Submission.from_row = staticmethod(lambda row: seen.append(row["id"]) or row["id"])
    try:
        assert _previous(conn, Sub) == 1          # not 2, the withdrawn one
    finally:
        api.Submission.from_row = orig
