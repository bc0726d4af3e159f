"""The 汇总表 carries the 改造内容 classification per county (issue 20.6), counted from the latest counted workbook.

Expected counts are read by hand from data/year-2023/2023-02-24-禹州市-方案.xlsx (项目清单, 改造内容):
001 燃气·配套; 002 排水·节能·配套·供热; 003 供热·节能·配套·电力; 004 供热·排水·供水; 005 节能·排水·供热·电力;
006 电力·供水·燃气; 007 电力·燃气·配套·供热; 008 配套·排水·燃气·节能.
"""
import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

YEAR = Path(__file__).resolve().parents[2] / "data" / "year-2023"
PLAN = YEAR / "2023-02-24-禹州市-方案.xlsx"
D = dt.date


def _row(path, county):
    ws = load_workbook(path)["改造内容分类"]
    head = [c.value for c in ws[4]]
    row = next(r for r in ws.iter_rows(min_row=5, values_only=True) if r[1] == county)
    return dict(zip(head, row)), ws


def test_the_summary_counts_priority_pipelines_per_county(tmp_path, policy2023):
    from generator.register import Register
    reg = Register(tmp_path / "r.db")
    reg.add(PLAN, received=D(2023, 2, 24), by="登记员", policy=policy2023)
    path = reg.write_summary(tmp_path / "汇总表.xlsx", D(2023, 3, 1), policy=policy2023)
    row, _ = _row(path, "禹州市")
    assert row["项目（个）"] == 8
    assert row["含优先改造管线的项目（个）"] == 8
    assert (row["含电力管线（个）"], row["含供水管线（个）"], row["含排水管线（个）"], row["含燃气管线（个）"],
            row["含供热管线（个）"]) == (4, 2, 4, 4, 5)
    assert row["含建筑节能（个）"] == 4
    assert row["未含优先改造内容的项目（个）"] == 0


def test_a_project_without_priority_work_is_counted_apart_from_a_later_report(tmp_path, policy2023):
    """Only 健身器材 in 001's 改造内容 (a note, not an error): one pipeline project and one 燃气 fewer."""
    from generator.register import Register
    wb = load_workbook(PLAN)
    ws = wb["项目清单"]
    assert ws["A3"].value == "XC01-001" and ws["E2"].value == "改造内容"
    ws["E3"].value = "健身器材"
    changed = tmp_path / "禹州市-重报.xlsx"
    wb.save(changed)
    reg = Register(tmp_path / "r.db")
    reg.add(PLAN, received=D(2023, 2, 24), by="登记员", policy=policy2023)
    reg.add(changed, received=D(2023, 2, 27), by="登记员", policy=policy2023)
    row, ws = _row(reg.write_summary(tmp_path / "a.xlsx", D(2023, 2, 28), policy=policy2023), "禹州市")
    assert row["含优先改造管线的项目（个）"] == 7
    assert row["含燃气管线（个）"] == 3
    assert row["未含优先改造内容的项目（个）"] == 1
    # as of the first day, the first workbook: one picture per date
    row, _ = _row(reg.write_summary(tmp_path / "b.xlsx", D(2023, 2, 24), policy=policy2023), "禹州市")
    assert row["未含优先改造内容的项目（个）"] == 0
