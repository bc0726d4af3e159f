"""Issue 22.1: no open redirect whatever the encoding, no 500 on malformed input (a property test over the URL
map and the form fields), the Chinese 413 page also when the server refuses first, the 等保 2.0 password rules,
the forced change of a password an administrator set, the idle timeout and the optional 动态口令 (TOTP)."""
import datetime as dt
import http.client
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.web import accounts as accounts_mod
from web_helpers import PASSWORDS, csrf, csrf_of, login

# -- open redirect ---------------------------------------------------------------------------------
EVIL = [
    "//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example", "/\\/evil.example",
    "/%09/evil.example", "/\t/evil.example", "/%5Cevil.example", "/%5C%5Cevil.example", "/%2F%2Fevil.example",
    "/%2f/evil.example", "/%252F%252Fevil.example", "https://evil.example/", "http:evil.example",
    "https:/evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "/\r\nLocation: https://evil.example",
    "/county\r\nSet-Cookie: x=1", "/%0d%0aSet-Cookie:x=1", "/\x00//evil.example", "/ /evil.example",
    "/\uff0fevil.example", "/\uff3cevil.example", "/\u2215evil.example", "/\u2044evil.example",
    "/\u3000/evil.example", "/\u200b/evil.example", "data:text/html,<script>alert(1)</script>",
    "evil.example", "@evil.example", "/.//evil.example", "/../evil.example", "/no-such-page",
    "/logout", "/static/web.css",
]


@pytest.mark.slow
@pytest.mark.parametrize("target", EVIL)
def test_after_login_only_a_page_of_this_site_is_followed(web, target):
    c = web.test_client()
    page = c.get("/login", query_string={"next": target})
    assert page.status_code == 200 and 'name="next" value=""' in page.text, target
    r = c.post("/login", data={"csrf": csrf_of(page.text), "username": "yuzhou", "password": PASSWORDS["yuzhou"],
                               "next": target})
    assert r.status_code == 303 and r.headers["Location"] == "/county", (target, r.headers.get("Location"))


@pytest.mark.parametrize("target", ["/county", "/submissions/1", "/city/county/%E7%A6%B9%E5%B7%9E%E5%B8%82",
                                    "/city?as_of=2023-06-30"])
def test_a_page_of_this_site_is_followed(web, target):
    c = web.test_client()
    page = c.get("/login", query_string={"next": target})
    r = c.post("/login", data={"csrf": csrf_of(page.text), "username": "admin", "password": PASSWORDS["admin"],
                               "next": target})
    assert r.headers["Location"] == target


def test_a_page_asked_for_while_logged_out_comes_back_after_login(web):
    c = web.test_client()
    r = c.get("/city?as_of=2023-06-30")
    assert r.status_code == 302
    page = c.get(r.headers["Location"])
    r = c.post("/login", data={"csrf": csrf_of(page.text), "username": "admin", "password": PASSWORDS["admin"],
                               "next": "/city?as_of=2023-06-30"})
    assert r.headers["Location"] == "/city?as_of=2023-06-30"


# -- no 500 ----------------------------------------------------------------------------------------
def test_numbers_too_big_for_the_database_are_not_found(admin, yuzhou):
    for url in ("/submissions/99999999999999999999", "/submissions/9223372036854775808/original",
                "/submissions/18446744073709551616/kaigong.pdf"):
        assert yuzhou.get(url).status_code == 404, url
    assert admin.get("/submissions/9223372036854775807").status_code == 404      # the largest: simply absent
    r = admin.post("/city/accounts/99999999999999999999/active", data={"csrf": csrf(admin), "active": "0"})
    assert r.status_code == 404


def _rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static"]


TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
NASTY = st.one_of(TEXT, st.sampled_from(["", "0", "-1", "99999999999999999999", "1e309", "NaN", "%00", "\x00",
                                         "\r\n", "../../etc/passwd", "禹州市", "<script>", "2023-02-30",
                                         "0001-01-01", "9999-12-31", "2023-13-01", " " * 5]))


@pytest.fixture
def client_pool(web):
    return {"county": login(web, "yuzhou"), "admin": login(web, "admin"), "anonymous": web.test_client()}


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_input_makes_a_500(web, client_pool, data):
    """Any route of the URL map, any value in its path, its query and its form fields, by any kind of
    account: an answer below 500."""
    import re
    rule = data.draw(st.sampled_from(_rules(web)))
    who = data.draw(st.sampled_from(sorted(client_pool)))
    c = client_pool[who]

    def value(m):
        if m.group(1) == "int":
            return str(data.draw(st.integers(min_value=-5, max_value=2**70)))
        v = data.draw(NASTY)
        return re.sub(r"[/?#%]", "", v) or "x"
    url = re.sub(r"<(?:(\w+):)?(\w+)>", value, rule.rule)
    query = {k: data.draw(NASTY) for k in data.draw(st.lists(st.sampled_from(
        ["as_of", "next", "notice", "kind", "period", "ended"]), max_size=3, unique=True))}
    method = data.draw(st.sampled_from(sorted(rule.methods & {"GET", "POST"})))
    if method == "GET":
        r = c.get(url, query_string=query)
    else:
        fields = ["username", "password", "role", "county", "display_name", "active", "old", "new", "again",
                  "code", "secret", "action", "kind", "period", "note", "reasons", "next"]
        form = {k: data.draw(NASTY) for k in data.draw(st.lists(st.sampled_from(fields), max_size=6, unique=True))}
        form["csrf"] = csrf_of(c.get("/login").text) if who == "anonymous" else _token(c)
        r = c.post(url, query_string=query, data=form)
    assert r.status_code < 500, (method, url, query, r.status_code)


def _token(c):
    page = c.get("/account/password")
    return csrf_of(page.text) if page.status_code == 200 else "x"


# -- 413 -------------------------------------------------------------------------------------------
def test_an_oversize_upload_gets_the_chinese_page(yuzhou):
    import io
    r = yuzhou.post("/county/upload", data={"csrf": csrf(yuzhou), "kind": "年度实施方案",
                                            "file": (io.BytesIO(b"PK\x03\x04" + b"0" * (3 * 2**20)), "big.xlsx")},
                    content_type="multipart/form-data")
    assert r.status_code == 413 and "文件太大" in r.text and "超过 2 MB" in r.text and "照片" in r.text
    assert "Request Entity Too Large" not in r.text


@pytest.mark.slow
def test_when_the_server_refuses_first_the_page_is_chinese_too(web):
    """A body far over the limit is refused by waitress before the application sees it: same words."""
    from generator.web.server import create_server
    srv = create_server(web, host="127.0.0.1", port=0, threads=2)
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", srv.effective_port, timeout=10)
        conn.putrequest("POST", "/county/upload")
        conn.putheader("Content-Type", "multipart/form-data; boundary=x")
        conn.putheader("Content-Length", str(200 * 2**20))
        conn.endheaders()
        r = conn.getresponse()
        body = r.read().decode("utf-8")
        assert r.status == 413 and "文件太大" in body and "超过 2 MB" in body
        assert r.getheader("Content-Type").startswith("text/html")
    finally:
        srv.close()
        t.join(5)


# -- passwords (等保 2.0) ------------------------------------------------------------------------------
@pytest.mark.parametrize("pw, user, says", [
    ("1234567890", "yuzhou", "至少 3 种"), ("password12", "yuzhou", "至少 3 种"), ("qwertyuiop", "yuzhou", "至少 3 种"),
    ("Password12", "yuzhou", "常见密码"), ("P@ssw0rd!", "yuzhou", "常见密码"), ("Qwerty123!", "yuzhou", "常见密码"),
    ("Xuchang@2023", "yuzhou", "常见密码"), ("Yuzhou1!", "yuzhou", "用户名"), ("yuzhou+1A", "yuzhou", "用户名"),
    ("1!UOHZUY", "yuzhou", "用户名"), ("Ab1!xyz", "yuzhou", "至少 8 位"), ("abcdefgh1", "yuzhou", "至少 3 种"),
])
def test_weak_passwords_are_refused(pw, user, says):
    from generator.errors import UsageError
    from generator.web.passwords import check
    with pytest.raises(UsageError) as e:
        check(pw, user)
    assert says in e.value.message, (pw, e.value.message)


@pytest.mark.parametrize("pw", ["Ab1!xyzw", "Jun-Ling#593", "abcdefg1!", "ABCDEFG1!", "Abcdefgh1", "水滴石穿abc1"])
def test_passwords_of_three_classes_and_eight_characters_pass(pw):
    from generator.web.passwords import check
    check(pw, "yuzhou")


def test_the_common_list_is_a_small_data_file():
    from generator.web.passwords import COMMON, common_passwords
    assert COMMON.is_file() and 50 <= len(common_passwords()) <= 10000
    assert {"password", "qwertyuiop", "1qaz2wsx", "woaini1314"} <= common_passwords()


# -- forced change after an administrator set the password ----------------------------------------------
def test_a_password_an_administrator_set_must_be_changed_first(web, admin):
    admin.post("/city/accounts", data={"csrf": csrf(admin), "username": "xc", "role": "county", "county": "襄城县",
                                       "password": "Chu-Shi#4471"})
    c = login(web, "xc", "Chu-Shi#4471")
    assert c.last.headers["Location"] == "/account/password"
    for url in ("/county", "/submissions/1", "/documents/notice.pdf"):
        r = c.get(url)
        assert r.status_code == 302 and r.headers["Location"] == "/account/password", url
    page = c.get("/account/password").text
    assert "请设置您自己的密码" in page
    r = c.post("/account/password", data={"csrf": csrf_of(page), "old": "Chu-Shi#4471", "new": "Chu-Shi#4471",
                                          "again": "Chu-Shi#4471"})
    assert r.status_code == 400 and "不能与原密码相同" in r.text
    r = c.post("/account/password", data={"csrf": csrf_of(page), "old": "Chu-Shi#4471", "new": "Mine-Own#77",
                                          "again": "Mine-Own#77"})
    assert r.status_code == 303
    assert c.get("/county").status_code == 200
    assert login(web, "xc", "Mine-Own#77").last.headers["Location"] == "/county"      # asked once only


def test_the_command_line_add_user_also_forces_the_change(tmp_path):
    from click.testing import CliRunner

    from generator.cli import main
    from generator.web.accounts import Accounts
    db = tmp_path / "r.db"
    r = CliRunner().invoke(main, ["web", "add-user", "yz", "--county", "禹州市", "--db", str(db)],
                           input="Jun-Ling#593\nJun-Ling#593\n")
    assert r.exit_code == 0
    assert Accounts(db).get_by_name("yz").must_change
    r = CliRunner().invoke(main, ["web", "create-admin", "chief", "--db", str(db)], input="Long-Pass#2023\n" * 2)
    assert not Accounts(db).get_by_name("chief").must_change      # an administrator's own password


# -- idle timeout ----------------------------------------------------------------------------------
@pytest.fixture
def later(monkeypatch):
    """Move the accounts' clock forward by the minutes given."""
    real = accounts_mod._now
    shift = [dt.timedelta(0)]
    monkeypatch.setattr(accounts_mod, "_now", lambda: real() + shift[0])

    def move(minutes):
        shift[0] += dt.timedelta(minutes=minutes)
    return move


def test_a_session_unused_for_the_idle_time_ends(web, later):
    assert accounts_mod.IDLE_MINUTES == 30                  # the documented default (docs/web.md)
    c = login(web, "yuzhou")
    later(29)
    assert c.get("/county").status_code == 200               # used after 29 minutes: alive, and touched
    later(29)
    assert c.get("/county").status_code == 200               # 29 minutes after the last use
    later(30.5)
    r = c.get("/county")
    assert r.status_code == 302 and "ended=1" in r.headers["Location"]
    assert "较长时间未操作" in c.get(r.headers["Location"]).text
    later(-60)                                               # the session is gone for good, not just hidden
    assert c.get("/county").status_code == 302


def test_the_idle_time_is_set_by_the_server(tmp_path, policy2023, later):
    from generator.web.accounts import Accounts
    from generator.web.app import create_app
    db = tmp_path / "w.db"
    Accounts(db, [c.name for c in policy2023.policy.counties]).create("yuzhou", PASSWORDS["yuzhou"], role="county",
                                                                     county="禹州市")
    app = create_app(db, policy=policy2023, idle_minutes=5)
    c = login(app, "yuzhou")
    later(4.5)
    assert c.get("/county").status_code == 200
    later(5.5)
    assert c.get("/county").status_code == 302


# -- 动态口令 ----------------------------------------------------------------------------------------
def test_an_administrator_turns_on_the_one_time_code_and_needs_it_to_log_in(web, admin):
    import re

    import pyotp
    page = admin.get("/account/totp").text
    secret = re.search(r'name="secret" value="([A-Z2-7]{32})"', page).group(1)
    r = admin.post("/account/totp", data={"csrf": csrf_of(page), "secret": secret, "code": "000000"})
    assert r.status_code == 400 and 'id="code-error"' in r.text
    r = admin.post("/account/totp", data={"csrf": csrf_of(page), "secret": secret,
                                          "code": pyotp.TOTP(secret).now()})
    assert r.status_code == 303
    c = login(web, "admin")
    assert c.last.headers["Location"].startswith("/login/totp")
    assert c.get("/city").headers["Location"] == "/login/totp"      # half logged in: nothing else
    r = c.post("/login/totp", data={"csrf": csrf(c, "/login/totp"), "code": "123456"})
    assert r.status_code == 401 and "动态口令不正确" in r.text
    r = c.post("/login/totp", data={"csrf": csrf(c, "/login/totp"), "code": pyotp.TOTP(secret).now()})
    assert r.status_code == 303 and r.headers["Location"] == "/city"
    assert c.get("/city").status_code == 200
    actions = [x["action"] for x in web.accounts.audit_rows(10)]
    assert "totp-on" in actions and "totp-failed" in actions


def test_a_one_time_code_is_good_once(web, admin):
    """RFC 6238 5.2: after a code was accepted, the same code (still inside its ±30 s window) is refused, and so is
    the code of an earlier step; the next step's code passes. Mutants caught: no replay check; `>` for `>=`."""
    import pyotp

    from generator.web.totp import new_secret
    staff = next(a for a in web.accounts.list() if a.username == "staff")
    secret = new_secret()
    web.accounts.set_totp(staff.id, secret)
    t0 = 1_800_000_000                                  # a fixed instant, at the start of a 30 s step
    code0 = pyotp.TOTP(secret).at(t0)
    assert web.accounts.check_totp(staff.id, code0, at=t0)
    assert not web.accounts.check_totp(staff.id, code0, at=t0)             # replay, same second
    assert not web.accounts.check_totp(staff.id, code0, at=t0 + 29)        # replay, still in the window
    assert not web.accounts.check_totp(staff.id, pyotp.TOTP(secret).at(t0 - 30), at=t0)   # an older step
    assert web.accounts.check_totp(staff.id, pyotp.TOTP(secret).at(t0 + 30), at=t0 + 30)  # the next step
    used = [x for x in web.accounts.audit_rows(20) if x["action"] == "totp-used"]
    assert [u["detail"] for u in used] == [str(t0 // 30 + 1), str(t0 // 30)]


def test_a_one_time_code_seen_once_cannot_log_in_again(web):
    import pyotp

    from generator.web.totp import new_secret
    staff = next(a for a in web.accounts.list() if a.username == "staff")
    secret = new_secret()
    web.accounts.set_totp(staff.id, secret)
    code = pyotp.TOTP(secret).now()
    c = login(web, "staff")
    assert c.post("/login/totp", data={"csrf": csrf(c, "/login/totp"), "code": code}).status_code == 303
    other = login(web, "staff")                         # someone who saw the code types it again
    r = other.post("/login/totp", data={"csrf": csrf(other, "/login/totp"), "code": code})
    assert r.status_code == 401 and "动态口令不正确" in r.text


def test_a_county_account_has_no_one_time_code_page(yuzhou):
    assert yuzhou.get("/account/totp").status_code == 404


def test_the_administrator_clears_a_lost_one_time_code(web, admin):
    from generator.web.totp import new_secret
    staff = next(a for a in web.accounts.list() if a.username == "staff")
    web.accounts.set_totp(staff.id, new_secret())
    assert login(web, "staff").last.headers["Location"].startswith("/login/totp")
    r = admin.post(f"/city/accounts/{staff.id}/totp-off", data={"csrf": csrf(admin)})
    assert r.status_code == 200 and "已清除" in r.text
    assert login(web, "staff").last.headers["Location"] == "/city"
