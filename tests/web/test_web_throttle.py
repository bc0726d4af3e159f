"""Issue 22.2: failed logins slow further tries down, per account name and per address, with a growing delay
that is capped (30 s for a name, 60 s for an address): nobody can lock a known account for long. An
administrator clears it (`gaizao web unlock`, the button on the accounts page); all of it is in the audit log."""
import datetime as dt

import pytest
from click.testing import CliRunner

from generator.web import accounts as A
from web_helpers import PASSWORDS, csrf, login


@pytest.fixture
def tick(monkeypatch):
    """The accounts' tick, moved by hand (seconds)."""
    start = A._now()                     # frozen: the test's own pace (argon2, a loaded machine) does not count
    shift = [dt.timedelta(0)]
    monkeypatch.setattr(A, "_now", lambda: start + shift[0])

    def move(seconds):
        shift[0] += dt.timedelta(seconds=seconds)
    return move


def _fail(web, user="jianan"):
    return login(web, user, "Wrong-Guess#1").last


def _waits(web, user="jianan"):
    return web.accounts.login_wait(user, "127.0.0.1")


@pytest.mark.slow
def test_the_first_three_failures_cost_nothing_then_the_wait_doubles(web, tick):
    assert (A.FREE_PER_NAME, A.MAX_DELAY_PER_NAME) == (3, 30)
    for _ in range(3):
        assert _fail(web).status_code == 401
    # the 4th try must wait 2 s after the 3rd failure; once waited, a wrong guess makes the next wait 4 s ...
    expected = [2, 4, 8, 16, 30, 30, 30]                 # capped at 30 s: never a lock
    for wait in expected:
        assert _waits(web) == wait
        r = login(web, "jianan").last                    # even the right password waits
        assert r.status_code == 429 and f"{wait} 秒后再试" in r.text and r.headers["Retry-After"] == str(wait)
        tick(wait - 1)
        assert _waits(web) == 1                          # one second before: still waiting
        tick(1)
        assert _waits(web) == 0
        assert _fail(web).status_code == 401
    tick(30)
    assert login(web, "jianan").last.status_code == 303  # after the longest wait the owner gets in


def test_a_success_forgets_the_failures(web, tick):
    for _ in range(4):
        tick(10)
        _fail(web)
    tick(30)
    assert login(web, "jianan").last.status_code == 303
    assert _waits(web) == 0 and _fail(web).status_code == 401


def test_failures_older_than_the_window_are_forgotten(web, tick):
    for _ in range(6):
        tick(40)
        _fail(web)
    assert _waits(web) > 0
    tick(A.LOGIN_WINDOW_MINUTES * 60 + 1)
    assert _waits(web) == 0


def test_a_busy_address_is_slowed_not_locked(web, tick):
    """Many names from one address (a bureau behind one NAT, or a guesser): after 10 failures the address
    waits 2, 4 … at most 60 s; from another address the same account logs in at once."""
    assert (A.FREE_PER_IP, A.MAX_DELAY_PER_IP) == (10, 60)
    for i in range(10):
        assert _fail(web, f"nobody{i}").status_code == 401
    assert web.accounts.login_wait("yuzhou", "127.0.0.1") == 2
    assert web.accounts.login_wait("yuzhou", "10.0.0.9") == 0
    for _ in range(8):
        tick(61)
        _fail(web, "nobody")
    assert web.accounts.login_wait("yuzhou", "127.0.0.1") == 60
    c = web.test_client()
    page = c.get("/login", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    from web_helpers import csrf_of
    r = c.post("/login", environ_base={"REMOTE_ADDR": "10.0.0.9"},
               data={"csrf": csrf_of(page.text), "username": "yuzhou", "password": PASSWORDS["yuzhou"]})
    assert r.status_code == 303


def test_unknown_names_are_throttled_like_known_ones(web, tick):
    for _ in range(3):
        _fail(web, "no-such-user")
    assert _waits(web, "no-such-user") == 2 and _waits(web, "jianan") == 0


def test_the_administrator_unlocks_in_the_page(web, admin, tick):
    for _ in range(5):
        tick(31)
        _fail(web)
    page = admin.get("/city/accounts").text
    assert "登录失败较多，需等" in page
    aid = next(a.id for a in web.accounts.list() if a.username == "jianan")
    r = admin.post(f"/city/accounts/{aid}/unlock", data={"csrf": csrf(admin)})
    assert r.status_code == 200 and "已解除“jianan”的登录限制" in r.text
    assert _waits(web) == 0 and login(web, "jianan").last.status_code == 303
    row = web.accounts.audit_rows(20, action="unlock")[0]
    assert row["username"] == "jianan" and "admin" in row["detail"]


def test_gaizao_web_unlock(web, tick):
    from generator.cli import main
    for _ in range(5):
        tick(31)
        _fail(web)
    db = web.extensions["gaizao"]["register"].path
    r = CliRunner().invoke(main, ["web", "unlock", "jianan", "--db", str(db)])
    assert r.exit_code == 0 and "已解除“jianan”的登录限制" in r.output
    assert _waits(web) == 0
    r = CliRunner().invoke(main, ["web", "unlock", "nobody", "--db", str(db)])
    assert r.exit_code == 2 and "没有账号“nobody”" in r.output and "Traceback" not in r.output
    assert web.accounts.audit_rows(5, action="unlock")[0]["detail"] == "由 命令行 解除"


def test_every_failure_and_wait_is_audited(web, tick):
    for _ in range(4):
        _fail(web)                        # the 4th comes too soon: refused without trying the password
    login(web, "jianan")
    actions = [r["action"] for r in reversed(web.accounts.audit_rows(5))]
    assert actions == ["login-failed"] * 3 + ["login-blocked"] * 2
    blocked = web.accounts.audit_rows(5, action="login-blocked")[0]
    assert blocked["username"] == "jianan" and blocked["detail"] == "需等待 2 秒"
