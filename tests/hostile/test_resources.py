"""Issue 18, item 1: no resource outside the template pack reaches a document.

A template pack (``--templates DIR``) names files, URLs and data: resources; the PDF renderer resolves only
files of the bundled templates (and of the pack) and data: images. Everything else is refused with one located
line (exit 2), no traceback, and no document is written, so nothing of /etc/passwd can ride out in a PDF.
"""
from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
PASSWD = Path("/etc/passwd")
# a 1x1 PNG
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def run(args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _pack(tmp_path: Path, body: str = "", css: str = "") -> Path:
    """A template pack whose notice HTML carries ``body`` right after <body> and ``css`` in a <style>."""
    pack = tmp_path / "pack"
    (pack / "notice").mkdir(parents=True)
    src = (TEMPLATES / "notice" / "notice.html.j2").read_text(encoding="utf-8")
    head = f"<style>{css}</style>" if css else ""
    src = src.replace("<body>", f"{head}<body>{body}", 1)
    (pack / "notice" / "notice.html.j2").write_text(src, encoding="utf-8")
    return pack


def _refused(res, out: Path, *words: str) -> None:
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    for w in words:
        assert w in res.output, res.output
    assert "notice.html.j2" in res.output          # located: the template that names the resource
    written = list(out.rglob("*")) if out.exists() else []
    assert not [p for p in written if p.suffix == ".pdf"], written
    for p in written:
        if p.is_file():
            data = p.read_bytes()
            assert b"/EmbeddedFile" not in data and b"root:x:0:0" not in data


def _traversal_url() -> str:
    # file:///…/templates/../../../../etc/passwd: starts with the templates folder, ends outside it
    ups = "/".join([".."] * (len(TEMPLATES.resolve().parts) + 1))
    return TEMPLATES.resolve().as_uri() + "/" + ups + "/etc/passwd"


# -- the CLI: render notice --templates ------------------------------------------------------------------------
@pytest.mark.slow
def test_attachment_of_etc_passwd_through_dotdot_is_refused(tmp_path):
    pack = _pack(tmp_path, f'<a rel="attachment" href="{_traversal_url()}">附件</a>')
    out = tmp_path / "out"
    res = run(["render", "notice", "--templates", pack, "-o", out])
    _refused(res, out, "模板包以外的文件", "已拒绝")


@pytest.mark.slow
def test_attachment_of_etc_passwd_in_english(tmp_path):
    pack = _pack(tmp_path, '<a rel="attachment" href="file:///etc/passwd">x</a>')
    out = tmp_path / "out"
    res = run(["render", "notice", "--templates", pack, "-o", out, "--lang", "en"])
    _refused(res, out, "outside templates/ and the template pack", "refused")


def test_img_src_file_outside_is_refused(tmp_path):
    pack = _pack(tmp_path, '<img src="file:///etc/passwd">')
    out = tmp_path / "out"
    _refused(run(["render", "notice", "--templates", pack, "-o", out]), out, "模板包以外的文件", "/etc/passwd")


@pytest.mark.slow
def test_css_url_outside_is_refused(tmp_path):
    pack = _pack(tmp_path, css='body { background: url("file:///etc/passwd") }')
    out = tmp_path / "out"
    _refused(run(["render", "notice", "--templates", pack, "-o", out]), out, "模板包以外的文件")


def test_css_import_over_http_is_refused(tmp_path):
    pack = _pack(tmp_path, css='@import url("http://example.invalid/a.css");')
    out = tmp_path / "out"
    _refused(run(["render", "notice", "--templates", pack, "-o", out]), out, "网络", "http://example.invalid/a.css")


def test_http_image_is_refused(tmp_path):
    pack = _pack(tmp_path, '<img src="https://example.invalid/seal.png">')
    out = tmp_path / "out"
    _refused(run(["render", "notice", "--templates", pack, "-o", out]), out, "网络", "不联网")


def test_missing_file_is_a_located_error_not_a_traceback(tmp_path):
    pack = _pack(tmp_path, '<img src="no-such-seal.png">')          # relative: inside templates/, absent
    out = tmp_path / "out"
    _refused(run(["render", "notice", "--templates", pack, "-o", out]), out, "不存在", "no-such-seal.png")


@pytest.mark.slow
def test_data_url_that_is_not_an_image_is_refused(tmp_path):
    pack = _pack(tmp_path, '<a rel="attachment" href="data:text/plain;base64,cm9vdDp4OjA6MA==">x</a>')
    out = tmp_path / "out"
    _refused(run(["render", "notice", "--templates", pack, "-o", out]), out, "data:", "只允许图片", "text/plain")


@pytest.mark.slow
def test_data_image_is_allowed_and_the_notice_renders(tmp_path):
    uri = "data:image/png;base64," + base64.b64encode(PNG).decode()
    pack = _pack(tmp_path, f'<img src="{uri}" style="width:1px">')
    out = tmp_path / "out"
    res = run(["render", "notice", "--templates", pack, "-o", out])
    assert res.exit_code == 0, res.output
    pdfs = list(out.glob("*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")


# -- the fetcher itself ----------------------------------------------------------------------------------------
def test_symlink_in_templates_pointing_out_is_refused(tmp_path):
    from generator.render.resources import ResourceError, fetch
    link = tmp_path / "t"
    link.mkdir()
    (link / "evil.png").symlink_to(PASSWD)
    with pytest.raises(ResourceError, match="模板包以外"):
        fetch((link / "evil.png").as_uri(), [link.resolve()])


def test_fifo_in_the_pack_is_refused_without_hanging(tmp_path):
    import os

    from generator.render.resources import ResourceError, fetch
    os.mkfifo(tmp_path / "pipe.css")
    with pytest.raises(ResourceError, match="不是普通文件"):
        fetch((tmp_path / "pipe.css").as_uri(), [tmp_path.resolve()])


def test_pack_root_allows_its_own_files_only_inside_the_context(tmp_path):
    from generator.render.resources import ResourceError, fetch, pack_roots
    (tmp_path / "seal.png").write_bytes(PNG)
    url = (tmp_path / "seal.png").as_uri()
    with pytest.raises(ResourceError):
        fetch(url)
    with pack_roots(tmp_path):
        _, body, mtype = fetch(url)
    assert body == PNG and mtype == "image/png"


def test_html_to_pdf_refuses_and_names_the_url():
    from generator.render.base import html_to_pdf
    from generator.render.resources import ResourceError
    with pytest.raises(ResourceError) as exc:
        html_to_pdf('<html><body><a rel="attachment" href="file:///etc/passwd">x</a></body></html>')
    assert "file:///etc/passwd" in exc.value.message and exc.value.exit_code == 2


# -- templates check ---------------------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("snippet,words", [
    ('<a rel="attachment" href="file:///etc/passwd">x</a>', ("T006", "模板包以外")),
    ('<img src="file:///etc/shadow">', ("T006", "模板包以外")),
    ('<link rel="stylesheet" href="http://example.invalid/x.css">', ("T006", "网络")),
    ('<object data="https://example.invalid/x.svg"></object>', ("T006", "网络")),
    ('<embed src="file:///etc/hostname">', ("T006", "模板包以外")),
    ('<iframe src="about:blank"></iframe>', ("T006", "iframe")),
    ('<style>@import "file:///etc/passwd";</style>', ("T006", "模板包以外")),
    ('<div style="background:url(data:text/html,x)"></div>', ("T006", "只允许图片")),
    ('<img src="missing.png">', ("T006", "不存在")),
])
def test_templates_check_reports_resources_outside_as_errors(tmp_path, snippet, words):
    pack = _pack(tmp_path, snippet)
    res = run(["templates", "check", pack, "--json"])
    assert res.exit_code == 1, res.output
    assert "未发现问题" not in res.output
    for w in words:
        assert w in res.output, res.output


def test_templates_check_passes_the_bundled_notice_and_a_data_image(tmp_path):
    uri = "data:image/png;base64," + base64.b64encode(PNG).decode()
    pack = _pack(tmp_path, f'<img src="{uri}"><a href="#top">x</a>')
    res = run(["templates", "check", pack, "--json"])
    assert "T006" not in res.output, res.output


# -- Word documents given to LibreOffice -------------------------------------------------------------------------
def _docx_with(extra_rel: str = "", body_xml: str = "") -> bytes:
    src = zipfile.ZipFile(TEMPLATES / "checklist" / "checklist.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/_rels/document.xml.rels" and extra_rel:
                data = data.replace(b"</Relationships>", extra_rel.encode() + b"</Relationships>")
            if info.filename == "word/document.xml" and body_xml:
                data = data.replace(b"<w:body>", b"<w:body>" + body_xml.encode(), 1)
            dst.writestr(info, data)
    return out.getvalue()


LINKED_IMAGE = ('<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
                'Target="file:///etc/passwd" TargetMode="External"/>')
INCLUDE_FIELD = ('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> INCLUDETEXT '
                 '"/etc/passwd" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')


def test_docx_with_external_picture_link_is_refused_before_libreoffice():
    from generator.render.office_pdf import docx_to_pdf
    from generator.render.resources import ResourceError
    with pytest.raises(ResourceError) as exc:
        docx_to_pdf([(_docx_with(extra_rel=LINKED_IMAGE), Path("表.pdf"))], "20230101")
    assert "外部文件" in exc.value.message and "file:///etc/passwd" in exc.value.message


def test_docx_with_includetext_field_is_refused_before_libreoffice():
    from generator.render.office_pdf import docx_to_pdf
    from generator.render.resources import ResourceError
    with pytest.raises(ResourceError, match="INCLUDETEXT"):
        docx_to_pdf([(_docx_with(body_xml=INCLUDE_FIELD), Path("表.pdf"))], "20230101")


def test_docx_hyperlinks_are_not_external_files():
    from generator.render.resources import docx_problems
    rel = ('<Relationship Id="rIdH" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" '
           'Target="https://www.mohurd.gov.cn/" TargetMode="External"/>')
    assert docx_problems(_docx_with(extra_rel=rel)) == []
    for bundled in TEMPLATES.rglob("*.docx"):
        assert docx_problems(bundled.read_bytes()) == [], bundled


def test_templates_check_reports_a_docx_that_links_outside(tmp_path):
    pack = tmp_path / "pack" / "checklist"
    pack.mkdir(parents=True)
    (pack / "checklist.docx").write_bytes(_docx_with(extra_rel=LINKED_IMAGE, body_xml=INCLUDE_FIELD))
    res = run(["templates", "check", pack.parent, "--json"])
    assert res.exit_code == 1, res.output
    assert "T006" in res.output and "INCLUDETEXT" in res.output and "file:///etc/passwd" in res.output


@pytest.mark.slow
def test_checklist_pack_attachment_is_refused_in_the_pdf_workers(tmp_path):
    """The checklist PDFs of a pack's checklist.html are laid out in worker processes and their attachments
    fetched as each PDF is written: the refusal still comes back as one line, exit 2, and no PDF."""
    pack = tmp_path / "pack" / "checklist"
    pack.mkdir(parents=True)
    src = (TEMPLATES / "checklist" / "checklist.html").read_text(encoding="utf-8")
    i = src.index(">", src.index("<body")) + 1
    (pack / "checklist.html").write_text(src[:i] + '<a rel="attachment" href="file:///etc/passwd">x</a>' + src[i:],
                                         encoding="utf-8")
    out = tmp_path / "out"
    res = run(["render", "checklists", ROOT / "data" / "sample-魏都区.xlsx", "--pdf", "--templates", pack.parent,
               "-o", out])
    assert res.exit_code == 2, res.output
    assert "模板包以外的文件" in res.output and "Traceback" not in res.output
    pdfs = list(out.rglob("*.pdf"))
    assert pdfs == []


def test_notice_docx_template_with_a_linked_picture_is_refused(tmp_path):
    """A pack's Word template linking \\\\host\\share or file:///etc/passwd would make every reader's Word fetch it."""
    src = zipfile.ZipFile(TEMPLATES / "notice" / "notice.docx")
    pack = tmp_path / "pack" / "notice"
    pack.mkdir(parents=True)
    out_zip = io.BytesIO()
    with zipfile.ZipFile(out_zip, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", LINKED_IMAGE.encode() + b"</Relationships>")
            dst.writestr(info, data)
    (pack / "notice.docx").write_bytes(out_zip.getvalue())
    out = tmp_path / "out"
    res = run(["render", "notice", "--templates", pack.parent, "-o", out, "--no-pdf"])
    assert res.exit_code == 2, res.output
    assert "外部文件" in res.output and "file:///etc/passwd" in res.output and "Traceback" not in res.output
    assert not (out.exists() and list(out.iterdir()))


def test_checklist_docx_template_with_includepicture_is_refused(tmp_path):
    pack = tmp_path / "pack" / "checklist"
    pack.mkdir(parents=True)
    field = INCLUDE_FIELD.replace("INCLUDETEXT", "INCLUDEPICTURE").replace("/etc/passwd", "\\\\\\\\host\\\\share\\\\x.png")
    (pack / "checklist.docx").write_bytes(_docx_with(body_xml=field))
    out = tmp_path / "out"
    res = run(["render", "checklists", ROOT / "data" / "sample-魏都区.xlsx", "--templates", pack.parent, "-o", out])
    assert res.exit_code == 2, res.output
    assert "INCLUDEPICTURE" in res.output and "checklist.docx" in res.output and "Traceback" not in res.output
    assert not list(out.rglob("*.docx")) if out.exists() else True


def test_field_split_over_runs_is_found_and_a_url_word_is_not_a_field():
    from generator.render.resources import docx_problems
    split = ('<w:p><w:r><w:instrText> INCLUDEPIC</w:instrText></w:r><w:r><w:instrText>TURE "//host/share/a.png" '
             '</w:instrText></w:r></w:p>')
    assert docx_problems(_docx_with(body_xml=split)) == [("word/document.xml", "INCLUDEPICTURE", "//host/share/a.png")]
    hyperlink = '<w:p><w:r><w:instrText> HYPERLINK "https://www.mohurd.gov.cn/link/include" </w:instrText></w:r></w:p>'
    assert docx_problems(_docx_with(body_xml=hyperlink)) == []


def test_alt_chunk_is_refused():
    from generator.render.resources import docx_problems
    rel = ('<Relationship Id="rIdA" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk" '
           'Target="chunk.html"/>')
    assert docx_problems(_docx_with(extra_rel=rel)) == [("word/_rels/document.xml.rels", "altChunk", "chunk.html")]


def test_templates_check_reads_a_packs_stylesheet(tmp_path):
    pack = tmp_path / "pack" / "notice"
    pack.mkdir(parents=True)
    (pack / "notice.css").write_text('@import "file:///etc/passwd";\nbody { background: url(https://x.invalid/a.png) }',
                                     encoding="utf-8")
    res = run(["templates", "check", pack.parent, "--json"])
    assert res.exit_code == 1, res.output
    assert res.output.count("T006") == 2 and "notice/notice.css" in res.output
