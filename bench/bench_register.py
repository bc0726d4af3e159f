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

3. A national year as real workbooks (issue 19.9): ``--projects`` projects over the policy's counties, every
   county's 信息月报 at each month end (made once in ``--data``): ``gaizao register import`` of the whole year,
   ``register add`` of the last month's workbooks into a new register, ``register status`` and ``register
   documents --no-pdf`` on the imported year, each paired in the same rounds with what a user would write
   instead (openpyxl read-only or python-calamine + sqlite3; one sqlite3 query of the same counts; that query
   written to an .xlsx by openpyxl). The import and the month run with ``--processes`` processes reading the
   workbooks, ours and the baselines alike (1: one process; N: N workers reading while the main process
   stores; each row says its count). Goals: import ≤ 60 s, status ≤ 1 s, documents ≤ 20 s.

    python bench/bench_register.py --parts import,month,status,documents --data /tmp/gaizao-national-year

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
                for county in counties:
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


NATIONAL = "national-year"


def national_year(folder: Path, projects: int, months: int) -> Path:
    """``projects`` projects spread over the policy's counties, as real workbooks: every county's 信息月报 at
    each month end (the county's workbook of last month with the new actual dates and start criteria filled
    in), and the ``submissions.yaml`` that ``gaizao register import`` reads. Deterministic
    (random.Random(2023)); kept in ``folder`` (made once, reused). Returns the list's path."""
    import yaml
    from openpyxl import Workbook

    from bench_validate import FULL, _date, _percent
    from generator.ledger import contract as C
    from generator.ledger.samples import NOTE
    from generator.policy import load_policy
    lp = load_policy("xuchang/2023")
    p = lp.policy
    contract = C.build_contract(p)
    listing = folder / "submissions.yaml"
    if listing.is_file():
        return listing
    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(2023)
    counties = [c.name for c in p.counties_with_target]
    year = p.year
    start_by, done_by = p.milestone("all_started").date, p.milestone("all_completed").date
    channels = contract.funding_columns
    names = [c.name for c in contract.projects]
    criteria = [c.name for c in contract.projects if c.kind == "criterion"]
    streets = ["建设路", "文峰路", "七一路", "劳动路", "魏武大道", "八一路", "许继大道", "东大街", "西大街", "天宝路"]
    kinds = ["家属院", "小区", "花园", "新村", "公寓", "宿舍楼"]
    works = ["雨污分流", "供水管网改造", "屋面防水", "外墙保温", "加装电梯", "道路硬化", "绿化提升", "照明改造",
             "安防监控", "停车位", "充电桩", "供热管线改造", "电力管线改造", "适老化改造"]
    models = ["专业化物业服务", "社区托管", "业主自治", "国有企业托管"]
    rows: dict[str, list] = {c: [] for c in counties}      # county -> [(fixed values, start, end)]
    for i in range(projects):
        county = counties[i % len(counties)]
        hh = rnd.randint(24, 1200)
        cost = round(hh * rnd.uniform(0.3, 0.8), 2)
        split = [0.0] * len(channels)
        rest = cost
        for k in rnd.sample(range(len(channels)), 3)[:-1]:
            split[k] = round(rest * rnd.uniform(0.2, 0.6), 2)
            rest = round(rest - split[k], 2)
        split[rnd.randrange(len(channels))] += rest
        if not split[0]:                  # every project of the target is centrally subsidised (二、目标任务)
            k = max(range(1, len(channels)), key=lambda j: split[j])
            split[0], split[k] = split[k], 0.0
        s = dt.date(year, 3, 1) + dt.timedelta(days=rnd.randint(0, (start_by - dt.date(year, 3, 1)).days))
        e = min(s + dt.timedelta(days=rnd.randint(60, 150)), done_by)
        pid = f"XC{counties.index(county) + 1:02d}-{i + 1:05d}"
        values = {
            C.PROJECT_ID: pid, C.COMMUNITY: f"{rnd.choice(streets)}{i + 1}号{rnd.choice(kinds)}",
            C.BUILDINGS: rnd.randint(1, 30), C.HOUSEHOLDS: hh if rnd.random() >= 0.15 else str(hh).translate(FULL),
            C.WORKS: "、".join(rnd.sample(works, rnd.randint(2, 5))), C.COST: cost,
            C.CONSENT: _percent(rnd.uniform(0.8, 0.99) if rnd.random() > 0.01 else rnd.uniform(0.6, 0.79), rnd),
            C.PROPERTY_MODEL: rnd.choice(models), C.PLANNED_START: _date(s, rnd), C.PLANNED_END: _date(e, rnd),
            C.IS_LIAISON: "否", C.COUNTY: county, C.ADDRESS: f"{county}{rnd.choice(streets)}",
            C.BUILT_YEAR: rnd.randint(1985, 2000), C.PHONE: f"13{rnd.randint(100000000, 999999999)}",
        }
        for name, amount in zip(channels, split):
            values[name] = amount or None
        for col in contract.projects:
            if col.kind == "text" and col.name not in values and col.required:
                values[col.name] = f"{county}{col.name}{rnd.randint(1, 40)}"
        rows[county].append((values, s, e))
    entries = []
    for month in range(13 - months, 13):
        day = dt.date(year, month, calendar.monthrange(year, month)[1])
        for county in counties:
            name = f"{day.isoformat()}-{county}-月报.xlsx"
            wb = Workbook(write_only=True)
            info = wb.create_sheet(C.SHEET_INFO)
            info.append([f"{p.document.city.value}{county}城镇老旧小区改造信息月报（{NOTE}·性能测试）"])
            info.append([C.INFO_KEY_HEADER, C.INFO_VALUE_HEADER])
            info.append([C.COUNTY, county])
            info.append([C.SUBMITTED, dt.datetime(day.year, day.month, day.day)])
            for col in contract.info[2:]:
                info.append([col.name, f"{col.meaning}（示例）" if col.kind == "text" else "0374-5550000"])
            ws = wb.create_sheet(C.SHEET_PROJECTS)
            ws.append([f"{NOTE}：{county}{len(rows[county])}个项目（性能测试）"])
            ws.append(names)
            for values, s, e in rows[county]:
                v = dict(values)
                for k, col in enumerate(criteria):        # each criterion met 5 days apart before the start
                    met = s - dt.timedelta(days=(len(criteria) - k) * 5)
                    v[col] = dt.datetime(met.year, met.month, met.day) if met <= day else None
                if s <= day:
                    v[C.ACTUAL_START] = dt.datetime(s.year, s.month, s.day)
                    if e <= day:
                        v[C.ACTUAL_END] = dt.datetime(e.year, e.month, e.day)
                ws.append([v.get(n) for n in names])
            wb.create_sheet(C.SHEET_LIAISON).append([c.name for c in contract.liaison])
            wb.save(folder / name)
            entries.append({"file": name, "county": county, "received": day.isoformat(), "by": "bench",
                            "kind": "信息月报", "period": f"{year}-{month:02d}"})
            print(f"  wrote {name}", file=sys.stderr, flush=True)
    listing.write_text(yaml.safe_dump({"note": f"{NOTE}（性能测试）", "policy": p.id, "submissions": entries},
                                      allow_unicode=True, sort_keys=False), encoding="utf-8")
    return listing


# -- 3. a national year as workbooks: import, status, documents (issue 19.9) -----------------------------
# The baselines a user would pick instead, each with as many processes as ours (--processes: 1, one process;
# N, N worker processes reading the workbooks while the main one stores, as ``register import`` and ``register
# add`` do): openpyxl (read-only) or python-calamine reading every workbook and sqlite3 writing every row of the
# 项目清单, a transaction a workbook; a plain sqlite3
# query of the same counts as status; the same query written to an .xlsx table with openpyxl as documents.
BASE_IMPORT = r"""
import sqlite3, sys
from pathlib import Path
how, procs, db, files = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]


def read(f):
    if how == "openpyxl":
        from openpyxl import load_workbook
        wb = load_workbook(f, read_only=True, data_only=True)
        rows = list(wb["项目清单"].iter_rows(min_row=3, values_only=True))
        wb.close()
    else:
        import python_calamine as pc
        rows = pc.CalamineWorkbook.from_path(f).get_sheet_by_name("项目清单").to_python()[2:]
    return [(Path(f).name, i + 3, *[None if v == "" else str(v) if hasattr(v, "isoformat") else v
                                    for v in (list(r) + [None] * 35)[:35]]) for i, r in enumerate(rows)]


conn = sqlite3.connect(db)
conn.execute("CREATE TABLE IF NOT EXISTS rows (file TEXT, row INTEGER, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, "
             "c13, c14, c15, c16, c17, c18, c19, c20, c21, c22, c23, c24, c25, c26, c27, c28, c29, c30, c31, c32, c33, "
             "c34, c35, PRIMARY KEY (file, row))")
if procs > 1:       # as ours: ``procs`` worker processes read the workbooks, this one inserts in the list's order
    import multiprocessing
    pool = multiprocessing.get_context("fork").Pool(procs)
    read_all = pool.imap(read, files)
else:
    pool, read_all = None, map(read, files)
try:
    for rows in read_all:
        with conn:
            conn.executemany("INSERT INTO rows VALUES (" + ",".join("?" * 37) + ")", rows)
finally:
    if pool is not None:
        pool.close()
        pool.join()
conn.close()
"""
# the counts status prints (listed, households, started, completed and their households), per county, from
# each county's latest report, as one SQL query over the register's own tables
BASE_STATUS_SQL = (
    "SELECT s.county, COUNT(*), SUM(p.households), SUM(p.actual_start <= :d AND p.start_ok = 1), "
    "SUM(CASE WHEN p.actual_start <= :d AND p.start_ok = 1 THEN p.households END), SUM(p.actual_end <= :d), "
    "SUM(CASE WHEN p.actual_end <= :d THEN p.households END) FROM projects p JOIN submissions s ON s.id = p.submission_id "
    "WHERE s.id IN (SELECT MAX(id) FROM submissions WHERE received <= :d GROUP BY county) GROUP BY s.county")
BASE_STATUS = ("import json, sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\n"
               f"print(json.dumps(c.execute({BASE_STATUS_SQL!r}, {{'d': sys.argv[2]}}).fetchall(), ensure_ascii=False))")
BASE_DOCUMENTS = ("import sqlite3, sys\nfrom openpyxl import Workbook\nc = sqlite3.connect(sys.argv[1])\n"
                  "wb = Workbook(); ws = wb.active\nws.append(['县（市、区）', '项目', '户数', '开工', '开工户数', '完工', '完工户数'])\n"
                  f"for r in c.execute({BASE_STATUS_SQL!r}, {{'d': sys.argv[2]}}): ws.append(list(r))\n"
                  "wb.save(sys.argv[3])")


def whole(cmd: list[str], prep=None) -> tuple[float, float]:
    """(wall, CPU) seconds of one whole command in a new process, started from the checkout as a user runs
    ``python -m generator`` there; ``prep()`` runs first, untimed (a fresh copy of a register)."""
    if prep is not None:
        prep()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def paired(label: str, variants: dict, repeat: int, warm: bool = True) -> None:
    """Each variant (name -> (argv, prep)) in turn, ``repeat`` rounds (after one untimed round unless not
    ``warm``: the workbooks are in the page cache from being made, the modules compiled): medians of wall and
    CPU with every run, and the load average seen."""
    for argv, prep in (variants.values() if warm else ()):
        whole(argv, prep)
    got: dict[str, list[tuple[float, float]]] = {n: [] for n in variants}
    loads = []
    for _ in range(repeat):
        for name, (argv, prep) in variants.items():
            got[name].append(whole(argv, prep))
            loads.append(os.getloadavg()[0])
            print(f"    {label} {name}: {got[name][-1][0]:.2f} s wall, {got[name][-1][1]:.2f} s CPU", file=sys.stderr,
                  flush=True)
    print(f"{label} (load average {min(loads):.1f}-{max(loads):.1f}):")
    first = None
    for name, runs in got.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        first = first or (wall, cpu)
        print(f"  {name:<58} wall {wall:7.2f} s  CPU {cpu:7.2f} s  ours/this {first[0] / wall:.2f} (wall) "
              f"{first[1] / cpu:.2f} (CPU)  runs " + ", ".join(f"{w:.2f}" for w, _ in runs))


def national(args, tmp: Path) -> None:
    """Section 3: the year imported, a month added, status and documents on it, each paired with its baseline."""
    import yaml
    data = Path(args.data) if args.data else tmp / NATIONAL
    t0 = time.perf_counter()
    listing = national_year(data, args.projects, args.months)
    entries = yaml.safe_load(listing.read_text(encoding="utf-8"))["submissions"]
    files = [str(data / e["file"]) for e in entries]
    last = entries[-1]["period"]
    month = [str(data / e["file"]) for e in entries if e["period"] == last]
    day = entries[-1]["received"]
    print(f"national year: {args.projects} projects × {args.months} monthly reports of {len(month)} counties = "
          f"{len(files)} workbooks ({sum(Path(f).stat().st_size for f in files) / 2**20:.0f} MB), "
          f"ready in {time.perf_counter() - t0:.0f} s; {load()}")
    py = sys.executable
    year, base = tmp / "year.db", tmp / "base.db"

    def fresh(*paths):
        def prep():
            for p in paths:
                for q in (p, Path(f"{p}-wal"), Path(f"{p}-shm")):
                    q.unlink(missing_ok=True)
        return prep

    for n in args.processes:
        procs = "one process" if n == 1 else f"{n} processes reading"
        if "import" in args.parts:
            paired(f"import, the whole year, {procs} (gaizao register import: every workbook read, validated, stored)", {
                f"ours: register import ({len(files)} workbooks, {procs})":
                    ([py, "-m", "generator", "register", "import", str(listing), "--db", str(year), "--processes",
                      str(n)], fresh(year)),
                **({f"baseline: openpyxl read-only + sqlite3, {procs}":
                    ([py, "-c", BASE_IMPORT, "openpyxl", str(n), str(base), *files], fresh(base))}
                   if "openpyxl" in args.year_baselines else {}),
                f"baseline: python-calamine + sqlite3, {procs}":
                    ([py, "-c", BASE_IMPORT, "calamine", str(n), str(base), *files], fresh(base)),
            }, args.year_repeat, warm=False)
        if "month" in args.parts:
            paired(f"import, one month ({last}: register add of the {len(month)} county workbooks, a new register), "
                   f"{procs}", {
                f"ours: register add --period {last} ({procs})":
                    ([py, "-m", "generator", "register", "add", *month, "--received", day, "--period", last, "--by",
                      "bench", "--db", str(tmp / "month.db"), "--processes", str(n)], fresh(tmp / "month.db")),
                f"baseline: openpyxl read-only + sqlite3, {procs}":
                    ([py, "-c", BASE_IMPORT, "openpyxl", str(n), str(base), *month], fresh(base)),
                f"baseline: python-calamine + sqlite3, {procs}":
                    ([py, "-c", BASE_IMPORT, "calamine", str(n), str(base), *month], fresh(base)),
            }, args.repeat)
    if "import" not in args.parts:
        subprocess.run([py, "-m", "generator", "register", "import", str(listing), "--db", str(year)], cwd=ROOT,
                       capture_output=True)
    if "status" in args.parts:
        paired(f"status --as-of {day} on the imported year", {
            "ours: register status --format json":
                ([py, "-m", "generator", "register", "status", "--as-of", day, "--db", str(year), "--format", "json"],
                 None),
            "baseline: python -c sqlite3, the same counts as one query":
                ([py, "-c", BASE_STATUS, str(year), day], None),
        }, args.repeat)
    if "documents" in args.parts:
        out = tmp / "documents"
        paired(f"documents --as-of {day} --no-pdf on the imported year (every county)", {
            "ours: register documents --no-pdf":
                ([py, "-m", "generator", "register", "documents", "--as-of", day, "--no-pdf", "--db", str(year),
                  "-o", str(out)], lambda: shutil.rmtree(out, ignore_errors=True)),
            "baseline: python -c sqlite3 query + openpyxl table":
                ([py, "-c", BASE_DOCUMENTS, str(year), day, str(tmp / "table.xlsx")], None),
        }, args.repeat, warm=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--projects", type=int, default=53_000)
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--parts", default="five,big,import,month,status,documents",
                    help="which measurements, comma-separated (five, big: sections 1-2; import, month, status, "
                         "documents: section 3)")
    ap.add_argument("--data", help="section 3's workbooks: made here once and reused (default: a temporary folder)")
    ap.add_argument("--processes", default=str(min(2, os.cpu_count() or 1)),
                    help="the import's and the month's processes reading workbooks, ours and the baselines' alike, "
                         "comma-separated for several rows (1: one process, as before; default: the CPUs, at most 2, "
                         "as register import's default)")
    ap.add_argument("--year-repeat", type=int, default=3, help="rounds of the whole-year import (minutes each)")
    ap.add_argument("--year-baselines", default="openpyxl,calamine",
                    help="the whole-year import's baselines (openpyxl alone takes ~5 min a round; calamine is the "
                         "faster one, the one a user who cares picks)")
    args = ap.parse_args()
    args.parts = set(args.parts.split(","))
    args.processes = [int(x) for x in args.processes.split(",")]
    sys.path.insert(0, str(ROOT))                  # this checkout's generator, as `python -m generator` runs it
    samples = sorted(str(p) for p in (ROOT / "data").glob("sample-*.xlsx"))
    tmp = Path(tempfile.mkdtemp(prefix="bench-register-"))
    try:
        print(f"machine: {os.cpu_count()} CPUs, {load()}")
        add, series, both, validate = Runs(), Runs(), Runs(), Runs()
        for i in range(args.repeat if "five" in args.parts else 0):
            dbp = tmp / f"five-{i}.db"
            a = add.run(["register", "add", *samples, "--received", "2023-03-31", "--by", "bench", "--db", str(dbp)])
            s = series.run(["register", "series", "--year", "2023", "--db", str(dbp), "--format", "json"])
            validate.run(["validate", *samples, "--format", "json"])
            both.append(a + s)
            both.cpu.append(add.cpu[-1] + series.cpu[-1])
        if add:
            print(f"five workbooks: register add           {median(add)}")
            print(f"                register series (12 m) {median(series)}")
            print(f"                add + series           {median(both)}   goal ≤ 5 s")
            print(f"                baseline: validate     {median(validate)}")
        if args.parts & {"import", "month", "status", "documents"}:
            national(args, tmp)
        if "big" not in args.parts:
            return
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
