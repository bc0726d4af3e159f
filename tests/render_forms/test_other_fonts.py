"""Issue 21.4: layouts that survive another PC's fonts.

Every DOCX/XLSX kind is printed by LibreOffice twice: with the fonts of this machine (fonts/fonts.conf: Fandol)
and with a second, differently metric set mapped to the same Windows names (fonts/fonts-noto.conf: Noto Serif /
Sans CJK, Fandol refused). Under both, the rules of each form hold:

- a one-page form stays one page, or continues on a 续页 that carries its header;
- no signature block alone: the page of the signatures also carries the end of the content (table rows, or at
  least two lines of text above a 署名);
- no table tail without its header: every page with rows of a table shows the table's column headings.
"""
from __future__ import annotations

import re
import shutil

import pytest

from support.issued import documents, pdf_pages_text
from support.office import ROOT, convert_to_pdf

FONT_SETS = {"fandol": ROOT / "fonts" / "fonts.conf", "noto": ROOT / "fonts" / "fonts-noto.conf"}
# kind -> (file to print, the header words every page with rows must show, a row pattern)
PROJECT = r"(XC\d\d|YL)-\d{3}"
KINDS = {
    "notice": ("notice/许百城提质办〔2023〕3号.docx", None, None),
    "更正通知": ("更正通知", None, None),
    "county plan": ("实施方案（模板）.docx", None, None),
    "报送表": ("报送表）.xlsx", None, None),
    "checklist": ("checklists/禹州市/XC01-001", "开工认定标准", r"^\d\s*\S"),
    "checklist, real length": ("stress/魏都区/YL-001", "开工认定标准", r"^\d\s*\S"),
    "city form": ("长葛市_年中市级检查验收表.docx", "项目编号", PROJECT),
    "city form, 190 rows": ("魏都区_年终市级检查验收表.docx", "项目编号", PROJECT),
    "self form, 190 rows": ("魏都区_年中自查自评表.docx", "项目编号", PROJECT),
    "self form": ("长葛市_年终自查自评表.docx", "项目编号", PROJECT),
    "ranking": ("检查验收汇总表.docx", "名次", r"^\d\s+\S+[市县区]"),
    "进度通报": ("进度通报（截至2023-12-31）.docx", None, None),
    "反馈意见函": ("反馈意见函（禹州市", None, None),
    "结果通报": ("results/tied/检查验收结果通报.docx", None, None),
    "汇总表": ("汇总表（截至2023-12-31）.xlsx", "序号", r"^\d\s+\S+[市县区]\s+\d"),
    "开工认定汇总表": ("魏都区城镇老旧小区改造开工项目认定汇总表", "项目编号", PROJECT),
    "对照表": ("对照表", "原规定", None),
}


@pytest.fixture(scope="module")
def prints(issued, tmp_path_factory):
    files = [p for p in documents(issued) if p.suffix in (".docx", ".xlsx")]
    chosen = {}
    for kind, (part, _, _) in KINDS.items():
        hit = next((p for p in files if part in str(p.relative_to(issued))), None)
        assert hit is not None, kind
        chosen[kind] = hit
    work = tmp_path_factory.mktemp("fonts")
    copies = []
    for i, p in enumerate(chosen.values()):
        copies.append(work / f"{i:02d}{p.suffix}")
        shutil.copy(p, copies[-1])
    out = {}
    for name, conf in FONT_SETS.items():
        pdfs = convert_to_pdf(copies, work / name, fontconfig=conf)
        out[name] = {kind: [t.replace("\u3000", " ") for t in pdf_pages_text(pdf)] for kind, pdf in zip(chosen, pdfs)}
    return out


def test_the_second_font_set_is_really_other():
    """The alternate config maps the Windows names to Noto and never reaches Fandol."""
    import subprocess
    env = {"FONTCONFIG_FILE": str(FONT_SETS["noto"]), "PATH": "/usr/bin:/bin"}
    for name in ("仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "FandolFang"):
        found = subprocess.run(["fc-match", name], capture_output=True, text=True, env=env).stdout
        assert "Fandol" not in found, (name, found)
    assert "Noto Serif CJK" in subprocess.run(["fc-match", "仿宋_GB2312"], capture_output=True, text=True,
                                              env=env).stdout


@pytest.mark.parametrize("fonts", list(FONT_SETS))
def test_one_page_forms_stay_one_page_or_continue_on_a_labelled_sheet(prints, fonts):
    for kind in ("checklist", "checklist, real length"):
        pages = prints[fonts][kind]
        assert len(pages) == 1 or all("续页" in p for p in pages[1:]), (kind, fonts, len(pages))
    assert len(prints[fonts]["checklist"]) == 1, fonts                        # the sample project: one page


@pytest.mark.parametrize("fonts", list(FONT_SETS))
def test_no_table_tail_without_its_header(prints, fonts):
    for kind, (_, header, row) in KINDS.items():
        if header is None or kind == "对照表":
            continue
        for n, page in enumerate(prints[fonts][kind], 1):
            rows = [ln for ln in page.splitlines() if row and re.search(row, ln.strip())]
            if rows or (row is None and page.strip()):
                assert header in page.replace(" ", ""), (kind, fonts, n)


@pytest.mark.parametrize("fonts", list(FONT_SETS))
def test_no_signature_block_alone(prints, fonts):
    for kind in ("city form", "city form, 190 rows", "self form, 190 rows", "self form"):
        last = prints[fonts][kind][-1]
        assert re.search(PROJECT, last), (kind, fonts, "signatures without a project row")
    for kind in ("checklist", "checklist, real length"):
        page = next(p for p in prints[fonts][kind] if "核查结论" in p)
        assert page.count("□符合") >= 2, (kind, fonts, "verdict without a criterion row")
    issuer = "许昌市百城建设提质工程指挥部办公室"
    for kind in ("进度通报", "反馈意见函", "结果通报", "更正通知"):
        pages = prints[fonts][kind]
        page = next(p for p in reversed(pages) if any(ln.strip().replace(" ", "") == issuer for ln in p.splitlines()))
        lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
        at = max(i for i, ln in enumerate(lines) if ln.replace(" ", "") == issuer)     # the 署名, not a letter's 标志
        body = [ln for ln in lines[:at] if ln.replace(" ", "") not in ("示例数据",)]
        assert len(body) >= 2, (kind, fonts, lines[:at + 1])


@pytest.mark.parametrize("fonts", list(FONT_SETS))
def test_duizhao_sign_off_not_alone(prints, fonts):
    """The 对照表's summary and 拟稿/审核/签发 block share the last page with a clause row, not only with the
    repeated header (LibreOffice keeps no table row with a paragraph after the table: the block is the table's
    last row, and the clause row above keeps with it)."""
    pages = [p.replace(" ", "") for p in prints[fonts]["对照表"]]
    last = pages[-1]
    assert "签发" in last and "拟稿" in last, (fonts, last[:200])
    lines = [ln for ln in last.splitlines() if ln.strip()]
    head = next(i for i, ln in enumerate(lines) if "原规定" in ln)
    summary = next(i for i, ln in enumerate(lines) if ln.startswith("参数变化"))
    assert summary - head >= 2, (fonts, lines[:summary + 1])     # at least one clause line between them
