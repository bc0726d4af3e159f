"""Benchmark: 开工认定核查表, gaizao against the naive way (not a test).

    python bench/bench_render.py                 # the WHOLE command, as a user runs it (default; ~2 minutes)
    python bench/bench_render.py --runs 5
    python bench/bench_render.py --phases --sizes 265,5300   # in-process phases (DOCX, PDF) at larger N

Whole command (the figure README and docs/forms.md quote): each run is a new process, timed from the
outside (process start, imports, reading the five sample workbooks, DOCX and PDF of all 265 projects,
writing them):
  gaizao      `gaizao render checklists data/sample-*.xlsx --pdf -o TMP` (one call, several workbooks):
              PDFs drawn from checklist_layout by generator.render.checklist_pdf in a Pool(2), the DOCX
              written by the parent meanwhile
  naive       `python bench/bench_render.py --naive-job TMP data/sample-*.xlsx`: the same reading and DOCX
              code, then one WeasyPrint document per project (HTML(string).write_pdf(..., CSS(string)))
              in a Pool of the same number of processes (2)
The two alternate run by run (paired, so load on the shared machine hits both alike); the table gives
the medians, every run and the ratio, and the load average.

Phases (--phases), in one process after a warm-up:

DOCX, per N:
  gaizao      generator.render.checklists.write_docx: template compiled once (docxtpl patch_xml ->
              Jinja), per project one Jinja render + zip copy + core properties + atomic write
  naive       DocxTemplate(path).render(ctx, autoescape=True).save(path) per project
  raw bound   template zip members copied, docxtpl-patched document.xml rendered with Jinja, plain write
PDF, per N:
  gaizao      generator.render.checklists.write_pdfs: the forms drawn from checklist_layout
              (generator.render.checklist_pdf), Pool(2), chunks of up to 32 forms sharing font subsets
  weasyprint  the WeasyPrint path a bureau's own checklist.html/.css takes (generator.render.forms_pdf):
              Pool(2), chunks of up to 32 forms per layout, split per project reusing the chunk's font
              objects, shared FontConfiguration/CSS per worker, slim UA stylesheet
  naive       weasyprint.HTML(string=html).write_pdf(path, stylesheets=[CSS(string=css)]) per project,
              one process (for N = 5,300 estimated from the N = 265 run: said so in the table)
  shared      the same loop with one FontConfiguration and one parsed CSS (generator.render.base.html_to_pdf)

Projects: the five sample workbooks (data/sample-*.xlsx, 示例数据, 265 projects), repeated with new
numbers up to N. Output goes to a temporary folder. Prints a Markdown table (docs/forms.md).
"""
from __future__ import annotations

import argparse
import copy
import io
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def load_projects(lp, n: int):
    """A Batch of n checklists built from the sample workbooks (rows repeated with new 项目编号)."""
    from generator.ledger import contract as C
    from generator.ledger.model import Plan
    from generator.ledger.reader import read_plan
    from generator.render.checklists import build_batch
    files = sorted((ROOT / "data").glob("sample-*.xlsx"))
    rows = [row for f in files for row in read_plan(f, lp).projects]
    out = []
    for i in range(n):
        row = copy.deepcopy(rows[i % len(rows)])
        if i >= len(rows):
            cell = row.cells[C.PROJECT_ID]
            cell.value = cell.raw = f"{cell.value}-R{i // len(rows)}"
        out.append(row)
    return build_batch(files[0], lp, Plan(file="bench", projects=out))


def timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def docx_gaizao(batch, out, templates):
    from generator.render.checklists import write_docx
    write_docx(batch, out, templates)


def docx_naive(batch, out, templates):
    from docxtpl import DocxTemplate

    from generator.render.checklists import DOCX_TEMPLATE, _context
    from generator.render.forms_templates import new_environment
    path = templates.path(DOCX_TEMPLATE)
    out.mkdir(parents=True, exist_ok=True)
    for i, item in enumerate(batch.items):
        tpl = DocxTemplate(path)
        tpl.render(_context(batch, item), jinja_env=new_environment(), autoescape=True)
        tpl.save(out / f"{i}.docx")


def docx_raw(batch, out, templates):
    from generator.render.checklists import DOCX_TEMPLATE, _context
    from generator.render.forms_templates import new_environment, patched_parts
    data = templates.path(DOCX_TEMPLATE).read_bytes()
    zf = zipfile.ZipFile(io.BytesIO(data))
    members = [(n, zf.read(n)) for n in zf.namelist()]
    doc = new_environment().from_string(patched_parts(data)["word/document.xml"])
    out.mkdir(parents=True, exist_ok=True)
    for i, item in enumerate(batch.items):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for name, blob in members:
                z.writestr(name, doc.render(_context(batch, item)).encode() if name == "word/document.xml" else blob)
        (out / f"{i}.docx").write_bytes(buf.getvalue())


def pdf_gaizao(batch, out, templates):
    from generator.render.checklists import write_pdfs
    write_pdfs(batch, out, templates)


def pdf_weasyprint(batch, out, templates):
    from generator.fileio import atomic_write_bytes
    from generator.render.base import manifest_text
    from generator.render.checklists import CSS_TEMPLATE, HTML_TEMPLATE
    from generator.render.forms_pdf import render_forms
    from generator.render.forms_templates import render_html
    tpl, css = templates.html(HTML_TEMPLATE), templates.text(CSS_TEMPLATE)
    out.mkdir(parents=True, exist_ok=True)

    def make_html(items):
        return render_html(tpl, {**batch.policy_ctx, "projects": [i.project for i in items], "merged": False,
                                 "manifest": manifest_text(batch.manifest)})
    for i, pdf in enumerate(render_forms(batch.items, make_html, css, lambda item: {})):
        atomic_write_bytes(out / f"{i}.pdf", pdf)


def _htmls(batch, templates):
    from generator.render.checklists import HTML_TEMPLATE, _context
    from generator.render.forms_templates import render_html
    tpl = templates.html(HTML_TEMPLATE)
    return [render_html(tpl, _context(batch, item)) for item in batch.items]


def pdf_naive(batch, out, templates):
    from generator.render.base import use_project_fonts
    from generator.render.checklists import CSS_TEMPLATE
    use_project_fonts()
    import weasyprint
    css = templates.text(CSS_TEMPLATE)
    out.mkdir(parents=True, exist_ok=True)
    for i, html in enumerate(_htmls(batch, templates)):
        weasyprint.HTML(string=html).write_pdf(out / f"{i}.pdf", stylesheets=[weasyprint.CSS(string=css)])


def pdf_shared(batch, out, templates):
    from generator.render.base import html_to_pdf
    from generator.render.checklists import CSS_TEMPLATE
    css = templates.text(CSS_TEMPLATE)
    out.mkdir(parents=True, exist_ok=True)
    for i, html in enumerate(_htmls(batch, templates)):
        (out / f"{i}.pdf").write_bytes(html_to_pdf(html, css))


def subset(batch, n):
    b = copy.copy(batch)
    b.items = batch.items[:n]
    return b


# -- whole command ------------------------------------------------------------------------------------
def _naive_pdf(job):
    html, css, path = job
    import weasyprint
    weasyprint.HTML(string=html).write_pdf(path, stylesheets=[weasyprint.CSS(string=css)])


def naive_job(out: str, plans: list[str], processes: int = 2) -> None:
    """The naive whole job: gaizao's reading and DOCX, then one WeasyPrint document per project."""
    import multiprocessing

    from generator.fileio import safe_join
    from generator.policy import load_policy
    from generator.render.base import use_project_fonts
    from generator.render.checklists import CSS_TEMPLATE, build_batch, write_docx
    from generator.render.forms_templates import TemplateSet
    use_project_fonts()
    lp = load_policy("xuchang/2023")
    templates = TemplateSet()
    batch, seen = None, {}
    for plan in plans:
        batch = build_batch(plan, lp, batch=batch, seen=seen)
    write_docx(batch, Path(out), templates)
    css = templates.text(CSS_TEMPLATE)
    jobs = [(html, css, str(safe_join(safe_join(Path(out), item.county), item.stem + ".pdf")))
            for html, item in zip(_htmls(batch, templates), batch.items)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        pool.map(_naive_pdf, jobs, chunksize=1)


def whole_command(runs: int) -> None:
    from paired import gaizao_argv, medians, paired_runs, print_machine, table_row
    plans = [str(p) for p in sorted((ROOT / "data").glob("sample-*.xlsx"))]
    variants = {
        "gaizao": lambda out: (gaizao_argv() + ["render", "checklists", *plans, "--pdf", "-o", str(out)], {}),
        "naive": lambda out: ([sys.executable, str(Path(__file__).resolve()), "--naive-job", str(out), *plans], {}),
    }

    def every_project_written(name: str, out: Path) -> None:
        n_pdf, n_docx = len(list(out.rglob("*.pdf"))), len(list(out.rglob("*.docx")))
        assert n_pdf == n_docx == 265, (name, n_pdf, n_docx)
    times, loads = paired_runs(runs, variants, prefix="gaizao-bench-", check=every_project_written)
    med = medians(times)
    print_machine(loads)
    print("| whole command, 265 projects, DOCX + PDF | median (s) | runs (s) |")
    print("|---|---:|---|")
    print(table_row("`gaizao render checklists data/sample-*.xlsx --pdf`", times["gaizao"]))
    print(table_row("naive: same reading and DOCX, one WeasyPrint document per project, Pool(2)", times["naive"]))
    print(f"\nratio naive / gaizao (medians): {med['naive'] / med['gaizao']:.2f}×; "
          f"per run: " + ", ".join(f"{b / a:.2f}×" for a, b in zip(times["gaizao"], times["naive"])))


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--naive-job":
        return naive_job(sys.argv[2], sys.argv[3:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--phases", action="store_true", help="in-process phase timings instead of the whole command")
    ap.add_argument("--runs", type=int, default=3, help="paired runs of the whole command (medians)")
    ap.add_argument("--sizes", default="265,5300")
    ap.add_argument("--naive-pdf-sample", type=int, default=265,
                    help="projects rendered by the naive PDF loop; larger N are estimated from it")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of gaizao's PDF path for N <= 1,000 (the best one counts); larger N run once")
    args = ap.parse_args()
    if not args.phases:
        return whole_command(args.runs)
    from generator.policy import load_policy
    from generator.render.forms_pdf import CHUNK
    from generator.render.forms_templates import TemplateSet
    lp = load_policy("xuchang/2023")
    templates = TemplateSet()
    rows: list[tuple] = []
    naive_pdf_per_doc = None
    with tempfile.TemporaryDirectory(prefix="gaizao-bench-") as tmp:
        tmp = Path(tmp)
        for n in (int(x) for x in args.sizes.split(",")):
            batch = load_projects(lp, n)
            # warm-up (imports, template compile, fonts) outside the timings
            for fn in (docx_gaizao, docx_naive, docx_raw, pdf_shared):
                fn(subset(batch, 2), tmp / f"warm-{fn.__name__}", templates)
            t_raw = timed(lambda batch=batch, n=n: docx_raw(batch, tmp / f"raw{n}", templates))
            t_gz = timed(lambda batch=batch, n=n: docx_gaizao(batch, tmp / f"gz{n}", templates))
            t_nv = timed(lambda batch=batch, n=n: docx_naive(batch, tmp / f"nv{n}", templates))
            rows += [("DOCX", "raw lower bound (zip copy + Jinja)", n, t_raw, ""),
                     ("DOCX", "**gaizao** (compiled docxtpl template)", n, t_gz, f"{t_gz / t_raw:.2f}× raw bound"),
                     ("DOCX", "naive docxtpl per document", n, t_nv, f"{t_nv / t_gz:.1f}× slower than gaizao")]
            print(f"N={n} DOCX: raw {t_raw:.2f}s gaizao {t_gz:.2f}s naive {t_nv:.2f}s", file=sys.stderr, flush=True)
            runs = args.repeat if n <= 1000 else 1      # the shared machine is noisy: best of a few runs
            t_pdf = min(timed(lambda batch=batch, n=n: pdf_gaizao(batch, tmp / f"pdf{n}", templates))
                        for _ in range(runs))
            t_weasy = timed(lambda batch=batch, n=n: pdf_weasyprint(batch, tmp / f"pw{n}", templates))
            sample = min(n, args.naive_pdf_sample)
            if naive_pdf_per_doc is None or sample == n:
                t = timed(lambda batch=batch, n=n, sample=sample:
                          pdf_naive(subset(batch, sample), tmp / f"pn{n}", templates))
                naive_pdf_per_doc = t / sample
                t_shared = timed(lambda batch=batch, n=n, sample=sample:
                                 pdf_shared(subset(batch, sample), tmp / f"ps{n}", templates)) / sample
            est = sample < n
            t_naive = naive_pdf_per_doc * n
            rows += [("PDF", f"**gaizao** (drawn from the layout, Pool(2), chunks of ≤ {CHUNK})"
                      + (f", best of {runs}" if runs > 1 else ""), n, t_pdf, ""),
                     ("PDF", f"WeasyPrint path of --templates (Pool(2), chunks of ≤ {CHUNK}, split)", n, t_weasy,
                      f"{t_weasy / t_pdf:.1f}× slower than gaizao"),
                     ("PDF", "naive WeasyPrint per document" + (f" (estimated from {sample})" if est else ""), n,
                      t_naive, f"{t_naive / t_pdf:.1f}× slower than gaizao"),
                     ("PDF", "per document, shared fonts/CSS, 1 process" + (f" (estimated from {sample})" if est else ""),
                      n, t_shared * n, f"{t_shared * n / t_pdf:.1f}× slower than gaizao")]
            print(f"N={n} PDF: gaizao {t_pdf:.2f}s naive {t_naive:.2f}s", file=sys.stderr, flush=True)
    load = os.getloadavg()[0]
    print(f"\nMachine: {os.cpu_count()} cores, load average at the end {load:.1f} (shared machine).\n")
    print("| output | path | N | total (s) | per document (ms) | comparison |")
    print("|---|---|---:|---:|---:|---|")
    for kind, name, n, t, note in rows:
        print(f"| {kind} | {name} | {n:,} | {t:.2f} | {t / n * 1000:.1f} | {note} |")


if __name__ == "__main__":
    main()
