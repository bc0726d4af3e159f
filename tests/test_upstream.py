"""What gaizao relies on in other packages beyond their everyday API (generator/upstream.py lists each use): these
tests run against the installed versions and fail when an upstream release changes a signature or a behaviour, so
that a version outside the range pinned in pyproject.toml is caught here, not in a county's document.

Expected outputs are what each package documents (docxtpl: a ``{%tr %}`` tag stands for its table row, a newline
in a value is a line break; WeasyPrint: a URLFetcher subclass serves ``fetch``), written out by hand."""
from __future__ import annotations

import ast
import io
import inspect
import textwrap
from xml.dom import minidom

import pytest

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _params(fn) -> list[str]:
    return list(inspect.signature(fn).parameters)


def _uses_self(fn) -> bool:
    """Whether a method's body reads ``self`` (then calling it without an instance would break)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    body = tree.body[0]
    assert isinstance(body, ast.FunctionDef)
    return any(isinstance(n, ast.Name) and n.id == "self" for stmt in body.body for n in ast.walk(stmt))


# -- docxtpl ---------------------------------------------------------------------------------------------------
def test_docxtpl_methods_called_without_an_instance_keep_their_shape():
    from docxtpl import DocxTemplate
    assert _params(DocxTemplate.patch_xml) == ["self", "src_xml"]
    assert _params(DocxTemplate.resolve_listing) == ["self", "xml"]
    # generator/upstream.py passes None for self: both must stay free of instance state
    assert not _uses_self(DocxTemplate.patch_xml)
    assert not _uses_self(DocxTemplate.resolve_listing)


def _cell(text: str) -> str:
    return f"<w:tr><w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc></w:tr>"


def test_docx_patch_xml_turns_a_row_tag_into_a_loop_over_the_row():
    from jinja2 import Environment

    from generator.upstream import docx_patch_xml
    xml = f"<w:tbl {W}>" + _cell("{%tr for r in rows %}") + _cell("{{ r }}") + _cell("{%tr endfor %}") + "</w:tbl>"
    out = docx_patch_xml(xml)
    # the tag rows are gone, the loop stands outside the one row it repeats
    assert out.count("<w:tr>") == 1
    assert out.index("{% for r in rows %}") < out.index("<w:tr>") < out.index("{% endfor %}")
    filled = Environment().from_string(out).render(rows=["甲", "乙", "丙"])
    dom = minidom.parseString(filled)
    assert [t.firstChild.data for t in dom.getElementsByTagName("w:t")] == ["甲", "乙", "丙"]


def test_docx_patch_xml_joins_a_field_word_split_across_runs():
    from generator.upstream import docx_patch_xml
    # Word splits typed text into runs at will: "{{ name }}" may arrive as "{{ na" + "me }}"
    xml = f"<w:p {W}><w:r><w:t>{{{{ na</w:t></w:r><w:r><w:t>me }}}}</w:t></w:r></w:p>"
    assert "{{ name }}" in docx_patch_xml(xml)


def test_docx_resolve_listing_makes_newlines_and_tabs_word_breaks_in_the_runs_format():
    from generator.upstream import docx_resolve_listing
    xml = f'<w:p {W}><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">甲\n乙\t丙</w:t></w:r></w:p>'
    dom = minidom.parseString(docx_resolve_listing(xml))
    assert [t.firstChild.data for t in dom.getElementsByTagName("w:t")] == ["甲", "乙", "丙"]
    assert len(dom.getElementsByTagName("w:br")) == 1 and len(dom.getElementsByTagName("w:tab")) == 1
    # every run keeps the bold of the one it came from
    runs = dom.getElementsByTagName("w:r")
    assert runs and all(r.getElementsByTagName("w:b") for r in runs)


def test_docx_resolve_listing_leaves_text_without_breaks_alone():
    from generator.upstream import docx_resolve_listing
    xml = f'<w:p {W}><w:r><w:t xml:space="preserve">甲乙</w:t></w:r></w:p>'
    assert docx_resolve_listing(xml) == xml


# -- Jinja2: the sandbox's two compile hooks -------------------------------------------------------------------
def test_jinja_compile_hooks_the_sandbox_overrides_keep_their_signature():
    from jinja2 import Environment
    assert _params(Environment._parse) == ["self", "source", "name", "filename"]
    assert _params(Environment._generate) == ["self", "source", "name", "filename", "defer_init"]
    # from_string goes through both (the sandbox's refusal and its budget depend on it)
    src = inspect.getsource(Environment.compile)
    assert "_parse(" in src and "_generate(" in src


def test_the_sandbox_refuses_an_internal_at_compile_time_through_the_hook():
    from generator.errors import UnsafeTemplateError
    from generator.sandbox import new_environment
    env = new_environment()
    with pytest.raises(UnsafeTemplateError):
        env.from_string("{{ x.__class__ }}")            # refused in _parse, before anything renders
    assert env.from_string("{{ x }}").render(x="甲") == "甲"


# -- python-docx: the XML element behind each proxy ------------------------------------------------------------
def test_python_docx_proxies_expose_their_xml_element():
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document()
    p = doc.add_paragraph()
    r = p.add_run("甲")
    t = doc.add_table(rows=1, cols=1)
    row, cell, section = t.rows[0], t.cell(0, 0), doc.sections[0]
    for proxy, attr, tag in ((p, "_p", "w:p"), (r, "_r", "w:r"), (t, "_tbl", "w:tbl"), (row, "_tr", "w:tr"),
                             (cell, "_tc", "w:tc"), (section, "_sectPr", "w:sectPr")):
        el = getattr(proxy, attr)
        assert el.tag == qn(tag), (type(proxy).__name__, attr)
    for proxy in (p, r, t):
        assert proxy._element is getattr(proxy, {"Paragraph": "_p", "Run": "_r", "Table": "_tbl"}[type(proxy).__name__])


# -- WeasyPrint: the URL fetcher the resource guard subclasses -------------------------------------------------
def test_weasyprint_url_fetcher_api_the_resource_guard_uses():
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse
    init = inspect.signature(URLFetcher.__init__).parameters
    assert "allowed_protocols" in init and "fail_on_errors" in init
    assert _params(URLFetcher.fetch)[:3] == ["self", "url", "headers"]
    assert _params(URLFetcherResponse.__init__)[:4] == ["self", "url", "body", "headers"]
    # a refusal must not be caught by an `except Exception` inside WeasyPrint: refused_as_error relies on it
    assert issubclass(FatalURLFetchingError, BaseException) and not issubclass(FatalURLFetchingError, Exception)


def test_the_pack_fetcher_serves_a_data_image_and_refuses_the_network():
    from generator.render.resources import ResourceError, weasy_fetcher_class
    fetcher = weasy_fetcher_class()()
    png = "data:image/png;base64,iVBORw0KGgo="
    got = fetcher.fetch(png)
    assert got.headers["Content-Type"] == "image/png"
    with pytest.raises(ResourceError):
        fetcher.fetch("https://example.org/x.png")
    assert len(fetcher.refused) == 1


def test_openpyxl_write_only_internals_the_kaigong_table_uses_keep_their_shape():
    """reports/kaigong.py gives a write-only sheet its writer (``WorksheetWriter(ws, out=)`` on a file it opened in
    openpyxl's ``create_temporary_file``, ``write_top``), overrides ``_values_to_row``, wraps ``_writer.write_row``
    to write a data row's XML into that file after flushing the writer's lxml stream (``xf.flush()``), names the
    file back on ``writer.out`` for the save (``ExcelWriter(workbook, archive).save()`` into a zip that stores its
    parts), and indexes styles through the workbook's ``_cell_styles``: their
    names, parameters and behaviour as in openpyxl 3.1."""
    import os
    import zipfile

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet
    from openpyxl.worksheet._writer import WorksheetWriter, create_temporary_file

    assert _params(WriteOnlyWorksheet._values_to_row) == ["self", "values", "row_idx"]
    assert _params(WorksheetWriter.write_row) == ["self", "xf", "row", "row_idx"]
    assert _params(WorksheetWriter.__init__) == ["self", "ws", "out"]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    assert ws._writer is None                       # made by the first row unless given one
    path = create_temporary_file()
    stream = open(path, "wb")
    ws._writer = writer = WorksheetWriter(ws, out=stream)
    writer.write_top()
    c = WriteOnlyCell(ws, "x")
    c.font = Font(name="仿宋_GB2312", size=10)
    first = wb._cell_styles.add(c._style)
    assert wb._cell_styles.add(c._style) == first   # the same style, the same index
    write_row = writer.write_row

    def raw(xf, row, row_idx):
        if row_idx != 2:
            return write_row(xf, row, row_idx)
        xf.flush()
        stream.write(b'<row r="2"><c r="A2" t="inlineStr"><is><t>&#20013;</t></is></c></row>')

    writer.write_row = raw
    ws.append([c])
    ws.append(["y"])
    ws.append(["z"])
    assert ws._writer is writer
    ws.close()
    stream.close()
    writer.out = path
    from openpyxl.writer.excel import ExcelWriter, save_workbook
    assert _params(ExcelWriter.__init__) == ["self", "workbook", "archive"]
    assert "ExcelWriter(workbook, archive)" in inspect.getsource(save_workbook)    # what kaigong.py does instead
    buf = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED)).save()
    assert not os.path.exists(path)                 # the save removed it
    assert {i.compress_type for i in zipfile.ZipFile(buf).infolist()} == {zipfile.ZIP_STORED}
    xml = zipfile.ZipFile(buf).read("xl/worksheets/sheet1.xml")
    assert b'<c r="A1" s="1" t="inlineStr"><is><t>x</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>&#20013;</t>' in xml
    assert b'<row r="3"><c r="A3" t="inlineStr"><is><t>z</t></is></c></row></sheetData>' in xml

