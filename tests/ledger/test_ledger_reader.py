"""read_plan: messy but valid plans read to the same values as the clean one; unusable files are one
clear InputError naming the file, sheet or header; the input is never modified."""
import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from generator.errors import InputError
from generator.ledger import contract as C
from generator.ledger.reader import read_plan
from support.workbooks import two_row_header

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "ledger"
MESSY = ["messy.xlsx", "plan-gbk.csv", "plan.yaml", "plan.json"]


def values(rows):
    return [{k: c.value for k, c in r.cells.items() if c.value is not None} for r in rows]


@pytest.fixture(scope="module")
def clean(policy2023):
    return read_plan(FIX / "clean.xlsx", policy2023)


def test_clean_plan(clean, policy2023):
    county = policy2023.policy.county(clean.county)
    assert clean.county == "禹州市" and clean.format == "xlsx"
    assert len(clean.projects) == county.target.projects
    assert len(clean.liaison) == county.liaison_quota.value
    assert clean.header_rows == {C.SHEET_INFO: 2, C.SHEET_PROJECTS: 2, C.SHEET_LIAISON: 2}
    first = clean.projects[0]
    assert first.row == 3 and first.sheet == C.SHEET_PROJECTS
    cell = first.get(C.HOUSEHOLDS)
    assert (cell.sheet, cell.row, cell.column) == (C.SHEET_PROJECTS, 3, C.HOUSEHOLDS)
    assert cell.col_index == clean.headers[C.SHEET_PROJECTS][C.HOUSEHOLDS]
    assert isinstance(cell.value, int) and cell.error is None
    assert isinstance(first.value(C.PLANNED_START), dt.date)
    assert isinstance(first.value(C.WORKS), list)
    # a blank cell is not stored but Row.get still places it
    blank = next(r.get(n) for r in clean.projects for n in clean.headers[C.SHEET_PROJECTS] if n not in r.cells)
    assert blank.value is None and blank.col_index is not None and blank.blank


@pytest.mark.parametrize("name", MESSY)
def test_messy_plans_read_to_the_same_values(name, clean, policy2023):
    plan = read_plan(FIX / name, policy2023)
    assert not [(r.row, c.column, c.error) for r in plan.projects for c in r.cells.values() if c.error]
    assert values(plan.projects) == values(clean.projects)
    if not name.endswith(".csv"):             # a CSV is the 项目清单 sheet only
        assert {k: c.value for k, c in plan.info.items()} == {k: c.value for k, c in clean.info.items()}
        assert values(plan.liaison) == values(clean.liaison)


def test_messy_workbook_rows_are_excel_rows(policy2023):
    plan = read_plan(FIX / "messy.xlsx", policy2023)
    expected = yaml.safe_load((FIX / "messy.rows.yaml").read_text(encoding="utf-8"))
    assert {r.value(C.PROJECT_ID): r.row for r in plan.projects} == expected
    assert plan.header_rows[C.SHEET_PROJECTS] == 3            # under two (merged) title rows
    assert plan.sheet_names[C.SHEET_INFO] == f" {C.SHEET_INFO} "
    # the 合计 row and the note under the table are not projects
    ws = load_workbook(FIX / "messy.xlsx", read_only=True)[C.SHEET_PROJECTS]
    firsts = [r[0] for r in ws.iter_rows(values_only=True)]
    assert "合计" in firsts and len(plan.projects) == 8
    # column index is the real one in the shuffled sheet
    cell = plan.projects[0].get(C.HOUSEHOLDS)
    header = [c for c in next(ws.iter_rows(min_row=3, max_row=3, values_only=True))]
    assert header[cell.col_index - 1].strip().replace(" ", "") == C.HOUSEHOLDS


def test_yaml_keeps_line_numbers(policy2023):
    plan = read_plan(FIX / "plan.yaml", policy2023)
    lines = (FIX / "plan.yaml").read_text(encoding="utf-8").splitlines()
    cell = plan.projects[1].get(C.COMMUNITY)
    assert cell.row == 2 and cell.line and cell.value in lines[cell.line - 1]
    assert plan.info[C.SUBMITTED].line and C.SUBMITTED in lines[plan.info[C.SUBMITTED].line - 1]


def test_city_wide_county_column(policy2023, tmp_path):
    from generator.ledger.samples import sample_plan
    from generator.ledger.model import Cell
    from generator.render.samples import write_plan_workbook
    plan = sample_plan(policy2023, "禹州市", progress=False)
    for r in plan.projects:
        r.cells[C.COUNTY] = Cell("禹州市", "禹州市")
    out = write_plan_workbook(policy2023, "禹州市", tmp_path / "city.xlsx", plan)
    back = read_plan(out, policy2023)
    assert {r.value(C.COUNTY) for r in back.projects} == {"禹州市"}


def _hash(p):
    return hashlib.sha256(Path(p).read_bytes()).hexdigest()


@pytest.mark.parametrize("name", ["clean.xlsx"] + MESSY)
def test_input_is_never_modified(name, policy2023, tmp_path):
    src = tmp_path / name
    shutil.copy(FIX / name, src)
    before, mtime = _hash(src), src.stat().st_mtime_ns
    read_plan(src, policy2023)
    assert _hash(src) == before and src.stat().st_mtime_ns == mtime
    assert sorted(x.name for x in tmp_path.iterdir()) == [name]


# -- unusable files -------------------------------------------------------------------------------
def _raises(path, policy, *needles):
    with pytest.raises(InputError) as exc:
        read_plan(path, policy)
    zh, en = exc.value.render("zh"), exc.value.render("en")
    for n in needles:
        assert n in zh, zh
    assert str(path) in zh and str(path) in en
    assert "Traceback" not in zh
    return exc.value


def test_not_a_workbook(policy2023, tmp_path):
    bad = tmp_path / "plan.xlsx"
    bad.write_text("这不是工作簿", encoding="utf-8")
    e = _raises(bad, policy2023, "不是有效的 Excel 工作簿")
    assert "not a valid Excel workbook" in e.render("en")


def test_missing_file(policy2023, tmp_path):
    _raises(tmp_path / "nope.xlsx", policy2023, "找不到文件")


def test_unknown_format(policy2023, tmp_path):
    bad = tmp_path / "plan.docx.bak"
    bad.write_bytes(b"\x00\x01garbage")
    _raises(bad, policy2023, "不支持的文件格式")


def test_missing_sheet(policy2023, tmp_path):
    wb = load_workbook(FIX / "clean.xlsx")
    del wb[C.SHEET_LIAISON]
    wb.save(tmp_path / "no-liaison.xlsx")
    e = _raises(tmp_path / "no-liaison.xlsx", policy2023, f"缺少工作表“{C.SHEET_LIAISON}”")
    assert C.SHEET_LIAISON in e.render("en")


def test_missing_required_header(policy2023, tmp_path):
    wb = load_workbook(FIX / "clean.xlsx")
    ws = wb[C.SHEET_PROJECTS]
    col = next(c.column for c in ws[2] if c.value == C.HOUSEHOLDS)
    ws.delete_cols(col)
    wb.save(tmp_path / "no-households.xlsx")
    e = _raises(tmp_path / "no-households.xlsx", policy2023, C.SHEET_PROJECTS, f"缺少列“{C.HOUSEHOLDS}”", "第2行")
    assert C.HOUSEHOLDS in e.render("en")


def test_no_header_row_at_all(policy2023, tmp_path):
    wb = load_workbook(FIX / "clean.xlsx")
    ws = wb[C.SHEET_LIAISON]
    ws.delete_rows(1, ws.max_row)
    wb.save(tmp_path / "empty-liaison.xlsx")
    _raises(tmp_path / "empty-liaison.xlsx", policy2023, C.SHEET_LIAISON, "找不到表头")


def test_bad_yaml_and_json(policy2023, tmp_path):
    y = tmp_path / "plan.yaml"
    y.write_text("基本信息: [unclosed\n", encoding="utf-8")
    _raises(y, policy2023, "YAML")
    j = tmp_path / "plan.json"
    j.write_text('{"基本信息": {}, "项目清单": [}', encoding="utf-8")
    _raises(j, policy2023, "JSON")
    j.write_text('{"基本信息": {}, "项目清单": []}', encoding="utf-8")
    _raises(j, policy2023, f"缺少“{C.SHEET_LIAISON}”")


def test_missing_optional_columns_are_fine(policy2023, tmp_path):
    wb = load_workbook(FIX / "clean.xlsx")
    ws = wb[C.SHEET_PROJECTS]
    for name in (C.ACTUAL_START, C.REMARKS):
        col = next(c.column for c in ws[2] if c.value == name)
        ws.delete_cols(col)
    wb.save(tmp_path / "fewer.xlsx")
    plan = read_plan(tmp_path / "fewer.xlsx", policy2023)
    assert C.ACTUAL_START not in plan.headers[C.SHEET_PROJECTS]
    assert plan.projects[0].value(C.ACTUAL_START) is None


def test_unreadable_cell_is_kept_with_its_error(policy2023):
    root = Path(__file__).resolve().parents[2]
    plan = read_plan(root / "data" / "mistakes" / "mistakes-襄城县.xlsx", policy2023)
    bad = [c for r in plan.projects for c in r.cells.values() if c.error]
    assert len(bad) == 1
    assert bad[0].column == C.PLANNED_END and bad[0].value is None and "2023.11.31" in bad[0].error
    assert bad[0].error_en


def test_csv_encodings(policy2023, clean, tmp_path):
    text = (FIX / "plan-gbk.csv").read_bytes().decode("gbk")
    for name, data in (("utf8.csv", text.encode("utf-8")), ("bom.csv", b"\xef\xbb\xbf" + text.encode("utf-8"))):
        (tmp_path / name).write_bytes(data)
        plan = read_plan(tmp_path / name, policy2023)
        assert plan.format == "csv" and values(plan.projects) == values(clean.projects)


def test_duplicate_header_is_a_warning_first_column_wins(policy2023, tmp_path):
    wb = load_workbook(FIX / "clean.xlsx")
    ws = wb[C.SHEET_PROJECTS]
    extra = ws.max_column + 1
    ws.cell(2, extra, C.HOUSEHOLDS)
    ws.cell(3, extra, 999999)
    wb.save(tmp_path / "dup.xlsx")
    plan = read_plan(tmp_path / "dup.xlsx", policy2023)
    assert plan.projects[0].value(C.HOUSEHOLDS) != 999999
    [f] = plan.read_findings
    assert (f.code, f.sheet, f.row, f.column) == ("L001", C.SHEET_PROJECTS, 2, C.HOUSEHOLDS)


def test_two_row_header_with_merged_group(policy2023, clean, tmp_path):
    """资金来源 merged over the channel columns, the other headers merged down over both rows."""
    two_row_header(policy2023.policy).save(tmp_path / "two-row.xlsx")
    plan = read_plan(tmp_path / "two-row.xlsx", policy2023)
    assert plan.header_rows[C.SHEET_PROJECTS] == 3 and plan.projects[0].row == 4
    assert values(plan.projects) == values(clean.projects)
    assert not plan.read_findings


def test_repeated_spellings_are_parsed_once_but_read_each_as_itself(policy2023, tmp_path):
    """The reader keeps one parse per kind and raw value (counties repeat 2023年5月6日 thousands of times):
    a repeated spelling reads the same in every row, an impossible date stays an error in every row, and
    TRUE is not taken for 1 (True == 1.0 in Python: the memo must not confuse them)."""
    src = FIX / "clean.xlsx"
    wb = load_workbook(src)
    ws = wb[C.SHEET_PROJECTS]
    header = next(r for r in range(1, 20) if any(c.value == C.PROJECT_ID for c in ws[r]))
    col = {c.value: c.column for c in ws[header] if c.value}
    first = header + 1
    for r in range(first, first + 4):
        ws.cell(r, col[C.PLANNED_START], "2023年5月6日")
    ws.cell(first + 4, col[C.PLANNED_START], "2023年5月32日")
    ws.cell(first + 5, col[C.PLANNED_START], "2023年5月32日")
    ws.cell(first, col[C.HOUSEHOLDS], 1)
    ws.cell(first + 1, col[C.HOUSEHOLDS], True)
    ws.cell(first + 2, col[C.HOUSEHOLDS], 1)
    path = tmp_path / "memo.xlsx"
    wb.save(path)
    rows = {r.row: r for r in read_plan(path, policy2023).projects}
    starts = [rows[first + i].get(C.PLANNED_START) for i in range(6)]
    assert [c.value for c in starts[:4]] == [dt.date(2023, 5, 6)] * 4
    assert all(c.value is None and "日期不存在" in c.error for c in starts[4:])
    households = [rows[first + i].get(C.HOUSEHOLDS) for i in range(3)]
    assert households[0].value == households[2].value == 1 and households[0].error is None
    assert households[1].value is None and households[1].error
