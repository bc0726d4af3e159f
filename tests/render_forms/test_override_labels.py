"""Issue 21.5 for layouts gaizao does not own: a bureau's own checklist HTML/CSS (--templates) may print 示例数据
once, never, under a black page or off the page. The pipeline draws the label itself, last, on every page of
every PDF such a template lays out (single forms and the merged county volume with its cover and index), and
never on a PDF of real data. Checked page by page with pypdf (the text) and in the rendered image (red ink in
the page's top-right corner, on top of whatever the template painted there)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample-禹州市.xlsx"
NOTE = "示例数据"

# Hostile: no label anywhere, the margin boxes emptied, zero page margins, a black page under everything, a
# smaller landscape page, each form over three pages, an index of several pages in a merged volume.
HOSTILE_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"/><title>x</title></head>
<body>
<div class="black"></div>
{% if merged %}<section class="index"><h2>目录</h2>
{% for p in projects %}""" + "<p>{{ p.id }} {{ p.name }}</p>" * 12 + """{% endfor %}
</section>{% endif %}
{% for p in projects %}
<section class="sheet"><h1>本局自定核查表 {{ p.id }}</h1>
<p>{{ p.name }}</p><p class="next">第二页</p><p class="next">第三页</p></section>
{% endfor %}
</body></html>
"""
HOSTILE_CSS = """@page { size: A5 landscape; margin: 0;
        @top-right { content: none } @top-left { content: none } @top-center { content: none } }
@page :first { margin: 0 }
html { font: 12pt "FandolFang", serif; color: #fff; }
.black { position: fixed; top: -20mm; left: -20mm; width: 300mm; height: 300mm; background: #000; z-index: 99 }
.sheet, .index { break-before: page } .next { break-before: page }
p.label, .label { display: none }
"""


def _override(tmp_path: Path) -> Path:
    root = tmp_path / "ours"
    (root / "checklist").mkdir(parents=True)
    (root / "checklist" / "checklist.html").write_text(HOSTILE_HTML, encoding="utf-8")
    (root / "checklist" / "checklist.css").write_text(HOSTILE_CSS, encoding="utf-8")
    return root


def _render(workbook: Path, templates: Path, out: Path) -> list[Path]:
    r = CliRunner().invoke(main, ["render", "checklists", str(workbook), "--policy", "xuchang/2023", "--templates",
                                  str(templates), "--pdf", "--merge", "-o", str(out)])
    assert r.exit_code == 0, r.output
    pdfs = sorted(out.rglob("*.pdf"))
    assert pdfs
    return pdfs


def _red_in_top_right(pdf: Path, page: int, tmp: Path) -> int:
    """Red pixels in the top-right 60 × 25 mm of a page rendered at 50 dpi."""
    from PIL import Image
    stem = tmp / f"p{page}"
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(stem)], check=True)
    img = Image.open(f"{stem}.png").convert("RGB")
    w, _ = img.size
    px = 50 / 25.4
    box = img.crop((int(w - 60 * px), 0, w, int(25 * px)))
    raw = box.tobytes()
    return sum(1 for k in range(0, len(raw), 3) if raw[k] > 150 and raw[k + 1] < 90 and raw[k + 2] < 90)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile-override")
    return _render(SAMPLE, _override(tmp), tmp / "out"), tmp


@pytest.mark.slow
def test_every_page_of_a_hostile_override_carries_the_label(hostile):
    pdfs, tmp = hostile
    merged = [p for p in pdfs if "_" in p.stem and not p.stem.startswith(("XC", "YL"))]
    assert merged and len(pdfs) > len(merged)                     # single forms and the county volume
    for pdf in pdfs:
        reader = pypdf.PdfReader(str(pdf))
        assert len(reader.pages) >= 3, pdf.name                     # the template's own three pages a form
        for n, page in enumerate(reader.pages, 1):
            assert NOTE in page.extract_text().replace(" ", ""), (pdf.name, n)
    volume = merged[0]
    pages = len(pypdf.PdfReader(str(volume)).pages)
    for n in range(1, pages + 1):                                  # on top of the template's black page
        assert _red_in_top_right(volume, n, tmp) > 20, (volume.name, n)


@pytest.mark.slow
def test_the_override_keeps_its_own_metadata_and_is_reproducible(hostile, tmp_path):
    pdfs, _ = hostile
    again = _render(SAMPLE, _override(tmp_path), tmp_path / "again")
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in pdfs]
    title = pypdf.PdfReader(str(pdfs[-1])).metadata.get("/Title", "")
    assert "开工认定核查表" in title


@pytest.mark.slow
def test_real_data_gets_no_label(tmp_path):
    """A workbook that is not sample data: the pipeline draws nothing."""
    import openpyxl
    real = tmp_path / "禹州市.xlsx"
    wb = openpyxl.load_workbook(SAMPLE)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and NOTE in c.value:
                    c.value = c.value.replace(f"（{NOTE}）", "").replace(NOTE, "虚构数据")
    wb.save(real)
    pdfs = _render(real, _override(tmp_path), tmp_path / "out")
    for pdf in pdfs:
        assert not any(NOTE in p.extract_text() for p in pypdf.PdfReader(str(pdf)).pages), pdf.name


@pytest.mark.slow
def test_the_stamp_follows_the_page_size_and_keeps_fonts_once(tmp_path):
    """One stamp per page size, its font written once however many pages (not one copy per page)."""
    import io

    from generator.render.forms_pdf import label_every_page, render_document
    html = "<html><body>" + "".join(f'<p style="break-after: page">{i}</p>' for i in range(40)) + "</body></html>"
    pdf = render_document(html, "@page { size: 200mm 100mm; margin: 0 }").write_pdf()
    out = label_every_page(pdf, NOTE)
    reader = pypdf.PdfReader(io.BytesIO(out))
    assert all(NOTE in p.extract_text() for p in reader.pages)
    assert all(abs(float(p.mediabox.width) - 200 * 72 / 25.4) < 0.5 for p in reader.pages)
    (tmp_path / "s.pdf").write_bytes(out)
    fonts = subprocess.run(["pdffonts", str(tmp_path / "s.pdf")], capture_output=True, text=True).stdout
    assert fonts.count("Hei") == 1, fonts
    assert label_every_page(pdf, "") == pdf


# -- a bureau's own DOCX form (acceptance): the labels in every page header, whatever its headers hold ----------
def _docx_override(tmp_path: Path, how: str) -> Path:
    """The bundled city form with its headers emptied of every label ("blank"), or with no header at all
    ("none": the header references removed from every section)."""
    import re
    import zipfile
    src = ROOT / "templates" / "acceptance" / "city_inspection.docx"
    root = tmp_path / f"own-{how}"
    (root / "acceptance").mkdir(parents=True)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(root / "acceptance" / "city_inspection.docx", "w",
                                                     zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if how == "blank" and re.fullmatch(r"word/header\d*\.xml", item.filename):
                xml = data.decode("utf-8")
                data = re.sub(r"(<w:hdr\b[^>]*>).*(</w:hdr>)", r"\1<w:p/>\2", xml, flags=re.S).encode("utf-8")
            if how == "none" and item.filename == "word/document.xml":
                data = re.sub(rb"<w:headerReference\b[^>]*/>", b"", data)
            zout.writestr(item, data)
    return root


@pytest.mark.parametrize("how", ["blank", "none"])
def test_a_bureau_docx_form_gets_the_label_in_every_page_header(tmp_path, how):
    from docx import Document
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["render", "acceptance", "xuchang/2023", "--round", "mid-year", "--county", "禹州市",
                                  "--plan", str(SAMPLE), "--templates", str(_docx_override(tmp_path, how)),
                                  "-o", str(out), "--no-pdf"])
    assert r.exit_code == 0, r.output
    city = next(p for p in out.rglob("*.docx") if "检查验收表" in p.name and "自查" not in p.name)
    import re
    import zipfile
    with zipfile.ZipFile(city) as z:
        document = z.read("word/document.xml").decode("utf-8")
        rels = z.read("word/_rels/document.xml.rels").decode("utf-8")
        for rid in set(re.findall(r'<w:headerReference [^>]*r:id="([^"]+)"', document)):
            target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels).group(1)
            assert NOTE in z.read(f"word/{target}").decode("utf-8"), (how, target)
    assert Document(str(city)).sections[0].header.paragraphs            # python-docx still reads it
    # printed: every page carries it (LibreOffice, as a bureau prints the DOCX)
    from support.office import convert_to_pdf
    pdf = convert_to_pdf([city], tmp_path / "lo")[0]
    pages = [p.extract_text() or "" for p in pypdf.PdfReader(pdf).pages]
    assert len(pages) >= 2 and all(NOTE in t for t in pages), [NOTE in t for t in pages]


def test_a_bureau_docx_form_of_real_data_gets_no_label(tmp_path):
    from docx import Document
    real = tmp_path / "real.xlsx"
    from openpyxl import load_workbook
    wb = load_workbook(SAMPLE)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and NOTE in c.value:
                    c.value = c.value.replace(NOTE, "")
    wb.save(real)
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["render", "acceptance", "xuchang/2023", "--round", "mid-year", "--county", "禹州市",
                                  "--plan", str(real), "--templates", str(_docx_override(tmp_path, "none")),
                                  "-o", str(out), "--no-pdf"])
    assert r.exit_code == 0, r.output
    for f in out.rglob("*.docx"):
        doc = Document(str(f))
        assert all(NOTE not in "".join(p.text for p in s.header.paragraphs) for s in doc.sections)
