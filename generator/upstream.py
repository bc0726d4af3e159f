"""Where gaizao leans on another package beyond its everyday API: every such use is here, or named here with the
one place it lives, and ``tests/test_upstream.py`` fails when the installed version changes it (signature and
behaviour). The tested ranges are pinned in pyproject.toml; widen a pin only after that test passes.

| package | what is relied on | where |
|---|---|---|
| docxtpl | ``DocxTemplate.patch_xml`` and ``resolve_listing`` called without a DocxTemplate (neither reads any state): the Word XML compiled once into a Jinja template, values' newlines and tabs as Word breaks | ``docx_patch_xml``, ``docx_resolve_listing`` below (used by render/forms_templates.py) |
| Jinja2 | ``Environment._parse(source, name, filename)`` and ``_generate(source, name, filename, defer_init)``, overridden by the sandbox to refuse internals before compiling and to add the budget nodes | generator/sandbox.py (``GaizaoSandbox``) |
| python-docx | the XML element behind a proxy (``Paragraph._p``, ``Run._r``, ``Table._tbl``, ``_Row._tr``, ``_Cell._tc``, ``Section._sectPr``, ``._element``): python-docx's own way to what it has no API for (borders, tabs, keep-with-next) | render/gbt9704.py, official.py, notice.py, checklist_layout.py, diff/render_docx.py |
| openpyxl | a write-only sheet's writer given by us (``worksheet._writer.WorksheetWriter(ws, out=)`` on a file opened in openpyxl's ``create_temporary_file``, then ``write_top()``; ``writer.out`` set back to the file's name before the save archives and removes it), its ``_values_to_row(values, row_idx)`` (overridden to pass cells already numbered) and ``_writer.write_row(xf, row, row_idx)`` (wrapped to write a data row's XML text into that file after ``xf.flush()`` of lxml's stream), the workbook's ``_cell_styles`` (an IndexedList whose ``add`` gives a style's index) and a cell's ``_style`` (its StyleArray): and ``writer.excel.ExcelWriter(workbook, archive).save()`` (what ``save_workbook`` does, into a zip of ours that stores the parts uncompressed, normalised once after): the 53,000-row 开工项目认定汇总表 without a cell object or an XML element a value, its sheet deflated once (issue 19.9) | reports/kaigong.py (``xlsx_bytes``); tests/reports/test_kaigong_layout.py checks the workbook it writes |
| WeasyPrint | ``urls.URLFetcher(allowed_protocols=, fail_on_errors=)`` subclassed with ``fetch(url, headers)``, ``URLFetcherResponse(url, body, headers)``, ``FatalURLFetchingError`` (a BaseException): public since 68, not in 66/67 | render/resources.py (``weasy_fetcher_class``, ``refused_as_error``) |
"""
from __future__ import annotations

from typing import cast


def docx_patch_xml(xml: str) -> str:
    """docxtpl's own compile step: Word XML with ``{%tr``/``{%p``/``{{r`` tags -> a Jinja template text (the tag's
    row, paragraph or run dropped, split ``{{ }}`` joined). Same as ``DocxTemplate(...).render`` does before
    rendering, without opening the document through python-docx for each rendering."""
    from docxtpl import DocxTemplate
    return cast(str, DocxTemplate.patch_xml(None, xml))


def docx_resolve_listing(xml: str) -> str:
    """docxtpl's after-render step: a newline in a value becomes ``<w:br/>``, a tab ``<w:tab/>``, \\a a new
    paragraph and \\f a page break, each in the run's own formatting."""
    from docxtpl import DocxTemplate
    return cast(str, DocxTemplate.resolve_listing(None, xml))
