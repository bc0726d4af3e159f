"""Issue 23.6: what the policy names, the register tracks — a county's second plan with another 楼栋数 for one
project is a change between the two submissions (gaizao register changes), read from the stored rows."""
import datetime as dt

import openpyxl

from generator.register import Register, db

PLAN = db.Path(__file__).resolve().parents[2] / "data" / "year-2023" / "2023-02-24-禹州市-方案.xlsx"


def test_a_changed_building_count_is_a_change_between_two_submissions(tmp_path, policy2023):
    wb = openpyxl.load_workbook(PLAN)
    ws = wb["项目清单"]
    head = [c.value for c in ws[2]]
    pid_col, b_col = head.index("项目编号") + 1, head.index("楼栋数") + 1
    pid, was = ws.cell(3, pid_col).value, ws.cell(3, b_col).value
    ws.cell(3, b_col).value = was + 2
    second = tmp_path / "禹州市方案（修改）.xlsx"
    wb.save(second)

    reg = Register(tmp_path / "r.db")
    a = reg.add(PLAN, received=dt.date(2023, 2, 24), by="张三", policy=policy2023)
    rows = reg.projects(a.submission.id)
    assert next(r.buildings for r in rows if r.project == pid) == was        # stored with the row
    assert all(r.area is None for r in rows)                                  # 许昌 2023 states no area
    b = reg.add(second, received=dt.date(2023, 2, 27), by="张三", policy=policy2023)
    got = [(c.kind, c.project, c.field, c.old, c.new) for c in b.changes.changes]
    assert got == [("changed", pid, "buildings", was, was + 2)]
    cs = reg.changes("禹州市", policy=policy2023)                                 # the last two
    assert [c.text() for c in cs.changes] == [f"{pid} 楼栋数：{was} → {was + 2}"]


def test_a_changed_area_is_a_change_in_the_policys_unit(tmp_path):
    # 牡丹江 2022 states its areas in 万平方米: the workbook's column is 建筑面积（万㎡）, stored as a number of 万㎡
    from generator.render.samples import write_district_sample
    from generator.policy import load_policy
    mdj = load_policy("mudanjiang/2022")
    first = write_district_sample(mdj, "西安区", tmp_path, plant=False)
    wb = openpyxl.load_workbook(first)
    ws = wb["项目清单"]
    hrow = next(r for r in range(1, 6) if "项目编号" in [c.value for c in ws[r]])
    head = [c.value for c in ws[hrow]]
    pid_col, a_col = head.index("项目编号") + 1, head.index("建筑面积（万㎡）") + 1
    pid, was = ws.cell(hrow + 1, pid_col).value, ws.cell(hrow + 1, a_col).value
    ws.cell(hrow + 1, a_col).value = round(was + 0.1, 4)
    second = tmp_path / "second" / first.name
    second.parent.mkdir()
    wb.save(second)

    reg = Register(tmp_path / "r.db")
    a = reg.add(first, received=dt.date(2022, 3, 1), by="张三", policy=mdj)
    assert next(r.area for r in reg.projects(a.submission.id) if r.project == pid) == was
    b = reg.add(second, received=dt.date(2022, 3, 8), by="张三", policy=mdj)
    (c,) = b.changes.changes
    assert (c.project, c.field, c.old, c.new) == (pid, "area", was, round(was + 0.1, 4))
    assert c.text() == f"{pid} 建筑面积（万㎡）：{was} → {round(was + 0.1, 4)}"
