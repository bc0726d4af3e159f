"""THE document pipeline: every document kind is a context plus a layout, produced here as bytes.

A kind is registered once (``register(DocumentKind(...))`` in a module of a ``kinds/`` package of the floor whose
data it reads: ``generator/render/kinds/``, ``generator/reports/kinds/``, ``generator/life/kinds/``). The command
layer finds those modules (``generator.render.cli.discover``), so registering a kind gives it
``gaizao render doc KIND`` and, when it says how, a step of ``gaizao build`` without editing either.

    kind.documents(lp, Inputs(...)) -> [Document(stem, context, ...)]   the context builder (data -> plain values)
    produce(kind, lp, document, "pdf") -> bytes                          one document in one format
    write(kind, lp, inputs, out_dir) -> [Path]                           all rendered first, then written atomically

Layouts confine the engines: ``HtmlLayout`` (a Jinja HTML template in templates/ -> PDF by WeasyPrint),
``DocxLayout`` (a docxtpl .docx template -> DOCX, printed to PDF by LibreOffice in one batch),
``render.official.OfficialLayout`` (a 公文 ``Official`` -> DOCX on the GB/T 9704 base and PDF; it lives beside the
公文 so that nothing here imports the 公文 writer) and ``Builder`` (an existing renderer per format, wrapped as it
is). DOCX and XLSX bytes leave as byte-identical zips (``zipdoc.normalize_zip``), every file carries the manifest,
and the label rules (``label_of``: 示例数据, 草案) have their one home here.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Protocol, Union

from generator.errors import InputError, UsageError

if TYPE_CHECKING:
    from generator.policy.loader import LoadedPolicy

FORMATS = ("docx", "pdf", "xlsx")
# what a kind may be given (its ``needs``); the generic command has one option for each
INPUTS = {
    "plans": ("--plan", "下级单位的工作簿（可多次）", "county workbook(s)"),
    "county": ("--county", "下级单位（县、市、区）名称", "one county"),
    "project": ("--project", "项目编号", "one project number"),
    "as_of": ("--as-of", "数据截至日期 YYYY-MM-DD", "data cut-off date"),
    "date": ("--date", "成文日期 YYYY-MM-DD（默认留空由发文机关填写）", "issue date (blank by default)"),
    "db": ("--db", "登记库文件", "register database"),
    "scores": ("--scores", "各下级单位得分（YAML/CSV，{轮次: {单位: 分}}）", "scores file"),
    "weights": ("--weights", "各轮权重，如 mid-year=0.4,year-end=0.6（政策未规定时由发文机关确定）", "round weights"),
    "round": ("--round", "检查轮次（如 mid-year|year-end，或 年中|年终）", "inspection round"),
    "against": ("--against", "与之比较的原政策版本（编号、路径或 编号@git修订）", "the older policy version compared with"),
}


@dataclass(frozen=True)
class Inputs:
    """What the user gave a kind; a kind reads only the fields it ``needs``."""

    plans: tuple[Path, ...] = ()
    county: str | None = None
    project: str | None = None
    as_of: dt.date | None = None
    date: dt.date | None = None
    db: Path | None = None
    scores: Path | None = None
    weights: str | None = None
    round: str | None = None               # an inspection round of the policy (id or its name)
    against: str | None = None             # another policy (id, path or id@rev): the 对照表's 原规定
    templates: Path | None = None          # a folder whose files override the bundled templates (same name)


@dataclass
class Document:
    """One document of a kind: its file name (without suffix), its context and what the label rules need."""

    stem: str
    context: Any
    title: str = ""                         # the document's title (PDF / DOCX properties)
    sample: bool = False                    # made from 示例数据: labelled on every page
    folder: str = ""                        # a sub-folder of the output folder, if any
    input_hash: str | None = None           # sha256 of the input file, for the manifest
    author: str = ""
    extra: dict[str, Any] = field(default_factory=dict)     # more for the manifest (county, document name ...)


class Layout(Protocol):
    """How a context becomes bytes: the formats it makes, and the rendering of one format."""

    @property
    def formats(self) -> tuple[str, ...]: ...

    def render(self, fmt: str, doc: Document, env: "Env") -> bytes: ...


@dataclass
class Env:
    """What a layout gets besides the document: the policy, the label, the manifest and the template set."""

    lp: LoadedPolicy
    label: str
    manifest: dict[str, Any]
    templates: Any                          # generator.render.forms_templates.TemplateSet


@dataclass(frozen=True)
class HtmlLayout:
    """A Jinja HTML template of templates/ (CSS inside it or in ``css`` files) -> PDF by WeasyPrint. The template
    sees the context's keys, ``label`` (print it on every page) and ``manifest``."""

    template: str
    css: tuple[str, ...] = ()
    formats: tuple[str, ...] = ("pdf",)

    def html(self, doc: Document, env: Env) -> str:
        from generator.zipdoc import manifest_text
        from generator.render.forms_templates import render_html
        ctx = {**doc.context, "label": env.label, "manifest": manifest_text(env.manifest)}
        return render_html(env.templates.html(self.template), ctx, self.template)

    def render(self, fmt: str, doc: Document, env: Env) -> bytes:
        from generator.render.base import html_to_pdf
        from generator.zipdoc import manifest_text
        css = "\n".join(env.templates.text(rel) for rel in self.css)
        pdf: bytes = html_to_pdf(self.html(doc, env), css, metadata={
            "title": doc.title, "author": doc.author, "subject": doc.title,
            "gaizaomanifest": manifest_text(env.manifest)})
        return pdf


@dataclass(frozen=True)
class DocxLayout:
    """A docxtpl .docx template of templates/ -> DOCX; its PDF is that DOCX printed by LibreOffice (one process
    for a whole batch, generator.render.office_pdf)."""

    template: str
    formats: tuple[str, ...] = ("docx", "pdf")

    def render(self, fmt: str, doc: Document, env: Env) -> bytes:
        from generator.zipdoc import manifest_text
        from generator.render.forms_templates import core_properties_xml
        day = _document_date(env.lp)
        ctx = {**doc.context, "label": env.label, "manifest": manifest_text(env.manifest)}
        core = core_properties_xml(doc.title, doc.author, day, env.manifest)
        data: bytes = env.templates.docx(self.template).render(ctx, core)
        return data


# documents of one kind rendered together in the given formats -> each document's bytes by format, in order
Batch = Callable[[list[tuple[Document, Env]], tuple[str, ...]], list[dict[str, bytes]]]


@dataclass(frozen=True)
class Builder:
    """An existing renderer per format, ``fn(document, env) -> bytes`` (XLSX from openpyxl, a drawn PDF ...).
    ``batch``: how the kind renders many documents at once (a pool of PDF workers, one LibreOffice run); ``render``
    uses it for all the kind's documents of a call, ``produce`` the per-format functions. ``normalised``: its zips
    leave the renderer as ``normalize_zip`` makes them, from a template checked once (forms_templates.DocxForm: the
    checklists' fast path), so a batch is not zipped a second time."""

    docx: Callable[[Document, Env], bytes] | None = None
    pdf: Callable[[Document, Env], bytes] | None = None
    xlsx: Callable[[Document, Env], bytes] | None = None
    batch: Batch | None = None
    normalised: bool = False

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(f for f in FORMATS if getattr(self, f) is not None)

    def render(self, fmt: str, doc: Document, env: Env) -> bytes:
        fn: Callable[[Document, Env], bytes] | None = getattr(self, fmt)
        assert fn is not None
        return fn(doc, env)




@dataclass(frozen=True)
class BuildData:
    """What ``gaizao build`` has for a kind: the sample workbooks of this policy (data/sample-<单位>.xlsx) and the
    build's register (made by its earlier steps from the sample year; None when there is no sample year)."""

    samples: tuple[Path, ...] = ()
    db: Path | None = None
    as_of: dt.date | None = None            # the register's last day (the year end) when there is one


# a build step: the arguments after ``render doc KIND`` (plans, dates ...), or why the kind is left out (said)
BuildArgs = Callable[["LoadedPolicy", BuildData], Union[list[str], str]]


def from_register(lp: LoadedPolicy, data: BuildData) -> list[str] | str:
    """The build step of a kind read from the register (``--db``, ``--as-of``): the build's register as of its
    day, or why there is none."""
    if data.db is None or data.as_of is None:
        return "没有登记库（示例报送年度）"
    return ["--db", str(data.db), "--as-of", data.as_of.isoformat()]


def label_of(lp: LoadedPolicy, sample: bool) -> str:
    """THE label rules: the policy's own (示例草案, 草案) and 示例数据 when made from sample data, joined by ·
    (printed at the top of every page; render.official re-exports it for the 公文)."""
    from generator.ledger.samples import NOTE
    from generator.ledger.writer import label_of as policy_label
    return "·".join(x for x in (policy_label(lp.policy), NOTE if sample else None) if x)


def default_label(lp: LoadedPolicy, doc: Document) -> str:
    return label_of(lp, doc.sample)


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document: a context builder plus a layout, in the formats the layout declares."""

    name: str                                                   # gaizao render doc NAME (ASCII)
    title: str                                                  # 改造公示牌 (also accepted as NAME)
    title_en: str
    documents: Callable[["LoadedPolicy", Inputs], list[Document]]   # the context builder
    layout: Layout
    needs: tuple[str, ...] = ()                                 # keys of INPUTS the kind cannot do without
    label: Callable[[LoadedPolicy, Document], str] = default_label
    build: BuildArgs | None = None                              # how ``gaizao build`` makes it from its data
    built_by: str = ""          # the build step that already makes it through this pipeline (e.g. "project documents")
    help: str = ""

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(self.layout.formats)


KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    """Add a kind to the registry (once per name; a second kind under a taken name or title is a bug)."""
    for other in KINDS.values():
        if other is not kind and (other.name == kind.name or other.title == kind.title):
            raise ValueError(f"document kind {kind.name!r} / {kind.title} registered twice")
    for need in kind.needs:
        if need not in INPUTS:
            raise ValueError(f"document kind {kind.name!r}: unknown input {need!r} (one of {sorted(INPUTS)})")
    KINDS[kind.name] = kind
    return kind


def kind_of(name: str) -> DocumentKind:
    """A registered kind by its name or its Chinese title; a located error listing them otherwise."""
    for k in KINDS.values():
        if name in (k.name, k.title):
            return k
    known = "、".join(f"{k.name}（{k.title}）" for k in KINDS.values())
    raise UsageError(f"未知的文档类型“{name}”：可用的有 {known}",
                     f"unknown document kind {name!r}: known are {', '.join(KINDS)}")


def _document_date(lp: LoadedPolicy) -> dt.date:
    from generator.ledger.writer import document_time
    return document_time(lp.policy).date()


def documents(kind: DocumentKind, lp: LoadedPolicy, inputs: Inputs) -> list[Document]:
    """The kind's documents for these inputs; an input the kind needs and was not given is a located error."""
    for need in kind.needs:
        if getattr(inputs, need) in (None, ()):
            opt, zh, en = INPUTS[need]
            raise UsageError(f"{kind.title}须给出 {opt}（{zh}）", f"{kind.title_en} needs {opt} ({en})")
    return kind.documents(lp, inputs)


def _env(kind: DocumentKind, lp: LoadedPolicy, doc: Document, templates: Any) -> Env:
    from generator.render.forms_templates import TemplateSet
    from generator.zipdoc import manifest
    ts = templates if isinstance(templates, TemplateSet) else TemplateSet(templates)
    return Env(lp, kind.label(lp, doc), manifest(lp, doc.input_hash, **{"document": kind.title, **doc.extra}), ts)


def _check_format(kind: DocumentKind, fmt: str) -> None:
    if fmt not in kind.formats:
        raise UsageError(f"{kind.title}没有 {fmt} 格式（可用：{'、'.join(kind.formats)}）",
                         f"{kind.title_en} has no {fmt} format (available: {', '.join(kind.formats)})")


def _finish(fmt: str, data: bytes) -> bytes:
    if fmt in ("docx", "xlsx"):
        from generator.render.base import normalize_zip
        zipped: bytes = normalize_zip(data)
        return zipped
    return data


def produce(kind: DocumentKind | str, lp: LoadedPolicy, doc: Document, fmt: str, *, templates: Any = None) -> bytes:
    """One document in one format, as bytes (nothing written)."""
    kind = kind_of(kind) if isinstance(kind, str) else kind
    _check_format(kind, fmt)
    env = _env(kind, lp, doc, templates)
    if fmt == "pdf" and isinstance(kind.layout, DocxLayout):
        return _print([_finish("docx", kind.layout.render("docx", doc, env))], lp, kind.title)[0]
    return _finish(fmt, kind.layout.render(fmt, doc, env))


def _print(docx: list[bytes], lp: LoadedPolicy, what: str) -> list[bytes]:
    """DOCX printed to PDF by LibreOffice, the whole batch in one process (reproducible bytes)."""
    from generator.render.office_pdf import docx_to_pdf
    stamp = _document_date(lp).strftime("%Y%m%d")
    done = docx_to_pdf([(d, Path(f"d{i:05d}.pdf")) for i, d in enumerate(docx)], stamp, what)
    return [pdf for _, pdf in done]


def write(kind: DocumentKind | str, lp: LoadedPolicy, inputs: Inputs, out_dir: str | Path, formats: tuple[str, ...] | None = None
          ) -> list[Path]:
    """Every document of the kind in each format into ``out_dir`` (its ``folder`` below it): all rendered before
    any is written, each written atomically. Two documents of one name in one folder get distinct names."""
    kind = kind_of(kind) if isinstance(kind, str) else kind
    docs = documents(kind, lp, inputs)
    if not docs:
        raise InputError(f"没有可生成的{kind.title}", f"nothing to make a {kind.title_en} of")
    return save(render([(kind, d) for d in docs], lp, out_dir, formats, templates=inputs.templates))


def render(items: list[tuple[DocumentKind, Document]], lp: LoadedPolicy, out_dir: str | Path,
           formats: tuple[str, ...] | None = None, *, templates: Any = None) -> list[tuple[Path, bytes]]:
    """(destination, bytes) of each document (of one kind or several) in each format (``formats``, else each kind's
    own), nothing written: the DOCX of every document printed by LibreOffice go to it in one batch."""
    from generator.fileio import output_stem
    from generator.render.forms_templates import TemplateSet

    ts = templates if isinstance(templates, TemplateSet) else TemplateSet(templates)
    out = Path(out_dir)
    files: list[tuple[Path, bytes]] = []
    taken: dict[str, Any] = {}
    to_print: list[tuple[int, bytes]] = []
    batches: dict[str, tuple[Builder, tuple[str, ...], list[tuple[Document, Env, dict[str, int]]]]] = {}
    for kind, doc in items:
        fmts = formats or kind.formats
        for fmt in fmts:
            _check_format(kind, fmt)
        env = _env(kind, lp, doc, ts)
        stem = output_stem(doc.stem, taken=taken, group=doc.folder)
        slots: dict[str, int] | None = None         # rendered with the kind's other documents, below
        if isinstance(kind.layout, Builder) and kind.layout.batch is not None:
            slots = {}
            batches.setdefault(kind.name, (kind.layout, fmts, []))[2].append((doc, env, slots))
        for fmt in fmts:
            dest = out / doc.folder / f"{stem}.{fmt}" if doc.folder else out / f"{stem}.{fmt}"
            if slots is not None:
                slots[fmt] = len(files)
                files.append((dest, b""))
            elif fmt == "pdf" and isinstance(kind.layout, DocxLayout):
                to_print.append((len(files), _finish("docx", kind.layout.render("docx", doc, env))))
                files.append((dest, b""))
            else:
                files.append((dest, _finish(fmt, kind.layout.render(fmt, doc, env))))
    for builder, fmts, jobs in batches.values():
        assert builder.batch is not None
        for (_, _, done), made in zip(jobs, builder.batch([(d, e) for d, e, _ in jobs], fmts)):
            for fmt, i in done.items():
                files[i] = (files[i][0], made[fmt] if builder.normalised else _finish(fmt, made[fmt]))
    if to_print:
        what = "、".join(dict.fromkeys(k.title for k, _ in items))
        for (i, _), pdf in zip(to_print, _print([d for _, d in to_print], lp, what)):
            files[i] = (files[i][0], pdf)
    return files


def write_documents(kind: DocumentKind, lp: LoadedPolicy, docs: list[Document], out_dir: str | Path, *,
                    pdf: bool = True) -> list[Path]:
    """Documents an older command built itself (its own options) written through the kind's layout: every format of
    the kind, PDF left out when ``pdf`` is false (``--no-pdf``)."""
    formats = kind.formats if pdf else tuple(f for f in kind.formats if f != "pdf")
    return save(render([(kind, d) for d in docs], lp, out_dir, formats))


def save(files: list[tuple[Path, bytes]]) -> list[Path]:
    """Write rendered files, each atomically (generator.fileio)."""
    from generator.fileio import atomic_write_bytes
    return [atomic_write_bytes(dest, data) for dest, data in files]


def registered() -> list[DocumentKind]:
    return list(KINDS.values())
