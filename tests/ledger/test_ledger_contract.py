"""The workbook contract is derived from the policy: change the policy, the columns follow."""
import yaml

from generator.ledger import contract as C
from generator.ledger.contract import build_contract, criterion_column, funding_column, normalize_header
from generator.policy import load_policy


def test_columns_come_from_the_policy(policy2023):
    p = policy2023.policy
    con = build_contract(p)
    names = [c.name for c in con.projects]
    assert con.funding_columns == [funding_column(ch.name) for ch in p.funding.channels]
    for ch in p.funding.channels:
        assert f"{ch.name}（万元）" in names
    for pf in p.project_fields.items:
        for col in pf.columns:
            assert col in names
    for crit in p.start_criteria.items:
        assert criterion_column(crit) in names
        assert con.criterion_columns[crit.id] == criterion_column(crit)
        col = con.column(C.SHEET_PROJECTS, criterion_column(crit))
        assert col.kind == "criterion" and not col.required and col.clause == crit.clause
    info = [c.name for c in con.info]
    assert info[:5] == [C.COUNTY, C.SUBMITTED, C.LEAD_UNIT, C.CONTACT, C.PHONE]
    assert [i.key for i in p.plan_contents.items] == info[5:5 + len(p.plan_contents.items)]
    assert [c.name for c in con.liaison][2:-1] == p.liaison_points.report_contents


def test_required_columns_in_ledger_order(policy2023):
    con = build_contract(policy2023.policy)
    req = [c.name for c in con.required(C.SHEET_PROJECTS)]
    assert req[:6] == [C.PROJECT_ID, C.COMMUNITY, C.BUILDINGS, C.HOUSEHOLDS, "改造内容", C.COST]
    assert req[-5:] == [C.CONSENT, C.PROPERTY_MODEL, C.PLANNED_START, C.PLANNED_END, C.IS_LIAISON]
    assert req.index("保障措施") == 6 + len(con.funding_columns)
    optional = [c.name for c in con.projects if not c.required]
    for name in (C.COUNTY, C.ADDRESS, C.BUILT_YEAR, C.ACTUAL_START, C.ACTUAL_END):
        assert name in optional
    # funding channels: a required header whose blank cells count as 0
    assert all(con.column(C.SHEET_PROJECTS, n).blank_is_zero for n in con.funding_columns)
    assert not con.column(C.SHEET_PROJECTS, con.funding_columns[0]).value_required
    assert con.column(C.SHEET_PROJECTS, C.HOUSEHOLDS).value_required


def test_clauses_cited_from_the_policy(policy2023):
    p = policy2023.policy
    con = build_contract(p)
    assert con.column(C.SHEET_PROJECTS, C.CONSENT).clause == p.consent.clause
    assert con.column(C.SHEET_PROJECTS, C.PLANNED_START).clause == p.milestone("all_started").clause
    assert con.column(C.SHEET_INFO, C.SUBMITTED).clause == p.deadline("county_plan").clause
    assert con.column(C.SHEET_PROJECTS, con.funding_columns[0]).clause == p.funding.clause
    for col in con.projects + con.info + con.liaison:
        assert col.kind in C.KINDS
        if col.clause:
            assert policy2023.text.get(col.clause) is not None, col


def test_a_new_channel_and_criterion_become_columns(policy_copy):
    f = policy_copy / "policy.yaml"
    data = yaml.safe_load(f.read_text(encoding="utf-8"))
    data["funding"]["channels"].append({"key": "lottery", "name": "福彩公益金", "quote": "x"})
    data["start_criteria"]["items"][1]["label"] = "拆违完成"
    f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    con = build_contract(load_policy(policy_copy))
    names = [c.name for c in con.projects]
    assert "福彩公益金（万元）" in names and "开工条件2：拆违完成" in names
    assert "开工条件2：违建临建拆除" not in names


def test_header_matching_is_tolerant():
    assert normalize_header(" 资金概算(万元) ") == normalize_header("资金概算（万元）")
    assert normalize_header("中央补助资金\n（万元）") == normalize_header("中央补助资金（万元）")
    assert normalize_header("项 目 编 号") == normalize_header("项目编号")
    assert normalize_header("县【市、区】") == normalize_header("县（市、区）")
    assert normalize_header("开工条件１:征求意见形成共识") == normalize_header("开工条件1：征求意见形成共识")
    assert normalize_header("户数*") == "户数"
    assert normalize_header(None) == ""


def test_column_meanings_name_the_policys_lower_level():
    """The 填表说明 of a province's template speaks of its cities, a city's of its 县（市、区）; the header stays."""
    from generator.ledger.contract import COUNTY, IS_LIAISON, PROJECT_ID, build_contract
    from generator.policy import load_policy
    city, province = build_contract(load_policy("xuchang/2023")), build_contract(load_policy("henan/2022"))
    assert city.column("基本信息", COUNTY).meaning == "本县（市、区）名称，须为政策列明的县（市、区）"
    assert province.column("基本信息", COUNTY).meaning == "本市名称，须为政策列明的市"
    assert city.column("项目清单", PROJECT_ID).meaning == "项目编号，本县（市、区）内唯一"
    assert province.column("项目清单", PROJECT_ID).meaning == "项目编号，本市内唯一"
    assert city.column("项目清单", COUNTY).meaning == "县（市、区）（全市汇总表用）"
    assert province.column("项目清单", COUNTY).meaning == "市（全省汇总表用）"
    assert province.column("项目清单", COUNTY).name == city.column("项目清单", COUNTY).name == COUNTY
    assert city.column("项目清单", IS_LIAISON).meaning == "是否为本县（市、区）联系点（是/否）"
