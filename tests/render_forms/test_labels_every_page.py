"""Issue 21.5: 示例数据 / 示例草案 on every page of every document made from sample data or a draft policy, in
gaizao's own PDF and in the DOCX/XLSX as LibreOffice prints them (page header), checked page by page.

The documents are the session's build of every kind (tests/support/issued.py): the sample workbooks' forms,
the year's 通报/函/汇总表, the 2024 draft's notice, county plan and 对照表, real-length checklists that run onto a
续页, merged county volumes with their index pages.
"""
from __future__ import annotations

import shutil

import pytest

from support.issued import documents, pdf_pages_text
from support.office import convert_to_pdf

LABELS = ("示例数据", "示例草案")


def _label_of_first_page(pages: list[str]) -> str | None:
    first = pages[0].replace(" ", "")
    return next((x for x in LABELS if x in first), None)


def _unlabelled(pdf) -> list[int]:
    pages = [p.replace(" ", "") for p in pdf_pages_text(pdf)]
    label = _label_of_first_page(pages)
    return [i for i, p in enumerate(pages, 1) if label not in p] if label else []


def test_labelled_kinds_carry_the_label_on_page_one(issued):
    """The kinds made from sample data or the draft are labelled at all (else the page check would be empty)."""
    must = {"年中市级检查验收表.pdf": "示例数据", "年终自查自评表.pdf": "示例数据", "_开工认定核查表.pdf": "示例数据",
            "进度通报（截至2023-12-31）.pdf": "示例数据", "反馈意见函": "示例数据", "开工项目认定汇总表": "示例数据",
            "2024〕1号.pdf": "示例草案"}
    pdfs = [p for p in documents(issued) if p.suffix == ".pdf" and "acceptance-summary" not in str(p)]
    for part, label in must.items():
        hits = [p for p in pdfs if part in p.name]
        assert hits, part
        for p in hits:
            assert _label_of_first_page(pdf_pages_text(p)) == label, p.name


def test_every_page_of_every_labelled_pdf(issued):
    pdfs = [p for p in documents(issued) if p.suffix == ".pdf"]
    multi = [p for p in pdfs if len(pdf_pages_text(p)) > 1 and _label_of_first_page(pdf_pages_text(p))]
    # continuation pages, merged volumes' index pages and multi-page 通报 are among them
    assert any("续页" in "".join(pdf_pages_text(p)) for p in multi)
    assert any("目" in pdf_pages_text(p)[1] and "录" in pdf_pages_text(p)[1] for p in multi)
    missing = {p.name: pages for p in pdfs if (pages := _unlabelled(p))}
    assert not missing, missing


@pytest.fixture(scope="module")
def printed(issued, tmp_path_factory):
    """One DOCX/XLSX of each labelled kind printed by LibreOffice (the label lives in the page header)."""
    files = [p for p in documents(issued) if p.suffix in (".docx", ".xlsx")]
    wanted = ["魏都区_年终市级检查验收表.docx", "魏都区_年中自查自评表.docx", "进度通报（截至2023-12-31）.docx",
              "反馈意见函（禹州市", "汇总表（截至2023-12-31）.xlsx", "魏都区城镇老旧小区改造开工项目认定汇总表", "对照表-2024-draft.docx",
              "禹州市2024年城镇老旧小区改造工作实施方案（模板）.docx", "2024〕1号.docx"]
    chosen = []
    for part in wanted:
        hit = next((p for p in files if part in p.name and p.suffix in (".docx", ".xlsx")), None)
        assert hit is not None, part
        chosen.append(hit)
    stress = sorted(p for p in files if "stress" in str(p) and p.suffix == ".docx")[:3]
    work = tmp_path_factory.mktemp("labels-lo")
    copies = []
    for i, p in enumerate(chosen + stress):
        copies.append(work / f"{i:02d}{p.suffix}")
        shutil.copy(p, copies[-1])
    return dict(zip([p.name for p in chosen + stress], convert_to_pdf(copies, work)))


def test_every_page_of_the_office_print(printed):
    assert any(len(pdf_pages_text(pdf)) > 1 for pdf in printed.values())
    for name, pdf in printed.items():
        pages = [p.replace(" ", "") for p in pdf_pages_text(pdf)]
        label = "示例草案" if "2024" in name else "示例数据"
        assert all(label in p for p in pages), (name, [i for i, p in enumerate(pages, 1) if label not in p])
