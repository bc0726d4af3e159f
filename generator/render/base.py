"""Shared machinery for every document: fonts, deterministic files, manifests, safe PDF rendering.

- Fonts: documents name the Windows fonts (仿宋_GB2312 ...); ``fonts/fonts.conf`` maps them to the
  free Fandol / Noto CJK fonts that scripts/setup.sh installs. ``use_project_fonts()`` must run
  before WeasyPrint (Pango/fontconfig) is imported.
- Determinism: ``normalize_zip`` rewrites a DOCX/XLSX with fixed member times so the same input gives
  the same bytes; core properties carry fixed dates (the policy's issue date).
- Manifest: every output carries policy id, version, content hash and input hash in its properties.
- PDF: WeasyPrint with a fetcher that loads nothing but files of the bundled templates and the pack, and
  ``data:`` images (generator/render/resources.py; no network).
"""
from __future__ import annotations

import io
import os
import zipfile
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from generator.fileio import atomic_write_bytes

from generator.paths import ROOT, TEMPLATES  # noqa: E402  (one home for where our files are)
FONTS_CONF = ROOT / "fonts" / "fonts.conf"
# deterministic zips and the manifest live one floor down (generator.zipdoc), shared with the workbook writer
from generator.zipdoc import FIXED_TIME, manifest, manifest_text  # noqa: E402,F401
from generator.zipdoc import normalize_zip as _normalize_zip  # noqa: E402


def use_project_fonts() -> None:
    """Point fontconfig at fonts/fonts.conf (Windows font names -> free fonts). Idempotent."""
    if FONTS_CONF.exists() and os.environ.get("FONTCONFIG_FILE") != str(FONTS_CONF):
        os.environ["FONTCONFIG_FILE"] = str(FONTS_CONF)


def _refuse_external(data: bytes) -> None:
    """A Word document that would pull an external file in (a template pack's linked picture, INCLUDETEXT field)
    is refused on its way out (generator.render.resources.check_docx)."""
    if "word/document.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist():
        from generator.render.resources import check_docx
        check_docx(data, "DOCX")


def normalize_zip(data: bytes) -> bytes:
    """generator.zipdoc.normalize_zip, refusing a DOCX that pulls an external file in."""
    return _normalize_zip(data, _refuse_external)


def save_zip_document(path: str | os.PathLike, data: bytes) -> Path:
    """Normalise and write a DOCX/XLSX atomically."""
    return atomic_write_bytes(path, normalize_zip(data))




# -- PDF ----------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _weasy():
    use_project_fonts()
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from generator.render.resources import weasy_fetcher_class

    # the fetcher (generator/render/resources.py) serves files of templates/ and of the pack, and data: images;
    # anything else (a path out of the pack, ../, symlinks, the network) is refused
    return weasyprint, FontConfiguration(), weasy_fetcher_class()


@contextmanager
def refused_resources_as_render_error(fetcher=None):
    """A template that refers to a resource outside the pack (or a missing one) is the user's mistake: a located
    RenderError (generator.render.resources.ResourceError), not WeasyPrint's FatalURLFetchingError (a
    BaseException, which would escape handle_errors)."""
    from generator.render.resources import refused_as_error
    with refused_as_error(fetcher):
        yield


@lru_cache(maxsize=16)
def _css(css_text: str):
    weasyprint, fc, fetcher = _weasy()
    with refused_resources_as_render_error():
        return weasyprint.CSS(string=css_text, font_config=fc, url_fetcher=fetcher(),
                              base_url=TEMPLATES.as_uri() + "/")


def html_to_pdf(html: str, css_text: str = "", metadata: dict | None = None) -> bytes:
    """Render one HTML document to PDF bytes with the shared font configuration and cached CSS.

    ``metadata`` sets the PDF Info dictionary: ``title``, ``author``, ``subject``, ``keywords`` (str or
    list) and any other key as a custom entry (e.g. ``manifest`` = ``manifest_text(...)``). No dates are
    written, so the same input gives the same bytes.
    """
    weasyprint, fc, fetcher_class = _weasy()
    fetcher = fetcher_class()
    # write_pdf too: attachments (<a rel="attachment">) are fetched only when the PDF is written
    with refused_resources_as_render_error(fetcher):
        doc = weasyprint.HTML(string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=fetcher,
                              encoding="utf-8")
        styles = [_css(css_text)] if css_text else []
        rendered = doc.render(stylesheets=styles, font_config=fc)
        if metadata:
            _apply_pdf_metadata(rendered.metadata, metadata)
        rendered.metadata.created = rendered.metadata.modified = None
        return rendered.write_pdf(custom_metadata=bool(metadata))


def _apply_pdf_metadata(meta, values: dict) -> None:
    for key, value in values.items():
        if key == "title":
            meta.title = value
        elif key == "author":
            meta.authors = [value]
        elif key == "subject":
            meta.description = value
        elif key == "keywords":
            meta.keywords = [value] if isinstance(value, str) else list(value)
        else:
            meta.custom[key] = value


# -- DOCX custom properties ----------------------------------------------------------------------
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def docx_set_custom_properties(document, props: dict[str, str]) -> None:
    """Write ``docProps/custom.xml`` (File ▸ Properties ▸ Custom in Word) into a python-docx Document.

    Used for the build manifest (``{"gaizao_manifest": manifest_text(m)}``). Replaces an existing
    custom part, so calling it twice does not duplicate entries.
    """
    from xml.sax.saxutils import escape

    from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    items = "".join(
        f'<property fmtid="{_FMTID}" pid="{i}" name="{escape(str(k), {chr(34): "&quot;"})}">'
        f"<vt:lpwstr>{escape(str(v))}</vt:lpwstr></property>"
        for i, (k, v) in enumerate(sorted(props.items()), start=2))
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">{items}</Properties>').encode("utf-8")
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.CUSTOM_PROPERTIES:
            del package.rels[rid]
    part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, xml, package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def docx_custom_properties(data: bytes) -> dict[str, str]:
    """Read the custom properties back from .docx bytes (tests, `gaizao` tools)."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        if "docProps/custom.xml" not in z.namelist():
            return {}
        root = etree.fromstring(z.read("docProps/custom.xml"))
    return {p.get("name", ""): "".join(p.itertext()) for p in root}
