"""`gaizao policy show/list`, the content hash, versions at git revisions, and the clause text."""
import json
import re
import subprocess
from difflib import SequenceMatcher

from click.testing import CliRunner

from generator.cli import main


def show_json(ref="xuchang/2023"):
    res = CliRunner().invoke(main, ["policy", "show", ref, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.output)


def test_show_json_contains_every_value_of_the_source():
    d = show_json()
    blob = json.dumps(d, ensure_ascii=False)
    assert d["id"] == "xuchang/2023" and d["version"] and len(d["hash"]) == 64
    doc = d["policy"]["document"]
    assert doc["issuer"]["value"] == "许昌市百城建设提质工程指挥部办公室"
    assert doc["issuer_short"]["value"] == "市百城办"
    assert doc["doc_number"]["value"] == "许百城提质办〔2023〕3号"
    assert doc["addressees"]["value"] == ["各县（市、区）政府", "市直相关单位"]
    assert doc["issue_date"]["value"] == "2023-02-14"
    assert [p["number"] for p in doc["parents"]["value"]] == ["豫办〔2023〕1号", "豫建城建〔2023〕17号"]
    assert (d["policy"]["city_target"]["projects"], d["policy"]["city_target"]["households"]) == (265, 19380)
    counties = {c["name"]: c for c in d["policy"]["counties"]}
    expected = {"禹州市": (8, 181, 3), "长葛市": (33, 2970, 5), "襄城县": (10, 387, 3), "魏都区": (190, 14666, 5),
                "建安区": (24, 1176, 5)}
    for name, (pr, hh, q) in expected.items():
        c = counties[name]
        assert (c["target"]["projects"], c["target"]["households"], c["liaison_quota"]["value"]) == (pr, hh, q)
    ms = {m["id"]: m for m in d["policy"]["milestones"]}
    assert ms["all_started"]["date"] == "2023-06-30"
    assert (ms["completed_70"]["date"], ms["completed_70"]["share"], ms["completed_70"]["basis"]) == ("2023-10-31", 0.7, "households")
    assert ms["all_completed"]["date"] == "2023-12-31"
    dl = {x["id"]: x for x in d["policy"]["deadlines"]}
    assert dl["county_plan"]["date"] == "2023-02-28" and dl["liaison_report"]["date"] == "2023-03-31"
    assert dl["renovation_plans"]["date"] == "2022-03-15"            # as printed ...
    assert dl["renovation_plans"]["erratum"]["corrected"] == "2023-03-15"   # ... with the evident correction
    assert d["policy"]["consent"]["threshold"] == 0.8 and d["policy"]["consent"]["inclusive"] is True
    assert len(d["policy"]["start_criteria"]["items"]) == 5
    insp = d["policy"]["inspections"]
    assert [r["month"] for r in insp["rounds"]] == [7, 12] and insp["weights"] is None
    assert insp["excellent_count"]["value"] == 3
    assert len(d["policy"]["funding"]["channels"]) == 8
    assert d["policy"]["liaison_points"]["report_contents"] == ["基本情况", "推进措施", "拟打造特色和亮点"]
    # every parameter row names its clause
    assert all(p["clause"] for p in d["parameters"] if not p["path"].endswith("renamed_from"))
    assert "附件 第4条" in blob


def test_hash_ignores_formatting_but_not_values(policy_copy):
    base = show_json()["hash"]
    p = policy_copy / "policy.yaml"
    p.write_text("# a comment\n" + p.read_text(encoding="utf-8"), encoding="utf-8")
    assert show_json(str(policy_copy))["hash"] == base
    p.write_text(p.read_text(encoding="utf-8").replace("households: 181,", "households: 182,"), encoding="utf-8")
    assert show_json(str(policy_copy))["hash"] != base


def test_list_shows_bundled_policies():
    res = CliRunner().invoke(main, ["policy", "list", "--json"])
    ids = [r["id"] for r in json.loads(res.output)]
    assert "xuchang/2023" in ids


def test_unknown_ref_exits_2_with_message():
    res = CliRunner().invoke(main, ["policy", "show", "nowhere/1999"])
    assert res.exit_code == 2 and "nowhere/1999" in res.output and "Traceback" not in res.output


def test_policy_at_git_revision():
    head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True)
    if head.returncode != 0:
        import pytest
        pytest.skip("not a git checkout")
    d = show_json("xuchang/2023@HEAD")
    assert d["policy"]["city_target"]["projects"] == 265


def test_text_reproduces_the_official_notice(policy2023, seed_text):
    plain = policy2023.text.plain()
    a, b = re.sub(r"\s", "", seed_text), re.sub(r"\s", "", plain)
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    assert ratio >= 0.995, ratio


def test_changed_parameter_changes_the_text(policy_copy):
    from generator.policy import load_policy
    p = policy_copy / "policy.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("  threshold: 0.8", "  threshold: 0.85"), encoding="utf-8")
    lp = load_policy(policy_copy)
    assert "经85%以上居民同意" in lp.text.get("三（二）").text
    assert "（85%以上同意）" in lp.text.get("附件.1").text


def test_corrected_text_applies_both_errata(policy2023):
    t = policy2023.corrected_text
    assert t.get("五").number == "四"
    assert "2023年3月15日前完成改造方案" in t.get("三（二）").text
    assert "2022年3月15日" in policy2023.text.get("三（二）").text
