"""The bundled version pairs: 2023 vs the 2024 示例草案 (planted changes), 襄阳 2020 vs 2023, git revisions."""
from __future__ import annotations

import pytest
import yaml

from tests.diff.conftest import FIXTURES, records


def test_identical_versions_have_no_change():
    assert records("xuchang/2023", "xuchang/2023") == []


def test_git_revision_of_the_same_policy_is_identical():
    assert records("xuchang/2023@HEAD", "xuchang/2023") == []


def test_draft_lists_every_planted_change_once_and_nothing_else():
    planted = yaml.safe_load((FIXTURES / "2024-draft.planted.yaml").read_text(encoding="utf-8"))
    recs = records("xuchang/2023", "xuchang/2024-draft")
    key = lambda r: (r["kind"], r["op"], r["path"], r["clause"])   # noqa: E731
    assert sorted(map(key, recs)) == sorted(map(key, planted))
    for p in planted:
        (r,) = [r for r in recs if key(r) == key(p)]
        assert p["says"] in r["explanation"], (p, r["explanation"])
        assert r["clause_display"], r                     # every change names its clause


def test_draft_is_marked_as_example_draft():
    from generator.policy import check_policy, load_policy
    lp = load_policy("xuchang/2024-draft")
    p = lp.policy
    assert (p.status, p.label, p.supersedes) == ("draft", "示例草案", "xuchang/2023@1.0.0")
    assert "示例草案" in p.title and any("示例" in s for s in p.sources)
    assert "示例" in (p.document.doc_number.note or "")
    report = check_policy(lp)
    assert report.errors == 0 and report.warnings == 0, [f.code for f in report.findings]


def test_xiangyang_2020_to_2023_districts_added_removed_and_totals():
    recs = records("xiangyang/2020", "xiangyang/2023")
    by_path = {r["path"]: r for r in recs}
    assert sorted(r["county"] for r in recs if r["op"] == "added") == sorted(
        ["枣阳市", "宜城市", "老河口市", "南漳县", "保康县", "谷城县"])
    assert [r["county"] for r in recs if r["op"] == "removed"] == ["鱼梁洲"]
    assert by_path["counties[枣阳市]"]["new"] == {"name": "枣阳市", "target": {"projects": 22}}
    assert (by_path["city_target.projects"]["old"], by_path["city_target.projects"]["new"]) == (200, 151)
    assert by_path["city_target.projects"]["explanation"] == "全市项目数由200个调整为151个（减少49个，-24.5%）"
    assert (by_path["city_target.households"]["old"], by_path["city_target.households"]["new"]) == (35796, 28743)
    assert by_path["counties[樊城区].target.projects"]["delta"] == -82
    # households per district are not published: absent on both sides, so never a change
    assert not any(p.endswith(".households") and p.startswith("counties") for p in by_path)
    assert sorted(by_path) == sorted(_target_changes("xiangyang/2020", "xiangyang/2023"))
    assert len(recs) == len(by_path)                       # each change once


def _target_changes(old_ref: str, new_ref: str) -> list[str]:
    """The paths a diff of two target-only policies must report, read from the two loaded policies (not typed
    here): the plan year, each city total that differs, each district added or removed, and each target of a
    district in both that differs (a figure absent on both sides is no change)."""
    from generator.policy import load_policy
    from generator.policy.model import Target
    old, new = load_policy(old_ref).policy, load_policy(new_ref).policy
    figures = [f for f in ("projects", "households", "communities", "buildings", "area") if f in Target.model_fields]
    paths = ["document.plan_year"] if old.document.plan_year.value != new.document.plan_year.value else []
    paths += [f"city_target.{f}" for f in figures if getattr(old.city_target, f) != getattr(new.city_target, f)]
    a, b = {c.name: c for c in old.counties}, {c.name: c for c in new.counties}
    paths += [f"counties[{n}]" for n in set(a) ^ set(b)]
    paths += [f"counties[{n}].target.{f}" for n in set(a) & set(b) for f in figures
              if getattr(a[n].target, f) != getattr(b[n].target, f)]
    return paths


def test_target_only_policies_pass_the_check():
    from generator.policy import check_policy, load_policy
    for ref in ("xiangyang/2020", "xiangyang/2023"):
        lp = load_policy(ref)
        assert lp.policy.kind == "targets" and lp.policy.sources
        assert check_policy(lp).errors == 0


@pytest.mark.slow
def test_county_digest_keeps_only_that_county():
    recs = records("xuchang/2023", "xuchang/2024-draft", county="禹州市")
    assert sorted(r["path"] for r in recs) == ["counties[禹州市].liaison_quota", "counties[禹州市].target.households",
                                              "counties[禹州市].target.projects"]
    assert {r["clause"] for r in recs} == {"二", "四（五）"}
    added = records("xuchang/2023", "xuchang/2024-draft", county="鄢陵县")
    assert [(r["op"], r["path"]) for r in added] == [("added", "counties[鄢陵县]")]


@pytest.mark.slow
def test_county_digest_includes_clause_text_naming_the_county(copy2023):
    from tests.diff.conftest import POLICY_2023, edit
    edit(copy2023 / "text.yaml", "要高度重视老旧小区改造工作。", "要高度重视老旧小区改造工作，魏都区要发挥示范作用。")
    edit(copy2023 / "text.yaml", "要落实工程质量安全管理责任制", "要严格落实工程质量安全管理责任制")
    recs = records(POLICY_2023, copy2023, county="魏都区")
    assert [(r["kind"], r["clause"]) for r in recs] == [("clause", "五（一）")]
