"""``gaizao render checklists PLAN.xlsx``: one 开工认定核查表 per project (DOCX, optionally PDF).

The criteria are the policy's start-of-work criteria (附件), each cited; the facts are the project's
row of the county workbook; criteria columns filled in the workbook prefill status and date.

Fast path for thousands of projects (bench/bench_render.py): the .docx template is compiled once
(generator.render.forms_templates.DocxForm) and each document is a zip copy plus one Jinja render;
PDFs come from a Pool(2) of WeasyPrint workers (generator.render.forms_pdf).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import click

from generator.errors import InputError
from generator.options import handle_errors, lang_option, output_dir_option, policy_option

DOCX_TEMPLATE = "checklist/checklist.docx"
HTML_TEMPLATE = "checklist/checklist.html"
CSS_TEMPLATE = "checklist/checklist.css"
DOC_KIND = "开工认定核查表"


@dataclass
class Checklist:
    """One project's checklist: where it goes and what it shows."""

    county: str
    stem: str            # safe file name without suffix
    project: dict        # generator.render.forms_context.project_context


@dataclass
class Batch:
    lp: object
    policy_ctx: dict
    manifest: dict
    items: list[Checklist] = field(default_factory=list)


def document_date(lp) -> dt.date:
    """The date core properties carry: the policy's issue date (fixed, so re-renders are identical)."""
    d = lp.policy.document.issue_date
    return d.value if d is not None else dt.date(lp.policy.year, 1, 1)


def plan_is_sample(plan) -> bool:
    from generator.ledger.samples import NOTE
    return any(isinstance(c.value, str) and NOTE in c.value for c in plan.info.values())


def build_batch(plan_path: str | Path, lp, plan=None) -> Batch:
    """Read the plan and build every project's context (no rendering yet)."""
    from generator.fileio import safe_filename, sha256_file
    from generator.render.base import manifest
    from generator.render.forms_context import policy_context, project_context

    if plan is None:
        from generator.ledger.reader import read_plan
        plan = read_plan(plan_path, lp)
    if not plan.projects:
        raise InputError("工作簿中没有项目（项目清单为空）", "the workbook has no projects (项目清单 is empty)",
                         location=str(plan_path))
    pctx = policy_context(lp)
    pctx["sample"] = plan_is_sample(plan)
    m = manifest(lp, input_hash=sha256_file(plan_path), document=DOC_KIND)
    batch = Batch(lp, pctx, m)
    seen: dict[tuple[str, str], int] = {}
    for row in plan.projects:
        p = project_context(row, lp, pctx, county=plan.county)
        county = safe_filename(p["county"] or "未注明县（市、区）")
        stem = safe_filename(f"{p['id']}_{p['name']}".strip("_") or f"第{row.row}行")
        n = seen[(county, stem)] = seen.get((county, stem), 0) + 1
        if n > 1:                       # two projects with the same number and name: keep both
            stem = safe_filename(f"{stem}_{n}")
        batch.items.append(Checklist(county, stem, p))
    return batch


def _context(batch: Batch, item: Checklist) -> dict:
    from generator.render.base import manifest_text
    m = {**batch.manifest, "project": item.project["id"]}
    return {**batch.policy_ctx, "p": item.project, "projects": [item.project], "manifest": manifest_text(m)}


def write_docx(batch: Batch, out_dir: Path, templates, progress=None) -> list[Path]:
    from generator.fileio import atomic_write_bytes, safe_join
    from generator.render.forms_templates import core_properties_xml

    form = templates.docx(DOCX_TEMPLATE)
    lp = batch.lp
    issuer = lp.policy.document.issuer.value
    date = document_date(lp)
    paths = []
    folders: dict[str, Path] = {}
    for item in batch.items:
        if item.county not in folders:        # checked once per county; stems are safe_filename()s
            folders[item.county] = safe_join(out_dir, item.county)
        ctx = _context(batch, item)
        core = core_properties_xml(f"{DOC_KIND} {item.project['id']} {item.project['name']}", issuer, date,
                                   {**batch.manifest, "project": item.project["id"]})
        path = folders[item.county] / (item.stem + ".docx")
        atomic_write_bytes(path, form.render(ctx, core))
        paths.append(path)
        if progress:
            progress()
    return paths


def write_pdfs(batch: Batch, out_dir: Path, templates, *, merge: bool = False, progress=None) -> list[Path]:
    """One PDF per project, or with ``merge`` one per county (pages in workbook order)."""
    from generator.fileio import atomic_write_bytes, safe_join
    from generator.render.base import manifest_text
    from generator.render.forms_pdf import render_forms, render_merged
    from generator.render.forms_templates import render_html

    tpl = templates.html(HTML_TEMPLATE)
    css = templates.text(CSS_TEMPLATE)

    def make_html(items: list[Checklist]) -> str:
        return render_html(tpl, {**batch.policy_ctx, "projects": [i.project for i in items],
                                 "manifest": manifest_text(batch.manifest)}, HTML_TEMPLATE)

    def title(item: Checklist) -> dict:
        m = {**batch.manifest, "project": item.project["id"]}
        return {"Title": f"{DOC_KIND} {item.project['id']} {item.project['name']}", "Subject": manifest_text(m),
                "Author": batch.lp.policy.document.issuer.value}

    if merge:
        groups: dict[str, list[Checklist]] = {}
        for item in batch.items:
            groups.setdefault(item.county, []).append(item)
        targets = [safe_join(safe_join(out_dir, county), f"{county}_{DOC_KIND}.pdf") for county in groups]
        pdfs = render_merged(list(groups.values()), make_html, css,
                             lambda items: {"Title": f"{items[0].project['county']} {DOC_KIND}",
                                            "Subject": manifest_text(batch.manifest),
                                            "Author": batch.lp.policy.document.issuer.value},
                             on_done=progress)
    else:
        targets = [safe_join(safe_join(out_dir, i.county), i.stem + ".pdf") for i in batch.items]
        pdfs = render_forms(batch.items, make_html, css, title, on_done=progress)
    for path, pdf in zip(targets, pdfs):
        atomic_write_bytes(path, pdf)
    return targets


def progress_bar(total: int, label: str, enabled: bool = True):
    """A rich progress bar on stderr for batches (a no-op context for small ones)."""
    from contextlib import nullcontext
    if not enabled or total < 20:
        return nullcontext(None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=Console(stderr=True), transient=True)


def _advance(progress, label: str, total: int):
    if progress is None:
        return None
    task = progress.add_task(label, total=total)
    return lambda n=1: progress.advance(task, n)


def render_checklists(plan_path, lp, out_dir, *, pdf: bool = False, merge: bool = False, docx: bool = True,
                      templates=None, show_progress: bool = True, plan=None) -> dict[str, list[Path]]:
    """Library entry point (also used by the main build): returns the written files by kind."""
    from generator.render.forms_templates import TemplateSet
    templates = templates or TemplateSet()
    out_dir = Path(out_dir)
    batch = build_batch(plan_path, lp, plan)
    n = len(batch.items)
    written: dict[str, list[Path]] = {"docx": [], "pdf": []}
    total = (n if docx else 0) + (n if pdf else 0) + (n if merge else 0)
    with progress_bar(total, DOC_KIND, show_progress) as progress:
        if docx:
            written["docx"] = write_docx(batch, out_dir, templates, _advance(progress, "DOCX", n))
        if pdf:
            written["pdf"] += write_pdfs(batch, out_dir, templates, progress=_advance(progress, "PDF", n))
        if merge:
            written["pdf"] += write_pdfs(batch, out_dir, templates, merge=True,
                                         progress=_advance(progress, "PDF（合并）", n))
    return written


@click.command("checklists")
@click.argument("plan_file", type=click.Path(exists=True, dir_okay=False))
@policy_option
@output_dir_option
@click.option("--pdf", is_flag=True, help="同时生成 PDF / also write PDFs.")
@click.option("--merge", is_flag=True, help="每个县（市、区）合并为一个 PDF / one PDF per county.")
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False), default=None,
              help="覆盖模板的文件夹（同名相对路径）/ folder of templates overriding the bundled ones.")
@lang_option
@handle_errors
def checklists_cmd(plan_file, policy_ref, output_dir, pdf, merge, templates_dir, lang):
    """逐项目生成开工认定核查表（标准取自政策附件）。 One start-of-work checklist per project."""
    from generator.policy import load_policy
    from generator.render.forms_templates import TemplateSet

    lp = load_policy(policy_ref)
    written = render_checklists(plan_file, lp, output_dir, pdf=pdf, merge=merge,
                                templates=TemplateSet(templates_dir))
    nd, np_ = len(written["docx"]), len(written["pdf"])
    if lang == "en":
        click.echo(f"wrote {nd} checklist DOCX and {np_} PDF file(s) to {output_dir}")
    else:
        click.echo(f"已生成开工认定核查表 DOCX {nd} 份、PDF {np_} 份 → {output_dir}")
