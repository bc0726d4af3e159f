"""Issue 18, item 6 ("Next:" resources): one input cannot take the process's memory or hang it.

- Policy files are opened only when they are regular files of at most MAX_POLICY_BYTES: a FIFO, /dev/zero, a
  folder named policy.yaml or a 5 MB policy is refused (exit 2) before a byte is read.
- An uploaded workbook is measured before python-calamine opens it (generator/ledger/xlsxscan.py): a cell over
  MAX_CELL_BYTES, shared strings over their count or size, and sheets whose cells would copy a long shared string
  too often are refused, so six 150 MB cells no longer reach 2 GB (numbers in docs/ledger.md).
"""
from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample-魏都区.xlsx"


def run(args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _exit2(res, *words):
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and (res.exception is None or isinstance(res.exception, SystemExit))
    for w in words:
        assert w in res.output, res.output


# -- policies -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("cmd", [["policy", "show"], ["policy", "check"]])
def test_dev_zero_as_policy_is_refused_before_reading(cmd):
    _exit2(run([*cmd, "/dev/zero"]), "/dev/zero", "不是普通文件")


def test_fifo_as_policy_is_refused_without_hanging(tmp_path):
    # nobody ever writes into the pipe: reading it would block forever
    folder = tmp_path / "pol"
    folder.mkdir()
    os.mkfifo(folder / "policy.yaml")
    _exit2(run(["policy", "show", folder]), "policy.yaml", "不是普通文件（管道、设备或套接字）")
    _exit2(run(["validate", SAMPLE, "--policy", folder / "policy.yaml"]), "不是普通文件")


def test_fifo_as_text_yaml_is_refused(tmp_path):
    import shutil
    folder = tmp_path / "pol"
    shutil.copytree(ROOT / "policies" / "xuchang" / "2023", folder)
    (folder / "text.yaml").unlink()
    os.mkfifo(folder / "text.yaml")
    _exit2(run(["policy", "show", folder]), "text.yaml", "不是普通文件")


def test_folder_named_policy_yaml_is_refused(tmp_path):
    (tmp_path / "pol" / "policy.yaml").mkdir(parents=True)
    _exit2(run(["policy", "show", tmp_path / "pol"]), "这是文件夹，不是文件")


@pytest.mark.slow
def test_policy_over_the_size_limit_is_refused_before_parsing(tmp_path):
    from generator.policy.yamlsrc import MAX_POLICY_BYTES
    assert MAX_POLICY_BYTES == 4 * 2**20                       # docs/policy.md states 4 MB
    big = tmp_path / "big.yaml"
    big.write_bytes(b"id: x/1\n" + b"#" * MAX_POLICY_BYTES)   # one byte more than the limit allows with the id line
    _exit2(run(["policy", "show", big]), "文件超过4 MB，超出读取限制")
    exact = tmp_path / "exact.yaml"
    exact.write_bytes(b"#" * MAX_POLICY_BYTES)                # exactly at the limit: read (and refused as empty)
    res = run(["policy", "show", exact])
    assert "超出读取限制" not in res.output


def test_score_file_from_dev_zero_is_refused():
    from generator.errors import InputError
    from generator.policy.yamlsrc import load_data_file
    with pytest.raises(InputError, match="不是普通文件"):
        load_data_file("/dev/zero")


# -- workbooks ----------------------------------------------------------------------------------------------------
def oversized_cell_workbook(out: Path, cells: int, size: int, shared: bool = True, refs: int = 0,
                            small: int = 0) -> Path:
    """The sample plan with ``cells`` 小区名称 cells of ``size`` bytes each, as shared strings (what Excel and
    WPS write; calamine reads them all on opening) or inline; with ``refs``, that many further cells name the
    first long shared string, and ``small`` short shared strings follow. Streamed, so six 150 MB cells need no
    900 MB of memory to build."""
    from openpyxl import load_workbook
    wb = load_workbook(SAMPLE)
    ws = wb["项目清单"]
    for i in range(cells):
        ws.cell(3 + i, 2).value = f"@@BIG{i}@@"
    for i in range(refs):
        ws.cell(3 + cells + i % 180, 3 + i // 180).value = "@@BIG0@@"
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    placeholder = re.compile(rb'<c r="([A-Z]+\d+)"([^>]*?) t="inlineStr"><is><t>@@BIG(\d+)@@</t></is></c>')

    def filler(fh):
        for k in range(0, size, 1 << 20):
            fh.write(b"A" * min(1 << 20, size - k))

    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            name = info.filename
            if name.startswith("xl/worksheets/") and b"@@BIG" in data:
                if shared:
                    data = placeholder.sub(rb'<c r="\1"\2 t="s"><v>\3</v></c>', data)
                else:
                    with dst.open(name, "w", force_zip64=True) as fh:
                        pos = 0
                        for m in re.finditer(rb"@@BIG\d+@@", data):
                            fh.write(data[pos:m.start()])
                            filler(fh)
                            pos = m.end()
                        fh.write(data[pos:])
                    continue
            elif name == "[Content_Types].xml" and shared:
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            elif name == "xl/_rels/workbook.xml.rels" and shared:
                data = data.replace(b"</Relationships>", b'<Relationship Type="http://schemas.openxmlformats.org/'
                                    b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml" '
                                    b'Id="rId99"/></Relationships>')
            dst.writestr(info, data)
        if shared:
            with dst.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
                fh.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.'
                         b'openxmlformats.org/spreadsheetml/2006/main">')
                for _ in range(cells):
                    fh.write(b"<si><t>")
                    filler(fh)
                    fh.write(b"</t></si>")
                for i in range(small):
                    fh.write(b"<si><t>s%d</t></si>" % i)
                fh.write(b"</sst>")
    return out


def test_shared_string_cell_over_the_limit_is_refused_before_calamine(tmp_path):
    from generator.ledger.xlsxscan import MAX_CELL_BYTES
    assert MAX_CELL_BYTES == 1 << 20                           # docs/ledger.md states 1 MB
    wb = oversized_cell_workbook(tmp_path / "big.xlsx", cells=6, size=MAX_CELL_BYTES + 1)
    _exit2(run(["validate", wb]), "共享字符串中有一个单元格的内容超过1 MB", "32,767")


@pytest.mark.slow
def test_a_long_cell_just_under_the_limit_is_read(tmp_path):
    # the item's XML is <si><t>…</t></si>: 300 KB of text stays far inside 1 MB
    from generator.ledger.reader import read_plan
    from generator.policy import load_policy
    wb = oversized_cell_workbook(tmp_path / "ok.xlsx", cells=1, size=300_000)
    plan = read_plan(wb, load_policy("xuchang/2023"))
    assert len(plan.projects[0].cells["小区名称"].raw) == 300_000        # read from the shared strings, whole


def test_inline_cell_over_the_limit_is_refused(tmp_path):
    from generator.ledger.xlsxscan import MAX_CELL_BYTES
    wb = oversized_cell_workbook(tmp_path / "inline.xlsx", cells=1, size=MAX_CELL_BYTES + 1, shared=False)
    _exit2(run(["validate", wb]), "工作表“项目清单”有一个单元格的内容超过1 MB")


def test_many_cells_naming_one_long_string_are_refused(tmp_path):
    # 1,100 cells x 600 KB = 660 MB of copies once loaded, over MAX_STRING_BYTES (512 MB); the file is ~1 MB
    wb = oversized_cell_workbook(tmp_path / "copies.xlsx", cells=1, size=600_000, refs=1_100)
    assert wb.stat().st_size < 5 << 20
    _exit2(run(["validate", wb]), "读入后超过512 MB", "项目清单")


@pytest.mark.slow
def test_shared_string_count_limit(tmp_path, monkeypatch):
    from generator.ledger import xlsxscan
    monkeypatch.setattr(xlsxscan, "MAX_SHARED_STRINGS", 10)
    _exit2(run(["validate", oversized_cell_workbook(tmp_path / "n.xlsx", cells=1, size=10, small=10)]),
           "共享字符串超过10条")


def test_shared_strings_size_limit(tmp_path, monkeypatch):
    from generator.ledger import xlsxscan
    monkeypatch.setattr(xlsxscan, "MAX_SHARED_STRINGS_BYTES", 2 << 20)
    wb = oversized_cell_workbook(tmp_path / "s.xlsx", cells=5, size=500_000)
    _exit2(run(["validate", wb]), "sharedStrings.xml", "超过2 MB")
