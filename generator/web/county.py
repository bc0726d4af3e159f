"""County pages: the dashboard, uploading a workbook, its findings, history and files.

A county account sees its own county only: the county always comes from the account (never from a URL or
form field) and every submission is looked up through ``submission_for``, which answers 404 for another
county's. City accounts may open every submission through the same routes.
"""
from __future__ import annotations

import datetime as dt
import io
import time

from flask import Blueprint, abort, g, redirect, request, send_file, url_for

from generator.errors import GaizaoError, UsageError
from generator.fileio import sha256_bytes
from generator.web import files
from generator.web.app import (audit, ext, login_required, page, policy, register, role_required,
                               submission_for, today)
from generator.web.uploads import ACCEPT, sniff

bp = Blueprint("county", __name__)



def send(name: str, data: bytes, *, what: str, submission=None):
    """A download, recorded in the audit log (who, when, which file and its sha256)."""
    audit("download", submission_id=submission.id if submission else None,
          county=submission.county if submission else None, file_name=name, sha256=sha256_bytes(data), detail=what)
    return send_file(io.BytesIO(data), mimetype=files.mime(name), as_attachment=True, download_name=name)


def deliver(key: tuple, make, *, what: str, submission=None, label: str):
    """A document made by the worker pool (jobs.py): sent when ready, else the "正在生成" page, which reloads
    itself until the document is ready (then the reload downloads it). ``make`` runs off the request thread:
    it must not touch ``flask.g`` or the request."""
    from generator.web.jobs import Busy
    pool = ext()["jobs"]
    try:
        job = pool.get(key, g.account.id, make)
    except Busy as busy:
        return page("making.html", 429, label=label, busy=busy.active, refresh=5, state="busy")
    if job.state == "done":
        return send(job.value[0], job.value[1], what=what, submission=submission)
    if job.state == "failed":
        if isinstance(job.error, GaizaoError):
            raise job.error
        abort(500)
    resp = page("making.html", 202, label=label, refresh=2, state=job.state,
                waited=int(time.monotonic() - job.queued_at))
    resp.headers["Retry-After"] = "2"
    return resp


def _history(county: str):
    return list(reversed(register().submissions(county)))


@bp.get("/county")
@role_required("county")
def dashboard(error=None, status=200):
    county = g.account.county
    subs = _history(county)
    lp = policy()
    target = lp.policy.county(county).target
    return page("county.html", status, county=county, subs=subs, latest=subs[0] if subs else None,
                error=error, accept=ACCEPT, deadline=lp.policy.deadline("county_plan"),
                target=target,
                target_clause=lp.text.display(target.clause))


@bp.post("/county/upload")
@role_required("county")
def upload():
    county = g.account.county
    f = request.files.get("file")
    if f is None or not f.filename:
        return dashboard(error={"text": "请先选择要上传的工作簿文件（.xlsx），再点“上传并检查”。", "location": None}, status=400)
    data = f.read()
    try:
        name = sniff(data, f.filename)
        period = (request.form.get("period") or "").strip() or None
        if request.form.get("kind") == "monthly" and not period:
            raise UsageError("信息月报须选择所报月份", "a monthly report needs its month")
        if request.form.get("kind") != "monthly":
            period = None
        res = register().add(data, file_name=name, received=today(), by=g.account.display_name, county=county,
                             policy=policy(), period=period,
                             note=(request.form.get("note") or "").strip()[:200] or None)
    except GaizaoError as exc:
        audit("upload-refused", file_name=f.filename[:200], sha256=sha256_bytes(data), detail=exc.message[:500])
        return dashboard(error={"text": exc.message, "location": exc.location}, status=400)
    sub = res.submission
    audit("upload", submission_id=sub.id, file_name=sub.file_name, sha256=sub.sha256,
          detail="duplicate" if res.duplicate else f"v{sub.version}: {sub.errors} errors, {sub.warnings} warnings")
    return redirect(url_for("county.submission", sid=sub.id) + ("?notice=duplicate" if res.duplicate else ""), 303)


@bp.get("/county/template.<kind>")
@role_required("county")
def template(kind: str):
    if kind not in ("docx", "xlsx"):
        abort(404)
    name, data = files.county_templates(ext()["made"], policy(), g.account.county)[kind]
    return send(name, data, what=f"county-template-{kind}")


@bp.get("/documents/notice.<kind>")
@login_required
def notice(kind: str):
    if kind not in ("docx", "pdf"):
        abort(404)
    made, lp = ext()["made"], policy()
    if kind == "docx":
        name, data = files.notice(made, lp)[kind]
        return send(name, data, what=f"notice-{kind}")
    return deliver(("notice", lp.content_hash), lambda: files.notice(made, lp)["pdf"], what="notice-pdf",
                   label="政策原文（通知）PDF")


# -- one submission -----------------------------------------------------------------------------------
def content_key(sub, lp, what: str, as_of: dt.date | None = None) -> tuple:
    """What a document is made from: the submission's bytes (sha256), the policy's content, the as-of day
    (which starts and deadlines had come), and the submission's name in the file name (county, version)."""
    return (what, sub.sha256, lp.content_hash, as_of.isoformat() if as_of else None, sub.county, sub.version)


def _made(sub, what: str, make):
    """A file made from a submission, once: what was submitted never changes (its bytes, its findings)."""
    return ext()["made"].get((sub.id, sub.sha256, policy().content_hash, what), make)


def _changes(sub):
    reg = register()
    prev = reg.previous(sub)
    if prev is None:
        return None
    return reg.changes(sub.county, prev.id, sub.id, policy=policy())


@bp.get("/submissions/<int:sid>")
@login_required
def submission(sid: int):
    sub = submission_for(sid)
    findings = register().findings(sub.id)
    order = {"error": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda f: (order.get(f.severity.value, 3), f.sheet or "", f.row or 0))
    subs = _history(sub.county)
    return page("submission.html", sub=sub, fmt=sub.format, findings=findings, changes=_changes(sub), subs=subs,
                counts={"error": sub.errors, "warning": sub.warnings,
                        "info": sum(1 for f in findings if f.severity.value == "info")})


@bp.get("/submissions/<int:sid>/original")
@login_required
def original(sid: int):
    sub = submission_for(sid)
    return send(sub.file_name, register().blob(sub.id), what="original", submission=sub)


@bp.get("/submissions/<int:sid>/annotated.xlsx")
@login_required
def annotated(sid: int):
    sub = submission_for(sid)
    name, data = _made(sub, "annotated", lambda: files.annotated(register(), policy(), sub))
    return send(name, data, what="annotated", submission=sub)


@bp.get("/submissions/<int:sid>/checklists-<kind>")
@login_required
def checklists(sid: int, kind: str):
    if kind not in ("docx", "pdf", "merged"):
        abort(404)
    sub = submission_for(sid)
    reg, lp = register(), policy()
    label = {"docx": "开工认定核查表 DOCX（压缩包）", "pdf": "开工认定核查表 PDF（压缩包）", "merged": "开工认定核查表（合并 PDF）"}
    return deliver(content_key(sub, lp, f"checklists-{kind}"), lambda: files.checklists(reg, lp, sub, kind),
                   what=f"checklists-{kind}", submission=sub, label=f"{sub.county}第 {sub.version} 版的{label[kind]}")


@bp.get("/submissions/<int:sid>/kaigong.<kind>")
@login_required
def kaigong(sid: int, kind: str):
    if kind not in ("xlsx", "pdf"):
        abort(404)
    sub = submission_for(sid)
    as_of = _as_of_arg(default=sub.received)
    reg, lp = register(), policy()
    if kind == "xlsx":              # a few hundred rows of a spreadsheet: made at once
        name, data = _made(sub, f"kaigong-xlsx-{as_of}", lambda: files.kaigong(reg, lp, sub, kind, as_of))
        return send(name, data, what="kaigong-xlsx", submission=sub)
    return deliver(content_key(sub, lp, "kaigong-pdf", as_of), lambda: files.kaigong(reg, lp, sub, kind, as_of),
                   what="kaigong-pdf", submission=sub, label=f"开工项目认定汇总表 PDF（截至{as_of.isoformat()}）")


def _as_of_arg(default: dt.date) -> dt.date:
    raw = request.args.get("as_of")
    if not raw:
        return default
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise UsageError(f"日期应写作 2023-06-30 的形式，不是“{raw[:20]}”", "a date is written 2023-06-30") from None
    year = policy().policy.year
    if not year - 5 <= day.year <= year + 5:        # a day of the programme, not year 1 or 9999
        raise UsageError(f"日期应在 {year - 5} 年至 {year + 5} 年之间，不是“{raw[:20]}”",
                         f"the date should lie between {year - 5} and {year + 5}")
    return day
