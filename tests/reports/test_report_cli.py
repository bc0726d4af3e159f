"""``gaizao report``: refusals are clear, located, exit 2, no traceback; nothing is written on a refusal."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample-禹州市.xlsx"
SCORES = "mid-year: {禹州市: 90, 长葛市: 88, 襄城县: 87, 魏都区: 92, 建安区: 80}\n" \
         "year-end: {禹州市: 90, 长葛市: 88, 襄城县: 87, 魏都区: 92, 建安区: 80}\n"


def run(*args):
    return CliRunner().invoke(main, ["report", *map(str, args)])


def refused(r, *words):
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and all(w in r.output for w in words), r.output


def test_results_without_weights_are_refused_citing_the_clause(tmp_path):
    (tmp_path / "s.yaml").write_text(SCORES, encoding="utf-8")
    refused(run("results", "--scores", tmp_path / "s.yaml", "-o", tmp_path / "o"), "三（五）", "权重")
    assert not (tmp_path / "o").exists()
    r = run("results", "--scores", tmp_path / "s.yaml", "--weights", "mid-year=0.5,year-end=0.6", "-o", tmp_path / "o")
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_tongbao_with_receipts_asks_for_the_due_day(tmp_path):
    (tmp_path / "r.csv").write_text("县（市、区）,报送日期,所属月份\n禹州市,2023-03-05,2023-02\n", encoding="utf-8")
    refused(run("tongbao", SAMPLE, "--as-of", "2023-06-30", "--received", tmp_path / "r.csv", "-o", tmp_path / "o"),
            "--monthly-due-day")
    assert not (tmp_path / "o").exists()


def test_a_bad_receipt_line_is_located(tmp_path):
    (tmp_path / "r.csv").write_text("县（市、区）,报送日期,所属月份\n禹州市,2023-03-05,2023-13\n", encoding="gbk")
    refused(run("duties", "--received", tmp_path / "r.csv", "--monthly-due-day", "5"), "r.csv:2", "YYYY-MM")


def test_an_unreadable_plan_and_a_bad_date(tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"not a workbook")
    refused(run("kaigong", bad, "-o", tmp_path / "o"))
    refused(run("kaigong", SAMPLE, "--as-of", "2023-02-30", "-o", tmp_path / "o"), "--as-of")
    refused(run("kaigong", SAMPLE, "--county", "魏都区", "-o", tmp_path / "o"), "魏都区", "禹州市")
    assert not (tmp_path / "o").exists()


def test_results_with_self_scores_from_a_score_file(tmp_path):
    (tmp_path / "s.yaml").write_text(SCORES, encoding="utf-8")
    (tmp_path / "self.yaml").write_text("year-end: {禹州市: 96, 长葛市: 90, 襄城县: 91, 魏都区: 95, 建安区: 85}\n",
                                        encoding="utf-8")
    r = run("results", "--scores", tmp_path / "s.yaml", "--weights", "mid-year=0.4,year-end=0.6",
            "--self-scores", tmp_path / "self.yaml", "--no-pdf", "-o", tmp_path / "o")
    assert r.exit_code == 0, r.output
    from docx import Document
    doc = Document(str(next((tmp_path / "o").glob("*.docx"))))
    header = [c.text for c in doc.tables[0].rows[0].cells]
    row = next([c.text for c in r_.cells] for r_ in doc.tables[0].rows if r_.cells[1].text == "禹州市")
    assert row[header.index("自评得分")] == "96"


@pytest.mark.slow
def test_feedback_on_a_city_wide_workbook_needs_the_county(tmp_path):
    city = Path(__file__).resolve().parents[1] / "fixtures" / "validate" / "city-two-counties.yaml"
    refused(run("feedback", city, "-o", tmp_path / "o"), "--county")
    r = run("feedback", city, "--county", "襄城县", "--no-pdf", "-o", tmp_path / "o")
    assert r.exit_code == 0, r.output
    assert any("襄城县" in p.name for p in (tmp_path / "o").glob("*.docx"))


def test_a_tongbao_from_workbooks_does_not_claim_monthly_reports(tmp_path):
    """Made from a workbook given on the command line (no register), the 节点 verdicts rest on what that workbook
    says, not on 'N月信息月报' the office never received through the register."""
    from docx import Document
    r = run("tongbao", SAMPLE, "--as-of", "2023-08-15", "-o", tmp_path / "o", "--no-pdf")
    assert r.exit_code == 0, r.output
    doc = Document(str(next((tmp_path / "o").glob("*.docx"))))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "据各县（市、区）报送的情况，" in text and "月信息月报，" not in text
