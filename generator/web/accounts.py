"""Accounts, sessions and the audit log of the web front end, in the register's SQLite database.

Like ``generator.register.Register``: no global state, one connection per call (the tables come with
the register's schema version 4, generator/register/db.py). Passwords are argon2id hashes
(OWASP's parameters, see ARGON2); a session is a random token in the cookie whose sha256 is stored, so
the database file holds no usable cookie; logging out or disabling an account ends its sessions at once.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from generator.errors import UsageError
from generator.policy.wording import level_organ, lower_organ, lower_unit
from generator.register import db

ROLES = ("admin", "city", "county")
MIN_PASSWORD = 10
USERNAME = re.compile(r"[A-Za-z0-9_.\-\u4e00-\u9fff]{2,32}")
SESSION_HOURS = 12
# a login is refused after this many failures within the window: per account name, and per address
LOGIN_WINDOW_MINUTES = 15
LOGIN_FAILURES_PER_NAME = 5
LOGIN_FAILURES_PER_IP = 20


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
        return cls(**d)


@dataclass
class Session:
    account: Account
    csrf: str
    expires_at: str


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
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"密码至少 {MIN_PASSWORD} 个字符", f"the password needs at least {MIN_PASSWORD} characters")
    if username and password.lower() == username.lower():
        raise UsageError("密码不能与用户名相同", "the password must not be the user name")
    if len(set(password)) < 4:
        raise UsageError("密码过于简单（字符种类太少）", "the password is too simple")


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
               display_name: str | None = None, by: str | None = None) -> Account:
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
                                   "created_at, created_by) VALUES (?,?,?,?,?,1,?,?)",
                                   (username, (display_name or "").strip() or username, role, county, pw,
                                    _iso(_now()), by))
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
            return conn.execute("SELECT 1 FROM accounts WHERE role = 'admin' AND active").fetchone() is not None

    def set_active(self, account_id: int, active: bool) -> None:
        with self._open() as conn:
            with db.transaction(conn):
                conn.execute("UPDATE accounts SET active = ? WHERE id = ?", (int(active), int(account_id)))
                if not active:
                    conn.execute("DELETE FROM web_sessions WHERE account_id = ?", (int(account_id),))

    def set_password(self, account_id: int, password: str) -> None:
        acc = self.get(account_id)
        if acc is None:
            raise UsageError("没有这个账号", "no such account")
        check_password_rules(password, acc.username)
        pw = _hasher().hash(password)
        with self._open() as conn:
            with db.transaction(conn):
                conn.execute("UPDATE accounts SET password_hash = ? WHERE id = ?", (pw, acc.id))
                conn.execute("DELETE FROM web_sessions WHERE account_id = ?", (acc.id,))   # elsewhere: log in again

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
    def new_session(self, account: Account) -> tuple[str, Session]:
        """(cookie token, session): the token is shown once, only its hash is stored."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        now = _now()
        expires = _iso(now + dt.timedelta(hours=SESSION_HOURS))
        with self._open() as conn:
            with db.transaction(conn):
                conn.execute("DELETE FROM web_sessions WHERE expires_at < ?", (_iso(now),))
                conn.execute("INSERT INTO web_sessions(token_hash, account_id, csrf, created_at, expires_at) "
                             "VALUES (?,?,?,?,?)", (_token_hash(token), account.id, csrf, _iso(now), expires))
        return token, Session(account, csrf, expires)

    def session(self, token: str | None) -> Session | None:
        if not token or len(token) > 200:
            return None
        with self._open() as conn:
            row = conn.execute("SELECT s.csrf, s.expires_at, a.* FROM web_sessions s JOIN accounts a "
                               "ON a.id = s.account_id WHERE s.token_hash = ?", (_token_hash(token),)).fetchone()
        if row is None or not row["active"] or row["expires_at"] < _iso(_now()):
            return None
        return Session(Account.from_row(row), row["csrf"], row["expires_at"])

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

    def audit_rows(self, limit: int = 200, *, action: str | None = None) -> list[dict]:
        sql, args = "SELECT * FROM audit", []
        if action:
            sql += " WHERE action = ?"
            args.append(action)
        with self._open() as conn:
            return [dict(r) for r in conn.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, int(limit)))]

    def recent_failures(self, username: str, ip: str | None) -> tuple[int, int]:
        """Failed logins within the window: (for this name, from this address)."""
        since = _iso(_now() - dt.timedelta(minutes=LOGIN_WINDOW_MINUTES))
        with self._open() as conn:
            by_name = conn.execute("SELECT COUNT(*) FROM audit WHERE action = 'login-failed' AND username = ? "
                                   "COLLATE NOCASE AND at >= ?", ((username or "").strip(), since)).fetchone()[0]
            by_ip = conn.execute("SELECT COUNT(*) FROM audit WHERE action = 'login-failed' AND ip = ? AND at >= ?",
                                 (ip, since)).fetchone()[0] if ip else 0
        return by_name, by_ip

    def login_blocked(self, username: str, ip: str | None) -> bool:
        by_name, by_ip = self.recent_failures(username, ip)
        return by_name >= LOGIN_FAILURES_PER_NAME or by_ip >= LOGIN_FAILURES_PER_IP
