"""Receipts alone (reports.duties): a re-sent report by its due day is a version; one day late is 迟报."""
import datetime as dt

from generator.reports.duties import Received, reporting_duties


def test_a_version_by_the_due_day_is_not_listed_and_one_day_late_is_late(policy2023):
    got = [Received("禹州市", dt.date(2023, 7, 3), "2023-06"), Received("禹州市", dt.date(2023, 7, 5), "2023-06"),
           Received("禹州市", dt.date(2023, 8, 6), "2023-07"), Received("禹州市", dt.date(2023, 8, 20), "2023-07")]
    rep = reporting_duties(policy2023, got, dt.date(2023, 8, 31), 5, first_period="2023-06", counties=["禹州市"])
    c = rep.counties[0]
    assert c.on_time == ["2023-06"] and c.missing == []
    assert c.late == [("2023-07", dt.date(2023, 8, 6), 1)]
    assert c.revised == [("2023-07", dt.date(2023, 8, 20))]      # re-sent after its due day: to be checked
    assert rep.table_header() == ["迟报", "漏报", "逾期重报（待核实）"]
