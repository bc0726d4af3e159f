"""As-of status and the monthly series from the register, against the policy's milestones."""
import datetime as dt
import math

from generator.register.series import month_ends

YU = "禹州市"


def verdict(st, county, mid):
    line = next(c for c in [*st.counties, st.city] if c.line.county == county)
    return next(v for v in line.verdicts if v.id == mid)


def test_junes_verdict_stays_junes_and_says_what_changed(year_register, policy2023):
    m = policy2023.policy.milestone("all_started")
    target = policy2023.policy.county(YU).target.projects
    june = verdict(year_register.status(m.date, policy=policy2023), YU, m.id)
    assert (june.reached_then, june.required, june.met_then, june.changed) == (target, target, True, False)
    later = verdict(year_register.status(policy2023.policy.year_end, policy=policy2023), YU, m.id)
    july = year_register.ids[f"{m.date.year}-07-31-{YU}-月报.xlsx"]
    assert (later.reached_then, later.met_then) == (target, True)           # what was reported by June
    assert (later.reached_now, later.met_now) == (target - 1, False)        # what later reports say of June
    assert later.changed and later.changed_by == [july]                     # only the report that changed it
    city = verdict(year_register.status(policy2023.policy.year_end, policy=policy2023), "全市", m.id)
    assert city.changed_by == [july]


def test_as_of_counts_only_what_was_received_by_then(year_register, policy2023):
    m = policy2023.policy.milestone("all_started")
    before = verdict(year_register.status(m.date - dt.timedelta(days=1), policy=policy2023), YU, m.id)
    assert not before.due and before.met_then is None
    st = year_register.status(m.date - dt.timedelta(days=1), policy=policy2023)
    line = next(c.line for c in st.counties if c.line.county == YU)
    # the May report is the latest received: June starts it did not know are not counted
    assert line.received == dt.date(m.date.year, 5, 31)
    may = year_register.projects(line.submission)
    assert line.started == sum(1 for r in may if r.actual_start and r.actual_start <= (m.date - dt.timedelta(days=1)).isoformat())


def test_required_counts_come_from_the_policy(year_register, policy2023):
    p = policy2023.policy
    st = year_register.status(p.year_end, policy=policy2023)
    for c in st.counties:
        t = p.county(c.line.county).target
        for v in c.verdicts:
            m = p.milestone(v.id)
            base = t.projects if m.basis == "projects" else t.households
            assert v.required == math.ceil(m.share * base - 1e-9) and v.date == m.date
            assert v.clause == policy2023.text.display(m.clause)


def test_status_agrees_with_gaizao_progress_on_the_same_workbooks(year_register, policy2023):
    from generator.validate.progress import progress
    day = dt.date(policy2023.policy.year, 9, 30)
    st = year_register.status(day, policy=policy2023)
    plans = year_register.plans_as_of(day, policy=policy2023)
    assert set(plans) == {YU, "建安区"}
    for c in st.counties:
        if c.line.county not in plans:
            assert c.line.submission is None and c.line.started == 0
            continue
        ref = progress([plans[c.line.county]], policy2023, day).counties[0]
        assert (c.line.started, c.line.completed, c.line.households_completed) == \
               (ref.started, ref.completed, ref.households_completed) != (0, 0, 0)


def test_monthly_series(year_register, policy2023):
    p = policy2023.policy
    s = year_register.series(p.year, policy=policy2023)
    assert s.months == [f"{p.year}-{m:02d}" for m in range(1, 13)]
    assert [e.month for e in month_ends(p.year)] == list(range(1, 13))
    names = [c.name for c in p.counties_with_target]
    for month in s.months:
        rows = [r for r in s.rows if r.month == month]
        assert [r.line.county for r in rows] == [*names, "全市"]
        city = rows[-1].line
        for f in ("started", "completed", "households_completed"):
            assert getattr(city, f) == sum(getattr(r.line, f) for r in rows[:-1])
    jian_aug = next(r for r in s.rows if r.month == f"{p.year}-08" and r.line.county == "建安区")
    jian_sep = next(r for r in s.rows if r.month == f"{p.year}-09" and r.line.county == "建安区")
    assert not jian_aug.reported_this_month and jian_sep.reported_this_month        # 漏报 in August
    assert jian_aug.line.received == dt.date(p.year, 7, 31)                          # July's report still stands
    # the milestones due in a month are marked in that month, from the policy
    june = [r for r in s.rows if r.month == f"{p.year}-06" and r.line.county == YU][0]
    m = p.milestone("all_started")
    assert [x["id"] for x in june.milestones] == [m.id] and june.milestones[0]["met"]
    dec = [r for r in s.rows if r.month == f"{p.year}-12" and r.line.county == YU][0]
    assert {x["id"] for x in dec.milestones} == {x.id for x in p.milestones if x.date.month == 12}
    # cumulative: never decreasing for a county that reports every month in this data
    yu = [r.line.households_completed for r in s.rows if r.line.county == YU]
    assert yu == sorted(yu) and yu[-1] == p.county(YU).target.households


def test_recorded_policy_facts_give_the_same_status_and_series(year_register, policy2023):
    """Without a policy, status and series use the facts recorded with the submissions (no policy load):
    the same answer as with the loaded policy."""
    from generator.register.facts import PolicyFacts
    lp = year_register.recorded_policy()
    assert isinstance(lp, PolicyFacts) and lp.manifest() == policy2023.manifest()
    for day in (dt.date(2023, 5, 31), policy2023.policy.year_end):
        assert year_register.status(day, policy=None).to_dict() == year_register.status(day, policy=policy2023).to_dict()
    assert year_register.series(policy=None).to_dict() == year_register.series(policy=policy2023).to_dict()


def test_a_city_line_over_part_of_the_counties_is_shown_not_compared(year_register, policy2023):
    """Only 禹州市 and 建安区 are in the register: their sum is not the city's progress, so the 全市 line
    says 未收齐，不比较 instead of ✓/✗ against the city target (as validate's city-wide table does)."""
    from io import StringIO

    from rich.console import Console

    from generator.register.cli import print_status
    m = policy2023.policy.milestone("all_started")
    st = year_register.status(policy2023.policy.year_end, policy=policy2023)
    assert st.city.line.partial and not any(c.line.partial for c in st.counties)
    city = verdict(st, "全市", m.id)
    assert city.due and city.met_then is None and city.met_now is None
    assert verdict(st, YU, m.id).met_then is True                      # each county is still judged
    assert st.to_dict()["city"]["partial"] is True
    out = StringIO()
    print_status(st, unit="县（市、区）", console=Console(file=out, width=400))
    city_row = next(line for line in out.getvalue().splitlines() if "全市" in line)
    assert "未收齐，不比较" in city_row and "✓" not in city_row and "✗" not in city_row
    assert not any(county == "全市" for county, _ in st.changed)


def test_the_level_below_is_partial_when_the_policy_lists_only_some():
    from types import SimpleNamespace

    from generator.policy.goals import level_partial
    a, b = SimpleNamespace(name="甲县"), SimpleNamespace(name="乙县")
    listed = SimpleNamespace(counties_with_target=[a, b], counties_complete=None)
    assert not level_partial(listed, {"甲县", "乙县"})
    assert level_partial(listed, {"甲县"})
    assert level_partial(SimpleNamespace(counties_with_target=[a, b], counties_complete=False), {"甲县", "乙县"})


def test_the_monthly_city_row_over_part_of_the_counties_is_not_judged(year_register, policy2023):
    from generator.register.series import month_mark
    s = year_register.series(policy2023.policy.year, policy=policy2023)
    june = [r for r in s.rows if r.month.endswith("-06")]
    city, yu = june[-1], next(r for r in june if r.line.county == YU)
    assert city.line.partial and city.milestones and all(m["met"] is None for m in city.milestones)
    assert all(m["met"] is True for m in yu.milestones)
    assert "未收齐，不比较" in month_mark(city.milestones[0], "全部开工") and "✗" not in month_mark(city.milestones[0], "x")
    assert month_mark(yu.milestones[0], "全部开工").startswith("全部开工 ✓ ")
