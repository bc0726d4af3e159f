"""Issue 11, items 1 and 2: every consumer reads a target in its base unit, within its published precision and
by its comparator, says 未公布 / 无目标 apart, and shows a provision only when the policy has it.

牡丹江 2022 is the real case: a target table (楼栋、面积、户 by district, no project counts, no 文号, no consent
rule, no liaison points, no start criteria, city households published as 1.3万户)."""
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from generator.cli import main
from generator.ledger import contract as C
from generator.ledger.model import Cell, Plan
from generator.policy import load_policy
from generator.policy.goals import goal, phrase, workbook_rule
from generator.policy.model import Target
from generator.validate.rules.county import county_named

ROOT = Path(__file__).resolve().parents[2]


def test_a_wan_hu_total_is_read_in_households_within_its_rounding():
    t = Target(households=1.3, units={"households": "万户"}, clause="x")
    g = goal(t, "households")
    assert (g.base, g.slack, g.text()) == (Decimal("13000.0"), Decimal("500"), "1.3万户")
    assert g.met(13029) and g.met(12500) and not g.met(12499)      # 13029户 is 1.3万户 as published
    assert g.gap(13600) == 600


def test_at_least_is_met_by_more_and_absent_is_not_zero():
    t = Target(households=7000, comparator="不少于", clause="x")
    assert goal(t, "households").met(7373) and goal(t, "households").gap(6999) == -1
    assert goal(t, "households").text() == "不少于7000户"
    assert goal(t, "projects").text() == "未公布" and not goal(t, "projects").published
    assert goal(None, "projects").text() == "无目标"
    assert goal(Target(buildings=0, clause="x"), "buildings").met(0)      # a published zero is a target


def test_phrase_names_only_what_is_published():
    mdj = load_policy("mudanjiang/2022").policy
    t = mdj.county("东安区").target
    assert phrase(t) == "改造楼栋33栋，建筑面积20.88万㎡，涉及居民2849户"
    # the area is a rounded measure: its sum is checked within the published precision (V106)
    assert workbook_rule(t) == "项目清单的楼栋数合计、户数合计与建筑面积合计须与之相等（在公布精度之内）"
    xc = load_policy("xuchang/2023").policy.counties[0].target
    assert phrase(xc) == f"改造老旧小区{xc.projects}个，涉及居民{xc.households}户"     # 2023 wording unchanged


@pytest.fixture(scope="module")
def mudanjiang_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("mdj")
    r = CliRunner().invoke(main, ["render", "county-plan", "mudanjiang/2022", "--all", "-o", str(out)])
    assert r.exit_code == 0, r.output
    return out / "东安区"


def _docx_text(folder: Path) -> str:
    d = Document(next(folder.glob("*.docx")))
    return "\n".join(p.text for p in d.paragraphs)


def _xlsx_text(folder: Path) -> tuple[str, object]:
    wb = load_workbook(next(folder.glob("*.xlsx")))
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
                     if v is not None), wb


BAD = ("None", "（）", "：。", "须明确：", "2023", "许昌", "联系点", "居民同意", "均已满足", "[]")


@pytest.mark.slow
def test_county_plan_of_a_target_table_prints_only_what_the_policy_has(mudanjiang_out):
    text = _docx_text(mudanjiang_out)
    for bad in BAD:
        assert bad not in text, bad
    assert "根据牡丹江市《牡丹江市2022年市区老旧小区改造计划（目标数）》要求" in text      # no （文号）
    assert "2022年改造楼栋33栋，建筑面积20.88万㎡，涉及居民2849户。" in text
    assert "（与本方案同时报送的工作簿）。" in text


@pytest.mark.slow
def test_workbook_of_a_target_table_has_no_columns_for_absent_provisions(mudanjiang_out):
    text, wb = _xlsx_text(mudanjiang_out)
    for bad in BAD:
        assert bad not in text, bad
    assert wb.sheetnames == [C.SHEET_INFO, C.SHEET_PROJECTS, C.SHEET_GUIDE]
    headers = [c.value for c in wb[C.SHEET_PROJECTS][2] if c.value]
    assert C.CONSENT not in headers and C.IS_LIAISON not in headers and C.PROPERTY_MODEL not in headers
    assert "日期（如2022-06-30）" in text                                    # the plan's own year
    assert "楼栋数合计、户数合计与建筑面积合计须与之相等（在公布精度之内）" in text
    assert "建筑面积（万㎡）" in headers                                     # the policy states 面积 in 万㎡


def test_all_on_a_policy_without_counties_says_why(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["policy", "new", "demo/2022", "--name", "示例市"]).exit_code == 0
    r = runner.invoke(main, ["render", "county-plan", "demo/2022", "--all", "-o", str(tmp_path / "out")])
    assert r.exit_code == 2 and "未列出任何县（市、区）" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "out").exists()                   # refused before anything is written


def test_v101_never_ends_in_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    CliRunner().invoke(main, ["policy", "new", "demo/2022", "--name", "示例市"])
    lp = load_policy("demo/2022")
    plan = Plan(file="x.xlsx", info={C.COUNTY: Cell("东安区", "东安区", C.SHEET_INFO, 3, C.COUNTY)},
                sheet_names={s: s for s in C.SHEETS})
    hits = list(county_named(plan, lp))
    assert len(hits) == 1 and not hits[0].message.endswith("应为：")
    assert "本政策未列出县（市、区）" in hits[0].message


@pytest.mark.slow
def test_workbook_reads_back_without_a_liaison_sheet(mudanjiang_out):
    from generator.ledger.reader import read_plan
    plan = read_plan(next(mudanjiang_out.glob("*.xlsx")), load_policy("mudanjiang/2022"))
    assert plan.liaison == [] and plan.info[C.COUNTY].value == "东安区"


def test_kind_is_derived_from_what_the_policy_states(tmp_path):
    """A declared `kind: full` no longer demands 许昌's sections (it used to give 11 × P200); a notice text does
    bring its 文号 and 成文日期 with it."""
    from generator.policy.check import check_policy
    f = tmp_path / "p.yaml"
    f.write_text("""\
id: test/2022
version: "0.1.0"
status: draft
kind: full
title: 测试
document:
  issuer: {value: 某市, clause: 目标任务}
  city: {value: 某市, clause: 目标任务}
  plan_year: {value: 2022, clause: 目标任务}
counties:
  - name: 甲区
    target: {households: 100, clause: 目标任务, quote: 甲区100户}
""", encoding="utf-8")
    lp = load_policy(f)
    assert (lp.policy.derived_kind, lp.policy.provisions) == ("targets", [])
    assert [x.code for x in check_policy(lp).findings if x.code in ("P200", "P120")] == []
    xc = load_policy("xuchang/2023").policy
    assert xc.derived_kind == "full" and {"consent", "liaison_points", "start_criteria"} <= set(xc.provisions)
