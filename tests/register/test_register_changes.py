"""Changes between consecutive submissions; the ones that rewrite an earlier report are findings."""
import datetime as dt

import pytest

from generator.register.api import ProjectSnapshot, Submission
from generator.register.changes import compare


def sub(i, received):
    return Submission(i, "禹州市", i, received, "", "张三", f"{i}.xlsx", "xlsx", "h", "xuchang/2023", "1.0.0", "h",
                      True, 0, 0)


def row(pid, **kw):
    base = dict(row=4, project=pid, community="c", households=10, planned_start="2023-05-01",
                planned_end="2023-09-01", actual_start=None, actual_end=None)
    base.update(kw)
    return ProjectSnapshot(**base)


OLD = sub(1, dt.date(2023, 6, 30))
NEW = sub(2, dt.date(2023, 7, 31))


def run(old_rows, new_rows, policy):
    return compare(OLD, old_rows, NEW, new_rows, policy)


@pytest.mark.parametrize("old, new, code", [
    (dict(actual_start="2023-05-20"), dict(actual_start="2023-07-02"), "R101"),
    (dict(actual_start="2023-05-20"), dict(), "R102"),
    (dict(actual_start="2023-05-20", actual_end="2023-06-30"), dict(actual_start="2023-05-20", actual_end="2023-07-05"),
     "R103"),
    (dict(actual_start="2023-05-20", actual_end="2023-06-10"), dict(actual_start="2023-05-20"), "R104"),
])
def test_rewrites_are_findings_with_both_values_and_dates(old, new, code, policy2023):
    cs = run([row("A", **old)], [row("A", **new)], policy2023)
    assert [f.code for f in cs.findings] == [code]
    f = cs.findings[0]
    column = "实际开工日期" if code in ("R101", "R102") else "实际完工日期"
    key = "actual_start" if code in ("R101", "R102") else "actual_end"
    assert f.column == column and f.project == "A" and f.county == "禹州市"
    assert f.expected == old[key] and f.value == new.get(key)
    assert "2023-06-30" in f.message and "2023-07-31" in f.message          # both submission dates
    assert f.clause == policy2023.text.display(policy2023.policy.reporting.clause)
    assert f.extra["old_submission"] == 1 and f.extra["new_submission"] == 2


def test_a_counted_project_removed_is_a_finding(policy2023):
    cs = run([row("A", actual_start="2023-05-20"), row("B")], [row("B")], policy2023)
    assert [f.code for f in cs.findings] == ["R105"]
    assert [(c.kind, c.project) for c in cs.changes] == [("removed", "A")]


def test_ordinary_changes_are_listed_not_found(policy2023):
    cs = run([row("A"), row("B", actual_start="2023-06-01")],
             [row("A", households=12, planned_start="2023-06-01", actual_start="2023-07-01"),
              row("B", actual_start="2023-06-01", actual_end="2023-07-20"), row("C")], policy2023)
    # a date set for the first time after the days the earlier report spoke for rewrites nothing
    assert cs.findings == []
    got = {(c.kind, c.project, c.field, c.old, c.new) for c in cs.changes}
    assert got == {("changed", "A", "households", 10, 12), ("changed", "A", "planned_start", "2023-05-01", "2023-06-01"),
                   ("changed", "A", "actual_start", None, "2023-07-01"),
                   ("changed", "B", "actual_end", None, "2023-07-20"), ("added", "C", None, None, None)}


def test_only_what_the_earlier_report_counted_is_history(policy2023):
    # a start dated on the day the old report was received was counted by it; one dated after it was not
    on_day = run([row("A", actual_start="2023-06-30")], [row("A", actual_start="2023-07-03")], policy2023)
    after = run([row("A", actual_start="2023-07-01")], [row("A", actual_start="2023-07-03")], policy2023)
    assert [f.code for f in on_day.findings] == ["R101"]
    assert after.findings == []


def test_a_start_back_filled_inside_the_days_an_earlier_report_covered_is_r106(policy2023):
    # issue 19.3: absent in the report received 06-30, "06-28" in the next one: rewritten (错报 candidate)
    cs = run([row("A")], [row("A", actual_start="2023-06-28")], policy2023)
    assert [f.code for f in cs.findings] == ["R106"]
    assert cs.findings[0].value == "2023-06-28" and cs.findings[0].expected is None
    # a project added with a start inside those days too
    added = run([row("A")], [row("A"), row("B", actual_start="2023-06-30")], policy2023)
    assert [(f.code, f.project) for f in added.findings] == [("R106", "B")]


def test_buildings_and_area_changes_are_listed_with_the_policys_unit(policy2023):
    # issue 23.6: 楼栋数 and 建筑面积 are tracked between two submissions of a county; the area column is headed in
    # the unit the policy states its area in (牡丹江 2022: 95.85万平方米 → 建筑面积（万㎡）)
    from generator.policy import load_policy
    mdj = load_policy("mudanjiang/2022")
    assert mdj.policy.city_target.area == 95.85
    cs = compare(OLD, [row("A", buildings=6, area=1.2), row("B", buildings=3, area=0.4)],
                 NEW, [row("A", buildings=7, area=1.35), row("B", buildings=3, area=0.4)], mdj)
    assert cs.findings == []
    got = [(c.kind, c.project, c.field, c.old, c.new) for c in cs.changes]
    assert got == [("changed", "A", "buildings", 6, 7), ("changed", "A", "area", 1.2, 1.35)]
    assert [c.text() for c in cs.changes] == ["A 楼栋数：6 → 7", "A 建筑面积（万㎡）：1.2 → 1.35"]
    assert cs.changes[1].text("en") == "A area: 1.2 -> 1.35"
    # a figure cleared is a change; one the earlier submission never recorded (an older register, or no area column
    # then) is not: the register cannot say what it was
    cleared = compare(OLD, [row("A", buildings=6)], NEW, [row("A", buildings=None)], policy2023)
    assert [(c.field, c.old, c.new) for c in cleared.changes] == [("buildings", 6, None)]
    assert cleared.changes[0].text() == "A 楼栋数：6 → （空）"
    unknown = compare(OLD, [row("A")], NEW, [row("A", buildings=6, area=1.2)], policy2023)
    assert unknown.changes == []
