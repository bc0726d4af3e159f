"""Issue 23 item 4: quotes are checked even without a text.yaml (P161), a policy without source text says
“无正文：引文未核对”, and `policy new` / `policy draft` write a text.yaml."""
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def mdj(tmp_path):
    shutil.copytree(ROOT / "policies" / "mudanjiang" / "2022", tmp_path / "mdj")
    return tmp_path / "mdj"


def test_a_value_is_compared_with_its_own_quote_without_text_yaml(mdj):
    f = mdj / "policy.yaml"
    assert not (mdj / "text.yaml").exists()
    f.write_text(f.read_text(encoding="utf-8").replace("households: 1.3\n", "households: 1.31\n"), encoding="utf-8")
    res = run("policy", "check", mdj, "--json")
    assert res.exit_code == 1
    (p161,) = [x for x in json.loads(res.output)["findings"] if x["code"] == "P161"]
    assert p161["path"] == "city_target.households" and p161["value"] == 1.31
    assert "惠及群众1.3万户" in p161["message"]
    assert p161["line"] == f.read_text(encoding="utf-8").splitlines().index("  households: 1.31") + 1


def test_the_published_figure_passes_and_the_report_says_no_source_text(mdj):
    res = run("policy", "check", mdj)
    assert res.exit_code == 0
    assert res.output.splitlines()[0].startswith("无正文：引文未核对")
    d = json.loads(run("policy", "check", mdj, "--json").output)
    assert d["subject"]["source_text"].startswith("无正文：引文未核对") and d["findings"] == []


def test_a_policy_with_its_source_text_does_not_say_so():
    res = run("policy", "check", "xuchang/2023")
    assert "无正文" not in res.output
    assert "source_text" not in json.loads(run("policy", "check", "xuchang/2023", "--json").output)["subject"]


def test_a_share_the_quote_does_not_print_is_caught_unless_it_is_the_whole(mdj, tmp_path):
    # lanzhou-anning: "5月底开工" gives no share; 1.0 (the whole) is a reading, 0.7 would be an invented figure
    src = ROOT / "policies" / "lanzhou-anning" / "2021"
    shutil.copytree(src, tmp_path / "la")
    f = tmp_path / "la" / "policy.yaml"
    assert run("policy", "check", tmp_path / "la").exit_code == 0
    f.write_text(f.read_text(encoding="utf-8").replace("share: 1.0\n    clause: 目标任务\n    quote: 5月底开工",
                                                       "share: 0.7\n    clause: 目标任务\n    quote: 5月底开工"),
                 encoding="utf-8")
    fs = json.loads(run("policy", "check", tmp_path / "la", "--json").output)["findings"]
    assert [(x["code"], x["path"]) for x in fs if x["code"] == "P161"] == [("P161", "milestones[all_started].share")]


def test_policy_new_writes_a_text_yaml_without_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GAIZAO_POLICIES", raising=False)
    assert run("policy", "new", "dezhou/2022", "--name", "德州市").exit_code == 0
    t = tmp_path / "policies" / "dezhou" / "2022" / "text.yaml"
    assert "plan_title: 德州市2022年老旧小区改造计划" in t.read_text(encoding="utf-8")
    res = run("policy", "check", "dezhou/2022")
    assert res.exit_code == 0 and res.output.startswith("无正文：引文未核对")
