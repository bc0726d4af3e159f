"""开工认定核查表: content from the policy and the workbook, safe names, PDFs, byte-identical re-renders."""
import shutil
import zipfile

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.policy.cnfmt import pct
from generator.policy.text import context



def render(plan, out, *args):
    result = CliRunner().invoke(main, ["render", "checklists", str(plan), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return sorted(p for p in out.rglob("*") if p.is_file())


def test_docx_carries_policy_criteria_and_project_facts(nasty_plan, tmp_path, policy2023, read):
    files = render(nasty_plan, tmp_path / "out")
    docx = [f for f in files if f.suffix == ".docx"]
    assert len(docx) == 3
    first = next(f for f in docx if f.name.startswith("YZ-001"))
    text = read.docx_text(first)
    for item in context(policy2023.policy)["start_criteria"]["items"]:   # rendered criterion text (80% filled in)
        assert item["text"] in text
    for item in policy2023.policy.start_criteria.items:                # the 依据 line names the 标准 once;
        assert policy2023.text.display(item.clause) not in text            # no clause under each criterion (21.1)
    assert f"{pct(policy2023.policy.consent.threshold)}以上居民同意" in text
    assert policy2023.policy.document.doc_number.value in text
    # special characters survive (autoescape), as text, not as markup
    assert "A&B <东> \"西\" '南' 镕喆 🏠小区" in text
    xml = zipfile.ZipFile(first).read("word/document.xml").decode()
    assert "A&amp;B &lt;东&gt;" in xml
    # all five criteria dated in the workbook: shown as the county's report, never as a verdict
    assert "2023年5月10日" in text and "√" not in text
    assert "核查结论：□符合开工认定标准，认定开工日期：　　　　年　　月　　日" in text
    assert text.count("□符合") == len(policy2023.policy.start_criteria.items) + 1


def test_reported_status_is_shown_apart_from_the_empty_boxes(nasty_plan, tmp_path, policy2023, read):
    files = render(nasty_plan, tmp_path / "out")
    second = next(f for f in files if f.suffix == ".docx" and "etc" in f.name)
    text = read.docx_text(second)
    crit = policy2023.policy.start_criteria.items
    assert "县级填报" in text and "否" in text                 # criterion 2 reported 否: printed as reported
    assert "√" not in text and f"未满足第{crit[1].id}条" not in text
    assert "□不符合开工认定标准，未满足第　　　　条" in text


def test_names_cannot_leave_the_output_folder(nasty_plan, tmp_path):
    out = tmp_path / "out"
    files = render(nasty_plan, out)
    assert files and all(out.resolve() in f.resolve().parents for f in files)
    assert not any(p.name == "passwd" for p in tmp_path.rglob("*"))
    assert all(f.parent.name == "禹州市" for f in files)       # county folder, one level down


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_pdf_is_one_a4_page_with_embedded_fonts(nasty_plan, tmp_path, read):
    import pypdf
    files = render(nasty_plan, tmp_path / "out", "--pdf")
    pdfs = [f for f in files if f.suffix == ".pdf"]
    assert len(pdfs) == 3
    first = next(f for f in pdfs if f.name.startswith("YZ-001"))
    reader = pypdf.PdfReader(first)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.28) < 1 and abs(float(box.height) - 841.89) < 1
    fonts = read.pdf_fonts(first)
    assert fonts and all(row[-5] == "yes" for row in fonts)        # pdffonts "emb" column
    assert any(row[0].split("+")[-1].startswith("Fandol") for row in fonts)
    text = read.pdf_text(first)
    assert "A&B<东>\"西\"'南'镕喆" in text
    assert "开工认定核查表" in text
    assert "CreationDate" not in str(reader.metadata or {})


def test_merge_gives_one_pdf_per_county(nasty_plan, tmp_path):
    import pypdf
    files = render(nasty_plan, tmp_path / "out", "--pdf", "--merge")       # both: per project and per county
    pdfs = [f for f in files if f.suffix == ".pdf"]
    merged = [p for p in pdfs if p.name == "禹州市_开工认定核查表.pdf"]
    assert len(merged) == 1 and len(pdfs) == 4
    assert len(pypdf.PdfReader(merged[0]).pages) == 1 + 1 + 3          # cover, index, one page per project


@pytest.mark.slow
def test_rerender_is_byte_identical_and_carries_the_manifest(nasty_plan, tmp_path, policy2023):
    from generator.fileio import sha256_file
    a = render(nasty_plan, tmp_path / "a", "--pdf")
    b = render(nasty_plan, tmp_path / "b", "--pdf")
    assert [p.name for p in a] == [p.name for p in b]
    for x, y in zip(a, b):
        assert x.read_bytes() == y.read_bytes(), x.name
    core = zipfile.ZipFile(next(p for p in a if p.suffix == ".docx")).read("docProps/core.xml").decode()
    assert sha256_file(nasty_plan) in core and policy2023.content_hash in core
    assert "2023-02-14T00:00:00Z" in core                     # the policy's issue date, not now()


def test_fast_path_matches_docxtpl(tmp_path, policy2023, read):
    """The compiled template gives the text docxtpl itself gives."""
    from docxtpl import DocxTemplate

    from generator.render.forms_context import policy_context, project_context, sample_row
    from generator.render.forms_templates import TemplateSet, new_environment
    ts = TemplateSet()
    pctx = policy_context(policy2023)
    p = project_context(sample_row(policy2023, **{"小区名称": "甲&乙<丙>"}), policy2023, pctx)
    ctx = {**pctx, "p": p, "projects": [p], "manifest": ""}
    fast = tmp_path / "fast.docx"
    fast.write_bytes(ts.docx("checklist/checklist.docx").render(ctx))
    tpl = DocxTemplate(ts.path("checklist/checklist.docx"))
    tpl.render(ctx, jinja_env=new_environment(), autoescape=True)
    tpl.save(tmp_path / "naive.docx")
    assert read.docx_text(fast) == read.docx_text(tmp_path / "naive.docx")


def test_missing_plan_is_a_clear_error(tmp_path):
    bad = tmp_path / "not-a-workbook.xlsx"
    bad.write_bytes(b"plain text")
    result = CliRunner().invoke(main, ["render", "checklists", str(bad), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.mark.slow
@pytest.mark.parametrize("data", ["sample-魏都区.xlsx", None])     # a pool of workers, and one process
def test_template_reaching_outside_templates_is_a_clear_error(tmp_path, nasty_plan, data):
    """It used to escape as a traceback, and with a pool of workers hang (their initializer failed)."""
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    plan = root / "data" / data if data else nasty_plan
    override = root / "tests" / "fixtures" / "render_forms" / "templates-outside-resource"
    result = CliRunner().invoke(main, ["render", "checklists", str(plan), "--pdf", "--templates", str(override),
                                       "-o", str(tmp_path / "o"), "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert "outside templates/" in result.output and "/etc/hostname" in result.output
    assert "Traceback" not in result.output
    assert not list((tmp_path / "o").rglob("*.pdf"))
