"""The forms speak in the words of the policy's level: a province's checklist says 市级填报 and 市, its
template for a city says 省级方案 and 省级下达; 许昌's (a city) keep 县级填报, 县（市、区）, 市级方案, 市级下达."""
import shutil

import pytest

from support.levels import as_unit

CITY_WORDS = ("县（市、区）", "县级", "本县")


def checklist_context(lp):
    from generator.render.forms_context import policy_context, project_context, sample_row
    pctx = policy_context(lp)
    p = project_context(sample_row(lp), lp, pctx)
    return {**pctx, "p": p, "projects": [p], "manifest": ""}


def checklist_docx(lp, path, read) -> str:
    from generator.render.forms_templates import TemplateSet
    path.write_bytes(TemplateSet().docx("checklist/checklist.docx").render(checklist_context(lp)))
    return read.docx_text(path)


def checklist_html(lp) -> str:
    from generator.render.forms_templates import TemplateSet, render_html
    return render_html(TemplateSet().html("checklist/checklist.html"), checklist_context(lp))


def test_a_provinces_checklist_names_what_its_cities_reported(policy2023, tmp_path, read):
    province = as_unit(policy2023, "河南省")
    for text in (checklist_docx(province, tmp_path / "p.docx", read), checklist_html(province)):
        assert "市级填报数据截至" in text and "“市级填报”为市在工作簿中的填报" in text
        assert not any(w in text for w in CITY_WORDS)
    for text in (checklist_docx(policy2023, tmp_path / "c.docx", read), checklist_html(policy2023)):
        assert "县级填报数据截至" in text and "“县级填报”为县（市、区）在工作簿中的填报" in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_a_provinces_checklist_pdf_is_drawn_in_its_words(policy2023, tmp_path, read):
    from generator.render.checklist_pdf import render_pdfs
    pdf, = render_pdfs([checklist_context(as_unit(policy2023, "河南省"))], [{"Title": "t"}])
    (tmp_path / "p.pdf").write_bytes(pdf)
    text = read.pdf_text(tmp_path / "p.pdf")
    assert "市级填报数据截至" in text and "“市级填报”为市在工作簿中的填报" in text
    assert not any(w in text for w in CITY_WORDS)


@pytest.mark.slow
def test_a_provinces_template_for_a_city_cites_the_provincial_plan(policy2023, tmp_path):
    from openpyxl import load_workbook

    from generator.render.county_plan import county_plan_context, render_county_plans
    province = as_unit(policy2023, "河南省")
    county = province.policy.counties[0]
    last = county_plan_context(province, county)["sections"][-1]
    assert last["heading"] == "省级方案明确的要求" and last["guidance"].startswith("以上各项取自省级实施方案")
    assert county_plan_context(policy2023, county)["sections"][-1]["heading"] == "市级方案明确的要求"
    for lp, organ in ((province, "省级"), (policy2023, "市级")):
        out = tmp_path / organ
        xlsx = next(p for p in render_county_plans(lp, [county], out) if p.suffix == ".xlsx")
        cells = [str(c.value) for ws in load_workbook(xlsx).worksheets for row in ws.iter_rows() for c in row if c.value]
        assert any(v.startswith(f"注：{organ}下达{county.name}") for v in cells), organ


@pytest.mark.parametrize("name, level, word", [
    ("禹州市", "city", "市"), ("襄城县", "city", "县"), ("建安区", "city", "区"),
    ("国家许昌经济技术开发区", "city", "区"), ("恩施州", "province", "州"),
    ("某某", "city", "县（市、区）"), ("某某", "province", "市"),
])
def test_a_unit_calls_itself_by_its_kind(name, level, word):
    from generator.policy.wording import own_word
    assert own_word(name, level) == word
