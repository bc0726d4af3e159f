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
