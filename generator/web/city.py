"""City pages: every county on one page, the milestones chart, the city's documents, accounts, audit log."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import Blueprint, abort, g, redirect, request, url_for

from generator.errors import UsageError
from generator.web import files
from generator.web.app import accounts, audit, page, policy, register, role_required, today
from generator.web.county import _as_of_arg, send

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


def _rows(as_of: dt.date, subs: list):
    """``subs``: the submissions received by ``as_of``, in order."""
    lp, reg = policy(), register()
    status = reg.status(as_of, policy=lp)
    first, latest = {}, {}
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
    from generator.register.documents import reporting_duties
    return {c.county: c for c in reporting_duties(register(), policy(), as_of, day, subs).counties}


@bp.get("/city")
@role_required("admin", "city")
def dashboard():
    as_of = _as_of_arg(default=today())
    subs = register().submissions(until=as_of)          # read once for the rows, the 月报 duties and the count
    status, rows, city = _rows(as_of, subs)
    return page("city.html", as_of=as_of, status=status, rows=rows, city_row=city, monthly=_monthly(as_of, subs),
                sample=status.sample, total=len(subs),
                milestones=policy().policy.milestones)


@bp.get("/city/county/<name>")
@role_required("admin", "city")
def county(name: str):
    if policy().policy.county(name) is None:
        abort(404)
    subs = list(reversed(register().submissions(name)))
    return page("city_county.html", county=name, subs=subs)


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
    name, data = files.tongbao(register(), policy(), as_of, kind, current_app.config["MONTHLY_DUE_DAY"])
    return send(name, data, what=f"tongbao-{kind}")


# -- accounts -------------------------------------------------------------------------------------------
@bp.get("/city/accounts")
@role_required("admin")
def account_list(error=None, status=200, done=None):
    return page("accounts.html", status, accounts=accounts().list(),
                counties=[c.name for c in policy().policy.counties], error=error, done=done)


@bp.post("/city/accounts")
@role_required("admin")
def account_create():
    f = request.form
    try:
        acc = accounts().create(f.get("username", ""), f.get("password", ""), role=f.get("role", ""),
                                county=f.get("county") or None, display_name=f.get("display_name"),
                                by=g.account.username)
    except UsageError as exc:
        return account_list(error=exc.message, status=400)
    audit("account-created", detail=f"{acc.username} ({acc.role}{', ' + acc.county if acc.county else ''})")
    return account_list(done=f"已创建账号“{acc.username}”。请将初始密码当面或电话告知本人，并请其登录后修改。")


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
        accounts().set_password(aid, request.form.get("password", ""))
    except UsageError as exc:
        return account_list(error=f"{acc.username}：{exc.message}", status=400)
    audit("password-reset", detail=acc.username)
    return account_list(done=f"已重置“{acc.username}”的密码，其已登录的会话均已退出。")


@bp.get("/city/audit")
@role_required("admin")
def audit_log():
    return page("audit.html", rows=accounts().audit_rows(500))
