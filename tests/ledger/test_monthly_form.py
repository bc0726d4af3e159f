"""The 信息月报's own form (ledger/monthly.py): its columns follow the policy, the template is written with its
填表说明, and the reader takes the same mess as for plans (title rows, merged cells, full-width digits, Excel
serial dates, a GBK CSV)."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace as dc_replace
from pathlib import Path

import pytest

from generator.ledger import monthly as M

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample-禹州市.xlsx"

# the five 开工认定标准 as the notice's 附件 names them (policies/xuchang/2023/policy.yaml, start_criteria)
CRITERIA = ["开工条件1：征求意见形成共识", "开工条件2：违建临建拆除", "开工条件3：设计完成并公示", "开工条件4：施工合同签订",
            "开工条件5：进场形成形象进度"]


def _with(lp, **policy_update):
    return dc_replace(lp, policy=lp.policy.model_copy(update=policy_update))


def test_the_columns_are_the_reports_own_and_the_criteria_come_from_the_policy(policy2023):
    mc = M.build_monthly_contract(policy2023)
    names = [c.name for c in mc.projects]
    assert names[:6] == ["项目编号", "小区名称", "开工日期", "开工户数", "完工日期", "完工户数"]
    assert [n for n in names if n.startswith("开工条件")] == CRITERIA
    # a plan's columns are not asked again (they are the plan's: 户数, 计划开工日期, 资金, 同意率)
    assert not {"户数", "计划开工日期", "居民同意率", "资金概算（万元）", "楼栋数"} & set(names)
    assert [c.name for c in mc.info if c.required] == ["县（市、区）", "报告月份", "报送日期", "填报人", "联系电话",
                                                        "审核人（单位领导）"]
    assert mc.sheets == ("基本信息", "项目进度")
    # the criteria cite the 附件's clauses, 开工 the 全部开工 milestone's, the 基本信息 keys 五（四）
    assert {c.clause for c in mc.projects if c.group == "criterion"} == {f"附件.{i}" for i in range(1, 6)}
    assert next(c for c in mc.projects if c.name == "开工日期").clause == "二"
    assert next(c for c in mc.info if c.name == "审核人（单位领导）").clause == "五（四）"


def test_a_criterion_renamed_in_the_policy_renames_its_column(policy2023):
    sc = policy2023.policy.start_criteria
    items = [sc.items[0].model_copy(update={"label": "居民同意"}), *sc.items[1:]]
    lp = _with(policy2023, start_criteria=sc.model_copy(update={"items": items}))
    assert [c.name for c in M.build_monthly_contract(lp).projects if c.group == "criterion"][0] == "开工条件1：居民同意"
    # a policy without 开工认定标准 asks for no criterion column
    assert not [c for c in M.build_monthly_contract(_with(policy2023, start_criteria=None)).projects
                if c.group == "criterion"]


def test_investment_is_asked_only_when_a_reporting_duty_asks_for_it(policy2023):
    mc = M.build_monthly_contract(policy2023)
    assert not mc.investment and M.INVESTMENT not in [c.name for c in mc.projects]     # 2023's notice asks none
    rep = policy2023.policy.reporting
    duty = rep.duties[0].model_copy(update={"key": "monthly_investment", "text": "月报填报本月完成投资",
                                            "quote": rep.duties[0].quote})
    lp = _with(policy2023, reporting=rep.model_copy(update={"duties": [*rep.duties, duty]}))
    mc2 = M.build_monthly_contract(lp)
    col = next(c for c in mc2.projects if c.name == "本月完成投资（万元）")
    assert mc2.investment and col.clause == "五（四）" and "月报填报本月完成投资" in col.meaning


def test_the_template_has_its_guide_and_reads_back(policy2023, tmp_path):
    from openpyxl import load_workbook

    from generator.ledger.reader import is_monthly_file, read_monthly, read_plan
    from generator.ledger.samples import NOTE
    from generator.register.monthly_form import MonthlyForm, write
    plan = read_plan(SAMPLE, policy2023)
    report = M.prefill(plan, policy2023, "2023-06")
    out = write(policy2023, MonthlyForm("禹州市", "2023-06", report, note=NOTE), tmp_path / "m.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["基本信息", "项目进度", "填表说明"]
    assert NOTE in wb["项目进度"]["A1"].value and "2023年6月" in wb["项目进度"]["A1"].value
    info = {r[0]: r[1] for r in wb["基本信息"].iter_rows(min_row=3, values_only=True)}
    assert info["报告月份"] == "2023-06" and info["县（市、区）"] == "禹州市"
    guide = [r for r in wb["填表说明"].iter_rows(values_only=True)]
    listed = {(r[0], r[1]): r[4] for r in guide if r[0] in ("基本信息", "项目进度")}
    assert listed[("项目进度", CRITERIA[3])] == "附件 第4条"
    assert listed[("基本信息", "审核人（单位领导）")].startswith("五（四）")
    assert any("2023-06-30" in (r[0] or "") for r in guide)          # the month's end, said in words
    assert any("不设投资列" in (r[0] or "") for r in guide)
    # the national columns only when the office adopts the survey
    assert "加装电梯（部）" not in [c.value for c in wb["项目进度"][2]]
    write(policy2023, MonthlyForm("禹州市", "2023-06", report, national=True), tmp_path / "n.xlsx")
    assert "加装电梯（部）" in [c.value for c in load_workbook(tmp_path / "n.xlsx")["项目进度"][2]]
    assert is_monthly_file(out) and not is_monthly_file(SAMPLE)
    back = read_monthly(out, policy2023)
    assert M.period_of(back) == "2023-06"
    assert [r.value("项目编号") for r in back.projects] == [r.value("项目编号") for r in plan.projects]
    # the June report keeps June's dates: XC01-001 started 05-30 (kept), its completion 10-17 is after June (left out)
    first = back.projects[0]
    assert first.value("开工日期") == dt.date(2023, 5, 30) and first.value("完工日期") is None


def _messy(path: Path) -> Path:
    """A 月报 as a county types it: two title rows (one merged), the header in row 3 with spaces and full-width
    brackets, full-width digits, an Excel serial date, a date as Chinese text, a 合计 row, a note under it."""
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "基本信息"
    ws.append(["禹州市2023年6月信息月报"])
    ws.append(["项目", "内容"])
    for k, v in (("县（市、区）", "禹州"), ("报告月份", dt.datetime(2023, 6, 1)), ("报送日期", "2023年7月3日"),
                 ("填报人", "示例填报人"), ("联系电话", "0374-1234567"), ("审核人（单位领导）", "示例领导")):
        ws.append([k, v])
    pg = wb.create_sheet(" 项目进度 ")
    pg.append(["禹州市城镇老旧小区改造信息月报"])
    pg.merge_cells("A1:F1")
    pg.append(["（2023年6月）"])
    pg.append(["项目编号", "小区 名称", "开工日期", "开工户数", "完工日期", "完工户数", *[c.replace("：", ":") for c in CRITERIA]])
    pg.append(["ＸＣ01-001", "禹州市示例小区001", 45076, "３１", None, None, *["2023-05-0%d" % i for i in range(1, 6)]])
    pg.append(["XC01-004", "禹州市示例小区004", "2023年6月12日", 24, None, 0, *[dt.date(2023, 6, i) for i in range(1, 6)]])
    pg.append(["合计", None, None, 55, None, 0])
    pg.append(["注：本表为示例数据"])
    wb.save(path)
    return path


def test_the_reader_takes_a_countys_mess(policy2023, tmp_path):
    from generator.ledger.reader import read_monthly
    r = read_monthly(_messy(tmp_path / "messy.xlsx"), policy2023)
    assert M.period_of(r) == "2023-06" and r.county == "禹州市"             # a date typed for the month; 禹州 -> 禹州市
    assert [x.value("项目编号") for x in r.projects] == ["ＸＣ01-001", "XC01-004"]       # 合计 and the note are no projects
    a, b = r.projects
    assert a.value("开工日期") == dt.date(2023, 5, 30)                       # Excel serial 45076
    assert a.value("开工户数") == 31                                          # full-width digits
    assert b.value("开工日期") == dt.date(2023, 6, 12) and b.value(CRITERIA[4]) == dt.date(2023, 6, 5)
    assert a.row == 4 and r.projects[0].sheet == " 项目进度 "
    # linked to the plan by 项目编号, full-width or not
    from generator.ledger.reader import read_plan
    lk = M.link(r, read_plan(SAMPLE, policy2023))
    assert lk.pairs == [(0, 0), (1, 3)] and not lk.unknown


def test_a_gbk_csv_of_the_progress_table_is_a_monthly_report(policy2023, tmp_path):
    from generator.ledger.reader import is_monthly_file, read_monthly
    head = ["项目编号", "小区名称", "开工日期", "开工户数", "完工日期", "完工户数", *CRITERIA]
    lines = [",".join(head), ",".join(["XC01-001", "禹州市示例小区001", "2023/5/30", "31", "", "", *["2023-05-01"] * 5])]
    path = tmp_path / "june.csv"
    path.write_bytes("\n".join(lines).encode("gbk"))
    assert is_monthly_file(path)
    r = read_monthly(path, policy2023)
    assert r.format == "csv" and r.projects[0].value("开工日期") == dt.date(2023, 5, 30)
    assert r.projects[0].value("小区名称") == "禹州市示例小区001"


@pytest.mark.parametrize("raw, period", [
    ("2023-06", "2023-06"), ("2023/6", "2023-06"), ("2023年6月", "2023-06"), ("２０２３年６月", "2023-06"),
    ("2023年6月份", "2023-06"), (dt.date(2023, 6, 1), "2023-06"), (dt.datetime(2023, 12, 1), "2023-12"),
    (45078, "2023-06"), ("2023-13", None), ("六月", None)])
def test_the_report_month_as_typed(raw, period):
    assert M.parse_period(raw)[0] == period
    if period is None:
        assert M.parse_period(raw)[1]                          # said why, never a guess


@pytest.mark.parametrize("period, end", [("2023-06", dt.date(2023, 6, 30)), ("2023-02", dt.date(2023, 2, 28)),
                                         ("2024-02", dt.date(2024, 2, 29)), ("2023-12", dt.date(2023, 12, 31))])
def test_the_month_ends_on_its_calendar_day(period, end):
    assert M.month_end(period) == end


def test_every_monthly_rule_is_documented():
    from generator.validate.monthly import RULES
    doc = (ROOT / "docs" / "monthly-report.md").read_text(encoding="utf-8")
    for code, (severity, *_rest) in RULES.items():
        assert f"| {code} | {severity.value} |" in doc, code
