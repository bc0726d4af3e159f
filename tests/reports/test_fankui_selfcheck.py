"""反馈意见函 lists a county's findings with their place and clause; self-assessment read back."""
from __future__ import annotations

import pytest
from docx import Document
from openpyxl import Workbook

from generator.errors import InputError
from generator.findings import Finding, Severity
from generator.reports.fankui import fankui
from generator.render.official import Table
from generator.reports.selfcheck import read_self_score


def test_letter_lists_errors_and_warnings_with_place_and_clause(policy2023):
    findings = [
        Finding("V301", Severity.ERROR, "居民同意率75%", clause="三（二）拟定小区改造方案", sheet="项目清单", row=7,
                column="居民同意率", project="XC01-003", county="禹州市"),
        Finding("V702", Severity.WARNING, "小区重复", clause="二、目标任务", sheet="项目清单", row=9, column="小区名称",
                county="禹州市"),
        Finding("V004", Severity.INFO, "尚未到期", county="禹州市"),
        Finding("V102", Severity.ERROR, "别的县", county="长葛市"),
    ]
    doc = fankui(policy2023, "禹州市", findings, file_name="禹州市.xlsx")
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert [r[1] for r in table.rows] == ["项目清单·第7行·居民同意率", "项目清单·第9行·小区名称"]
    assert table.rows[0][2:] == ["XC01-003", "居民同意率75%", "三（二）拟定小区改造方案", "须改正"]
    assert table.rows[1][-1] == "请核实"
    assert doc.addressee == "禹州市政府：" and "禹州市" in doc.title
    assert "发现问题2项（其中须改正1项、请核实1项）" in doc.blocks[0]


def test_self_score_read_back_from_docx_and_xlsx(policy2023, tmp_path):
    d = Document()
    d.add_paragraph("填报单位：襄城县（盖章）　　自查时间：7月")
    t = d.add_table(rows=1, cols=1)
    t.cell(0, 0).text = "自评总分：８６.５分　　自评意见：……"
    d.save(tmp_path / "f.docx")
    s = read_self_score(tmp_path / "f.docx", policy2023)
    assert (s.county, s.score) == ("襄城县", 86.5)
    wb = Workbook()
    ws = wb.active
    ws.append(["填报单位：", "建安区（盖章）"])
    ws.append(["自评总分", 91])
    wb.save(tmp_path / "f.xlsx")
    s = read_self_score(tmp_path / "f.xlsx", policy2023)
    assert (s.county, s.score) == ("建安区", 91.0)


@pytest.mark.parametrize("cell", ["自评总分：　　分", "自评总分：140分"])
def test_self_score_blank_or_out_of_range_is_refused(policy2023, tmp_path, cell):
    d = Document()
    d.add_paragraph("填报单位：襄城县（盖章）")
    d.add_paragraph(cell)
    d.save(tmp_path / "f.docx")
    with pytest.raises(InputError):
        read_self_score(tmp_path / "f.docx", policy2023)


def test_the_real_self_assessment_form_reads_back_once_filled(policy2023, tmp_path):
    """The 自查自评表 gaizao renders (render acceptance), filled in as a county would: blank is refused,
    the number typed into 自评总分 is read, with the county of 填报单位."""
    from click.testing import CliRunner

    from generator.cli import main

    sample = "data/sample-禹州市.xlsx"
    r = CliRunner().invoke(main, ["render", "acceptance", "xuchang/2023", "--round", "mid-year", "--county", "禹州市",
                                  "--plan", sample, "--no-pdf", "-o", str(tmp_path)])
    assert r.exit_code == 0, r.output
    form = next(p for p in tmp_path.glob("*.docx") if "自查自评" in p.name)
    with pytest.raises(InputError):
        read_self_score(form, policy2023)                  # as printed: nothing filled in
    d = Document(str(form))
    runs = [run for p in d.paragraphs for run in p.runs] + \
           [run for t in d.tables for row in t.rows for c in row.cells for p in c.paragraphs for run in p.runs]
    run = next(x for x in runs if "自评总分" in x.text)
    run.text = run.text.replace("自评总分：", "自评总分：87.5", 1)
    d.save(str(tmp_path / "filled.docx"))
    s = read_self_score(tmp_path / "filled.docx", policy2023)
    assert (s.county, s.score) == ("禹州市", 87.5)
