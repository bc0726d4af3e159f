"""Reporting duties: the 信息月报 due day is asked for, never invented; 迟报/漏报/错报 per county."""
from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.render.official import office
from generator.reports.duties import MonthlyDueDayMissing, Received, due_date, reporting_duties

COUNTY = "禹州市"


def test_the_policy_gives_no_due_day_so_it_is_asked_for(policy2023):
    assert not any(ch.isdigit() for ch in next(d for d in policy2023.policy.reporting.duties if d.key == "monthly").quote)
    with pytest.raises(MonthlyDueDayMissing) as e:
        reporting_duties(policy2023, [], dt.date(2023, 6, 30), None)
    assert "--monthly-due-day" in str(e.value.args[0]) and "五（四）" in str(e.value.args[0])


def test_cli_asks_for_the_due_day(tmp_path):
    f = tmp_path / "r.csv"
    f.write_text("县（市、区）,报送日期,所属月份\n禹州市,2023-03-05,2023-02\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["report", "duties", "--received", str(f), "--as-of", "2023-04-30"])
    assert r.exit_code == 2 and "--monthly-due-day" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(main, ["report", "duties", "--received", str(f), "--as-of", "2023-04-30",
                                  "--monthly-due-day", "5"])
    assert r.exit_code == 0 and "漏报" in r.output and "3月" in r.output


def test_late_missing_revised_with_the_due_day_boundary(policy2023):
    day = 5
    feb, mar, apr = "2023-02", "2023-03", "2023-04"
    assert due_date(feb, day) == dt.date(2023, 3, 5)
    received = [Received(COUNTY, dt.date(2023, 3, 5), feb),          # on the due day: on time
                Received(COUNTY, dt.date(2023, 4, 6), mar),          # one day late
                Received(COUNTY, dt.date(2023, 4, 20), feb),         # February's figures sent again
                Received("长葛市", dt.date(2023, 3, 1), feb)]
    # programme-year.md: 漏报 is a report "whose due day has passed by the as-of date": April's, due 5-5, is judged
    # from 5-6 (on 5-5 it may still arrive that day, on time)
    rep = reporting_duties(policy2023, received, dt.date(2023, 5, 6), day, counties=[COUNTY, "长葛市"])
    assert rep.periods == [feb, mar, apr]
    yz, cg = rep.counties
    assert yz.on_time == [feb] and yz.late == [(mar, dt.date(2023, 4, 6), 1)] and yz.missing == [apr]
    assert yz.revised == [(feb, dt.date(2023, 4, 20))]
    assert cg.missing == [mar, apr]
    assert reporting_duties(policy2023, received, dt.date(2023, 5, 5), day, counties=[COUNTY]).periods == [feb, mar]
    text = rep.paragraphs()[0]
    assert "次月5日前" in text and office(policy2023) + "确定" in text and "迟报" in text and "漏报" in text
