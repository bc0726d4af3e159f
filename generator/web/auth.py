"""Log in, log out, change one's own password; the home page sends each account to its own pages."""
from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

from flask import Blueprint, current_app, g, redirect, request, url_for
from werkzeug.exceptions import HTTPException

from generator.errors import UsageError
from generator.web.app import (SESSION_COOKIE, accounts, audit, client_ip, login_csrf, login_required, page,
                               set_cookie)
from generator.web.passwords import RULES_ZH

bp = Blueprint("auth", __name__)


def _home() -> str:
    return url_for("city.dashboard") if g.account.is_city else url_for("county.dashboard")


@bp.get("/")
def index():
    if g.account is None:
        return redirect(url_for("auth.login"))
    return redirect(_home())


# characters that some browser or proxy reads as a slash, or drops: never in a path we redirect to
_SLASHES = set("\\\u2044\u2215\u29f8\uff0f\uff3c\ufe68\u2216\u29f5\u29f9")


def _clean(text: str) -> bool:
    return not any(unicodedata.category(c)[0] in "CZ" or c in _SLASHES for c in text)


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a page of this site (a path the site answers to with GET), else None: no open
    redirect after login whatever the encoding (//host, /\\host, %09, %5C, %2F%2F, CR/LF, ／, https:, javascript:)."""
    if not target or len(target) > 2000 or not target.startswith("/"):
        return None
    decoded = unquote(unquote(target))             # twice: %252F%252F is //, to someone who decodes again
    for t in (target, decoded):
        if t.startswith("//") or t.startswith("/\\") or not _clean(t):
            return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    try:
        endpoint, _ = current_app.url_map.bind("localhost").match(unquote(parts.path), method="GET")
    except HTTPException:
        return None
    if endpoint in ("static", "auth.logout", "auth.login"):
        return None
    return target



def _session_cookie(resp, token):
    set_cookie(resp, SESSION_COOKIE, token)
    return resp


def _wait_page(wait: int, username: str, nxt: str | None):
    resp = page("login.html", 429, login_csrf=login_csrf(), next=nxt or "", username=username,
                error=f"登录失败次数较多，为防止密码被猜测，请 {wait} 秒后再试。忘记密码请联系管理员重置。",
                field="password")
    resp.headers["Retry-After"] = str(wait)
    return resp


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        if g.account is not None and g.stage is None:
            return redirect(_home())
        notice = "您已较长时间未操作，为安全起见已自动退出，请重新登录。" if request.args.get("ended") else None
        return page("login.html", login_csrf=login_csrf(), next=safe_next(request.args.get("next")) or "",
                    notice=notice)
    username = (request.form.get("username") or "").strip()[:64]
    password = (request.form.get("password") or "")[:1024]
    nxt = safe_next(request.form.get("next"))
    acc = accounts()
    wait = acc.login_wait(username, client_ip())
    if wait:
        audit("login-blocked", username=username, detail=f"需等待 {wait} 秒")
        return _wait_page(wait, username, nxt)
    account = acc.authenticate(username, password) if username and password else None
    if account is None:
        audit("login-failed", username=username)
        return page("login.html", 401, login_csrf=login_csrf(), next=nxt or "", username=username, field="password",
                    error="用户名或密码不正确。请检查大小写和输入法；多次输错后每次需稍等片刻再试。")
    stage = "totp" if account.totp else ("password" if account.must_change else None)
    token, session = acc.new_session(account, stage)
    g.account = account
    if stage == "totp":
        audit("login-password-ok", detail="待输入动态口令")
        return _session_cookie(redirect(url_for("auth.totp", next=nxt or None), 303), token)
    audit("login")
    if stage == "password":
        return _session_cookie(redirect(url_for("auth.password"), 303), token)
    return _session_cookie(redirect(nxt or _home(), 303), token)


@bp.route("/login/totp", methods=["GET", "POST"])
@login_required
def totp():
    nxt = safe_next(request.values.get("next"))
    if g.stage != "totp":
        return redirect(_home())
    if request.method == "GET":
        return page("totp.html", next=nxt or "")
    acc = accounts()
    wait = acc.login_wait(g.account.username, client_ip())
    if wait:
        audit("login-blocked", username=g.account.username, detail=f"需等待 {wait} 秒")
        resp = page("totp.html", 429, next=nxt or "", field="code",
                    error=f"动态口令错误次数较多，请 {wait} 秒后再试。")
        resp.headers["Retry-After"] = str(wait)
        return resp
    if not acc.check_totp(g.account.id, request.form.get("code") or ""):
        audit("totp-failed")
        return page("totp.html", 401, next=nxt or "", field="code",
                    error="动态口令不正确或已过期：请输入手机上当前显示的 6 位数字。")
    stage = "password" if g.account.must_change else None
    acc.set_stage(g.session_token, stage)
    audit("login", detail="密码和动态口令")
    if stage == "password":
        return redirect(url_for("auth.password"), 303)
    return redirect(nxt or _home(), 303)


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
    forced = g.stage == "password"
    if request.method == "GET":
        return page("password.html", forced=forced, rules=RULES_ZH)
    acc = accounts()
    old, new, again = ((request.form.get(k) or "")[:1024] for k in ("old", "new", "again"))

    def again_page(error, field):
        return page("password.html", 400, forced=forced, rules=RULES_ZH, error=error, field=field)
    if acc.authenticate(g.account.username, old) is None:
        audit("password-failed")
        return again_page("当前密码不正确。", "old")
    if new != again:
        return again_page("两次输入的新密码不一致。", "again")
    try:
        acc.set_password(g.account.id, new)
    except UsageError as exc:
        return again_page(exc.message, "new")
    audit("password-changed", detail="首次登录按要求修改" if forced else None)
    token, _ = acc.new_session(acc.get(g.account.id))     # the other sessions ended with the old password
    resp = redirect(_home() + "?notice=password", 303)
    set_cookie(resp, SESSION_COOKIE, token)
    return resp


@bp.route("/account/totp", methods=["GET", "POST"])
@login_required
def totp_setup():
    """An administrator or city staff turns on (or off) the 动态口令 of their own account."""
    from flask import abort

    from generator.web import totp as otp
    if not g.account.is_city:
        abort(404)
    acc = accounts()
    if request.method == "POST" and request.form.get("action") == "off":
        if not acc.check_totp(g.account.id, request.form.get("code") or ""):
            audit("totp-failed")
            return page("totp_setup.html", 400, on=True, error="动态口令不正确，未关闭。", field="off-code")
        acc.set_totp(g.account.id, None)
        audit("totp-off")
        return redirect(_home() + "?notice=totp-off", 303)
    if g.account.totp:
        return page("totp_setup.html", on=True)
    secret = request.form.get("secret") or otp.new_secret()
    if len(secret) != 32 or not secret.isalnum():
        secret = otp.new_secret()
    shown = dict(on=False, secret=secret, grouped=otp.grouped(secret), uri=otp.uri(secret, g.account.username))
    if request.method == "GET":
        return page("totp_setup.html", **shown)
    if not otp.verify(secret, request.form.get("code") or ""):
        return page("totp_setup.html", 400, **shown, error="动态口令不正确：请按手机上当前显示的 6 位数字输入。",
                    field="code")
    acc.set_totp(g.account.id, secret)
    audit("totp-on")
    return redirect(_home() + "?notice=totp-on", 303)
