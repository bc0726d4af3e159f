"""Many one-page forms to PDF fast: WeasyPrint on chunks of pages, in a Pool(2) of workers.

Per separate PDF, WeasyPrint pays a fixed cost (style cascade set-up, font subsetting, PDF
writing) on top of the page layout. So each worker lays out a *chunk* of forms as one document,
writes it once, and splits it into one PDF per form (page ranges come from the bookmarks each
form sets on its title: ``bookmark-level: 1``); the split files share the chunk's font subsets,
serialised once. Chunks are balanced over the workers. Workers keep their own FontConfiguration
and parsed CSS (generator.render.base caches both per process), use a slim user-agent stylesheet
holding only the rules our templates need, and parse well-formed XML templates with the C XML
parser. Numbers: bench/bench_render.py and docs/forms.md.
"""
from __future__ import annotations

import io
from collections import deque
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator

from generator.workers import default_count, in_order, quiet_worker

CHUNK = 32                # forms per layout at most: each chunk pays ~45 ms of font subsetting and PDF set-up
PRODUCER = {"Producer": "gaizao (WeasyPrint, pypdf)"}
POOL_MIN_CHUNKS = 2       # below this, starting workers costs more than it saves

# The HTML5 user-agent stylesheet is large and matched against every element; forms need this much.
SLIM_UA = """
head, title, meta, style, script, link { display: none }
html, body, div, section, h1, h2, h3, p, header, footer { display: block }
h1, h2, h3 { font-weight: bold }
h1 { bookmark-level: 1; bookmark-label: content(text) }     /* one h1 per form: where it starts */
b, strong { font-weight: bold }
table { display: table; box-sizing: border-box } thead { display: table-header-group }
tbody { display: table-row-group } tr { display: table-row } td, th { display: table-cell }
colgroup { display: table-column-group } col { display: table-column }
br::before { content: '\\A'; white-space: pre-line }
"""


@lru_cache(maxsize=1)
def _slim_html_class():
    import cssselect2

    from generator.render.base import _weasy
    weasyprint, fc, _ = _weasy()
    ua = weasyprint.CSS(string=SLIM_UA, font_config=fc)

    class SlimHTML(weasyprint.HTML):
        def __init__(self, string: str, base_url: str, url_fetcher):
            tree = _parse_xhtml(string)
            if tree is None:                         # not well-formed XML: the full HTML5 parser
                super().__init__(string=string, base_url=base_url, url_fetcher=url_fetcher, encoding="utf-8")
                return
            self.base_url, self.url_fetcher, self.media_type = base_url, url_fetcher, "print"
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(tree, content_language=None)
            self.etree_element = self.wrapper_element.etree_element

        def _ua_stylesheets(self, forms=False):
            return [ua]

    return SlimHTML


def _parse_xhtml(html: str):
    """The element tree of a form written as well-formed XML (our templates close every tag: <br/>,
    <col/>), parsed by the C XML parser: several times faster than WeasyPrint's pure-Python HTML5
    parser, which took about a tenth of the layout time. None when it is not XML (an overriding
    template may be plain HTML): then the HTML5 parser reads it as before."""
    from xml.etree import ElementTree
    try:
        root = ElementTree.fromstring(html)
    except ElementTree.ParseError:
        return None
    return root if root.tag == "html" else None


def render_document(html: str, css: str):
    """Lay out one HTML document (restricted fetcher, shared fonts and CSS): a weasyprint Document."""
    from generator.render.base import TEMPLATES, _css, _weasy, refused_resources_as_render_error
    _, fc, fetcher = _weasy()
    with refused_resources_as_render_error():
        doc = _slim_html_class()(html, TEMPLATES.as_uri() + "/", fetcher())
        return doc.render(stylesheets=[_css(css)], font_config=fc)


def _page_starts(document, forms: int) -> list[int]:
    """First page of each form: the pages its level-1 bookmark points to."""
    starts = [b[1][0] for b in document.make_bookmark_tree()]   # (label, (page, x, y), children, state)
    if len(starts) != forms:
        from generator.errors import TemplateError
        raise TemplateError(f"PDF 模板须在每张表开头有且只有一个 <h1>（{forms} 张表，找到 {len(starts)} 个）",
                            f"a PDF form template needs exactly one <h1> per form ({forms} forms, {len(starts)} found)")
    return starts


def split_pdf(pdf: bytes, starts: list[int], metadata: list[dict]) -> list[bytes]:
    """One PDF per form from a chunk PDF; deterministic (no dates, no random /ID).

    The forms of a chunk share their font objects (most of each file's bytes). Rather than letting
    a PdfWriter clone them again for every form, each object is serialised once per chunk, keeping
    its object number, and every form's file is put together from those bytes (unused numbers are
    free entries in its cross-reference table). A chunk whose pages point to other pages (links)
    is split by pypdf's writer instead."""
    import pypdf
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    ends = starts[1:] + [len(reader.pages)]
    serialised: dict[int, bytes] = {}
    out = []
    for a, b, meta in zip(starts, ends, metadata):
        numbers = _objects_of_pages(reader, range(a, b))
        if numbers is None:
            return _split_with_writer(reader, starts, ends, metadata)
        out.append(_assemble(reader, numbers, range(a, b), meta, serialised))
    return out


def _objects_of_pages(reader, pages: range) -> set[int] | None:
    """Numbers of the indirect objects the pages need (not the page tree); None if they reach another page."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject
    own = {reader.pages[i].indirect_reference.idnum for i in pages}
    seen: set[int] = set(own)
    todo = [reader.pages[i].get_object() for i in pages]
    while todo:
        obj = todo.pop()
        items = obj.values() if isinstance(obj, DictionaryObject) else obj if isinstance(obj, ArrayObject) else ()
        for key, value in zip(obj.keys() if isinstance(obj, DictionaryObject) else [None] * len(items), items):
            if key == "/Parent" and obj.get("/Type") == "/Page":
                continue
            if isinstance(value, IndirectObject):
                if value.idnum in seen:
                    continue
                target = value.get_object()
                if isinstance(target, DictionaryObject) and target.get("/Type") in ("/Page", "/Pages"):
                    return None
                seen.add(value.idnum)
                todo.append(target)
            elif isinstance(value, (DictionaryObject, ArrayObject)):
                todo.append(value)
    return seen


def _serialise(obj) -> bytes:
    buf = io.BytesIO()
    obj.write_to_stream(buf)
    return buf.getvalue()


def _assemble(reader, numbers: set[int], pages: range, meta: dict, serialised: dict[int, bytes]) -> bytes:
    """A PDF file holding ``pages`` of ``reader``: the given objects, a page tree, catalog and info."""
    from pypdf.generic import (ArrayObject, DictionaryObject, IndirectObject, NameObject, NumberObject,
                               create_string_object)
    top = max(numbers)
    tree, catalog, info = top + 1, top + 2, top + 3
    page_numbers = [reader.pages[i].indirect_reference.idnum for i in pages]
    bodies: dict[int, bytes] = {}
    for n in numbers:
        obj = reader.get_object(n)
        if n in page_numbers:              # its /Parent is this file's page tree
            page = DictionaryObject(obj)
            page[NameObject("/Parent")] = IndirectObject(tree, 0, None)
            bodies[n] = _serialise(page)
        else:
            if n not in serialised:
                serialised[n] = _serialise(obj)
            bodies[n] = serialised[n]
    bodies[tree] = _serialise(DictionaryObject({
        NameObject("/Type"): NameObject("/Pages"), NameObject("/Count"): NumberObject(len(page_numbers)),
        NameObject("/Kids"): ArrayObject(IndirectObject(n, 0, None) for n in page_numbers)}))
    bodies[catalog] = _serialise(DictionaryObject({
        NameObject("/Type"): NameObject("/Catalog"), NameObject("/Pages"): IndirectObject(tree, 0, None)}))
    bodies[info] = _serialise(DictionaryObject(
        {NameObject(f"/{k}"): create_string_object(v) for k, v in {**PRODUCER, **meta}.items()}))
    buf = io.BytesIO()
    buf.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n in sorted(bodies):
        offsets[n] = buf.tell()
        buf.write(b"%d 0 obj\n" % n + bodies[n] + b"\nendobj\n")
    xref = buf.tell()
    buf.write(b"xref\n0 %d\n0000000000 65535 f \n" % (info + 1))
    for n in range(1, info + 1):
        buf.write(b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 00001 f \n")
    buf.write(b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (info + 1, catalog, info, xref))
    return buf.getvalue()


def _split_with_writer(reader, starts: list[int], ends: list[int], metadata: list[dict]) -> list[bytes]:
    import pypdf
    out = []
    for a, b, meta in zip(starts, ends, metadata):
        w = pypdf.PdfWriter()
        for i in range(a, b):
            w.add_page(reader.pages[i])
        out.append(_finish(w, meta))
    return out


def _render_chunk(job: tuple) -> list[bytes] | bytes:
    """Worker: (html, css, metadata per form, split) -> per-form PDFs, or the whole chunk PDF."""
    html, css, metadata, split = job
    document = render_document(html, css)
    starts = _page_starts(document, len(metadata))
    from generator.render.base import refused_resources_as_render_error
    with refused_resources_as_render_error():          # attachments are fetched as the PDF is written
        pdf = document.write_pdf()
    return split_pdf(pdf, starts, metadata) if split else pdf


def _warm(css: str) -> None:
    """Worker start: fonts, CSS and the HTML class ready before the first chunk."""
    import gc

    quiet_worker()
    from generator.render.base import _css, _weasy, use_project_fonts
    use_project_fonts()
    _weasy()
    _css(css)
    _slim_html_class()
    # Layout allocates millions of small objects, and Python's default cycle collector walked them
    # (and the frozen imports) so often that it cost about a quarter of the layout time. Collect
    # rarely instead (workers are short-lived and their garbage is freed by reference counting).
    gc.freeze()
    gc.set_threshold(100_000, 50, 1000)


def pdf_workers() -> int:
    return default_count()


def chunks(seq: list, size: int = CHUNK) -> list[list]:
    """At most ``size`` items per chunk, as many chunks as needed rounded up to a multiple of the
    workers and sizes as equal as possible: no worker is left with a long last chunk alone."""
    if not seq:
        return []
    workers = pdf_workers()
    count = -(-len(seq) // size)
    if count > 1:                        # one chunk is rendered in this process (no pool)
        count = min(len(seq), -(-count // workers) * workers)
    bounds = [round(i * len(seq) / count) for i in range(count + 1)]
    return [seq[a:b] for a, b in zip(bounds, bounds[1:])]


def render_forms(pages: list, make_html: Callable[[list], str], css: str, metadata: Callable[[Any], dict], *,
                 on_done: Callable[[int], None] | None = None, processes: int | None = None,
                 chunk: int = CHUNK) -> Iterator[bytes]:
    """One PDF per item of ``pages`` (in order). ``make_html(items)`` renders a chunk of forms, each
    starting with a level-1 bookmark; ``metadata(item)`` gives its PDF Title/Subject."""
    groups = chunks(pages, chunk)
    jobs = ((make_html(g), [metadata(x) for x in g], True) for g in groups)
    for pdfs in _run(jobs, css, len(groups), on_done, processes):
        yield from pdfs


def render_merged(groups: list[list], make_html: Callable[[list], str], css: str, metadata: Callable[[list], dict], *,
                  on_done: Callable[[int], None] | None = None, processes: int | None = None) -> Iterator[bytes]:
    """One PDF per group (e.g. per county) holding all its forms, each group laid out as ONE document
    (groups in parallel): its page numbers, cover and index (target-counter) then count the real pages,
    which joining separately laid-out chunks could not do."""
    import pypdf
    jobs: Iterator[tuple[str, list[dict], bool]] = ((make_html(g), [{}] * len(g), False) for g in groups)
    for g, pdf in zip(groups, _run(jobs, css, len(groups), on_done, processes)):
        writer = pypdf.PdfWriter()
        writer.append(pypdf.PdfReader(io.BytesIO(pdf)))
        yield _finish(writer, metadata(g))


def _finish(writer, meta: dict) -> bytes:
    writer.add_metadata({f"/{k}": v for k, v in {**PRODUCER, **meta}.items()})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _run(jobs: Iterable[tuple], css: str, count: int, on_done, processes) -> Iterator:
    from generator.render.base import use_project_fonts
    use_project_fonts()     # before any worker imports WeasyPrint (fontconfig reads it at start)
    full = ((html, css, meta, split) for html, meta, split in jobs)
    processes = processes or pdf_workers()
    if count < POOL_MIN_CHUNKS or processes < 2:
        for job in full:
            result = _render_chunk(job)
            if on_done:
                on_done(len(job[2]))
            yield result
        return
    from generator.render.base import _css
    _css(css)   # a CSS the workers cannot load fails here, as a RenderError: in _warm the pool would respawn them for ever
    # a few chunks in flight, close + join at the end, never terminate (generator.workers.in_order); the chunks
    # are made as they are handed over, their sizes taken in the same order as the results come back
    sizes: deque[int] = deque()

    def handed():
        for job in full:
            sizes.append(len(job[2]))
            yield (job,)
    results = in_order(_render_chunk, handed(), processes, initializer=_warm, initargs=(css,))
    try:
        for result in results:
            size = sizes.popleft()
            if on_done:
                on_done(size)
            yield result
    finally:
        results.close()                 # the workers end now, also when the caller stopped early


# -- labels the pipeline owns ---------------------------------------------------------------------
LABEL_CSS = """@page { margin: 0 }
html, body { margin: 0; padding: 0 }
p { position: absolute; top: 8mm; right: 10mm; margin: 0; padding: 0.4mm 1.2mm; color: #d00000;
    background: #fff; border: 0.3mm solid #d00000;
    font: 11pt "黑体", "FandolHei", "Noto Sans CJK SC", sans-serif; white-space: nowrap }"""


@lru_cache(maxsize=16)
def _label_page(text: str, width_pt: float, height_pt: float) -> bytes:
    """A page of the given size holding only ``text`` in its top-right corner (red, boxed, on white)."""
    from xml.sax.saxutils import escape
    size = f"@page {{ size: {width_pt:.3f}pt {height_pt:.3f}pt }}"
    html = f'<html><head><style>{size}</style></head><body><p>{escape(text)}</p></body></html>'
    from generator.render.base import refused_resources_as_render_error
    with refused_resources_as_render_error():
        return render_document(html, LABEL_CSS).write_pdf()


def label_every_page(pdf: bytes, text: str) -> bytes:
    """``pdf`` with ``text`` (示例数据, 示例草案) drawn over the top-right corner of every page (issue 21.5).

    For layouts gaizao does not own (a bureau's --templates override of an HTML form): whatever the template
    prints, hides or pages, the pipeline draws the label last, on top of each page, in the page's own corner
    (a stamp of the page's size merged over it). Metadata is kept; the bytes stay deterministic."""
    import pypdf
    if not text:
        return pdf
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    writer = pypdf.PdfWriter(clone_from=reader)
    stamps: dict[tuple[float, float], Any] = {}        # one stamp per page size: its font is written once
    for page in writer.pages:
        if int(page.get("/Rotate", 0) or 0) % 360:      # a rotated page: the stamp in its printed orientation
            page.transfer_rotation_to_content()
        box = page.mediabox
        size = (round(float(box.width), 3), round(float(box.height), 3))
        if size not in stamps:
            stamps[size] = pypdf.PdfReader(io.BytesIO(_label_page(text, *size))).pages[0]
        page.merge_transformed_page(stamps[size], pypdf.Transformation().translate(float(box.left), float(box.bottom)),
                                    over=True)
        page.compress_content_streams()
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()
