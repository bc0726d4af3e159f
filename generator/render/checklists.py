"""``gaizao render checklists PLAN.xlsx...``: one 开工认定核查表 per project (DOCX, optionally PDF).

The criteria are the policy's start-of-work criteria (附件), each cited; the facts are the project's
row of the county workbook. What the county reported in its criteria columns is printed as 县级填报;
the inspector's boxes (核查情况, 核查意见, 核查结论) are always left empty. The DOCX and the HTML
template come from one layout (generator.render.checklist_layout). Several PLAN files in one call
share one pool of PDF workers.

Fast path for thousands of projects (bench/bench_render.py): the .docx template is compiled once
(generator.render.forms_templates.DocxForm) and each document is a zip copy plus one Jinja render;
single PDFs and the merged county volumes are drawn from the layout by a Pool(2) of workers
(generator.render.checklist_pdf), the single PDFs while this process writes the DOCX; a bureau's own
HTML/CSS goes through WeasyPrint (generator.render.forms_pdf).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any


from generator.errors import InputError

if TYPE_CHECKING:
    from generator.policy.loader import LoadedPolicy

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
    manifest: dict = field(default_factory=dict)    # build manifest of its workbook


@dataclass
class Batch:
    lp: LoadedPolicy
    policy_ctx: dict
    manifest: dict
    items: list[Checklist] = field(default_factory=list)
    bodies: list | None = None      # each form laid out by the single PDFs, for the county volumes (bundled layout)
    progress: dict = field(default_factory=dict)    # "docx" / "pdf" / "merge" -> a progress bar's advance


def document_date(lp) -> dt.date:
    """The date core properties carry: the policy's issue date (fixed, so re-renders are identical)."""
    d = lp.policy.document.issue_date
    return d.value if d is not None else dt.date(lp.policy.year, 1, 1)


def plan_is_sample(plan) -> bool:
    from generator.ledger.samples import NOTE
    return any(isinstance(c.value, str) and NOTE in c.value for c in plan.info.values())


def _date(v) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    return v if isinstance(v, dt.date) else None


def plan_date(plan, lp) -> dt.date | None:
    """The workbook's own date, the data cut-off a checklist states when none is given: its latest
    reported date (基本信息 报送日期, or a later 实际开工/完工 or 开工条件 date: progress is added to the
    workbook after it was submitted). Planned dates are not reports and do not count."""
    from generator.ledger import contract as C
    cols = [C.ACTUAL_START, C.ACTUAL_END] + list(C.build_contract(lp.policy).criterion_columns.values())
    cell = plan.info.get(C.SUBMITTED)
    dates = [d for d in [_date(cell.value if cell is not None else None)] if d]
    for row in plan.projects:
        dates += [d for d in (_date(row.value(c)) for c in cols) if d]
    return max(dates) if dates else None


def build_batch(plan_path: str | Path, lp, plan=None, *, as_of: dt.date | None = None,
                batch: Batch | None = None, seen: dict | None = None) -> Batch:
    """Read the plan and build every project's context (no rendering yet). ``batch``: add to it
    (several workbooks in one call). ``as_of``: the data cut-off (default: plan_date, the latest it reports)."""
    from generator.fileio import output_stem, sha256_file
    from generator.render.base import manifest
    from generator.render.forms_context import policy_context, project_context

    if plan is None:
        from generator.ledger.reader import read_plan
        plan = read_plan(plan_path, lp)
    if not plan.projects:
        raise InputError("工作簿中没有项目（项目清单为空）", "the workbook has no projects (项目清单 is empty)",
                         location=str(plan_path))
    sample = plan_is_sample(plan)
    cut = as_of or plan_date(plan, lp)
    cut_note = "" if as_of or cut is None else "（工作簿所载最晚填报日期）"
    m = manifest(lp, input_hash=sha256_file(plan_path), document=DOC_KIND)
    if batch is None:
        pctx = policy_context(lp)
        pctx["sample"] = sample
        batch = Batch(lp, pctx, m)
    else:
        batch.policy_ctx["sample"] = batch.policy_ctx["sample"] or sample
    seen = {} if seen is None else seen
    for row in plan.projects:
        p = project_context(row, lp, batch.policy_ctx, county=plan.county, as_of=cut, sample=sample)
        p["as_of_text"] += cut_note
        county = output_stem(p["county"] or f"未注明{batch.policy_ctx['lower_unit']}")
        # same number and name: (2); alike once cut: the hash of the whole name keeps them apart
        stem = output_stem(f"{p['id']}_{p['name']}".strip("_") or f"第{row.row}行", taken=seen, group=county)
        batch.items.append(Checklist(county, stem, p, m))
    return batch


def _context(batch: Batch, item: Checklist) -> dict:
    from generator.render.base import manifest_text
    m = {**(item.manifest or batch.manifest), "project": item.project["id"]}
    return {**batch.policy_ctx, "p": item.project, "projects": [item.project], "manifest": manifest_text(m)}


def docx_bytes(batch: Batch, items: list[Checklist], templates, progress=None) -> list[bytes]:
    """Each project's DOCX: the compiled template (forms_templates.DocxForm) filled, with core properties."""
    from generator.render.forms_templates import core_properties_xml

    form = templates.docx(DOCX_TEMPLATE)
    lp = batch.lp
    issuer = lp.policy.document.issuer.value
    date = document_date(lp)
    out = []
    for item in items:
        ctx = _context(batch, item)
        core = core_properties_xml(f"{DOC_KIND} {item.project['id']} {item.project['name']}", issuer, date,
                                   {**(item.manifest or batch.manifest), "project": item.project["id"]})
        out.append(form.render(ctx, core))
        if progress:
            progress()
    return out


def pdf_bytes(batch: Batch, items: list[Checklist], templates, *, merge: bool = False, progress=None,
              meanwhile=None, bodies: list | None = None) -> list[bytes]:
    """One PDF per project of ``items``, or with ``merge`` one per county (in the order the counties first come
    in ``items``): a cover, an index (project -> page), then each project from a new page, pages numbered; the
    index's page numbers are the real ones. ``meanwhile()``: work for this process while the PDF workers draw
    (run once, before the PDFs are collected). ``bodies`` (bundled layout): one PDF per project fills it with each
    form laid out, in the order of ``items``; the county volumes then take the forms from it rather than laying
    them out again."""
    from generator.render.base import manifest_text
    from generator.render.forms_pdf import label_every_page, render_forms, render_merged
    from generator.render.forms_templates import render_html

    tpl = templates.html(HTML_TEMPLATE)
    css = templates.text(CSS_TEMPLATE)

    def make_html(items: list[Checklist], merged: bool = False) -> str:
        return render_html(tpl, {**batch.policy_ctx, "projects": [i.project for i in items], "merged": merged,
                                 "manifest": manifest_text(items[0].manifest or batch.manifest)}, HTML_TEMPLATE)

    def labels(items: list[Checklist]) -> str:
        """示例草案 (a draft policy) and 示例数据 (sample data): drawn by the pipeline on every page of a PDF
        laid out by a bureau's own template (issue 21.5), which may print them once, never or wrongly."""
        from generator.ledger.samples import NOTE
        return "　".join(x for x in (batch.lp.policy.label, NOTE if any(i.project["sample"] for i in items) else None)
                        if x)

    def title(item: Checklist) -> dict:
        m = {**(item.manifest or batch.manifest), "project": item.project["id"]}
        return {"Title": f"{DOC_KIND} {item.project['id']} {item.project['name']}", "Subject": manifest_text(m),
                "Author": batch.lp.policy.document.issuer.value}

    if merge:
        groups: dict[str, list[Checklist]] = {}
        laid: dict[str, list] = {}
        for n, item in enumerate(items):
            groups.setdefault(item.county, []).append(item)
            laid.setdefault(item.county, []).append(bodies[n] if bodies else None)

        def volume(items: list[Checklist]) -> dict:
            return {"Title": f"{items[0].project['county']} {DOC_KIND}",
                    "Subject": manifest_text(items[0].manifest or batch.manifest),
                    "Author": batch.lp.policy.document.issuer.value}
    pdfs: Any
    if merge and draws_bundled_layout(templates):
        from generator.render.checklist_pdf import render_merged_many
        front = {**batch.policy_ctx, "manifest": manifest_text(batch.manifest)}
        pdfs = render_merged_many([(front, [_context(batch, i) for i in items], volume(items),
                                    laid[county] if bodies else None)
                                   for county, items in groups.items()], on_done=progress)
    elif merge:                 # a bureau's own HTML/CSS: the pipeline labels every page, whatever it prints
        pdfs = (label_every_page(pdf, labels(items)) for items, pdf in zip(groups.values(), render_merged(
            list(groups.values()), lambda items: make_html(items, merged=True), css, volume, on_done=progress)))
    elif draws_bundled_layout(templates):
        from generator.render.checklist_pdf import render_many
        pdfs = render_many([_context(batch, i) for i in items], [title(i) for i in items],
                           on_done=progress, meanwhile=meanwhile, bodies=bodies)
        meanwhile = None
    else:                       # a bureau's own HTML/CSS: as above
        pdfs = (label_every_page(pdf, labels([item])) for item, pdf in zip(items, render_forms(
            items, make_html, css, title, on_done=progress)))
    if meanwhile:
        meanwhile()
    return list(pdfs)


# -- the document pipeline's kinds (generator.render.pipeline): a checklist per project, a volume per county ------
def checklist_documents(batch: Batch) -> list:
    """One Document per project (its county's folder); its context is the batch and the project's item."""
    from generator.render.pipeline import Document
    issuer = batch.lp.policy.document.issuer.value
    return [Document(item.stem, {"batch": batch, "item": item},
                     title=f"{DOC_KIND} {item.project['id']} {item.project['name']}", sample=bool(item.project["sample"]),
                     folder=item.county, input_hash=item.manifest.get("input_hash"), author=issuer,
                     extra={"project": item.project["id"]}) for item in batch.items]


def volume_documents(batch: Batch) -> list:
    """One Document per county: its projects' checklists in one PDF (cover, index, page numbers)."""
    from generator.render.pipeline import Document
    counties = list(dict.fromkeys(item.county for item in batch.items))
    return [Document(f"{county}_{DOC_KIND}", {"batch": batch, "county": county}, title=f"{county} {DOC_KIND}",
                     folder=county, author=batch.lp.policy.document.issuer.value) for county in counties]


def _render_checklists(jobs: list, formats: tuple[str, ...]) -> list[dict[str, bytes]]:
    """The checklists of one batch together: the PDFs drawn by the pool of workers while this process fills the
    DOCX (one pool for every workbook of the call)."""
    batch: Batch = jobs[0][0].context["batch"]
    templates = jobs[0][1].templates
    items = [doc.context["item"] for doc, _ in jobs]
    out: list[dict[str, bytes]] = [{} for _ in jobs]

    def docx_files() -> None:
        for o, data in zip(out, docx_bytes(batch, items, templates, batch.progress.get("docx"))):
            o["docx"] = data

    if "pdf" in formats:
        for o, data in zip(out, pdf_bytes(batch, items, templates, progress=batch.progress.get("pdf"),
                                          meanwhile=docx_files if "docx" in formats else None,
                                          bodies=batch.bodies)):
            o["pdf"] = data
    elif "docx" in formats:
        docx_files()
    return out


def _render_volumes(jobs: list, formats: tuple[str, ...]) -> list[dict[str, bytes]]:
    """The county volumes of one batch together (counties in parallel); with the bundled layout they take the
    forms laid out for the single PDFs when those were made in the same call (``batch.bodies``)."""
    batch: Batch = jobs[0][0].context["batch"]
    wanted = {doc.context["county"] for doc, _ in jobs}
    items = [i for i in batch.items if i.county in wanted]
    bodies = batch.bodies if batch.bodies and len(items) == len(batch.items) else None
    pdfs = pdf_bytes(batch, items, jobs[0][1].templates, merge=True, progress=batch.progress.get("merge"),
                     bodies=bodies)
    by_county = dict(zip(dict.fromkeys(i.county for i in items), pdfs))
    return [{"pdf": by_county[doc.context["county"]]} for doc, _ in jobs]


def _one(render):
    """A batch renderer used for one document in one format (pipeline.produce)."""
    def fn(doc, env, fmt):
        return render([(doc, env)], (fmt,))[0][fmt]
    return fn


def _kinds():
    from functools import partial

    from generator.render.pipeline import Builder, DocumentKind, Inputs, register

    def documents(lp, inputs: Inputs) -> list:
        return checklist_documents(batch_of(lp, inputs.plans, inputs.as_of))

    def volumes(lp, inputs: Inputs) -> list:
        return volume_documents(batch_of(lp, inputs.plans, inputs.as_of))

    one, vol = _one(_render_checklists), _one(_render_volumes)
    single = register(DocumentKind(
        "checklist", DOC_KIND, "start-of-work checklist", documents,
        Builder(docx=partial(one, fmt="docx"), pdf=partial(one, fmt="pdf"), batch=_render_checklists,
                normalised=True),
        needs=("plans",), built_by="render checklists",
        help="逐项目开工认定核查表（标准取自政策附件，县级填报事实，核查栏留空）；按下级单位分文件夹"))
    volume = register(DocumentKind(
        "checklist-volume", f"{DOC_KIND}（合并）", "start-of-work checklists, one volume per county", volumes,
        Builder(pdf=partial(vol, fmt="pdf"), batch=_render_volumes), needs=("plans",), built_by="render checklists",
        help="每个下级单位的开工认定核查表合并为一个 PDF（封面、目录、页码）"))
    return single, volume


def batch_of(lp, plan_paths, as_of: dt.date | None = None, plan=None) -> Batch:
    """The batch of every workbook given (several share one pool of PDF workers), as of ``as_of``; ``plan``: the
    one workbook already read."""
    from generator.errors import UsageError
    if not lp.policy.has_start_criteria:
        # the checklist is the 开工认定标准 of the policy, criterion by criterion: none, no checklist
        raise UsageError(f"{lp.policy.id} 未规定开工认定标准（start_criteria），无开工认定核查表可生成",
                         f"{lp.policy.id} has no start criteria (start_criteria): there is no checklist to render")
    batch: Batch | None = None
    seen: dict[str, Any] = {}
    for path in plan_paths:
        batch = build_batch(path, lp, plan if len(plan_paths) == 1 else None, as_of=as_of, batch=batch, seen=seen)
    assert batch is not None                      # at least one plan was given (the kind needs plans)
    return batch


TEMPLATE_PAIR = {"docx": DOCX_TEMPLATE, "pdf": HTML_TEMPLATE}


def draws_bundled_layout(templates) -> bool:
    """Single-form PDFs are drawn from checklist_layout directly (generator.render.checklist_pdf) unless
    a bureau overrides the HTML or CSS of the form: WeasyPrint then renders their layout."""
    return templates.override is None or not any((templates.override / rel).is_file()
                                                 for rel in (HTML_TEMPLATE, CSS_TEMPLATE))


def override_notes(templates, *, docx: bool, pdf: bool) -> list[tuple[str, str]]:
    """(zh, en) messages when a bureau's --templates override reaches only one of the two outputs.

    The DOCX and the PDF are generated from one layout, but a form edited in Word cannot be turned
    into the PDF's HTML: the PDF then keeps the bundled layout, and we say so (nothing is refused)."""
    if templates.override is None or not (docx and pdf):
        return []
    has = {kind: (templates.override / rel).is_file() for kind, rel in TEMPLATE_PAIR.items()}
    if has["docx"] and not has["pdf"]:
        return [(f"注意：自定义的 {DOCX_TEMPLATE} 只用于 DOCX；PDF 仍按内置版式（{HTML_TEMPLATE}）生成，"
                 f"不含在 Word 中所做的修改。要使 PDF 一致，请在同一文件夹提供改好的 {HTML_TEMPLATE}。",
                 f"note: the custom {DOCX_TEMPLATE} is used for the DOCX only; the PDFs keep the bundled layout "
                 f"({HTML_TEMPLATE}) and do not carry the Word edits. Put an edited {HTML_TEMPLATE} next to it "
                 "to make the PDFs follow.")]
    if has["pdf"] and not has["docx"]:
        return [(f"注意：自定义的 {HTML_TEMPLATE} 只用于 PDF；DOCX 仍按内置模板（{DOCX_TEMPLATE}）生成。",
                 f"note: the custom {HTML_TEMPLATE} is used for the PDFs only; the DOCX keep the bundled "
                 f"{DOCX_TEMPLATE}.")]
    return []


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


def render_checklists(plan_paths, lp, out_dir, *, pdf: bool = False, merge: bool = False, docx: bool = True,
                      templates=None, show_progress: bool = True, plan=None,
                      as_of: dt.date | None = None) -> dict[str, list[Path]]:
    """Library entry point (also used by the main build): returns the written files by kind.
    ``plan_paths``: one workbook or a list of them (one batch, one pool of PDF workers). Through the document
    pipeline (the kinds checklist and checklist-volume): all rendered, then each file written atomically."""
    from generator.render import pipeline
    from generator.render.forms_templates import TemplateSet
    templates = templates or TemplateSet()
    paths = [plan_paths] if isinstance(plan_paths, (str, Path)) else list(plan_paths)
    batch = batch_of(lp, paths, as_of, plan)
    n = len(batch.items)
    formats = tuple(f for f, wanted in (("docx", docx), ("pdf", pdf)) if wanted)
    total = (n if docx else 0) + (n if pdf else 0) + (n if merge else 0)
    # both kinds of PDF from the bundled layout: each form is laid out once, for its own PDF and its county's
    batch.bodies = [] if pdf and merge and draws_bundled_layout(templates) else None
    files: list[tuple[Path, bytes]] = []
    with progress_bar(total, DOC_KIND, show_progress) as progress:
        batch.progress = {"docx": _advance(progress, "DOCX", n) if docx else None,
                          "pdf": _advance(progress, "PDF", n) if pdf else None,
                          "merge": _advance(progress, "PDF（合并）", n) if merge else None}
        if formats:
            files += pipeline.render([(SINGLE, d) for d in checklist_documents(batch)], lp, out_dir, formats,
                                     templates=templates)
        if merge:
            files += pipeline.render([(VOLUME, d) for d in volume_documents(batch)], lp, out_dir, ("pdf",),
                                     templates=templates)
    written = pipeline.save(files)
    return {"docx": [p for p in written if p.suffix == ".docx"], "pdf": [p for p in written if p.suffix == ".pdf"]}


SINGLE, VOLUME = _kinds()
