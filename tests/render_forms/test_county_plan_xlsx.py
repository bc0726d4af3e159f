"""The county's blank 报送表 (XLSX) as it is printed, filled in and read back (issue 8, item 2).

Measured on the workbook itself (openpyxl) and on LibreOffice's print of it (one conversion batch for all five
counties plus a filled-in copy whose 合计 LibreOffice must calculate).
"""
from __future__ import annotations

import shutil

import pytest
from openpyxl import load_workbook

from support.office import convert_to_pdf
from support.pdfgeom import off_page, page_count, pages_text

from generator.ledger import contract as C
from generator.ledger.writer import HEADER_ROW


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    from generator.policy import load_policy
    from generator.render.county_plan import render_county_plans
    lp = load_policy("xuchang/2023")
    out = tmp_path_factory.mktemp("county_xlsx")
    paths = [p for p in render_county_plans(lp, lp.policy.counties_with_target, out) if p.suffix == ".xlsx"]
    work = out / "lo"
    work.mkdir()
    copies = []
    for county, p in zip(lp.policy.counties_with_target, paths):
        copies.append(work / f"{county.name}.xlsx")
        shutil.copy(p, copies[-1])
    # a filled-in copy: two projects with 户数 120 and 35 and 楼栋数 4 and 2 (the 合计 must read 155 and 6)
    filled = work / "filled.xlsx"
    wb = load_workbook(copies[0])
    ws = wb[C.SHEET_PROJECTS]
    names = [c.value for c in ws[HEADER_ROW]]
    for i, (pid, hh, bld) in enumerate((("X-01", 120, 4), ("X-02", 35, 2)), start=HEADER_ROW + 1):
        ws.cell(i, 1, pid)
        ws.cell(i, names.index(C.HOUSEHOLDS) + 1, hh)
        ws.cell(i, names.index(C.BUILDINGS) + 1, bld)
    wb.save(filled)
    pdfs = convert_to_pdf([*copies, filled], work)
    return {"lp": lp, "xlsx": paths, "pdf": dict(zip([c.name for c in lp.policy.counties_with_target], pdfs)),
            "filled": filled, "filled_pdf": pdfs[-1]}


def test_a4_fit_to_width_margins_and_print_titles(books):
    for path in books["xlsx"]:
        wb = load_workbook(path)
        for ws in wb.worksheets:
            ps = ws.page_setup
            assert int(ps.paperSize) == 9, ws.title                                  # A4
            assert ws.sheet_properties.pageSetUpPr.fitToPage and int(ps.fitToHeight) == 0
            assert int(ps.fitToWidth) == (3 if ws.title == C.SHEET_PROJECTS else 1)
            assert ps.orientation == ("landscape" if ws.title in (C.SHEET_PROJECTS, C.SHEET_LIAISON) else "portrait")
            assert ws.page_margins.left == pytest.approx(1.5 / 2.54) and ws.page_margins.top == pytest.approx(1.5 / 2.54)
            assert "&P" in ws.oddFooter.center.text
        for name in (C.SHEET_INFO, C.SHEET_PROJECTS, C.SHEET_LIAISON):
            assert wb[name].print_title_rows.replace("$", "") == f"1:{HEADER_ROW}"
        assert wb[C.SHEET_PROJECTS].print_title_cols.replace("$", "") == "A:B"


def test_total_row_formulas_borders_and_protection(books):
    lp = books["lp"]
    for county, path in zip(lp.policy.counties_with_target, books["xlsx"]):
        ws = load_workbook(path)[C.SHEET_PROJECTS]
        names = [c.value for c in ws[HEADER_ROW]]
        first, last = HEADER_ROW + 1, HEADER_ROW + county.target.projects
        total = last + 1
        assert ws.cell(total, 1).value == "合计"
        col = names.index(C.HOUSEHOLDS) + 1
        letter = ws.cell(1, col).column_letter
        assert ws.cell(total, col).value == f"=SUM({letter}{first}:{letter}{last})"
        money = [j + 1 for j, n in enumerate(names) if n.endswith("（万元）")]
        assert len(money) == 9 and all(ws.cell(total, j).value.startswith("=SUM(") for j in money)
        note = ws.cell(total + 1, 1).value
        assert f"{county.target.projects}个" in note and f"{county.target.households}户" in note
        # borders on every input cell; input unlocked, 合计 and headers locked; sheet protected, no password
        for i in (first, last):
            for j in (1, len(names)):
                c = ws.cell(i, j)
                assert c.border.left.style == "thin" and c.border.bottom.style == "thin"
                assert c.protection.locked is False
        assert ws.cell(total, col).protection.locked and ws.cell(HEADER_ROW, 1).protection.locked
        assert ws.protection.sheet and not ws.protection.password
        info = load_workbook(path)[C.SHEET_INFO]
        cells = {info.cell(i, 1).value: info.cell(i, 2) for i in range(HEADER_ROW + 1, info.max_row + 1)}
        assert cells["目标任务"].protection.locked and str(county.target.households) in cells["目标任务"].value
        assert cells[C.COUNTY].protection.locked and cells[C.COUNTY].value == county.name
        assert cells["联系人"].protection.locked is False
        assert info.protection.sheet


def test_libreoffice_prints_few_pages_all_on_the_paper(books):
    lp = books["lp"]
    for county in lp.policy.counties_with_target:
        pdf = books["pdf"][county.name]
        assert off_page(pdf, 0) == [], county.name
        assert off_page(pdf, 5) == [], county.name            # inside the printer's unprintable 5 mm
        # 基本信息 1 + 项目清单 3 pages across × ceil(rows / ~75) + 联系点 1 + 填表说明 1 (was 21 portrait fragments)
        assert page_count(pdf) <= 3 + 3 * (county.target.projects // 75 + 1), (county.name, page_count(pdf))
    assert page_count(books["pdf"]["禹州市"]) <= 6


def test_total_row_is_calculated_when_printed(books):
    text = "".join(pages_text(books["filled_pdf"])).replace(" ", "")
    assert "合计2个" in text
    assert "155" in text and "6" in text


def test_reader_skips_total_and_note_rows(books):
    from generator.ledger.reader import read_plan
    lp = books["lp"]
    blank = read_plan(books["xlsx"][0], lp.policy)
    assert blank.projects == []
    filled = read_plan(books["filled"], lp.policy)
    assert [r.get(C.PROJECT_ID).value for r in filled.projects] == ["X-01", "X-02"]


def test_misplaced_thousands_separator_is_not_a_number():
    from generator.ledger.values import parse_money, parse_number
    assert parse_number("1,20.5")[0] is None and "千位分隔符" in parse_number("1,20.5")[1]
    assert parse_money("1,20.5")[0] is None
    assert parse_number("1,200.5")[0] == 1200.5 and parse_money("12,345")[0] == 12345
