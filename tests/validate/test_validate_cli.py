"""``gaizao validate``: exit codes 0/1/2, the JSON report, --strict, --lang, --annotate, city-wide."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from generator.cli import main
from generator.findings import FIELDS
from generator.ledger import contract as C

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
FIX = ROOT / "tests" / "fixtures" / "validate"
SAMPLE = DATA / "sample-禹州市.xlsx"
MISTAKES = DATA / "mistakes" / "mistakes-建安区.xlsx"


def run(*args):
    return CliRunner().invoke(main, ["validate", *map(str, args)])


def header_of(ws) -> tuple[int, dict[str, int]]:
    """(header row, canonical header -> column index) of a 项目清单 sheet."""
    for r in range(1, 20):
        names = {C.normalize_header(c.value): c.column for c in ws[r] if c.value}
        if C.PROJECT_ID in names:
            return r, names
    raise AssertionError("no header")


def set_project_cell(src: Path, dst: Path, project_index: int, column: str, value) -> int:
    """Copy a workbook changing one 项目清单 cell (found by header); returns its Excel row."""
    wb = load_workbook(src)
    ws = wb[C.SHEET_PROJECTS]
    header_row, cols = header_of(ws)
    col = cols[C.normalize_header(column)]
    row = header_row + 1 + project_index
    ws.cell(row=row, column=col, value=value)
    wb.save(dst)
    return row


def test_sample_exit_0(policy2023):
    r = run(SAMPLE)
    assert r.exit_code == 0, r.output
    assert "未发现问题" in r.output and "错误 0 项" in r.output


@pytest.mark.slow
@pytest.mark.parametrize("value", ["80%", 0.8, 80, "８０％"])
def test_consent_of_exactly_80_percent_passes(tmp_path, value):
    wb = tmp_path / "p.xlsx"
    set_project_cell(SAMPLE, wb, 2, C.CONSENT, value)
    r = run(wb, "--format", "json")
    assert r.exit_code == 0 and json.loads(r.output)["findings"] == []


def test_consent_of_79_9_percent_fails_at_that_cell(tmp_path):
    wb = tmp_path / "p.xlsx"
    row = set_project_cell(SAMPLE, wb, 2, C.CONSENT, "79.9%")
    r = run(wb, "--format", "json")
    assert r.exit_code == 1
    [f] = json.loads(r.output)["findings"]
    assert (f["code"], f["sheet"], f["row"], f["column"], f["clause"]) == (
        "V301", C.SHEET_PROJECTS, row, C.CONSENT, "三（二）拟定小区改造方案")
    assert f["value"] == pytest.approx(0.799) and f["expected"] == 0.8


def test_json_shape_is_stable():
    r = run(MISTAKES, "--format", "json")
    assert r.exit_code == 1
    d = json.loads(r.output)
    assert list(d) == ["tool", "format", "subject", "valid", "summary", "findings", "counties", "city"]
    assert d["valid"] is False and d["summary"]["errors"] == len(d["findings"]) == 4
    for f in d["findings"]:
        assert list(f)[:len(FIELDS)] == list(FIELDS)
        assert f["file"].endswith("mistakes-建安区.xlsx") and f["county"] == "建安区"
    assert d["subject"]["policy_id"] == "xuchang/2023" and d["subject"]["policy_hash"]
    [c] = d["counties"]
    assert (c["county"], c["projects_target"], c["liaison_quota"], c["errors"]) == ("建安区", 24, 5, 4)
    assert d["city"] is None


def test_english(tmp_path):
    r = run(MISTAKES, "--lang", "en", "--format", "json")
    messages = [f["message"] for f in json.loads(r.output)["findings"]]
    assert any(m.startswith("consent 79.9%") for m in messages)
    assert "责任人 is blank" in messages and any(m.startswith("funding channels add up to") for m in messages)


def test_yaml_plan_reports_line_numbers():
    r = run(FIX / "yuzhou-consent-79.9.yaml", "--format", "json")
    assert r.exit_code == 1
    [f] = json.loads(r.output)["findings"]
    assert f["code"] == "V301" and f["row"] == 3 and f["project"] == "XC01-003"
    lines = (FIX / "yuzhou-consent-79.9.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[f["line"] - 1].strip() == "居民同意率: 79.9%"


def test_strict_fails_on_warnings(tmp_path):
    wb = tmp_path / "p.xlsx"
    load = load_workbook(SAMPLE)
    ws = load[C.SHEET_PROJECTS]
    header_row, cols = header_of(ws)
    col = cols[C.COMMUNITY]
    ws.cell(row=header_row + 2, column=col, value=ws.cell(row=header_row + 1, column=col).value)
    load.save(wb)
    assert run(wb).exit_code == 0                                   # a duplicate community is a warning
    r = run(wb, "--strict", "--format", "json")
    assert r.exit_code == 1 and [f["code"] for f in json.loads(r.output)["findings"]] == ["V702"]


@pytest.mark.parametrize("make,needle", [
    (lambda p: p.write_text("not a workbook", encoding="utf-8"), "不是有效的 Excel 工作簿"),
    (lambda p: Workbook().save(p), "缺少工作表"),
    (lambda p: None, "找不到文件"),
])
def test_unreadable_input_exit_2_without_traceback(tmp_path, make, needle):
    path = tmp_path / "bad.xlsx"
    make(path)
    r = run(path)
    assert r.exit_code == 2 and needle in r.output and "Traceback" not in r.output


def test_usage_errors_exit_2(tmp_path):
    assert run().exit_code == 2
    r = run(SAMPLE, MISTAKES, "--annotate", tmp_path / "x.xlsx")
    assert r.exit_code == 2 and "一次只能标注一个工作簿" in r.output


def test_annotate_marks_cells_and_lists_findings(tmp_path):
    src = tmp_path / "in.xlsx"
    shutil.copy(MISTAKES, src)
    before = src.read_bytes()
    out = tmp_path / "out" / "annotated.xlsx"
    r = run(src, "--annotate", out)
    assert r.exit_code == 1 and out.exists()
    assert src.read_bytes() == before                                # input never modified
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "问题清单" and set(wb.sheetnames[1:]) >= set(C.SHEETS)
    rows = list(wb["问题清单"].iter_rows(values_only=True))
    assert rows[0] == ("级别", "代码", "工作表", "行", "列", "项目编号", "说明", "依据条款")
    assert [r[1] for r in rows[1:]] == ["V701", "V301", "V201", "V202"]
    assert all(r[7] for r in rows[1:])
    ws = wb[C.SHEET_PROJECTS]
    consent_row = next(r for r in rows[1:] if r[1] == "V301")
    cell = ws.cell(row=consent_row[3], column=header_of(ws)[1][C.CONSENT])
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert "V301" in cell.comment.text and "三（二）拟定小区改造方案" in cell.comment.text
    link = wb["问题清单"].cell(row=1 + [r[1] for r in rows[1:]].index("V301") + 1, column=5).hyperlink
    assert link.location == f"'{C.SHEET_PROJECTS}'!{cell.coordinate}"


def test_annotate_refuses_to_overwrite_the_input(tmp_path):
    src = tmp_path / "in.xlsx"
    shutil.copy(MISTAKES, src)
    before = src.read_bytes()
    r = run(src, "--annotate", src)
    assert r.exit_code == 2 and "不能覆盖原工作簿" in r.output
    assert src.read_bytes() == before


def test_city_wide_summary():
    samples = sorted(DATA.glob("sample-*.xlsx"))
    r = run(*samples, "--format", "json")
    assert r.exit_code == 0
    d = json.loads(r.output)
    assert [c["county"] for c in d["counties"]] == ["禹州市", "长葛市", "襄城县", "魏都区", "建安区"]
    city = d["city"]
    assert (city["projects"], city["projects_target"], city["households"], city["households_target"]) == (
        265, 265, 19380, 19380)
    assert city["liaison_points"] == city["liaison_quota"] == 21 and city["counties_missing"] == []
    text = run(*samples).output
    assert "分县（市、区）汇总" in text and "265 / 265 ✓" in text


def test_city_wide_duplicates_across_counties(tmp_path):
    wb = tmp_path / "p.xlsx"
    other = load_workbook(DATA / "sample-襄城县.xlsx")[C.SHEET_PROJECTS]
    header_row, cols = header_of(other)
    col = cols[C.COMMUNITY]
    name = other.cell(row=header_row + 1, column=col).value
    row = set_project_cell(SAMPLE, wb, 4, C.COMMUNITY, name)
    d = json.loads(run(wb, DATA / "sample-襄城县.xlsx", "--format", "json").output)
    dup = [f for f in d["findings"] if f["code"] == "V801"]
    assert len(dup) == 1 and name in dup[0]["message"] and dup[0]["severity"] == "warning"
    assert {f["code"] for f in d["findings"] if f["severity"] == "info"} == {"V804"}   # 3 counties missing
    assert d["city"]["counties_missing"] == ["长葛市", "魏都区", "建安区"]
    # reported where the name is seen the second time (the file given second), naming the first place
    assert (Path(dup[0]["file"]).name, dup[0]["row"]) == ("sample-襄城县.xlsx", header_row + 1)
    assert f"{wb.name} 第{row}行" in dup[0]["message"], dup[0]["message"]


def test_annotate_marks_the_header_for_a_column_total(tmp_path):
    out = tmp_path / "a.xlsx"
    r = run(DATA / "mistakes" / "mistakes-襄城县.xlsx", "--annotate", out)
    assert r.exit_code == 1
    wb = load_workbook(out)
    issues = list(wb["问题清单"].iter_rows(min_row=2, values_only=True))
    total = next(i for i, row in enumerate(issues) if row[1] == "V103")
    assert issues[total][3] is None and issues[total][4] == C.HOUSEHOLDS        # no row: a column total
    location = wb["问题清单"].cell(row=2 + total, column=5).hyperlink.location
    sheet, coord = location.rsplit("!", 1)
    header = wb[sheet.strip("'")][coord]
    assert C.normalize_header(header.value) == C.HOUSEHOLDS and "V103" in header.comment.text


def test_thresholds_come_from_the_policy(policy_copy):
    """One source of truth: raise the consent threshold in a copy of the policy and the same workbook fails
    where its consent is below the new value, citing the new value."""
    policy_file = policy_copy / "policy.yaml"
    # a changed copy of an issued policy is used only as a draft (issue 18.3: an issued one must match its lock)
    policy_file.write_text(policy_file.read_text(encoding="utf-8").replace("threshold: 0.8", "threshold: 0.95")
                           .replace("status: issued", "status: draft", 1), encoding="utf-8")
    assert json.loads(run(SAMPLE, "--format", "json").output)["findings"] == []
    d = json.loads(run(SAMPLE, "--policy", policy_copy, "--format", "json").output)
    # V301 at the consent cell; V302 where 开工条件1 is marked met although the consent is below the new value
    assert d["findings"] and {f["code"] for f in d["findings"]} == {"V301", "V302"}
    assert all("95%以上" in f["message"] for f in d["findings"])
    assert all(f["value"] < 0.95 and f["expected"] == 0.95 for f in d["findings"] if f["code"] == "V301")


def test_csv_plan_checks_the_project_list_and_says_what_it_could_not(tmp_path):
    csv_plan = FIX / "yuzhou-projects.csv"
    d = json.loads(run(csv_plan, "--format", "json").output)
    assert [f["code"] for f in d["findings"]] == ["V003"] and d["findings"][0]["severity"] == "info"
    assert (d["counties"][0]["county"], d["counties"][0]["households"]) == ("禹州市", 181)   # targets still checked
    import csv
    rows = list(csv.reader(csv_plan.open(encoding="utf-8")))
    rows[3][rows[0].index(C.CONSENT)] = "50%"                   # the third project (CSV line 4)
    broken = tmp_path / "p.csv"
    with broken.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    r = run(broken, "--format", "json")
    assert r.exit_code == 1
    assert [(f["code"], f["row"]) for f in json.loads(r.output)["findings"]] == [("V003", None), ("V301", 4)]


@pytest.mark.parametrize("command", ["validate", "progress"])
def test_one_file_given_twice_is_refused(tmp_path, command):
    """The same file twice (same path, another spelling of it, or a hard link) would count its projects
    twice with no finding: exit 2 naming both paths. Two copies of one county's plan stay V802."""
    copy = tmp_path / "plan.xlsx"
    shutil.copy(SAMPLE, copy)
    link = tmp_path / "link.xlsx"
    link.hardlink_to(copy)
    extra = ["--as-of", "2023-06-30"] if command == "progress" else []
    for twice in ([copy, copy], [copy, tmp_path / "." / "plan.xlsx"], [copy, link]):
        res = CliRunner().invoke(main, [command, *map(str, twice), *extra])
        assert res.exit_code == 2, res.output
        assert "同一" in res.output and "Traceback" not in res.output
    other = tmp_path / "again.xlsx"
    shutil.copy(SAMPLE, other)
    res = run(copy, other, "--format", "json")
    assert res.exit_code == 1
    assert [f["code"] for f in json.loads(res.output)["findings"]].count("V802") == 1


def test_prepare_is_best_effort(policy2023):
    """validate_files loads the rules, contract and policy text while calamine parses; a policy text that
    cannot be rendered must not fail there (it fails where a finding first cites it, as before)."""
    from generator.validate import prepare

    class TextFails:
        content_hash, policy = policy2023.content_hash, policy2023.policy

        @property
        def text(self):
            raise RuntimeError("policy text")

    prepare(TextFails())                  # does not raise
