"""Province -> city -> county (issue 11, item 3): parent, inheritance, tighten/loosen, partial levels, wording."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parents[2]
CHILD = (ROOT / "policies" / "xuchang" / "2022-example" / "policy.yaml").read_text(encoding="utf-8")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def check(ref):
    res = run("policy", "check", ref, "--json")
    return res, (json.loads(res.output)["findings"] if res.output.startswith("{") else None)


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "policy.yaml").write_text(text, encoding="utf-8")
    return folder


def line_of(folder: Path, needle: str) -> int:
    return next(i + 1 for i, x in enumerate((folder / "policy.yaml").read_text(encoding="utf-8").splitlines())
                if needle in x)


def test_the_example_child_inherits_and_tightens_and_says_so():
    res, fs = check("xuchang/2022-example")
    assert res.exit_code == 0, res.output
    codes = sorted(f["code"] for f in fs)
    assert codes == ["P105", "P220", "P221", "P221", "P227"]
    inherited = next(f for f in fs if f["code"] == "P220")
    # the inherited milestone points at the province's file and line, not the child's
    assert inherited["path"] == "milestones[completed_70]" and inherited["file"].endswith("henan/2022/policy.yaml")
    assert inherited["line"] == line_of(ROOT / "policies" / "henan" / "2022", "id: completed_70")
    assert "完成改造70%（按户数）" in inherited["message"] and "12月底" in inherited["message"]
    tight = {f["path"]: f for f in fs if f["code"] == "P221"}
    assert "由80%以上调整为85%以上" in tight["consent.threshold"]["message"]
    assert "由2022年10月底提前至2022年9月底" in tight["milestones[all_started].date"]["message"]
    assert tight["milestones[all_started].date"]["file"].endswith("2022-example/policy.yaml")
    partial = next(f for f in fs if f["code"] == "P105")
    assert "部分" in partial["message"] and "全市" in partial["message"]


def test_the_child_model_holds_the_merged_values():
    from generator.policy import load_policy
    p = load_policy("xuchang/2022-example").policy
    assert p.consent.threshold == 0.85                                        # restated
    assert [m.id for m in p.milestones] == ["all_started", "completed_70"]     # merged by id, in date order
    assert p.milestone("completed_70").share == 0.7                           # inherited
    assert p.counties[0].name == "魏都区"                                     # a level's own units, not the parent's


def test_a_partial_child_is_not_summed():
    # 4000 + 1200 are far below 不少于15000: with counties_complete: false that is not a finding
    _, fs = check("xuchang/2022-example")
    assert not [f for f in fs if f["code"] in ("P101", "P102")]


def test_loosening_without_an_exception_is_an_error_at_its_line(tmp_path):
    folder = write(tmp_path / "child", CHILD.replace("threshold: 0.85", "threshold: 0.67"))
    res, fs = check(folder)
    assert res.exit_code == 1
    loose = next(f for f in fs if f["code"] == "P222")
    assert loose["severity"] == "error" and "由80%以上调整为67%以上" in loose["message"]
    assert loose["line"] == line_of(folder, "threshold: 0.67") and "exceptions" in loose["message"]


def test_loosening_with_a_cited_exception_is_a_warning_only_where_the_parent_grants_it(tmp_path):
    text = CHILD.replace("threshold: 0.85", "threshold: 0.67").replace("经85%以上", "经67%以上").replace(
        "document:\n", "exceptions:\n  - parameter: consent.threshold\n    clause: 居民同意\n"
                       "    quote: 经三分之二以上居民同意后方可开工（示例）\n\ndocument:\n", 1)
    # the province does not grant it: the child's own exception is not enough (issue 18.5)
    folder = write(tmp_path / "child", text)
    res, fs = check(folder)
    assert res.exit_code == 1
    loose = next(f for f in fs if f["code"] == "P222")
    assert "没有准许下级放宽“consent.threshold”" in loose["message"] and not any(f["code"] == "P223" for f in fs)
    # a province copy that grants it (grants: with its own clause and quote)
    prov = (ROOT / "policies" / "henan" / "2022" / "policy.yaml").read_text(encoding="utf-8")
    prov = prov.replace("status: issued", "status: draft").replace("document:\n", (
        "grants:\n  - {parameter: consent, clause: 居民同意, quote: 经80%以上居民同意后方可开工改造}\n\ndocument:\n"), 1)
    write(tmp_path / "henan", prov)
    folder = write(tmp_path / "child2", text.replace("parent: henan/2022", "parent: ../henan"))
    res, fs = check(folder)
    assert res.exit_code == 0, res.output
    ex = next(f for f in fs if f["code"] == "P223")
    assert ex["severity"] == "warning" and "三分之二" in ex["message"] and "上级准许" in ex["message"]
    assert ex["line"] == line_of(folder, "- parameter: consent.threshold")


def test_a_later_milestone_is_loosening(tmp_path):
    folder = write(tmp_path / "child", CHILD.replace("date: 2022-09-30", "date: 2022-11-30"))
    _, fs = check(folder)
    loose = next(f for f in fs if f["code"] == "P222")
    assert loose["path"] == "milestones[all_started].date" and "推迟至2022年11月底" in loose["message"]


def test_an_exception_for_nothing_looser_is_said(tmp_path):
    text = CHILD.replace("document:\n", "exceptions:\n  - {parameter: consent.threshold, clause: 居民同意, "
                                       "quote: 示例}\n\ndocument:\n", 1)
    _, fs = check(write(tmp_path / "child", text))
    assert any(f["code"] == "P225" and "consent.threshold" in f["message"] for f in fs)


def test_parent_by_relative_path(tmp_path):
    import shutil
    shutil.copytree(ROOT / "policies" / "henan" / "2022", tmp_path / "henan-2022")
    folder = write(tmp_path / "child", CHILD.replace("parent: henan/2022", "parent: ../henan-2022"))
    res, fs = check(folder)
    assert res.exit_code == 0, res.output
    assert any(f["code"] == "P220" and "henan-2022" in f["file"] for f in fs)


def test_a_missing_parent_is_a_clear_error_listing_where_it_looked(tmp_path):
    folder = write(tmp_path / "child", CHILD.replace("parent: henan/2022", "parent: henan/2099"))
    res = run("policy", "check", folder)
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "henan/2099" in res.output and "已查找" in res.output and "内置" in res.output
    assert f"policy.yaml:{line_of(folder, 'parent:')}" in res.output


def test_a_parent_cycle_is_a_clear_error(tmp_path):
    a = write(tmp_path / "a", CHILD.replace("parent: henan/2022", "parent: ../b"))
    write(tmp_path / "b", CHILD.replace("parent: henan/2022", "parent: ../a").replace("id: xuchang/2022-example",
                                                                                      "id: xuchang/2022-b"))
    res = run("policy", "check", a)
    assert res.exit_code == 2 and "循环" in res.output and "Traceback" not in res.output


def test_a_parent_at_the_same_level_is_an_error(tmp_path):
    write(tmp_path / "city", CHILD.replace("parent: henan/2022\n", "").replace("id: xuchang/2022-example", "id: x/2022"))
    folder = write(tmp_path / "child", CHILD.replace("parent: henan/2022", "parent: ../city"))
    res, fs = check(folder)
    assert res.exit_code == 1 and any(f["code"] == "P226" for f in fs)


def test_a_province_total_is_summed_over_its_cities_in_its_own_words(tmp_path):
    prov = (ROOT / "policies" / "henan" / "2022" / "policy.yaml").read_text(encoding="utf-8")
    prov = prov.replace("counties_complete: false     # 报道未载分市任务\n", "").replace(
        "counties: []", "counties:\n  - {name: 许昌市, target: {households: 1.5, units: {households: 万户}, clause: 目标任务}}")
    res, fs = check(write(tmp_path / "henan", prov.replace("status: issued", "status: draft")))
    p102 = next(f for f in fs if f["code"] == "P102")
    assert p102["message"].startswith("各市户数之和为1.5万户") and "与全省总数37.86万户不符" in p102["message"]


@pytest.mark.parametrize("name,scope,gov", [
    ("河南省", "全省", "河南省人民政府"), ("许昌市", "全市", "许昌市人民政府"), ("长葛市", "全市", "长葛市人民政府"),
    ("襄城县", "全县", "襄城县人民政府"), ("魏都区", "全区", "魏都区人民政府"),
    ("国家许昌经济技术开发区", "全区", "国家许昌经济技术开发区管委会"), ("市城乡一体化示范区", "全区", "市城乡一体化示范区管委会"),
    ("兰州新区", "全区", "兰州新区管委会")])
def test_wording_follows_the_unit(name, scope, gov):
    from generator.policy.wording import government, scope_word
    assert (scope_word(name), government(name)) == (scope, gov)


def test_levels_from_names_and_declared():
    from generator.policy import load_policy
    from generator.policy.wording import level_of
    assert [level_of(n) for n in ("河南省", "许昌市", "建安区", "鄢陵县")] == ["province", "city", "county", "county"]
    assert load_policy("henan/2022").policy.unit_level == "province"
    assert load_policy("xuchang/2023").policy.unit_level == "city"


def test_diff_across_levels_compares_only_the_rules_passed_down():
    res = run("diff", "henan/2022", "xuchang/2022-example", "--format", "json")
    assert res.exit_code == 1
    d = json.loads(res.output)
    assert d["levels"]["old_level"] == "province" and d["levels"]["new_level"] == "city"
    assert "跨层级比较" in d["levels"]["note"]
    by_path = {c["path"]: c for c in d["changes"]}
    # the province's 37.86万户 and the city's 15000户 are not one figure changed; issuer and city are each level's own
    assert set(by_path) == {"consent.threshold", "milestones[all_started].date"}
    assert by_path["consent.threshold"]["explanation"].endswith("；严于上级")
    assert "提前31天" in by_path["milestones[all_started].date"]["explanation"]
    text = run("diff", "henan/2022", "xuchang/2022-example").output
    assert "跨层级比较" in text and "37.86" not in text


def test_diff_across_levels_aligns_no_wording(monkeypatch):
    """Two levels' texts are not compared: no clause alignment is computed, and each changed rule's row shows
    the clause it cites as the old policy words it, on both sides."""
    import generator.diff.clauses as clauses
    from generator.diff import diff_policies
    from generator.policy import load_policy

    def not_across_levels(*args, **kwargs):
        raise AssertionError("clauses aligned across levels")
    monkeypatch.setattr(clauses, "diff_clauses", not_across_levels)
    old = load_policy("xuchang/2023")
    d = diff_policies(old, load_policy("henan/2022"))
    assert d.levels is not None
    text_rows = [r for r in d.rows if r.clause != "时间节点"]          # the milestone dates: value rows
    assert text_rows and all(r.old_text == r.new_text for r in text_rows)
    funding = next(r for r in text_rows if any(c.path == "funding" for c in r.changes))
    assert funding.clause == old.text.display(old.policy.funding.clause)
    assert old.text.get(old.policy.funding.clause).text[:12] in funding.old_text


def test_diff_of_a_province_says_province_words(tmp_path):
    prov = (ROOT / "policies" / "henan" / "2022" / "policy.yaml").read_text(encoding="utf-8")
    folder = write(tmp_path / "henan", prov.replace("households: 37.86", "households: 38"))
    d = json.loads(run("diff", "henan/2022", folder, "--format", "json").output)
    (c,) = d["changes"]
    assert c["subject"] == "全省户数" and "levels" not in d


def test_show_says_which_values_are_inherited():
    d = json.loads(run("policy", "show", "xuchang/2022-example", "--json").output)
    rows = {r["path"]: r for r in d["parameters"]}
    assert rows["milestones[completed_70].date"]["inherited_from"] == "henan/2022"
    assert rows["milestones[completed_70].date"]["file"].endswith("henan/2022/policy.yaml")
    assert rows["consent.threshold"]["inherited_from"] is None and d["parent"] == "henan/2022"


def test_a_new_province_skeleton_speaks_of_the_province(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("policy", "new", "shandong/2022", "--name", "山东省").exit_code == 0
    text = (tmp_path / "policies" / "shandong" / "2022" / "policy.yaml").read_text(encoding="utf-8")
    assert "# 全省目标" in text and "全市" not in text


def test_progress_names_the_whole_line_by_the_unit():
    import datetime as dt

    from generator.policy import load_policy
    from generator.validate.progress import progress
    # 河南 publishes no city split: the whole line is the province's, against 37.86万户
    r = progress([], load_policy("henan/2022"), dt.date(2022, 10, 31))
    assert (r.city.county, r.city.households) == ("全省", 378600)
    assert progress([], load_policy("xuchang/2023"), dt.date(2023, 10, 31)).city.county == "合计"   # counties missing


def test_a_target_smaller_than_the_parent_allots_is_loosening(tmp_path):
    prov = (ROOT / "policies" / "henan" / "2022" / "policy.yaml").read_text(encoding="utf-8")
    prov = prov.replace("status: issued", "status: draft").replace("counties: []", (
        "counties:\n  - {name: 许昌市, target: {households: 1.5, units: {households: 万户}, clause: 目标任务}}"))
    write(tmp_path / "henan", prov)
    child = CHILD.replace("parent: henan/2022", "parent: ../henan")
    res, fs = check(write(tmp_path / "child", child))               # 不少于15000户 = 1.5万户 allotted: nothing to say
    assert not [f for f in fs if f["path"] == "city_target.households"] and not any(f["code"] == "P227" for f in fs)
    _, fs = check(write(tmp_path / "child2", child.replace("households: 15000", "households: 12000")))
    loose = next(f for f in fs if f["code"] == "P222")
    assert loose["path"] == "city_target.households" and "少于上级分解的1.5万户" in loose["message"]
    _, fs = check(write(tmp_path / "child3", child.replace("households: 15000", "households: 18000")))
    assert any(f["code"] == "P221" and f["path"] == "city_target.households" for f in fs)


def test_the_docx_comparison_across_levels_says_so(tmp_path):
    from docx import Document
    out = tmp_path / "d.docx"
    res = run("diff", "henan/2022", "xuchang/2022-example", "--format", "docx", "-o", out)
    assert res.exit_code == 1, res.output
    text = "\n".join(p.text for p in Document(out).paragraphs)
    assert "跨层级比较" in text


def test_a_provinces_messages_name_its_cities_and_许昌s_its_counties(tmp_path):
    """P103, V101 and the progress column follow the level: 市 under 河南省, 县（市、区） under 许昌 as before."""
    import datetime as dt
    from io import StringIO

    from rich.console import Console

    from generator.policy import load_policy
    from generator.validate.progress import print_progress, progress
    from generator.validate.rules.county import county_named
    from types import SimpleNamespace

    from generator.ledger import contract as C

    prov = (ROOT / "policies" / "henan" / "2022" / "policy.yaml").read_text(encoding="utf-8")
    prov = prov.replace("counties_complete: false     # 报道未载分市任务\n", "").replace(
        "counties: []", "counties:\n  - {name: 许昌市}\n  - {name: 许昌市}")
    res, fs = check(write(tmp_path / "henan", prov.replace("status: issued", "status: draft")))
    assert next(f for f in fs if f["code"] == "P103")["message"] == "市“许昌市”重复出现"

    no_county = SimpleNamespace(projects=[], info={}, sheet_names=[C.SHEET_INFO])
    v101 = [h.message for h in county_named(no_county, load_policy("henan/2022"))]
    assert v101 == ["基本信息未填写市，应为：（本政策未列出市）"]
    assert next(county_named(no_county, load_policy("xuchang/2023"))).message.startswith("基本信息未填写县（市、区），应为：")

    def column_head(ref, day):
        out = StringIO()
        print_progress(progress([], load_policy(ref), day), console=Console(file=out, width=200))
        return out.getvalue()
    assert "县（市、区）" not in column_head("henan/2022", dt.date(2022, 10, 31))
    assert "县（市、区）" in column_head("xuchang/2023", dt.date(2023, 10, 31))


def test_the_excellent_quota_is_named_by_the_units_below():
    """修改说明 of 优秀…名额: 优秀市 in 河南省's words, 优秀县（市、区） in 许昌's (as before)."""
    from generator.diff.params import diff_params
    from generator.policy import load_policy

    old = load_policy("xuchang/2023").policy
    fewer = old.inspections.excellent_count.model_copy(update={"value": old.inspections.excellent_count.value - 1})
    new = old.model_copy(update={"inspections": old.inspections.model_copy(update={"excellent_count": fewer})})
    city = next(c for c in diff_params(old, new, str, str) if c.path.endswith("excellent_count"))
    province = next(c for c in diff_params(old, new.model_copy(update={"level": "province"}), str, str)
                    if c.path.endswith("excellent_count"))
    assert "优秀县（市、区）名额" in city.subject and "县（市、区）" not in province.subject
    assert "优秀市名额" in province.subject
