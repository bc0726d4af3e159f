"""The database: versioned schema, append-only tables, WAL, a killed writer, two writers at once."""
import datetime as dt
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.register import db

# the SQLite file itself (WAL, user_version, a killed process, a foreign file); PostgreSQL's: test_register_pg.py
pytestmark = pytest.mark.sqlite_only("the SQLite file")

ROOT = Path(__file__).resolve().parents[2]
YEAR = ROOT / "data" / "year-2023"


def test_new_register_has_current_schema_and_wal(tmp_path):
    path = tmp_path / "r.db"
    with db.opened(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION == len(db.MIGRATIONS)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == db.BUSY_TIMEOUT_MS
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"blobs", "submissions", "findings", "projects"} <= tables
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"submissions_county_received", "submissions_received"} <= indexes


def test_migrations_run_once_from_an_older_version(tmp_path, monkeypatch):
    path = tmp_path / "r.db"
    with db.opened(path):
        pass
    # a later schema version: the next migration runs exactly once, on open, and records its version
    monkeypatch.setattr(db, "MIGRATIONS", [*db.MIGRATIONS, "CREATE TABLE extra (x INTEGER);"])
    monkeypatch.setattr(db, "SCHEMA_VERSION", len(db.MIGRATIONS))
    for _ in range(2):
        with db.opened(path) as conn:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
            assert conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'extra'").fetchone()[0] == 1


def test_a_version_1_register_is_migrated_and_keeps_its_rows(tmp_path, policy2023):
    from generator.register import Register
    path = tmp_path / "r.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for stmt in db._statements(db.MIGRATIONS[0]):
        conn.execute(stmt)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO blobs VALUES ('x', 1, x'00')")
    conn.execute("INSERT INTO submissions(county, version, received, recorded_at, recorded_by, file_name, format, "
                 "sha256, policy_id, policy_version, policy_hash, errors, warnings) "
                 "VALUES ('禹州市', 1, '2023-02-24', 'then', '张三', 'f.xlsx', 'xlsx', 'x', 'p', 'v', 'h', 0, 0)")
    conn.close()
    reg = Register(path)
    old = reg.get(1)
    assert (old.county, old.recorded_by, old.period) == ("禹州市", "张三", None)
    res = reg.add(YEAR / "2023-03-31-禹州市-月报.xlsx", received=dt.date(2023, 3, 31), by="李四", period="2023年3月",
                  policy=policy2023)
    assert res.submission.period == "2023-03" and res.submission.version == 2


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "r.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(db.RegisterError, match="新"):
        db.connect(path)


def test_not_a_database_is_a_register_error(tmp_path):
    path = tmp_path / "r.db"
    path.write_bytes(b"PK\x03\x04 this is a workbook, not a database" * 50)
    with pytest.raises(db.RegisterError) as exc:
        db.connect(path)
    assert exc.value.exit_code == 2 and str(path) in exc.value.render()


def test_recorded_rows_are_never_overwritten_or_deleted(tmp_path, policy2023):
    from generator.register import Register
    reg = Register(tmp_path / "r.db")
    reg.add(YEAR / "2023-02-24-禹州市-方案.xlsx", received=dt.date(2023, 2, 24), by="张三", policy=policy2023)
    with db.opened(reg.path) as conn:
        for sql in ("UPDATE submissions SET county = '建安区'", "DELETE FROM submissions",
                    "UPDATE blobs SET data = x'00'", "DELETE FROM blobs"):
            with pytest.raises(sqlite3.DatabaseError, match="never"):
                conn.execute(sql)
    assert reg.submissions()[0].county == "禹州市"


KILLED = textwrap.dedent("""
    import os, signal, sys
    from generator.register import db
    conn = db.connect(sys.argv[1])
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO blobs VALUES ('x', 1, x'00')")
    conn.execute("INSERT INTO submissions(county, version, received, recorded_at, recorded_by, file_name, format, "
                 "sha256, policy_id, policy_version, policy_hash, errors, warnings) "
                 "VALUES ('禹州市', 9, '2023-01-01', 'now', 'k', 'f', 'xlsx', 'x', 'p', 'v', 'h', 0, 0)")
    os.kill(os.getpid(), signal.SIGKILL)      # killed in the middle of the transaction
""")


def test_a_killed_writer_leaves_the_register_as_it_was(tmp_path, policy2023):
    from generator.register import Register
    reg = Register(tmp_path / "r.db")
    reg.add(YEAR / "2023-02-24-禹州市-方案.xlsx", received=dt.date(2023, 2, 24), by="张三", policy=policy2023)
    proc = subprocess.run([sys.executable, "-c", KILLED, str(reg.path)], cwd=ROOT, capture_output=True)
    assert proc.returncode == -9, proc.stderr.decode()
    with db.opened(reg.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 1
        assert conn.execute("SELECT COUNT(*) FROM blobs WHERE sha256 = 'x'").fetchone()[0] == 0
    # and it still takes new submissions
    reg.add(YEAR / "2023-03-31-禹州市-月报.xlsx", received=dt.date(2023, 3, 31), by="张三", policy=policy2023)
    assert [s.version for s in reg.history("禹州市")] == [1, 2]


WRITER = textwrap.dedent("""
    import datetime as dt, sys, time
    from pathlib import Path
    from generator.register import Register
    from generator.policy import load_policy
    lp = load_policy("xuchang/2023")
    reg = Register(sys.argv[1])
    go = Path(sys.argv[2])
    while not go.exists():            # both writers start together
        time.sleep(0.01)
    for f in sys.argv[3:]:
        reg.add(f, received=dt.date(2023, 3, 31), by=Path(f).stem, policy=lp)
""")


@pytest.mark.slow
def test_two_processes_writing_at_once(tmp_path):
    path = tmp_path / "r.db"
    go = tmp_path / "go"
    files = sorted(YEAR.glob("2023-0[3-9]-*-禹州市-月报.xlsx"))
    assert len(files) == 7
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(go), *part], cwd=ROOT,
                              stderr=subprocess.PIPE) for part in (files[0::2], files[1::2])]
    go.touch()
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    from generator.register import Register
    subs = Register(path).history("禹州市")
    assert sorted(s.version for s in subs) == list(range(1, 8))          # no version given twice, none lost
    assert sorted(s.recorded_by for s in subs) == sorted(f.stem for f in files)
    with db.opened(path) as conn:
        assert conn.execute("SELECT COUNT(DISTINCT submission_id) FROM projects").fetchone()[0] == 7
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
