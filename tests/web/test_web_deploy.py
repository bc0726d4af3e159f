"""Issue 22.4: deployment as documented. The nginx configuration of docs/web.md, run by Debian's nginx on a
loopback port over HTTPS (a self-signed certificate made here) in front of the application on a real waitress
server, through login and upload; X-Forwarded-* honoured from the local proxy only; the register backed up
while the web writes to it, restored, and used."""
import hashlib
import http.client
import http.cookiejar
import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from web_helpers import DATA, PASSWORDS, ROOT, csrf_of, login, upload

NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/bin/nginx") if os.access(p, os.X_OK)),
                                      None)
DOCS = ROOT / "docs" / "web.md"
PLAN = DATA / "year-2023" / "2023-02-24-禹州市-方案.xlsx"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def documented_nginx() -> str:
    """The first server block of the first nginx block after the marker in docs/web.md."""
    text = DOCS.read_text(encoding="utf-8")
    after = text.split("<!-- nginx-config", 1)[1]
    block = re.search(r"```nginx\n(.*?)```", after, re.S).group(1)
    servers = re.split(r"(?m)^server \{", block)
    return "server {" + servers[1]


def _replace(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"docs/web.md's nginx block no longer has {old!r}: update this test with it"
    return text.replace(old, new)


@pytest.fixture
def proxied_app(tmp_path, policy2023, clock):
    from generator.web.accounts import Accounts
    from generator.web.app import create_app
    db = tmp_path / "proxied.db"
    acc = Accounts(db, [c.name for c in policy2023.policy.counties])
    acc.create("yuzhou", PASSWORDS["yuzhou"], role="county", county="禹州市")
    app = create_app(db, policy=policy2023, today=lambda: clock[0], behind_proxy=True)   # the default 16 MB
    return app


@pytest.fixture
def app_server(proxied_app):
    from generator.web.server import create_server
    srv = create_server(proxied_app, host="127.0.0.1", port=0, threads=4)
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    yield srv.effective_port
    srv.close()


@pytest.fixture
def nginx(tmp_path, app_server):
    if NGINX is None:
        pytest.skip("nginx is not installed (Debian: apt-get install nginx-light; scripts/setup.sh installs it)")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=localhost"], check=True, capture_output=True)
    port = _port()
    server = documented_nginx()
    server = _replace(server, "listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;")
    server = _replace(server, "server_name baosong.example.gov.cn;", "server_name localhost;")
    server = _replace(server, "/etc/ssl/gaizao/fullchain.pem", str(cert))
    server = _replace(server, "/etc/ssl/gaizao/privkey.pem", str(key))
    server = _replace(server, "proxy_pass http://127.0.0.1:8080;", f"proxy_pass http://127.0.0.1:{app_server};")
    tmp = tmp_path / "nginx"
    for d in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / d).mkdir(parents=True)
    os.chmod(tmp_path, 0o755)
    user = f"user {os.environ.get('USER', 'root')};" if os.geteuid() == 0 else ""
    conf = tmp / "nginx.conf"
    conf.write_text(f"""{user}
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    {server}
}}
""", encoding="utf-8")
    check = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(tmp)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(tmp)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if proc.poll() is not None:
                raise AssertionError("nginx stopped: " + proc.stderr.read().decode()) from None
            time.sleep(0.1)
    yield f"https://localhost:{port}"
    proc.terminate()
    proc.wait(10)


class Browser:
    """Cookies, no automatic redirects, the self-signed certificate accepted, Origin as a browser sends it."""

    def __init__(self, base):
        self.base = base
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *a, **kw):
                return None
        self.opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=ctx),
                                                  urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def go(self, path, data=None, headers=None):
        h = dict(headers or {})
        if data is not None:
            h.setdefault("Origin", self.base)
        req = urllib.request.Request(self.base + path, data=data, headers=h)
        try:
            with self.opener.open(req, timeout=60) as r:
                return r.status, r.headers, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read().decode("utf-8", "replace")

    def form(self, path, fields):
        from urllib.parse import urlencode
        return self.go(path, urlencode(fields).encode(), {"Content-Type": "application/x-www-form-urlencoded"})

    def upload(self, token, name, data, kind="年度实施方案"):
        b = uuid.uuid4().hex
        body = b"".join([
            f'--{b}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{token}\r\n'.encode(),
            f'--{b}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n{kind}\r\n'.encode(),
            f'--{b}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode("utf-8") + data + b"\r\n",
            f"--{b}--\r\n".encode()])
        return self.go("/county/upload", body, {"Content-Type": f"multipart/form-data; boundary={b}"})


@pytest.mark.slow
def test_through_the_documented_nginx_login_and_upload(nginx, proxied_app):
    b = Browser(nginx)
    status, _, page = b.go("/login")
    assert status == 200 and "登录" in page
    status, headers, _ = b.form("/login", {"csrf": csrf_of(page), "username": "yuzhou",
                                           "password": PASSWORDS["yuzhou"]})
    assert status == 303 and headers["Location"] == "/county"       # not 页面已过期: the browser's host is honoured
    cookie = next(c for c in b.jar if c.name == "gaizao_session")
    assert cookie.secure                                              # HTTPS as nginx says, cookie marked Secure
    status, headers, page = b.go("/county")
    assert status == 200 and "禹州市报送" in page and "max-age" in headers["Strict-Transport-Security"]
    status, headers, _ = b.upload(csrf_of(page), PLAN.name, PLAN.read_bytes())
    assert status == 303, _
    sid = int(headers["Location"].split("?")[0].rsplit("/", 1)[1])
    status, _, page = b.go(f"/submissions/{sid}")
    assert status == 200 and "禹州市第 1 版报送" in page
    sub = proxied_app.extensions["gaizao"]["register"].get(sid)
    assert sub.sha256 == hashlib.sha256(PLAN.read_bytes()).hexdigest()
    audit = proxied_app.extensions["gaizao"]["accounts"].audit_rows(5, action="upload")[0]
    assert audit["ip"] == "127.0.0.1"                  # the client's address as nginx passed it
    # a form from another site is still refused behind the proxy
    status, _, _ = b.go("/logout", f"csrf={csrf_of(page)}".encode(),
                        {"Origin": "https://evil.example", "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400


@pytest.mark.slow
@pytest.mark.sqlite_only("starts gaizao serve in a process of its own, outside the tests' switch (PostgreSQL under a server process: bench/bench_pg.py)")
def test_oversize_uploads_through_nginx_get_chinese_pages(nginx):
    b = Browser(nginx)
    status, _, page = b.go("/login")
    b.form("/login", {"csrf": csrf_of(page), "username": "yuzhou", "password": PASSWORDS["yuzhou"]})
    token = csrf_of(b.go("/county")[2])
    # over the application's 16 MB for workbooks, under nginx's 31 MB (evidence files take 30): the application's page
    for size in (16 * 2**20 + 100, 18 * 2**20):
        status, _, page = b.upload(token, "big.xlsx", b"PK\x03\x04" + b"0" * size)
        assert status == 413 and "文件太大" in page and "超过 16 MB" in page
    # over nginx's limit: nginx refuses, with the documented Chinese page
    status, _, page = b.upload(token, "huge.xlsx", b"PK\x03\x04" + b"0" * (32 * 2**20))
    assert status == 413 and "文件太大" in page and "Request Entity Too Large" not in page


def test_forwarded_headers_are_trusted_from_the_loopback_only(proxied_app, web):
    fwd = {"X-Forwarded-Host": "baosong.example.gov.cn", "X-Forwarded-Proto": "https", "X-Forwarded-For": "10.1.2.3"}
    c = proxied_app.test_client()
    page = c.get("/login", headers=fwd)
    r = c.post("/login", headers={**fwd, "Origin": "https://baosong.example.gov.cn"},
               data={"csrf": csrf_of(page.text), "username": "yuzhou", "password": PASSWORDS["yuzhou"]})
    assert r.status_code == 303 and "Secure" in r.headers["Set-Cookie"]
    row = proxied_app.extensions["gaizao"]["accounts"].audit_rows(1)[0]
    assert row["ip"] == "10.1.2.3"
    # the same headers from a machine that is not the local proxy are dropped
    far = {"REMOTE_ADDR": "10.9.9.9"}
    c = proxied_app.test_client()
    page = c.get("/login", headers=fwd, environ_base=far)
    r = c.post("/login", headers={**fwd, "Origin": "https://baosong.example.gov.cn"}, environ_base=far,
               data={"csrf": csrf_of(page.text), "username": "yuzhou", "password": PASSWORDS["yuzhou"]})
    assert r.status_code == 400                                      # its Origin is not the host it reached
    # and without --behind-proxy nobody's X-Forwarded-* counts
    c = web.test_client()
    page = c.get("/login", headers=fwd)
    r = c.post("/login", headers={**fwd, "Origin": "https://baosong.example.gov.cn"},
               data={"csrf": csrf_of(page.text), "username": "yuzhou", "password": PASSWORDS["yuzhou"]})
    assert r.status_code == 400


@pytest.mark.slow
@pytest.mark.sqlite_only("SQLite's online backup of the file (pg_dump: tests/register/test_register_pg.py)")
def test_the_register_backup_restores_the_web(web, tmp_path, policy2023):
    """`gaizao register backup` while the web has written (accounts, audit, a submission, a review); the
    restored copy serves: the account logs in, the submission and its audit rows are there."""
    from click.testing import CliRunner

    from generator.cli import main
    from generator.web.app import create_app
    yz = login(web, "yuzhou")
    r = upload(yz, PLAN)
    sid = int(r.headers["Location"].split("?")[0].rsplit("/", 1)[1])
    db = Path(web.extensions["gaizao"]["register"].path)
    backup = tmp_path / "backup" / "register.db"
    backup.parent.mkdir()
    out = CliRunner().invoke(main, ["register", "backup", str(backup), "--db", str(db)])
    assert out.exit_code == 0, out.output
    restored = tmp_path / "restored.db"
    shutil.copyfile(backup, restored)
    app = create_app(restored, policy=policy2023)
    c = login(app, "yuzhou")
    assert c.last.status_code == 303
    page = c.get(f"/submissions/{sid}")
    assert page.status_code == 200 and "禹州市第 1 版报送" in page.text
    actions = [x["action"] for x in app.extensions["gaizao"]["accounts"].audit_rows(50)]
    assert "upload" in actions and actions.count("login") >= 2


# -- Caddy: the documented block, run by Debian's caddy ------------------------------------------------------------
CADDY = shutil.which("caddy") or (("/usr/bin/caddy") if os.access("/usr/bin/caddy", os.X_OK) else None)


def documented_caddy() -> str:
    """The Caddyfile block after the marker in docs/web.md."""
    after = DOCS.read_text(encoding="utf-8").split("<!-- caddy-config", 1)[1]
    return re.search(r"```caddy\n(.*?)```", after, re.S).group(1)


@pytest.fixture
def caddy(tmp_path, app_server):
    if CADDY is None:
        pytest.skip("caddy is not installed (Debian: apt-get install caddy; scripts/setup.sh installs it)")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=localhost"], check=True, capture_output=True)
    port = _port()
    site = documented_caddy()
    site = _replace(site, "baosong.example.gov.cn {",
                    f"https://localhost:{port} {{\n    tls {cert} {key}")
    assert site.count("127.0.0.1:8080") == 1, "docs/web.md's Caddy block changed: update this test with it"
    site = site.replace("127.0.0.1:8080", f"127.0.0.1:{app_server}")
    home = tmp_path / "caddy"
    home.mkdir()
    conf = home / "Caddyfile"
    conf.write_text("{\n    admin off\n    auto_https disable_redirects\n    storage file_system " + str(home / "data")
                    + "\n}\n" + site, encoding="utf-8")
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home), "XDG_CONFIG_HOME": str(home)}
    check = subprocess.run([CADDY, "validate", "--config", str(conf), "--adapter", "caddyfile"], capture_output=True,
                           text=True, env=env)
    assert check.returncode == 0, check.stderr[-2000:]
    proc = subprocess.Popen([CADDY, "run", "--config", str(conf), "--adapter", "caddyfile"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if proc.poll() is not None:
                raise AssertionError("caddy stopped: " + proc.stderr.read().decode()[-2000:]) from None
            time.sleep(0.1)
    yield f"https://localhost:{port}"
    proc.terminate()
    proc.wait(10)


@pytest.mark.slow
def test_through_the_documented_caddy_login_and_upload(caddy, proxied_app):
    b = Browser(caddy)
    status, _, page = b.go("/login")
    assert status == 200 and "登录" in page
    status, headers, _ = b.form("/login", {"csrf": csrf_of(page), "username": "yuzhou",
                                           "password": PASSWORDS["yuzhou"]})
    assert status == 303 and headers["Location"] == "/county"
    assert next(c for c in b.jar if c.name == "gaizao_session").secure
    status, _, page = b.go("/county")
    assert status == 200 and "禹州市报送" in page
    status, headers, _ = b.upload(csrf_of(page), PLAN.name, PLAN.read_bytes())
    assert status == 303, _
    sid = int(headers["Location"].split("?")[0].rsplit("/", 1)[1])
    assert proxied_app.extensions["gaizao"]["register"].get(sid).sha256 == hashlib.sha256(PLAN.read_bytes()).hexdigest()
    assert proxied_app.extensions["gaizao"]["accounts"].audit_rows(5, action="upload")[0]["ip"] == "127.0.0.1"


@pytest.mark.slow
@pytest.mark.sqlite_only("starts gaizao serve in a process of its own, outside the tests' switch (PostgreSQL under a server process: bench/bench_pg.py)")
def test_oversize_uploads_through_caddy_get_chinese_pages(caddy):
    b = Browser(caddy)
    status, _, page = b.go("/login")
    b.form("/login", {"csrf": csrf_of(page), "username": "yuzhou", "password": PASSWORDS["yuzhou"]})
    token = csrf_of(b.go("/county")[2])
    for size in (16 * 2**20 + 100, 18 * 2**20):      # the application's page (workbooks: 16 MB; Caddy: 31 MB)
        status, _, page = b.upload(token, "big.xlsx", b"PK\x03\x04" + b"0" * size)
        assert status == 413 and "文件太大" in page and "超过 16 MB" in page
    # Over Caddy's max_size (31 MB) Caddy stops reading and answers. Caddy 2.6 has no lingering close (nginx has), so
    # a client still sending when Caddy closes may have the connection reset before it reads the page: a race of the
    # kernels, as a browser would meet it. The body is just over the limit so that little is left unsent, and a reset
    # is tried again (three tries at most); whatever page comes back must be the Chinese one.
    for attempt in range(3):
        try:
            status, _, page = b.upload(token, "huge.xlsx", b"PK\x03\x04" + b"0" * (31 * 2**20 + 2**18))
            break
        except (http.client.IncompleteRead, ConnectionError, urllib.error.URLError):
            if attempt == 2:
                raise
    assert status == 413 and "文件太大" in page and "Request Entity Too Large" not in page
    assert page.lstrip().lower().startswith("<!doctype html") and "{{" not in page   # the whole page, not a template
