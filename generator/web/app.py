"""The Flask application: configuration, sessions, CSRF, security headers, page rendering, errors.

Pages are rendered by gaizao's one Jinja environment (generator.sandbox, autoescape on) from files in
templates/web/; Flask's own template engine is not used. Sessions are server-side (accounts.py): the
cookie holds a random token only, so no signing secret has to be kept, and logging out ends a session
for good.
"""
from __future__ import annotations

import datetime as dt
import hmac
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, g, redirect, request, url_for
from werkzeug.routing import IntegerConverter

from generator.errors import GaizaoError

from generator.paths import TEMPLATES as _TEMPLATES  # noqa: E402
TEMPLATES = _TEMPLATES / "web"
SESSION_COOKIE = "gaizao_session"
LOGIN_CSRF_COOKIE = "gaizao_login_csrf"
DEFAULT_MAX_UPLOAD_MB = 16
TIMEZONE = "Asia/Shanghai"          # the city's day: what "received today" means
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'; object-src 'none'")


def _register(db_path):
    import generator.life  # noqa: F401 -- registers the life readers (verdicts, hazards: register/hooks.py)
    from generator.register import Register
    return Register(db_path)


def create_app(db_path, *, policy=None, cookie_secure: str = "auto",
               max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB, monthly_due_day: int | None = None,
               today=None, idle_minutes: float | None = None, behind_proxy: bool = False,
               workers: int | None = None, jobs_per_user: int | None = None, worker_processes: bool = False) -> Flask:
    """The web application over the register at ``db_path``.

    ``cookie_secure``: "auto" marks cookies Secure when the request came over HTTPS (directly or, with
    ``behind_proxy``, as the proxy says), "always" / "never" force it. ``today``: a function giving the day
    (tests); default the city's date (Asia/Shanghai). ``idle_minutes``: a session unused this long ends
    (default accounts.IDLE_MINUTES). ``behind_proxy``: trust X-Forwarded-For/Proto/Host from a proxy on this
    machine (loopback) only. ``workers`` / ``jobs_per_user`` / ``worker_processes``: the pool that makes PDFs and
    bundles (jobs.py; ``gaizao serve`` uses processes).
    """
    from generator.policy.wording import policy_level
    from generator.register.api import _policy
    from generator.web import files, jobs
    from generator.web.accounts import IDLE_MINUTES, Accounts

    if cookie_secure not in ("auto", "always", "never"):
        raise ValueError("cookie_secure must be auto, always or never")
    lp = _policy(policy)
    app = Flask("generator.web", static_folder=str(TEMPLATES / "static"), static_url_path="/static",
                template_folder=None)
    app.url_map.converters["int"] = RowId
    app.config.update(MAX_CONTENT_LENGTH=int(max_upload_mb * 1024 * 1024), MAX_UPLOAD_MB=max_upload_mb,
                      COOKIE_SECURE=cookie_secure, MONTHLY_DUE_DAY=monthly_due_day,
                      SEND_FILE_MAX_AGE_DEFAULT=3600,
                      IDLE_MINUTES=IDLE_MINUTES if idle_minutes is None else idle_minutes)
    if behind_proxy:
        app.wsgi_app = LocalProxy(app.wsgi_app)  # type: ignore[method-assign]  # Flask's documented way to wrap it
    app.extensions["gaizao"] = {
        "policy": lp,
        "register": _register(db_path),
        "accounts": Accounts(db_path, [c.name for c in lp.policy.counties], policy_level(lp.policy)),
        "env": _environment(),
        "today": today or _city_today,
        "made": files.Made(),
        "jobs": jobs.Pool(workers or jobs.WORKERS, jobs_per_user or jobs.PER_USER, processes=worker_processes),
    }

    from generator.web import auth, city, county, projects, workflow
    app.register_blueprint(auth.bp)
    app.register_blueprint(county.bp)
    app.register_blueprint(city.bp)
    app.register_blueprint(workflow.bp)
    app.register_blueprint(projects.bp)

    app.before_request(_upload_limit)          # before anything reads the body (the CSRF check reads the form)
    app.before_request(_load_session)
    app.before_request(_check_csrf)
    app.after_request(_headers)
    app.register_error_handler(GaizaoError, _gaizao_error)
    for code in (400, 403, 404, 405, 413, 429, 431, 500):
        app.register_error_handler(code, _http_error)
    return app


class RowId(IntegerConverter):
    """<int:…> in a URL: a row number SQLite can hold (a 20-digit number is "not found", not a 500)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(map, *args, **kwargs)


LOOPBACK = ("127.0.0.1", "::1")


class LocalProxy:
    """X-Forwarded-For/Proto/Host honoured when the request came from a proxy on this machine (nginx, Caddy),
    and dropped from anyone else: werkzeug's ProxyFix, for one trusted hop on the loopback."""

    def __init__(self, wsgi_app):
        from werkzeug.middleware.proxy_fix import ProxyFix
        self.plain = wsgi_app
        self.fixed = ProxyFix(wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1, x_prefix=0)

    def __call__(self, environ, start_response):
        if environ.get("REMOTE_ADDR") in LOOPBACK:
            return self.fixed(environ, start_response)
        for key in ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
                    "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_PREFIX"):
            environ.pop(key, None)
        return self.plain(environ, start_response)


# -- what the views use -----------------------------------------------------------------------------
def ext() -> dict:
    return current_app.extensions["gaizao"]


def policy():
    return ext()["policy"]


def register():
    return ext()["register"]


def accounts():
    return ext()["accounts"]


def today() -> dt.date:
    return ext()["today"]()


def _city_today() -> dt.date:
    try:
        from zoneinfo import ZoneInfo
        return dt.datetime.now(ZoneInfo(TIMEZONE)).date()
    except Exception:                       # no time zone data: the machine's own day
        return dt.date.today()


def client_ip() -> str | None:
    return request.remote_addr


def audit(action: str, **kw) -> None:
    accounts().audit(action, account=g.get("account"), ip=client_ip(), **kw)


def _environment():
    from jinja2 import FileSystemLoader

    from generator.sandbox import new_environment
    from generator.web import views_filters
    return new_environment(filters=views_filters.FILTERS, autoescape=True, loader=FileSystemLoader(str(TEMPLATES)))


def page(name: str, http_status: int = 200, /, **ctx) -> Response:
    """A page of templates/web/ with what every page shows (who is logged in, the policy, CSRF token) and
    the words of the policy's level (``words``: 全市, 各县（市、区）, 市级 …; ``roles``: 市级管理员 …)."""
    from generator.policy.wording import own_word, policy_level, policy_words
    from generator.render.official import office
    from generator.web.accounts import role_names
    lp = policy()
    account = g.get("account")
    words = policy_words(lp.policy)
    if account is not None and account.county:
        # a county's own word for itself: 禹州市 says 本市, 魏都区 本区, 襄城县 本县 (under a province, each 市 本市)
        own = own_word(account.county, policy_level(lp.policy))
        words = {**words, "own": own, "own_self": "本" + own}
    else:
        words = {**words, "own": words["lower_short"], "own_self": words["lower_self"]}
    base = {
        "me": account, "csrf": g.get("csrf") or "", "url": url_for, "today": today(),
        "policy_title": lp.policy.title,
        "doc_number": lp.policy.document.doc_number.value if lp.policy.document.doc_number else "", "city": lp.policy.document.city.value, "year": lp.policy.year,
        "office": office(lp), "words": words, "roles": role_names(policy_level(lp.policy)),
        "path": request.path, "path_full": request.full_path.rstrip("?"), "max_upload_mb": current_app.config["MAX_UPLOAD_MB"],
        "error": None, "location": None, "username": None, "field": None,     # a page may set them
        "notice": NOTICES.get(request.args.get("notice", ""), "").format(**policy_words(lp.policy)) or None,
    }
    base.update(ctx)
    html = ext()["env"].get_template(name).render(**base)
    return Response(html, http_status, mimetype="text/html")


NOTICES = {
    "duplicate": "这个文件今天已经报送过，内容完全相同，未重复登记。下面是当时的检查结果。",
    "password": "密码已修改。",
    "recorded": "已记录。",
    "totp-on": "已启用动态口令：今后登录时还需输入手机上显示的 6 位数字。",
    "totp-off": "已关闭动态口令。",
    "withdrawn": "已撤回这份报送：它不再计入报送和进度。如需报送，请重新上传。",
    "received": "已接收。",
    "accepted": "已审核通过。",
    "returned": "已退回，{lower_unit}将在其页面看到退回理由和反馈意见函。",
}


# -- request size -----------------------------------------------------------------------------------
def upload_limit(limit):
    """A view whose requests may be larger than the server's ``MAX_CONTENT_LENGTH`` (``--max-upload-mb``):
    ``limit()`` gives its own bound in bytes (evidence files: the life library's limit and the multipart's
    overhead). Werkzeug streams the file parts to a temporary file as it parses; every other view keeps the
    server's limit and its Chinese 413 page."""
    def deco(fn):
        fn.upload_limit = limit
        return fn
    return deco


def _upload_limit() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    limit = getattr(view, "upload_limit", None)
    if limit is not None:
        request.max_content_length = int(limit())


# -- sessions and CSRF ------------------------------------------------------------------------------
def _load_session() -> None:
    g.account, g.csrf, g.session_token, g.stage = None, None, None, None
    if request.endpoint == "static":
        return
    token = request.cookies.get(SESSION_COOKIE)
    s = accounts().session(token, current_app.config["IDLE_MINUTES"]) if token else None
    if s is not None:
        g.account, g.csrf, g.session_token, g.stage = s.account, s.csrf, token, s.stage
    elif token:
        g.session_ended = True          # the cookie named a session that is gone (idle, logged out elsewhere)


def cookie_secure() -> bool:
    mode = current_app.config["COOKIE_SECURE"]
    return mode == "always" or (mode == "auto" and request.is_secure)


def set_cookie(resp: Response, name: str, value: str, *, max_age: int | None = None) -> None:
    resp.set_cookie(name, value, max_age=max_age, path="/", secure=cookie_secure(), httponly=True, samesite="Lax")


def login_csrf() -> str:
    """The login form's token: a double-submit cookie (there is no session yet to hold it)."""
    token = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not token or len(token) > 100:
        token = secrets.token_urlsafe(32)
    g.login_csrf_new = token
    return token


def _same_origin() -> bool:
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if not origin or origin == "null":
        return origin is None           # "null" (a sandboxed frame, a file:// page) is never ours
    return urlsplit(origin).netloc == request.host


def _check_csrf() -> None:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if not _same_origin():
        abort(400, description="csrf")
    sent = request.form.get("csrf", "")
    if request.endpoint == "auth.login":
        expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    else:
        expected = g.get("csrf") or ""
    if not expected or not sent or not hmac.compare_digest(sent, expected):
        abort(400, description="csrf")


def _headers(resp: Response) -> Response:
    resp.headers.setdefault("Content-Security-Policy", CSP)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["Referrer-Policy"] = "same-origin"
    resp.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.endpoint != "static":
        resp.headers["Cache-Control"] = "no-store"       # county data never sits in a shared cache
    if cookie_secure():
        resp.headers["Strict-Transport-Security"] = "max-age=31536000"
    token = g.get("login_csrf_new")
    if token and token != request.cookies.get(LOGIN_CSRF_COOKIE):
        set_cookie(resp, LOGIN_CSRF_COOKIE, token)
    return resp


# -- access -----------------------------------------------------------------------------------------
def login_required(fn):
    import functools

    @functools.wraps(fn)
    def wrapper(*a, **kw):
        if g.get("account") is None:
            args = {"next": request.full_path if request.query_string else request.path}
            if g.get("session_ended"):
                args["ended"] = "1"
            return redirect(url_for("auth.login", **args))
        # half logged in: the code, or a new password, comes first (and nothing else is open)
        if g.stage == "totp" and request.endpoint not in ("auth.totp", "auth.logout"):
            return redirect(url_for("auth.totp"))
        if g.stage == "password" and request.endpoint not in ("auth.password", "auth.logout"):
            return redirect(url_for("auth.password"))
        return fn(*a, **kw)
    return wrapper


def role_required(*roles: str):
    def deco(fn):
        import functools

        @functools.wraps(fn)
        @login_required
        def wrapper(*a, **kw):
            if g.account.role not in roles:
                abort(403)
            return fn(*a, **kw)
        return wrapper
    return deco


def submission_for(sid: int):
    """The submission if this account may see it. Another county's is "not found" (404), not
    "forbidden": a county cannot even learn which numbers exist."""
    from generator.register.api import UsageError
    try:
        sub = register().get(sid)
    except (UsageError, OverflowError, ValueError):
        abort(404)
    if not g.account.is_city and sub.county != g.account.county:
        abort(404)
    return sub


# -- errors -----------------------------------------------------------------------------------------
# {level_organ} and {lower_unit}: the policy's words (市级 and 县（市、区） in a city's system, 省级 and 市 in a province's)
ERRORS = {
    400: ("请求无效", "页面可能已过期（例如在另一个窗口退出了登录）。请返回上一页，刷新后再试。"),
    403: ("无权访问", "此页面只对{level_organ}账号开放。如需访问，请联系{level_organ}管理员。"),
    404: ("找不到页面", "该页面或报送不存在，或不属于您所在的{lower_unit}。请从首页重新进入。"),
    405: ("请求方式不对", "请从页面上的按钮操作。"),
    413: ("文件太大", "上传的文件超过 {mb} MB。工作簿中常有照片或无关的工作表：请删去图片（照片另行报送）和无关工作表，另存后再上传。"),
    431: ("请求无效", "请求头过长。请清除浏览器中本站的 Cookie 后重试。"),
    429: ("请稍后再试", "登录失败次数较多，为防止密码被猜测，请稍等片刻再试；忘记密码请联系{level_organ}管理员。"),
    500: ("服务器出错", "处理请求时出错，已记录。请稍后重试；如一直出错，请联系{level_organ}管理员。"),
}


def _http_error(exc):
    code = getattr(exc, "code", 500) or 500
    title, text = ERRORS.get(code, ERRORS[500])
    if code == 400 and getattr(exc, "description", "") == "csrf":
        title, text = "页面已过期", "为安全起见，表单已失效（可能停留过久或已在别处退出）。请刷新页面后重新提交。"
    from generator.policy.wording import policy_words
    text = text.format(mb=f"{current_app.config['MAX_UPLOAD_MB']:g}", **policy_words(policy().policy))
    return page("error.html", code, title=title, text=text, code=code)


def _gaizao_error(exc: GaizaoError):
    where = exc.location
    head, sep, rest = (where or "").partition(" · ")
    if Path(head).is_absolute():        # a path of the server is nobody's business; sheet and row stay
        where = Path(head).name + sep + rest
    elif head.startswith(("postgresql://", "postgres://")):       # nor the database server's address
        where = "登记库" + sep + rest
    return page("error.html", 400, title="无法处理", text=exc.message, location=where, code=400)
