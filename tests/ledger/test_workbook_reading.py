"""ledger/workbook.py: the limits that need no policy are checked before calamine sees a sheet, the
contract's column range after; reading begun before the policy (start_reading) gives the same plan and the
same refusals as reading after it."""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.errors import InputError
from generator.ledger import xlsxscan
from generator.ledger.contract import build_contract
from generator.ledger.reader import read_plan
from generator.ledger.workbook import start_reading

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample-魏都区.xlsx"


def _with_value(tmp_path: Path, ref: str, value="x", sheet="项目清单") -> Path:
    wb = openpyxl.load_workbook(SAMPLE)
    wb[sheet][ref] = value
    out = tmp_path / f"plan-{ref}.xlsx"
    wb.save(out)
    return out


def _contract_limit(policy) -> int:
    c = build_contract(policy)
    return max(len(c.projects), len(c.liaison), 2) + xlsxscan.COLUMN_MARGIN


@pytest.mark.slow
def test_a_value_just_inside_the_contracts_range_is_read(tmp_path, policy2023):
    last = xlsxscan.col_letters(_contract_limit(policy2023))
    plan = read_plan(_with_value(tmp_path, f"{last}5"), policy2023)
    assert plan.projects


@pytest.mark.slow
def test_a_value_one_column_beyond_the_contracts_range_is_refused_after_loading(tmp_path, policy2023):
    limit = _contract_limit(policy2023)
    assert limit < xlsxscan.MAX_COLUMNS          # else the check before loading would refuse it instead
    ref = f"{xlsxscan.col_letters(limit + 1)}5"
    with pytest.raises(InputError, match=f"单元格{ref}有内容.*最多{xlsxscan.col_letters(limit)}列"):
        read_plan(_with_value(tmp_path, ref), policy2023)


def test_an_empty_cell_beyond_the_range_is_not_content(tmp_path, policy2023):
    """Only a value counts: a formatted empty cell far right (Excel writes them) is no reason to refuse."""
    ref = f"{xlsxscan.col_letters(_contract_limit(policy2023) + 3)}5"
    wb = openpyxl.load_workbook(SAMPLE)
    wb["项目清单"][ref].number_format = "0.00"
    wb["项目清单"][ref].value = None
    out = tmp_path / "styled.xlsx"
    wb.save(out)
    assert read_plan(out, policy2023).projects


def test_a_value_beyond_max_columns_is_refused_before_calamine_loads_the_sheet(tmp_path, policy2023, monkeypatch):
    """Checked before the policy is known, refused with the contract's range as any other far value."""
    ref = f"{xlsxscan.col_letters(xlsxscan.MAX_COLUMNS + 1)}5"
    limit = xlsxscan.col_letters(_contract_limit(policy2023))
    path = _with_value(tmp_path, ref)
    from generator.ledger import workbook
    loaded = []
    real = workbook._calamine_rows
    monkeypatch.setattr(workbook, "_calamine_rows", lambda wb, name: loaded.append(name) or real(wb, name))
    for opened in (None, start_reading(path)):
        with pytest.raises(InputError, match=f"单元格{ref}有内容.*最多{limit}列"):
            read_plan(path, policy2023, opened)
    assert "项目清单" not in loaded


def test_every_bundled_policy_fits_under_max_columns():
    """The contract's range must lie inside what calamine may load, or honest workbooks would be cut."""
    from generator.policy import list_ids, load_policy
    for pid in list_ids():
        assert _contract_limit(load_policy(pid)) < xlsxscan.MAX_COLUMNS, pid


@pytest.mark.parametrize("name", ["sample-魏都区.xlsx", "sample-禹州市.xlsx"])
def test_reading_begun_before_the_policy_gives_the_same_plan(policy2023, name):
    path = ROOT / "data" / name
    opened = start_reading(path)
    assert opened is not None
    early, late = read_plan(path, policy2023, opened), read_plan(path, policy2023)
    assert [r.cells for r in early.projects] == [r.cells for r in late.projects]
    assert [r.cells for r in early.liaison] == [r.cells for r in late.liaison]
    assert early.info == late.info and early.read_findings == late.read_findings


@pytest.mark.slow
def test_error_cells_are_found_while_calamine_loads(tmp_path, policy2023):
    path = _with_value(tmp_path, "D3", "#REF!")            # openpyxl writes a known error code as an error cell
    for opened in (start_reading(path), None):
        cell = read_plan(path, policy2023, opened).projects[0].cell("户数")
        assert cell.raw == "#REF!" and "错误值#REF!" in cell.error


def test_a_file_that_is_no_workbook_is_left_to_read_plan(tmp_path, policy2023):
    bad = tmp_path / "坏文件.xlsx"
    bad.write_text("not a workbook")
    assert start_reading(bad) is None
    assert start_reading(tmp_path / "missing.xlsx") is None
    yaml_plan = tmp_path / "plan.yaml"
    yaml_plan.write_text("基本信息: {}\n", encoding="utf-8")
    assert start_reading(yaml_plan) is None
    with pytest.raises(InputError, match="不是有效的 Excel 工作簿"):
        read_plan(bad, policy2023)


def test_a_policy_that_cannot_load_leaves_no_reading_behind(tmp_path):
    """validate starts reading before the policy: a bad --policy still exits 2 and the loader thread ends."""
    path = tmp_path / "plan.xlsx"
    shutil.copy(SAMPLE, path)
    before = threading.active_count()
    res = CliRunner().invoke(main, ["validate", str(path), "--policy", "nowhere/1999"])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert threading.active_count() == before
    assert path.read_bytes() == SAMPLE.read_bytes()


def _with_reference(tmp_path: Path, old: str, new: str) -> Path:
    """The sample with one cell reference of 项目清单's XML rewritten as a hostile file would write it."""
    import zipfile
    from generator.ledger.xlsxscan import sheet_parts
    out = tmp_path / "rewritten.xlsx"
    with zipfile.ZipFile(SAMPLE) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        part = sheet_parts(zin)["项目清单"]
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == part:
                assert f' r="{old}"'.encode() in data
                data = data.replace(f' r="{old}"'.encode(), f' r="{new}"'.encode(), 1)
            zout.writestr(info, data)
    return out


@pytest.mark.parametrize("ref, row", [("A100000", 100000), ("A000200000", 200000), ("XFD0001048576", 1048576)])
def test_a_row_beyond_the_limit_is_refused_however_it_is_written(tmp_path, policy2023, ref, row):
    """calamine reads A000200000 as row 200,000: leading zeros must not slip past the limit."""
    path = _with_reference(tmp_path, "A5", ref)
    with pytest.raises(InputError, match=f"第{row}行有内容"):
        read_plan(path, policy2023)


@pytest.mark.slow
def test_the_last_row_within_the_limit_is_read(tmp_path, policy2023):
    plan = read_plan(_with_reference(tmp_path, "A5", f"A{xlsxscan.MAX_ROWS}"), policy2023)
    assert plan.projects


@pytest.mark.parametrize("cut_after", range(1, 12))
def test_a_reference_cut_by_a_chunk_end_is_still_seen(tmp_path, policy2023, monkeypatch, cut_after):
    """The XML is read a chunk at a time: a reference split between two chunks is carried over whole."""
    import zipfile
    path = _with_reference(tmp_path, "A5", "A0200000")
    with zipfile.ZipFile(path) as zf:
        part = xlsxscan.sheet_parts(zf)["项目清单"]
        xml = zf.read(part)
    at = xml.index(b' r="A0200000"') + cut_after           # the first chunk ends inside the reference
    monkeypatch.setattr(xlsxscan, "_CHUNK", at)
    with zipfile.ZipFile(path) as zf, pytest.raises(InputError, match="第200000行有内容"):
        xlsxscan.check_sheet(zf, part, "项目清单", str(path))


def test_a_reference_no_file_could_mean_is_refused(tmp_path, policy2023, monkeypatch):
    path = _with_reference(tmp_path, "A5", "A" + "0" * 5000 + "200000")
    monkeypatch.setattr(xlsxscan, "_CHUNK", 4096)
    with pytest.raises(InputError, match="文件已损坏"):
        read_plan(path, policy2023)
