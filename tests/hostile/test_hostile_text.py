"""Issue 18 item 2: every hostile string of the corpus (hostile_strings.HOSTILE) through every document kind.

A county workbook (the 魏都区 sample cut to the first projects) carries one hostile string per project in
小区名称, 项目编号, 改造内容, 保障措施, 责任人 and 备注, and in 基本信息; the same as a JSON plan, where a lone
surrogate arrives as it is. Each command must end with exit 0 or 1 (never a traceback), every DOCX and XLSX it
writes must be a zip of well-formed XML, no PDF's text and no terminal line may hold a control, bidi or
zero-width character, and every cell that held one is named by a warning L004.
"""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from generator.cli import main
from hostile_strings import HOSTILE, LEFT_OVER, as_xlsx_cell

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample-魏都区.xlsx"
COLUMNS = ("小区名称", "改造内容", "保障措施", "责任人", "备注")
POLICY = ["--policy", "xuchang/2023"]


def _hostile_rows():
    """(project id, {column: text}) per hostile string: the string itself in 小区名称 and in the id, the next
    strings in the other columns, so that each column meets every string."""
    n = len(HOSTILE)
    for k, (_name, text) in enumerate(HOSTILE):
        cells = {col: HOSTILE[(k + j) % n][1] for j, col in enumerate(COLUMNS)}
        yield f"WD-{k + 1:02d}-{text}", cells


@pytest.fixture(scope="module")
def hostile_plans(tmp_path_factory):
    from openpyxl import load_workbook
    folder = tmp_path_factory.mktemp("hostile-text")
    wb = load_workbook(SAMPLE)
    ws = wb["项目清单"]
    head = 2
    cols = {c.value: c.column for c in ws[head]}
    rows = list(_hostile_rows())
    ws.delete_rows(head + 1 + len(rows), ws.max_row)
    for i, (pid, cells) in enumerate(rows):
        r = head + 1 + i
        ws.cell(r, cols["项目编号"]).value = as_xlsx_cell(pid)
        for col, text in cells.items():
            ws.cell(r, cols[col]).value = as_xlsx_cell(text)
    info = wb["基本信息"]
    for row in info.iter_rows(min_row=3):
        if row[0].value == "牵头单位":
            row[1].value = as_xlsx_cell(HOSTILE[1][1])
        if row[0].value == "推进措施":
            row[1].value = as_xlsx_cell(HOSTILE[0][1])
    xlsx = folder / "hostile.xlsx"
    wb.save(xlsx)

    import datetime as dt

    def plain(v):
        return v.date().isoformat() if isinstance(v, dt.datetime) else v

    headers = [c.value for c in ws[head]]
    records = []
    for i, (pid, cells) in enumerate(rows):                   # the sample's values, the hostile text as it is
        values = {h: plain(c.value) for h, c in zip(headers, ws[head + 1 + i]) if h}
        records.append({**values, "项目编号": pid, **cells})
    liaison = wb["联系点"]
    lhead = [c.value for c in liaison[2]]
    info_rows = {r[0].value: plain(r[1].value) for r in wb["基本信息"].iter_rows(min_row=3) if r[0].value}
    plan = {"基本信息": {**info_rows, "牵头单位": HOSTILE[11][1], "联系人": HOSTILE[18][1]},
            "项目清单": records,
            "联系点": [{h: plain(c.value) for h, c in zip(lhead, r) if h} for r in liaison.iter_rows(min_row=3)
                    if r[0].value]}
    js = folder / "hostile.json"
    js.write_text(json.dumps(plan, ensure_ascii=True), encoding="utf-8")       # \ud800 stays a lone surrogate
    return {"xlsx": xlsx, "json": js, "projects": len(rows)}


def _run(args, cwd: Path):
    import os
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, [str(a) for a in args])
    finally:
        os.chdir(old)


def _check_result(r, *exits):
    output = r.output + (r.stderr if r.stderr_bytes is not None else "")
    assert r.exception is None or isinstance(r.exception, SystemExit), f"crashed: {r.exception!r}\n{output[-3000:]}"
    assert "Traceback" not in output
    assert r.exit_code in exits, output[-3000:]
    bad = LEFT_OVER.search(output.replace("\t", " "))
    assert bad is None, f"terminal got U+{ord(bad.group()):04X}: {output[max(bad.start() - 80, 0):bad.end() + 80]!r}"
    return output


def _check_files(folder: Path) -> dict[str, int]:
    """Every DOCX/XLSX: a zip whose XML parts all parse; every PDF: text without a left-over character."""
    import pdfplumber                    # pypdf reads the CJK subset fonts of the drawn PDFs as noise
    seen: dict[str, int] = {}
    for p in sorted(folder.rglob("*")):
        if not p.is_file():
            continue
        suffix = p.suffix.lower()
        seen[suffix] = seen.get(suffix, 0) + 1
        if suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(p) as z:
                assert z.testzip() is None, p
                for member in z.namelist():
                    if member.endswith((".xml", ".rels")):
                        ElementTree.fromstring(z.read(member))           # well-formed, or ParseError
            if suffix == ".xlsx":
                from openpyxl import load_workbook
                load_workbook(p).close()
            else:
                import docx
                docx.Document(str(p))
        elif suffix == ".pdf":
            with pdfplumber.open(p) as pdf:
                text = "".join(page.extract_text() or "" for page in pdf.pages)
            bad = LEFT_OVER.search(text.replace("\t", " "))
            assert bad is None, f"{p.name}: U+{ord(bad.group()):04X} in {text[max(bad.start() - 60, 0):bad.end() + 60]!r}"
    return seen


def test_validate_names_every_hostile_cell(hostile_plans, tmp_path):
    r = _run(["validate", hostile_plans["xlsx"], *POLICY, "--format", "json"], tmp_path)
    _check_result(r, 0, 1)
    found = json.loads(r.stdout)["findings"]
    unsafe = {(f["row"], f["column"]) for f in found if f["code"] == "L004"}
    # every row whose 小区名称 held a control/invisible character is named at that cell
    # (calamine leaves _xD800_ and _xFFFE_ as the text they are: no such character can reach it from a workbook)
    expect = [k for k, (_, text) in enumerate(HOSTILE)
              if LEFT_OVER.search(re.sub("[\r\ud800-\udfff\ufffe\uffff]", "", text)) or "_x0001_" in text]
    assert {(3 + k, "小区名称") for k in expect} <= unsafe
    assert (3, "项目编号") in unsafe                                          # the id too
    assert all(f["severity"] == "warning" for f in found if f["code"] == "L004")
    assert not any(LEFT_OVER.search(str(f["value"] or "")) for f in found)


def test_validate_json_plan_with_a_lone_surrogate(hostile_plans, tmp_path):
    r = _run(["validate", hostile_plans["json"], *POLICY, "--format", "json"], tmp_path)
    _check_result(r, 0, 1)
    unsafe = {(f["row"], f["column"]): f for f in json.loads(r.stdout)["findings"] if f["code"] == "L004"}
    k = next(i for i, (name, _) in enumerate(HOSTILE) if name == "lone-surrogate")
    f = unsafe[k + 1, "小区名称"]                             # a JSON record's row is its number
    assert f["value"] == "某某\ufffd小区" and f["extra"]["characters"] == ["U+D800"] and f["line"]


@pytest.mark.slow
def test_validate_annotate(hostile_plans, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    r = _run(["validate", hostile_plans["xlsx"], *POLICY, "--annotate", out / "marked.xlsx"], tmp_path)
    _check_result(r, 0, 1)
    assert _check_files(out) == {".xlsx": 1}


@pytest.mark.slow         # every hostile string through a whole 开工 report (tens of CPU-seconds)
@pytest.mark.parametrize("kind", ["xlsx", "json"])
def test_report_kaigong(hostile_plans, kind, tmp_path):
    out = tmp_path / "out"
    r = _run(["report", "kaigong", hostile_plans[kind], *POLICY, "--as-of", "2023-07-01", "-o", out], tmp_path)
    _check_result(r, 0, 1)
    assert _check_files(out) == {".xlsx": 1, ".pdf": 1}


@pytest.mark.slow         # a DOCX and a drawn PDF per project of the hostile workbook
@pytest.mark.parametrize("kind", ["xlsx", "json"])
def test_render_checklists_docx_and_pdf(hostile_plans, kind, tmp_path):
    out = tmp_path / "out"
    r = _run(["render", "checklists", hostile_plans[kind], *POLICY, "--pdf", "-o", out], tmp_path)
    output = _check_result(r, 0, 1)
    n = hostile_plans["projects"]
    assert _check_files(out) == {".docx": n, ".pdf": n}          # one per project, none overwritten
    assert f"DOCX {n} 份、PDF {n} 份" in output and "L004" in output


@pytest.mark.slow
def test_render_checklists_merged(hostile_plans, tmp_path):
    out = tmp_path / "out"
    r = _run(["render", "checklists", hostile_plans["xlsx"], *POLICY, "--pdf", "--merge", "-o", out], tmp_path)
    _check_result(r, 0, 1)
    n = hostile_plans["projects"]
    assert _check_files(out) == {".docx": n, ".pdf": n + 1}      # each project's, and the county's volume


@pytest.mark.slow
def test_render_acceptance(hostile_plans, tmp_path):
    out = tmp_path / "out"
    r = _run(["render", "acceptance", "xuchang/2023", "--round", "mid-year", "--county", "魏都区", "--no-pdf",
              "--plan", hostile_plans["xlsx"], "-o", out], tmp_path)
    _check_result(r, 0, 1)
    assert _check_files(out).get(".docx", 0) >= 2


@pytest.mark.slow         # register add, then every document of the day with PDFs
def test_register_add_and_documents(hostile_plans, tmp_path):
    """The issue's repro: register add, then register documents wrote 4 of 5 开工 tables and died."""
    db, out = tmp_path / "year.db", tmp_path / "out"
    r = _run(["register", "add", hostile_plans["xlsx"], *POLICY, "--received", "2023-02-20", "--by", "测试",
              "--db", db], tmp_path)
    _check_result(r, 0, 1)
    r = _run(["register", "documents", "--as-of", "2023-07-05", "--db", db, *POLICY, "-o", out], tmp_path)
    _check_result(r, 0, 1)
    seen = _check_files(out)
    names = {p.name for p in out.rglob("*")}
    assert any(n.startswith("汇总表") for n in names) and any(n.startswith("进度通报") for n in names)
    assert any(n.startswith("反馈意见函") and n.endswith(".docx") for n in names)
    assert any("开工项目认定汇总表" in n and n.endswith(".xlsx") for n in names)
    assert seen.get(".pdf", 0) >= 2


@pytest.mark.slow
def test_an_invisible_character_does_not_hide_a_header_or_a_sheet(tmp_path, policy2023):
    """A zero-width space or BOM pasted into a header or a sheet name: the header is read (it is plainly
    there), and the values under it are made safe like any other."""
    from openpyxl import load_workbook

    from generator.ledger.reader import read_plan
    wb = load_workbook(SAMPLE)
    ws = wb["项目清单"]
    ws.cell(2, 1).value = "项目编号\u200b"
    ws.cell(3, 2).value = "某某\u200b小区"
    ws.title = "项目清单\ufeff"
    path = tmp_path / "w.xlsx"
    wb.save(path)
    plan = read_plan(path, policy2023)
    assert plan.projects[0].value("项目编号") and plan.projects[0].value("小区名称") == "某某小区"
    assert [(f.code, f.row, f.column) for f in plan.read_findings] == [("L004", 3, "小区名称")]
