"""validate --annotate: the marked copy prints on A4 (issue 8.4); the county's own print setup and file are kept."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from generator.cli import main
from generator.ledger import contract as C

DATA = Path(__file__).resolve().parents[2] / "data"


def _annotate(src: Path, out: Path):
    res = CliRunner().invoke(main, ["validate", str(src), "--annotate", str(out)])
    assert res.exit_code == 1, res.output               # the mistakes workbook: errors found (README exit codes)
    return load_workbook(out)


def _strip_print_setup(path: Path) -> None:
    wb = load_workbook(path)
    for ws in wb.worksheets:
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws._print_rows = ws._print_cols = None   # openpyxl's setters ignore None
        ws.page_setup.orientation = "portrait"
    wb.save(path)


def test_county_sheets_without_print_setup_get_the_plan_layout(tmp_path):
    src = tmp_path / "county.xlsx"
    shutil.copy(DATA / "mistakes" / "mistakes-襄城县.xlsx", src)
    _strip_print_setup(src)                       # as a county's own workbook comes: no print setup at all
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    wb = _annotate(src, tmp_path / "marked.xlsx")
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before           # the input is never written
    projects = wb[C.SHEET_PROJECTS]
    assert projects.page_setup.orientation == "landscape" and projects.sheet_properties.pageSetUpPr.fitToPage
    assert projects.print_title_rows.replace("$", "") == "1:2"
    assert not any(r.min_row == 1 for r in projects.merged_cells.ranges)  # no title drawn across three pages
    for name in (C.SHEET_INFO, C.SHEET_LIAISON, C.SHEET_GUIDE, "问题清单"):
        assert wb[name].sheet_properties.pageSetUpPr.fitToPage and wb[name].page_setup.fitToWidth == 1, name


@pytest.mark.slow
def test_a_print_setup_the_county_made_is_kept(tmp_path):
    src = tmp_path / "county.xlsx"
    shutil.copy(DATA / "mistakes" / "mistakes-襄城县.xlsx", src)
    _strip_print_setup(src)
    wb = load_workbook(src)
    own = wb[C.SHEET_PROJECTS]
    own.print_title_rows = "2:2"                  # the county's choice: header only, portrait
    wb.save(src)
    marked = _annotate(src, tmp_path / "marked.xlsx")[C.SHEET_PROJECTS]
    assert marked.print_title_rows.replace("$", "") == "2:2" and marked.page_setup.orientation == "portrait"
