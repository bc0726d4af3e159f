"""The 信息月报 judged as a 月报 (validate/monthly.py) and recorded as one (register/monthly.py), issue 19.5.

The plan is data/sample-禹州市.xlsx (示例数据): 8 projects XC01-001 … XC01-008; XC01-001 has 31 households,
XC01-004 24, XC01-008 19 (its 项目清单). Each test changes one thing in a valid June report and expects exactly
that finding, at that cell; expected values are the fixture's and the calendar's, never the code's.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

D = dt.date
ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "data" / "sample-禹州市.xlsx"
CRITERIA = ["开工条件1：征求意见形成共识", "开工条件2：违建临建拆除", "开工条件3：设计完成并公示", "开工条件4：施工合同签订",
            "开工条件5：进场形成形象进度"]
HEAD = ["项目编号", "小区名称", "开工日期", "开工户数", "完工日期", "完工户数", *CRITERIA]
INFO = {"县（市、区）": "禹州市", "报告月份": "2023-06", "报送日期": "2023-07-03", "填报人": "示例填报人",
        "联系电话": "0374-1234567", "审核人（单位领导）": "示例领导", "备注": "示例数据"}


def june_rows() -> dict[str, list]:
    """The valid June report: XC01-001 started 05-30 (31 households), XC01-004 started 06-12 (24), the criteria
    met five days apart before each start; the other six not started."""
    rows = {f"XC01-00{i}": [f"XC01-00{i}", f"禹州市示例小区00{i}", None, None, None, None, None, None, None, None, None]
            for i in range(1, 9)}
    rows["XC01-001"][2:] = [D(2023, 5, 30), 31, None, None, *[D(2023, 5, k) for k in range(1, 6)]]
    rows["XC01-004"][2:] = [D(2023, 6, 12), 24, None, None, *[D(2023, 6, k) for k in range(1, 6)]]
    return rows


def write(path: Path, rows, info=None, *, extra_head=()) -> Path:
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "基本信息"
    ws.append(["禹州市信息月报（示例数据）"])
    ws.append(["项目", "内容"])
    for k, v in {**INFO, **(info or {})}.items():
        ws.append([k, v])
    pg = wb.create_sheet("项目进度")
    pg.append(["禹州市信息月报——项目进度（示例数据）"])
    pg.append([*HEAD, *extra_head])
    for r in (rows.values() if isinstance(rows, dict) else rows):
        pg.append(list(r))
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def plan(policy2023):
    from generator.ledger.reader import read_plan
    return read_plan(PLAN, policy2023)


RECEIVED = D(2023, 7, 3)          # the June report's day received


def judge(tmp_path, policy2023, plan, rows, info=None, *, period="2023-06", as_of=RECEIVED):
    from generator.ledger.reader import read_monthly
    from generator.validate.monthly import validate_monthly
    report = read_monthly(write(tmp_path / "m.xlsx", rows, info), policy2023)
    return validate_monthly(report, policy2023, plan, period=period, as_of=as_of)


def found(findings, code):
    return [(f.row, f.column, f.project) for f in findings if f.code == code]


def test_the_valid_june_report_has_no_finding(tmp_path, policy2023, plan):
    assert judge(tmp_path, policy2023, plan, june_rows()) == []


# -- each error kind, at its cell (row 3 is XC01-001's, row 6 XC01-004's: title and header above) ---------
def test_a_start_on_the_months_last_day_counts_and_the_next_day_is_m201(tmp_path, policy2023, plan):
    rows = june_rows()
    rows["XC01-002"][2:4] = [D(2023, 6, 30), 16]
    rows["XC01-002"][6:] = [D(2023, 6, 1)] * 5
    assert judge(tmp_path, policy2023, plan, rows) == []
    rows["XC01-002"][2] = D(2023, 7, 1)
    f = judge(tmp_path, policy2023, plan, rows)
    assert [x.code for x in f] == ["M201"] and found(f, "M201") == [(4, "开工日期", "XC01-002")]
    assert f[0].expected == "<= 2023-06-30" and f[0].clause == "五（四）完善信息报送"


def test_the_february_report_ends_on_the_28th(tmp_path, policy2023, plan):
    rows = june_rows()
    rows["XC01-001"][2] = D(2023, 2, 28)
    rows["XC01-001"][6:] = [D(2023, 2, 1)] * 5
    rows["XC01-004"][2:] = [None] * 9
    info = {"报告月份": "2023-02"}
    assert judge(tmp_path, policy2023, plan, rows, info, period="2023-02", as_of=D(2023, 3, 3)) == []
    rows["XC01-001"][2] = D(2023, 3, 1)
    f = judge(tmp_path, policy2023, plan, rows, info, period="2023-02", as_of=D(2023, 3, 3))
    assert [x.code for x in f] == ["M201"] and f[0].expected == "<= 2023-02-28"


def test_completion_after_the_month_before_the_start_or_without_one(tmp_path, policy2023, plan):
    rows = june_rows()
    rows["XC01-001"][4:6] = [D(2023, 7, 1), 31]
    assert found(judge(tmp_path, policy2023, plan, rows), "M202") == [(3, "完工日期", "XC01-001")]
    rows["XC01-001"][4] = D(2023, 5, 29)
    f = judge(tmp_path, policy2023, plan, rows)
    assert [x.code for x in f] == ["M203"] and found(f, "M203") == [(3, "完工日期", "XC01-001")]
    rows = june_rows()
    rows["XC01-003"][4:6] = [D(2023, 6, 20), 20]
    f = judge(tmp_path, policy2023, plan, rows)
    assert [x.code for x in f] == ["M204"] and found(f, "M204") == [(5, "完工日期", "XC01-003")]


def test_a_criterion_met_after_the_month(tmp_path, policy2023, plan):
    rows = june_rows()
    rows["XC01-005"][6] = D(2023, 7, 1)
    f = judge(tmp_path, policy2023, plan, rows)
    assert [x.code for x in f] == ["M205"] and found(f, "M205") == [(7, CRITERIA[0], "XC01-005")]
    assert f[0].clause.startswith("附件")


def test_a_date_after_the_day_received_has_not_happened(tmp_path, policy2023, plan):
    rows = june_rows()
    rows["XC01-004"][2] = D(2023, 6, 26)
    assert judge(tmp_path, policy2023, plan, rows, as_of=D(2023, 6, 26)) == []
    f = judge(tmp_path, policy2023, plan, rows, as_of=D(2023, 6, 25))
    assert [x.code for x in f] == ["M206"] and found(f, "M206") == [(6, "开工日期", "XC01-004")]


def test_households_exactly_at_the_plan_and_one_beyond(tmp_path, policy2023, plan):
    rows = june_rows()
    rows["XC01-001"][4:6] = [D(2023, 6, 20), 31]          # 31 of the plan's 31: completed in full
    assert judge(tmp_path, policy2023, plan, rows) == []
    rows["XC01-001"][3] = 32
    f = judge(tmp_path, policy2023, plan, rows)
    assert [x.code for x in f] == ["M301"] and found(f, "M301") == [(3, "开工户数", "XC01-001")]
    assert f[0].expected == "<= 31" and f[0].clause == "二、目标任务"


def test_completed_beyond_started_and_partial_completion(tmp_path, policy2023, plan):
    rows = june_rows()
    rows["XC01-004"][5] = 25                               # 25 done of 24 started (and of the plan's 24)
    f = judge(tmp_path, policy2023, plan, rows)
    assert sorted(x.code for x in f) == ["M301", "M302"] and found(f, "M302") == [(6, "完工户数", "XC01-004")]
    rows = june_rows()
    rows["XC01-004"][4:6] = [D(2023, 6, 28), 23]           # 完工 with 23 of 24 households
    f = judge(tmp_path, policy2023, plan, rows)
    assert [x.code for x in f] == ["M304"] and f[0].value == 23 and f[0].expected == 24


def test_households_and_start_disagree(tmp_path, policy2023, plan):
    rows = june_rows()
    rows["XC01-004"][3] = None
    f = judge(tmp_path, policy2023, plan, rows)
    assert [x.code for x in f] == ["M303"] and found(f, "M303") == [(6, "开工户数", "XC01-004")]
    rows = june_rows()
    rows["XC01-006"][3] = 30
    assert found(judge(tmp_path, policy2023, plan, rows), "M303") == [(8, "开工户数", "XC01-006")]


def test_projects_against_the_plan(tmp_path, policy2023, plan):
    rows = list(june_rows().values())
    rows[7] = ["XC09-999", "不在方案的小区", None, None, None, None, *[None] * 5]      # XC01-008 replaced
    rows[1][1] = "禹州市示例小区02"                                                      # a typo in 小区名称
    rows.append(list(rows[2]))                                                            # XC01-003 twice
    f = judge(tmp_path, policy2023, plan, rows)
    assert sorted(x.code for x in f) == ["M101", "M102", "M103", "M104"]
    assert found(f, "M101") == [(10, "项目编号", "XC09-999")]
    assert [x.value for x in f if x.code == "M102"] == ["XC01-008"]
    assert found(f, "M103") == [(4, "小区名称", "XC01-002")]
    assert found(f, "M104") == [(11, "项目编号", "XC01-003")]


def test_a_start_without_every_criterion_is_not_counted(tmp_path, policy2023, plan):
    rows = june_rows()
    rows["XC01-004"][10] = None                              # criterion 5 blank
    f = judge(tmp_path, policy2023, plan, rows)
    assert [x.code for x in f] == ["M401"] and f[0].project == "XC01-004" and f[0].value == [5]


def test_basic_information(tmp_path, policy2023, plan):
    f = judge(tmp_path, policy2023, plan, june_rows(), {"审核人（单位领导）": None, "填报人": None})
    assert sorted(x.code for x in f) == ["M002", "M003"] and {x.clause for x in f} == {"五（四）完善信息报送"}
    f = judge(tmp_path, policy2023, plan, june_rows(), {"报告月份": "2023-07"})
    assert [(x.code, x.value, x.expected) for x in f] == [("M005", "2023-07", "2023-06")]
    f = judge(tmp_path, policy2023, plan, june_rows(), {"报告月份": "六月"})
    assert [x.code for x in f] == ["M005"]


def test_an_unreadable_date_is_said_and_never_counts(tmp_path, policy2023, plan):
    rows = june_rows()
    rows["XC01-004"][2] = "2023-06-31"
    f = judge(tmp_path, policy2023, plan, rows)
    assert found(f, "M004") == [(6, "开工日期", "XC01-004")]
    from generator.reports.recognition import rejected_dates
    assert list(rejected_dates(f)) == [6]                    # the register's 开工认定 never counts it


def test_plan_rules_are_not_a_months_rules(tmp_path, policy2023, plan):
    """A 月报 sent on 07-03 says so; V602 (报送日期 after the plan's deadline) and every other plan rule judge plans."""
    f = judge(tmp_path, policy2023, plan, june_rows())
    assert not [x for x in f if x.code.startswith("V")]
    from generator.validate.monthly import RULES
    assert all(code.startswith("M") for code in RULES)


# -- in the register ---------------------------------------------------------------------------------
@pytest.fixture
def reg(tmp_path, policy2023):
    from generator.register import Register
    r = Register(tmp_path / "r.db")
    r.add(PLAN, received=D(2023, 2, 20), by="登记员", policy=policy2023, kind="年度实施方案", today=D(2024, 1, 1))
    return r


def _line(reg, day, policy2023):
    st = reg.status(day, policy=policy2023)
    return next(c for c in st.counties if c.line.county == "禹州市").line


def test_the_register_reads_the_form_and_joins_it_to_the_plan(reg, tmp_path, policy2023):
    rows = june_rows()
    rows["XC01-002"][2:4] = [D(2023, 7, 1), 16]               # a July start in June's report: M201, never counted
    rows["XC01-002"][6:] = [D(2023, 6, 1)] * 5
    res = reg.add(write(tmp_path / "june.xlsx", rows), received=D(2023, 7, 3), by="登记员", policy=policy2023,
                  today=D(2024, 1, 1))
    s = res.submission
    assert (s.kind, s.period) == ("信息月报", "2023-06")        # both read from the form
    assert [f.code for f in res.findings if f.severity.value == "error"] == ["M201"]
    assert not [f for f in res.findings if f.code in ("V602", "R201", "R203", "R207")]
    line = _line(reg, D(2023, 7, 10), policy2023)
    assert (line.started, line.started_declared) == (2, 3)
    # read back: the plan's values with the 月报's progress, at the 月报's rows
    joined = reg.plan(s.id, policy2023)
    first = joined.projects[0]
    assert (first.value("户数"), first.value("实际开工日期"), first.value("居民同意率")) == (31, D(2023, 5, 30), 0.958)
    assert [p.households for p in reg.projects(s.id)][:4] == [31, 16, 20, 24]


def test_a_month_that_disagrees_with_period_or_has_no_plan_is_refused(reg, tmp_path, policy2023):
    from generator.errors import UsageError
    from generator.register import Register
    path = write(tmp_path / "june.xlsx", june_rows())
    with pytest.raises(UsageError, match="2023-06.*2023-07"):
        reg.add(path, received=D(2023, 8, 3), by="登记员", policy=policy2023, period="2023-07", today=D(2024, 1, 1))
    with pytest.raises(UsageError, match="不能登记为"):
        reg.add(path, received=D(2023, 7, 3), by="登记员", policy=policy2023, kind="年度实施方案", today=D(2024, 1, 1))
    assert len(reg.submissions()) == 1
    with pytest.raises(UsageError, match="年度实施方案"):
        Register(tmp_path / "empty.db").add(path, received=D(2023, 7, 3), by="登记员", policy=policy2023,
                                            today=D(2024, 1, 1))


def test_a_rewrite_between_two_months_in_the_form_is_found(reg, tmp_path, policy2023):
    reg.add(write(tmp_path / "june.xlsx", june_rows()), received=D(2023, 7, 3), by="登记员", policy=policy2023,
            today=D(2024, 1, 1))
    rows = june_rows()
    rows["XC01-004"][2] = D(2023, 6, 14)                     # July's report moves June's start
    res = reg.add(write(tmp_path / "july.xlsx", rows, {"报告月份": "2023-07", "报送日期": "2023-08-03"}),
                  received=D(2023, 8, 3), by="登记员", policy=policy2023, today=D(2024, 1, 1))
    assert res.previous.period == "2023-06"
    assert [(c.project, c.old, c.new) for c in res.changes.changes] == [("XC01-004", "2023-06-12", "2023-06-14")]


def test_a_plan_form_report_is_still_read_as_before(reg, policy2023):
    june = ROOT / "data" / "year-2023" / "2023-06-30-禹州市-月报.xlsx"
    res = reg.add(june, received=D(2023, 6, 30), by="登记员", policy=policy2023, period="2023-06", today=D(2024, 1, 1))
    assert res.submission.kind == "信息月报" and not [f for f in res.findings if f.code.startswith("M")]


def test_the_national_export_counts_rates_and_the_reported_quantities(reg, tmp_path, policy2023):
    from openpyxl import load_workbook

    from generator.register.national import write_national
    rows = [r + [None] * 7 for r in june_rows().values()]
    rows[0][11 + 1] = 2                                      # 加装电梯（部） for XC01-001 (the 2nd national column)
    rows[3][11 + 1] = 1
    head = ["改造老旧管线（公里）", "加装电梯（部）", "建筑节能改造（万平方米）", "停车位（个）", "充电桩（个）",
            "养老托育设施（个）", "助餐设施（个）"]
    reg.add(write(tmp_path / "june.xlsx", rows, extra_head=head), received=D(2023, 7, 3), by="登记员",
            policy=policy2023, today=D(2024, 1, 1))
    snap = reg.snapshot(D(2023, 7, 10), policy=policy2023)
    plans = {c: reg.plan(s.id, policy2023) for c, s in snap.latest.items()}
    path = write_national(snap, plans, policy2023, tmp_path / "n.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["年度计划", "改造进展", "改造效果", "项目基本情况"]
    target = policy2023.policy.county("禹州市").target
    progress = next(r for r in wb["改造进展"].iter_rows(min_row=4, values_only=True) if r[0] == "禹州市")
    # 2 recognised starts of the policy's target; households 31 + 24 of its households
    assert progress[3:7] == (2, 55, f"{2 / target.projects:.2%}", f"{55 / target.households:.2%}")
    effects = next(r for r in wb["改造效果"].iter_rows(min_row=4, values_only=True) if r[0] == "禹州市")
    assert effects[4] == 3                                   # 加装电梯（部）: 2 + 1 as reported, never derived
    assert effects[2] == "待填报"                             # 改造老旧管线（公里）: nobody reported it
    projects = [r for r in wb["项目基本情况"].iter_rows(min_row=4, values_only=True) if r[0] == "禹州市"]
    assert [r[1] for r in projects] == [f"XC01-00{i}" for i in range(1, 9)]
    assert projects[0][6:8] == ("2023-05-30", "计入")


@pytest.mark.slow
def test_the_cli_template_and_add(reg, tmp_path, policy2023):
    from click.testing import CliRunner
    from openpyxl import load_workbook

    from generator.cli import main
    out = tmp_path / "7月.xlsx"
    r = CliRunner().invoke(main, ["register", "template", "禹州市", "--period", "2023-07", "--national", "-o", str(out),
                                  "--db", str(reg.path), "--policy", "xuchang/2023"])
    assert r.exit_code == 0, r.output
    wb = load_workbook(out)
    head = [c.value for c in wb["项目进度"][2]]
    assert head[:6] == HEAD[:6] and "加装电梯（部）" in head and "示例数据" in wb["项目进度"]["A1"].value
    # where the prefill came from is told to the clerk, not printed on the form the county's leader seals
    assert "收到的报送预填" in r.output
    cells = [str(c.value) for sh in wb.worksheets for row in sh.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if "预填" in c or "收到的报送" in c]
    ws = wb["基本信息"]
    for row in ws.iter_rows(min_row=3):
        if row[0].value in ("填报人", "联系电话", "审核人（单位领导）", "报送日期"):
            row[1].value = {"填报人": "示例", "联系电话": "0374-1234567", "审核人（单位领导）": "示例领导",
                            "报送日期": "2023-08-03"}[row[0].value]
    wb.save(out)
    r = CliRunner().invoke(main, ["register", "add", str(out), "--received", "2023-08-03", "--by", "登记员",
                                  "--db", str(reg.path), "--policy", "xuchang/2023"])
    assert "信息月报2023-07" in r.output, r.output


def test_gaizao_validate_judges_a_monthly_report_by_the_monthly_rules(tmp_path):
    from click.testing import CliRunner

    from generator.cli import main
    rows = june_rows()
    rows["XC01-001"][3] = 32                                  # beyond the plan's 31
    path = write(tmp_path / "june.xlsx", rows)
    r = CliRunner().invoke(main, ["validate", str(path), "--against", str(PLAN), "--policy", "xuchang/2023",
                                  "--format", "json"])
    assert r.exit_code == 1, r.output
    import json
    codes = [f["code"] for f in json.loads(r.output[r.output.index("{"):])["findings"]]
    assert codes == ["M301"]
    r = CliRunner().invoke(main, ["validate", str(path), str(PLAN), "--policy", "xuchang/2023"])
    assert r.exit_code == 2 and "--against" in r.output


def test_a_negative_household_count_is_m305_at_its_cell(tmp_path, policy2023, plan):
    """The form says 开工户数/完工户数 are counts (不小于0, its data validation): a negative one is an error."""
    rows = june_rows()
    rows["XC01-001"][3] = 0                                # 0 is a count (M303 warns: started without households)
    assert found(judge(tmp_path, policy2023, plan, rows), "M305") == []
    rows["XC01-001"][3] = -1
    f = judge(tmp_path, policy2023, plan, rows)
    assert found(f, "M305") == [(3, "开工户数", "XC01-001")] and f[0].value == -1
    assert {x.clause for x in f if x.code == "M305"} == {"五（四）完善信息报送"}


def test_gaizao_validate_annotates_a_monthly_report_on_its_own_cells(tmp_path):
    """--annotate on a 月报 writes the marked-up copy (it was silently ignored), the finding at the 月报's cell."""
    import hashlib

    from click.testing import CliRunner
    from openpyxl import load_workbook

    from generator.cli import main
    rows = june_rows()
    rows["XC01-001"][3] = 32                                  # beyond the plan's 31: M301 at 开工户数 of row 3
    path = write(tmp_path / "june.xlsx", rows)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    out = tmp_path / "june-标注.xlsx"
    r = CliRunner().invoke(main, ["validate", str(path), "--against", str(PLAN), "--policy", "xuchang/2023",
                                  "--annotate", str(out)])
    assert r.exit_code == 1, r.output
    ws = load_workbook(out)["项目进度"]
    assert ws["D3"].comment is not None and "M301" in ws["D3"].comment.text
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_gaizao_validate_refuses_a_plan_of_another_county(tmp_path):
    """A 禹州市 月报 against 长葛市's plan is the user's mix-up, said once (exit 2), not 40 findings of M101/M102."""
    from click.testing import CliRunner

    from generator.cli import main
    path = write(tmp_path / "june.xlsx", june_rows())
    other = ROOT / "data" / "sample-长葛市.xlsx"
    r = CliRunner().invoke(main, ["validate", str(path), "--against", str(other), "--policy", "xuchang/2023"])
    assert r.exit_code == 2 and "信息月报是禹州市的" in r.output and "长葛市" in r.output, r.output
    assert "M101" not in r.output and "Traceback" not in r.output
