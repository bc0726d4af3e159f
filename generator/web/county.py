"""County pages: the dashboard, uploading a workbook, its findings, history and files.

A county account sees its own county only: the county always comes from the account (never from a URL or
form field) and every submission is looked up through ``submission_for``, which answers 404 for another
county's. City accounts may open every submission through the same routes.
"""
from __future__ import annotations

import datetime as dt
import io
import time
from functools import partial

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


KINDS_OFFERED = ("年度实施方案", "信息月报", "联系点情况", "改造方案", "其他")    # register.rules.KINDS but 试填报
TRIAL = "试填报"


def web_words(message: str) -> str:
    """A register message in the page's words: the page has no --county, --period or --force."""
    import re
    message = re.sub(r"与 ?--county ?“([^”]*)” ?不符", r"与您账号所属的“\1”不符", message)
    message = re.sub(r"[（(]--period[^）)]*[）)]", "", message)
    message = re.sub(r"；?如确认无误，请加 ?--force ?重新登记（将记录在案）", "；请核对所报月份后重新上传", message)
    return message.replace("--county", "账号所属单位")


def _states(subs):
    from generator.web.workflow import states
    return states(register().path, [s.id for s in subs])


def county_duties(county: str, day: dt.date) -> tuple[list, object]:
    """The county's own deadlines and milestones as of ``day`` (the city page's rows, this county's), and its
    信息月报 record when the office set a due day."""
    from generator.web import city
    gone = _withdrawn(day)
    subs = [s for s in register().submissions(until=day) if s.id not in gone]
    _, rows, _ = city._rows(day, subs)
    row = next((r for r in rows if r.county == county), None)
    monthly = city._monthly(day, subs)
    return (row.duties if row else []), (monthly or {}).get(county)


def _withdrawn(day: dt.date) -> set[int]:
    """Withdrawn by ``day``: the register's answer (register/withdrawn.py), as the figures count."""
    return set(register().withdrawn(day))


@bp.get("/county")
@role_required("county")
def dashboard(error=None, status=200, typed=None):
    county = g.account.county
    subs = _history(county)
    lp = policy()
    target = lp.policy.county(county).target
    states = _states(subs)
    gone = _withdrawn(today())
    counted = [s for s in subs if s.kind != TRIAL and s.id not in gone]
    duties, monthly = county_duties(county, today())
    reminders = [d for d in duties if d.state in ("overdue", "due")]
    returned = next((s for s in counted if getattr(states.get(s.id), "action", None) == "returned"
                     and s is counted[0]), None)
    return page("county.html", status, county=county, subs=subs, latest=counted[0] if counted else None,
                error=error, accept=ACCEPT, deadline=lp.policy.deadline("county_plan"), target=target,
                target_clause=lp.text.display(target.clause), states=states, duties=duties, monthly=monthly,
                reminders=reminders, returned=returned, returned_state=states.get(returned.id) if returned else None,
                kinds=KINDS_OFFERED, typed=typed or {})


def _refuse(field: str, text: str, typed, location=None):
    return dashboard(error={"text": text, "field": field, "location": location}, status=400, typed=typed)


@bp.post("/county/upload")
@role_required("county")
def upload():
    county = g.account.county
    form = request.form
    trial = form.get("mode") == "trial"
    kind = (form.get("kind") or "").strip()
    period = (form.get("period") or "").strip() or None
    if not trial and kind not in KINDS_OFFERED:
        return _refuse("kind", "请先选择报送类别（年度实施方案、信息月报……）：同一个工作簿按类别检查和计入。", form)
    if kind == "信息月报" and not period:
        return _refuse("period", "信息月报须选择所报月份，例如 2023-06。", form)
    if kind != "信息月报":
        period = None
    f = request.files.get("file")
    if f is None or not f.filename:
        return _refuse("file", "请先选择要上传的工作簿文件（.xlsx），再点“正式报送”或“试填报”。", form)
    if (not trial and kind == "年度实施方案" and "月报" in f.filename and form.get("confirm_plan") != "1"):
        return _refuse("kind", f"文件名“{f.filename[:60]}”含“月报”，但所选类别是年度实施方案。如是信息月报，请选“信息月报”"
                       "并填所报月份；如确是实施方案，请勾选“确认是年度实施方案”后再上传。", {**form, "ask_confirm": "1"})
    data = f.read()
    try:
        name = sniff(data, f.filename)
        res = register().add(data, file_name=name, received=today(), by=g.account.display_name, county=county,
                             policy=policy(), period=period, kind=TRIAL if trial else kind, today=today(),
                             note=(form.get("note") or "").strip()[:200] or None)
    except GaizaoError as exc:
        text = web_words(exc.message)
        audit("upload-refused", file_name=f.filename[:200], sha256=sha256_bytes(data), detail=text[:500])
        return _refuse("period" if "所报月份" in text else "file", text, form, web_words(exc.location or "") or None)
    sub = res.submission
    audit("trial" if trial else "upload", submission_id=sub.id, file_name=sub.file_name, sha256=sub.sha256,
          detail=("内容相同，未重复登记" if res.duplicate else
                  f"{sub.kind or kind}{'（' + sub.period + '）' if sub.period else ''}第{sub.version}版："
                  f"错误{sub.errors}个，警告{sub.warnings}个"))
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
    return deliver(("notice", lp.content_hash), partial(files.notice_pdf, lp), what="notice-pdf",
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
    return submission_page(submission_for(sid))


def submission_page(sub, *, error=None, status=200, typed=None):
    from generator.web.workflow import WAITING, history
    findings = register().findings(sub.id)
    order = {"error": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda f: (order.get(f.severity.value, 3), f.sheet or "", f.row or 0))
    subs = _history(sub.county)
    steps = history(register().path, sub.id)
    state = steps[-1] if steps else None
    return page("submission.html", status, sub=sub, fmt=sub.format, findings=findings, changes=_changes(sub),
                monthly_form=files.monthly_form(register(), sub),
                subs=subs, states=_states(subs), steps=steps, state=state,
                state_label=state.label if state else WAITING, error=error, typed=typed or {},
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
    return deliver(content_key(sub, lp, f"checklists-{kind}"), partial(files.checklists, reg, lp, sub, kind),
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
    return deliver(content_key(sub, lp, "kaigong-pdf", as_of), partial(files.kaigong, reg, lp, sub, kind, as_of),
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
