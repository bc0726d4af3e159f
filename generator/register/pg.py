"""The register on a PostgreSQL server (``--db postgresql://…`` or ``$GAIZAO_DB``): the one module that knows.

The register's code speaks one SQL, SQLite's, with ``?`` placeholders, and its schema is written once
(db.MIGRATIONS, handed over as a Schema: this module imports nothing of the register). This module is the
whole of the difference for PostgreSQL (psycopg 3):

- **Schema**: each migration statement is translated (``INTEGER PRIMARY KEY`` -> an identity column,
  ``INTEGER`` -> ``BIGINT`` (SQLite's 64 bits), ``BLOB`` -> ``BYTEA``, ``TEXT`` -> ``TEXT COLLATE "C"`` so that
  ISO dates and names compare and sort by code point as in SQLite, ``COLLATE NOCASE`` -> a case-insensitive
  ICU collation, ``WITHOUT ROWID`` dropped, the append-only triggers ``RAISE(ABORT, …)`` -> one trigger function
  that raises, plus a TRUNCATE guard). The schema version is the table ``gaizao_schema`` instead of
  ``PRAGMA user_version``; a migration runs in one transaction (PostgreSQL's DDL is transactional).
- **Statements**: ``?`` -> ``%s`` (outside quotes), ``INSERT OR IGNORE`` -> ``ON CONFLICT DO NOTHING``,
  ``sqlite_master`` and ``PRAGMA table_info`` -> information_schema, ``lastrowid`` -> ``RETURNING id``; dates
  and booleans passed as SQLite's adapters stored them (ISO text, 0/1); ``numeric`` results (``SUM``) read back
  as int (or float), as SQLite returns them.
- **Transactions**: ``BEGIN IMMEDIATE`` -> ``BEGIN`` + a transaction-scoped advisory lock on the register, so
  writers queue one after another exactly as they do on SQLite (a writer never sees a half-made version
  number of another); readers never wait.
- **Connections**: a small per-process pool (connecting costs a server process); a connection is reset
  (``ROLLBACK`` if needed) before it is reused, never shared between threads, dropped after a fork.
- **Backup**: ``pg_dump --format=custom`` (consistent snapshot while others write); restore with ``pg_restore``.

Rows read like ``sqlite3.Row`` (by index and by name, ``dict(row)``, unpacking).
"""
from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import os
import re
import shutil
import subprocess
import threading
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

SCHEMES = ("postgresql://", "postgres://")


@dataclass(frozen=True)
class Schema:
    """What the register's schema is, from db.py: each migration split into statements (SQLite's words), and
    the error a refusal raises (db.RegisterError)."""
    migrations: tuple[tuple[str, ...], ...]
    error: Callable[..., Exception]

    @property
    def version(self) -> int:
        return len(self.migrations)
POOL_IDLE = 16                      # idle connections kept per process (all URLs together)
VERSION_TABLE = "gaizao_schema"


def is_url(value: object) -> bool:
    return isinstance(value, (str, PgUrl)) and str.__str__(value if isinstance(value, str) else value.url).startswith(SCHEMES)


class PgUrl:
    """A register on a PostgreSQL server. ``str()`` hides the password (messages, logs, JSON); ``.url`` is
    the connection string. Picklable (document workers get it like a path)."""

    __slots__ = ("url",)

    def __init__(self, url: str):
        self.url = str(url)

    def __str__(self) -> str:
        return redact(self.url)

    __repr__ = __str__

    def __eq__(self, other) -> bool:
        return isinstance(other, PgUrl) and other.url == self.url

    def __hash__(self) -> int:
        return hash(self.url)

    def __getstate__(self):
        return self.url

    def __setstate__(self, state):
        self.url = state

    def recorded_policy(self) -> str | None:
        """The policy id of the latest submission (policy/resolve.py asks a register by file or by this); None
        when the server cannot be reached or holds no register (the command reports that itself)."""
        try:
            raw = _open_raw(self, True)
        except Exception:
            return None
        try:
            row = raw.execute("SELECT policy_id FROM submissions ORDER BY received DESC, id DESC LIMIT 1").fetchone()
        except Exception:
            return None
        finally:
            _close_quietly(raw)
        return row[0] if row and isinstance(row[0], str) else None


def redact(url: str) -> str:
    """The URL without its password (``postgresql://user:***@host/db``)."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "postgresql://…"
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[1]}"))


# -- rows ------------------------------------------------------------------------------------------
class Row:
    """What sqlite3.Row offers: row[0], row["name"], dict(row), keys(), unpacking, len, equality."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: tuple[str, ...], values: tuple):
        self._names = names
        self._values = values

    def __getitem__(self, key):
        if isinstance(key, str):
            try:
                return self._values[self._names.index(key)]
            except ValueError:
                lower = key.lower()
                for i, n in enumerate(self._names):
                    if n.lower() == lower:
                        return self._values[i]
                raise IndexError("No item with that key") from None
        return self._values[key]

    def keys(self) -> list[str]:
        return list(self._names)

    def __iter__(self) -> Iterator:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other) -> bool:
        if isinstance(other, Row):
            return self._names == other._names and self._values == other._values
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values)

    def __repr__(self) -> str:
        return f"Row{self._values!r}"


def _row_factory(cursor):
    names = tuple(c.name for c in cursor.description or ())

    def make(values):
        return Row(names, tuple(values))
    return make


# -- translation -----------------------------------------------------------------------------------
_TRIGGER = re.compile(r"CREATE TRIGGER (\w+) BEFORE (UPDATE|DELETE) ON (\w+) BEGIN SELECT RAISE\(ABORT, '([^']*)'\); END",
                      re.S)
_IDENTITY_TABLE = re.compile(r"CREATE TABLE (\w+) \(\s*id\s+INTEGER PRIMARY KEY\b", re.S)
_PRELUDE = [
    # the one trigger function of the append-only tables; a collation that compares as SQLite's NOCASE
    "CREATE OR REPLACE FUNCTION gaizao_refuse() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'raise_exception'; END $$",
    "CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false)",
    f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (version INTEGER NOT NULL)",
    # SUM over a comparison counts the rows where it holds (SQLite's comparisons are 0/1); NULLs are left out
    "CREATE OR REPLACE FUNCTION gaizao_count_true(bigint, boolean) RETURNS bigint LANGUAGE sql IMMUTABLE AS "
    "'SELECT CASE WHEN $2 IS NULL THEN $1 ELSE COALESCE($1, 0) + $2::int END'",
    "CREATE OR REPLACE AGGREGATE sum(boolean) (SFUNC = gaizao_count_true, STYPE = bigint)",
]


def identity_tables(migrations: Iterable[str]) -> frozenset[str]:
    """The tables whose ``id INTEGER PRIMARY KEY`` is their row id (an INSERT returns it)."""
    return frozenset(m.group(1) for script in migrations for m in _IDENTITY_TABLE.finditer(script))


def ddl(stmt: str) -> list[str]:
    """One statement of db.MIGRATIONS in PostgreSQL's words (a trigger becomes two statements with TRUNCATE)."""
    s = _strip_comments(stmt).strip().rstrip(";").strip()
    m = _TRIGGER.fullmatch(s)
    if m:
        name, event, table, message = m.groups()
        out = [f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW EXECUTE FUNCTION gaizao_refuse('{message}')"]
        if event == "DELETE":
            out.append(f"CREATE TRIGGER {name}_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT "
                       f"EXECUTE FUNCTION gaizao_refuse('{message}')")
        return out
    s = re.sub(r"\)\s*WITHOUT ROWID$", ")", s)
    s = re.sub(r"\bid\s+INTEGER PRIMARY KEY\b", "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", s)
    s = re.sub(r"\bINTEGER\b", "BIGINT", s)
    s = re.sub(r"\bBLOB\b", "BYTEA", s)
    # a column per line: NOCASE where the schema says so, else code-point order as SQLite's BINARY
    s = "\n".join(line.replace("COLLATE NOCASE", "COLLATE nocase") if "COLLATE NOCASE" in line
                  else re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', line) for line in s.splitlines())
    return [s]


def _strip_comments(sql: str) -> str:
    out, quote = [], False
    for line in sql.splitlines():
        buf = ""
        i = 0
        while i < len(line):
            ch = line[i]
            if ch == "'":
                quote = not quote
            if not quote and line.startswith("--", i):
                break
            buf += ch
            i += 1
        out.append(buf)
    return "\n".join(out)


_MASTER = ("(SELECT 'table' AS type, table_name AS name, table_name AS tbl_name FROM information_schema.tables "
           "WHERE table_schema = current_schema()) AS sqlite_master")
_TABLE_INFO = re.compile(r"^\s*PRAGMA table_info\((\w+)\)\s*$", re.I)
_INSERT = re.compile(r"^\s*INSERT\s+(OR\s+IGNORE\s+)?INTO\s+(\w+)", re.I)
_CACHE: dict[str, tuple[str, str | None]] = {}
_NAMED = re.compile(r"(^|[^:\w]):([A-Za-z_]\w*)")


def translate(sql: str, identity: frozenset[str]) -> tuple[str, str | None]:
    """(PostgreSQL statement, the table whose new id it returns or None)."""
    hit = _CACHE.get(sql)
    if hit is not None:
        return hit
    m = _TABLE_INFO.match(sql)
    if m:
        out: tuple[str, str | None] = ("SELECT ordinal_position - 1 AS cid, column_name AS name, data_type AS type FROM information_schema.columns "
               f"WHERE table_schema = current_schema() AND table_name = '{m.group(1).lower()}' ORDER BY ordinal_position", None)
        _CACHE[sql] = out
        return out
    text, returning = _placeholders(sql), None
    text = re.sub(r"\bsqlite_master\b", _MASTER, text)
    m = _INSERT.match(text)
    if m:
        if m.group(1):
            text = _INSERT.sub(lambda x: f"INSERT INTO {x.group(2)}", text, count=1).rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
        elif m.group(2) in identity:
            text = text.rstrip().rstrip(";") + " RETURNING id"
            returning = m.group(2)
    out = (text, returning)
    if len(_CACHE) < 4096:
        _CACHE[sql] = out
    return out


def _placeholders(sql: str) -> str:
    """``?`` -> ``%s``, ``:name`` -> ``%(name)s`` and ``%`` -> ``%%`` outside string literals and quoted names."""
    out, quote = [], None
    sql = _NAMED.sub(lambda m: m.group(1) + "\0" + m.group(2) + "\1", sql) if ":" in sql else sql
    for ch in sql:
        if ch == "\0" and not quote:
            out.append("%(")
        elif ch == "\1" and not quote:
            out.append(")s")
        elif quote:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return "".join(out)


def _param(v):
    # as sqlite3's default adapters stored them: ISO text for dates, 0/1 for booleans
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, dt.datetime):
        return v.isoformat(" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (bytearray, memoryview)):
        return bytes(v)
    return v


def _params(params) -> tuple | dict:
    if params is None:
        return ()
    if isinstance(params, dict):
        return {k: _param(v) for k, v in params.items()}
    return tuple(_param(v) for v in params)


# -- connections -----------------------------------------------------------------------------------
class Cursor:
    """The few things the register reads from a cursor: fetchone, fetchall, iteration, lastrowid, rowcount."""

    def __init__(self, cur, lastrowid: int | None = None):
        self._cur = cur
        self.lastrowid = lastrowid

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount

    def fetchone(self):
        return self._cur.fetchone() if self._cur.description else None

    def fetchall(self) -> list:
        return self._cur.fetchall() if self._cur.description else []

    def __iter__(self):
        return iter(self.fetchall())


class Connection:
    """A psycopg connection that takes the register's SQLite-worded statements (see the module docstring)."""

    def __init__(self, raw, target: PgUrl, identity: frozenset[str], readonly: bool, lock_key: int):
        self._raw = raw
        self._target = target
        self._identity = identity
        self._readonly = readonly
        self._lock_key = lock_key
        self._pid = os.getpid()
        self.closed = False

    @property
    def raw(self):
        return self._raw

    def execute(self, sql: str, params=None) -> Cursor:
        word = sql.strip().upper()
        if word.startswith("BEGIN"):
            self._raw.execute("BEGIN")
            if not self._readonly:
                # writers queue as on SQLite (BEGIN IMMEDIATE): one transaction-scoped lock per register
                self._raw.execute("SELECT pg_advisory_xact_lock(%s)", (self._lock_key,))
            return Cursor(self._raw.cursor())
        if word.startswith("PRAGMA") and not _TABLE_INFO.match(sql):
            return Cursor(self._raw.cursor())          # SQLite's tuning knobs mean nothing here
        text, returning = translate(sql, self._identity)
        cur = self._raw.execute(text, _params(params))
        lastrowid = None
        if returning is not None:
            row = cur.fetchone()
            lastrowid = None if row is None else row[0]
        return Cursor(cur, lastrowid)

    def executemany(self, sql: str, seq) -> Cursor:
        text, _ = translate(sql, self._identity)
        cur = self._raw.cursor()
        rows = [_params(p) for p in seq]
        if rows:
            cur.executemany(text.removesuffix(" RETURNING id"), rows)
        return Cursor(cur)

    def commit(self) -> None:
        if self._raw.info.transaction_status != _idle():
            self._raw.execute("COMMIT")

    def rollback(self) -> None:
        if self._raw.info.transaction_status != _idle():
            self._raw.execute("ROLLBACK")

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        _release(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _idle():
    from psycopg.pq import TransactionStatus
    return TransactionStatus.IDLE


_lock = threading.Lock()
_pool: list[tuple[tuple[str, bool], Any]] = []          # (key, raw psycopg connection), oldest first
_pool_pid = os.getpid()
_ready: set[str] = set()                                 # URLs checked (and migrated) by this process


def _release(conn: Connection) -> None:
    raw = conn._raw
    global _pool_pid
    try:
        if raw.closed or conn._pid != os.getpid():
            return
        if raw.info.transaction_status != _idle():
            raw.execute("ROLLBACK")
    except Exception:
        _close_quietly(raw)
        return
    evict = None
    with _lock:
        if _pool_pid != os.getpid():
            _pool.clear()
            _pool_pid = os.getpid()
        _pool.append(((conn._target.url, conn._readonly), raw))
        if len(_pool) > POOL_IDLE:
            evict = _pool.pop(0)[1]
    if evict is not None:
        _close_quietly(evict)


def _close_quietly(raw) -> None:
    try:
        raw.close()
    except Exception:
        pass


def _take(key: tuple[str, bool]):
    global _pool_pid
    with _lock:
        if _pool_pid != os.getpid():
            _pool.clear()                # a forked child never uses its parent's sockets
            _pool_pid = os.getpid()
        for i in range(len(_pool) - 1, -1, -1):
            if _pool[i][0] == key:
                return _pool.pop(i)[1]
    return None


def close_pool() -> None:
    """Close the idle connections of this process (tests dropping their server; a clean shutdown)."""
    with _lock:
        conns = [c for _, c in _pool]
        _pool.clear()
        _ready.clear()
    for c in conns:
        _close_quietly(c)


def _numeric_loader():
    from psycopg.adapt import Loader

    class IntegralNumeric(Loader):
        # SUM() of integers is numeric in PostgreSQL; SQLite returns an int (a float when there is a fraction)
        def load(self, data):
            d = decimal.Decimal(bytes(data).decode())
            return int(d) if d == d.to_integral_value() else float(d)
    return IntegralNumeric


def _open_raw(target: PgUrl, readonly: bool):
    import psycopg
    raw = psycopg.connect(target.url, autocommit=True, row_factory=_row_factory, connect_timeout=10,
                          application_name="gaizao")
    raw.adapters.register_loader("numeric", _numeric_loader())
    if readonly:
        raw.execute("SET default_transaction_read_only = on")
    return raw


def lock_key(target: PgUrl) -> int:
    """The advisory lock of a register: one per database and schema (signed 64 bits)."""
    return int.from_bytes(hashlib.sha256(target.url.encode()).digest()[:8], "big", signed=True)


def connect(target: PgUrl, schema: Schema, *, create: bool = True, readonly: bool = False) -> Connection:
    """A connection to the register at ``target``; the first in a process checks the schema and migrates it."""
    identity = identity_tables(s for m in schema.migrations for s in m)
    if target.url not in _ready:
        _prepare(target, schema, create=create, identity=identity)
    key = (target.url, readonly)
    raw = _take(key)
    if raw is not None:
        try:
            raw.execute("SELECT 1")           # the server may have closed it (restart, idle timeout)
        except Exception:
            _close_quietly(raw)
            raw = None
    if raw is None:
        raw = _open_raw(target, readonly)
    return Connection(raw, target, identity, readonly, lock_key(target))


def _prepare(target: PgUrl, schema: Schema, *, create: bool, identity: frozenset[str]) -> None:
    raw = _open_raw(target, False)
    conn = Connection(raw, target, identity, False, lock_key(target))
    try:
        version, tables = _version(conn)
        if version > schema.version:
            raise schema.error(f"登记库的结构版本 {version} 比本程序（{schema.version}）新，请升级 gaizao",
                               f"the register's schema version {version} is newer than this program's "
                               f"({schema.version})", location=str(target))
        if version == 0 and tables - {VERSION_TABLE}:
            raise schema.error("该数据库（模式）中已有其他程序的表，不是 gaizao 登记库，未作任何改动；请为登记库建一个空库或模式",
                               "the database (schema) holds another program's tables: left untouched; give an "
                               "empty database or schema", location=str(target))
        if version == 0 and not create:
            raise schema.error("登记库不存在（先用 gaizao register add 登记报送）",
                               "the register does not exist (record a submission with gaizao register add first)",
                               location=str(target))
        if version < schema.version:
            _migrate(conn, schema)
        _ready.add(target.url)
    finally:
        conn.close()


def exists(target: PgUrl) -> bool:
    if target.url in _ready:
        return True
    conn = Connection(_open_raw(target, True), target, frozenset(), True, 0)
    try:
        return _version(conn)[0] > 0
    finally:
        conn._raw.close()
        conn.closed = True


def _version(conn: Connection) -> tuple[int, set[str]]:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    if VERSION_TABLE not in tables:
        return 0, tables
    row = conn.execute(f"SELECT version FROM {VERSION_TABLE}").fetchone()
    return (0 if row is None else int(row[0])), tables


def _migrate(conn: Connection, schema: Schema) -> None:
    """Every missing version in one transaction, inside the register's lock (another process may have migrated
    meanwhile: the version is read again there)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        raw = conn.raw
        for stmt in _PRELUDE:
            raw.execute(stmt)
        version, _ = _version(conn)
        for i in range(version, schema.version):
            for stmt in schema.migrations[i]:
                for one in ddl(stmt):
                    raw.execute(one)
        raw.execute(f"DELETE FROM {VERSION_TABLE}")
        raw.execute(f"INSERT INTO {VERSION_TABLE}(version) VALUES (%s)", (schema.version,))
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def errors() -> tuple[type[BaseException], ...]:
    try:
        import psycopg
    except ImportError:
        return ()
    return (psycopg.Error,)


def error_words(exc: BaseException) -> tuple[str, str]:
    """What a PostgreSQL failure means to the office, in Chinese and English."""
    import psycopg
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, psycopg.OperationalError):
        return (f"无法连接登记库服务器（{text}）：请检查 PostgreSQL 是否运行、地址与口令（docs/web.md“省级部署”）",
                f"cannot reach the register's PostgreSQL server ({text})")
    if isinstance(exc, psycopg.errors.ReadOnlySqlTransaction):
        return "登记库为只读，无法写入", "the register is read-only"
    if isinstance(exc, psycopg.errors.DiskFull):
        return ("数据库服务器磁盘已满，本次写入未完成，登记库保持写入前的状态；请腾出空间后重试",
                "the server's disk is full: nothing was written; free space and retry")
    return f"登记库操作失败（{text}）", f"the register failed ({text})"


# -- backup ----------------------------------------------------------------------------------------
def backup(target: PgUrl, schema: Schema, dest: Path) -> Path:
    """``pg_dump --format=custom`` of the register's database into ``dest`` (written aside, then renamed)."""
    exe = shutil.which("pg_dump")
    if exe is None:
        raise schema.error("找不到 pg_dump（PostgreSQL 客户端程序），无法备份；请安装 postgresql-client",
                           "pg_dump (PostgreSQL client) not found: install postgresql-client", location=str(target))
    connect(target, schema, create=False, readonly=True).close()        # a register of ours, reachable
    tmp = dest.with_name(f".{dest.name}.part")
    dest.parent.mkdir(parents=True, exist_ok=True)
    cmd = [exe, "--format=custom", "--no-owner", "--file", str(tmp)]
    namespace = _schema_of(target.url)          # a register in a schema of its own (options=-csearch_path=…)
    if namespace:
        cmd += ["--schema", namespace]
    try:
        res = subprocess.run(cmd + ["--dbname", target.url], capture_output=True, text=True, timeout=3600)
        if res.returncode != 0:
            raise schema.error(f"pg_dump 失败：{res.stderr.strip()[:300]}", f"pg_dump failed: {res.stderr.strip()[:300]}",
                               location=str(target))
        os.replace(tmp, dest)
    finally:
        if tmp.exists():
            tmp.unlink()
    return dest


def _schema_of(url: str) -> str | None:
    m = re.search(r"search_path(?:%3D|=)([A-Za-z_][A-Za-z0-9_]*)", urllib.parse.unquote(url))
    return m.group(1) if m else None

