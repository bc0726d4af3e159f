"""Logging in and out, cookies, CSRF, the login rate limit, account management, the audit of logins."""
import pytest

from generator.web.accounts import FREE_PER_NAME

from web_helpers import PASSWORDS, csrf, csrf_of, login


def _cookie(resp, name):
    return next(h for h in resp.headers.getlist("Set-Cookie") if h.startswith(name + "="))


def test_login_sets_an_http_only_samesite_session_cookie(web):
    c = login(web, "yuzhou")
    assert c.last.status_code == 303 and c.last.headers["Location"] == "/county"
    cookie = _cookie(c.last, "gaizao_session")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie                   # plain HTTP on loopback: "auto" leaves it off
    assert c.get("/county").status_code == 200


def test_cookie_is_secure_over_https_and_when_forced(web):
    c = web.test_client()
    page = c.get("/login", base_url="https://localhost")
    r = c.post("/login", base_url="https://localhost", headers={"Origin": "https://localhost"},
               data={"csrf": csrf_of(page.text), "username": "yuzhou", "password": PASSWORDS["yuzhou"]})
    assert "Secure" in _cookie(r, "gaizao_session")
    assert "max-age" in r.headers["Strict-Transport-Security"]
    web.config["COOKIE_SECURE"] = "always"
    assert "Secure" in _cookie(login(web, "jianan").last, "gaizao_session")


def test_the_password_is_stored_as_an_argon2id_hash(web):
    from generator.register import db
    with db.opened(web.extensions["gaizao"]["register"].path) as conn:
        stored = [r[0] for r in conn.execute("SELECT password_hash FROM accounts")]
    assert all(h.startswith("$argon2id$") for h in stored)
    assert not any(p in h for h in stored for p in PASSWORDS.values())


@pytest.mark.slow
def test_a_password_is_hashed_with_the_production_parameters(web, production_argon2):
    """The other web tests hash at the lowest cost (tests/web/conftest.py, TEST_ARGON2); the server's own
    parameters are OWASP's minimum for argon2id, and a hash made with others is re-made at the next login."""
    from generator.register import db
    assert production_argon2 == dict(time_cost=2, memory_cost=19456, parallelism=1)

    def stored(name):
        with db.opened(web.extensions["gaizao"]["register"].path) as conn:
            return conn.execute("SELECT password_hash FROM accounts WHERE username = ?", (name,)).fetchone()[0]
    assert "$m=8,t=1,p=1$" in stored("yuzhou")                      # made at the tests' cost
    assert login(web, "yuzhou").last.status_code == 303
    assert "$argon2id$v=19$m=19456,t=2,p=1$" in stored("yuzhou")    # re-hashed at the login
    web.accounts.create("xinzhang", "Hua-Shan#418", role="county", county="禹州市")
    assert "$argon2id$v=19$m=19456,t=2,p=1$" in stored("xinzhang")
    assert login(web, "xinzhang", "Hua-Shan#418").last.status_code == 303


def test_wrong_password_is_refused_and_audited(web):
    c = login(web, "yuzhou", "not-the-password")
    assert c.last.status_code == 401 and "用户名或密码不正确" in c.last.text
    assert c.get("/county").status_code == 302                     # still logged out
    row = web.accounts.audit_rows(1)[0]
    assert (row["action"], row["username"], row["ip"]) == ("login-failed", "yuzhou", "127.0.0.1")


def test_login_is_slowed_down_per_account_name(web):
    for _ in range(FREE_PER_NAME):
        assert login(web, "jianan", "guess-guess-guess").last.status_code == 401
    c = login(web, "jianan")                                        # even the right password waits now
    assert c.last.status_code == 429 and "秒后再试" in c.last.text
    assert 0 < int(c.last.headers["Retry-After"]) <= 2              # the first wait: 2 seconds, not 15 minutes
    assert login(web, "yuzhou").last.status_code == 303             # another account is not slowed down
    assert web.accounts.audit_rows(3, action="login-blocked")[0]["username"] == "jianan"


def test_login_needs_its_csrf_token(web):
    c = web.test_client()
    c.get("/login")
    r = c.post("/login", data={"username": "yuzhou", "password": PASSWORDS["yuzhou"]})
    assert r.status_code == 400 and "页面已过期" in r.text
    r = c.post("/login", data={"csrf": "forged", "username": "yuzhou", "password": PASSWORDS["yuzhou"]})
    assert r.status_code == 400


@pytest.mark.slow
def test_every_form_needs_the_session_csrf_token(web, yuzhou, admin):
    for client, path, form in [(yuzhou, "/logout", {}), (yuzhou, "/account/password", {"old": "x"}),
                               (yuzhou, "/county/upload", {}), (admin, "/city/accounts", {"username": "x"}),
                               (admin, "/city/accounts/3/active", {"active": "0"}),
                               (admin, "/city/accounts/3/password", {"password": "p" * 12})]:
        assert client.post(path, data=form).status_code == 400, path
        assert client.post(path, data={**form, "csrf": "forged"}).status_code == 400, path
    # another session's token is not this session's
    other = csrf(login(web, "yuzhou"))
    assert yuzhou.post("/logout", data={"csrf": other}).status_code == 400
    assert yuzhou.get("/county").status_code == 200


def test_a_cross_site_post_is_refused_even_with_a_token(yuzhou):
    token = csrf(yuzhou)
    r = yuzhou.post("/logout", data={"csrf": token}, headers={"Origin": "https://evil.example"})
    assert r.status_code == 400
    assert yuzhou.post("/logout", data={"csrf": token}).status_code == 303


def test_logout_ends_the_session_for_good(web, yuzhou):
    cookie = yuzhou.get_cookie("gaizao_session").value
    assert yuzhou.post("/logout", data={"csrf": csrf(yuzhou)}).status_code == 303
    replay = web.test_client()
    replay.set_cookie("gaizao_session", cookie)
    assert replay.get("/county").status_code == 302


def test_after_login_only_a_local_path_is_followed(web):
    c = web.test_client()
    page = c.get("/login?next=//evil.example/x")
    assert 'name="next" value=""' in page.text
    r = c.post("/login", data={"csrf": csrf_of(page.text), "username": "yuzhou", "password": PASSWORDS["yuzhou"],
                               "next": "https://evil.example/"})
    assert r.headers["Location"] == "/county"


def _own_password(c, old, new):
    """The forced first step after an administrator set the password."""
    assert c.last.status_code == 303 and c.last.headers["Location"] == "/account/password"
    r = c.post("/account/password", data={"csrf": csrf(c), "old": old, "new": new, "again": new})
    assert r.status_code == 303, r.text


@pytest.mark.slow
def test_admin_creates_disables_and_resets_accounts(web, admin):
    r = admin.post("/city/accounts", data={"csrf": csrf(admin), "username": "xiangcheng", "role": "county",
                                           "county": "襄城县", "password": "Chu-Shi#4471"})
    assert r.status_code == 200 and "已创建账号“xiangcheng”" in r.text
    c = login(web, "xiangcheng", "Chu-Shi#4471")
    _own_password(c, "Chu-Shi#4471", "Wo-De#Mima88")
    assert "襄城县" in c.get("/county").text
    aid = next(a.id for a in web.accounts.list() if a.username == "xiangcheng")
    assert admin.post(f"/city/accounts/{aid}/active", data={"csrf": csrf(admin), "active": "0"}).status_code == 303
    assert c.get("/county").status_code == 302                      # disabled: its session ended at once
    assert login(web, "xiangcheng", "Wo-De#Mima88").last.status_code == 401
    admin.post(f"/city/accounts/{aid}/active", data={"csrf": csrf(admin), "active": "1"})
    r = admin.post(f"/city/accounts/{aid}/password", data={"csrf": csrf(admin), "password": "Xin-Mi#2207"})
    assert "已重置" in r.text
    c = login(web, "xiangcheng", "Xin-Mi#2207")
    _own_password(c, "Xin-Mi#2207", "Zi-Ji#de9911")
    actions = [r["action"] for r in web.accounts.audit_rows(30)]
    for a in ("account-created", "account-disabled", "account-enabled", "password-reset", "password-changed"):
        assert a in actions


def test_account_rules_are_explained(web, admin):
    bad = [({"username": "a", "role": "county", "county": "禹州市", "password": "long-enough-1"}, "用户名应为"),
           ({"username": "zz", "role": "county", "county": "郑州市", "password": "long-enough-1"}, "不是政策中的县"),
           ({"username": "zz", "role": "county", "county": "", "password": "long-enough-1"}, "须指定所属县"),
           ({"username": "zz", "role": "city", "password": "short"}, "密码至少 8 位"),
           ({"username": "yuzhou", "role": "city", "password": "long-enough-1"}, "已存在")]
    for form, says in bad:
        r = admin.post("/city/accounts", data={"csrf": csrf(admin), **form})
        assert r.status_code == 400 and says in r.text, says
        assert 'value="long-enough-1"' not in r.text                   # a password is never sent back
    # what was typed stays in the form, the error sits beside its field
    r = admin.post("/city/accounts", data={"csrf": csrf(admin), "username": "zz", "display_name": "张三",
                                           "role": "county", "county": "郑州市", "password": "Long-Enough#1"})
    assert 'value="zz"' in r.text and 'value="张三"' in r.text
    assert 'id="n-county-error"' in r.text and 'aria-describedby="n-county-help n-county-error"' in r.text


@pytest.mark.slow
def test_only_the_admin_manages_accounts(web):
    staff = login(web, "staff")
    assert staff.get("/city").status_code == 200
    assert staff.get("/city/accounts").status_code == 403
    assert staff.post("/city/accounts", data={"csrf": csrf(staff), "username": "x"}).status_code == 403


@pytest.mark.slow
def test_changing_ones_password(web, yuzhou):
    r = yuzhou.post("/account/password", data={"csrf": csrf(yuzhou), "old": "wrong", "new": "A-new-pass#1",
                                               "again": "A-new-pass#1"})
    assert r.status_code == 400 and "当前密码不正确" in r.text and 'id="old-error"' in r.text
    r = yuzhou.post("/account/password", data={"csrf": csrf(yuzhou), "old": PASSWORDS["yuzhou"],
                                               "new": "yuzhou#2023", "again": "yuzhou#2023"})
    assert r.status_code == 400 and "不能含用户名" in r.text and 'id="new-error"' in r.text
    r = yuzhou.post("/account/password", data={"csrf": csrf(yuzhou), "old": PASSWORDS["yuzhou"],
                                               "new": "A-new-pass#1", "again": "A-new-pass#1"})
    assert r.status_code == 303
    assert yuzhou.get("/county").status_code == 200                 # this browser stays logged in
    assert login(web, "yuzhou").last.status_code == 401
    assert login(web, "yuzhou", "A-new-pass#1").last.status_code == 303


def test_pages_carry_security_headers(yuzhou):
    r = yuzhou.get("/county")
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Cache-Control"] == "no-store"
