"""Issue 11, item 6: the whole chain on a real city that is not 许昌 (牡丹江 2022, a target table with 楼栋、面积、户
by district), as docs/any-city.md runs it: policy check, district templates (DOCX + XLSX), a district workbook
(示例数据) validated with the expected finding, progress, the register's facts, and the diff against an invented
next-year draft (示例草案)."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from generator.cli import main
from generator.ledger.district_sample import PLANTED_SHORT
from generator.render.samples import write_district_sample
from generator.policy import load_policy

ROOT = Path(__file__).resolve().parents[2]
REF, NEXT, DISTRICT = "mudanjiang/2022", "mudanjiang/2023-draft", "东安区"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    return write_district_sample(load_policy(REF), DISTRICT, tmp_path_factory.mktemp("district"))


def test_policy_checks_clean():
    for ref in (REF, NEXT):
        r = run("policy", "check", ref)
        assert r.exit_code == 0 and "错误 0 项，警告 0 项" in r.output, r.output


@pytest.mark.slow
def test_district_templates_carry_the_district_target_and_nothing_of_xuchang(tmp_path):
    r = run("render", "county-plan", REF, "--all", "-o", tmp_path)
    assert r.exit_code == 0 and "4 个县（市、区）" in r.output and "8 个文件" in r.output
    folder = tmp_path / "西安区"
    text = "\n".join(p.text for p in Document(next(folder.glob("*.docx"))).paragraphs)
    assert "改造楼栋54栋，建筑面积31.4万㎡，涉及居民4421户" in text and "西安区人民政府" in text
    wb = load_workbook(next(folder.glob("*.xlsx")))
    cells = " ".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)
    for leftover in ("许昌", "None", "2023", "联系点", "居民同意率"):
        assert leftover not in text and leftover not in cells, leftover


def test_district_workbook_is_labelled_sample_data_and_finds_the_planted_mistake(workbook):
    assert "示例数据" in workbook.name
    wb = load_workbook(workbook)
    assert "示例数据" in wb["项目清单"]["A1"].value
    r = run("validate", "--policy", REF, "--format", "json", workbook)
    assert r.exit_code == 1
    findings = json.loads(r.output)["findings"]
    assert [(f["code"], f["value"], f["expected"]) for f in findings] == [("V103", 2849 - PLANTED_SHORT, 2849)]
    assert f"少{PLANTED_SHORT}户" in findings[0]["message"]


def test_progress_says_the_project_count_is_not_published(workbook):
    r = run("progress", "--policy", REF, "--as-of", "2022-09-30", "--format", "json", workbook)
    assert r.exit_code == 0, r.output
    c = json.loads(r.output)["counties"][0]
    # 2 projects: 东安区's share of the city's 11 by households (the district's own count is not published)
    assert (c["projects"], c["projects_basis"], c["households"], c["households_basis"]) == (2, "未公布", 2849, "target")
    assert (c["started"], c["completed"]) == (1, 1)
    text = run("progress", "--policy", REF, "--as-of", "2022-09-30", workbook).output
    assert "目标未公布，按清单" in text and "均已满足" not in text        # no start criteria in a target table


def test_register_facts_keep_households_in_hu():
    from generator.register.facts import PolicyFacts, facts_of
    facts = facts_of(load_policy(REF))
    assert facts["city_target"] == {"projects": 11, "households": 13000}       # 1.3万户, not 1.3户
    pf = PolicyFacts(json.loads(json.dumps(facts)))
    assert [c.name for c in pf.policy.counties_with_target] == ["东安区", "西安区", "爱民区", "阳明区"]
    assert pf.policy.county("东安区").target.projects is None                   # 未公布, and still a target


def test_diff_to_the_invented_next_year_draft():
    r = run("diff", REF, NEXT, "--format", "json")
    assert r.exit_code == 1
    d = json.loads(r.output)
    by_path = {c["path"]: c for c in d["changes"] if c["kind"] == "param"}
    assert by_path["city_target.households"]["op"] == "rounding"              # 1.3 → 1.31万户: not a change
    assert "不少于160栋" in by_path["city_target.buildings"]["explanation"]
    assert "不再公布" in next(c["explanation"] for c in d["changes"] if "东安区" in c["explanation"])
    ops = {(c["op"], c["subject"]) for c in d["changes"]}
    assert ("added", "宁安市") in ops and ("removed", "阳明区") in ops
    assert "示例草案" in run("diff", REF, NEXT).output


def test_lanzhou_anning_2021_district_programme(tmp_path):
    """兰州安宁区 2021 (realdata.md §5.2): 小区、楼栋、户、面积 with four decimals, and its schedule words."""
    r = run("policy", "check", "lanzhou-anning/2021")
    assert r.exit_code == 0 and "错误 0 项，警告 0 项" in r.output, r.output
    t = load_policy("lanzhou-anning/2021").policy.county("安宁区").target
    assert (t.communities, t.buildings, t.households, t.shown("area")) == (12, 55, 3026, "23.4865万㎡")
    assert run("render", "county-plan", "lanzhou-anning/2021", "--all", "-o", tmp_path).exit_code == 0
    text = "\n".join(p.text for p in Document(next((tmp_path / "安宁区").glob("*.docx"))).paragraphs)
    assert "2021年改造小区12个，改造楼栋55栋，建筑面积23.4865万㎡，涉及居民3026户。" in text
    assert "2021年10月底前：力争完工。" in text and "None" not in text and "许昌" not in text


def test_all_four_districts_add_up_to_the_city_within_its_published_precision(tmp_path):
    lp = load_policy(REF)
    files = [write_district_sample(lp, c.name, tmp_path, plant=False) for c in lp.policy.counties]
    r = CliRunner().invoke(main, ["validate", "--policy", REF, *map(str, files)], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "13029 / 1.3万户 ✓" in r.output and "11 / 11 ✓" in r.output and "2 / 未公布" in r.output
    assert "联系点" not in r.output                           # no liaison column for a policy without them
    part = CliRunner().invoke(main, ["validate", "--policy", REF, *map(str, files[:2])], env={"COLUMNS": "200"})
    assert "7270 / 1.3万户（未收齐，不比较）" in part.output    # a partial sum is not compared with the city


def test_register_status_says_which_denominators_are_listed_not_published(tmp_path):
    lp = load_policy(REF)
    files = [write_district_sample(lp, name, tmp_path, plant=False) for name in ("东安区", "西安区")]
    db = tmp_path / "r.db"
    r = run("register", "add", "--db", db, "--policy", REF, "--by", "示例", "--received", "2022-09-30", *files)
    assert r.exit_code == 0, r.output
    out = CliRunner().invoke(main, ["register", "status", "--db", str(db), "--as-of", "2022-09-30"],
                             env={"COLUMNS": "200"}).output
    assert "1/2（未公布，按清单）" in out and "0/0（未公布，按清单）" in out       # 爱民区 not reported yet
    assert "/13000" in out and "/1.3" not in out                                   # the city's 1.3万户 in 户
