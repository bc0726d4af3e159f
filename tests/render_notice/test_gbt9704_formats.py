"""Issue 21.2: GB/T 9704 complete where it applies.

- 版记 [std 7.4] on the notice, the 通报 and the 更正通知: 抄送 where given, the 印发机关 and 印发日期 line, rules
  of 0.35 / 0.25 mm across the 版心, the last rule on the 版心 bottom (262 mm from the paper top) of the last page;
  in the PDF and in the DOCX as LibreOffice prints it.
- 信函格式 [std 10.1] for the 反馈意见函: the issuer's full name (no 文件), a red double line, the 文号 flush right, no
  印发 line and no 版记 rules; page 1 unnumbered.
- The erratum as its own 更正通知: a 文号 field of its own, citing the original 文号 and each correction, 署名, date.
- The 署名 never alone with one line of text on its page [std 7.3.5.1], at every length.
Expected values are the standard's numbers and the policy's own texts.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil

import pdfplumber
import pytest

from support.office import convert_to_pdf

MM = 25.4 / 72
BOTTOM_MM = 297 - 35                 # the 版心 bottom edge [std 5.2.1]
LEFT_MM, RIGHT_MM = 28, 210 - 26


def _rules(page, colour=None):
    """Horizontal rules on a page as (top mm, x0 mm, x1 mm, thickness mm, colour)."""
    out = []
    for r in page.rects + page.lines:
        w, h = (r["x1"] - r["x0"]) * MM, (r["bottom"] - r["top"]) * MM
        if w > 100 and h < 2:
            col = r.get("non_stroking_color") or r.get("stroking_color")
            out.append((r["top"] * MM, r["x0"] * MM, r["x1"] * MM, h, col))
    return sorted(out)


def _is_red(col) -> bool:
    return isinstance(col, (list, tuple)) and len(col) == 3 and col[0] > 0.8 and col[1] < 0.3 and col[2] < 0.3


def _lines(page):
    return [(ln["text"].replace(" ", ""), ln["top"] * MM, ln["bottom"] * MM, ln["x0"] * MM, ln["x1"] * MM)
            for ln in page.extract_text_lines()]


@pytest.fixture(scope="module")
def docs(policy2023, tmp_path_factory):
    """The notice, a 通报 with 抄送, the 反馈意见函 with 抄送 and the 更正通知: gaizao's PDF and LibreOffice's print."""
    from generator.render.notice import correction_notice, render_notice
    from generator.render.ranking import rank
    from generator.render import official
    from generator.reports.fankui import fankui
    from generator.reports.tongbao import results_tongbao
    out = tmp_path_factory.mktemp("gbt")
    paths = {p.suffix: p for p in render_notice(policy2023, out / "notice")}
    scores = {"mid-year": {"禹州市": 90, "长葛市": 85, "襄城县": 80, "魏都区": 95, "建安区": 70},
              "year-end": {"禹州市": 88, "长葛市": 92, "襄城县": 75, "魏都区": 90, "建安区": 93}}
    r = rank(policy2023.policy, scores, {"mid-year": 0.4, "year-end": 0.6}, weights_source="user")
    tongbao = results_tongbao(policy2023, r, date=dt.date(2024, 1, 10))
    tongbao.cc = ["市住房和城乡建设局", "市财政局"]
    letter = fankui(policy2023, "禹州市", [], date=dt.date(2024, 1, 12))
    letter.cc = ["市住房和城乡建设局"]
    erratum = correction_notice(policy2023, date=dt.date(2023, 3, 1))
    found = {"notice": paths}
    for name, doc in (("tongbao", tongbao), ("letter", letter), ("erratum", erratum)):
        found[name] = {p.suffix: p for p in official.write(doc, out / name, name)}
        found[name]["doc"] = doc
    work = out / "lo"
    work.mkdir()
    copies = []
    for name in ("notice", "tongbao", "letter", "erratum"):
        copies.append(work / f"{name}.docx")
        shutil.copy(found[name][".docx"], copies[-1])
    for name, pdf in zip(("notice", "tongbao", "letter", "erratum"), convert_to_pdf(copies, work)):
        found[name]["lo"] = pdf
    return found


ANY = object()          # colophon_on_last_page: whatever 印发日期 or 抄送 the document gives


def colophon_on_last_page(pdf, printer: str, printed, cc):
    """The 版记 [std 7.4] on the last page of ``pdf``, asserted (scripts/clerk_table.py measures with it too).
    ``printed``: the 印发日期 text, or ANY; ``cc``: the 抄送 line, None for none, or ANY."""
    with pdfplumber.open(str(pdf)) as d:
        page = d.pages[-1]
        lines = _lines(page)
        rules = [r for r in _rules(page) if not _is_red(r[4])]
    last = next(ln for ln in lines if ln[0].endswith("印发"))
    if printed is ANY:
        assert last[0].startswith(printer) and re.fullmatch(r"[\d\u3000]*年[\d\u3000]*月[\d\u3000]*日印发",
                                                             last[0][len(printer):]), last[0]
    else:
        assert last[0] == printer + printed, last[0]                     # 印发机关 … 印发日期印发 [std 7.4.3]
    if cc is ANY:
        cc = next((ln[0] for ln in lines if ln[0].startswith("抄送：")), None)
    assert last[3] < LEFT_MM + 14 * 25.4 / 72 + 3                         # 左空一字
    assert last[4] > RIGHT_MM - 14 * 25.4 / 72 - 3                        # 右空一字
    if cc:
        line = next(ln for ln in lines if ln[0].startswith("抄送："))
        assert line[0] == cc and line[1] < last[1]                        # above the 印发 line [std 7.4.2]
    first = min(ln[1] for ln in lines if ln[0].startswith("抄送：") or ln[0].endswith("印发"))
    rules = [r for r in rules if r[0] > first - 6]                        # the 版记's, not a table's above it
    # the last rule on the 版心 bottom (±3 mm: LibreOffice places the float by its own line heights)
    assert rules, "no 版记 rules"
    assert abs(rules[-1][0] - BOTTOM_MM) < 3, rules[-1]
    assert len(rules) == (3 if cc else 2)                                 # first, (between), last
    assert all(abs((r[2] - r[1]) - 156) < 6 for r in rules)              # across the 版心
    assert last[2] < rules[-1][0] + 0.5 and not any(ln[1] > rules[-1][0] and "—" not in ln[0] for ln in lines)


def test_notice_has_its_colophon(docs, policy2023):
    issuer = policy2023.policy.document.issuer.value
    for pdf in (docs["notice"][".pdf"], docs["notice"]["lo"]):
        colophon_on_last_page(pdf, issuer, "2023年2月14日印发", None)


def test_tongbao_colophon_with_cc(docs, policy2023):
    issuer = policy2023.policy.document.issuer.value
    for pdf in (docs["tongbao"][".pdf"], docs["tongbao"]["lo"]):
        colophon_on_last_page(pdf, issuer, "2024年1月10日印发", "抄送：市住房和城乡建设局，市财政局。")


def test_erratum_is_its_own_correction_notice(docs, policy2023):
    issuer = policy2023.policy.document.issuer.value
    for pdf in (docs["erratum"][".pdf"], docs["erratum"]["lo"]):
        colophon_on_last_page(pdf, issuer, "2023年3月1日印发", None)
        with pdfplumber.open(str(pdf)) as d:
            text = "".join(p.extract_text() for p in d.pages).replace(" ", "").replace("\n", "")
        assert "许百城提质办〔〕号" in text                                # a 文号 field of its own, not 〔2023〕3号 re-issued
        assert "（许百城提质办〔2023〕3号，以下简称《方案》）" in text          # cites the original
        # each correction as printed and as corrected (from the policy's recorded errata, by hand)
        assert "“三（二）拟定小区改造方案”中的“2022年3月15日”更正为“2023年3月15日”" in text
        assert "“五、保障措施”中的“五”更正为“四”" in text
        assert "“三（五）做好工作督导验收”中的“《按照2023年许昌市重点民生实事考核办法》”更正为“按照《2023年许昌市重点民生实事考核办法》”" in text
        assert f"特此通知。{issuer}2023年3月1日" in text                    # 署名 and date
        assert "原文印为" not in text and "显系" not in text                 # the office's reasons are not issued


def test_a_blank_printed_date_keeps_the_colophon_on_one_line(policy2023, tmp_path):
    """Without a date the 印发 line holds the 印发机关 and a blank to fill, on one line: the 成文日期's long blank
    pushed "印发" onto a line of its own in LibreOffice's print (measured on the build's 更正通知 and 通报)."""
    from generator.render import official
    from generator.render.notice import correction_notice
    issuer = policy2023.policy.document.issuer.value
    paths = {p.suffix: p for p in official.write(correction_notice(policy2023), tmp_path, "erratum")}
    (lo,) = convert_to_pdf([paths[".docx"]], tmp_path / "lo")
    for pdf in (paths[".pdf"], lo):
        colophon_on_last_page(pdf, issuer, "年月日印发", None)     # the blank's spaces are no text in the PDF


def letter_format(pdf, issuer: str) -> None:
    """信函格式 [std 10.1] of ``pdf``, asserted (scripts/clerk_table.py measures with it too)."""
    with pdfplumber.open(str(pdf)) as d:
        page = d.pages[0]
        lines = [ln for ln in _lines(page) if ln[0] not in ("示例数据",)]
        rules = _rules(page)
        text = "".join(p.extract_text() for p in d.pages)
        numbers = [ln for p in d.pages for ln in _lines(p) if re.fullmatch(r"—\d+—", ln[0])]
        black = [r for r in _rules(d.pages[-1]) if not _is_red(r[4])]
        cc = [ln for ln in _lines(d.pages[-1]) if ln[0].startswith("抄送：")]
    assert lines[0][0] == issuer                                          # 发文机关全称, no 文件 [std 10.1]
    red = [r for r in rules if _is_red(r[4])]
    top = [r for r in red if r[0] < lines[0][2] + 12]                     # under the name
    bottom = [r for r in red if r[0] > 297 - 25]                          # 20 mm above the paper bottom
    assert len(top) >= 2 and len(bottom) >= 2, red                        # double lines
    assert all(abs((r[2] - r[1]) - 170) < 4 for r in top + bottom)        # 170 mm
    number = next(ln for ln in lines if ln[0].startswith("许百城提质办"))
    assert number[4] > RIGHT_MM - 3 and number[3] > 105                     # 文号 flush right
    assert "印发" not in text.replace("印发的", "")                         # no 印发机关和印发日期 line
    # no black 版记 rules: none at the foot of the 版心 of the last page, none around a 抄送 line (a table of
    # the letter's own has its rules higher up)
    assert not [r for r in black if r[0] > BOTTOM_MM - 15 or any(ln[1] - 8 < r[0] < ln[2] + 8 for ln in cc)]
    assert not any(n[0] == "—1—" for n in numbers)                        # page 1 unnumbered


def test_letter_format(docs, policy2023):
    issuer = policy2023.policy.document.issuer.value
    for pdf in (docs["letter"][".pdf"], docs["letter"]["lo"]):
        letter_format(pdf, issuer)
        with pdfplumber.open(str(pdf)) as d:
            text = "".join(p.extract_text() for p in d.pages)
        assert "抄送：市住房和城乡建设局。" in text.replace(" ", "")


def test_signature_never_alone_with_one_line(policy2023, tmp_path):
    """Pad a 通报 one line at a time over a whole page (22 lines): wherever the 署名 falls, its page holds at least
    two lines of the text above it (PDF, and the DOCX as LibreOffice prints it)."""
    from generator.render import official
    from generator.reports.tongbao import results_tongbao
    from generator.render.ranking import rank
    scores = {"mid-year": {"禹州市": 90, "长葛市": 85, "襄城县": 80, "魏都区": 95, "建安区": 70},
              "year-end": {"禹州市": 88, "长葛市": 92, "襄城县": 75, "魏都区": 90, "建安区": 93}}
    r = rank(policy2023.policy, scores, {"mid-year": 0.4, "year-end": 0.6}, weights_source="user")
    issuer = policy2023.policy.document.issuer.value
    pdfs, docx = [], []
    for n in range(22):
        doc = results_tongbao(policy2023, r)
        doc.blocks[-1:-1] = ["补充一行。"] * n                       # one-line paragraphs: the 署名 moves one line
        written = official.write(doc, tmp_path / f"n{n}", f"n{n:02d}")
        pdfs += [p for p in written if p.suffix == ".pdf"]
        docx += [p for p in written if p.suffix == ".docx"]
    work = tmp_path / "lo"
    work.mkdir()
    copies = []
    for p in docx:
        copies.append(work / p.name)
        shutil.copy(p, copies[-1])
    for pdf in pdfs + convert_to_pdf(copies, work):
        with pdfplumber.open(str(pdf)) as d:
            for page in d.pages:
                lines = [ln[0] for ln in _lines(page)]
                if issuer in lines:
                    above = lines[:lines.index(issuer)]
                    body = [x for x in above if x not in ("示例数据",)]
                    assert len(body) >= 2, (pdf.name, lines)
