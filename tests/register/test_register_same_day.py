"""Two submissions of one county received on the same day: the one recorded later is the county's latest.

The register orders a county's submissions by (received, recorded order): the day the office received the file
decides, and on one day the file recorded second replaces the first (a county corrects a typo and sends again
the same afternoon). A file recorded late but received earlier (a back-dated entry) is NOT the latest. Each test
names the mutation it catches; each was applied to the code and seen to fail the test.
"""
import datetime as dt
from pathlib import Path

from generator.register import Register

YEAR = Path(__file__).resolve().parents[2] / "data" / "year-2023"
PLAN = YEAR / "2023-02-24-禹州市-方案.xlsx"
MARCH = YEAR / "2023-03-31-禹州市-月报.xlsx"
APRIL = YEAR / "2023-04-30-禹州市-月报.xlsx"
DAY = dt.date(2023, 4, 30)
BEFORE = DAY - dt.timedelta(days=1)


def _book(tmp_path, policy2023):
    """first and second: received on DAY, recorded in that order; backdated: recorded last, received the day before."""
    reg = Register(tmp_path / "r.db")
    add = {"by": "张三", "policy": policy2023, "county": "禹州市", "kind": "其他", "today": DAY}
    first = reg.add(MARCH, received=DAY, **add).submission
    second = reg.add(APRIL, received=DAY, **add).submission
    backdated = reg.add(PLAN, received=BEFORE, **add).submission
    return reg, first, second, backdated


def test_the_later_recorded_of_one_day_is_the_latest(tmp_path, policy2023):
    """Mutations: series.Book `ORDER BY received, id` -> `ORDER BY received, id DESC` (the first of the day would
    be latest) and -> `ORDER BY id` / `ORDER BY version` (the back-dated entry would be latest); latest_ids
    `subs[-1]` -> `subs[0]`; Book.latest keeping the first match instead of the last."""
    from generator.register import db
    from generator.register.series import Book, latest_ids
    reg, first, second, backdated = _book(tmp_path, policy2023)
    assert (first.version, second.version, backdated.version) == (1, 2, 3)   # recorded order, not received order
    with db.opened(reg.path) as conn:
        assert latest_ids(conn, DAY) == {"禹州市": second.id}
        assert latest_ids(conn, BEFORE) == {"禹州市": backdated.id}
        book = Book(conn, DAY)
        assert book.latest("禹州市", DAY).id == second.id         # what status and the series count from
        assert book.latest("禹州市", BEFORE).id == backdated.id
    # the workbook read for the day is the second file, not the first of the day nor the back-dated one
    assert reg.plans_as_of(DAY, policy2023)["禹州市"].file == APRIL.name
    assert reg.plans_as_of(BEFORE, policy2023)["禹州市"].file == PLAN.name


def test_the_snapshot_and_the_history_follow_the_received_day_then_the_recording(tmp_path, policy2023):
    """Mutations: api.submissions `ORDER BY received, id` -> `ORDER BY received, id DESC` / `ORDER BY id`;
    snapshot `subs[-1]` -> `subs[0]`."""
    from generator.register.snapshot import take
    reg, first, second, backdated = _book(tmp_path, policy2023)
    assert [s.id for s in reg.history("禹州市")] == [backdated.id, first.id, second.id]
    assert [s.id for s in reg.submissions(until=DAY)] == [backdated.id, first.id, second.id]
    assert take(reg, DAY, policy=policy2023).latest["禹州市"].id == second.id


def test_the_previous_of_a_same_day_submission_is_the_one_recorded_before_it(tmp_path, policy2023):
    """Mutations: api._previous `id < ?` -> `id <= ?` (a submission its own previous) and -> `id > ?`;
    `ORDER BY received DESC, id DESC` -> `..., id` (the earliest of the day instead of the one just before)."""
    reg, first, second, backdated = _book(tmp_path, policy2023)
    assert reg.previous(second).id == first.id
    assert reg.previous(first).id == backdated.id
    assert reg.previous(backdated) is None
    # a third file the same day: its previous is the second, not the first of the day
    third = reg.add(PLAN, received=DAY, by="张三", policy=policy2023, county="禹州市", kind="其他",
                    today=DAY)
    assert third.previous.id == second.id


def test_a_period_report_sent_twice_on_its_first_day_is_the_later_one(tmp_path, policy2023):
    """Two 信息月报 of one month received on the same day (no due day set): the report of that month is the one
    recorded second. Mutation: series.Book.period_report `[...][-1]` -> `[...][0]`."""
    from generator.register import db
    from generator.register.series import Book
    reg = Register(tmp_path / "r.db")
    add = {"by": "张三", "policy": policy2023, "county": "禹州市", "period": "2023-04",
           "today": DAY + dt.timedelta(days=5)}
    first = reg.add(MARCH, received=DAY, **add).submission
    second = reg.add(APRIL, received=DAY, **add).submission
    reg.add(MARCH, received=DAY + dt.timedelta(days=3), **add)     # a later day does not replace the first day's
    with db.opened(reg.path) as conn:
        book = Book(conn, DAY + dt.timedelta(days=5))
        assert book.rules.monthly_due_day is None        # the default office rules: no due day
        report, late = book.period_report("禹州市", "2023-04")
    assert (report.id, late) == (second.id, False)
    assert first.id < second.id
