"""The life of a submission after it was sent (a 填报系统's workflow): the county withdraws it while the city
has not received it; the city receives it (签收), accepts it (通过) or returns it (退回) with its reasons and
the 反馈意见函; the county downloads a 回执 (receipt: received date and sha256 of what it sent).

Kept in the register's ``web_reviews`` table, append-only: a submission's state is its latest row. The
submission itself is never changed or deleted (the register's rule).
"""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, g, redirect, request, url_for

from generator.errors import UsageError
from generator.register import db
from generator.web.app import audit, login_required, policy, register, role_required, submission_for, today
from generator.web.county import deliver, send, submission_page
# the review states live beside the web's two 公文 (web/letters.py, free of Flask); imported from here as before
from generator.web.letters import ACTIONS, WAITING, Review, _review, states  # noqa: F401

bp = Blueprint("workflow", __name__)

REASONS_MAX = 2000


def history(path, sid: int) -> list[Review]:
    with db.opened(path, create=True) as conn:
        return [_review(r) for r in conn.execute("SELECT * FROM web_reviews WHERE submission_id = ? ORDER BY id",
                                                 (int(sid),))]


def record(path, sid: int, action: str, by: str, *, reasons: str | None = None, letter: tuple | None = None,
           day: dt.date | None = None) -> Review:
    """Append one step; the rules of the workflow are checked inside the write lock (two clicks at once, or
    the county withdrawing while the city receives, cannot both win). ``day``: the web's "today" (the clock
    submissions are received by), so a withdrawal counts from the same day in the register's pictures."""
    from generator.register import store
    from generator.register.withdrawn import CITY_TZ
    t = dt.datetime.now(CITY_TZ)
    if day is not None and day != t.date():          # a moved clock (tests, a demo): its day, the time of now
        t = dt.datetime.combine(day, t.timetz())
    now = t.isoformat(timespec="seconds")
    with db.opened(path, create=True) as conn:
        with db.transaction(conn):
            row = conn.execute("SELECT action FROM web_reviews WHERE submission_id = ? ORDER BY id DESC LIMIT 1",
                               (int(sid),)).fetchone()
            state = row[0] if row else None
            if state == "withdrawn":
                raise UsageError("这份报送已撤回", "this submission was withdrawn")
            if action == "withdrawn" and state is not None:
                raise UsageError("已被接收，不能撤回；如需更正，请修改后重新报送（新版本）",
                                 "already received: it cannot be withdrawn; submit a corrected version instead")
            if action == "received" and state is not None:
                raise UsageError("已经接收过", "already received")
            if action in ("accepted", "returned") and state in ("accepted", "returned"):
                raise UsageError(f"已审核（{ACTIONS[state]}）", "already reviewed")
            if action in ("accepted", "returned") and state is None:     # reviewing is receiving too
                conn.execute("INSERT INTO web_reviews(submission_id, action, at, by) VALUES (?,?,?,?)",
                             (int(sid), "received", now, by))
            digest = name = None
            if letter is not None:
                name, data = letter
                digest = store.put(conn, data)
            cur = conn.execute("INSERT INTO web_reviews(submission_id, action, at, by, reasons, letter_name, "
                               "letter_sha256) VALUES (?,?,?,?,?,?,?)",
                               (int(sid), action, now, by, reasons, name, digest))
            return _review(conn.execute("SELECT * FROM web_reviews WHERE id = ?", (cur.lastrowid,)).fetchone())


def letter_bytes(path, digest: str) -> bytes:
    from generator.register import store
    with db.opened(path, create=True) as conn:
        data = store.get(conn, digest)
    if data is None:
        abort(404)
    return data


# -- documents (the kinds of web/letters.py, through the document pipeline) ---------------------------------------
def feedback_letter(reg, lp, sub, reasons: str, day: dt.date) -> tuple[str, bytes]:
    """The 反馈意见函 of a returned submission: the findings the county can correct (not the facts of receipt),
    with the city's reasons first."""
    from generator.render import pipeline
    from generator.web.letters import LETTER, letter_document
    return (f"反馈意见函（{sub.county}第{sub.version}版）.pdf",
            pipeline.produce(LETTER, lp, letter_document(reg, lp, sub, reasons, day), "pdf"))


def receipt(reg, lp, sub, state: str) -> tuple[str, bytes]:
    """回执: the city's acknowledgement that it received the county's file — when, which file (sha256), and
    where it stands."""
    from generator.render import pipeline
    from generator.web.letters import RECEIPT, receipt_document
    return f"回执（{sub.county}第{sub.version}版）.pdf", pipeline.produce(RECEIPT, lp, receipt_document(lp, sub, state), "pdf")


# -- routes -----------------------------------------------------------------------------------------------
def _done(sub, notice: str):
    return redirect(url_for("county.submission", sid=sub.id) + f"?notice={notice}", 303)


@bp.post("/submissions/<int:sid>/withdraw")
@login_required
def withdraw(sid: int):
    sub = submission_for(sid)
    if g.account.is_city:
        abort(403)
    try:
        record(register().path, sub.id, "withdrawn", g.account.display_name, day=today())
    except UsageError as exc:
        return submission_page(sub, error={"text": exc.message, "field": "withdraw"}, status=400)
    audit("withdrawn", submission_id=sub.id, county=sub.county, file_name=sub.file_name, sha256=sub.sha256)
    return _done(sub, "withdrawn")


@bp.post("/submissions/<int:sid>/review")
@role_required("admin", "city")
def review(sid: int):
    sub = submission_for(sid)
    action = request.form.get("action", "")
    reasons = (request.form.get("reasons") or "").strip()[:REASONS_MAX]
    if action not in ("receive", "accept", "return"):
        abort(400)
    letter = None
    if action == "return":
        if not reasons:
            return submission_page(sub, error={"text": "退回须写明理由（将写入反馈意见函）。", "field": "reasons"},
                                   status=400, typed=request.form)
        letter = feedback_letter(register(), policy(), sub, reasons, today())
    name = {"receive": "received", "accept": "accepted", "return": "returned"}[action]
    try:
        record(register().path, sub.id, name, g.account.display_name, reasons=reasons or None, letter=letter,
               day=today())
    except UsageError as exc:
        return submission_page(sub, error={"text": exc.message, "field": "reasons"}, status=400, typed=request.form)
    audit(name, submission_id=sub.id, county=sub.county, file_name=letter[0] if letter else None,
          detail=reasons or None)
    return _done(sub, name)


@bp.get("/submissions/<int:sid>/letter.pdf")
@login_required
def letter(sid: int):
    sub = submission_for(sid)
    st = states(register().path, [sub.id]).get(sub.id)
    if st is None or st.action != "returned" or not st.letter_sha256 or not st.letter_name:
        abort(404)
    return send(st.letter_name, letter_bytes(register().path, st.letter_sha256), what="feedback-letter",
                submission=sub)


@bp.get("/submissions/<int:sid>/receipt.pdf")
@login_required
def receipt_pdf(sid: int):
    sub = submission_for(sid)
    st = states(register().path, [sub.id]).get(sub.id)
    label = st.label if st else WAITING
    reg, lp = register(), policy()
    key = ("receipt", sub.sha256, lp.content_hash, sub.county, sub.version, label)
    from functools import partial
    return deliver(key, partial(receipt, reg, lp, sub, label), what="receipt", submission=sub,
                   label=f"{sub.county}第{sub.version}版的回执")
