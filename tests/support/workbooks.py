"""Workbooks built from the clean fixture for tests of the reader and of --annotate."""
from __future__ import annotations

from pathlib import Path

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "ledger"


def two_row_header(policy):
    """fixtures/ledger/clean.xlsx with the 项目清单 header in two rows, as counties lay it out: 资金来源（万元）
    merged over the funding channels of ``policy``, every other header merged down over both rows. Returns
    the openpyxl workbook (data from row 4), for the test to alter and save."""
    from openpyxl import load_workbook

    from generator.ledger import contract as C
    from generator.ledger.contract import build_contract
    funding = set(build_contract(policy).funding_columns)
    wb = load_workbook(FIX / "clean.xlsx")
    ws = wb[C.SHEET_PROJECTS]
    ws.insert_rows(2)
    channels = []
    for cell in ws[3]:
        if cell.value in funding:
            channels.append(cell.column)
        elif cell.value:
            ws.cell(2, cell.column, cell.value)
            cell.value = None
            ws.merge_cells(start_row=2, start_column=cell.column, end_row=3, end_column=cell.column)
    ws.cell(2, channels[0], "资金来源（万元）")
    ws.merge_cells(start_row=2, start_column=channels[0], end_row=2, end_column=channels[-1])
    return wb
