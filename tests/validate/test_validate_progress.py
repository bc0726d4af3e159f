"""``gaizao progress``: shares against the milestones due, missed milestones, open start criteria, chart."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from validate_builders import set_cell, valid_plan
from generator.cli import main
from generator.ledger import contract as C
from generator.validate.progress import progress

DATA = Path(__file__).resolve().parents[2] / "data"
D = dt.date


def started_plan(lp, county="禹州市"):
    """Every project started on 6-01 and completed on 10-20, all criteria met (as dates)."""
    plan = valid_plan(lp, county)
    crit = C.build_contract(lp.policy).criterion_columns
    for row in plan.projects:
        set_cell(row, C.ACTUAL_START, D(2023, 6, 1))
        set_cell(row, C.ACTUAL_END, D(2023, 10, 20))
        for column in crit.values():
            set_cell(row, column, D(2023, 5, 20))
    return plan


def test_on_track_county(policy2023):
    r = progress([started_plan(policy2023)], policy2023, D(2023, 11, 1))
    [c] = r.counties
    assert (c.started, c.projects, c.households_completed, c.households) == (8, 8, 181, 181)
    assert {m.id: m.met for m in c.milestones} == {"all_started": True, "completed_70": True, "all_completed": None}
    assert c.not_started == [] and r.missed == []


def test_missed_milestones_and_open_criteria(policy2023):
    plan = started_plan(policy2023)
    late = plan.projects[0]
    set_cell(late, C.ACTUAL_START, None)                  # not started at all
    set_cell(late, C.ACTUAL_END, None)
    crit = C.build_contract(policy2023.policy).criterion_columns
    set_cell(late, crit[3], False)                        # design not published
    set_cell(late, crit[4], D(2023, 12, 1))               # contract signed only after the as-of date
    for row in plan.projects[1:5]:                        # completed after October
        set_cell(row, C.ACTUAL_END, D(2023, 11, 20))
    r = progress([plan], policy2023, D(2023, 11, 30))
    [c] = r.counties
    assert c.started == 7 and round(c.share_started, 3) == 0.875
    missed = {m.id: m for m in c.missed}
    assert set(missed) == {"all_started", "completed_70"}
    assert missed["all_started"].share_reached == 0.875 and missed["all_started"].clause == "二、目标任务"
    # measured on the milestone's own date (10-31), not on the as-of date
    hh_by_october = sum(r.value(C.HOUSEHOLDS) for r in plan.projects[5:])
    assert missed["completed_70"].share_reached == round(hh_by_october / 181, 4)
    [open_project] = c.not_started
    assert open_project.project == "P001"
    assert [(x["id"], x["clause"]) for x in open_project.open_criteria] == [(3, "附件 第3条"), (4, "附件 第4条")]
    assert r.city.county == "合计" and not r.city_complete  # one county only: no city target applied ...
    assert [(county, m.id) for county, m in r.missed] == [("禹州市", "all_started"), ("禹州市", "completed_70")]


@pytest.mark.slow
def test_city_over_all_samples_and_chart(tmp_path):
    chart = tmp_path / "chart.png"
    res = CliRunner().invoke(main, ["progress", *map(str, sorted(DATA.glob("sample-*.xlsx"))), "--as-of",
                                    "2023年11月15日", "--format", "json", "--chart", str(chart)])
    assert res.exit_code == 0, res.output                 # a report: behind schedule is not a failure ...
    d = json.loads(res.output)
    assert d["kind"] == "progress" and d["as_of"] == "2023-11-15"
    assert [c["county"] for c in d["counties"]] == ["禹州市", "长葛市", "襄城县", "魏都区", "建安区"]
    city = d["city"]
    assert (city["county"], city["projects"], city["households"]) == ("全市", 265, 19380)
    assert any(c["missed"] for c in d["counties"])
    strict = CliRunner().invoke(main, ["progress", *map(str, sorted(DATA.glob("sample-*.xlsx"))), "--as-of",
                                       "2023-11-15", "--strict", "--format", "json"])
    assert strict.exit_code == 1                           # ... unless asked to fail on a missed milestone
    for c in d["counties"]:
        for p in c["not_started"]:
            assert all(x["clause"].startswith("附件") for x in p["open_criteria"])
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 20_000
    again = tmp_path / "again.png"
    CliRunner().invoke(main, ["progress", *map(str, sorted(DATA.glob("sample-*.xlsx"))), "--as-of", "2023-11-15",
                              "--chart", str(again)])
    assert again.read_bytes() == chart.read_bytes()         # deterministic: no timestamps in the PNG


def test_bad_as_of_is_a_usage_error():
    res = CliRunner().invoke(main, ["progress", str(DATA / "sample-禹州市.xlsx"), "--as-of", "明天"])
    assert res.exit_code == 2 and "--as-of" in res.output and "Traceback" not in res.output


# -- the chart (issue 8, item 5) -------------------------------------------------------------------------
def _sample_result(as_of="2023-11-15"):
    import datetime as dt

    from generator.ledger.reader import read_plan
    from generator.policy import load_policy
    from generator.validate.progress import progress
    lp = load_policy("xuchang/2023")
    plans = [read_plan(p, lp.policy) for p in sorted(DATA.glob("sample-*.xlsx"))]
    return progress(plans, lp, dt.date.fromisoformat(as_of)), lp


@pytest.mark.slow
def test_chart_labels_sample_shows_starts_completions_and_every_milestone():
    from generator.validate.progress import chart_figure
    result, lp = _sample_result()
    assert result.sample
    fig = chart_figure(result, lp)
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text") and a.get_visible()) if t.get_text()]
    assert any("示例数据" in t for t in texts)
    top, bottom = fig.axes[:2]
    assert "开工" in top.get_ylabel() and "完工" in bottom.get_ylabel()
    for ax, curves in ((top, result.start_curves), (bottom, result.curves)):
        assert {line.get_label() for line in ax.get_lines()} >= set(curves) and "全市" in curves
    # every milestone of the policy, on the panel of its measure, at its date and share
    for m in lp.policy.milestones:
        ax = top if m.measure == "started" else bottom
        label = f"{m.date.month}月{m.date.day}日前{m.label}"
        assert label in [t.get_text() for t in ax.texts], label
        import matplotlib.dates as mdates
        points = [(round(mdates.date2num(line.get_xdata()[0])), line.get_ydata()[0]) for line in ax.get_lines()
                  if line.get_marker() == "D"]
        assert (round(mdates.date2num(m.date)), m.share * 100) in points
    import matplotlib.pyplot as plt
    plt.close(fig)


@pytest.mark.slow
def test_chart_labels_do_not_overlap():
    from generator.validate.progress import chart_figure
    for as_of in ("2023-11-15", "2023-07-01", "2023-12-31"):
        result, lp = _sample_result(as_of)
        fig = chart_figure(result, lp)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        boxes = []
        for artist in fig.findobj(lambda a: hasattr(a, "get_text") and a.get_visible() and a.get_text()):
            boxes.append((artist.get_text(), artist.get_window_extent(renderer)))
        legend = fig.legends[0].get_window_extent(renderer)
        legend_texts = {t.get_text() for t in fig.legends[0].get_texts()}
        for i, (ta, a) in enumerate(boxes):
            for tb, b in boxes[i + 1:]:
                if ta in legend_texts and tb in legend_texts:
                    continue
                assert not a.overlaps(b), (as_of, ta, tb)
            if ta not in legend_texts:
                assert not a.overlaps(legend), (as_of, ta)
        import matplotlib.pyplot as plt
        plt.close(fig)


@pytest.mark.slow
def test_chart_print_quality_png_and_svg(tmp_path):
    from PIL import Image
    png, svg = tmp_path / "c.png", tmp_path / "c.svg"
    args = [*map(str, sorted(DATA.glob("sample-*.xlsx"))), "--as-of", "2023-11-15"]
    assert CliRunner().invoke(main, ["progress", *args, "--chart", str(png)]).exit_code == 0
    assert CliRunner().invoke(main, ["progress", *args, "--chart", str(svg)]).exit_code == 0
    im = Image.open(png)
    assert im.info["dpi"][0] >= 199 and im.width >= 2000          # 10 in at 200 dpi
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text
