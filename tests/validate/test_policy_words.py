"""What the policy names, the workbook and the messages hold (issue 23.6): the lower unit's word where the policy
declares one (`lower_unit`, cited) and 项目 = 小区 declared once (`project_is_community`), so a target stated in 小区
is checked as a count of projects. Built on a copy of the real mudanjiang/2022 with two invented, labelled keys."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.ledger import contract as C
from generator.ledger.district_sample import district_plan
from generator.ledger.model import Cell
from generator.policy import load_policy
from generator.policy.goals import project_goal
from generator.policy.wording import lower_unit, lower_units, policy_words
from generator.reports.tongbao import ProgressLine, progress_tongbao
from generator.validate import validate_plan

ROOT = Path(__file__).resolve().parents[2]


def _policy(tmp_path: Path, *, word: bool = True, flag: bool | None = True) -> Path:
    s = (ROOT / "policies" / "mudanjiang" / "2022" / "policy.yaml").read_text(encoding="utf-8")
    s = s.replace("\nid: mudanjiang/2022\n", "\nid: test/words\n").replace("\nstatus: issued\n", "\nstatus: draft\nlabel: 示例草案\n")
    keys = ""
    if word:
        keys += "lower_unit: {value: 区, clause: 目标任务, quote: 东安、西安、爱民、阳明四区}\n"
    if flag is not None:
        keys += f"project_is_community: {{value: {str(flag).lower()}, clause: 目标任务, quote: 每个小区作为一个项目}}\n"
    s = s.replace("\ncounties:\n", "\n" + keys + "counties:\n")
    s = s.replace("target: {buildings: 33, area: 20.88, households: 2849, clause: 目标任务, quote: 东安区33栋楼、约20.88万平方米、2849户}",
                  "target: {communities: 2, buildings: 33, area: 20.88, households: 2849, clause: 目标任务, "
                  "quote: 东安区2个小区、33栋楼、约20.88万平方米、2849户}")
    d = tmp_path / ("w" if word else "n") / str(flag)
    d.mkdir(parents=True)
    (d / "policy.yaml").write_text(s, encoding="utf-8")
    return d


def test_the_declared_word_names_the_units_below(tmp_path):
    lp = load_policy(_policy(tmp_path))
    assert lower_unit(lp.policy) == "区" and lower_units(lp.policy) == "各区"
    assert policy_words(lp.policy)["lower_units"] == "各区"
    plain = load_policy("mudanjiang/2022")                       # no declaration: by the level, as before
    assert lower_unit(plain.policy) == "县（市、区）"
    meaning = next(c.meaning for c in C.build_contract(lp.policy).info if c.name == C.COUNTY)
    assert meaning == "本区名称，须为政策列明的区"


def test_messages_and_the_bulletin_use_the_word(tmp_path):
    lp = load_policy(_policy(tmp_path))
    plan = district_plan(lp, "东安区", plant=False)
    plan.info[C.COUNTY] = Cell("东宁区", "东宁区", C.SHEET_INFO)
    (f,) = [f for f in validate_plan(plan, lp) if f.code == "V101"]
    assert f.message.startswith("“东宁区”不是本方案列明的区，应为：东安区、西安区、爱民区、阳明区")
    doc = progress_tongbao(lp, dt.date(2022, 8, 31), [ProgressLine("东安区", 2, 2849, 1, 0, 0)],
                           ProgressLine("东安区合计", 2, 2849, 1, 0, 0))
    text = "\n".join(b for b in doc.blocks if isinstance(b, str))
    assert "各区改造工作进展情况通报如下" in text and "县（市、区）" not in text


@pytest.mark.parametrize("listed, v102", [(2, False), (1, True), (3, True)])
def test_a_target_in_communities_is_checked_as_projects(tmp_path, listed, v102):
    lp = load_policy(_policy(tmp_path))
    t = lp.policy.county("东安区").target
    assert t.projects is None and t.communities == 2          # the premise: stated in 小区 only
    assert project_goal(lp.policy, t).as_int() == 2
    plan = district_plan(lp, "东安区", plant=False)
    assert len(plan.projects) == 2                              # the sample lists as many projects as 小区
    plan.projects[:] = (plan.projects * 2)[:listed]
    found = [f for f in validate_plan(plan, lp) if f.code == "V102"]
    assert bool(found) == v102
    if v102:
        assert found[0].extra["delta"] == listed - 2 and "目标任务为2个" in found[0].message


@pytest.mark.parametrize("flag", [None, False])
def test_without_the_declaration_a_count_of_communities_is_not_a_count_of_projects(tmp_path, flag):
    lp = load_policy(_policy(tmp_path, word=False, flag=flag))
    t = lp.policy.county("东安区").target
    assert not project_goal(lp.policy, t).published
    plan = district_plan(lp, "东安区", plant=False)
    plan.projects[:] = plan.projects[:1]
    assert not [f for f in validate_plan(plan, lp) if f.code == "V102"]
