"""Many small PDFs fast: WeasyPrint in a Pool(2) of forked workers.

Each worker keeps its own FontConfiguration and parsed CSS (generator.render.base caches both per
process), so a page costs layout + write only. Small batches render in-process: starting workers
costs more than it saves. Numbers: bench/bench_render.py and docs/forms.md.
"""
from __future__ import annotations

import multiprocessing
import os
from typing import Callable, Iterable, Iterator

POOL_MIN_JOBS = 8          # below this, a pool costs more than it saves


def _render(args: tuple[str, str]) -> bytes:
    from generator.render.base import html_to_pdf
    html, css = args
    return html_to_pdf(html, css)


def _warm(css: str) -> None:
    from generator.render.base import _css, _weasy, use_project_fonts
    use_project_fonts()
    _weasy()
    _css(css)


def pdf_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def render_pdfs(htmls: Iterable[str], css: str, *, count: int, on_done: Callable[[], None] | None = None,
                processes: int | None = None) -> Iterator[bytes]:
    """PDF bytes for each HTML document, in order."""
    from generator.render.base import use_project_fonts
    use_project_fonts()     # before any worker imports WeasyPrint (fontconfig reads it at start)
    jobs = ((h, css) for h in htmls)
    processes = processes or pdf_workers()
    if count < POOL_MIN_JOBS or processes < 2:
        for job in jobs:
            pdf = _render(job)
            if on_done:
                on_done()
            yield pdf
        return
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(processes, initializer=_warm, initargs=(css,)) as pool:
        for pdf in pool.imap(_render, jobs, chunksize=4):
            if on_done:
                on_done()
            yield pdf
