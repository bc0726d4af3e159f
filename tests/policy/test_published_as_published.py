"""Issue 23 item 5: published figures are kept as published — a known disagreement between a total and its
breakdown (both quoted, the difference named), a second target of another stage (完成 besides 新开工), a reported
figure apart from the targets, and a scope (中心城区) on a target."""
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.policy.check import check_policy
from generator.policy.loader import load_policy

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def mdj(tmp_path):
    shutil.copytree(ROOT / "policies" / "mudanjiang" / "2022", tmp_path / "mdj")
    return tmp_path / "mdj"


def _edit(folder, old, new):
    f = folder / "policy.yaml"
    text = f.read_text(encoding="utf-8")
    assert old in text
    f.write_text(text.replace(old, new, 1), encoding="utf-8")


def codes(folder):
    return [(x.code, x.severity.value) for x in check_policy(load_policy(folder)).findings]


DISTRICT = ("buildings: 33, area: 20.88", "buildings: 34, area: 20.88")
QUOTE = ("东安区33栋楼", "东安区34栋楼")


def test_a_breakdown_that_does_not_add_up_is_an_error_until_the_disagreement_is_recorded(mdj):
    _edit(mdj, *DISTRICT)
    _edit(mdj, *QUOTE)
    assert codes(mdj) == [("P104", "error")]                       # 157栋 against 156栋
    _edit(mdj, "counties:\n", "disagreements:\n  - {quantity: buildings, difference: \"+1\", clause: 目标任务,\n"
                              "     quote: 改造11个项目、156栋楼、95.85万平方米，惠及群众1.3万户}\n\ncounties:\n")
    (f,) = check_policy(load_policy(mdj)).findings
    assert (f.code, f.severity.value) == ("P106", "warning")
    assert "原文如此" in f.message and "157栋" in f.message and "156栋" in f.message and "差+1栋" in f.message
    # counties_complete is not touched: the units are all there, and they are still summed
    assert load_policy(mdj).policy.counties_complete is None


def test_a_recorded_difference_that_the_figures_do_not_show_is_an_error(mdj):
    _edit(mdj, *DISTRICT)
    _edit(mdj, *QUOTE)
    _edit(mdj, "counties:\n", "disagreements:\n  - {quantity: buildings, difference: \"+2\", clause: 目标任务}\n\n"
                              "counties:\n")
    assert codes(mdj) == [("P107", "error")]


def test_a_disagreement_where_the_figures_agree_is_an_error(mdj):
    # 95.86 against 95.85万㎡ is within the published precision: not a disagreement
    _edit(mdj, "counties:\n", "disagreements:\n  - {quantity: area, difference: \"+0.01\", clause: 目标任务}\n\n"
                              "counties:\n")
    assert codes(mdj) == [("P107", "error")]


def test_other_stage_targets_reported_figures_and_a_scope_are_kept_and_checked(mdj):
    _edit(mdj, "  note: 范围为市区", "  scope: 市区\n  stage: 新开工\n  note: 范围为市区")
    _edit(mdj, "counties:\n", "other_targets:\n  - {households: 1.2, units: {households: 万户}, stage: 完成, clause: 目标任务,\n"
                              "     quote: 惠及群众1.3万户}\nreported:\n  - {buildings: 40, of: 东安区, clause: 目标任务,\n"
                              "     quote: 东安区33栋楼}\n\ncounties:\n")
    fs = check_policy(load_policy(mdj)).findings
    # each value is still compared with its own quote: 1.2 and 40 are not in theirs
    assert sorted((x.code, x.path) for x in fs) == [("P161", "other_targets[0].households"),
                                                    ("P161", "reported[0].buildings")]
    shown = json.loads(run("policy", "show", mdj, "--json").output)
    paths = {p["path"]: p["value"] for p in shown["parameters"]}
    assert paths["city_target.scope"] == "市区" and paths["city_target.stage"] == "新开工"
    assert paths["reported[0].of"] == "东安区" and paths["other_targets[0].stage"] == "完成"


def test_new_keys_leave_every_issued_hash_alone():
    for pid in ("mudanjiang/2022", "fuyang/2021", "xuchang/2023"):
        res = run("policy", "check", pid, "--json")
        assert not [f for f in json.loads(res.output)["findings"] if f["code"] == "P210"], pid
