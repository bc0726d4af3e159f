"""Reading limits hold for .ods (and .xls/.xlsb, read the same way): a sheet reaching beyond MAX_ROWS rows or
the columns read is refused with exit 2 and the place, as for an .xlsx (issue 9: they were not scanned).

The .ods files are written here from data/sample-魏都区.xlsx (a minimal ODF package calamine reads)."""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import python_calamine as pc
from click.testing import CliRunner

from generator.cli import main
from generator.errors import InputError
from generator.ledger import xlsxscan
from generator.ledger.reader import read_plan

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample-魏都区.xlsx"
NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def _cell(v) -> str:
    if v == "" or v is None:
        return "<table:table-cell/>"
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
    if isinstance(v, dt.date):
        return (f'<table:table-cell office:value-type="date" office:date-value="{v.isoformat()}">'
                f'<text:p>{v}</text:p></table:table-cell>')
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'


def write_ods(path: Path, far: tuple[int, int] | None = None) -> Path:
    """The sample as an .ods; ``far=(row, column)``: one more value there in 项目清单 (repeated empty rows
    and cells before it, as LibreOffice writes them)."""
    wb = pc.CalamineWorkbook.from_path(str(SAMPLE))
    tables = []
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        xml = "".join("<table:table-row>" + "".join(map(_cell, r)) + "</table:table-row>" for r in rows)
        if far and name == "项目清单":
            row, col = far
            xml += (f'<table:table-row table:number-rows-repeated="{row - len(rows) - 1}"><table:table-cell/>'
                    f'</table:table-row><table:table-row><table:table-cell table:number-columns-repeated="{col - 1}"/>'
                    f'{_cell("x")}</table:table-row>')
        tables.append(f'<table:table table:name="{escape(name)}">{xml}</table:table>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS} office:version="1.2">'
               f'<office:body><office:spreadsheet>{"".join(tables)}</office:spreadsheet></office:body>'
               '</office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def test_an_ods_within_the_limits_reads_as_the_xlsx(tmp_path, policy2023):
    plan = read_plan(write_ods(tmp_path / "plan.ods"), policy2023)
    assert len(plan.projects) == len(read_plan(SAMPLE, policy2023).projects) > 0


@pytest.mark.slow
@pytest.mark.parametrize("far, says", [
    ((xlsxscan.MAX_ROWS + 1, 2), f"第{xlsxscan.MAX_ROWS + 1}行有内容"),      # one row too many
    ((500, 200), "第GR列有内容"),                                              # column 200
])
def test_an_ods_beyond_the_limits_is_refused_with_the_place(tmp_path, policy2023, far, says):
    path = write_ods(tmp_path / "plan.ods", far)
    with pytest.raises(InputError, match=says):
        read_plan(path, policy2023)
    res = CliRunner().invoke(main, ["validate", str(path)])
    assert res.exit_code == 2 and says in res.output and "Traceback" not in res.output


@pytest.mark.slow
def test_the_last_row_exactly_is_still_read(tmp_path, policy2023):
    """MAX_ROWS itself is inside the limit (the stray value is then read as a row of its own)."""
    plan = read_plan(write_ods(tmp_path / "plan.ods", (xlsxscan.MAX_ROWS, 2)), policy2023)
    assert plan.projects[-1].row == xlsxscan.MAX_ROWS


def test_a_sheet_calamine_cannot_hold_is_refused(tmp_path, policy2023, monkeypatch):
    """The child that loads the sheets first aborts when it runs out of its memory: a refusal, exit 2 (here
    99,999 rows against 64 MB; in use, a cell at the last row and column against PROBE_MEMORY)."""
    path = write_ods(tmp_path / "plan.ods", (xlsxscan.MAX_ROWS, 2))
    monkeypatch.setattr(xlsxscan, "PROBE_MEMORY", 64 << 20)
    with pytest.raises(InputError, match="过大"):
        read_plan(path, policy2023)
