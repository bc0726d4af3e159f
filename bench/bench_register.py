"""Benchmark: the register is not the bottleneck (issue 10, item 8). Whole commands as a user runs them.

    python bench/bench_register.py [--repeat 5] [--projects 53000] [--months 12]

1. Recording the five sample county workbooks (``gaizao register add data/sample-*.xlsx``) into a fresh
   register and producing the twelve-month series (``gaizao register series --year 2023``), paired in
   the same run with validating the same five workbooks (``gaizao validate``) as the baseline: goal
   ≤ 5 s for add + series.
2. A register holding ``--projects`` projects × ``--months`` monthly snapshots (rows written straight
   into the register's tables, spread over the policy's counties; the snapshots are synthetic), and the
   city-wide as-of query ``gaizao register status --as-of <date> --format json``, paired with
   ``gaizao --version`` (process start): goal ≤ 1 s.

Each command runs ``--repeat`` times in a fresh process; medians of wall time are printed with the CPU time
(user + sys) of the same runs, which a machine shared with other work inflates far less than wall time. Not a test: numbers go in
notes and the README, never in assertions.
"""
from __future__ import annotations

import argparse
import calendar
import datetime as dt
import hashlib
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GAIZAO = [sys.executable, "-m", "generator"]


CPU: dict[int, float] = {}          # id(wall list) -> CPU seconds of the same runs (load-independent proxy)


def timed(args: list[str], ok=(0, 1)) -> float:
    """Wall time of one whole command; its CPU time (user + sys of the child) goes to ``LAST_CPU``."""
    global LAST_CPU
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(GAIZAO + args, cwd=ROOT, capture_output=True, text=True)
    took = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in ok:
        raise SystemExit(f"failed ({proc.returncode}): gaizao {' '.join(args)}\n{proc.stderr[-2000:]}")
    return took


LAST_CPU = 0.0


class Runs(list):
    """Wall times, with the CPU times of the same runs beside them."""

    def __init__(self):
        super().__init__()
        self.cpu: list[float] = []

    def run(self, args, ok=(0, 1)) -> float:
        took = timed(args, ok)
        self.append(took)
        self.cpu.append(LAST_CPU)
        return took


def median(xs) -> str:
    s = f"{statistics.median(xs):.2f} s (min {min(xs):.2f}, max {max(xs):.2f}, n={len(xs)})"
    cpu = getattr(xs, "cpu", None)
    return s + (f", CPU {statistics.median(cpu):.2f} s" if cpu else "")


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


CHECK = ('{"criteria": [' + ", ".join('{"date": null, "id": %d, "met": true, "state": "met", "why": ""}' % i
                                     for i in range(1, 6)) + '], "ok": true, "why": ""}')


def big_register(path: Path, projects: int, months: int) -> None:
    """``projects`` projects spread over the counties, one snapshot per month end (cumulative progress)."""
    from generator.policy import load_policy
    from generator.register import db, store
    lp = load_policy("xuchang/2023")
    p = lp.policy
    m = lp.manifest()
    counties = [c.name for c in p.counties_with_target]
    rng = random.Random(10)
    year = p.year
    # per project: county, households, start, end over the year
    plan = []
    for i in range(projects):
        start = dt.date(year, 3, 1) + dt.timedelta(days=rng.randint(0, 121))
        end = start + dt.timedelta(days=rng.randint(60, 200))
        plan.append((counties[i % len(counties)], f"BIG-{i + 1:06d}", rng.randint(8, 400), start.isoformat(),
                     min(end, p.year_end).isoformat()))
    from generator.register.facts import dumps, facts_of
    with db.opened(path) as conn:
        with db.transaction(conn):
            # what ``register add`` records with a policy's first submission (register/facts.py)
            conn.execute("INSERT INTO policy_facts VALUES (?, ?)", (m["policy_hash"], dumps(facts_of(lp))))
            sid = 0
            for month in range(13 - months, 13):
                day = dt.date(year, month, calendar.monthrange(year, month)[1]).isoformat()
                for version, county in enumerate(counties, 1):
                    sid += 1
                    digest = store.put(conn, hashlib.sha256(f"{county}{day}".encode()).digest())
                    # a 信息月报 for its month, with each row's 开工认定 facts as ``register add`` stores them
                    conn.execute("INSERT INTO submissions(id, county, version, received, recorded_at, recorded_by, "
                                 "file_name, format, sha256, policy_id, policy_version, policy_hash, sample, errors, "
                                 "warnings, period, kind) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,1,0,0,?,'信息月报')",
                                 (sid, county, month, day, day, "bench", f"{county}-{day}.xlsx", "xlsx", digest,
                                  m["policy_id"], m["policy_version"], m["policy_hash"], day[:7]))
                    mine = [x for x in plan if x[0] == county]
                    conn.executemany(
                        "INSERT INTO projects(submission_id, row, project, community, households, planned_start, "
                        "planned_end, actual_start, actual_end, start_ok) VALUES (?,?,?,?,?,?,?,?,?,?)",
                        [(sid, k + 3, pid, pid, hh, s, e, s if s <= day else None, e if e <= day else None,
                          1 if s <= day else None)
                         for k, (c, pid, hh, s, e) in enumerate(mine)])
                    conn.executemany("INSERT INTO project_checks(submission_id, row, facts) VALUES (?,?,?)",
                                     [(sid, k + 3, CHECK) for k, (c, pid, hh, s, e) in enumerate(mine) if s <= day])
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--projects", type=int, default=53_000)
    ap.add_argument("--months", type=int, default=12)
    args = ap.parse_args()
    samples = sorted(str(p) for p in (ROOT / "data").glob("sample-*.xlsx"))
    tmp = Path(tempfile.mkdtemp(prefix="bench-register-"))
    try:
        print(f"machine: {os.cpu_count()} CPUs, {load()}")
        add, series, both, validate = Runs(), Runs(), Runs(), Runs()
        for i in range(args.repeat):
            dbp = tmp / f"five-{i}.db"
            a = add.run(["register", "add", *samples, "--received", "2023-03-31", "--by", "bench", "--db", str(dbp)])
            s = series.run(["register", "series", "--year", "2023", "--db", str(dbp), "--format", "json"])
            validate.run(["validate", *samples, "--format", "json"])
            both.append(a + s)
            both.cpu.append(add.cpu[-1] + series.cpu[-1])
        print(f"five workbooks: register add           {median(add)}")
        print(f"                register series (12 m) {median(series)}")
        print(f"                add + series           {median(both)}   goal ≤ 5 s")
        print(f"                baseline: validate     {median(validate)}")

        big = tmp / "big.db"
        t0 = time.perf_counter()
        big_register(big, args.projects, args.months)
        rows = args.projects * args.months
        print(f"big register: {args.projects} projects × {args.months} snapshots = {rows} rows, "
              f"built in {time.perf_counter() - t0:.1f} s, {big.stat().st_size / 2**20:.0f} MB")
        for day in ("2023-06-30", "2023-12-31"):
            st, base = Runs(), Runs()
            for _ in range(args.repeat):
                st.run(["register", "status", "--as-of", day, "--db", str(big), "--format", "json"])
                base.run(["--version"], ok=(0,))
            print(f"city-wide status --as-of {day}: {median(st)}   goal ≤ 1 s")
            print(f"                 baseline: gaizao --version {median(base)}")
        print(f"machine: {load()}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
