"""Accounts, sessions and the audit log of the web front end, in the register's SQLite database.

Like ``generator.register.Register``: no global state, one connection per call (the tables come with
the register's schema version 4, generator/register/db.py). Passwords are argon2id hashes
(OWASP's parameters, see ARGON2); a session is a random token in the cookie whose sha256 is stored, so
the database file holds no usable cookie; logging out or disabling an account ends its sessions at once.
"""
from __future__ import annotations

import builtins
import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from generator.errors import UsageError
from generator.policy.wording import level_organ, lower_organ, lower_unit
from generator.register import db

ROLES = ("admin", "city", "county")
USERNAME = re.compile(r"[A-Za-z0-9_.\-\u4e00-\u9fff]{2,32}")
SESSION_HOURS = 12
IDLE_MINUTES = 30               # a session unused this long ends (等保 2.0: 登录连接超时自动退出)
TOUCH_SECONDS = 60              # last_seen is written at most this often (one write a minute, not per request)
# Failed logins slow further tries down, they never lock an account: after FREE_* failures within the window
# (counted since the last successful login or unlock), each further try waits 2, 4, 8 … seconds after the last
# failure, at most MAX_DELAY_*. An outsider who knows a user name can make that user wait half a minute, no more.
LOGIN_WINDOW_MINUTES = 15
FREE_PER_NAME, MAX_DELAY_PER_NAME = 3, 30
FREE_PER_IP, MAX_DELAY_PER_IP = 10, 60


@dataclass
class Account:
    id: int
    username: str
    display_name: str
    role: str
    county: str | None
    active: bool
    created_at: str
    created_by: str | None = None
    must_change: bool = False          # an administrator set the password: the user sets their own first
    totp: bool = False                 # 动态口令 (TOTP) turned on

    @property
    def is_city(self) -> bool:
        return self.role in ("admin", "city")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @classmethod
    def from_row(cls, row) -> "Account":
        d = {k: row[k] for k in ("id", "username", "display_name", "role", "county", "active", "created_at",
                                 "created_by")}
        d["active"] = bool(d["active"])
        keys = row.keys()
        d["must_change"] = bool(row["must_change"]) if "must_change" in keys else False
        d["totp"] = bool(row["totp_secret"]) if "totp_secret" in keys else False
        return cls(**d)


@dataclass
class Session:
    account: Account
    csrf: str
    expires_at: str
    stage: str | None = None          # None: logged in; "totp": code awaited; "password": new password awaited


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _iso(t: dt.datetime) -> str:
    return t.isoformat(timespec="seconds")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane) rather than argon2-cffi's default
# (64 MiB, 3 passes, 4 lanes): on the 2-core server a login then takes ~0.1 s instead of ~0.6 s, and four
# logins at once hold 76 MiB, not 256. A stored hash with other parameters is re-hashed at the next login.
ARGON2 = dict(time_cost=2, memory_cost=19456, parallelism=1)


def _hasher():
    from argon2 import PasswordHasher
    return PasswordHasher(**ARGON2)


# verifying an unknown name costs as much as a known one: a login does not tell which names exist
_DUMMY_HASH = None


def check_password_rules(password: str, username: str = "") -> None:
    from generator.web.passwords import check
    check(password, username)


def role_names(level: str) -> dict[str, str]:
    """The roles as the policy's level names them: 市级管理员, 市级工作人员, 县级填报人员 in a city's system;
    省级…, 市级填报人员 in a province's."""
    organ = level_organ(level)
    return {"admin": f"{organ}管理员", "city": f"{organ}工作人员", "county": f"{lower_organ(level)}填报人员"}


class Accounts:
    """Accounts, sessions and audit rows of the register at ``path``."""

    def __init__(self, path, counties: list[str] | None = None, level: str = "city"):
        self.path = path
        self.counties = counties           # the policy's counties: a county account must name one
        self.level = level                 # the policy's level: its words in the messages (县（市、区） under a city)

    def _open(self):
        return db.opened(self.path, create=True)

    # -- accounts -------------------------------------------------------------------------------------
    def create(self, username: str, password: str, *, role: str, county: str | None = None,
               display_name: str | None = None, by: str | None = None, must_change: bool = False) -> Account:
        username = (username or "").strip()
        if not USERNAME.fullmatch(username):
            raise UsageError("用户名应为 2–32 个字母、数字、汉字或 . _ -", "a user name is 2-32 letters, digits, "
                             "Chinese characters or . _ -")
        if role not in ROLES:
            raise UsageError(f"角色应为 {'、'.join(ROLES)}", f"role must be one of {', '.join(ROLES)}")
        if role == "county":
            unit = lower_unit(self.level)
            if not county:
                raise UsageError(f"{lower_organ(self.level)}账号须指定所属{unit}", "a county account needs its county")
            if self.counties is not None and county not in self.counties:
                raise UsageError(f"“{county}”不是政策中的{unit}（{'、'.join(self.counties)}）",
                                 f"{county!r} is not a county of the policy")
        else:
            county = None
        check_password_rules(password, username)
        pw = _hasher().hash(password)
        with self._open() as conn:
            with db.transaction(conn):
                if conn.execute("SELECT 1 FROM accounts WHERE username = ?", (username,)).fetchone():
                    raise UsageError(f"用户名“{username}”已存在", f"the user name {username!r} exists")
                cur = conn.execute("INSERT INTO accounts(username, display_name, role, county, password_hash, active, "
                                   "created_at, created_by, must_change) VALUES (?,?,?,?,?,1,?,?,?)",
                                   (username, (display_name or "").strip() or username, role, county, pw,
                                    _iso(_now()), by, int(must_change)))
            return Account.from_row(conn.execute("SELECT * FROM accounts WHERE id = ?", (cur.lastrowid,)).fetchone())

    def list(self) -> list[Account]:
        with self._open() as conn:
            return [Account.from_row(r) for r in conn.execute("SELECT * FROM accounts ORDER BY role, county, username")]

    def get(self, account_id: int) -> Account | None:
        with self._open() as conn:
            row = conn.execute("SELECT * FROM accounts WHERE id = ?", (int(account_id),)).fetchone()
        return None if row is None else Account.from_row(row)

    def has_admin(self) -> bool:
        with self._open() as conn:
            return conn.execute("SELECT 1 FROM accounts WHERE role = 'admin' AND active <> 0").fetchone() is not None

    def set_active(self, account_id: int, active: bool) -> None:
        with self._open() as conn:
            with db.transaction(conn):
                conn.execute("UPDATE accounts SET active = ? WHERE id = ?", (int(active), int(account_id)))
                if not active:
                    conn.execute("DELETE FROM web_sessions WHERE account_id = ?", (int(account_id),))

    def get_by_name(self, username: str) -> Account | None:
        with self._open() as conn:
            row = conn.execute("SELECT * FROM accounts WHERE username = ?", ((username or "").strip(),)).fetchone()
        return None if row is None else Account.from_row(row)

    def set_password(self, account_id: int, password: str, *, by_admin: bool = False) -> None:
        """A new password; set by an administrator (``by_admin``), it must be changed at the next login."""
        acc = self.get(account_id)
        if acc is None:
            raise UsageError("没有这个账号", "no such account")
        check_password_rules(password, acc.username)
        if self.authenticate(acc.username, password) is not None:
            raise UsageError("新密码不能与原密码相同", "the new password must differ from the old one")
        pw = _hasher().hash(password)
        with self._open() as conn:
            with db.transaction(conn):
                conn.execute("UPDATE accounts SET password_hash = ?, must_change = ? WHERE id = ?",
                             (pw, int(by_admin), acc.id))
                conn.execute("DELETE FROM web_sessions WHERE account_id = ?", (acc.id,))   # elsewhere: log in again

    # -- 动态口令 (TOTP, RFC 6238) -------------------------------------------------------------------------
    def totp_secret(self, account_id: int) -> str | None:
        with self._open() as conn:
            row = conn.execute("SELECT totp_secret FROM accounts WHERE id = ?", (int(account_id),)).fetchone()
        return row[0] if row else None

    def set_totp(self, account_id: int, secret: str | None) -> None:
        with self._open() as conn:
            with db.transaction(conn):
                conn.execute("UPDATE accounts SET totp_secret = ? WHERE id = ?", (secret, int(account_id)))

    def check_totp(self, account_id: int, code: str, *, at: dt.datetime | int | None = None) -> bool:
        """Right code of now (±30 s) and not used before: the accepted time step is written to the audit log
        ("totp-used"), and a step at or before the last accepted one is refused, so a code read over a shoulder
        or from a proxy's log cannot be replayed within its window."""
        from generator.web.totp import matched_step
        secret = self.totp_secret(account_id)
        step = matched_step(secret, code, at=at) if secret else None
        if step is None:
            return False
        with self._open() as conn:
            with db.transaction(conn):          # BEGIN IMMEDIATE: two requests with one code cannot both pass
                last = conn.execute("SELECT detail FROM audit WHERE account_id = ? AND action = 'totp-used' "
                                    "ORDER BY id DESC LIMIT 1", (int(account_id),)).fetchone()
                if last is not None and last[0] and last[0].isdigit() and int(last[0]) >= step:
                    return False
                conn.execute("INSERT INTO audit(at, account_id, username, county, action, detail) "
                             "SELECT ?, id, username, county, 'totp-used', ? FROM accounts WHERE id = ?",
                             (_iso(_now()), str(step), int(account_id)))
        return True

    def authenticate(self, username: str, password: str) -> Account | None:
        """The active account whose password this is, else None (same work for an unknown name)."""
        from argon2.exceptions import InvalidHashError, VerificationError
        global _DUMMY_HASH
        ph = _hasher()
        with self._open() as conn:
            row = conn.execute("SELECT * FROM accounts WHERE username = ?", ((username or "").strip(),)).fetchone()
        if row is None:
            if _DUMMY_HASH is None:
                _DUMMY_HASH = ph.hash(secrets.token_hex(16))
            try:
                ph.verify(_DUMMY_HASH, password or "")
            except VerificationError:
                pass
            return None
        try:
            ph.verify(row["password_hash"], password or "")
        except (VerificationError, InvalidHashError):
            return None
        if not row["active"]:
            return None
        if ph.check_needs_rehash(row["password_hash"]):
            with self._open() as conn:
                with db.transaction(conn):
                    conn.execute("UPDATE accounts SET password_hash = ? WHERE id = ?", (ph.hash(password), row["id"]))
        return Account.from_row(row)

    # -- sessions -------------------------------------------------------------------------------------
    def new_session(self, account: Account, stage: str | None = None) -> tuple[str, Session]:
        """(cookie token, session): the token is shown once, only its hash is stored. ``stage``: "totp" while
        the code is awaited, "password" while a new password is (the session can do nothing else)."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        now = _now()
        expires = _iso(now + dt.timedelta(hours=SESSION_HOURS))
        with self._open() as conn:
            with db.transaction(conn):
                conn.execute("DELETE FROM web_sessions WHERE expires_at < ?", (_iso(now),))
                conn.execute("INSERT INTO web_sessions(token_hash, account_id, csrf, created_at, expires_at, last_seen, "
                             "stage) VALUES (?,?,?,?,?,?,?)",
                             (_token_hash(token), account.id, csrf, _iso(now), expires, _iso(now), stage))
        return token, Session(account, csrf, expires, stage)

    def session(self, token: str | None, idle_minutes: float = IDLE_MINUTES) -> Session | None:
        """The live session of this cookie token; None when unknown, expired, or idle for ``idle_minutes``."""
        if not token or len(token) > 200:
            return None
        th = _token_hash(token)
        with self._open() as conn:
            row = conn.execute("SELECT s.csrf, s.expires_at, s.last_seen, s.stage, a.* FROM web_sessions s JOIN accounts a "
                               "ON a.id = s.account_id WHERE s.token_hash = ?", (th,)).fetchone()
        if row is None or not row["active"] or row["expires_at"] < _iso(_now()):
            return None
        now = _now()
        seen = dt.datetime.fromisoformat(row["last_seen"]) if row["last_seen"] else now
        if idle_minutes and now - seen > dt.timedelta(minutes=idle_minutes):
            self.end_session(token)
            return None
        if (now - seen).total_seconds() >= TOUCH_SECONDS:
            with self._open() as conn:
                with db.transaction(conn):
                    conn.execute("UPDATE web_sessions SET last_seen = ? WHERE token_hash = ?", (_iso(now), th))
        return Session(Account.from_row(row), row["csrf"], row["expires_at"], row["stage"])

    def set_stage(self, token: str, stage: str | None) -> None:
        with self._open() as conn:
            with db.transaction(conn):
                conn.execute("UPDATE web_sessions SET stage = ? WHERE token_hash = ?", (stage, _token_hash(token)))

    def end_sessions(self, account_id: int) -> None:
        with self._open() as conn:
            with db.transaction(conn):
                conn.execute("DELETE FROM web_sessions WHERE account_id = ?", (int(account_id),))

    def end_session(self, token: str | None) -> None:
        if token:
            with self._open() as conn:
                with db.transaction(conn):
                    conn.execute("DELETE FROM web_sessions WHERE token_hash = ?", (_token_hash(token),))

    # -- audit ----------------------------------------------------------------------------------------
    def audit(self, action: str, *, account: Account | None = None, username: str | None = None,
              county: str | None = None, submission_id: int | None = None, file_name: str | None = None,
              sha256: str | None = None, ip: str | None = None, detail: str | None = None) -> None:
        with self._open() as conn:
            with db.transaction(conn):
                conn.execute("INSERT INTO audit(at, account_id, username, county, action, submission_id, file_name, "
                             "sha256, ip, detail) VALUES (?,?,?,?,?,?,?,?,?,?)",
                             (_iso(_now()), account.id if account else None,
                              account.username if account else username,
                              county if county is not None else (account.county if account else None),
                              action, submission_id, file_name, sha256, ip, detail))

    def audit_rows(self, limit: int = 200, *, action: str | None = None) -> builtins.list[dict]:
        sql, args = "SELECT * FROM audit", []
        if action:
            sql += " WHERE action = ?"
            args.append(action)
        with self._open() as conn:
            return [dict(r) for r in conn.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, int(limit)))]

    def recent_failures(self, username: str, ip: str | None) -> tuple[tuple[int, str | None], tuple[int, str | None]]:
        """Failed logins (and wrong codes) within the window, since the last success or unlock:
        ((count, last) for this name, (count, last) from this address)."""
        since = _iso(_now() - dt.timedelta(minutes=LOGIN_WINDOW_MINUTES))
        name = (username or "").strip()
        with self._open() as conn:
            reset = conn.execute("SELECT COALESCE(MAX(id), 0) FROM audit WHERE action IN ('login', 'unlock') "
                                 "AND username = ? COLLATE NOCASE", (name,)).fetchone()[0]
            by_name = tuple(conn.execute("SELECT COUNT(*), MAX(at) FROM audit WHERE action IN ('login-failed', "
                                         "'totp-failed') AND username = ? COLLATE NOCASE AND at >= ? AND id > ?",
                                         (name, since, reset)).fetchone())
            by_ip = (0, None)
            if ip:
                reset_ip = conn.execute("SELECT COALESCE(MAX(id), 0) FROM audit WHERE action IN ('login', 'unlock-ip') "
                                        "AND ip = ?", (ip,)).fetchone()[0]
                by_ip = tuple(conn.execute("SELECT COUNT(*), MAX(at) FROM audit WHERE action IN ('login-failed', "
                                           "'totp-failed') AND ip = ? AND at >= ? AND id > ?",
                                           (ip, since, reset_ip)).fetchone())
        return by_name, by_ip

    def login_wait(self, username: str, ip: str | None) -> int:
        """Seconds to wait before this name may try again from this address (0: go ahead). Growing, capped:
        never a lock."""
        (n_name, last_name), (n_ip, last_ip) = self.recent_failures(username, ip)
        now = _now()

        def left(n, last, free, cap):
            if n < free or last is None:
                return 0
            delay = min(cap, 2 ** (n - free + 1))
            return max(0, int(delay - (now - dt.datetime.fromisoformat(last)).total_seconds() + 0.999))
        return max(left(n_name, last_name, FREE_PER_NAME, MAX_DELAY_PER_NAME),
                   left(n_ip, last_ip, FREE_PER_IP, MAX_DELAY_PER_IP))

    def login_blocked(self, username: str, ip: str | None) -> bool:
        return self.login_wait(username, ip) > 0

    def unlock(self, username: str, *, by: str | None, ip: str | None = None) -> None:
        """Forget the failures of this name (and of ``ip`` when given): an administrator's help."""
        self.audit("unlock", username=(username or "").strip(), ip=None, detail=f"由 {by or '管理员'} 解除")
        if ip:
            self.audit("unlock-ip", username=None, ip=ip, detail=f"由 {by or '管理员'} 解除")
