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
        path = self.path(rel)
        # a bureau's own DOCX gets the labels in its page headers from us (ensure_header_labels); the bundled
        # ones print them in their own layout (page 1 in the body, 续页 in the header)
        return DocxForm(path, name=rel, own=not path.is_relative_to(TEMPLATES))


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

    def __init__(self, path: Path, name: str | None = None, *, own: bool = False):
        from jinja2 import TemplateSyntaxError
        self.name = name or path.name
        self.own = own                     # a bureau's own template: the labels are ensured in its headers
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
        members: list[tuple[str, bytes]] = []
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
            members.append((name, blob))
        if self.own:
            members = ensure_header_labels(members, labels_of(ctx))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for name, blob in members:
                dst.writestr(_fixed_info(name), blob)
        return out.getvalue()


# -- 示例数据 / 示例草案 on every page, whatever a bureau's own template does (issue 21.5) ---------------------
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
HEADER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
ADDED_HEADER = "word/header_gaizao_label.xml"


def labels_of(ctx: dict) -> list[str]:
    """The labels a form of this context must carry on every page: the policy's own (示例草案) and 示例数据."""
    policy = ctx.get("policy")
    own = policy.get("label") if isinstance(policy, dict) else None
    return [x for x in (own, "示例数据" if ctx.get("sample") else None) if x]


def _label_paragraph(labels: list[str]) -> str:
    text = "  ".join(escape(x) for x in labels)
    return (f'<w:p xmlns:w="{W_NS}"><w:pPr><w:jc w:val="right"/></w:pPr><w:r><w:rPr><w:b/><w:color w:val="C00000"/>'
            f'<w:sz w:val="24"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r></w:p>')


def _text_of(xml: str) -> str:
    import re
    return "".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", xml))


def ensure_header_labels(members: list[tuple[str, bytes]], labels: list[str]) -> list[tuple[str, bytes]]:
    """The bundled templates print the labels in their page headers; a bureau's own template may not. A header
    lacking a label gets it as its first paragraph; a document with no header at all gets one, referenced from
    every section (default, even and first page). Nothing changes when no label is due or every header has it."""
    import re
    if not labels:
        return members
    parts = dict(members)
    headers = [n for n in parts if re.fullmatch(r"word/header\d*\.xml", n)]
    document = parts.get("word/document.xml", b"").decode("utf-8")
    referenced = bool(re.search(r"<w:headerReference\b", document))
    out = []
    if headers and referenced:
        for name, blob in members:
            if name in headers:
                xml = blob.decode("utf-8")
                missing = [x for x in labels if x not in _text_of(xml)]
                if missing:
                    head = re.search(r"<w:hdr\b[^>]*>", xml)
                    if head is not None:
                        xml = xml[:head.end()] + _label_paragraph(missing) + xml[head.end():]
                    blob = xml.encode("utf-8")
            out.append((name, blob))
        return out
    # no header: add one and reference it from every section
    rid = "rIdGaizaoLabel"
    header = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr xmlns:w="{W_NS}" '
              f'xmlns:r="{R_NS}">{_label_paragraph(labels)}</w:hdr>')
    # default, first page and even pages (a template whose settings turn on even/odd headers uses the last)
    refs = "".join(f'<w:headerReference w:type="{t}" r:id="{rid}"/>' for t in ("default", "even", "first"))
    if 'xmlns:r="' not in document[:2000]:
        document = re.sub(r"(<w:document\b)", rf'\1 xmlns:r="{R_NS}"', document, count=1)
    document = re.sub(r"(<w:sectPr\b[^>]*?)(/?)>", lambda m: m.group(1) + ">" + refs + ("</w:sectPr>" if m.group(2) else ""),
                      document)
    for name, blob in members:
        if name == "word/document.xml":
            blob = document.encode("utf-8")
        elif name == "word/_rels/document.xml.rels":
            blob = blob.decode("utf-8").replace(
                "</Relationships>", f'<Relationship Id="{rid}" Type="{HEADER_REL}" '
                                    f'Target="{ADDED_HEADER.split("/", 1)[1]}"/></Relationships>').encode("utf-8")
        elif name == "[Content_Types].xml":
            blob = blob.decode("utf-8").replace(
                "</Types>", f'<Override PartName="/{ADDED_HEADER}" ContentType="{HEADER_TYPE}"/></Types>').encode("utf-8")
        out.append((name, blob))
    out.append((ADDED_HEADER, header.encode("utf-8")))
    return out


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
