"""A throwaway PostgreSQL server the tests own (issue 22.7), and the switch that runs a test over it.

``Server.start()`` makes a cluster with Debian's binaries (``initdb`` in a temporary folder, as the ``postgres``
user when the tests run as root: the server refuses root), starts it on a Unix socket only (no TCP port is
opened), and ``stop()`` removes it. Each register a test names by a file becomes a fresh schema of one database
(``register_on``): the same test, unchanged, then runs against PostgreSQL.
"""
from __future__ import annotations

import glob
import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
import urllib.parse
from pathlib import Path

USER = "gaizao"
DATABASE = "gaizao_test"


def bin_dir() -> Path | None:
    """Debian keeps initdb/pg_ctl out of PATH (/usr/lib/postgresql/<major>/bin); the newest major wins."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]) if d.split("/")[-2].isdigit() else 0)
    for d in reversed(dirs):
        if (Path(d) / "initdb").exists() and (Path(d) / "pg_ctl").exists():
            return Path(d)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.base = Path(tempfile.mkdtemp(prefix="gaizao-pg-"))
        self.data = self.base / "data"
        self.sock = self.base / "sock"
        self.port = _free_port()
        self.as_user: list[str] = []
        self._schemas: set[str] = set()
        self._admin = None

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*self.as_user, *args], capture_output=True, text=True, timeout=120, check=True)

    def start(self) -> "Server":
        self.sock.mkdir()
        if os.geteuid() == 0:                         # the server will not run as root
            import pwd
            pw = pwd.getpwnam("postgres")
            for p in (self.base, self.sock):
                os.chown(p, pw.pw_uid, pw.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", USER, "--auth=trust", "--encoding=UTF8",
                  "--locale=C.UTF-8", "-N")
        opts = (f"-k {self.sock} -p {self.port} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                f"-c full_page_writes=off -c max_connections=300")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.base / "log"), "-w",
                  "-t", "60", "start")
        import psycopg
        with psycopg.connect(self.url("postgres"), autocommit=True) as c:
            c.execute(f"CREATE DATABASE {DATABASE}")
        return self

    def url(self, database: str = DATABASE, schema: str | None = None) -> str:
        q = {"host": str(self.sock), "port": str(self.port)}
        if schema:
            q["options"] = f"-csearch_path={schema}"
        return f"postgresql://{USER}@/{database}?{urllib.parse.urlencode(q)}"

    def schema_for(self, key: str) -> str:
        """A schema of its own for the register a test names ``key`` (created empty on first use)."""
        name = "r_" + hashlib.sha256(key.encode()).hexdigest()[:24]
        if name not in self._schemas:
            import psycopg
            if self._admin is None:
                self._admin = psycopg.connect(self.url(), autocommit=True)
            self._admin.execute(f"CREATE SCHEMA IF NOT EXISTS {name}")
            self._schemas.add(name)
        return name

    def register_url(self, key: str) -> str:
        return self.url(schema=self.schema_for(key))

    def fresh_database(self, name: str) -> str:
        import psycopg
        with psycopg.connect(self.url("postgres"), autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {name}")
            c.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        if self._admin is not None:
            self._admin.close()
        try:
            from generator.register import pg
            pg.close_pool()
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except (subprocess.SubprocessError, OSError):
            pass
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


def register_on(monkeypatch, server: Server) -> None:
    """From now on every register named by a file (``tmp_path / "x.db"``, ``--db x.db``, $GAIZAO_DB) is a schema of
    the test server, one per file name: the test runs unchanged against PostgreSQL."""
    from generator.register import db, pg
    original = db.target

    def on_server(path):
        t = original(path)
        if isinstance(t, pg.PgUrl):
            return t
        return pg.PgUrl(server.register_url(str(Path(os.path.abspath(t)))))
    monkeypatch.setattr(db, "target", on_server)


class Backend:
    """The register's store a test runs on: ``sqlite`` (files, as the tests name them) or ``postgresql``."""

    def __init__(self, name: str, server: Server | None = None):
        self.name = name
        self.server = server

    def __repr__(self) -> str:
        return self.name

    def register(self, path):
        """What to give Register/Accounts for ``path`` (a session fixture, outside the per-test switch)."""
        if self.server is None:
            return path
        return self.server.register_url(str(Path(os.path.abspath(path))))

    def apply(self, request, monkeypatch) -> None:
        if self.server is None:
            return
        marker = request.node.get_closest_marker("sqlite_only")
        if marker is not None:
            import pytest
            pytest.skip(f"SQLite only: {marker.args[0] if marker.args else 'the SQLite file itself'}")
        register_on(monkeypatch, self.server)


def start_or_skip():
    """The session's server; a skip naming what to install when Debian's postgresql (or psycopg) is absent."""
    import pytest
    found = bin_dir()
    if found is None:
        pytest.skip("PostgreSQL 未安装（找不到 initdb、pg_ctl）：scripts/setup.sh 安装 Debian 的 postgresql 软件包")
    import psycopg  # noqa: F401  (declared in the test extra: its absence is a broken install, never a skip)
    return Server(found).start()
