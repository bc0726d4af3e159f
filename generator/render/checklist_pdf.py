"""开工认定核查表 PDFs drawn straight from the one layout (checklist_layout.FORM), without WeasyPrint.

Why a second PDF path: WeasyPrint spends 130-200 ms laying out and painting each form (a general
HTML/CSS engine), so 265 forms cannot be done in a few seconds on two cores. This module reads the same
layout model the DOCX and the HTML template come from, evaluates its Jinja expressions with the same
sandboxed environment and filters, and draws the blocks with the measures of checklist.css (A4, margins
25/26/20/28 mm, 五号 仿宋 in the tables, 1.3 line height, .7/1.3 mm cell padding, rules .3 mm where two
cells meet). Pagination keeps the same promises as the CSS: rows never split, the criteria header row is
repeated on a continuation page labelled 续页 with the project number, and the verdict-and-signature
block never stands alone (the last criterion row goes with it). Every page carries its number ("— N —",
as in the merged county PDF) and the form's project number in the footer.

The merged county volume (draw_merged) adds the cover and index of the layout (COVER, INDEX): the forms are
paginated first, so the index's page numbers and the page count on the cover are the real ones.

The bundled templates only: a bureau's own checklist.html or checklist.css (--templates) is a layout this
module cannot read, so those PDFs come from WeasyPrint (generator.render.forms_pdf).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

from generator.render import checklist_layout as L
from generator.render.pdfdraw import MM, Face, FontFamily, FontObjects, Page, Text, find_font

PAGE_W, PAGE_H = 210 * MM, 297 * MM
TOP, RIGHT, BOTTOM, LEFT = 25 * MM, 26 * MM, 20 * MM, 28 * MM       # checklist.css @page
CONTENT_W = PAGE_W - LEFT - RIGHT
BORDER = .15 * MM                    # each cell's own rule; two cells side by side make .3 mm
PAD_V, PAD_H = .7 * MM, 1.3 * MM
LINE = 1.3                           # line height of the form text (em)

# font families as checklist.css names them (fontconfig maps them through fonts/fonts.conf)
FAMILIES = {"fang": ["仿宋_GB2312:style=Regular", "Noto Serif CJK SC:style=Regular"],
            "kai": ["楷体_GB2312:style=Regular", "Noto Serif CJK SC:style=Regular"],
            "hei": ["黑体:style=Regular", "Noto Sans CJK SC:style=Regular"], "title": ["方正小标宋简体:bold", "Noto Serif CJK SC:bold"],
            "latin": ["Times New Roman:style=Regular", "Liberation Serif:style=Regular"]}


@dataclass(frozen=True)
class Style:
    family: str
    size: float                      # pt
    align: str = "left"
    before: float = 0.0              # mm
    after: float = 0.0               # mm
    indent: float = 0.0              # em
    line: float | None = LINE        # em; None: "normal", the font's own ascent + descent (CSS font shorthand)
    gray: float = 0.0


# the roles of checklist_layout, styled as checklist.css styles them
PARA = {"label": Style("hei", 11, "right", after=1, line=None), "title": Style("title", 16, "center", after=1.5, line=1.35),
        "basis": Style("kai", 11.5, "center", after=1, line=None), "cutoff": Style("fang", 10, "right", after=2),
        "verdict": Style("fang", 11, before=2, after=1), "indent": Style("fang", 11, after=1, indent=5),
        "note": Style("fang", 9, after=1, gray=.2)}
PARA.update({"cover-title": Style("title", 22, "center", after=10, line=1.6), "cover": Style("fang", 14, "center", after=4),
             "index-title": Style("hei", 16, "center", after=4, line=None)})
SMALL_TABLES = {"toc": 9}            # pt: the merged PDF's index (.index table { font-size: 9pt }, td padding .3 mm)
COVER_TOP = 50 * MM                  # .cover { padding-top: 50mm }
CELL = {"": Style("fang", 10.5), "line": Style("fang", 10.5), "head": Style("hei", 10.5, "center"),
        "cite": Style("kai", 9, gray=.2, line=None), "strong": Style("hei", 10.5)}
CONT_STYLE = Style("kai", 10, line=None)
FOOTER_STYLE = Style("latin", 12, "center", line=None)
FOOTER_ID_STYLE = Style("kai", 9, "right", gray=.2, line=None)
TABLE_AFTER = 3 * MM

NO_LINE_START = set("，。、；：？！）》」』】〕〉”’％,.;:?!)]}…·")
NO_LINE_END = set("（《「『【〔〈“‘([{")
# a date, a number with its unit or a ratio is never cut at the line end ("2023年4月/18日")
UNBREAKABLE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月|\d{1,2}月\d{1,2}日|\d{4}年|[0-9A-Za-z.%\-]+")


@lru_cache(maxsize=1)
def families() -> dict[str, FontFamily]:
    faces: dict[tuple[str, int], Face] = {}
    out = {}
    for key, patterns in FAMILIES.items():
        chain = []
        for pattern in patterns:
            where = find_font(pattern)
            if where not in faces:
                faces[where] = Face(*where)
                faces[where].number = len(faces)
            if faces[where] not in chain:
                chain.append(faces[where])
        out[key] = FontFamily(key, chain)
    return out


# -- evaluating the layout's Jinja expressions ---------------------------------------------------------
@lru_cache(maxsize=1)
def _env():
    from generator.render.forms_templates import jinja_filters
    from generator.sandbox import new_environment
    return new_environment(filters=jinja_filters(), autoescape=False)     # text is drawn, not parsed


@lru_cache(maxsize=None)
def _template(text: str):
    return _env().from_string(text)


@lru_cache(maxsize=None)
def _expression(expr: str):
    return _env().compile_expression(expr)


_SPACES = re.compile(r"[ \t\r\n\f]+")


def _text(text: str, ctx: dict) -> str:
    """A layout text as the HTML shows it: white space collapsed, trimmed."""
    return _SPACES.sub(" ", _template(text).render(ctx)).strip(" \t\r\n\f")      # not U+3000: it is the form's


# -- text layout ------------------------------------------------------------------------------------------
def _breaks(text: str) -> list[bool]:
    """ok[i]: a line may end before text[i] (break-all, as the CSS: CJK rules, dates and numbers whole)."""
    ok = [True] * (len(text) + 1)
    for m in UNBREAKABLE.finditer(text):
        for i in range(m.start() + 1, m.end()):
            ok[i] = False
    for i in range(1, len(text)):
        if text[i] in NO_LINE_START or text[i - 1] in NO_LINE_END:
            ok[i] = False
    ok[0] = False
    return ok


def wrap(text: str, style: Style, width: float) -> list[list[tuple[int, int, float, str]]]:
    """Lines of (face, glyph, advance pt, char) filling ``width`` points."""
    fam = families()[style.family]
    glyphs = [(face, gid, adv * style.size, ch) for ch in text for face, gid, adv in (fam.glyph(ch),)]
    if not text:
        return [[]]
    ok = _breaks(text)
    lines, start, x, last_ok = [], 0, 0.0, None
    i = 0
    while i < len(glyphs):
        adv = glyphs[i][2]
        if ok[i] and i > start:
            last_ok = i
        if x + adv > width + 1e-6 and i > start:
            cut = last_ok if last_ok is not None and last_ok > start else i      # nothing allowed: cut anyway
            lines.append(glyphs[start:cut])
            start, last_ok = cut, None
            x = sum(g[2] for g in glyphs[start:i])
            continue
        x += adv
        i += 1
    lines.append(glyphs[start:])
    return lines


@dataclass
class Block:
    """Lines of one style, ready to draw at a position."""
    style: Style
    lines: list
    width: float

    @property
    def line_height(self) -> float:
        if self.style.line is None:
            face = families()[self.style.family].faces[0]
            return self.style.size * (face.ascent - face.descent)
        return self.style.size * self.style.line

    @property
    def height(self) -> float:
        return self.line_height * len(self.lines)

    def draw(self, page: Page, x: float, y: float) -> None:
        fams = families()[self.style.family]
        lh = self.line_height
        for n, line in enumerate(self.lines):
            if not line:
                continue
            used = sum(g[2] for g in line)
            lx = x + {"center": (self.width - used) / 2, "right": self.width - used}.get(self.style.align, 0)
            lx += self.style.indent * self.style.size
            runs: list[Text] = []
            for face_no, gid, adv, ch in line:
                face = fams.faces[face_no]
                if not runs or runs[-1].face is not face:
                    asc, desc = face.ascent, face.descent
                    base = y + n * lh + (lh - (asc - desc) * self.style.size) / 2 + asc * self.style.size
                    runs.append(Text(face, self.style.size, lx, base, [], "", self.style.gray))
                runs[-1].gids.append(gid)
                runs[-1].chars += ch
                lx += adv
            page.texts.extend(runs)


def paragraph(text: str, style: Style, width: float) -> Block:
    return Block(style, wrap(text, style, width - style.indent * style.size), width)


# -- blocks of the form -------------------------------------------------------------------------------------
@dataclass
class Item:
    """One unbreakable piece of the flow: a paragraph or a table row."""
    height: float
    before: float
    after: float
    draw: object                     # callable(page, y)
    table: TableFlow | None = None   # the TableFlow it is a row of
    header: bool = False
    keep: int | None = None          # the Keep group it belongs to
    split: Callable[[float], Any] | None = None   # height -> (first, rest) Items; None: not split


class TableFlow:
    def __init__(self, t: L.Table):
        self.t = t
        inner = CONTENT_W - 2 * BORDER if t.borders else CONTENT_W
        total = sum(t.widths_mm)
        self.x = LEFT + (BORDER if t.borders else 0)
        self.widths = [w / total * inner for w in t.widths_mm]
        self.headers: list[Item] = []


def _cell_blocks(cell: L.Cell, ctx: dict, width: float, size: float | None = None) -> list[Block]:
    blocks = []
    for k, (text, role) in enumerate(cell.lines):
        value = _text(text, ctx)
        if k > 0 and not value:
            continue                 # an optional line left blank (as the HTML's {% if %})
        style = CELL["head"] if cell.head else CELL[role or ""]
        if (not cell.head and cell.align != "left") or size:
            style = Style(style.family, size or style.size, style.align if cell.head else cell.align,
                          gray=style.gray, line=style.line)
        blocks.append(paragraph(value, style, width))
    return blocks


def _row_item(flow: TableFlow, row: L.Row, ctx: dict, keep: int | None) -> Item:
    t = flow.t
    pad_side = 0 if not t.borders else PAD_H
    border = BORDER if t.borders else 0
    cells, col = [], 0
    for cell in row.cells:
        w = sum(flow.widths[col:col + cell.span])
        x = flow.x + sum(flow.widths[:col])
        blocks = _cell_blocks(cell, ctx, w - 2 * pad_side - 2 * border, SMALL_TABLES.get(t.name))
        cells.append((x, w, blocks))
        col += cell.span
    return _row_of_cells(flow, cells, (row.min_height_mm or 0) * MM, row.header, keep)


def _row_of_cells(flow: TableFlow, cells: list, min_height: float, header: bool, keep: int | None) -> Item:
    t = flow.t
    pad_v = .3 * MM if t.name in SMALL_TABLES and not header else PAD_V
    pad_top, pad_side, pad_bottom = (2.5 * MM, 0, 0) if not t.borders else (pad_v, PAD_H, pad_v)
    border = BORDER if t.borders else 0
    content = max(sum(b.height for b in blocks) for _, _, blocks in cells)
    height = max(content + pad_top + pad_bottom + 2 * border, min_height)

    def split(room: float):
        """A row longer than a page: its lines up to ``room`` here, the rest in a row below (cells side by
        side keep their columns). None when not even one line fits."""
        first, rest = [], []
        avail = room - pad_top - pad_bottom - 2 * border
        for x, w, blocks in cells:
            used, a, b, full = 0.0, [], [], False
            for block in blocks:
                n = 0
                while not full and n < len(block.lines) and used + block.line_height * (n + 1) <= avail + 1e-6:
                    n += 1
                used += block.line_height * n
                if n:
                    a.append(Block(block.style, block.lines[:n], block.width))
                if n < len(block.lines):
                    b.append(Block(block.style, block.lines[n:], block.width))
                    full = True            # nothing after a cut line goes in the first part
            first.append((x, w, a))
            rest.append((x, w, b))
        if not any(a for _, _, a in first):
            return None
        return (_row_of_cells(flow, first, 0, header, keep), _row_of_cells(flow, rest, 0, header, keep))

    def draw(page: Page, y: float) -> None:
        for x, w, blocks in cells:
            if t.borders:
                page.rects.append((x + border / 2, y + border / 2, w - border, height - border, border))
            inner = sum(b.height for b in blocks)
            avail = height - pad_top - pad_bottom - 2 * border
            by = y + border + pad_top + (avail - inner) / 2           # vertical-align: middle
            for b in blocks:
                b.draw(page, x + border + pad_side, by)
                by += b.height
    return Item(height, 0, 0, draw, table=flow, header=header, keep=keep, split=split)


def _para_item(p: L.Para, ctx: dict, keep: int | None) -> Item:
    style = PARA[p.role]
    if "\n" in p.text:              # lines of their own (<br/> in the HTML)
        parts = [paragraph(_text(part, ctx), style, CONTENT_W) for part in p.text.split("\n")]
        block = Block(style, [line for part in parts for line in part.lines], CONTENT_W)
    else:
        block = paragraph(_text(p.text, ctx), style, CONTENT_W)
    return Item(block.height, style.before * MM, style.after * MM, lambda page, y: block.draw(page, LEFT, y),
                keep=keep)


def flow_items(form, ctx: dict) -> list[Item]:
    items: list[Item] = []
    keep_no = 0

    def walk(blocks, keep):
        nonlocal keep_no
        for b in blocks:
            if isinstance(b, L.Keep):
                keep_no += 1
                walk(b.blocks, keep_no)
            elif isinstance(b, L.Table):
                flow = TableFlow(b)
                rows = []
                for r in b.rows:
                    if r.loop:
                        target, _, expr = r.loop.partition(" in ")
                        for n, value in enumerate(_expression(expr.strip())(**ctx) or []):
                            loop = {"index": n + 1, "index0": n}
                            rows.append(_row_item(flow, r, {**ctx, target.strip(): value, "loop": loop}, keep))
                    else:
                        rows.append(_row_item(flow, r, ctx, keep))
                flow.headers = [r for r in rows if r.header]
                if rows:
                    rows[-1].after = 0 if not b.borders else TABLE_AFTER
                items.extend(rows)
            elif not b.cond or _expression(b.cond)(**ctx):
                items.append(_para_item(b, ctx, keep))

    walk(form, None)
    return items


# -- pages ------------------------------------------------------------------------------------------------
def paginate(items: list[Item], top: float = TOP) -> list[list[tuple[Item, float]]]:
    """Place items on pages: rows whole, the table header repeated, a Keep group together with the
    item before it (so the verdict and signatures never open a page alone). ``top``: of the first page."""
    items = list(items)
    pages: list[list[tuple[Item, float]]] = [[]]
    y, last_after = top, 0.0
    limit = PAGE_H - BOTTOM

    def new_page():
        nonlocal y, last_after
        pages.append([])
        y, last_after = TOP, 0.0

    def place(item: Item):
        nonlocal y, last_after
        gap = max(last_after, item.before) if pages[-1] else 0
        pages[-1].append((item, y + gap))
        y += gap + item.height
        last_after = item.after

    def repeat_header(item: Item):
        if item.table is not None and not item.header:
            for h in item.table.headers:
                place(h)

    i = 0
    while i < len(items):
        item = items[i]
        if item.keep is not None and (i == 0 or items[i - 1].keep != item.keep):
            group = [x for x in items[i:] if x.keep == item.keep]
            need = _height(group, last_after if pages[-1] else 0)
            if y + need > limit + 1e-6 and pages[-1]:
                carried = []
                prev = pages[-1][-1][0] if pages[-1] else None
                if (prev is not None and prev.table is not None and not prev.header and len(pages[-1]) > 1
                        and not pages[-1][-2][0].header):
                    carried = [pages[-1].pop()[0]]        # the last row goes with the block (not its header alone)
                new_page()
                if carried:
                    repeat_header(carried[0])
                    place(carried[0])
            for g in group:
                place(g)
            i += len(group)
            continue
        gap = max(last_after, item.before) if pages[-1] else 0
        if y + gap + item.height > limit + 1e-6:
            headers = sum(h.height for h in item.table.headers) if item.table and not item.header else 0
            parts = item.split(limit - y - gap) if item.split and item.height > limit - TOP - headers else None
            if parts:                    # longer than a whole page: continued in a row on the next page
                place(parts[0])
                new_page()
                repeat_header(parts[1])
                items[i] = parts[1]
                continue
            if pages[-1]:
                new_page()
                repeat_header(item)
        place(item)
        i += 1
    return pages


def _height(group: list[Item], after: float) -> float:
    total = 0.0
    for item in group:
        total += max(after, item.before) + item.height
        after = item.after
    return total


def form_bodies(ctx: dict, form=L.FORM) -> list[Page]:
    """The form laid out and drawn page by page, without what the margins carry (page number, 续页 line,
    project number): the same bodies serve the form's own PDF and the county volume (numbered through)."""
    return [_body(placed) for placed in paginate(flow_items(form, ctx))]


def draw_form(ctx: dict, form=L.FORM, first_number: int = 1, bodies: list[Page] | None = None) -> list[Page]:
    """The form's pages; ``first_number``: the number its first page carries (in a merged volume);
    ``bodies``: its form_bodies when already made."""
    bodies = form_bodies(ctx, form) if bodies is None else bodies
    cont, ident = _text(L.CONT, ctx), _text(L.FOOTER_ID, ctx)
    return [_margins(body, first_number + n, ident, cont if n else None) for n, body in enumerate(bodies)]


def _body(placed) -> Page:
    page = Page(PAGE_W, PAGE_H)
    for item, y in placed:
        item.draw(page, y)
    return page


def _page(placed, number: int | None, ident: str = "", cont: str | None = None) -> Page:
    return _margins(_body(placed), number, ident, cont)


def _margins(body: Page, number: int | None, ident: str = "", cont: str | None = None) -> Page:
    """A page: a copy of its body, then (as WeasyPrint draws the margin boxes after the body) the 续页 line in
    the top margin and the footer: "— N —" centred, the project number flush right."""
    page = Page(body.width, body.height, list(body.texts), list(body.rects))
    if cont:
        block = paragraph(cont, CONT_STYLE, CONTENT_W)
        block.draw(page, LEFT, TOP - 3 * MM - block.height)
    if number is not None:
        mark = paragraph(f"— {number} —", FOOTER_STYLE, CONTENT_W)
        mark.draw(page, LEFT, PAGE_H - BOTTOM + 4 * MM)
        if ident:
            right = paragraph(ident, FOOTER_ID_STYLE, CONTENT_W)
            right.draw(page, LEFT, PAGE_H - BOTTOM + 4 * MM + (mark.height - right.height) / 2)
    return page


def draw_merged(ctx: dict, projects: list[dict], bodies: list[list[Page]] | None = None) -> list[Page]:
    """A county's volume: cover (unnumbered), index (project -> the page its form starts on), then every
    form from a page of its own, pages numbered through. Forms are paginated first, so the index and the
    cover's page count are the real ones. ``bodies``: each project's form_bodies when already made."""
    forms = [form_bodies(p) for p in projects] if bodies is None else bodies
    front = {**ctx, "projects": [p["p"] for p in projects]}
    index_pages = 1
    for _ in range(3):                     # the index's length does not depend on the numbers in it
        first, at = [], 2 + index_pages
        for laid in forms:
            first.append(at)
            at += len(laid)
        front.update(first_pages=first, total_pages=at - 1)
        index = paginate(flow_items([*L.INDEX_LABELS, L.INDEX_TITLE, L.INDEX], front))
        if len(index) == index_pages:
            break
        index_pages = len(index)
    pages = [_page(paginate(flow_items(L.COVER, front), top=TOP + COVER_TOP)[0], None)]
    labels = _text(L.FRONT_LABELS, front)
    pages += [_page(placed, 2 + n, cont=(labels or None) if n else None) for n, placed in enumerate(index)]
    for p, form, number in zip(projects, forms, first):
        pages += draw_form(p, first_number=number, bodies=form)
    return pages


# -- files --------------------------------------------------------------------------------------------------
PRODUCER = {"Producer": "gaizao"}


def render_merged_pdf(job: tuple) -> bytes:
    """Worker: (context, project contexts, info, their form_bodies or None) -> the county's merged PDF."""
    ctx, projects, info, bodies = job
    pages = draw_merged(ctx, projects, bodies)
    return FontObjects(pages).pdf(pages, {**PRODUCER, **info})


def render_pdfs(contexts: list[dict], infos: list[dict], keep_bodies: bool = False):
    """One PDF per context; the files share font subsets made for all of them. With ``keep_bodies``:
    (the PDFs, each form's bodies as plain data for the parent process: see portable)."""
    bodies = [form_bodies(ctx) for ctx in contexts]
    forms = [draw_form(ctx, bodies=b) for ctx, b in zip(contexts, bodies)]
    fonts = FontObjects([p for pages in forms for p in pages])
    pdfs = [fonts.pdf(pages, {**PRODUCER, **info}) for pages, info in zip(forms, infos)]
    return (pdfs, [portable(b) for b in bodies]) if keep_bodies else pdfs


def portable(pages: list[Page]) -> list[tuple]:
    """Pages as plain tuples, faces by number: what a PDF worker sends back (a Face holds HarfBuzz objects,
    which do not pickle) and restored() turns into pages again with this process's faces."""
    return [(p.width, p.height, [(t.face.number, t.size, t.x, t.y, t.gids, t.chars, t.gray) for t in p.texts],
             p.rects) for p in pages]


def restored(data: list[tuple]) -> list[Page]:
    faces = {f.number: f for family in families().values() for f in family.faces}
    return [Page(w, h, [Text(faces[t[0]], *t[1:]) for t in texts], rects) for w, h, texts, rects in data]


_JOBS: list = []             # set before the workers fork: a worker reads its job by number from it


def _run_job(fn, n: int) -> object:
    return fn(_JOBS[n])


def _in_pool(fn, jobs: list, sizes: list[int], on_done=None, meanwhile=None):
    """fn(job) for every job, in order, in a Pool of forked workers (here when there are few);
    ``meanwhile()`` runs in this process once the workers have their jobs."""
    global _JOBS
    from generator.render.forms_pdf import POOL_MIN_CHUNKS, pdf_workers
    from generator.workers import in_order
    families()                          # fonts found and opened once, before the fork
    _JOBS = jobs
    results: Iterator = iter(())
    try:
        if len(jobs) < POOL_MIN_CHUNKS or pdf_workers() < 2:
            if meanwhile:
                meanwhile()
            results = (fn(job) for job in jobs)
        else:                           # the workers read their job by number from _JOBS, forked with them
            results = in_order(_run_job, ((fn, n) for n in range(len(jobs))), pdf_workers(), started=meanwhile)
        for size, result in zip(sizes, results):
            if on_done:
                on_done(size)
            yield result
    finally:
        getattr(results, "close", lambda: None)()      # the workers end now, also when the caller stopped early
        _JOBS = []


def _render_chunk(job: tuple):
    return render_pdfs(*job)


def render_many(contexts: list[dict], infos: list[dict], on_done=None, meanwhile=None, bodies: list | None = None):
    """PDFs of many forms, in order: chunks of forms (each chunk's files share its font subsets, so a
    file carries the glyphs of at most CHUNK forms) over a Pool of forked workers. ``meanwhile()`` runs
    in this process once the workers have their chunks (the DOCX are written while the PDFs are drawn).
    ``bodies``: a list that receives each form's form_bodies, in order (for the county volumes)."""
    from generator.render.forms_pdf import chunks
    groups = chunks(list(range(len(contexts))))
    keep = bodies is not None
    jobs = [([contexts[i] for i in g], [infos[i] for i in g], keep) for g in groups]
    for done in _in_pool(_render_chunk, jobs, [len(g) for g in groups], on_done, meanwhile):
        if bodies is not None:                    # keep: the workers sent the bodies too
            done, laid = done
            bodies += [restored(b) for b in laid]
        yield from done


def render_merged_many(jobs: list[tuple], on_done=None):
    """One merged PDF per (context, project contexts, info, their form_bodies or None), e.g. per county,
    counties in parallel (the jobs reach the forked workers as they are: nothing is pickled on the way in)."""
    yield from _in_pool(render_merged_pdf, jobs, [len(j[1]) for j in jobs], on_done)
