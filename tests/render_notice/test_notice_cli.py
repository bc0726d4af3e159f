"""`gaizao render notice`: command line, template overrides, errors without tracebacks, context helpers."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from generator.render.cli import notice_cmd
from generator.render.notice import banner_fit, break_title, notice_context, text_width
from tests.render_notice.conftest import FIXTURES, pdf_words


def test_cli_writes_docx_and_pdf(tmp_path, policy2023):
    res = CliRunner().invoke(notice_cmd, ["xuchang/2023", "-o", str(tmp_path), "--no-pdf"])
    assert res.exit_code == 0, res.output
    stem = policy2023.policy.document.doc_number.value
    assert (tmp_path / f"{stem}.docx").is_file() and not (tmp_path / f"{stem}.pdf").exists()
    assert "已生成" in res.output


def test_cli_corrected_lists_the_corrections(tmp_path):
    res = CliRunner().invoke(notice_cmd, ["xuchang/2023", "-o", str(tmp_path), "--corrected", "--no-pdf",
                                          "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "3 corrections" in res.output
    assert "五、保障措施: 五 → 四" in res.output
    assert "2022年3月15日 → 2023年3月15日" in res.output


def test_unknown_policy_is_a_clear_error(tmp_path):
    res = CliRunner().invoke(notice_cmd, ["nowhere/1999", "-o", str(tmp_path)])
    assert res.exit_code == 2
    assert "错误" in res.output and "Traceback" not in res.output
    assert not list(tmp_path.iterdir())                                   # nothing half-written


def test_template_with_unknown_field_names_template_and_field(tmp_path):
    override = FIXTURES / "templates-unknown-field"
    res = CliRunner().invoke(notice_cmd, ["xuchang/2023", "-o", str(tmp_path), "--templates", str(override)])
    assert res.exit_code == 2, res.output
    assert "seal_image" in res.output and "notice.html.j2" in res.output
    assert "Traceback" not in res.output
    assert not list(tmp_path.iterdir())                                   # DOCX not written either


@pytest.mark.slow
def test_override_css_changes_the_layout(tmp_path, rendered):
    from generator.policy import load_policy
    from generator.render.notice import render_notice
    paths = render_notice(load_policy("xuchang/2023"), tmp_path, templates_dir=FIXTURES / "templates-restyled")
    pdf = next(p for p in paths if p.suffix == ".pdf")
    title = rendered["ctx"]["attachments"][0]["title_lines"][0]

    def title_top(path):
        return next(w["y0"] for w in pdf_words(path)[-1] if w["text"] == title)
    assert title_top(pdf) - title_top(rendered["pdf_path"]) == pytest.approx(225 / 22, abs=0.2)   # one line lower


def test_notice_context_fields(policy2023):
    ctx = notice_context(policy2023)
    for key in ("banner", "doc_number", "title", "title_lines", "addressee", "body", "signature", "date",
                "plan_title", "preamble", "sections", "attachment_note", "attachments", "draft_label",
                "corrections", "banner_fit"):
        assert key in ctx, key
    assert [s["heading"] for s in ctx["sections"]] == ["一、指导思想", "二、目标任务", "三、工作重点", "五、保障措施"]
    assert ctx["sections"][2]["clauses"][0]["heading"] == "（一）制定工作实施方案。"
    assert ctx["draft_label"] == "" and ctx["corrections"] == []
    assert notice_context(policy2023, corrected=True)["sections"][3]["heading"] == "四、保障措施"


def test_title_breaks_after_issuer_and_keeps_words_whole(policy2023):
    issuer = policy2023.policy.document.issuer.value
    lines = break_title(policy2023.text.get("标题").text, first_line=issuer)
    assert lines[0] == issuer
    assert lines[-1].startswith("工作实施方案")                             # not 改造工 / 作实施方案
    assert all(text_width(line) <= 19 for line in lines)
    assert break_title("短标题") == ["短标题"]


def test_banner_fits_the_type_area():
    fit = banner_fit("许昌市百城建设提质工程指挥部办公室文件")
    assert 19 * fit["size_pt"] * fit["scale"] <= 156 / 25.4 * 72
    assert 0.6 <= fit["scale"] <= 0.8
    assert banner_fit("某某市人民政府文件") == {"size_pt": 42, "scale": 1.0}


def test_signature_centred_over_the_date():
    from generator.render.notice import seal_layout
    short = seal_layout("某某市人民政府", "2023年2月14日")                # 7 chars over a 6.5-char date
    assert short["date_right_chars"] == 4
    assert short["signature_right_chars"] == pytest.approx(4 + 6.5 / 2 - 7 / 2)
    # 17 characters cannot be centred over a date 右空四字: the 署名 keeps 右空二字, the date moves under its centre
    long = seal_layout("许昌市百城建设提质工程指挥部办公室", "2023年2月14日")
    assert long["signature_right_chars"] == 2
    assert long["date_right_chars"] == pytest.approx(2 + 17 / 2 - 6.5 / 2)


@pytest.mark.slow
def test_pdf_fetches_nothing_outside_templates(tmp_path):
    """A template that links the network or a local file outside templates/ is refused, not fetched."""
    override = FIXTURES / "templates-network"
    res = CliRunner().invoke(notice_cmd, ["xuchang/2023", "-o", str(tmp_path), "--templates", str(override)])
    assert res.exit_code == 2, res.output
    assert "PDF" in res.output and "Traceback" not in res.output
    assert not list(tmp_path.iterdir())


def test_file_name_from_doc_number_cannot_leave_the_folder(policy2023):
    from generator.render.notice import output_stem
    stem = output_stem(policy2023, {"doc_number": "../许百城/提质办〔2023〕3号", "corrected": True})
    assert "/" not in stem and not stem.startswith(".")
    assert stem.endswith("（勘误版）")
