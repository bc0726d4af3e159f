"""Load on `gaizao serve`: concurrent county uploads over loopback, and a 265-project workbook's time to findings.

    python bench/bench_web.py [--uploads 50] [--threads 4] [--repeat 5] [--port 0]

What it does, as users would:
1. makes a fresh register with one account per county, starts ``gaizao serve`` (waitress, --threads N) in a
   separate process on 127.0.0.1, and waits for it to answer;
2. logs in one client per upload (a clerk each), then releases all of them at once: each POSTs its county's
   workbook (the sample year data/year-2023/, 示例数据) and follows the redirect to its findings page. The time
   to findings is from the start of the POST to the last byte of that page; p50/p95 over the uploads;
3. checks the register afterwards: every upload recorded exactly once, under the uploading county, with the
   sha256 of the bytes that client sent, and the page each client got names the number of findings recorded
   for its own submission (none lost, none mixed up);
4. times a 265-project workbook (bench_validate.make_workbook, relabelled as one county) uploaded --repeat
   times against the baseline of the same check on the command line (``gaizao validate FILE``), paired in one
   run, medians. Goal: findings on the page in <= 2 s.
5. one clerk asks for --documents documents of that 265-project submission at once (its 开工项目认定汇总表 PDF
   as of as many different days, and its checklists as one merged PDF and a zip of PDFs), each followed
   through the "正在生成" page until it downloads, while another clerk logs in afresh and opens pages
   (own dashboard, the submission, the city page as the administrator) in a loop: time of each login and page
   view, p50/p95/max, and when each document arrived. Goal: login and pages < 1 s while the documents are made.

Bounded: at most uploads + 2 x repeat uploads, 60 s per request, the server is stopped at the end. Numbers on a
shared machine are noisy: rerun on a quiet one.
"""
from __future__ import annotations

import argparse
import hashlib
import http.cookiejar
import importlib.util
import io
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
YEAR = ROOT / "data" / "year-2023"
PASSWORD = "Bench-Pass#2023"       # meets the 等保 2.0 rules (generator/web/passwords.py)
TIMEOUT = 60


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **kw):
        return None


class Client:
    """One browser: its own cookies; redirects are followed by hand so each step is timed."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None):
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(req, timeout=TIMEOUT) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def csrf(self, path: str) -> str:
        status, _, body = self.request(path)
        m = re.search(rb'name="csrf" value="([^"]+)"', body)
        if not m:
            raise RuntimeError(f"no CSRF token on {path} ({status})")
        return m.group(1).decode()

    def login(self, user: str) -> None:
        token = self.csrf("/login")
        body = urllib.parse.urlencode({"csrf": token, "username": user, "password": PASSWORD}).encode()
        status, headers, _ = self.request("/login", body, {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 303:
            raise RuntimeError(f"login of {user} failed: {status}")

    def upload(self, name: str, data: bytes) -> tuple[float, int, bytes]:
        """(seconds to the findings page, submission id, the page)."""
        token = self.csrf("/county")
        boundary = uuid.uuid4().hex
        # the kind first, as the page asks: the sample year's 2023-06-30-禹州市-月报.xlsx is the June 信息月报
        kind = {"kind": "信息月报", "period": name[:7]} if "月报" in name else {"kind": "年度实施方案"}
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{token}\r\n'.encode(),
                 *(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                   for k, v in kind.items()),
                 f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="{name}"\r\n'
                 f'Content-Type: application/octet-stream\r\n\r\n'.encode() + data + b"\r\n",
                 f"--{boundary}--\r\n".encode()]
        t0 = time.perf_counter()
        status, headers, body = self.request("/county/upload", b"".join(parts),
                                             {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        if status != 303:
            raise RuntimeError(f"upload of {name} answered {status}: {body[:300]!r}")
        where = headers["Location"]
        status, _, page = self.request(where.split("?")[0])
        elapsed = time.perf_counter() - t0
        if status != 200:
            raise RuntimeError(f"findings page of {name} answered {status}")
        return elapsed, int(where.split("?")[0].rsplit("/", 1)[1]), page


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gaizao() -> list[str]:
    return [sys.executable, "-m", "generator"]


def _start_server(db: Path, port: int, threads: int) -> subprocess.Popen:
    # the sample year is 2023: the server takes a day of it as today (the register refuses a received date
    # outside the policy year ± 1)
    proc = subprocess.Popen([*_gaizao(), "serve", "--db", str(db), "--port", str(port), "--threads", str(threads),
                             "--today", "2023-07-05"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("gaizao serve stopped: " + proc.stderr.read().decode(errors="replace")) from None
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("gaizao serve did not answer within 60 s")


def _accounts(db: Path, counties: list[str]) -> dict[str, str]:
    sys.path.insert(0, str(ROOT))
    from generator.web.accounts import Accounts
    acc = Accounts(db, counties)
    acc.create("admin", PASSWORD, role="admin")
    users = {}
    for i, county in enumerate(counties):
        user = f"county{i + 1}"
        acc.create(user, PASSWORD, role="county", county=county)
        users[county] = user
    return users


def _big_workbook(folder: Path, county: str) -> Path:
    """bench_validate's 265-project city workbook, every county cell relabelled as ``county``."""
    from openpyxl import load_workbook
    spec = importlib.util.spec_from_file_location("bench_validate", ROOT / "bench" / "bench_validate.py")
    bv = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bv)
    path = folder / "265.xlsx"
    bv.make_workbook(path, 265)
    from generator.policy import load_policy
    p = load_policy("xuchang/2023").policy
    names = {c.name for c in p.counties} | {p.document.city.value}
    short = {n[:-1] for n in names} | {n[:-1] + "區" for n in names}
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and (c.value in names or c.value in short):
                    c.value = county
    wb.save(path)
    return path


def _variant(data: bytes, i: int) -> bytes:
    """The same workbook with a different zip comment: new bytes (not a same-day duplicate), same content."""
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a") as z:
        z.comment = f"bench {i}".encode()
    return buf.getvalue()


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--uploads", type=int, default=50)
    ap.add_argument("--threads", type=int, default=4, help="waitress worker threads")
    ap.add_argument("--repeat", type=int, default=5, help="uploads of the 265-project workbook (and CLI runs)")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--documents", type=int, default=20, help="documents one clerk asks for at once (step 5)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from generator.policy import load_policy
    from generator.register import Register
    counties = [c.name for c in load_policy("xuchang/2023").policy.counties_with_target]
    files = sorted(YEAR.glob("*.xlsx"))
    picks = [files[i % len(files)] for i in range(args.uploads)]
    with tempfile.TemporaryDirectory(prefix="gaizao-bench-web-") as tmp:
        tmp = Path(tmp)
        db = tmp / "bench.db"
        users = _accounts(db, counties)
        port = args.port or _free_port()
        server = _start_server(db, port, args.threads)
        base = f"http://127.0.0.1:{port}"
        try:
            # -- 1. concurrent county uploads --------------------------------------------------------------
            jobs = []
            for i, path in enumerate(picks):
                county = next(c for c in counties if c in path.name)
                data = path.read_bytes() if i < len(files) else _variant(path.read_bytes(), i)
                jobs.append({"county": county, "name": path.name, "data": data, "client": Client(base)})
            t0 = time.perf_counter()
            for j in jobs:
                j["client"].login(users[j["county"]])
            login_s = time.perf_counter() - t0
            start = threading.Barrier(len(jobs))
            errors = []

            def run(j):
                try:
                    start.wait()
                    j["t"], j["sid"], j["page"] = j["client"].upload(j["name"], j["data"])
                except Exception as exc:          # counted and reported: a lost upload fails the bench
                    errors.append(f"{j['name']}: {exc}")
            threads = [threading.Thread(target=run, args=(j,)) for j in jobs]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join(TIMEOUT * 3)
            wall = time.perf_counter() - t0

            # -- 2. the register afterwards: none lost, none mixed up --------------------------------------
            reg = Register(db)
            subs = {s.id: s for s in reg.submissions()}
            mixed = []
            for j in jobs:
                if "sid" not in j:
                    continue
                s = subs.get(j["sid"])
                shown = re.search(r"检查发现的问题（(\d+)）".encode(), j["page"])
                if (s is None or s.county != j["county"] or s.sha256 != hashlib.sha256(j["data"]).hexdigest()
                        or shown is None or int(shown.group(1)) != len(reg.findings(s.id))):
                    mixed.append(j["name"])
            times = [j["t"] for j in jobs if "t" in j]

            # -- 3. the 265-project workbook: the page against the command line ----------------------------
            big = _big_workbook(tmp, counties[0])
            big_bytes = big.read_bytes()
            clerk = Client(base)
            clerk.login(users[counties[0]])
            page_s, cli_s, n_findings = [], [], None
            for i in range(args.repeat):
                t, sid, page = clerk.upload("265.xlsx", _variant(big_bytes, 1000 + i))
                page_s.append(t)
                n_findings = len(reg.findings(sid))
                t0 = time.perf_counter()
                subprocess.run([*_gaizao(), "validate", str(big)], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
                cli_s.append(time.perf_counter() - t0)

            # -- 5. one clerk asks for many documents; others log in and look at pages meanwhile -----------
            docs = _documents(base, users[counties[0]], sid, args.documents)
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()

    # the same bytes of the same county on the same day are one submission (register.add): expected that many
    distinct = len({(j["county"], hashlib.sha256(j["data"]).hexdigest()) for j in jobs})
    ok = not errors and not mixed and len(subs) == distinct
    print(f"gaizao serve --threads {args.threads} on 127.0.0.1 (waitress), fresh register, sample workbooks (示例数据)")
    print(f"{len(jobs)} clients logged in (argon2 each) in {login_s:.1f} s, then uploaded at once")
    print(f"  wall {wall:.1f} s for all; time to findings page p50 {_pct(times, .5):.2f} s, "
          f"p95 {_pct(times, .95):.2f} s, max {max(times, default=0):.2f} s")
    print(f"  register: {len(subs)} submissions for {len(jobs)} uploads ({distinct} distinct files of their county); "
          f"failed {len(errors)}; mixed up {len(mixed)}"
          f" -> {'OK' if ok else 'NOT OK'}")
    for e in errors[:5] + mixed[:5]:
        print("   ", e)
    print(f"265-project workbook ({n_findings} findings), {args.repeat} paired runs, medians:")
    print(f"  upload -> findings page  {statistics.median(page_s):.2f} s (min {min(page_s):.2f}, max {max(page_s):.2f})"
          f"   goal <= 2 s: {'met' if statistics.median(page_s) <= 2 else 'NOT met'}")
    print(f"  gaizao validate FILE     {statistics.median(cli_s):.2f} s (fresh process, start-up included)")
    d = docs
    print(f"{d['asked']} documents asked for at once by one clerk (265 projects); made by the worker pool:")
    print(f"  all arrived in {d['wall']:.1f} s; first {min(d['arrived']):.1f} s, last {max(d['arrived']):.1f} s; "
          f"failed {len(d['failed'])}")
    for f in d["failed"][:5]:
        print("   ", f)
    for what, ts in (("before, login", d["login0"]), ("before, page view", d["pages0"])):
        print(f"  {what}: n={len(ts)} p50 {_pct(ts, .5):.2f} s, p95 {_pct(ts, .95):.2f} s, max {max(ts, default=0):.2f} s")
    for what, ts in (("login (fresh client, argon2)", d["login"]), ("page view", d["pages"])):
        print(f"  meanwhile {what}: n={len(ts)} p50 {_pct(ts, .5):.2f} s, p95 {_pct(ts, .95):.2f} s, "
              f"max {max(ts, default=0):.2f} s   goal < 1 s: {'met' if ts and max(ts) < 1 else 'NOT met'}")
    return 0 if ok and not d["failed"] else 1


def _look(base: str, user: str, sid: int, logins: list, pages: list) -> None:
    """One round of a second clerk: log in afresh, own dashboard, the submission; the administrator's city page."""
    c = Client(base)
    t1 = time.perf_counter()
    c.login(user)
    logins.append(time.perf_counter() - t1)
    for path in ("/county", f"/submissions/{sid}"):
        t1 = time.perf_counter()
        c.request(path)
        pages.append(time.perf_counter() - t1)
    a = Client(base)
    a.login("admin")
    t1 = time.perf_counter()
    a.request("/city")
    pages.append(time.perf_counter() - t1)


def _documents(base: str, user: str, sid: int, n: int) -> dict:
    """Step 5: ``n`` documents of submission ``sid`` asked for at once by ``user``, while a second clerk of the
    same county and the administrator log in and view pages until the last document arrived."""
    import datetime as dt
    urls = [f"/submissions/{sid}/checklists-merged", f"/submissions/{sid}/checklists-pdf"]
    day = dt.date(2023, 3, 1)
    while len(urls) < n:
        urls.append(f"/submissions/{sid}/kaigong.pdf?as_of={day.isoformat()}")
        day += dt.timedelta(days=9)
    urls = urls[:n]
    asker = Client(base)
    asker.login(user)
    arrived, failed = [], []
    logins0, pages0 = [], []             # the same rounds on the same (shared) machine before any document
    end = time.perf_counter() + 20
    while time.perf_counter() < end:
        _look(base, user, sid, logins0, pages0)
        time.sleep(0.2)
    t0 = time.perf_counter()

    def fetch(url):
        while True:
            status, headers, body = asker.request(url)
            if status in (202, 429):
                time.sleep(1)
                continue
            if status == 200 and body.startswith((b"%PDF-", b"PK\x03\x04")):
                arrived.append(time.perf_counter() - t0)
            else:
                title = re.search(rb"<h1[^>]*>(.*?)</h1>.*?<p>(.*?)</p>", body, re.S)
                failed.append(f"{url}: {status} " + (b" ".join(title.groups()).decode(errors="replace") if title else ""))
            return
    askers = [threading.Thread(target=fetch, args=(u,)) for u in urls]
    for t in askers:
        t.start()
    logins, pages = [], []
    while any(t.is_alive() for t in askers):
        _look(base, user, sid, logins, pages)
        time.sleep(0.2)
    for t in askers:
        t.join()
    return {"asked": n, "arrived": arrived or [0], "failed": failed, "wall": time.perf_counter() - t0,
            "login": logins, "pages": pages, "login0": logins0, "pages0": pages0}


if __name__ == "__main__":
    sys.exit(main())
