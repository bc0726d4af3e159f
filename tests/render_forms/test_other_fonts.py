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


ONE_PAGE = ("checklist", "checklist, real length")                 # one-page forms: one page, or 续页
FORMS = ("city form", "city form, 190 rows", "self form, 190 rows", "self form")
SIGNED = ("进度通报", "反馈意见函", "结果通报", "更正通知")                 # 公文 closing with the 署名
ISSUER = "许昌市百城建设提质工程指挥部办公室"


def layout_rules(kind: str, pages: list[str]) -> dict[str, str | None]:
    """The layout rules of issue 21.4 that apply to ``kind``, measured on its printed pages (text per page):
    {rule: None when it holds, else what is wrong}. The tests below assert them under both font sets;
    scripts/clerk_table.py prints them in docs/clerk-table.md."""
    _, header, row = KINDS[kind]
    out: dict[str, str | None] = {}
    if kind in ONE_PAGE:
        ok = len(pages) == 1 or all("续页" in p for p in pages[1:])
        out["一页或续页"] = None if ok else f"{len(pages)} pages, a later one without 续页"
    if header is not None and kind != "对照表":
        bare = []
        for n, page in enumerate(pages, 1):
            rows = [ln for ln in page.splitlines() if row and re.search(row, ln.strip())]
            if (rows or (row is None and page.strip())) and header not in page.replace(" ", ""):
                bare.append(n)
        out["表头每页"] = None if not bare else f"rows without the header on page(s) {bare}"
    if kind in FORMS:
        out["签字栏不单独成页"] = None if re.search(PROJECT, pages[-1]) else "signatures without a project row"
    if kind in ONE_PAGE:
        page = next((p for p in pages if "核查结论" in p), "")
        out["签字栏不单独成页"] = None if page.count("□符合") >= 2 else "verdict without a criterion row"
    if kind in SIGNED:
        page = next(p for p in reversed(pages) if any(ln.strip().replace(" ", "") == ISSUER for ln in p.splitlines()))
        lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
        at = max(i for i, ln in enumerate(lines) if ln.replace(" ", "") == ISSUER)     # the 署名, not a 函's 标志
        body = [ln for ln in lines[:at] if ln.replace(" ", "") not in ("示例数据",)]
        out["署名不单独成页"] = None if len(body) >= 2 else f"署名 with {len(body)} line(s) above it"
    if kind == "对照表":
        # the summary and 拟稿/审核/签发 share the last page with a clause row, not only with the repeated header
        last = pages[-1].replace(" ", "")
        lines = [ln for ln in last.splitlines() if ln.strip()]
        head = next((i for i, ln in enumerate(lines) if "原规定" in ln), None)
        summary = next((i for i, ln in enumerate(lines) if ln.startswith("参数变化")), None)
        ok = "签发" in last and "拟稿" in last and head is not None and summary is not None and summary - head >= 2
        out["签发栏不单独成页"] = None if ok else "the sign-off block without a clause row"
    return out


def _broken(prints, fonts: str, kinds) -> list:
    return [(kind, rule, why) for kind in kinds for rule, why in layout_rules(kind, prints[fonts][kind]).items()
            if why is not None]


@pytest.mark.parametrize("fonts", list(FONT_SETS))
def test_one_page_forms_stay_one_page_or_continue_on_a_labelled_sheet(prints, fonts):
    assert not [b for b in _broken(prints, fonts, ONE_PAGE) if b[1] == "一页或续页"], fonts
    assert len(prints[fonts]["checklist"]) == 1, fonts                        # the sample project: one page


@pytest.mark.parametrize("fonts", list(FONT_SETS))
def test_no_table_tail_without_its_header(prints, fonts):
    assert not [b for b in _broken(prints, fonts, KINDS) if b[1] == "表头每页"], fonts


@pytest.mark.parametrize("fonts", list(FONT_SETS))
def test_no_signature_block_alone(prints, fonts):
    assert not [b for b in _broken(prints, fonts, ONE_PAGE + FORMS + SIGNED) if b[1].endswith("不单独成页")], fonts


@pytest.mark.parametrize("fonts", list(FONT_SETS))
def test_duizhao_sign_off_not_alone(prints, fonts):
    """The 对照表's summary and 拟稿/审核/签发 block share the last page with a clause row, not only with the
    repeated header (LibreOffice keeps no table row with a paragraph after the table: the block is the table's
    last row, and the clause row above keeps with it)."""
    assert layout_rules("对照表", prints[fonts]["对照表"]) == {"签发栏不单独成页": None}, fonts


def test_the_rules_see_each_defect():
    """Each rule fails on the defect it is for (a rule that never fails proves nothing)."""
    assert layout_rules("checklist", ["核查表 1 □符合", "核查结论 签字"])["一页或续页"]
    assert layout_rules("city form", ["项目编号\nXC01-001 a", "XC01-002 b"])["表头每页"]
    assert layout_rules("city form", ["项目编号\nXC01-001 a", "项目编号 核查人（签字）"])["签字栏不单独成页"]
    assert layout_rules("checklist", ["1 □符合", "核查结论 □符合"])["签字栏不单独成页"]
    assert layout_rules("进度通报", ["正文\n正文", f"特此通报。\n{ISSUER}\n2023年1月1日"])["署名不单独成页"]
    assert layout_rules("对照表", ["条款 原规定 修改后\n一 a b", "条款 原规定 修改后\n参数变化 1 项\n拟稿\n签发"])[
        "签发栏不单独成页"]
    assert layout_rules("对照表", ["条款 原规定\n附件 第4条 a\n参数变化 1 项\n拟稿\n签发"]) == {"签发栏不单独成页": None}
