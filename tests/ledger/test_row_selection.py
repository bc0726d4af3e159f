"""Which rows of 项目清单 are projects: the reader finds the few that are not (blank, zeros only, 合计/小计,
a note under the table) from a few columns at once; that must be exactly the rows the per-row rule
(``reader._holds_project``) rejects."""
from __future__ import annotations

import operator

import pytest
from hypothesis import given, strategies as st
from openpyxl import Workbook

from generator.ledger import contract as C
from generator.ledger import reader as R
from generator.ledger.contract import build_contract
from generator.ledger.reader import read_plan
from generator.policy import load_policy

LP = load_policy("xuchang/2023")
CON = build_contract(LP.policy)

CELL = st.one_of(
    st.just(""), st.none(), st.just(0), st.just(0.0), st.just(False), st.integers(-3, 3), st.text(max_size=4),
    st.sampled_from(["合计", " 合 计 ", "小计：", "总计", "共计", "计划外", "注：以上为示例数据", "（注）", "说明",
                     "备注", "填表人：张三", "审核", "P-1", "示例小区"]),
)


@pytest.mark.slow
@given(rows=st.lists(st.lists(CELL, min_size=5, max_size=5), max_size=12),
       contract_cols=st.lists(st.integers(0, 4), min_size=1, max_size=5, unique=True),
       key_cols=st.lists(st.integers(0, 4), min_size=2, max_size=2, unique=True))
def test_rows_found_at_once_are_the_rows_the_per_row_rule_rejects(rows, contract_cols, key_cols):
    in_contract = sorted(set(contract_cols) | set(key_cols))
    pick = operator.itemgetter(*in_contract)
    probe_cols = sorted({0, 1, *key_cols})

    def column(j):
        return [r[j] for r in rows]

    expected = [i for i, r in enumerate(rows) if not R._holds_project(r, pick, probe_cols)]
    assert R._not_projects(rows, column, pick, probe_cols, key_cols) == expected


def test_which_rows_are_projects(tmp_path):
    """序号 in column A (not a contract column), then the contract's columns; Excel rows as a person sees them."""
    names = [c.name for c in CON.projects]

    def row(first="", **cells):
        by_name = {C.PROJECT_ID: cells.get("pid", ""), C.COMMUNITY: cells.get("name", ""),
                   C.HOUSEHOLDS: cells.get("households", "")}
        return [first] + [by_name.get(n, "") for n in names]

    rows = [
        row("1", pid="P-1", name="示例小区", households=120),   # 3: a project
        row(),                                                  # 4: blank
        row(households=0),                                      # 5: zeros only
        row("合 计", households=560),                            # 6: a total in column A
        row(pid="小计", households=300),                         # 7: a total in 项目编号
        row("2", pid="P-2", households=12),                     # 8: 小区名称 missing: a project (V0xx reports it)
        row("注：本表为示例数据"),                                  # 9: a note under the table
        row(pid="P-3"),                                         # 10: one cell, not a note: a project
        row(name="说明：单位为万元"),                               # 11: a note in 小区名称
        row("4", pid="P-4", name="计划外小区", households=80),    # 12: 计 but no total word: a project
        row(households=0, pid=0),                               # 13: zeros only
        row(pid="合计", name="全县12个小区", households=900),       # 14: a total with both key cells filled
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = C.SHEET_INFO
    ws.append([C.INFO_KEY_HEADER, C.INFO_VALUE_HEADER])
    ws = wb.create_sheet(C.SHEET_PROJECTS)
    ws.append(["示例数据：项目清单"])
    ws.append(["序号"] + names)
    for r in rows:
        ws.append([None if v == "" else v for v in r])
    wb.create_sheet(C.SHEET_LIAISON).append([c.name for c in CON.liaison])
    wb.save(tmp_path / "rows.xlsx")
    plan = read_plan(tmp_path / "rows.xlsx", LP)
    assert [r.row for r in plan.projects] == [3, 8, 10, 12]
    assert [r.value(C.PROJECT_ID) for r in plan.projects] == ["P-1", "P-2", "P-3", "P-4"]
    assert [r.value(C.HOUSEHOLDS) for r in plan.projects] == [120, 12, None, 80]
    assert plan.projects[2].get(C.COMMUNITY).col_index == names.index(C.COMMUNITY) + 2
