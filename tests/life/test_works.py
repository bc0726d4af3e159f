"""改造内容 classified by the notice's words; V205 (a note) and V206 (中央补助) only where the policy says so."""
import datetime as dt
from dataclasses import replace

import pytest

from generator.ledger import contract as C
from generator.life import works
from generator.validate import validate_plan
from tests.validate.validate_builders import set_cell, valid_plan

D = dt.date


@pytest.mark.parametrize("cell,expected,priority", [
    ("健身器材", ["配套设施和公共服务设施"], False),          # the example: passes, gets a note
    ("雨污分流改造、外墙保温", ["排水", "建筑节能"], True),
    ("水电气热信管网改造", ["电力", "供水", "燃气", "供热"], True),
    ("加装电梯、无障碍坡道", ["无障碍", "适老"], False),
    (["天然气管道更换"], ["燃气"], True),
    ("楼道粉刷", [], False),
])
def test_classification_by_the_keyword_table(policy2023, cell, expected, priority):
    kw = works.table(policy2023)
    c = works.classify(cell, kw)
    assert c.works == expected and c.priority(kw) is priority


def test_pipeline_kinds_come_from_the_policy(policy2023):
    pw = policy2023.policy.priority_works.model_copy(update={"pipelines": ["供水", "通信"]})
    lp = replace(policy2023, policy=policy2023.policy.model_copy(update={"priority_works": pw}))
    kw = works.table(lp)
    assert [w for w, (g, _) in kw.items() if g == "pipeline"] == ["供水", "通信"]
    assert works.classify("通信管线入地", kw).works == ["通信"]


def test_v205_is_a_note_for_a_project_without_priority_work(policy2023):
    plan = valid_plan(policy2023, "禹州市")
    set_cell(plan.projects[0], C.WORKS, ["健身器材"])
    fs = validate_plan(plan, policy2023)
    assert [(f.code, f.severity.value, f.row) for f in fs] == [("V205", "info", plan.projects[0].row)]
    assert fs[0].clause == "三（二）拟定小区改造方案"


def test_v206_only_under_a_target_of_centrally_subsidised_projects(policy2023):
    plan = valid_plan(policy2023, "禹州市")
    central = next(n for n in plan.headers[C.SHEET_PROJECTS] if n.startswith("中央补助资金"))
    other = next(n for n in plan.headers[C.SHEET_PROJECTS] if n.startswith("市县财政资金"))
    set_cell(plan.projects[1], central, None)
    set_cell(plan.projects[1], other, 100.0)
    fs = validate_plan(plan, policy2023)
    assert [(f.code, f.row) for f in fs] == [("V206", plan.projects[1].row)]
    t = policy2023.policy.city_target.model_copy(update={"quote": "到2023年底完成老旧小区改造项目265个，涉及居民19380户"})
    lp = replace(policy2023, policy=policy2023.policy.model_copy(update={"city_target": t}))
    assert [f.code for f in validate_plan(plan, lp)] == []


def _silent(lp):
    """The policy with no clause text: a notice that says nothing about 验收, 移交, 保修 …"""
    from types import SimpleNamespace
    return SimpleNamespace(policy=lp.policy, text=None)


def test_duties_follow_the_notice_words(policy2023):
    d = works.duties(policy2023)
    assert set(d) == {"inspection", "acceptance", "handover", "warranty", "complaints"}
    assert d["acceptance"][0] == "三（四）" and "验收移交" in d["acceptance"][1]
    assert works.duties(_silent(policy2023)) == {}


def test_no_acceptance_duty_no_g401(life, reg, policy2023):
    """A reported completion without 竣工验收 is G401 under xuchang (三（四）验收移交), nothing under a notice silent on it."""
    from generator.life import completion
    from generator.register import db
    from tests.life.conftest import PLAN
    from generator.ledger import contract as C2
    import io

    import openpyxl
    wb = openpyxl.load_workbook(PLAN)
    ws = wb[C2.SHEET_PROJECTS]
    # find the header row holding 实际完工日期
    for r in ws.iter_rows(min_row=1, max_row=6):
        names = [c.value for c in r]
        if C2.ACTUAL_END in names:
            col = names.index(C2.ACTUAL_END) + 1
            hrow = r[0].row
            break
    ws.cell(hrow + 1, col).value = dt.datetime(2023, 11, 20)
    start_col = names.index(C2.ACTUAL_START) + 1
    ws.cell(hrow + 1, start_col).value = dt.datetime(2023, 5, 20)
    buf = io.BytesIO()
    wb.save(buf)
    reg.add(buf.getvalue(), file_name="禹州市-月报.xlsx", received=D(2023, 11, 30), by="登记员", policy=policy2023)
    with db.opened(reg.path) as conn:
        fs = completion.findings(conn, policy2023, "禹州市", D(2023, 11, 30))
        silent = completion.findings(conn, _silent(policy2023), "禹州市", D(2023, 11, 30))
        sts = completion.states(conn, "禹州市", D(2023, 11, 30))
    assert [(f.code, f.project) for f in fs] == [("G401", "XC01-001")]
    assert silent == []
    assert completion.completed_count(sts) == (1, completion.REPORTED_LABEL)
    assert completion.completed_count(sts, accepted_only=True) == (0, completion.ACCEPTED_LABEL)
    life.record("acceptance", project="XC01-001", day=D(2023, 11, 30), by="市", policy=policy2023,
                fields={"participants": "建设单位、施工单位、监理单位", "result": "合格"})
    with db.opened(reg.path) as conn:
        sts = completion.states(conn, "禹州市", D(2023, 11, 30))
        fs = completion.findings(conn, policy2023, "禹州市", D(2023, 11, 30))
    assert completion.completed_count(sts, accepted_only=True) == (1, completion.ACCEPTED_LABEL)
    assert [f.code for f in fs] == ["G403"]          # accepted, not handed over (三（四）验收移交)


def test_works_xlsx_counts_in_policy_order(policy2023, tmp_path):
    import openpyxl
    plans = {c: valid_plan(policy2023, c) for c in ("长葛市", "禹州市")}
    set_cell(plans["禹州市"].projects[0], C.WORKS, ["健身器材"])
    rows = works.by_county(plans, policy2023)
    assert [r.county for r in rows] == ["禹州市", "长葛市"]            # the policy's order
    assert rows[0].without_priority == ["P001"] and rows[0].with_pipeline == rows[0].projects - 1
    path = works.write_xlsx(rows, policy2023, tmp_path / "分类.xlsx")
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[2]]
    assert ws.cell(3, 1).value == "禹州市" and ws.cell(3, header.index("未含优先改造内容的项目") + 1).value == "P001"
    assert ws.cell(5, 1).value == "合计" and ws.cell(5, 2).value == "=SUM(B3:B4)"
