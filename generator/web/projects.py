"""A project's life on the web (issue 20.1/20.2): its events, its 开工认定 per criterion, and the two forms.

The county declares a start criterion met with its evidence; the city records 符合/不符合 per criterion. Both
write through ``generator.life.Life.record`` with the account's role (and a county account's own county), the
same library as ``gaizao project declare/verify``. A county account sees its own county's projects only: any
other 项目编号 is "not found" (404), like another county's submission.
"""
from __future__ import annotations

import re

from flask import Blueprint, abort, g, redirect, request, url_for

from generator.errors import GaizaoError
from generator.fileio import sha256_bytes
from generator.life import Life
from generator.life import evidence as ev_mod
from generator.life.record import STAGE_WORDS
from generator.register import db
from generator.web import lifeforms
from generator.web.app import audit, login_required, page, policy, register, role_required, today, upload_limit

bp = Blueprint("projects", __name__)


def _life() -> Life:
    return Life(register().path)


def _project_for(pid: str):
    """The project's life if this account may see it; else 404 (another county's, or listed by none)."""
    pid = (pid or "").strip()
    if not pid or len(pid) > 100:
        abort(404)
    try:
        life = _life().project(pid, until=today())
    except GaizaoError:
        abort(404)
    if not g.account.is_city and g.account.county not in {x.county for x in life.listings}:
        abort(404)
    return life


def _criteria():
    p = policy().policy
    return list(p.start_criteria.items) if p.start_criteria else []


def _start_state(life) -> list[dict]:
    """Per criterion of the policy: the latest declaration and the latest verdict (day, then order recorded)."""
    declared, verified = {}, {}
    for e in life.events:                       # already in day, id order: later wins
        if e.kind == "declare":
            declared[int(e.fields["criterion"])] = e
        elif e.kind == "verify":
            verified[int(e.fields["criterion"])] = e
    lp = policy()
    return [{"c": c, "clause": lp.text.display(c.clause) if getattr(c, "clause", None) else "",
             "declared": declared.get(c.id), "verified": verified.get(c.id)} for c in _criteria()]


def _forms() -> dict[str, lifeforms.Form]:
    p = policy().policy
    subjects = tuple(p.consent.subjects) if p.consent and getattr(p.consent, "subjects", None) else None
    return lifeforms.forms(subjects) if subjects else lifeforms.forms()


def _hazards(life) -> list:
    """This project's hazards as of today, with their state (整改中, 已逾期, 已销号, 逾期销号)."""
    from generator.life.quality import hazards
    with db.opened(register().path, create=False) as conn:
        return [h for h in hazards(conn, today(), life.county) if h.project == life.project]


def project_page(pid: str, *, error=None, status=200, typed=None):
    life = _project_for(pid)
    role = "city" if g.account.is_city else "county"
    forms = [f for f in _forms().values() if f.who == role]
    return page("project.html", status, life=life, events=life.events, start=_start_state(life),
                criteria=_criteria(), error=error, typed=typed or {}, max_evidence_mb=ev_mod.MAX_BYTES // 2**20,
                stage_words=STAGE_WORDS, describe=lifeforms.describe,
                life_sections=[(sec, [f for f in forms if f.section == sec])
                               for sec in dict.fromkeys(f.section for f in forms)],
                choices={f.key: lifeforms.choices(f, life.events, life.project) for f in forms if f.refers},
                hazards=_hazards(life))


def evidence_limit() -> int:
    """The body an evidence form may send: one file up to the life library's limit and the form around it."""
    from generator.web.server import MARGIN_BYTES
    return ev_mod.MAX_BYTES + MARGIN_BYTES


@bp.errorhandler(413)
def too_large(exc):
    """Over the evidence routes' limit (the life library's, not ``--max-upload-mb``): said in the words of
    evidence, not of workbooks."""
    mb = ev_mod.MAX_BYTES / 2**20
    return page("error.html", 413, title="文件太大", code=413,
                text=f"证据文件超过 {mb:g} MB，未记录。请压缩照片（或降低拍摄分辨率）、分页扫描后重新上传。")


@bp.get("/projects/<pid>")
@login_required
def project(pid: str):
    return project_page(pid)


def _field_of(message: str) -> str:
    """Which field of the form a refusal is about (the message is the library's)."""
    for words, name in (("证据", "file"), ("日期", "day"), ("原因", "note"), ("说明", "note"),
                        ("核查结论", "verdict"), ("条件", "criterion"), ("认定标准", "criterion")):
        if words in message:
            return name
    return "form"


def _evidence_of(required: bool) -> list[tuple[str, bytes]]:
    f = request.files.get("file")
    if f is None or not f.filename:
        if required:
            raise ev_mod.EvidenceError("请选择证据文件（照片、扫描件或 Word 文档）", "choose an evidence file")
        return []
    # at most one byte past the limit: evidence.check then refuses it with its own message
    return [(f.filename[:200], f.stream.read(ev_mod.MAX_BYTES + 1))]


def _record(pid: str, kind: str, fields: dict, *, required_file: bool, what: str):
    life = _project_for(pid)
    form = request.form
    files: list[tuple[str, bytes]] = []
    try:
        files = _evidence_of(required_file)
        day = form.get("day") or ""
        ev = _life().record(kind, project=life.project, county=life.county if g.account.is_city else None,
                            day=day, by=g.account.display_name, fields=fields, evidence=files, policy=policy(),
                            today=today(), role=g.account.role, own_county=g.account.county)
    except GaizaoError as exc:
        exc.message = re.sub(r"[（(]--[a-z-]+[）)]", "", exc.message)      # the page has fields, not options
        name = files[0][0] if files else None
        audit("life-refused", county=life.county, file_name=name, sha256=sha256_bytes(files[0][1]) if files else None,
              detail=f"项目{life.project}{what}未记录：{exc.message}"[:500])
        return project_page(pid, error={"field": "file" if isinstance(exc, ev_mod.EvidenceError) else _field_of(exc.message),
                                        "text": exc.message, "location": exc.location, "form": kind},
                            status=400, typed={**form, "form": kind})
    f = ev.fields
    words = (f"条件{f['criterion']}{f['verdict']}（核查人{f['inspector']}）" if kind == "verify"
             else f"条件{f['criterion']}申报已满足")
    audit("life-" + kind, county=ev.county, file_name="、".join(e.name for e in ev.evidence)[:200] or None,
          sha256=ev.evidence[0].sha256 if ev.evidence else None,
          detail=f"项目{ev.project}：{words}，日期{ev.day.isoformat()}（记录{ev.id}）")
    return redirect(url_for("projects.project", pid=life.project, notice="recorded") + f"#e{ev.id}", 303)


@bp.post("/projects/<pid>/declare")
@upload_limit(evidence_limit)
@role_required("county")
def declare(pid: str):
    form = request.form
    return _record(pid, "declare", {"criterion": form.get("criterion", ""), "note": form.get("note") or None},
                   required_file=True, what="开工条件申报")


@bp.post("/projects/<pid>/verify")
@upload_limit(evidence_limit)
@role_required("city", "admin")
def verify(pid: str):
    form = request.form
    return _record(pid, "verify", {"criterion": form.get("criterion", ""), "verdict": form.get("verdict", ""),
                                   "note": form.get("note") or None, "inspector": g.account.display_name},
                   required_file=False, what="开工条件核查")


@bp.post("/projects/<pid>/life/<key>")
@upload_limit(evidence_limit)
@login_required
def life_form(pid: str, key: str):
    """One of the life forms (lifeforms.py): the county records, the city verifies, through Life.record."""
    form = _forms().get(key)
    if form is None:
        abort(404)
    if g.account.role not in form.roles():
        abort(403)
    life = _project_for(pid)
    posted = request.form
    files: list[tuple[str, bytes]] = []
    try:
        if any(f.name == "file" for f in form.fields):
            files = _evidence_of(any(f.name == "file" and f.required for f in form.fields))
        ref = (posted.get("refers_to") or "").strip()
        refers_to = int(ref) if ref.isdigit() and len(ref) < 19 else None
        if form.refers and refers_to is not None and refers_to not in {i for i, _ in lifeforms.choices(
                form, life.events, life.project)}:
            refers_to = -1             # not one this page offers (another project's, closed already): refused below
        fields = lifeforms.values(form, posted)
        per_project = form.kind != "inspection"
        ev = _life().record(form.kind, project=life.project if per_project else None,
                            county=life.county if (g.account.is_city or not per_project) else None,
                            day=posted.get("day") or "", by=g.account.display_name, fields=fields, evidence=files,
                            refers_to=refers_to if form.refers else None, policy=policy(), today=today(),
                            role=g.account.role, own_county=g.account.county)
    except GaizaoError as exc:
        exc.message = re.sub(r"[（(]--[a-z-]+[）)]", "", exc.message)      # the page has fields, not options
        exc.message = exc.message.replace("记录编号（其“#编号”）", "记录")
        name = files[0][0] if files else None
        audit("life-refused", county=life.county, file_name=name, sha256=sha256_bytes(files[0][1]) if files else None,
              detail=f"项目{life.project}{form.title}未记录：{exc.message}"[:500])
        field = lifeforms.field_of(form, exc.message, isinstance(exc, ev_mod.EvidenceError))
        return project_page(pid, error={"field": field, "text": exc.message, "location": exc.location, "form": key},
                            status=400, typed={**posted, "form": key})
    audit("life-" + form.kind, county=ev.county, file_name="、".join(e.name for e in ev.evidence)[:200] or None,
          sha256=ev.evidence[0].sha256 if ev.evidence else None,
          detail=f"项目{life.project}：{form.title}，日期{ev.day.isoformat()}（记录{ev.id}）"[:500])
    return redirect(url_for("projects.project", pid=life.project, notice="recorded") + f"#e{ev.id}", 303)


@bp.get("/projects/<pid>/evidence/<int:eid>/<int:seq>")
@login_required
def evidence(pid: str, eid: int, seq: int):
    life = _project_for(pid)
    if not any(e.id == eid for e in life.events):
        abort(404)                  # an event of another project (an inspection only when it visited this one)
    try:
        name, data = _life().evidence_bytes(eid, seq)
    except GaizaoError:
        abort(404)
    audit("download", county=life.county, file_name=name, sha256=sha256_bytes(data), detail="life-evidence")
    return send_file_of(name, data)


def send_file_of(name: str, data: bytes):
    import io

    from flask import send_file

    from generator.web.files import mime
    mt = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}.get(name[name.rfind("."):].lower())
    return send_file(io.BytesIO(data), mimetype=mt or mime(name), as_attachment=True, download_name=name)


@bp.get("/projects")
@login_required
def project_list():
    """The projects of a county's latest counted submission (a county: its own; the city: ``?county=``)."""
    lp = policy()
    counties = [c.name for c in lp.policy.counties]
    county = g.account.county if not g.account.is_city else (request.args.get("county") or "").strip() or None
    if county is not None and county not in counties:
        abort(404)
    rows, sub = [], None
    if county is not None:
        gone = set(register().withdrawn(today()))
        subs = [s for s in reversed(register().submissions(county))
                if s.kind != "试填报" and s.id not in gone and s.received <= today()]
        sub = subs[0] if subs else None
        if sub is not None:
            with db.opened(register().path, create=False) as conn:
                rows = conn.execute("SELECT project, community, households, actual_start, actual_end FROM projects "
                                    "WHERE submission_id = ? ORDER BY row", (sub.id,)).fetchall()
    return page("projects.html", county=county, counties=counties, sub=sub, rows=rows)

