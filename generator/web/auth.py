"""Log in, log out, change one's own password; the home page sends each account to its own pages."""
from __future__ import annotations

from flask import Blueprint, abort, g, redirect, request, url_for

from generator.errors import UsageError
from generator.web.app import (SESSION_COOKIE, accounts, audit, client_ip, login_csrf, login_required, page,
                               set_cookie)

bp = Blueprint("auth", __name__)


def _home() -> str:
    return url_for("city.dashboard") if g.account.is_city else url_for("county.dashboard")


@bp.get("/")
def index():
    if g.account is None:
        return redirect(url_for("auth.login"))
    return redirect(_home())


def _safe_next(target: str | None) -> str | None:
    """Only a path of this site (never //host or a scheme): no open redirect after login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        if g.account is not None:
            return redirect(_home())
        return page("login.html", login_csrf=login_csrf(), next=_safe_next(request.args.get("next")) or "")
    username = (request.form.get("username") or "").strip()[:64]
    password = request.form.get("password") or ""
    nxt = _safe_next(request.form.get("next"))
    acc = accounts()
    if acc.login_blocked(username, client_ip()):
        audit("login-blocked", username=username)
        abort(429)
    account = acc.authenticate(username, password) if username and password else None
    if account is None:
        audit("login-failed", username=username)
        return page("login.html", 401, login_csrf=login_csrf(), next=nxt or "", username=username,
                    error="用户名或密码不正确。请检查大小写和输入法；连续输错 5 次将暂停登录 15 分钟。")
    token, session = acc.new_session(account)
    g.account = account
    audit("login")
    home = url_for("city.dashboard") if account.is_city else url_for("county.dashboard")
    resp = redirect(nxt or home, 303)
    set_cookie(resp, SESSION_COOKIE, token)
    return resp


@bp.post("/logout")
@login_required
def logout():
    audit("logout")
    accounts().end_session(g.session_token)
    resp = redirect(url_for("auth.login"), 303)
    resp.delete_cookie(SESSION_COOKIE, path="/")
    return resp


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    if request.method == "GET":
        return page("password.html")
    acc = accounts()
    old, new, again = (request.form.get(k) or "" for k in ("old", "new", "again"))
    if acc.authenticate(g.account.username, old) is None:
        audit("password-failed")
        return page("password.html", 400, error="当前密码不正确。")
    if new != again:
        return page("password.html", 400, error="两次输入的新密码不一致。")
    try:
        acc.set_password(g.account.id, new)
    except UsageError as exc:
        return page("password.html", 400, error=exc.message)
    audit("password-changed")
    token, _ = acc.new_session(g.account)        # the other sessions ended with the old password
    resp = redirect(_home() + "?notice=password", 303)
    set_cookie(resp, SESSION_COOKIE, token)
    return resp
