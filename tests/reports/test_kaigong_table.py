"""开工项目认定汇总表: the verdict per project follows the 附件 (the same readiness the validator uses)."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from validate_builders import set_cell, valid_plan
from generator.ledger import contract as C
from generator.reports import kaigong as K

WHEN = dt.datetime(2023, 3, 1)                # the document's date in its properties

DAY = dt.timedelta(days=1)
COUNTY = "禹州市"


@pytest.fixture
def plan(policy2023):
    """Four projects: 0 all met, 1 criterion 1 marked met at 75 % consent, 2 started with 4 and 5 blank,
    3 met on a date after the as-of date."""
    lp = policy2023
    plan = valid_plan(lp, COUNTY)
    items = lp.policy.start_criteria.items
    day = dt.date(lp.policy.year, 5, 1)
    for row in plan.projects[:4]:
        for c in items:
            set_cell(row, C.criterion_column(c), day - 5 * DAY)
    set_cell(plan.projects[1], C.CONSENT, 0.75)
    set_cell(plan.projects[2], C.ACTUAL_START, day - DAY)
    set_cell(plan.projects[2], C.criterion_column(items[3]), None)
    set_cell(plan.projects[2], C.criterion_column(items[4]), None)
    set_cell(plan.projects[3], C.criterion_column(items[2]), day + DAY)
    return plan, day


def test_verdicts_and_reasons(policy2023, plan):
    plan, day = plan
    t = K.kaigong_table(policy2023, COUNTY, plan, day)
    rows = t.rows[:4]
    assert [r.verdict for r in rows] == [K.MAY_START, K.MAY_NOT_START, K.STARTED_NOT_OK, K.MAY_NOT_START]
    assert rows[1].missing == [1] and "75%" in rows[1].why and "80%以上" in rows[1].why
    assert rows[2].missing == [4, 5] and "未填报：条件4、5" in rows[2].why
    assert rows[3].missing == [3] and (day + DAY).isoformat() in rows[3].why
    # the day the criterion is met, it may start
    t2 = K.kaigong_table(policy2023, COUNTY, plan, day + DAY)
    assert t2.rows[3].verdict == K.MAY_START
    # projects without criteria filled (the rest of the builder's plan) may not start, all five missing
    assert t.rows[4].missing == [c.id for c in policy2023.policy.start_criteria.items]
    assert sum(t.counts.values()) == len(plan.projects)


def test_a_start_after_the_as_of_date_had_not_happened(policy2023, plan):
    plan, day = plan
    t = K.kaigong_table(policy2023, COUNTY, plan, day - 2 * DAY)     # project 2 starts on day - 1
    assert t.rows[2].verdict == K.MAY_NOT_START and t.rows[2].actual_start == ""


def test_xlsx_print_setup_borders_and_sample_label(policy2023, plan):
    plan, day = plan
    t = K.kaigong_table(policy2023, COUNTY, plan, day, sample=True)
    ws = load_workbook(io.BytesIO(K.xlsx_bytes(t, WHEN))).active
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    head = int(ws.print_title_rows.split(":")[0].lstrip("$"))
    assert ws.cell(head, 1).value == "序号" and ws["A1"].value == "示例数据"
    for r in (head, head + 1, head + len(t.rows)):
        for c in range(1, len(t.header()) + 1):
            b = ws.cell(r, c).border
            assert b.left.style and b.right.style and b.top.style and b.bottom.style, (r, c)
    assert ws.cell(head + 2, len(t.header()) - 1).value == K.MAY_NOT_START
    real = load_workbook(io.BytesIO(K.xlsx_bytes(K.kaigong_table(policy2023, COUNTY, plan, day), WHEN))).active
    assert all(c.value != "示例数据" for row in real.iter_rows() for c in row) and not real.oddHeader.center.text
    assert ws.oddHeader.center.text == "示例数据"


def test_xlsx_rows_are_as_high_as_their_wrapped_reasons(policy2023, plan):
    plan, day = plan
    t = K.kaigong_table(policy2023, COUNTY, plan, day - 30 * DAY)     # every criterion "met only later"
    ws = load_workbook(io.BytesIO(K.xlsx_bytes(t, WHEN))).active
    head = int(ws.print_title_rows.split(":")[0].lstrip("$"))
    long_row = head + 1                                               # project 0: five dated reasons
    assert len(t.rows[0].why) > 2 * K.WHY_WIDTH
    assert ws.row_dimensions[long_row].height >= 3 * K.ROW_PT
