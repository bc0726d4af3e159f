"""`gaizao policy new` and where a policy id is looked up (issue 11, item 4)."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GAIZAO_POLICIES", raising=False)
    return tmp_path


def test_new_writes_a_neutral_skeleton_that_checks_clean(here):
    res = run("policy", "new", "dezhou/2022", "--name", "德州市")
    assert res.exit_code == 0, res.output
    f = here / "policies" / "dezhou" / "2022" / "policy.yaml"
    text = f.read_text(encoding="utf-8")
    for foreign in ("许昌", "xuchang", "erratum", "勘误", "河南", "百城"):
        assert foreign not in text                           # not a copy of 许昌's policy
    assert "status: draft" in text and "kind: targets" in text and "plan_year:\n    value: 2022" in text
    res = run("policy", "check", "dezhou/2022", "--json", "--strict")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["findings"] == []


def test_the_commented_example_of_the_skeleton_is_valid_once_filled_in(here):
    run("policy", "new", "dezhou/2022", "--name", "德州市")
    f = here / "policies" / "dezhou" / "2022" / "policy.yaml"
    lines = f.read_text(encoding="utf-8").splitlines()
    start = lines.index("# city_target:")
    block = []
    for line in lines[start:]:
        if not line.startswith("#"):
            break
        block.append(line[2:].split("   #")[0].split("  # ")[0].rstrip())
    filled = "\n".join(lines[:start] + block + ["counties: []", ""]).replace("0.0", "1.5")
    # filled in as a person would: the quote holds every figure (P161 checks it even without text.yaml)
    filled = filled.replace("quote: 原文原话", "quote: 改造项目0个、小区0个、涉及居民0户、0栋、1.5万平方米")
    f.write_text(filled, encoding="utf-8")
    res = run("policy", "check", "dezhou/2022", "--json")
    assert res.exit_code == 0, res.output


def test_new_never_overwrites(here):
    run("policy", "new", "dezhou/2022")
    f = here / "policies" / "dezhou" / "2022" / "policy.yaml"
    f.write_text(f.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
    res = run("policy", "new", "dezhou/2022")
    assert res.exit_code == 2 and "已存在" in res.output and "Traceback" not in res.output
    assert f.read_text(encoding="utf-8").endswith("# mine\n")


@pytest.mark.parametrize("bad", ["Dezhou/2022", "dezhou", "dezhou/22", "../x/2022"])
def test_new_refuses_a_malformed_id(here, bad):
    res = run("policy", "new", bad)
    assert res.exit_code == 2 and "城市/年度" in res.output
    assert not (here / "policies").exists()


def test_new_supersedes_names_the_version(here):
    res = run("policy", "new", "xiangyang/2024", "--supersedes", "xiangyang/2023")
    assert res.exit_code == 0, res.output
    text = (here / "policies" / "xiangyang" / "2024" / "policy.yaml").read_text(encoding="utf-8")
    assert "supersedes: xiangyang/2023@1.0.0" in text


def _policy(root: Path, pid: str, title: str):
    d = root / pid
    d.mkdir(parents=True)
    d.joinpath("policy.yaml").write_text(
        f"id: {pid}\nversion: '0.1.0'\nstatus: draft\nkind: targets\ntitle: {title}\n"
        "document:\n  issuer: {value: 某市, clause: 目标任务}\n  city: {value: 某市, clause: 目标任务}\n"
        "  plan_year: {value: 2022, clause: 目标任务}\ncounties: []\n", encoding="utf-8")


def test_ids_resolve_in_the_current_folder_then_gaizao_policies_then_bundled(here, monkeypatch, tmp_path_factory):
    env1, env2 = tmp_path_factory.mktemp("env1"), tmp_path_factory.mktemp("env2")
    _policy(env1, "dezhou/2022", "来自GAIZAO_POLICIES")
    _policy(env2, "qingdao/2023", "来自第二个文件夹")
    monkeypatch.setenv("GAIZAO_POLICIES", f"{env1}:{env2}")

    def title(pid):
        return json.loads(run("policy", "show", pid, "--json").output)["title"]
    assert title("dezhou/2022") == "来自GAIZAO_POLICIES"
    assert title("qingdao/2023") == "来自第二个文件夹"
    _policy(here / "policies", "dezhou/2022", "来自当前文件夹")
    assert title("dezhou/2022") == "来自当前文件夹"                       # ./policies first
    assert json.loads(run("policy", "show", "xuchang/2023", "--json").output)["id"] == "xuchang/2023"   # bundled last
    ids = [r["id"] for r in json.loads(run("policy", "list", "--json").output)]
    assert {"dezhou/2022", "qingdao/2023", "xuchang/2023"} <= set(ids) and len(ids) == len(set(ids))


def test_not_found_lists_every_place_it_looked(here, monkeypatch, tmp_path_factory):
    env = tmp_path_factory.mktemp("env")
    monkeypatch.setenv("GAIZAO_POLICIES", str(env))
    res = run("policy", "check", "nosuch/2022")
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "policies/nosuch/2022（当前文件夹的 policies）" in res.output
    assert f"{env}/nosuch/2022（GAIZAO_POLICIES）" in res.output
    assert f"{ROOT / 'policies'}/nosuch/2022（内置）" in res.output
    en = run("policy", "check", "nosuch/2022", "--lang", "en")
    assert "Looked in:" in en.output and "(bundled)" in en.output
