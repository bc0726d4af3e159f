"""The files the pages offer, made by the library functions the CLI uses, as bytes.

Each renderer writes into a private temporary folder (atomic writes, as everywhere) and the bytes are
read back; nothing is left on disk. Documents that depend only on the policy (the notice, a county's
blank templates) are cached per policy content hash; everything from a submission is made on request.
"""
from __future__ import annotations

import datetime as dt
import io
import tempfile
import threading
import zipfile
from pathlib import Path

import generator.life  # noqa: F401 -- registers the life readers (register/hooks.py), also in a worker process
from generator.errors import UsageError
from generator.fileio import output_name, safe_filename

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
ZIP = "application/zip"
MIME = {".xlsx": XLSX, ".xlsm": XLSX, ".docx": DOCX, ".pdf": PDF, ".zip": ZIP, ".csv": "text/csv",
        ".json": "application/json", ".yaml": "application/yaml", ".yml": "application/yaml"}

CACHE_BYTES = 256 * 2**20     # what is made is kept (most recently used first) up to this size


class Made:
    """Files already made, by key: a submission never changes, so what is made from it (its checklists, its
    annotated copy) stays right. Each key is made once even when asked for twice at the same time (a double
    click on a slow PDF); the least recently used go when the total passes ``limit`` bytes."""

    def __init__(self, limit: int = CACHE_BYTES):
        from collections import OrderedDict
        self.limit, self.size = limit, 0
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        self.making: dict = {}

    def get(self, key, make):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
            key_lock = self.making.setdefault(key, threading.Lock())
        with key_lock:
            with self.lock:
                if key in self.items:
                    return self.items[key]
            value = make()
            with self.lock:
                self.items[key] = value
                self.size += _size(value)
                while self.size > self.limit and len(self.items) > 1:
                    _, old = self.items.popitem(last=False)
                    self.size -= _size(old)
                self.making.pop(key, None)
            return value


def _size(value) -> int:
    if isinstance(value, dict):
        return sum(_size(v) for v in value.values())
    return len(value[1]) if isinstance(value, tuple) else 0


def mime(name: str) -> str:
    return MIME.get(Path(name).suffix.lower(), "application/octet-stream")


def _zip(paths: list[Path], root: Path) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(paths):
            z.write(p, p.relative_to(root).as_posix())
    return buf.getvalue()


# -- from the policy ----------------------------------------------------------------------------------
def county_templates(made: Made, lp, county: str) -> dict[str, tuple[str, bytes]]:
    """{"docx": (name, bytes), "xlsx": (name, bytes)}: the county's plan template and 报送表, filled in
    from the policy (gaizao render county-plan)."""
    def make():
        from generator.render.county_plan import render_county_plans
        c = lp.policy.county(county)
        if c is None:
            raise UsageError(f"政策中没有“{county}”", f"no county {county!r} in the policy")
        with tempfile.TemporaryDirectory(prefix="gaizao-web-") as tmp:
            paths = render_county_plans(lp, [c], tmp)
            return {p.suffix[1:]: (p.name, p.read_bytes()) for p in paths}
    return made.get(("county-templates", lp.content_hash, county), make)


def notice(made: Made, lp) -> dict[str, tuple[str, bytes]]:
    """{"docx": ..., "pdf": ...}: the notice itself (gaizao render notice)."""
    def make():
        from generator.render.notice import render_notice
        with tempfile.TemporaryDirectory(prefix="gaizao-web-") as tmp:
            return {p.suffix[1:]: (p.name, p.read_bytes()) for p in render_notice(lp, tmp)}
    return made.get(("notice", lp.content_hash), make)


def notice_pdf(lp) -> tuple[str, bytes]:
    """The notice's PDF alone (for the worker pool: no shared cache object to carry to another process)."""
    from generator.render.notice import render_notice
    with tempfile.TemporaryDirectory(prefix="gaizao-web-") as tmp:
        pdf = next(p for p in render_notice(lp, tmp) if p.suffix == ".pdf")
        return pdf.name, pdf.read_bytes()


# -- from a submission --------------------------------------------------------------------------------
def _workbook(tmp: str, reg, sub) -> Path:
    path = Path(tmp) / safe_filename(sub.file_name)
    path.write_bytes(reg.blob(sub.id))
    return path


def monthly_form(reg, sub) -> bool:
    """Whether the submission is a 信息月报 in its own form (ledger/monthly.py), not a plan workbook: it has no
    start-of-work checklists, and it is read by the 月报's reader."""
    from generator.ledger.reader import is_monthly_file
    if sub.kind != "信息月报":
        return False
    with tempfile.TemporaryDirectory(prefix="gaizao-web-") as tmp:
        return is_monthly_file(_workbook(tmp, reg, sub))


def annotated(reg, lp, sub) -> tuple[str, bytes]:
    """The county's own workbook marked up with the findings recorded for it (validate --annotate); a 信息月报 in
    its own form is read by the 月报's reader, so its findings land on its own cells."""
    from generator.ledger.reader import is_monthly_file, read_monthly, read_plan
    from generator.render import pipeline
    from generator.validate.annotate import KIND, document
    if sub.format != "xlsx":
        raise UsageError("只有 .xlsx 工作簿可以生成标注副本", "only an .xlsx workbook can be annotated")
    with tempfile.TemporaryDirectory(prefix="gaizao-web-") as tmp:
        path = _workbook(tmp, reg, sub)
        plan = read_monthly(path, lp) if is_monthly_file(path) else read_plan(path, lp)
        data = pipeline.produce(KIND, lp, document(plan, reg.findings(sub.id)), "xlsx")     # the 标注副本 kind
        return output_name(f"{Path(sub.file_name).stem}（标注）", ".xlsx"), data


def checklists(reg, lp, sub, kind: str) -> tuple[str, bytes]:
    """The submission's start-of-work checklists: "docx" (a zip of DOCX), "pdf" (a zip of PDFs) or
    "merged" (one PDF: cover, index, every project), from gaizao render checklists."""
    from generator.ledger.reader import read_plan
    from generator.ledger.reader import is_monthly_file
    from generator.render.checklists import DOC_KIND, render_checklists
    with tempfile.TemporaryDirectory(prefix="gaizao-web-") as tmp:
        path = _workbook(tmp, reg, sub)
        if is_monthly_file(path):
            raise UsageError("信息月报没有开工认定核查表：核查表按年度实施方案的项目生成，请在实施方案的报送页下载",
                             "a 信息月报 has no start-of-work checklists: they are made from the plan")
        plan = read_plan(path, lp)
        out = Path(tmp) / "out"
        written = render_checklists(path, lp, out, docx=kind == "docx", pdf=kind == "pdf", merge=kind == "merged",
                                    show_progress=False, plan=plan)
        files = written["docx"] + written["pdf"]
        stem = f"{sub.county}_{DOC_KIND}_第{sub.version}版"
        if kind == "merged":
            return output_name(stem, ".pdf"), files[0].read_bytes()
        return output_name(f"{stem}_{kind.upper()}", ".zip"), _zip(files, out)


def kaigong(reg, lp, sub, kind: str, as_of: dt.date) -> tuple[str, bytes]:
    """The county's 开工项目认定汇总表 from this submission as of ``as_of`` (XLSX or PDF)."""
    from generator.render.pipeline import produce
    from generator.reports.kaigong import KIND, document, kaigong_table
    plan = reg.plan(sub.id, lp)
    t = kaigong_table(lp, sub.county, plan, as_of, sample=sub.sample)
    data = produce(KIND, lp, document(t), kind)          # the document pipeline: the same bytes as the command's
    return output_name(f"{t.title}（截至{as_of.isoformat()}）", f".{kind}"), data


# -- the city ---------------------------------------------------------------------------------------
def summary(reg, lp, as_of: dt.date) -> tuple[str, bytes]:
    with tempfile.TemporaryDirectory(prefix="gaizao-web-") as tmp:
        path = reg.write_summary(Path(tmp) / "summary.xlsx", as_of, policy=lp)
        return output_name(f"汇总表（截至{as_of.isoformat()}）", ".xlsx"), path.read_bytes()


def tongbao(reg, lp, as_of: dt.date, kind: str, due_day: int | None) -> tuple[str, bytes]:
    """The 进度通报 as of a day, only the DOCX or only the PDF asked for (as register documents makes it)."""
    from generator.register.documents import bulletin_stem, have_bulletin, progress_bulletin
    if not have_bulletin():
        raise UsageError("进度通报生成模块不可用", "the bulletin renderer (generator.reports.tongbao) is not available")
    from generator.render.pipeline import produce
    from generator.reports.tongbao import KIND, document
    doc = progress_bulletin(reg, lp, as_of, due_day=due_day)
    return output_name(bulletin_stem(as_of), f".{kind}"), produce(KIND, lp, document(doc, as_of, bool(doc.label)), kind)
