"""The city-wide 汇总表: formulas for totals and shares, A4 print setup, borders, 示例数据 label."""

import pytest
from openpyxl import load_workbook

from generator.register.summary import SHEET_MONTHLY, SHEET_SUMMARY


@pytest.fixture(scope="module")
def book(year_register, policy2023, tmp_path_factory):
    path = tmp_path_factory.mktemp("sum") / "汇总表.xlsx"
    year_register.write_summary(path, policy2023.policy.year_end, policy=policy2023)
    return load_workbook(path)


def find(ws, text):
    return next(c for row in ws.iter_rows() for c in row if c.value == text)


def test_totals_and_shares_are_formulas_over_exactly_the_county_rows(book, policy2023):
    ws = book[SHEET_SUMMARY]
    names = [c.name for c in policy2023.policy.counties_with_target]
    first = find(ws, names[0]).row
    last = find(ws, names[-1]).row
    total = find(ws, "合计").row
    assert last - first + 1 == len(names) and total == last + 1
    header = {ws.cell(4, j).value: j for j in range(1, ws.max_column + 1)}
    for name in ("计划项目（个）", "计划户数（户）", "已开工项目（个）", "已完工项目（个）", "已完工户数（户）"):
        col = ws.cell(4, header[name]).column_letter
        assert ws.cell(total, header[name]).value == f"=SUM({col}{first}:{col}{last})"
        assert ws.cell(total, header[name]).data_type == "f"
    share = ws.cell(first, header["开工率"])
    assert share.data_type == "f" and share.value == f'=IF(C{first}=0,"",E{first}/C{first})'
    assert share.number_format == "0.0%"
    # the figures are the register's, the targets the policy's
    assert ws.cell(first, header["计划项目（个）"]).value == policy2023.policy.county(names[0]).target.projects


def test_print_setup_borders_and_label(book, policy2023):
    for ws in book.worksheets:
        assert int(ws.page_setup.paperSize) == 9                  # A4
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.print_title_rows == "$4:$4"
        assert "&P" in ws.oddFooter.center.text
        assert "示例数据" in ws.cell(1, 1).value
        data = ws.cell(5, 3)
        assert all(getattr(data.border, s).style == "thin" for s in ("left", "right", "top", "bottom"))
    assert "示例数据" in book.properties.category


def test_the_changed_june_verdict_is_in_the_table(book, policy2023):
    ws = book[SHEET_SUMMARY]
    m = policy2023.policy.milestone("all_started")
    header = [ws.cell(4, j).value for j in range(1, ws.max_column + 1)]
    j = next(i for i, h in enumerate(header, 1) if h and h.startswith(m.label))
    row = find(ws, "禹州市").row
    t = policy2023.policy.county("禹州市").target.projects
    assert ws.cell(row, j).value == f"✓ {t}/{t}（其后重报：✗ {t - 1}/{t}）"   # "then" and "re-reported later" named apart


def test_monthly_sheet_city_rows_sum_the_counties(book, policy2023):
    ws = book[SHEET_MONTHLY]
    n = len(policy2023.policy.counties_with_target)
    city_rows = [c.row for c in ws["B"] if c.value == "全市"]
    assert len(city_rows) == 12
    r = city_rows[0]
    assert ws.cell(r, 3).value == f"=SUM(C{r - n}:C{r - 1})"
    assert ws.cell(r - n, 1).value == f"{policy2023.policy.year}-01"
