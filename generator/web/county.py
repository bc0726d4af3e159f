"""County pages: the dashboard, uploading a workbook, its findings, history and files.

A county account sees its own county only: the county always comes from the account (never from a URL or
form field) and every submission is looked up through ``submission_for``, which answers 404 for another
county's. City accounts may open every submission through the same routes.
"""
from __future__ import annotations

import datetime as dt
import io

from flask import Blueprint, abort, g, redirect, request, send_file, url_for

from generator.errors import GaizaoError, UsageError
from generator.fileio import sha256_bytes
from generator.web import files
from generator.web.app import (audit, ext, login_required, page, policy, register, role_required,
                               submission_for, today)
from generator.web.uploads import ACCEPT, sniff

bp = Blueprint("county", __name__)

NOTICES = {
    "duplicate": "这个文件今天已经报送过，内容完全相同，未重复登记。下面是当时的检查结果。",
    "password": "密码已修改。",
}


def send(name: str, data: bytes, *, what: str, submission=None):
    """A download, recorded in the audit log (who, when, which file and its sha256)."""
    audit("download", submission_id=submission.id if submission else None,
          county=submission.county if submission else None, file_name=name, sha256=sha256_bytes(data), detail=what)
    return send_file(io.BytesIO(data), mimetype=files.mime(name), as_attachment=True, download_name=name)


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
                notice=NOTICES.get(request.args.get("notice", "")), target=target,
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
    name, data = files.notice(ext()["made"], policy())[kind]
    return send(name, data, what=f"notice-{kind}")


# -- one submission -----------------------------------------------------------------------------------
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
                notice=NOTICES.get(request.args.get("notice", "")),
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
    name, data = _made(sub, f"checklists-{kind}", lambda: files.checklists(register(), policy(), sub, kind))
    return send(name, data, what=f"checklists-{kind}", submission=sub)


@bp.get("/submissions/<int:sid>/kaigong.<kind>")
@login_required
def kaigong(sid: int, kind: str):
    if kind not in ("xlsx", "pdf"):
        abort(404)
    sub = submission_for(sid)
    as_of = _as_of_arg(default=sub.received)
    name, data = _made(sub, f"kaigong-{kind}-{as_of}", lambda: files.kaigong(register(), policy(), sub, kind, as_of))
    return send(name, data, what=f"kaigong-{kind}", submission=sub)


def _as_of_arg(default: dt.date) -> dt.date:
    raw = request.args.get("as_of")
    if not raw:
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise UsageError(f"日期应写作 2023-06-30 的形式，不是“{raw[:20]}”", "a date is written 2023-06-30") from None
