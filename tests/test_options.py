"""Shared options (generator/options.py): one definition, the same range in every command that uses it."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.errors import UsageError

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample-禹州市.xlsx"
RECEIPTS = "县（市、区）,报送日期,所属月份\n禹州市,2023-03-05,2023-02\n"


def _due_day_commands(tmp: Path) -> dict[str, list[str]]:
    """Every command with --monthly-due-day, with whatever else it needs to get past parsing."""
    received = tmp / "r.csv"
    received.write_text(RECEIPTS, encoding="utf-8")
    db = str(tmp / "gaizao.db")
    return {"serve": ["serve", "--db", db],
            "register documents": ["register", "documents", "--db", db, "-o", str(tmp / "o")],
            "report duties": ["report", "duties", "--received", str(received), "--as-of", "2023-04-30"],
            "report tongbao": ["report", "tongbao", str(SAMPLE), "--received", str(received), "--as-of", "2023-04-30",
                               "-o", str(tmp / "o")]}


@pytest.mark.parametrize("command", ["serve", "register documents", "report duties", "report tongbao"])
@pytest.mark.parametrize("day", ["0", "29", "31"])
def test_a_due_day_not_in_every_month_is_a_usage_error(tmp_path, command, day):
    r = CliRunner().invoke(main, [*_due_day_commands(tmp_path)[command], "--monthly-due-day", day])
    assert r.exit_code == 2, r.output
    assert "--monthly-due-day" in r.output and "1<=x<=28" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "o").exists() and not (tmp_path / "gaizao.db").exists()


def test_the_last_day_every_month_has_is_accepted(tmp_path):
    args = _due_day_commands(tmp_path)["report duties"]
    r = CliRunner().invoke(main, [*args, "--monthly-due-day", "28"])
    assert r.exit_code == 0, r.output
    assert "次月28日前" in r.output


def test_the_library_keeps_the_same_range(policy2023):
    """register documents and the web pass the day to reporting_duties, which holds the same bounds."""
    from generator.reports.duties import reporting_duties
    assert reporting_duties(policy2023, [], dt.date(2023, 4, 30), 28).due_day == 28
    for day in (0, 29):
        with pytest.raises(UsageError, match="1—28"):
            reporting_duties(policy2023, [], dt.date(2023, 4, 30), day)
