"""Boundaries of the web's security that a mutation of the code once left unnoticed (issue 24.5).

Each test names the mutations it catches; each was applied to the code and seen to fail the test.
- a session past its absolute lifetime (12 hours, docs/web.md) or its idle time is refused;
- only an administrator manages accounts: city staff and counties get 403 and nothing changes;
- ``Origin: null`` (a sandboxed frame, a file:// page) is refused like a foreign origin;
- no error page (400, 404, 405, 413, 500, a GaizaoError) shows a path of the server.
"""
import datetime as dt
import io
import sys
import tempfile
from pathlib import Path

import pytest
from web_helpers import PASSWORDS, ROOT, csrf, csrf_of, login

from generator.errors import InputError
from generator.web import accounts as accounts_mod

SECOND = dt.timedelta(seconds=1)


# -- sessions: absolute lifetime and idle time ----------------------------------------------------------------
@pytest.fixture
def frozen(monkeypatch):
    """The accounts' clock, frozen at a whole second (stored times have whole seconds) and moved by the test."""
    now = [dt.datetime(2023, 3, 1, 1, 0, 0, tzinfo=dt.UTC)]
    monkeypatch.setattr(accounts_mod, "_now", lambda: now[0])

    def move(delta: dt.timedelta):
        now[0] += delta
    return move


def _busy_until(client, frozen, total: dt.timedelta):
    """Use the session every 20 minutes (never idle) until ``total`` after login has passed."""
    step, spent = dt.timedelta(minutes=20), dt.timedelta(0)
    while spent + step < total:
        frozen(step)
        spent += step
        assert client.get("/county").status_code == 200, spent
    frozen(total - spent)


@pytest.mark.slow
def test_a_session_in_use_ends_12_hours_after_login(web, frozen):
    """docs/web.md: "a session lasts 12 hours", however busy. Mutations: the `expires_at < now` check in
    Accounts.session removed, or turned into `expires_at > now`; SESSION_HOURS 12 -> 13 / 24; the expiry written as
    `now + timedelta(hours=SESSION_HOURS + 1)`."""
    c = login(web, "yuzhou")
    _busy_until(c, frozen, dt.timedelta(hours=12) - SECOND)
    assert c.get("/county").status_code == 200               # one second before the 12 hours: still in
    frozen(2 * SECOND)
    r = c.get("/county")                                     # just past 12 hours, used a second ago: out
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")
    token = c.get_cookie("gaizao_session").value
    assert web.accounts.session(token) is None


def test_a_session_ends_12_hours_after_login_also_half_logged_in(web, frozen):
    """The same lifetime for a session still waiting for its new password (stage "password")."""
    acc = web.accounts
    account = acc.get_by_name("jianan")
    token, _ = acc.new_session(account, "password")
    frozen(dt.timedelta(hours=12) - SECOND)
    assert acc.session(token, idle_minutes=0) is not None     # idle time off: only the lifetime counts
    frozen(2 * SECOND)
    assert acc.session(token, idle_minutes=0) is None


def test_idle_time_boundary_to_the_second(web, frozen):
    """30 minutes unused (accounts.IDLE_MINUTES, 等保 2.0 登录连接超时): one second short is alive, one second past
    is ended for good. Mutations: `now - seen > idle` -> `now - seen > idle + 1 minute`; the idle check removed;
    IDLE_MINUTES passed as 0 / not passed by the app; the session not ended (only hidden) when idle."""
    assert accounts_mod.IDLE_MINUTES == 30                    # the documented default (docs/web.md)
    c = login(web, "yuzhou")
    frozen(dt.timedelta(minutes=30) - SECOND)
    assert c.get("/county").status_code == 200               # touched now
    frozen(dt.timedelta(minutes=30) + SECOND)
    r = c.get("/county")
    assert r.status_code == 302 and "ended=1" in r.headers["Location"]
    frozen(-dt.timedelta(hours=1))                           # gone, not just hidden by the clock
    assert c.get("/county").status_code == 302


# -- only an administrator manages accounts --------------------------------------------------------------------
@pytest.mark.slow
def test_city_staff_cannot_create_or_change_accounts(web):
    """A city-staff (and a county) account gets 403 on every account route, with forms an administrator would get
    through with, and nothing is created, disabled, reset, unlocked or cleared. Mutations: `role_required("admin")`
    -> `role_required("admin", "city")` on account_create / account_active / account_password / account_unlock /
    account_totp_off / account_list / audit_log; role_required's `not in roles` check removed."""
    acc = web.accounts
    before = [(a.username, a.role, a.county, a.active) for a in acc.list()]
    target = acc.get_by_name("weidu")
    for user in ("staff", "yuzhou"):
        c = login(web, user)
        token = csrf(c)
        forms = [("/city/accounts", {"username": "xiangcheng", "role": "county", "county": "襄城县",
                                     "password": "Chu-Shi#4471"}),
                 ("/city/accounts", {"username": "boss", "role": "admin", "password": "Chu-Shi#4471"}),
                 (f"/city/accounts/{target.id}/active", {"active": "0"}),
                 (f"/city/accounts/{target.id}/password", {"password": "Xin-Mi#2207"}),
                 (f"/city/accounts/{target.id}/unlock", {}),
                 (f"/city/accounts/{target.id}/totp-off", {})]
        for path, form in forms:
            r = c.post(path, data={"csrf": token, **form})
            assert r.status_code == 403, (user, path, r.status_code)
            assert "无权访问" in r.text
        for path in ("/city/accounts", "/city/audit"):
            assert c.get(path).status_code == 403, (user, path)
    assert [(a.username, a.role, a.county, a.active) for a in acc.list()] == before
    assert acc.get_by_name("xiangcheng") is None and acc.get_by_name("boss") is None
    assert login(web, "weidu").last.headers["Location"] == "/county"     # its password and its account as they were
    done = {r["action"] for r in acc.audit_rows(1000)}
    assert not done & {"account-created", "account-disabled", "account-enabled", "password-reset", "unlock",
                       "totp-cleared"}, done


def test_the_administrator_can_do_what_staff_cannot(web, admin):
    """The same form as above goes through for the administrator: the 403 above is the role, not the form."""
    r = admin.post("/city/accounts", data={"csrf": csrf(admin), "username": "xiangcheng", "role": "county",
                                           "county": "襄城县", "password": "Chu-Shi#4471"})
    assert r.status_code == 200 and "已创建账号“xiangcheng”" in r.text


# -- Origin: null --------------------------------------------------------------------------------------------
def test_origin_null_is_refused_like_a_foreign_origin(web, yuzhou):
    """A form posted from a sandboxed frame or a file:// page says `Origin: null`: refused even with the right
    token. Mutations: `_same_origin` answering True for "null" (`return origin is None` -> `return True`);
    Referer preferred over Origin (`Referer or Origin`); the origin check removed from _check_csrf."""
    token = csrf(yuzhou)
    for headers in ({"Origin": "null"}, {"Referer": "null"},
                    {"Origin": "null", "Referer": "http://localhost/county"},
                    {"Origin": "https://evil.example", "Referer": "http://localhost/county"}):
        r = yuzhou.post("/logout", data={"csrf": token}, headers=headers)
        assert r.status_code == 400 and "页面已过期" in r.text, headers
        assert yuzhou.get("/county").status_code == 200, headers          # not logged out
    # the login form too: no session from a null origin
    c = web.test_client()
    page = c.get("/login").text
    r = c.post("/login", headers={"Origin": "null"},
               data={"csrf": csrf_of(page), "username": "jianan", "password": PASSWORDS["jianan"]})
    assert r.status_code == 400 and c.get_cookie("gaizao_session") is None
    # our own origin is accepted (what makes the refusals above the origin's doing)
    r = yuzhou.post("/logout", data={"csrf": token}, headers={"Origin": "http://localhost"})
    assert r.status_code == 303


# -- no path of the server on an error page ------------------------------------------------------------------
def _server_paths(tmp_path) -> list[str]:
    """Folders of this machine that an error page must not name (with the separator: "/tmp/", not "tmp")."""
    found = {str(ROOT), str(tmp_path), tempfile.gettempdir(), sys.prefix, str(Path.home()),
             str(Path(accounts_mod.__file__).resolve().parent)}
    return sorted(p.rstrip("/\\") + "/" for p in found if len(p) > 1)


@pytest.fixture
def failing_web(web, tmp_path):
    """The web app with two routes that fail as code can: a GaizaoError whose location is a path of the server
    (the register's file), and an unexpected exception whose message names a server path."""
    db = web.extensions["gaizao"]["register"].path

    def gaizao_error():
        raise InputError("登记库无法读取", "the register cannot be read", location=f"{db} · 第3行")

    def crash():
        raise RuntimeError(f"cannot open {ROOT / 'generator' / 'web' / 'app.py'} in {tmp_path}")
    web.add_url_rule("/test-gaizao-error", "test_gaizao_error", gaizao_error)
    web.add_url_rule("/test-crash", "test_crash", crash)
    return web


def test_no_error_page_shows_a_path_of_the_server(failing_web, tmp_path):
    """Mutations: _gaizao_error showing `exc.location` as it is (the `is_absolute()` → `.name` step removed);
    _http_error showing the exception (`text = str(exc)` / its description or original exception)."""
    web = failing_web
    c = login(web, "yuzhou")
    anonymous = web.test_client()
    big = io.BytesIO(b"x" * (3 * 1024 * 1024))               # the app allows 2 MB (tests/web/conftest.py)
    pages = {
        "GaizaoError": (c.get("/test-gaizao-error"), 400, "登记库无法读取"),
        "500": (c.get("/test-crash"), 500, "服务器出错"),
        "404": (c.get("/submissions/999999"), 404, "找不到页面"),
        "404 anonymous": (anonymous.get("/no/such/page"), 404, "找不到页面"),
        "405": (c.get("/logout"), 405, "请求方式不对"),
        "400": (c.post("/logout", data={"csrf": "forged"}), 400, "页面已过期"),
        "413": (c.post("/county/upload", data={"csrf": csrf(c), "file": (big, "大.xlsx")},
                       content_type="multipart/form-data"), 413, "文件太大"),
    }
    paths = _server_paths(tmp_path)
    for name, (r, status, says) in pages.items():
        assert r.status_code == status and says in r.text, (name, r.status_code)
        leaked = [p for p in paths if p in r.text]
        assert not leaked, (name, leaked)
        assert "Traceback" not in r.text and "RuntimeError" not in r.text, name
    # the located error still says where: the file's name without its folders, and the place in it
    db = web.extensions["gaizao"]["register"].path
    db_name = db.name if isinstance(db, Path) else "登记库"           # on PostgreSQL: not the server's address
    assert f"位置：{db_name} · 第3行" in pages["GaizaoError"][0].text
