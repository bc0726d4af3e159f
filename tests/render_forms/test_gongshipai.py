"""改造公示牌 (开工认定标准 第3条: 完成项目设计并在小区内公示): one A3 landscape page per project, the facts the
workbook holds and a blank where it is silent (设计单位, 施工单位, 监督电话, 公示期), 示例数据 on every page.
Expected values are read from the sample workbook, never from the kind's code."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample-禹州市.xlsx"
BLANKS = ("设计单位", "施工单位", "监督电话")


def _pages(pdf: Path) -> list[str]:
    from pypdf import PdfReader
    return [re.sub(r"\s+", "", p.extract_text() or "") for p in PdfReader(str(pdf)).pages]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    out = tmp_path_factory.mktemp("gongshipai")
    res = CliRunner().invoke(main, ["render", "doc", "gongshipai", "--policy", "xuchang/2023", "--plan", str(SAMPLE),
                                    "-o", str(out)])
    assert res.exit_code == 0, res.output
    return out


@pytest.mark.slow
def test_one_a3_landscape_page_per_project_with_what_the_workbook_says(made, policy2023):
    from pypdf import PdfReader

    from generator.ledger import contract as C
    from generator.ledger.reader import read_plan
    plan = read_plan(SAMPLE, policy2023)
    pdf = made / "改造公示牌（禹州市）.pdf"
    pages = _pages(pdf)
    assert len(pages) == len(plan.projects)
    box = PdfReader(str(pdf)).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (420, 297)   # A3 landscape
    for row, text in zip(plan.projects, pages):
        assert text.count("示例数据") == 1, text                      # the label on every page (the top margin)
        for col in (C.PROJECT_ID, C.COMMUNITY, C.ADDRESS, "建设单位", "监管责任单位", "责任人", C.PHONE):
            assert str(row.value(col)) in text, col
        for work in row.value(C.WORKS):
            assert work in text
        start, end = row.value(C.PLANNED_START), row.value(C.PLANNED_END)
        assert f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日" in text
        assert f"{row.value(C.BUILDINGS)}栋{row.value(C.HOUSEHOLDS)}户" in text
        # silent in the workbook: printed as a blank to fill, never a value (the next label follows directly)
        assert "设计单位施工单位监督电话" in text
        phones = set(re.findall(r"\d{3,4}-\d{7,8}|1\d{10}", text))
        assert phones == {row.value(C.PHONE)}                          # no phone number made up
        assert "公示期：至" in text and "公示单位（盖章）：年月日" in text


@pytest.mark.slow
def test_one_project_and_a_project_the_workbook_lacks(tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["render", "doc", "改造公示牌", "--policy", "xuchang/2023", "--plan", str(SAMPLE),
                               "--project", "XC01-002", "-o", str(tmp_path)])
    assert res.exit_code == 0, res.output
    (pdf,) = tmp_path.glob("*.pdf")
    assert pdf.name == "改造公示牌（禹州市·XC01-002）.pdf" and len(_pages(pdf)) == 1
    res = runner.invoke(main, ["render", "doc", "gongshipai", "--policy", "xuchang/2023", "--plan", str(SAMPLE),
                               "--project", "XC01-999", "-o", str(tmp_path / "none")])
    assert res.exit_code == 2 and "没有项目编号为“XC01-999”的项目" in res.output and "Traceback" not in res.output
    res = runner.invoke(main, ["render", "doc", "gongshipai", "--policy", "xuchang/2023", "-o", str(tmp_path)])
    assert res.exit_code == 2 and "改造公示牌须给出 --plan" in res.output


@pytest.mark.slow
def test_same_bytes_twice(made, tmp_path):
    res = CliRunner().invoke(main, ["render", "doc", "gongshipai", "--policy", "xuchang/2023", "--plan", str(SAMPLE),
                                    "-o", str(tmp_path)])
    assert res.exit_code == 0
    assert (tmp_path / "改造公示牌（禹州市）.pdf").read_bytes() == (made / "改造公示牌（禹州市）.pdf").read_bytes()


@pytest.mark.slow
def test_the_poster_prints_in_the_project_fonts(made):
    fonts = subprocess.run(["pdffonts", str(made / "改造公示牌（禹州市）.pdf")], capture_output=True, text=True,
                           check=True).stdout
    assert "Fandol" in fonts and "Type 3" not in fonts


def test_a_county_workbook_is_not_labelled_and_its_names_stay_text(nasty_plan, tmp_path, policy2023, read):
    from generator.ledger import contract as C
    from generator.ledger.reader import read_plan
    res = CliRunner().invoke(main, ["render", "doc", "gongshipai", "--policy", "xuchang/2023", "--plan", str(nasty_plan),
                                    "-o", str(tmp_path)])
    assert res.exit_code == 0, res.output
    (pdf,) = tmp_path.glob("*.pdf")
    text = read.pdf_text(pdf)
    assert "示例数据" not in text
    for r in read_plan(nasty_plan, policy2023).projects:
        assert re.sub(r"\s+", "", str(r.value(C.COMMUNITY))) in text
