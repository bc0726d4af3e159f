"""`gaizao web create-admin / add-user / list` and `gaizao serve` from the command line."""
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from click.testing import CliRunner

from generator.cli import main
from web_helpers import ROOT


def test_create_admin_reads_the_password_twice_from_stdin(tmp_path):
    db = tmp_path / "r.db"
    r = CliRunner().invoke(main, ["web", "create-admin", "chief", "--db", str(db)],
                           input="Long-Pass#2023\nLong-Pass#2023\n")
    assert r.exit_code == 0 and "已创建管理员“chief”" in r.output
    assert "Long-Pass#2023" not in r.output                          # never echoed
    from generator.web.accounts import Accounts
    assert Accounts(db).authenticate("chief", "Long-Pass#2023").role == "admin"


def test_no_default_password_and_rules_enforced(tmp_path):
    db = tmp_path / "r.db"
    r = CliRunner().invoke(main, ["web", "create-admin", "chief", "--db", str(db)], input="short\nshort\n")
    assert r.exit_code == 2 and "密码至少 8 位" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(main, ["web", "create-admin", "chief", "--db", str(db)], input="")
    assert r.exit_code != 0
    r = CliRunner().invoke(main, ["web", "create-admin", "chief", "--db", str(db)],
                           input="Long-Pass#2023\nOther-Pass#2023\nLong-Pass#2023\nLong-Pass#2023\n")
    assert r.exit_code == 0                                          # a mismatch asks again


def test_add_user_binds_a_county_of_the_policy(tmp_path):
    db = tmp_path / "r.db"
    run = CliRunner().invoke
    assert run(main, ["web", "add-user", "yz", "--county", "禹州市", "--db", str(db)],
               input="yz-password-1\nyz-password-1\n").exit_code == 0
    r = run(main, ["web", "add-user", "zz", "--county", "郑州市", "--db", str(db)], input="zz-password-1\nzz-password-1\n")
    assert r.exit_code == 2 and "不是政策中的县" in r.output
    r = run(main, ["web", "add-user", "zz", "--db", str(db)], input="zz-password-1\nzz-password-1\n")
    assert r.exit_code == 2 and "--county" in r.output
    r = run(main, ["web", "list", "--db", str(db)])
    assert "yz\tcounty\t禹州市\tactive" in r.output


def test_serve_refuses_without_an_administrator(tmp_path):
    r = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "r.db")])
    assert r.exit_code == 2 and "gaizao web create-admin" in r.output


@pytest.mark.slow
@pytest.mark.sqlite_only("starts gaizao serve in a process of its own, outside the tests' switch (PostgreSQL under a server process: bench/bench_pg.py)")
def test_serve_answers_on_loopback(tmp_path):
    db = tmp_path / "r.db"
    CliRunner().invoke(main, ["web", "create-admin", "chief", "--db", str(db)], input="Long-Pass#2023\n" * 2)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--db", str(db), "--port", str(port)],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        body = None
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as r:
                    body = r.read().decode()
                    break
            except OSError:
                time.sleep(0.2)
        assert body is not None and "登录" in body
    finally:
        proc.terminate()
        proc.wait(10)
    assert "http://127.0.0.1:" in proc.stderr.read().decode()
