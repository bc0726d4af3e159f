"""The documents from the register (10B's renderers, fed by the register's data)."""
import datetime as dt

import pytest


@pytest.fixture(scope="module")
def written(year_register, policy2023, tmp_path_factory):
    from generator.register.documents import write_documents
    out = tmp_path_factory.mktemp("docs")
    return out, write_documents(year_register, policy2023, policy2023.policy.year_end, out, due_day=5, pdf=False)


def docx_text(path) -> str:
    from docx import Document
    d = Document(path)
    cells = [c.text for t in d.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


@pytest.mark.slow
def test_every_document_is_written(written):
    out, w = written
    names = {p.name for p in w.paths}
    assert any(n.startswith("汇总表") and n.endswith(".xlsx") for n in names)
    assert any(n.startswith("进度通报") and n.endswith(".docx") for n in names)
    assert {n.split("城镇")[0] for n in names if "开工项目认定汇总表" in n} == {"禹州市", "建安区"}
    # only the county with findings (its July rewrite, its slipped planned start) gets a letter
    assert [n for n in names if n.startswith("反馈意见函")] == ["反馈意见函（禹州市，截至2023-12-31）.docx"]
    assert all(p.is_file() and p.stat().st_size > 0 for p in w.paths)


@pytest.mark.slow
def test_bulletin_lists_the_missed_month_and_the_rewrite_the_letter_only_what_can_be_corrected(written):
    out, w = written
    tongbao = docx_text(next(p for p in w.paths if p.name.startswith("进度通报")))
    assert "建安区" in tongbao and "8月" in tongbao and "漏报" in tongbao
    # the July rewrite of June's start is 错报 in the 通报 (both values), not a correction the letter asks for
    assert "错报" in tongbao and "2023-05-20" in tongbao and "2023-07-02" in tongbao
    letter = docx_text(next(p for p in w.paths if p.name.startswith("反馈意见函")))
    assert "2023-05-20" not in letter and "计划开工日期" in letter


def test_without_a_due_day_the_duties_are_asked_for_not_invented(year_register, policy2023, tmp_path):
    from generator.register.documents import write_documents
    w = write_documents(year_register, policy2023, dt.date(2023, 5, 31), tmp_path, pdf=False, kaigong=False)
    assert any("--monthly-due-day" in n for n in w.notes)
    tongbao = docx_text(next(p for p in w.paths if p.name.startswith("进度通报")))
    assert "漏报" not in tongbao
