"""150 counties uploading at once (issue 22.7): the web over SQLite and over PostgreSQL, whole operations.

    python bench/bench_pg.py [--uploads 150] [--threads 8] [--servers 1] [--stores sqlite,postgresql]

For each store, as users would:
1. a fresh register (a file; or a schema on a PostgreSQL server this script starts and removes, the tests'
   tests/support/pgserver.py: initdb in a temporary folder, Unix socket only) with one clerk account per upload,
   spread over the policy's counties (许昌 2023 has 5: 30 clerks each, so versions of one county are recorded
   by many clerks at the same moment);
2. ``gaizao serve --db …`` (waitress, --threads N; --servers K processes on K ports over the same register, as
   behind an nginx upstream), every clerk logged in beforehand;
3. all clerks released at once: each POSTs its county's sample workbook (data/year-2023, 示例数据; new bytes for
   each clerk, a zip comment) and follows the redirect to its findings page. Time from the start of the POST to
   the last byte of that page; median, p95, max, the wall time of all, and the load average (1 min) before and
   after;
4. the register afterwards: every upload recorded exactly once, under its county, with the sha256 the clerk sent,
   versions 1…n of each county each once (none lost, none doubled).

Numbers on a shared 2-core machine are noisy: the two stores run one after the other in one invocation; rerun on a
quiet machine before quoting them elsewhere.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
YEAR = ROOT / "data" / "year-2023"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

_spec = importlib.util.spec_from_file_location("bench_web", ROOT / "bench" / "bench_web.py")
bw = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bw)
bw.TIMEOUT = 900                     # 150 uploads queue for a few worker threads: a request may wait minutes


def _accounts(db, counties: list[str], n: int) -> list[tuple[str, str]]:
    from generator.web.accounts import Accounts
    acc = Accounts(db, counties)
    acc.create("admin", bw.PASSWORD, role="admin")
    out = []
    for i in range(n):
        county = counties[i % len(counties)]
        user = f"clerk{i + 1:03d}"
        acc.create(user, bw.PASSWORD, role="county", county=county)
        out.append((user, county))
    return out


def _said(page: bytes) -> str:
    """The page's own words of a refused upload (what the clerk reads), not its HTML."""
    import html
    import re
    text = page.decode("utf-8", "replace").split("<main", 1)[-1]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text))).strip()[:240]


def _remember(request):
    def wrapped(self, path, data=None, headers=None):
        self.last = request(self, path, data, headers)
        return self.last
    return wrapped


bw.Client.request = _remember(bw.Client.request)


def run(store: str, db, args, counties: list[str]) -> dict:
    from generator.register import Register
    clerks = _accounts(db, counties, args.uploads)
    ports = [bw._free_port() for _ in range(args.servers)]
    servers = [bw._start_server(db, port, args.threads) for port in ports]
    try:
        plans = {c: next(YEAR.glob(f"2023-02-24-{c}-方案.xlsx")) for c in counties}
        jobs = []
        for i, (user, county) in enumerate(clerks):
            data = bw._variant(plans[county].read_bytes(), i)
            client = bw.Client(f"http://127.0.0.1:{ports[i % len(ports)]}")
            client.login(user)
            jobs.append({"county": county, "name": plans[county].name, "data": data, "client": client})
        errors: list[str] = []
        start = threading.Barrier(len(jobs))

        def one(j):
            try:
                start.wait()
                j["t"], j["sid"], _ = j["client"].upload(j["name"], j["data"])
            except Exception as exc:            # counted: a lost upload fails the bench
                last = getattr(j["client"], "last", None)
                errors.append(f"{j['county']}: {_said(last[2]) if last and last[0] != 200 else str(exc)[:200]}")
        threads = [threading.Thread(target=one, args=(j,)) for j in jobs]
        load0 = os.getloadavg()[0]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        load1 = os.getloadavg()[0]
    finally:
        for s in servers:
            s.terminate()
            try:
                s.wait(10)
            except subprocess.TimeoutExpired:
                s.kill()
    subs = {s.id: s for s in Register(db).submissions()}
    mixed = [j["county"] for j in jobs if "sid" in j and (
        subs.get(j["sid"]) is None or subs[j["sid"]].county != j["county"]
        or subs[j["sid"]].sha256 != hashlib.sha256(j["data"]).hexdigest())]
    per_county = Counter(s.county for s in subs.values())
    versions_ok = all(sorted(s.version for s in subs.values() if s.county == c) == list(range(1, n + 1))
                      for c, n in per_county.items())
    times = [j["t"] for j in jobs if "t" in j]
    ok = not errors and not mixed and len(subs) == len(jobs) and versions_ok
    return {"store": store, "times": times, "wall": wall, "load": (load0, load1), "errors": errors, "mixed": mixed,
            "recorded": len(subs), "versions_ok": versions_ok, "ok": ok}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--uploads", type=int, default=150)
    ap.add_argument("--threads", type=int, default=8, help="waitress worker threads per server process")
    ap.add_argument("--servers", type=int, default=1, help="gaizao serve processes over the same register")
    ap.add_argument("--stores", default="sqlite,postgresql")
    args = ap.parse_args()
    from generator.policy import load_policy
    counties = [c.name for c in load_policy("xuchang/2023").policy.counties_with_target]
    results = []
    with tempfile.TemporaryDirectory(prefix="gaizao-bench-pg-") as tmp:
        for store in args.stores.split(","):
            if store == "sqlite":
                results.append(run(store, Path(tmp) / "bench.db", args, counties))
                continue
            from support.pgserver import Server, bin_dir
            found = bin_dir()
            if found is None:
                print("PostgreSQL is not installed (scripts/setup.sh installs Debian's postgresql): skipped")
                continue
            server = Server(found).start()
            try:
                # the server as the tests start it: fsync off (a throwaway cluster); a real one syncs to disk
                results.append(run(store, server.register_url("bench"), args, counties))
            finally:
                server.stop()
    print(f"{args.uploads} county clerks ({len(counties)} counties of 许昌 2023, sample workbooks 示例数据) upload at once; "
          f"gaizao serve x{args.servers} --threads {args.threads}; {os.cpu_count()} CPUs")
    for r in results:
        t = r["times"]
        print(f"  {r['store']:<10} upload -> findings page: median {statistics.median(t) if t else 0:.2f} s, "
              f"p95 {bw._pct(t, .95) if t else 0:.2f} s, max {max(t, default=0):.2f} s; all {r['wall']:.1f} s "
              f"({len(t) / r['wall'] if r['wall'] else 0:.1f}/s); load avg {r['load'][0]:.1f} -> {r['load'][1]:.1f}")
        print(f"  {'':<10} recorded {r['recorded']} of {args.uploads}; failed {len(r['errors'])}; mixed up "
              f"{len(r['mixed'])}; versions 1..n per county {'each once' if r['versions_ok'] else 'NOT each once'}"
              f" -> {'OK' if r['ok'] else 'NOT OK'}")
        for e in (r["errors"] + r["mixed"])[:5]:
            print("   ", e)
    return 0 if results and all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
