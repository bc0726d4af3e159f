"""年中/年终检查验收表: rounds and milestones from the policy, weights never invented, ranking with weights."""
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

DATA = Path(__file__).resolve().parents[2] / "data"


def rounds_names(lp) -> list[str]:
    return [r.name for r in lp.policy.inspections.rounds]


def run(*args):
    return CliRunner().invoke(main, ["render", "acceptance", "xuchang/2023", *args])


@pytest.fixture
def scores(tmp_path, policy2023):
    """Scores for every county and round; the county order makes the weights decide the ranking."""
    import yaml
    names = [c.name for c in policy2023.policy.counties_with_target]
    rounds = [r.id for r in policy2023.policy.inspections.rounds]
    table = {rounds[0]: {n: 60 + 8 * i for i, n in enumerate(names)},          # last county best mid-year
             rounds[1]: {n: 100 - 8 * i for i, n in enumerate(names)}}         # first county best year-end
    path = tmp_path / "scores.yaml"
    path.write_text(yaml.safe_dump(table, allow_unicode=True), encoding="utf-8")
    return path, names, rounds


def test_ranking_without_weights_is_refused(tmp_path, scores, policy2023):
    assert policy2023.policy.inspections.weights is None          # the 2023 source gives none
    path, _, _ = scores
    result = run("--round", "year-end", "--all", "--scores", str(path), "-o", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert "无法排名" in result.output and "--weights" in result.output
    assert policy2023.text.display(policy2023.policy.inspections.clause) in result.output
    assert not (tmp_path / "o").exists()                           # nothing half-written


@pytest.mark.slow
def test_ranking_with_weights_marks_the_policys_excellent_count(tmp_path, scores, policy2023, read):
    path, names, rounds = scores
    out = tmp_path / "o"
    result = run("--round", "year-end", "--all", "--scores", str(path),
                 "--weights", f"{rounds[0]}=0.2,{rounds[1]}=0.8", "-o", str(out), "--no-pdf")
    assert result.exit_code == 0, result.output
    summary = next(out.glob("全市*汇总表.docx"))
    text = read.docx_text(summary)
    n = policy2023.policy.inspections.excellent_count.value
    assert text.count("优秀") - text.count("优秀县") == n             # the grade cells (the note says 优秀县)
    # year-end weighs more: the first county (best at year-end) ranks first, marked 优秀
    first_row = text.index(names[0])
    assert text.index("优秀", first_row) < text.index(names[1])
    issuer = policy2023.policy.document.issuer.value
    # the weights as values, no option syntax and no provenance remark in a document (issue 21.1)
    assert f"综合得分＝{rounds_names(policy2023)[0]}得分×0.2＋{rounds_names(policy2023)[1]}得分×0.8" in text
    assert "--weights" not in text and "政策未规定" not in text and f"由{issuer}确定" not in text


def test_weights_blank_without_weights(tmp_path, policy2023, read):
    out = tmp_path / "o"
    result = run("--round", "mid-year", "--county", "禹州市", "-o", str(out), "--no-pdf")
    assert result.exit_code == 0, result.output
    issuer = policy2023.policy.document.issuer.value
    city = read.docx_text(next(out.glob("*市级检查验收表.docx")))
    # no weights given: no weight line, and no provenance remark in the form (issue 21.1)
    assert "权重" not in city and "政策未规定" not in city and f"由{issuer}确定" not in city
    text = read.docx_text(next(out.glob("*自查自评表.docx")))
    rnd = policy2023.policy.inspections.rounds[0]
    assert f"{rnd.name}自查自评表" in text and "权重" not in text      # the county's form: no city weighting


def test_milestones_from_a_plan_with_progress(tmp_path, policy2023, read):
    plan = tmp_path / "plan.xlsx"
    shutil.copy(DATA / "sample-禹州市.xlsx", plan)
    out = tmp_path / "o"
    result = run("--round", "year-end", "--county", "禹州市", "--plan", str(plan), "-o", str(out), "--no-pdf")
    assert result.exit_code == 0, result.output
    text = read.docx_text(next(out.glob("*市级检查验收表.docx")))
    county = policy2023.policy.county("禹州市")
    for m in policy2023.policy.milestones:                        # every milestone is due by December
        assert m.label in text
    assert f"/{county.target.projects}个" in text                  # started share against the target
    assert "□达到 □未达到" in text                                  # the inspector's box, not a verdict
    assert "示例数据" in read.docx_header_text(next(out.glob("*市级检查验收表.docx")))   # labelled on every page (header)


def test_unknown_round_and_county(tmp_path):
    r = run("--round", "autumn", "--all", "-o", str(tmp_path))
    assert r.exit_code == 2 and "mid-year" in r.output
    r = run("--round", "mid-year", "--county", "许昌县", "-o", str(tmp_path))
    assert r.exit_code == 2 and "禹州市" in r.output
    assert "许昌县" in r.output and "Traceback" not in r.output
    r = run("--round", "mid-year", "--county", "禹州市", "--all", "-o", str(tmp_path))
    assert r.exit_code == 2 and "--all" in r.output
    assert not any(tmp_path.iterdir())                            # refused before writing anything


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")
def test_pdf_is_landscape_a4_with_page_numbers(tmp_path, read):
    import pypdf
    out = tmp_path / "o"
    assert run("--round", "mid-year", "--county", "禹州市", "-o", str(out)).exit_code == 0
    pdf = next(out.glob("*自查自评表.pdf"))
    page = pypdf.PdfReader(pdf).pages[0]
    assert abs(float(page.mediabox.width) - 841.89) < 1 and abs(float(page.mediabox.height) - 595.28) < 1
    assert "—1—" in read.pdf_text(pdf)


def test_without_libreoffice_pdf_is_refused_before_writing(tmp_path, monkeypatch):
    from generator.render import office_pdf
    monkeypatch.setattr(office_pdf, "soffice", lambda: None)
    r = run("--round", "mid-year", "--county", "禹州市", "-o", str(tmp_path / "o"))
    assert r.exit_code == 2 and "LibreOffice" in r.output and "--no-pdf" in r.output
    assert not (tmp_path / "o").exists()
    assert run("--round", "mid-year", "--county", "禹州市", "-o", str(tmp_path / "o"), "--no-pdf").exit_code == 0


@pytest.mark.slow
def test_a_provinces_forms_name_its_cities_and_the_provincial_group(tmp_path, scores, policy2023, read):
    """许昌 2023 as a province's rules (level: province): 市：…, 省级核查, the summary's 市 column; 许昌's own
    forms keep 县（市、区）：… and 市级核查 (their text is unchanged by this)."""
    import dataclasses

    from generator.render.acceptance import render_acceptance
    path, names, rounds = scores
    as_province = dataclasses.replace(policy2023, policy=policy2023.policy.model_copy(update={"level": "province"}))
    weights = f"{rounds[0]}=0.4,{rounds[1]}=0.6"
    for lp, out in ((as_province, tmp_path / "p"), (policy2023, tmp_path / "c")):
        render_acceptance(lp, rounds[1], out, counties=[names[0]], weights_text=weights, scores_path=str(path),
                          pdf=False)
    province = {p.name: read.docx_text(p) for p in (tmp_path / "p").glob("*.docx")}
    city = {p.name: read.docx_text(p) for p in (tmp_path / "c").glob("*.docx")}
    inspection = next(t for n, t in province.items() if "省级检查验收表" in n)
    assert f"市：{names[0]}" in inspection and "省级核查（检查验收组填写）" in inspection
    assert "县（市、区）：" not in inspection and "市级核查" not in inspection
    assert "市级填报" in inspection and "县级" not in inspection and "省级检查验收组组长" in inspection
    own = next(t for n, t in province.items() if "省级" not in n and "汇总表" not in n)
    assert "市级自查（本市填写）" in own and "市级负责人" in own and "本县" not in own
    summary = next(t for n, t in province.items() if "汇总表" in n)
    assert "序号市各轮得分" in summary
    inspection = next(t for n, t in city.items() if "市级检查验收表" in n)
    assert f"县（市、区）：{names[0]}" in inspection and "市级核查（检查验收组填写）" in inspection
    assert "县级填报" in inspection and "县级自查（本县填写）" in next(
        t for n, t in city.items() if "市级" not in n and "汇总表" not in n)
    assert "序号县（市、区）各轮得分" in next(t for n, t in city.items() if "汇总表" in n)
