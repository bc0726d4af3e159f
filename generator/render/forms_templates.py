"""Finding, compiling and filling the form templates (checklists, acceptance forms, county plans).

Templates are files under ``templates/`` (bundled) that a bureau may override one by one with
``--templates DIR`` (same relative name). Two kinds:

- HTML/CSS Jinja templates for PDF, rendered with autoescape (names like "A&B <C>" stay text) and
  StrictUndefined (a misspelt field is an error, never an empty cell).
- docxtpl ``.docx`` templates. ``DocxForm`` compiles one once: docxtpl's own ``patch_xml`` (called through
  ``generator/upstream.py``, where every use of another package's internals is tested) turns the
  Word XML into a Jinja template (``{%tr %}`` rows etc.), then each document is that template rendered
  and the other zip members copied. Same result as ``DocxTemplate.render(ctx, autoescape=True)`` for
  the tags we use, at the cost of a zip copy instead of a python-docx parse (see bench/bench_render.py).
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from functools import cached_property
from pathlib import Path
from xml.sax.saxutils import escape

from generator.errors import TemplateError, UnsafeTemplateError
from generator.render.base import FIXED_TIME, TEMPLATES, manifest_text

DOCX_PARTS_WITH_TAGS = ("word/document.xml", "word/header", "word/footer", "word/comments")


def jinja_filters() -> dict:
    """The Chinese formatting filters of the policy text (one way to print a value everywhere)."""
    from generator.policy import cnfmt
    return dict(cn_date=cnfmt.cn_date, cn_month_end=cnfmt.cn_month_end, month_end=cnfmt.month_end,
                pct=cnfmt.pct, cn_count=cnfmt.cn_count, basis_cn=cnfmt.basis_cn, printed_date=cnfmt.printed_date,
                money=lambda v: "" if v in (None, "") else f"{float(v):,.2f}",
                date_or_blank=lambda d: cnfmt.cn_date(d) if isinstance(d, dt.date) else ("" if d is None else str(d)))


def new_environment(loader=None):
    """The sandboxed environment of every form and notice template (generator/sandbox.py), autoescaping."""
    from generator.sandbox import new_environment as sandboxed
    return sandboxed(filters=jinja_filters(), autoescape=True, loader=loader, keep_trailing_newline=True)


class TemplateSet:
    """Bundled templates, each overridable by a file of the same relative name in ``override``."""

    def __init__(self, override: str | Path | None = None):
        self.override = Path(override) if override else None
        if self.override is not None and not self.override.is_dir():
            raise TemplateError(f"模板文件夹不存在：{self.override}", f"template folder not found: {self.override}")

    def path(self, rel: str) -> Path:
        from generator.fileio import register_input
        if self.override is not None and (self.override / rel).is_file():
            register_input(self.override / rel)      # an output must never replace a template it reads
            return self.override / rel
        p = TEMPLATES / rel
        if not p.is_file():
            raise TemplateError(f"找不到模板 {rel}", f"template not found: {rel}")
        return p

    @cached_property
    def env(self):
        from jinja2 import FileSystemLoader
        roots = [str(self.override)] if self.override is not None else []
        return new_environment(FileSystemLoader(roots + [str(TEMPLATES)]))

    def html(self, rel: str):
        from jinja2 import TemplateSyntaxError
        try:
            return self.env.get_template(rel)
        except TemplateSyntaxError as exc:
            raise TemplateError(f"模板 {rel} 第{exc.lineno}行语法错误：{exc.message}",
                                f"template {rel} line {exc.lineno}: syntax error: {exc.message}") from None

    def text(self, rel: str) -> str:
        return self.path(rel).read_text(encoding="utf-8")

    def docx(self, rel: str) -> "DocxForm":
        return DocxForm(self.path(rel), name=rel)


def render_html(template, ctx: dict, name: str | None = None) -> str:
    """Render with a clear error naming the template and the unknown field."""
    from jinja2 import UndefinedError
    try:
        return template.render(ctx)
    except UndefinedError as exc:
        name = name or template.name
        raise TemplateError(f"模板 {name} 使用了未知字段：{exc.message}",
                            f"template {name} uses an unknown field: {exc.message}") from None


# -- DOCX ----------------------------------------------------------------------------------------
def patched_parts(data: bytes) -> dict[str, str]:
    """Zip member -> docxtpl-patched XML, for the parts that hold Jinja tags."""
    from generator.upstream import docx_patch_xml
    zf = zipfile.ZipFile(io.BytesIO(data))
    out = {}
    for name in zf.namelist():
        if name.startswith(DOCX_PARTS_WITH_TAGS) and name.endswith(".xml"):
            xml = zf.read(name).decode("utf-8")
            if "{{" in xml or "{%" in xml:
                out[name] = docx_patch_xml(xml)
    return out


class DocxForm:
    """A docxtpl template compiled once, rendered many times (one zip per document)."""

    def __init__(self, path: Path, name: str | None = None):
        from jinja2 import TemplateSyntaxError
        self.name = name or path.name
        data = path.read_bytes()
        from generator.render.resources import check_docx
        check_docx(data, self.name)        # a linked picture or INCLUDETEXT field would reach every reader's machine
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise TemplateError(f"模板 {self.name} 不是有效的 .docx 文件", f"template {self.name} is not a .docx file") from None
        names = sorted(zf.namelist(), key=lambda n: n != "[Content_Types].xml")
        self.members = [(n, zf.read(n)) for n in names]
        env = new_environment()
        self.parts = {}
        for part, xml in patched_parts(data).items():
            try:
                self.parts[part] = env.from_string(xml)
            except UnsafeTemplateError as exc:
                exc.location = f"{self.name}（{part}）"
                raise
            except TemplateSyntaxError as exc:
                raise TemplateError(f"模板 {self.name}（{part}）语法错误：{exc.message}",
                                    f"template {self.name} ({part}): syntax error: {exc.message}") from None

    def render(self, ctx: dict, core_xml: bytes | None = None) -> bytes:
        from jinja2 import UndefinedError
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for name, blob in self.members:
                if name in self.parts:
                    try:
                        xml = self.parts[name].render(ctx)
                    except UndefinedError as exc:
                        raise TemplateError(f"模板 {self.name} 使用了未知字段：{exc.message}",
                                            f"template {self.name} uses an unknown field: {exc.message}") from None
                    blob = _resolve_listing(xml).encode("utf-8")
                elif name == "docProps/core.xml" and core_xml is not None:
                    blob = core_xml
                dst.writestr(_fixed_info(name), blob)
        return out.getvalue()


_LISTING_CHARS = ("\n", "\t", "\a", "\f")


def _resolve_listing(xml: str) -> str:
    """As docxtpl: a newline (tab, \\a, \\f) inside a value becomes a line break; the XML declaration's own
    newline does not count. Skipped when there is none: the regex pass costs more than the render."""
    body = xml[xml.index("?>") + 2:] if xml.startswith("<?xml") else xml
    if not any(c in body.lstrip("\r\n") for c in _LISTING_CHARS):
        return xml
    from generator.upstream import docx_resolve_listing
    return docx_resolve_listing(xml)


def _fixed_info(name: str) -> zipfile.ZipInfo:
    # same member attributes as generator.render.base.normalize_zip: byte-identical re-renders
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    info.create_system = 0
    return info


def core_properties_xml(title: str, author: str, date: dt.date, manifest: dict) -> bytes:
    """docProps/core.xml with fixed dates (the policy's issue date) and the build manifest."""
    from generator.safetext import clean      # a project name from a workbook may hold a vertical tab
    stamp = f"{date.isoformat()}T00:00:00Z"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(clean(title))}</dc:title><dc:creator>{escape(clean(author))}</dc:creator>"
        f"<dc:description>{escape(clean(manifest_text(manifest)))}</dc:description>"
        "<cp:lastModifiedBy>gaizao</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode("utf-8")
