"""Issue 21.6: the small defects a clerk sent back, each with its test.

- 对照表: dates across years said by the two dates, never as a count of days (no "推迟371天");
- 截至, not 数据截止, on the inspection forms;
- a table never split with a single row on a page (a 5-row table in a 通报, at every position of a page);
- no double rule inside the ranking table (the tail table that keeps the last rows with the signatures);
- the 报送表's 填表说明 printed whole (each note wraps within the printed columns);
- cell padding: table text never touches a rule in the LibreOffice print.
Printed by LibreOffice where the defect was seen in its print; expected values written by hand.
"""
from __future__ import annotations

import re
import shutil
import zipfile

import pdfplumber
import pytest
from click.testing import CliRunner

from generator.cli import main
from support.office import convert_to_pdf

MM = 25.4 / 72


def _docx_text(path) -> str:
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))


@pytest.mark.slow
def test_duizhao_dates_across_years_without_a_day_count(tmp_path):
    out = tmp_path / "dz.docx"
    r = CliRunner().invoke(main, ["diff", "xuchang/2023", "xuchang/2024-draft", "--format", "docx", "-o", str(out)])
    assert r.exit_code in (0, 1), r.output
    text = _docx_text(out)
    assert "成文日期由2023年2月14日调整为2024年2月20日" in text
    assert "371天" not in text and not re.search(r"\d{3,}天", text)
    assert "年内提前30天" in text                       # within the year: month and day compared


def test_inspection_forms_say_jiezhi(tmp_path):
    r = CliRunner().invoke(main, ["render", "acceptance", "xuchang/2023", "--round", "mid-year", "--county", "禹州市",
                                  "-o", str(tmp_path), "--no-pdf"])
    assert r.exit_code == 0, r.output
    for form in tmp_path.glob("*.docx"):
        text = _docx_text(form)
        assert "数据截止" not in text and "填报数据截至2023年7月31日" in text, form.name


def _rows_per_page(pdf, marker: str) -> list[int]:
    with pdfplumber.open(str(pdf)) as d:
        return [sum(1 for ln in p.extract_text_lines() if ln["text"].replace(" ", "").startswith(marker)) for p in d.pages]


def test_no_table_split_with_a_single_row(policy2023, tmp_path):
    """A 5-row table moved one line at a time over a whole page: it never leaves one row alone on a page."""
    from generator.render import official
    from generator.render.official import Official, Table
    pdfs, docx = [], []
    for n in range(22):
        doc = Official("许昌市百城建设提质工程指挥部办公室文件", "许百城提质办〔　　〕　号", "关于测试表格分页的通报",
                       "各县（市、区）政府：", ["补充一行。"] * n + [Table(["序号", "单位", "得分"],
                                                                    [[f"表行{i}", "某县", "90"] for i in range(1, 6)])]
                       + ["表后正文。"] * 3, "许昌市百城建设提质工程指挥部办公室")
        written = official.write(doc, tmp_path / f"n{n}", f"n{n:02d}")
        pdfs += [p for p in written if p.suffix == ".pdf"]
        docx += [p for p in written if p.suffix == ".docx"]
    work = tmp_path / "lo"
    work.mkdir()
    copies = []
    for p in docx:
        copies.append(work / p.name)
        shutil.copy(p, copies[-1])
    for pdf in pdfs + convert_to_pdf(copies, work):
        counts = [c for c in _rows_per_page(pdf, "表行") if c]
        assert sum(counts) == 5 and min(counts) >= 2, (pdf, counts)


@pytest.fixture(scope="module")
def summary_print(tmp_path_factory):
    import yaml
    d = tmp_path_factory.mktemp("summary")
    scores = d / "s.yaml"
    scores.write_text(yaml.safe_dump({"mid-year": {"禹州市": 90, "长葛市": 85, "襄城县": 80, "魏都区": 95, "建安区": 70},
                                      "year-end": {"禹州市": 88, "长葛市": 92, "襄城县": 75, "魏都区": 90, "建安区": 93}},
                                     allow_unicode=True), encoding="utf-8")
    r = CliRunner().invoke(main, ["render", "acceptance", "xuchang/2023", "--round", "year-end", "--county", "魏都区",
                                  "--plan", str(__import__("pathlib").Path(__file__).resolve().parents[2] / "data" /
                                                "sample-魏都区.xlsx"),
                                  "--scores", str(scores), "--weights", "mid-year=0.4,year-end=0.6", "-o", str(d)])
    assert r.exit_code == 0, r.output
    return d


def _hrules(page):
    return [(r["top"] * MM, r["x0"] * MM, r["x1"] * MM) for r in page.rects + page.lines
            if (r["bottom"] - r["top"]) * MM < 0.6 and (r["x1"] - r["x0"]) * MM > 5]


@pytest.mark.slow
def test_no_double_rule_in_the_ranking_table(summary_print):
    pdf = next(summary_print.glob("*汇总表.pdf"))
    with pdfplumber.open(str(pdf)) as d:
        for page in d.pages:
            ys = sorted({round(y, 1) for y, x0, x1 in _hrules(page)})
            close = [(a, b) for a, b in zip(ys, ys[1:]) if b - a < 1.5]
            assert not close, (page.page_number, close)


@pytest.mark.slow
def test_table_text_never_touches_a_rule(summary_print):
    """In LibreOffice's print of the forms and the ranking, every word inside a table keeps clear of the rules."""
    for pdf in sorted(summary_print.glob("*.pdf")):
        with pdfplumber.open(str(pdf)) as d:
            for page in d.pages:
                rules = _hrules(page)
                for w in page.extract_words():
                    top, bottom, x0, x1 = w["top"] * MM, w["bottom"] * MM, w["x0"] * MM, w["x1"] * MM
                    for y, r0, r1 in rules:
                        if r0 <= x0 and x1 <= r1:
                            assert not (top - 0.25 < y < bottom + 0.25), (pdf.name, page.page_number, w["text"], y)


def test_instructions_printed_whole(tmp_path):
    r = CliRunner().invoke(main, ["render", "county-plan", "xuchang/2023", "--county", "禹州市", "-o", str(tmp_path)])
    assert r.exit_code == 0, r.output
    xlsx = next(tmp_path.glob("禹州市/*.xlsx"))
    work = tmp_path / "lo"
    work.mkdir()
    copy = work / "plan.xlsx"
    shutil.copy(xlsx, copy)
    pdf = convert_to_pdf([copy], work)[0]
    import openpyxl
    ws = openpyxl.load_workbook(xlsx)["填表说明"]
    notes = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)
             if isinstance(ws.cell(r, 1).value, str) and ws.cell(r, 2).value in (None, "")]
    assert notes
    with pdfplumber.open(str(pdf)) as d:
        printed = "".join((p.extract_text() or "") for p in d.pages).replace(" ", "").replace("\n", "")
    for note in notes:                                     # every note's every character is on paper, in order
        assert note.replace(" ", "") in printed, note
