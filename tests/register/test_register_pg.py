"""The register on PostgreSQL (issue 22.7): what test_register_db.py asks of the SQLite file, asked of the server.

The rest of tests/register, life and web run on both stores (conftest: ``backend``); these are the store's own
guarantees: the schema and its version, migrations, append-only tables, writers that queue, a foreign or newer
schema refused untouched, backup with pg_dump restored with pg_restore, no password in any message.
"""
import datetime as dt
import hashlib
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.register import Register, db, pg

ROOT = Path(__file__).resolve().parents[2]
YEAR = ROOT / "data" / "year-2023"
PLAN = YEAR / "2023-02-24-禹州市-方案.xlsx"


@pytest.fixture
def server(backend):
    if backend.server is None:
        pytest.skip("the PostgreSQL store's own test: it runs in the postgresql pass")
    return backend.server


def fresh(server, name: str) -> str:
    return server.register_url(f"test_register_pg/{name}/{dt.datetime.now().isoformat()}")


def schema_of(url: str) -> str:
    return pg._schema_of(url)


def admin(server):
    import psycopg
    return psycopg.connect(server.url(), autocommit=True)


def test_schema_version_tables_and_append_only(server, policy2023):
    url = fresh(server, "schema")
    reg = Register(url)
    assert not reg.exists()
    reg.add(PLAN, received=dt.date(2023, 2, 24), by="张三", policy=policy2023)
    assert reg.exists()
    with admin(server) as c:
        s = schema_of(url)
        assert c.execute(f"SELECT version FROM {s}.gaizao_schema").fetchone()[0] == db.SCHEMA_VERSION
        tables = {r[0] for r in c.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                                          (s,))}
        assert {"blobs", "submissions", "findings", "projects", "accounts", "audit", "life_events",
                "project_checks", "web_reviews"} <= tables
    with db.opened(url) as conn:
        for sql in ("UPDATE submissions SET county = '建安区'", "DELETE FROM submissions", "TRUNCATE submissions CASCADE",
                    "UPDATE blobs SET data = '\\x00'", "DELETE FROM blobs", "TRUNCATE audit"):
            with pytest.raises(pg.errors(), match="never"):
                conn.execute(sql)
    assert [s.county for s in reg.submissions()] == ["禹州市"]


def test_an_older_schema_is_migrated_once_and_keeps_its_rows(server):
    url = fresh(server, "old")
    s = schema_of(url)
    with admin(server) as c:                       # a register as version 3 of the schema left it
        c.execute(f"SET search_path = {s}")
        for stmt in pg._PRELUDE:
            c.execute(stmt)
        for script in db.MIGRATIONS[:3]:
            for stmt in db._statements(script):
                for one in pg.ddl(stmt):
                    c.execute(one)
        c.execute("INSERT INTO gaizao_schema(version) VALUES (3)")
        c.execute("INSERT INTO blobs VALUES ('x', 1, '\\x00')")
        c.execute("INSERT INTO submissions(county, version, received, recorded_at, recorded_by, file_name, format, "
                  "sha256, policy_id, policy_version, policy_hash, errors, warnings) VALUES "
                  "('禹州市', 1, '2023-01-05', 'now', 'k', 'f.xlsx', 'xlsx', 'x', 'xuchang/2023', 'v', 'h', 0, 0)")
    reg = Register(url)
    assert [(x.county, x.received) for x in reg.submissions()] == [("禹州市", dt.date(2023, 1, 5))]
    with admin(server) as c:
        columns = {r[0] for r in c.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = %s "
                                           "AND table_name = 'submissions'", (s,))}
        assert {"period", "kind", "sheet_date", "forced"} <= columns          # versions 4 to 5 added them
        assert c.execute(f"SELECT version FROM {s}.gaizao_schema").fetchone()[0] == db.SCHEMA_VERSION
        assert c.execute(f"SELECT COUNT(*) FROM {s}.gaizao_schema").fetchone()[0] == 1


def test_a_newer_or_foreign_schema_is_refused_untouched(server, policy2023):
    newer, foreign = fresh(server, "newer"), fresh(server, "foreign")
    with admin(server) as c:
        c.execute(f"CREATE TABLE {schema_of(newer)}.gaizao_schema (version INTEGER NOT NULL)")
        c.execute(f"INSERT INTO {schema_of(newer)}.gaizao_schema VALUES ({db.SCHEMA_VERSION + 1})")
        c.execute(f"CREATE TABLE {schema_of(foreign)}.payroll (name TEXT)")
    with pytest.raises(db.RegisterError, match="比本程序"):
        Register(newer).submissions()
    with pytest.raises(db.RegisterError, match="不是 gaizao 登记库"):
        Register(foreign).add(PLAN, received=dt.date(2023, 2, 24), by="张三", policy=policy2023)
    with admin(server) as c:
        assert [r[0] for r in c.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                                        (schema_of(foreign),))] == ["payroll"]


WRITER = textwrap.dedent("""
    import datetime as dt, sys
    from generator.register import Register
    reg = Register(sys.argv[1])
    for day in range(int(sys.argv[2]), int(sys.argv[2]) + 3):
        reg.add(sys.argv[3], received=dt.date(2023, 2, day), by="p" + sys.argv[2], policy="xuchang/2023",
                kind="其他", force=True, today=dt.date(2023, 12, 31))
""")


def test_two_processes_writing_at_once_queue(server, policy2023):
    """Each process records three versions of 禹州市's plan at the same time: versions 1–6 each once, none lost
    (the register's lock on the server makes writers queue as SQLite's BEGIN IMMEDIATE does)."""
    url = fresh(server, "two")
    Register(url).add(PLAN, received=dt.date(2023, 2, 1), by="first", policy=policy2023, kind="其他")
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, url, str(start), str(PLAN)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for start in (2, 10)]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    subs = Register(url).submissions("禹州市")
    assert sorted(s.version for s in subs) == [1, 2, 3, 4, 5, 6, 7]
    assert len({s.received for s in subs}) == 7


def test_backup_with_pg_dump_restores_with_pg_restore(server, policy2023, tmp_path):
    url = fresh(server, "backup")
    reg = Register(url)
    reg.add(PLAN, received=dt.date(2023, 2, 24), by="张三", policy=policy2023)
    r = CliRunner().invoke(__import__("generator.cli", fromlist=["main"]).main,
                           ["register", "backup", str(tmp_path / "r.dump"), "--db", url])
    assert r.exit_code == 0, r.output
    dump = tmp_path / "r.dump"
    assert dump.read_bytes()[:5] == b"PGDMP"                      # pg_dump's custom format
    target = server.fresh_database("restored")
    pg_restore = shutil.which("pg_restore") or str(server.bindir / "pg_restore")
    done = subprocess.run([pg_restore, "--no-owner", "--dbname", target, str(dump)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    restored = Register(target.replace("?", f"?options=-csearch_path%3D{schema_of(url)}&", 1))
    a, b = reg.submissions(), restored.submissions()
    assert [(s.county, s.version, s.sha256) for s in a] == [(s.county, s.version, s.sha256) for s in b]
    assert restored.blob(b[0].id) == PLAN.read_bytes()
    assert hashlib.sha256(PLAN.read_bytes()).hexdigest() == b[0].sha256
    # the restored register takes new submissions (its identity columns continue)
    nxt = restored.add(YEAR / "2023-02-24-禹州市-方案.xlsx", received=dt.date(2023, 2, 25), by="张三", policy=policy2023,
                       kind="其他")
    assert not nxt.duplicate and nxt.submission.id == a[-1].id + 1


def test_no_password_in_messages_and_an_unreachable_server_is_exit_2(tmp_path):
    url = "postgresql://office:s3cret-pw@127.0.0.1:1/register"
    t = db.target(url)
    assert isinstance(t, pg.PgUrl) and "s3cret" not in str(t) and "s3cret" not in f"{t}" and "***" in str(t)
    from generator.cli import main
    r = CliRunner().invoke(main, ["register", "list", "--db", url])
    assert r.exit_code == 2 and "无法连接登记库服务器" in r.output and "s3cret" not in r.output
    assert "Traceback" not in r.output


def test_statements_are_translated_outside_quotes_only():
    ident = frozenset({"submissions"})
    sql, ret = pg.translate("SELECT '?', \"a?\", x FROM t WHERE a = ? AND b LIKE '50%' AND c = :day", ident)
    assert sql == "SELECT '?', \"a?\", x FROM t WHERE a = %s AND b LIKE '50%%' AND c = %(day)s" and ret is None
    sql, ret = pg.translate("INSERT INTO submissions(county) VALUES (?)", ident)
    assert sql.endswith("RETURNING id") and ret == "submissions"
    sql, _ = pg.translate("INSERT OR IGNORE INTO blobs(sha256) VALUES (?)", ident)
    assert sql == "INSERT INTO blobs(sha256) VALUES (%s) ON CONFLICT DO NOTHING"
    assert pg.ddl("CREATE TABLE a (\n id INTEGER PRIMARY KEY,\n name TEXT NOT NULL UNIQUE COLLATE NOCASE,\n d BLOB\n) "
                  "WITHOUT ROWID;") == ["CREATE TABLE a (\n id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n"
                                        " name TEXT NOT NULL UNIQUE COLLATE nocase,\n d BYTEA\n)"]


def test_user_names_are_case_insensitive_as_on_sqlite(server):
    from generator.errors import UsageError
    from generator.web.accounts import Accounts
    acc = Accounts(fresh(server, "nocase"))
    acc.create("Admin", "Zx9#kLmq2!Rt", role="admin")
    with pytest.raises(UsageError, match="已存在"):
        acc.create("admin", "Zx9#kLmq2!Rt", role="admin")
