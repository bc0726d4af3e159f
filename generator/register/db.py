"""The register's SQLite database: where it lives, how it is opened, its versioned schema.

One file, embedded (no server): ``$GAIZAO_DB`` or ``./gaizao.db`` unless a path is given. Every
connection is opened per call (no global state; a web front end opens one per request/thread) in
WAL mode with a busy timeout, so a reader never blocks a writer and two commands writing at once
wait for each other instead of failing. Writes run in ``BEGIN IMMEDIATE`` transactions: a killed
process leaves the database as it was before the transaction.

The schema is versioned with ``PRAGMA user_version``; ``MIGRATIONS[i]`` takes version i to i + 1 and
runs once, inside the same transaction that records the new version.

A province-wide service keeps the same register on a PostgreSQL server: ``--db postgresql://…`` (or
``$GAIZAO_DB``). The schema, the migrations and every statement stay as written here; register/pg.py is the one
module that translates them (docs/web.md「省级部署：PostgreSQL」).
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from generator.errors import GaizaoError
from generator.register import pg

ENV = "GAIZAO_DB"
_ERRORS: tuple[type[BaseException], ...] = (sqlite3.DatabaseError,)
DEFAULT_NAME = "gaizao.db"
BUSY_TIMEOUT_MS = 30_000


class RegisterError(GaizaoError):
    """The register database cannot be opened or used (not a database, newer schema, locked...)."""


def default_path():
    """``$GAIZAO_DB`` when set, else ``gaizao.db`` in the current folder (documented in docs/register.md)."""
    return target(os.environ.get(ENV) or DEFAULT_NAME)


def target(path):
    """Where a register is: a file (Path) or, for ``postgresql://…``, a server (pg.PgUrl, its password hidden)."""
    if isinstance(path, pg.PgUrl):
        return path
    if pg.is_url(path):
        return pg.PgUrl(path)
    return Path(path)


# Blobs and submissions are append-only: triggers refuse UPDATE and DELETE, so nothing recorded is
# ever overwritten, whatever program opens the file.
MIGRATIONS: list[str] = [
    # 0 -> 1
    """
    CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY,
        size   INTEGER NOT NULL,
        data   BLOB NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE submissions (
        id             INTEGER PRIMARY KEY,
        county         TEXT NOT NULL,
        version        INTEGER NOT NULL,           -- 1, 2, ... per county in order of recording
        received       TEXT NOT NULL,              -- ISO date the office received it
        recorded_at    TEXT NOT NULL,              -- ISO timestamp (UTC) of recording
        recorded_by    TEXT NOT NULL,
        file_name      TEXT NOT NULL,              -- original file name as given
        format         TEXT NOT NULL,
        sha256         TEXT NOT NULL REFERENCES blobs(sha256),
        policy_id      TEXT NOT NULL,
        policy_version TEXT NOT NULL,
        policy_hash    TEXT NOT NULL,
        sample         INTEGER NOT NULL DEFAULT 0, -- the workbook says 示例数据
        errors         INTEGER NOT NULL,
        warnings       INTEGER NOT NULL,
        note           TEXT,
        UNIQUE (county, version)
    );
    CREATE INDEX submissions_county_received ON submissions(county, received, id);
    CREATE INDEX submissions_received ON submissions(received, id);
    CREATE TABLE findings (
        submission_id INTEGER NOT NULL REFERENCES submissions(id),
        seq           INTEGER NOT NULL,
        code          TEXT NOT NULL,
        severity      TEXT NOT NULL,
        body          TEXT NOT NULL,               -- the Finding as JSON (findings.FIELDS + message_en)
        PRIMARY KEY (submission_id, seq)
    ) WITHOUT ROWID;
    -- parsed project rows of each submission: as-of queries are SQL, never a re-read workbook
    CREATE TABLE projects (
        submission_id INTEGER NOT NULL REFERENCES submissions(id),
        row           INTEGER NOT NULL,            -- Excel row
        project       TEXT,                        -- 项目编号
        community     TEXT,
        households    INTEGER,
        planned_start TEXT,
        planned_end   TEXT,
        actual_start  TEXT,
        actual_end    TEXT,
        PRIMARY KEY (submission_id, row)
    ) WITHOUT ROWID;
    CREATE TRIGGER blobs_keep BEFORE UPDATE ON blobs BEGIN SELECT RAISE(ABORT, 'register blobs are never overwritten'); END;
    CREATE TRIGGER blobs_stay BEFORE DELETE ON blobs BEGIN SELECT RAISE(ABORT, 'register blobs are never deleted'); END;
    CREATE TRIGGER submissions_keep BEFORE UPDATE ON submissions BEGIN SELECT RAISE(ABORT, 'submissions are never overwritten'); END;
    CREATE TRIGGER submissions_stay BEFORE DELETE ON submissions BEGIN SELECT RAISE(ABORT, 'submissions are never deleted'); END;
    """,
    # 1 -> 2: the month a progress report (信息月报) is for, YYYY-MM; NULL for a plan or anything else
    """
    ALTER TABLE submissions ADD COLUMN period TEXT;
    """,
    # 2 -> 3: what reports need of each policy submissions were judged against, by content hash (facts.py)
    """
    CREATE TABLE policy_facts (
        policy_hash TEXT PRIMARY KEY,
        facts       TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # 3 -> 4: the web front end (generator/web): accounts, their sessions, and the audit log of who
    # logged in, uploaded and downloaded what (append-only like the submissions)
    """
    CREATE TABLE accounts (
        id            INTEGER PRIMARY KEY,
        username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name  TEXT NOT NULL,
        role          TEXT NOT NULL CHECK (role IN ('admin', 'city', 'county')),
        county        TEXT,                        -- the one county a county account may see
        password_hash TEXT NOT NULL,               -- argon2id (argon2-cffi)
        active        INTEGER NOT NULL DEFAULT 1,
        created_at    TEXT NOT NULL,
        created_by    TEXT,
        CHECK ((role = 'county') = (county IS NOT NULL))
    );
    CREATE TABLE web_sessions (
        token_hash  TEXT PRIMARY KEY,              -- sha256 of the cookie's token: a stolen file holds no cookie
        account_id  INTEGER NOT NULL REFERENCES accounts(id),
        csrf        TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        expires_at  TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE audit (
        id            INTEGER PRIMARY KEY,
        at            TEXT NOT NULL,               -- ISO timestamp (UTC)
        account_id    INTEGER,
        username      TEXT,                        -- as typed, also for a failed login
        county        TEXT,
        action        TEXT NOT NULL,               -- login, login-failed, upload, upload-refused, download, ...
        submission_id INTEGER,
        file_name     TEXT,
        sha256        TEXT,
        ip            TEXT,
        detail        TEXT
    );
    CREATE INDEX audit_action_user_at ON audit(action, username, at);
    CREATE INDEX audit_action_ip_at ON audit(action, ip, at);
    CREATE TRIGGER audit_keep BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is never overwritten'); END;
    CREATE TRIGGER audit_stay BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is never deleted'); END;
    """,
    # 4 -> 5 (issue 19): what a submission is (kind), the date typed in its sheet, what --force confirmed;
    # each project row's 开工认定 facts as judged when received (recognition.py); the register's policy and
    # the office's rules, each with the day it applies from; approvals (五（四）: 单位领导审核, sealed scan).
    # All append-only: a change is a new row with its own date.
    """
    ALTER TABLE submissions ADD COLUMN kind TEXT;          -- 年度实施方案 | 信息月报 | 联系点情况 | 试填报 | 其他
    ALTER TABLE submissions ADD COLUMN sheet_date TEXT;    -- 报送日期 as typed in the workbook (ISO)
    ALTER TABLE submissions ADD COLUMN forced TEXT;        -- the guards --force overrode, as words
    ALTER TABLE projects ADD COLUMN start_check TEXT;      -- JSON: criteria states, consent, rejected dates
    CREATE TABLE register_policy (
        id             INTEGER PRIMARY KEY,
        policy_id      TEXT NOT NULL,
        policy_version TEXT NOT NULL,
        policy_hash    TEXT NOT NULL,
        applies_from   TEXT NOT NULL,              -- ISO date
        recorded_at    TEXT NOT NULL,
        recorded_by    TEXT NOT NULL,
        note           TEXT
    );
    CREATE TABLE office_rules (
        id           INTEGER PRIMARY KEY,
        key          TEXT NOT NULL,
        value        TEXT NOT NULL,
        applies_from TEXT NOT NULL,
        recorded_at  TEXT NOT NULL,
        recorded_by  TEXT NOT NULL,
        note         TEXT
    );
    CREATE TABLE approvals (
        id            INTEGER PRIMARY KEY,
        submission_id INTEGER NOT NULL REFERENCES submissions(id),
        approved_by   TEXT NOT NULL,               -- the 单位领导 who approved it
        scan_sha256   TEXT REFERENCES blobs(sha256),
        scan_name     TEXT,
        recorded_at   TEXT NOT NULL,
        recorded_by   TEXT NOT NULL
    );
    CREATE TRIGGER register_policy_keep BEFORE UPDATE ON register_policy BEGIN SELECT RAISE(ABORT, 'never overwritten'); END;
    CREATE TRIGGER register_policy_stay BEFORE DELETE ON register_policy BEGIN SELECT RAISE(ABORT, 'never deleted'); END;
    CREATE TRIGGER office_rules_keep BEFORE UPDATE ON office_rules BEGIN SELECT RAISE(ABORT, 'never overwritten'); END;
    CREATE TRIGGER office_rules_stay BEFORE DELETE ON office_rules BEGIN SELECT RAISE(ABORT, 'never deleted'); END;
    CREATE TRIGGER approvals_keep BEFORE UPDATE ON approvals BEGIN SELECT RAISE(ABORT, 'never overwritten'); END;
    CREATE TRIGGER approvals_stay BEFORE DELETE ON approvals BEGIN SELECT RAISE(ABORT, 'never deleted'); END;
    """,
    # (issue 22) the web front end: a password an administrator set must be changed at the next login; an
    # optional TOTP secret (动态口令); a session's last request (idle timeout) and its stage (password right,
    # code awaited / new password awaited); the county's 试填报 (checked, kept, never counted); the life of a
    # submission after it was sent: withdrawn by the county, received, accepted or returned by the city with
    # the reasons and the 反馈意见函 (append-only: a submission's state is its latest row)
    """
    ALTER TABLE accounts ADD COLUMN must_change INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE accounts ADD COLUMN totp_secret TEXT;
    ALTER TABLE web_sessions ADD COLUMN last_seen TEXT;
    ALTER TABLE web_sessions ADD COLUMN stage TEXT;
    CREATE TABLE web_trials (
        id          INTEGER PRIMARY KEY,
        county      TEXT NOT NULL,
        at          TEXT NOT NULL,
        by          TEXT NOT NULL,
        file_name   TEXT NOT NULL,
        sha256      TEXT NOT NULL,
        kind        TEXT,
        period      TEXT,
        errors      INTEGER NOT NULL,
        warnings    INTEGER NOT NULL,
        findings    TEXT NOT NULL                 -- JSON list of the findings
    );
    CREATE TABLE web_reviews (
        id            INTEGER PRIMARY KEY,
        submission_id INTEGER NOT NULL REFERENCES submissions(id),
        action        TEXT NOT NULL CHECK (action IN ('withdrawn', 'received', 'accepted', 'returned')),
        at            TEXT NOT NULL,
        by            TEXT NOT NULL,
        reasons       TEXT,
        letter_name   TEXT,
        letter_sha256 TEXT REFERENCES blobs(sha256)
    );
    CREATE INDEX web_reviews_sub ON web_reviews(submission_id, id);
    CREATE TRIGGER web_trials_keep BEFORE UPDATE ON web_trials BEGIN SELECT RAISE(ABORT, 'never overwritten'); END;
    CREATE TRIGGER web_reviews_keep BEFORE UPDATE ON web_reviews BEGIN SELECT RAISE(ABORT, 'never overwritten'); END;
    CREATE TRIGGER web_reviews_stay BEFORE DELETE ON web_reviews BEGIN SELECT RAISE(ABORT, 'never deleted'); END;
    """,
    # (issue 20) each project's life (generator/life): events by 项目编号 (方案与征求意见, 开工认定 declared and
    # verified, inspections, hazards and 销号, completion, 竣工验收, 移交, 保修, complaints), each with its day, who
    # recorded it and its evidence files (bytes in blobs, by sha256). Append-only: a correction is a new event.
    """
    CREATE TABLE life_events (
        id          INTEGER PRIMARY KEY,
        project     TEXT,                          -- 项目编号; NULL for a county's event (an inspection)
        county      TEXT NOT NULL,
        stage       TEXT NOT NULL,                 -- life.model.STAGES
        kind        TEXT NOT NULL,                 -- life.model.KINDS
        day         TEXT NOT NULL,                 -- ISO date it happened (not when it was recorded)
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL,
        refers_to   INTEGER REFERENCES life_events(id),   -- a hazard's inspection, the hazard a 销号 closes ...
        body        TEXT NOT NULL                  -- JSON: the kind's fields
    );
    CREATE INDEX life_events_project ON life_events(project, day, id);
    CREATE INDEX life_events_county ON life_events(county, kind, day, id);
    CREATE TABLE life_evidence (
        event_id INTEGER NOT NULL REFERENCES life_events(id),
        seq      INTEGER NOT NULL,
        name     TEXT NOT NULL,                    -- the file's name, made safe (no folders, no ..)
        type     TEXT NOT NULL,                    -- jpeg | png | pdf | docx, as its content says
        sha256   TEXT NOT NULL REFERENCES blobs(sha256),
        size     INTEGER NOT NULL,
        PRIMARY KEY (event_id, seq)
    ) WITHOUT ROWID;
    CREATE TRIGGER life_events_keep BEFORE UPDATE ON life_events BEGIN SELECT RAISE(ABORT, 'never overwritten'); END;
    CREATE TRIGGER life_events_stay BEFORE DELETE ON life_events BEGIN SELECT RAISE(ABORT, 'never deleted'); END;
    CREATE TRIGGER life_evidence_keep BEFORE UPDATE ON life_evidence BEGIN SELECT RAISE(ABORT, 'never overwritten'); END;
    CREATE TRIGGER life_evidence_stay BEFORE DELETE ON life_evidence BEGIN SELECT RAISE(ABORT, 'never deleted'); END;
    """,
    # (issue 19.9) the 开工认定 decision of a row without an inspector's verdict as a small number beside the
    # row (1 recognised, 0 not, NULL: decide from the facts), the facts themselves in their own table: counting
    # a big register reads the small project rows, not every row's facts (recognition.py, series.Book)
    """
    ALTER TABLE projects ADD COLUMN start_ok INTEGER;
    CREATE TABLE project_checks (
        submission_id INTEGER NOT NULL REFERENCES submissions(id),
        row           INTEGER NOT NULL,
        facts         TEXT NOT NULL,               -- recognition.start_facts as JSON (with its decision)
        PRIMARY KEY (submission_id, row)
    ) WITHOUT ROWID;
    """,
    # (issue 23.6) 楼栋数 and 建筑面积 (in the policy's unit) of each project row, when the workbook has them, so
    # that changes between two submissions of a county name them (changes.py); rows recorded before read NULL
    """
    ALTER TABLE projects ADD COLUMN buildings INTEGER;
    ALTER TABLE projects ADD COLUMN area DOUBLE PRECISION;
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


_RESTORE = "请检查该文件；若已损坏，请用 gaizao register backup 生成的备份恢复（docs/register.md“备份与恢复”）"
_RESTORE_EN = "check the file; if it is damaged, restore it from a backup made with gaizao register backup"


def _db_error(exc: BaseException, p) -> "RegisterError":
    """A database failure as a located message that says what to do (exit 2), never a traceback."""
    if isinstance(p, pg.PgUrl):
        return RegisterError(*pg.error_words(exc), location=str(p))
    text = str(exc)
    if "full" in text:
        zh, en = "磁盘已满，本次写入未完成，登记库保持写入前的状态；请腾出空间后重试", "the disk is full: nothing was written; free space and retry"
    elif "locked" in text or "busy" in text:
        zh, en = "登记库正被其他程序占用，请稍后重试", "the register is busy (locked by another program): retry later"
    elif "readonly" in text or "read-only" in text:
        zh, en = "登记库为只读，无法写入（检查文件权限）", "the register is read-only: check the file's permissions"
    else:
        zh, en = f"登记库无法读取（{text}）。{_RESTORE}", f"the register cannot be read ({text}): {_RESTORE_EN}"
    return RegisterError(zh, en, location=str(p))


def _is_register(conn: sqlite3.Connection) -> bool:
    """A gaizao register has our schema version and our append-only tables (never touched otherwise)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    return (version == 0 and not tables) or (version >= 1 and {"blobs", "submissions", "findings"} <= tables)


def connect(path: str | os.PathLike | None = None, *, create: bool = True, readonly: bool = False) -> sqlite3.Connection:
    """Open (and create or migrate) the register at ``path``. One connection per caller; close it.

    ``readonly``: open with SQLite's read-only mode, never migrate or write; a file that is not a gaizao
    register is refused before anything is written to it (no WAL switch, no schema)."""
    p = target(path) if path is not None else default_path()
    if isinstance(p, pg.PgUrl):
        return _connect_pg(p, create=create, readonly=readonly)
    if not create and not p.exists():
        raise RegisterError("登记库不存在（先用 gaizao register add 登记报送）",
                            "the register does not exist (record a submission with gaizao register add first)",
                            location=str(p))
    if p.exists() and not p.is_file():
        raise RegisterError("不是文件", "not a file", location=str(p))
    if p.exists():
        _refuse_foreign(p)
    if readonly:
        return _connect_readonly(p)
    if create:
        p.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(p, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=True)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not _is_register(conn):
            conn.close()
            raise _foreign(p)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")     # WAL + NORMAL: durable across a killed process
        conn.execute("PRAGMA foreign_keys = ON")
        _migrate(conn)
    except sqlite3.DatabaseError as exc:
        raise _db_error(exc, p) from None
    return conn


def exists(path) -> bool:
    """Whether the register has been made: its file, or its schema on the server."""
    p = target(path)
    if isinstance(p, pg.PgUrl):
        try:
            return pg.exists(p)
        except ImportError:
            raise _missing_driver(p) from None
        except pg.errors() as exc:
            raise _db_error(exc, p) from None
    return p.is_file()


def _pg_schema() -> pg.Schema:
    return pg.Schema(tuple(tuple(_statements(m)) for m in MIGRATIONS), RegisterError)


def _missing_driver(p: pg.PgUrl) -> RegisterError:
    return RegisterError("使用 PostgreSQL 登记库须先安装 psycopg（pip install 'gaizao[postgres]'）",
                         "a PostgreSQL register needs psycopg: pip install 'gaizao[postgres]'", location=str(p))


def _connect_pg(p: pg.PgUrl, *, create: bool, readonly: bool):
    try:
        return pg.connect(p, _pg_schema(), create=create, readonly=readonly)
    except ImportError:
        raise _missing_driver(p) from None
    except pg.errors() as exc:
        raise _db_error(exc, p) from None


def _foreign(p: Path) -> RegisterError:
    return RegisterError("该文件不是 gaizao 登记库（可能是其他程序的数据库），未作任何改动；请用 --db 指定登记库",
                         "not a gaizao register (another program's database?): left untouched; give --db",
                         location=str(p))


def _refuse_foreign(p: Path) -> None:
    """Look at the file read-only first: another program's database (or any other file) is never written."""
    with open(p, "rb") as fh:
        head = fh.read(16)
    if head and head != b"SQLite format 3\x00":
        raise RegisterError(f"该文件不是 SQLite 数据库，未作任何改动。{_RESTORE}", "not an SQLite database: left untouched",
                            location=str(p))
    if not head:
        return
    try:
        conn = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise RegisterError(f"登记库的结构版本 {version} 比本程序（{SCHEMA_VERSION}）新，请升级 gaizao",
                                    f"the register's schema version {version} is newer than this program's "
                                    f"({SCHEMA_VERSION})", location=str(p))
            ok = _is_register(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise _db_error(exc, p) from None
    if not ok:
        raise _foreign(p)


def _connect_readonly(p: Path) -> sqlite3.Connection:
    try:
        probe = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        version = probe.execute("PRAGMA user_version").fetchone()[0]
        probe.close()
        if version < SCHEMA_VERSION:
            # an older register of ours: migrate once (a write), then read read-only
            connect(p, create=False).close()
        conn = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                               isolation_level=None, check_same_thread=True)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            conn.close()
            raise RegisterError(f"登记库的结构版本 {version} 比本程序（{SCHEMA_VERSION}）新，请升级 gaizao",
                                f"the register's schema version {version} is newer than this program's ({SCHEMA_VERSION})",
                                location=str(p))
        return conn
    except sqlite3.DatabaseError as exc:
        raise _db_error(exc, p) from None


def backup(path, dest) -> Path:
    """A consistent copy of the register at ``dest`` through SQLite's online backup (safe while others write;
    copying the file alone can miss what is still in the WAL). ``dest`` must not exist.
    A PostgreSQL register is dumped with ``pg_dump --format=custom`` (restore with ``pg_restore``)."""
    src_path = target(path)
    dest = Path(dest)
    if dest.exists():
        raise RegisterError("备份目标已存在，请换一个文件名（不覆盖已有文件）", "the backup file exists: give a new name",
                            location=str(dest))
    if isinstance(src_path, pg.PgUrl):
        try:
            return pg.backup(src_path, _pg_schema(), dest)
        except ImportError:
            raise _missing_driver(src_path) from None
        except pg.errors() as exc:
            raise _db_error(exc, src_path) from None
    src = connect(src_path, create=False, readonly=True)
    tmp = dest.with_name(f".{dest.name}.part")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        if tmp.exists():
            tmp.unlink()
        out = sqlite3.connect(tmp)
        try:
            src.backup(out)
        finally:
            out.close()
        os.replace(tmp, dest)
    except sqlite3.DatabaseError as exc:
        raise _db_error(exc, src_path) from None
    except OSError as exc:
        raise RegisterError(f"无法写出备份：{exc.strerror}", f"cannot write the backup: {exc.strerror}",
                            location=str(dest)) from None
    finally:
        src.close()
        if tmp.exists():
            tmp.unlink()
    return dest


def _migrate(conn: sqlite3.Connection) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise RegisterError(f"登记库的结构版本 {version} 比本程序（{SCHEMA_VERSION}）新，请升级 gaizao",
                            f"the register's schema version {version} is newer than this program's ({SCHEMA_VERSION})")
    if version == SCHEMA_VERSION:
        return
    with transaction(conn):
        # re-read inside the write lock: another process may have migrated meanwhile
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for i in range(version, SCHEMA_VERSION):
            for stmt in _statements(MIGRATIONS[i]):
                conn.execute(stmt)
            conn.execute(f"PRAGMA user_version = {i + 1}")


def _statements(script: str) -> list[str]:
    """Split a migration into statements (executescript would commit the open transaction)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    return [s for s in out if s.strip(" ;\n")]


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection):
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (ROLLBACK on any error): the write lock is taken at once, so two
    writers queue (busy_timeout) instead of failing half-way."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextlib.contextmanager
def opened(path=None, *, create: bool = True, readonly: bool = False):
    """A connection for one call; a database failure inside it becomes a RegisterError (exit 2)."""
    p = target(path) if path is not None else default_path()
    conn = connect(p, create=create, readonly=readonly)
    try:
        yield conn
    except _ERRORS + pg.errors() as exc:
        raise _db_error(exc, p) from None
    finally:
        conn.close()
