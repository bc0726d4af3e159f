"""City pages: every county on one page, the milestones chart, the city's documents, accounts, audit log."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, abort, g, redirect, request, url_for

from generator.errors import UsageError
from generator.web import files
from generator.web.app import accounts, audit, page, policy, register, role_required, today
from generator.web.county import _as_of_arg, deliver, send

bp = Blueprint("city", __name__)
SOON_DAYS = 30            # a duty within this many days is shown as due soon


@dataclass
class Duty:
    label: str
    date: dt.date
    clause: str
    state: str            # done | late | overdue | due | later | partial
    text: str


@dataclass
class CountyRow:
    county: str
    status: object                    # series.CountyStatus
    latest: object | None             # api.Submission
    duties: list[Duty] = field(default_factory=list)
    bars: list[dict] = field(default_factory=list)


def _plan_duty(lp, first, as_of: dt.date) -> Duty | None:
    """The county plan's deadline (三（一）) against the county's first submission."""
    d = lp.policy.deadline("county_plan")
    if d is None:
        return None
    clause = lp.text.display(d.clause)
    if first is not None and first.received <= as_of:
        late = (first.received - d.date).days
        if late <= 0:
            return Duty(d.label, d.date, clause, "done", f"已按期报送（{first.received.isoformat()}）")
        return Duty(d.label, d.date, clause, "late", f"逾期 {late} 天报送（{first.received.isoformat()}）")
    if as_of > d.date:
        return Duty(d.label, d.date, clause, "overdue", f"逾期未报（截止 {d.date.isoformat()}）")
    return Duty(d.label, d.date, clause, "due" if (d.date - as_of).days <= SOON_DAYS else "later",
                f"待报送（截止 {d.date.isoformat()}）")


def _milestone_duties(cs, as_of: dt.date) -> tuple[list[Duty], list[dict]]:
    """Each milestone as a duty and as a bar of the chart (reached / required, as known on ``as_of``)."""
    duties, bars = [], []
    line = cs.line
    for v in cs.verdicts:
        reached = v.reached_now if v.due else line.value(v.measure, v.basis)
        share = min(1.0, reached / v.required) if v.required else 0.0
        unit = "个" if v.basis == "projects" else "户"
        if v.due and v.met_now is None:      # the city's sum while a county has not reported: not judged
            from generator.policy.goals import NOT_COMPARED
            state, text = "partial", f"{reached}/{v.required}{unit}（{NOT_COMPARED}）"
        elif v.due:
            state = "done" if v.met_now else "overdue"
            text = f"{'已完成' if v.met_now else '未完成'}：{reached}/{v.required}{unit}"
            if v.changed:
                text += f"（当时上报 {v.reached_then}，其后报送改变了结果）"
        else:
            state = "due" if (v.date - as_of).days <= SOON_DAYS else "later"
            text = f"截至目前 {reached}/{v.required}{unit}"
        duties.append(Duty(v.label, v.date, v.clause, state, text))
        bars.append({"label": v.label, "date": v.date, "reached": reached, "required": v.required, "unit": unit,
                     "share": share, "state": state})
    return duties, bars


def _snapshot(as_of: dt.date):
    """The register's one picture of the day (19.4), taken once per request: the page, and the 通报 and 汇总表
    it links (made with the same due day), read the same figures and verdicts."""
    from flask import current_app, g
    cache = g.setdefault("gaizao_snapshots", {})
    if as_of not in cache:
        cache[as_of] = register().snapshot(as_of, policy=policy(),
                                           due_day=current_app.config["MONTHLY_DUE_DAY"] or None)
    return cache[as_of]


def _rows(as_of: dt.date, subs: list):
    """``subs``: the submissions received by ``as_of``, in order."""
    lp = policy()
    status = _snapshot(as_of).status
    first: dict[str, Any] = {}
    latest: dict[str, Any] = {}
    for s in subs:
        first.setdefault(s.county, s)
        latest[s.county] = s
    rows = []
    for cs in [*status.counties, status.city]:
        county = cs.line.county
        row = CountyRow(county, cs, latest.get(county) if cs is not status.city else None)
        if cs is not status.city:
            duty = _plan_duty(lp, first.get(county), as_of)
            if duty:
                row.duties.append(duty)
        ms, row.bars = _milestone_duties(cs, as_of)
        row.duties += ms
        rows.append(row)
    return status, rows[:-1], rows[-1]


def _monthly(as_of: dt.date, subs: list):
    """迟报/漏报 of the 信息月报 when the city office set its due day (gaizao serve --monthly-due-day)."""
    from flask import current_app
    day = current_app.config["MONTHLY_DUE_DAY"]
    if not day:
        return None
    return {c.county: c for c in _snapshot(as_of).duties().counties}


@bp.get("/city")
@role_required("admin", "city")
def dashboard():
    from generator.web.workflow import states
    as_of = _as_of_arg(default=today())
    subs = register().submissions(until=as_of)          # read once for the rows, the 月报 duties and the count
    st = states(register().path)
    trials = [x for x in subs if x.kind == "试填报"]
    gone = register().withdrawn(as_of)                  # the register's answer, as its figures count
    subs = [x for x in subs if x.kind != "试填报" and x.id not in gone]
    status, rows, city = _rows(as_of, subs)
    waiting = [x for x in reversed(subs) if getattr(st.get(x.id), "action", None) in (None, "received")]
    return page("city.html", as_of=as_of, status=status, rows=rows, city_row=city, monthly=_monthly(as_of, subs),
                sample=status.sample, total=len(subs), waiting=waiting, states=st, trials=len(trials),
                milestones=policy().policy.milestones)


@bp.get("/city/county/<name>")
@role_required("admin", "city")
def county(name: str):
    if policy().policy.county(name) is None:
        abort(404)
    from generator.web.workflow import states
    subs = list(reversed(register().submissions(name)))
    return page("city_county.html", county=name, subs=subs, states=states(register().path, [s.id for s in subs]))


@bp.get("/city/summary.xlsx")
@role_required("admin", "city")
def summary():
    as_of = _as_of_arg(default=today())
    name, data = files.summary(register(), policy(), as_of)
    return send(name, data, what="summary")


@bp.get("/city/tongbao.<kind>")
@role_required("admin", "city")
def tongbao(kind: str):
    if kind not in ("docx", "pdf"):
        abort(404)
    from flask import current_app
    as_of = _as_of_arg(default=today())
    reg, lp, due = register(), policy(), current_app.config["MONTHLY_DUE_DAY"]
    if kind == "docx":
        name, data = files.tongbao(reg, lp, as_of, kind, due)
        return send(name, data, what=f"tongbao-{kind}")
    # the bulletin reads every submission received by the day: its content key is theirs
    subs = reg.submissions(until=as_of)
    key = ("tongbao-pdf", lp.content_hash, as_of.isoformat(), due, tuple(s.sha256 for s in subs),
           _review_key(reg, subs))
    from functools import partial
    return deliver(key, partial(files.tongbao, reg, lp, as_of, kind, due), what="tongbao-pdf",
                   label=f"进度通报 PDF（截至{as_of.isoformat()}）")


def _review_key(reg, subs) -> tuple:
    from generator.web.workflow import states
    st = states(reg.path, [s.id for s in subs])
    return tuple(sorted((k, v.action) for k, v in st.items()))


# -- accounts -------------------------------------------------------------------------------------------
@bp.get("/city/accounts")
@role_required("admin")
def account_list(error=None, status=200, done=None, form=None, field=None, row=None):
    acc = accounts()
    listed = acc.list()
    waits = {a.id: acc.login_wait(a.username, None) for a in listed}
    return page("accounts.html", status, accounts=listed, waits=waits,
                counties=[c.name for c in policy().policy.counties], error=error, done=done, form=form or {},
                field=field, row=row)


@bp.post("/city/accounts")
@role_required("admin")
def account_create():
    f = request.form
    try:
        acc = accounts().create(f.get("username", ""), f.get("password", ""), role=f.get("role", ""),
                                county=f.get("county") or None, display_name=f.get("display_name"),
                                by=g.account.username, must_change=True)
    except UsageError as exc:
        return account_list(error=exc.message, status=400, form=f, field=_field_of(exc.message))
    from generator.policy.wording import policy_level
    from generator.web.accounts import role_names
    role = role_names(policy_level(policy().policy))[acc.role]
    audit("account-created", detail=f"{acc.username}（{role}{'，' + acc.county if acc.county else ''}）")
    return account_list(done=f"已创建账号“{acc.username}”。请将初始密码当面或电话告知本人；首次登录时须改为自己的密码。")


def _field_of(message: str) -> str | None:
    """The form field an account error is about (the message is shown beside it)."""
    for word, name in (("用户名", "username"), ("密码", "password"), ("角色", "role"), ("账号须指定", "county"),
                       ("不是政策中的", "county")):
        if word in message:
            return name
    return None


def _account(aid: int):
    acc = accounts().get(aid)
    if acc is None:
        abort(404)
    return acc


@bp.post("/city/accounts/<int:aid>/active")
@role_required("admin")
def account_active(aid: int):
    acc = _account(aid)
    active = request.form.get("active") == "1"
    if acc.id == g.account.id and not active:
        return account_list(error="不能停用自己的账号。", status=400)
    accounts().set_active(aid, active)
    audit("account-enabled" if active else "account-disabled", detail=acc.username)
    return redirect(url_for("city.account_list"), 303)


@bp.post("/city/accounts/<int:aid>/password")
@role_required("admin")
def account_password(aid: int):
    acc = _account(aid)
    try:
        accounts().set_password(aid, request.form.get("password", ""), by_admin=True)
    except UsageError as exc:
        return account_list(error=f"{acc.username}：{exc.message}", status=400, row=acc.id)
    audit("password-reset", detail=acc.username)
    return account_list(done=f"已重置“{acc.username}”的密码，其已登录的会话均已退出；其下次登录时须改为自己的密码。")


@bp.post("/city/accounts/<int:aid>/unlock")
@role_required("admin")
def account_unlock(aid: int):
    acc = _account(aid)
    accounts().unlock(acc.username, by=g.account.username)
    return account_list(done=f"已解除“{acc.username}”的登录限制（此前的失败次数不再计入）。")


@bp.post("/city/accounts/<int:aid>/totp-off")
@role_required("admin")
def account_totp_off(aid: int):
    acc = _account(aid)
    accounts().set_totp(aid, None)
    accounts().end_sessions(aid)
    audit("totp-cleared", detail=acc.username)
    return account_list(done=f"已清除“{acc.username}”的动态口令，其可用密码登录后重新设置。")


@bp.get("/city/audit")
@role_required("admin")
def audit_log():
    return page("audit.html", rows=accounts().audit_rows(500), subs={s.id: s for s in register().submissions()})
