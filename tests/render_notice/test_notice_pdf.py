"""The notice PDF: seed text reproduced, A4, fonts embedded, page numbers placed, text inside the 版心."""
from __future__ import annotations

import re
import subprocess

import pytest

from tests.render_notice.conftest import pdf_text, pdf_words, similarity, without_page_numbers

A4_PT = (595.28, 841.89)
TYPE_AREA = (28.0, 37.0, 184.0, 262.0)            # 版心 x0, y0, x1, y1 in mm [std 5.2.1]
TOLERANCE = 1.0                                    # mm (ink overhang, rounding)


@pytest.fixture(scope="module")
def pages(rendered):
    return pdf_words(rendered["pdf_path"])


@pytest.mark.slow
def test_pdf_reproduces_seed_text(rendered, seed_text):
    # the seed (a scan of the text) has no 版记: its 印发 line is left out as the page numbers are
    ctx = rendered["ctx"]
    text = re.sub(r"\s+", "", without_page_numbers(pdf_text(rendered["pdf_path"])))
    assert text.endswith(ctx["issuer"] + ctx["date"] + "印发")
    text = text[:-len(ctx["issuer"] + ctx["date"] + "印发")]
    ratio = similarity(seed_text, text)
    print(f"PDF similarity to the seed text: {ratio:.4f}")
    assert ratio >= 0.995


def test_a4_pages_and_metadata(rendered, policy2023):
    from pypdf import PdfReader
    reader = PdfReader(rendered["pdf_path"])
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_PT, abs=0.5)
    info = reader.metadata
    assert info["/Author"] == policy2023.policy.document.issuer.value
    assert policy2023.policy.document.doc_number.value in info["/Keywords"]
    assert policy2023.content_hash in info["/gaizaomanifest"]
    assert "/CreationDate" not in info and "/ModDate" not in info


def test_all_fonts_embedded(rendered):
    out = subprocess.run(["pdffonts", str(rendered["pdf_path"])], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows and all(r.split()[-5] == "yes" for r in rows), out
    assert "FandolFang" in out and "FandolHei" in out and "FandolKai" in out


def _page_number(words):
    """The '— N —' words of one page: (number, x0, x1, top) in mm."""
    low = [w for w in words if w["y0"] > TYPE_AREA[3]]
    text = " ".join(w["text"] for w in low)
    m = re.fullmatch(r"— (\d+) —", text)
    assert m, text
    return int(m.group(1)), min(w["x0"] for w in low), max(w["x1"] for w in low), min(w["y0"] for w in low)


def test_page_numbers_odd_right_even_left(pages):
    assert len(pages) >= 4
    for i, words in enumerate(pages, start=1):
        number, x0, x1, top = _page_number(words)
        assert number == i
        if i % 2:
            assert x1 == pytest.approx(210 - 26 - 4.94, abs=1.5)          # odd: right, 1 字 (14 pt) in
        else:
            assert x0 == pytest.approx(28 + 4.94, abs=1.5)               # even: left, 1 字 in
        assert TYPE_AREA[3] + 4 < top < TYPE_AREA[3] + 9                # just below the 版心


def test_text_inside_type_area(pages):
    x0, y0, x1, y1 = TYPE_AREA
    for i, words in enumerate(pages, start=1):
        body = [w for w in words if w["y0"] <= y1]
        assert body, f"page {i} has no text"
        for w in body:
            assert x0 - TOLERANCE <= w["x0"] and w["x1"] <= x1 + TOLERANCE, (i, w)
            assert y0 - TOLERANCE <= w["y0"] and w["y1"] <= y1 + TOLERANCE, (i, w)


def test_first_page_has_header_addressee_and_body(pages, rendered):
    ctx = rendered["ctx"]
    first = "".join(w["text"] for w in pages[0])
    for part in (ctx["banner"], ctx["doc_number"], ctx["addressee"], ctx["body"][0][:20], ctx["date"]):
        assert part in first, part


@pytest.mark.slow
def test_banner_red_and_at_72mm(rendered, tmp_path):
    from PIL import Image
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", str(rendered["pdf_path"]),
                    str(tmp_path / "p")], check=True)
    im = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    px, (wd, ht) = im.load(), im.size
    mm = 25.4 / 100
    red_rows = [y for y in range(ht) if any(px[x, y][0] > 200 and px[x, y][1] < 80 and px[x, y][2] < 80
                                            for x in range(0, wd, 2))]
    assert red_rows[0] * mm == pytest.approx(72, abs=1.0)                # 标志 top [std 7.2.4]
    red = lambda x, y: px[x, y][0] > 200 and px[x, y][1] < 80 and px[x, y][2] < 80  # noqa: E731
    rule = max((y for y in red_rows if y * mm > 100), key=lambda y: sum(red(x, y) for x in range(wd)))
    xs = [x for x in range(wd) if red(x, rule)]
    assert (max(xs) - min(xs)) * mm == pytest.approx(156, abs=1.5)      # red rule as wide as the 版心


def test_plan_and_attachment_on_own_pages(pages, rendered):
    ctx = rendered["ctx"]
    starts = ["".join(w["text"] for w in words if w["y0"] <= TYPE_AREA[3])[:30] for words in pages]
    plan_page = next(i for i, s in enumerate(starts) if s.startswith(ctx["plan_title"][:10]))
    assert plan_page == 1
    attachment = ctx["attachments"][0]
    last = starts[-1]
    assert last.startswith(attachment["label"] + attachment["title"].replace("\n", ""))
    before = "".join(w["text"] for w in pages[-2])
    assert ctx["attachment_note"] in before


@pytest.mark.slow
def test_corrected_render(rendered_corrected, policy2023):
    assert rendered_corrected[".pdf"].name.endswith("（勘误版）.pdf")
    body = re.sub(r"\s+", "", pdf_text(rendered_corrected[".pdf"]))
    assert "四、保障措施" in body and "五、保障措施" not in body
    assert "2023年3月15日前完成改造方案制定" in body and "2022年3月15日" not in body
    assert "勘误说明" not in body              # no unsigned list appended: the 更正通知 is issued (issue 21.2)
    errata = re.sub(r"\s+", "", pdf_text(rendered_corrected["correction_notice"][".pdf"]))
    assert "“五、保障措施”中的“五”更正为“四”" in errata and "更正为“2023年3月15日”" in errata
    from tests.render_notice.conftest import docx_text
    dtext = docx_text(rendered_corrected[".docx"].read_bytes())
    assert "四、保障措施" in dtext and "勘误说明" not in dtext


@pytest.mark.slow
def test_rare_characters_render_with_fallback_font(rendered_rare, rare_policy):
    text = pdf_text(rendered_rare[".pdf"])
    issuer = rare_policy.policy.document.issuer.value
    assert issuer + "文件" in text.replace("\n", "")
    assert "示例草案" in text                                           # draft marked on the page
    fonts = subprocess.run(["pdffonts", str(rendered_rare[".pdf"])], capture_output=True, text=True).stdout
    assert "Noto-Serif-CJK-SC" in fonts.replace(" ", "-")                # 镕 喆 come from Noto, not tofu


def test_full_pages_hold_22_lines(pages):
    """[std 5.2.3] 22 lines a page: the plan's full pages (not the first, last or attachment page)."""
    for words in pages[2:-2]:
        tops = {round(w["y0"], 1) for w in words if w["y0"] <= TYPE_AREA[3]}
        assert len(tops) == 22
        pitches = sorted(b - a for a, b in zip(sorted(tops), sorted(tops)[1:]))
        assert pitches[len(pitches) // 2] == pytest.approx(225 / 22, abs=0.05)


def test_page_number_dash_7mm_below_type_area(rendered, tmp_path):
    """[std 7.5] the dash's top 7 mm below the 版心 (269 mm from the top), measured on the raster."""
    from PIL import Image
    dpi, top_px = 300, 3090                                              # strip from 261.6 mm down
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-y", str(top_px), "-H", "250",
                    "-x", "0", "-W", "2480", str(rendered["pdf_path"]), str(tmp_path / "strip")], check=True)
    im = Image.open(next(tmp_path.glob("strip*.png"))).convert("L")
    px, (wd, ht), mm = im.load(), im.size, 25.4 / dpi
    ink_cols = [x for x in range(wd) if any(px[x, y] < 128 for y in range(ht))]
    dash = range(ink_cols[0], ink_cols[0] + int(4 / mm))                 # the leading "—"
    rows = [y for y in range(ht) if any(px[x, y] < 128 for x in dash)]
    assert (top_px + rows[0]) * mm == pytest.approx(269, abs=1.0)
