"""Parameter changes, one test per kind: number, share, date, text, list members, reorder, rename."""
from __future__ import annotations

import pytest

from tests.diff.conftest import FIXTURES, POLICY_2023, edit, records


def only(recs, **match):
    found = [r for r in recs if all(r[k] == v for k, v in match.items())]
    assert len(found) == 1, (match, recs)
    return found[0]


def test_number_change_has_unit_delta_percentage_and_clause(copy2023):
    edit(copy2023 / "policy.yaml", "households: 14666", "households: 15000")
    recs = records(POLICY_2023, copy2023)
    r = only(recs, path="counties[魏都区].target.households")
    assert (r["kind"], r["op"], r["old"], r["new"], r["unit"]) == ("param", "changed", 14666, 15000, "户")
    assert (r["delta"], r["delta_pct"], r["county"], r["clause"]) == (334, 2.3, "魏都区", "二")
    assert r["clause_display"] == "二、目标任务"
    assert r["explanation"] == "魏都区户数由14666户调整为15000户（增加334户，+2.3%）"
    assert len(recs) == 1        # the rendered text of 二 changed too, but only through the parameter


def test_share_change_in_percentage_points(copy2023):
    edit(copy2023 / "policy.yaml", "threshold: 0.8", "threshold: 0.85")
    edit(copy2023 / "policy.yaml", "经80%以上居民同意", "经85%以上居民同意")      # its quote follows
    edit(copy2023 / "policy.yaml", "（80%以上同意）", "（85%以上同意）")
    recs = records(POLICY_2023, copy2023)
    r = only(recs, path="consent.threshold")
    assert (r["old"], r["new"], r["unit"], r["delta"]) == (0.8, 0.85, "share", 5)
    assert r["explanation"] == "居民同意比例由80%调整为85%（提高5个百分点）"
    assert r["clause_display"] == "三（二）拟定小区改造方案"
    assert len(recs) == 1        # quotes are provenance: never a change of their own


@pytest.mark.slow
def test_date_change_counts_days(copy2023):
    edit(copy2023 / "policy.yaml", "date: 2023-06-30", "date: 2023-05-31")
    r = only(records(POLICY_2023, copy2023), path="milestones[all_started].date")
    assert (r["old"], r["new"], r["days"]) == ("2023-06-30", "2023-05-31", -30)
    assert "提前30天" in r["explanation"] and r["clause"] == "二"


@pytest.mark.slow
def test_text_parameter_change_has_character_ops(copy2023):
    edit(copy2023 / "policy.yaml", "      text: 已有确定的施工队伍并签订施工合同",
         "      text: 已依法确定施工单位并签订施工合同")
    recs = records(POLICY_2023, copy2023)
    r = only(recs, path="start_criteria.items[4].text")
    assert r["clause"] == "附件.4" and r["clause_display"] == "附件 第4条"
    # short unchanged runs between edits fold into one replacement, which reads as one phrase
    assert r["ops"] == [["equal", "已"], ["delete", "有确定的施工队伍"], ["insert", "依法确定施工单位"],
                        ["equal", "并签订施工合同"]]
    assert r["explanation"].startswith("开工认定标准第4条内容由“已有确定的施工队伍并签订施工合同”修改为")
    # the attachment item is generated from the parameter: no second, clause-text record
    assert [x["kind"] for x in recs] == ["param"]


@pytest.mark.slow
def test_list_members_added_and_removed(copy2023):
    edit(copy2023 / "policy.yaml", "others: [群众意愿强烈的配套设施和公共服务设施, 建筑节能改造]",
         "others: [群众意愿强烈的配套设施和公共服务设施, 建筑节能改造, 适老化改造]")
    edit(copy2023 / "policy.yaml", "    - {key: social, name: 社会资本, quote: 吸引社会力量出资参与}\n", "")
    recs = records(POLICY_2023, copy2023)
    added = only(recs, op="added", path="priority_works.others[适老化改造]")
    assert added["new"] == "适老化改造" and added["clause"] == "三（二）"
    removed = only(recs, op="removed", path="funding.channels[social]")
    assert removed["old"] == {"key": "social", "name": "社会资本"}
    assert removed["explanation"] == "删除资金筹措渠道“社会资本”" and removed["clause"] == "五（三）"
    assert [r for r in recs if r["kind"] == "clause"] == []   # 三（二）'s text changed only by the parameter


@pytest.mark.slow
def test_reordered_counties_and_channels_are_no_change(copy2023):
    text = (copy2023 / "policy.yaml").read_text(encoding="utf-8")
    head, rest = text.split("counties:\n", 1)
    block, tail = rest.split("\nmilestones:", 1)
    members = ["  - name:" + m for m in block.split("  - name:")[1:]]
    reordered = head + "counties:\n" + "".join(reversed([m.rstrip("\n") + "\n" for m in members])) + "\nmilestones:" + tail
    (copy2023 / "policy.yaml").write_text(reordered, encoding="utf-8")
    from generator.policy import load_policy
    assert [c.name for c in load_policy(str(copy2023)).policy.counties][0] == "建安区"
    recs = records(POLICY_2023, copy2023)
    # the counties' sentence in 二 follows table order, so its wording differs only by order: still the
    # parameters' doing, and the old template with the new parameters renders exactly the new text
    assert recs == []


def test_rename_with_renamed_from_and_without(tmp_path):
    recs = records(FIXTURES / "renamed" / "old.yaml", FIXTURES / "renamed" / "new.yaml")
    renamed = only(recs, op="renamed")
    assert (renamed["old"], renamed["new"], renamed["explanation"]) == ("乙县", "乙市", "乙县更名为乙市")
    assert renamed["clause"] == "目标任务"
    hh = only(recs, path="counties[乙市].target.households")
    assert (hh["old"], hh["new"], hh["county"]) == (1200, 1300, "乙市")
    assert only(recs, op="added")["path"] == "counties[丁区]"        # no renamed_from: removal + addition
    assert only(recs, op="removed")["path"] == "counties[丙区]"
    assert len(recs) == 4                                            # 甲区 only moved: no change
