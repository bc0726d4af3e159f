"""开工项目认定汇总表's XLSX layout as a user opens and prints it (issue 19.9: the sheet is written in openpyxl's
write-only mode). What such a rewrite tends to lose — the header row repeated on every printed page, the merged
title lines, the frozen panes, column widths, row heights, number formats, fonts, print setup, the 示例数据 page
header, text kept as text — is checked on a workbook made from a sample county's plan, against the layout the
table had before (the values below are written out here, not taken from the module)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.reports import kaigong as K

WHEN = dt.datetime(2023, 3, 1)                # the document's date in its properties

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample-魏都区.xlsx"
AS_OF = dt.date(2023, 7, 1)
# 序号 项目编号 小区名称 户数 居民同意率 计划开工 实际开工, five criteria, 认定结果, 原因
WIDTHS = {"A": 5, "B": 12, "C": 18, "D": 7, "E": 8, "F": 11, "G": 11, "H": 11, "I": 11, "J": 11, "K": 11, "L": 11,
          "M": 14, "N": 40}
LEFT = {"B", "C", "N"}                                  # the data columns aligned left; the others centred
EVIL = "=HYPERLINK(\"http://x\",\"点我\")"              # a formula typed into 小区名称: shown, never run


@pytest.fixture(scope="module")
def table(policy2023):
    from generator.ledger.reader import read_plan
    plan = read_plan(SAMPLE, policy2023)
    t = K.kaigong_table(policy2023, "魏都区", plan, AS_OF, sample=True)
    rows = [dataclasses.replace(t.rows[0], community=EVIL), *t.rows[1:]]
    return dataclasses.replace(t, rows=rows)


def _open(t):
    data = K.xlsx_bytes(t, WHEN)
    return load_workbook(io.BytesIO(data)), load_workbook(io.BytesIO(data), read_only=True)


def test_sample_layout(table):
    wb, ro = _open(table)
    assert wb.sheetnames == ["开工项目认定汇总表"]
    ws = wb.active
    n_rows = len(table.rows)
    assert n_rows > 20 and any(r.missing for r in table.rows) and any(not r.missing for r in table.rows)
    last = 4 + n_rows + 3                               # label, title, 填报单位, header, rows, summary, 说明, signatures
    assert ro.active.calculate_dimension() == f"A1:N{last}"          # the extent stated in the file
    # rows above the table: 示例数据, the title merged and centred, 填报单位 merged
    assert ws["A1"].value == "示例数据"
    f = ws["A1"].font
    assert (f.name, f.sz, f.b, f.color.rgb) == ("黑体", 12, True, "00FF0000")
    assert ws["A2"].value == "魏都区城镇老旧小区改造开工项目认定汇总表"
    assert (ws["A2"].font.name, ws["A2"].font.sz) == ("方正小标宋简体", 18)
    assert (ws["A2"].alignment.horizontal, ws["A2"].alignment.vertical) == ("center", "center")
    assert ws.row_dimensions[2].height == 30
    assert ws["A3"].value.startswith("填报单位：魏都区（盖章）") and (ws["A3"].font.name, ws["A3"].font.sz) == ("仿宋_GB2312", 11)
    assert {str(r) for r in ws.merged_cells.ranges} == {"A2:N2", "A3:N3", f"A{last - 2}:N{last - 2}",
                                                        f"A{last - 1}:N{last - 1}", f"A{last}:N{last}"}
    # the header row: repeated on every printed page, frozen with the first three columns
    assert ws.print_title_rows == "$4:$4" and ws.freeze_panes == "D5"
    assert [ws.cell(4, c).value for c in range(1, 8)] == ["序号", "项目编号", "小区名称", "户数", "居民同意率",
                                                          "计划开工日期", "实际开工日期"]
    assert ws["H4"].value.startswith("条件1\n") and ws["M4"].value == "认定结果" and ws["N4"].value == "原因（未满足的条件）"
    assert ws.row_dimensions[4].height == 42
    for c in ws[4]:
        assert (c.font.name, c.font.sz, c.alignment.horizontal, c.alignment.wrap_text) == ("黑体", 10, "center", True)
        assert c.border.left.style == c.border.bottom.style == "thin"
    # column widths
    assert {k: ws.column_dimensions[k].width for k in WIDTHS} == WIDTHS
    # the data rows: text, General format, 仿宋 10, bordered, the verdict red where a criterion is missing,
    # each row as high as its longest wrapped value
    for i, r in enumerate(table.rows):
        row = 5 + i
        assert ws.cell(row, 1).value == str(r.no) and ws.cell(row, 13).value == r.verdict
        for c in ws[row]:
            assert c.data_type in ("s", "inlineStr") and c.number_format == "General", c.coordinate  # text (empty: inlineStr)
            assert (c.font.name, c.font.sz) == ("仿宋_GB2312", 10), c.coordinate
            assert c.alignment.horizontal == ("left" if c.column_letter in LEFT else "center"), c.coordinate
            assert c.alignment.vertical == "center" and c.alignment.wrap_text, c.coordinate
            assert c.border.left.style == c.border.right.style == c.border.top.style == c.border.bottom.style == "thin"
        red = ws.cell(row, 13).font.color
        assert (red is not None and red.rgb == "00C00000") == bool(r.missing), row
        assert ws.row_dimensions[row].height in (14, 28, 42, 56, 70, 84), row
    assert ws.row_dimensions[5].height == 14 * max(K._lines(v, w) for v, w in zip(table.values(table.rows[0]),
                                                                                   WIDTHS.values()))
    # the formula typed by a county stays text, shown as typed
    assert ws["C5"].value == EVIL and ws["C5"].data_type == "s" and ws["C5"].quotePrefix
    assert not ws["C6"].quotePrefix and not ws["A5"].quotePrefix
    # below the table: summary, 说明 (wrapped, 45 pt), signatures
    assert ws.cell(last - 2, 1).value.startswith(f"共{n_rows}个项目：")
    assert ws.cell(last - 1, 1).value.startswith("说明：") and ws.cell(last - 1, 1).alignment.wrap_text
    assert ws.cell(last - 1, 1).font.sz == 9 and ws.row_dimensions[last - 1].height == 45
    assert ws.cell(last, 1).value.startswith("填报人：")
    # print setup: A4 landscape, one page wide, centred, margins, 示例数据 and page numbers on every page
    ps = ws.page_setup
    assert (ps.orientation, str(ps.paperSize), ps.fitToWidth, ps.fitToHeight) == ("landscape", "9", 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_options.horizontalCentered
    m = ws.page_margins
    assert (m.top, m.right, m.bottom, m.left, m.header, m.footer) == (0.8, 0.5, 0.8, 0.5, 0.3, 0.3)
    assert ws.print_area == f"'开工项目认定汇总表'!$A$1:$N${last}"
    assert ws.oddHeader.center.text == "示例数据" and ws.oddFooter.center.text == "第 &P 页 共 &N 页"


@pytest.mark.slow
def test_real_data_has_no_label_row(table):
    t = dataclasses.replace(table, label="")
    ws = _open(t)[0].active
    last = 3 + len(t.rows) + 3
    assert ws["A1"].value == "魏都区城镇老旧小区改造开工项目认定汇总表" and ws.row_dimensions[1].height == 30
    assert ws.print_title_rows == "$3:$3" and ws.freeze_panes == "D4" and ws["A3"].value == "序号"
    assert "A1:N1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.print_area == f"'开工项目认定汇总表'!$A$1:$N${last}"
    assert not ws.oddHeader.center.text and all(c.value != "示例数据" for row in ws.iter_rows() for c in row)
