"""Benchmark: `gaizao validate FILE --format json` on a realistic 53,000-row city-wide workbook, paired with a
bare python-calamine read of every sheet of the same file.

    python bench/bench_validate.py [--rows 53000] [--repeat 5] [--keep FILE.xlsx]

The workbook is built deterministically (random.Random(2023)) in a temporary folder, as counties type
it: every county of the policy in one 项目清单 with a 县（市、区） column (some written 魏都 or 魏都區), no row
repeated (names, households, amounts and dates vary), dates as Excel dates, 2023年6月30日, 2023/6/30,
2023-06-30 text and bare Excel serials, percentages as 0.85, "85%", "85" and full-width "８５％", some
counts in full-width digits, and a few per cent of rows with real mistakes (consent below the threshold,
a blank required cell, an impossible date, a repeated 项目编号, funding that does not add up).

Each repetition runs, in fresh processes and alternating, (a) the whole command as a user runs it
(process start, policy loading, reading, rules, JSON out) and (b) `python -c` opening the file with
python-calamine and converting every sheet to Python rows. Medians of wall time, peak RSS of each child
(resource.getrusage(RUSAGE_CHILDREN) read after each run), and CPU time (user+sys) of each, which moves
less than wall time when other work shares the machine. Goal (issue 9): ≤ 5 s, ≤ 500 MB, ≤ 2× (b), in wall
time on a quiet machine. `python bench/verdicts_validate.py` checks that a speed change moved no verdict.
Both commands run once unmeasured first (compiled modules cached, the file in the page cache), and with
PYTHONDONTWRITEBYTECODE removed from their environment, as in a user's shell. Not a test: numbers go in
notes, never in assertions.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BARE_READ = ("import sys, python_calamine as pc\n"
             "wb = pc.CalamineWorkbook.from_path(sys.argv[1])\n"
             "n = sum(len(wb.get_sheet_by_name(s).to_python(skip_empty_area=False)) for s in wb.sheet_names)\n"
             "print(n)")
FULL = str.maketrans("0123456789%", "０１２３４５６７８９％")
EPOCH = dt.date(1899, 12, 30)


def _date(d: dt.date, rnd: random.Random):
    """A date as counties type it."""
    k = rnd.random()
    if k < 0.55:
        return dt.datetime(d.year, d.month, d.day)               # a real date cell
    if k < 0.70:
        return f"{d.year}年{d.month}月{d.day}日"
    if k < 0.80:
        return f"{d.year}/{d.month}/{d.day}"
    if k < 0.90:
        return d.isoformat()
    return (d - EPOCH).days                                       # a bare serial (the cell lost its format)


def _percent(p: float, rnd: random.Random):
    k = rnd.random()
    if k < 0.4:
        return p
    if k < 0.7:
        return f"{round(p * 100)}%"
    if k < 0.9:
        return str(round(p * 100))
    return f"{round(p * 100)}%".translate(FULL)


def make_workbook(path: Path, rows: int) -> dict:
    """Write the city-wide workbook; returns what was planted (to report the share of findings)."""
    from openpyxl import Workbook

    from generator.ledger import contract as C
    from generator.ledger.samples import NOTE
    from generator.policy import load_policy
    lp = load_policy("xuchang/2023")
    p = lp.policy
    contract = C.build_contract(p)
    rnd = random.Random(2023)
    counties = [c.name for c in p.counties_with_target]
    variants = {counties[3]: [counties[3], counties[3][:-1], counties[3][:-1] + "區"]} if len(counties) > 3 else {}
    year = p.year
    start_by = p.milestone("all_started").date
    done_by = p.milestone("all_completed").date
    channels = contract.funding_columns
    cols = [c for c in contract.projects]
    names = [c.name for c in cols]
    streets = ["建设路", "文峰路", "七一路", "劳动路", "魏武大道", "八一路", "许继大道", "东大街", "西大街", "天宝路"]
    kinds = ["家属院", "小区", "花园", "新村", "公寓", "宿舍楼"]
    works = ["雨污分流", "供水管网改造", "屋面防水", "外墙保温", "加装电梯", "道路硬化", "绿化提升", "照明改造",
             "安防监控", "停车位", "充电桩", "供热管线改造", "电力管线改造", "适老化改造"]
    models = ["专业化物业服务", "社区托管", "业主自治", "国有企业托管"]
    planted = {"rows": rows, "mistake_rows": 0}

    wb = Workbook(write_only=True)
    info = wb.create_sheet(C.SHEET_INFO)
    info.append([f"{p.document.city.value}城镇老旧小区改造项目汇总表（{NOTE}·性能测试）"])
    info.append([C.INFO_KEY_HEADER, C.INFO_VALUE_HEADER])
    info.append([C.COUNTY, p.document.city.value])
    info.append([C.SUBMITTED, dt.datetime(year, 2, 20)])
    for col in contract.info[2:]:
        info.append([col.name, f"{col.meaning}（示例）" if col.kind == "text" else "0374-5550000"])
    ws = wb.create_sheet(C.SHEET_PROJECTS)
    ws.append([f"{NOTE}：{rows}个项目（性能测试）"])
    ws.append(names)
    liaison = []
    for i in range(rows):
        county = counties[i % len(counties)]
        shown = rnd.choice(variants[county]) if county in variants else county
        hh = rnd.randint(24, 1200)
        cost = round(hh * rnd.uniform(0.3, 0.8), 2)
        split = [0.0] * len(channels)
        rest = cost
        for k in rnd.sample(range(len(channels)), 3)[:-1]:
            split[k] = round(rest * rnd.uniform(0.2, 0.6), 2)
            rest = round(rest - split[k], 2)
        split[rnd.randrange(len(channels))] += rest
        s = dt.date(year, 3, 1) + dt.timedelta(days=rnd.randint(0, (start_by - dt.date(year, 3, 1)).days))
        e = s + dt.timedelta(days=rnd.randint(60, 150))
        e = min(e, done_by)
        consent = rnd.uniform(0.8, 0.99)
        pid = f"XC{counties.index(county) + 1:02d}-{i + 1:05d}"
        values = {
            C.PROJECT_ID: pid, C.COMMUNITY: f"{rnd.choice(streets)}{i + 1}号{rnd.choice(kinds)}",
            C.BUILDINGS: rnd.randint(1, 30), C.HOUSEHOLDS: hh, C.WORKS: "、".join(rnd.sample(works, rnd.randint(2, 5))),
            C.COST: cost, C.CONSENT: _percent(consent, rnd), C.PROPERTY_MODEL: rnd.choice(models),
            C.PLANNED_START: _date(s, rnd), C.PLANNED_END: _date(e, rnd), C.IS_LIAISON: "否", C.COUNTY: shown,
            C.ADDRESS: f"{county}{rnd.choice(streets)}", C.BUILT_YEAR: rnd.randint(1985, 2000),
            C.PHONE: f"13{rnd.randint(100000000, 999999999)}",
        }
        for name, amount in zip(channels, split):
            values[name] = amount or None
        for col in cols:
            if col.kind == "text" and col.name not in values and col.required:
                values[col.name] = f"{county}{col.name}{rnd.randint(1, 40)}"
        if rnd.random() < 0.15:
            values[C.HOUSEHOLDS] = str(hh).translate(FULL)
        # a few per cent of rows carry a real mistake
        r = rnd.random()
        if r < 0.035:
            planted["mistake_rows"] += 1
            m = rnd.randrange(5)
            if m == 0:
                values[C.CONSENT] = _percent(rnd.uniform(0.5, 0.79), rnd)
            elif m == 1:
                values[rnd.choice([C.COMMUNITY, C.BUILDINGS, C.PROPERTY_MODEL])] = None
            elif m == 2:
                values[C.PLANNED_END] = f"{year}-02-30"
            elif m == 3 and i >= len(counties):      # the number of this county's previous project
                values[C.PROJECT_ID] = f"XC{counties.index(county) + 1:02d}-{i + 1 - len(counties):05d}"
            else:
                values[C.COST] = round(cost + rnd.randint(5, 50), 2)
        if len(liaison) < 60 and i % 800 == 0:
            values[C.IS_LIAISON] = "是"
            liaison.append(values)
        ws.append([values.get(n) for n in names])
    lws = wb.create_sheet(C.SHEET_LIAISON)
    lws.append([c.name for c in contract.liaison])
    for v in liaison:
        lws.append([v[C.PROJECT_ID], v[C.COMMUNITY]] + [f"{c.name}（示例）" for c in contract.liaison[2:-1]]
                   + [dt.datetime(year, 3, 10)])
    wb.save(path)
    return planted


def _env() -> dict:
    """The environment of a user's shell: Python caches compiled modules (a sandbox that sets
    PYTHONDONTWRITEBYTECODE would make every run recompile gaizao's sources, a cost no user pays)."""
    import os
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _run(cmd: list[str]) -> tuple[float, float, int]:
    """(wall s, peak RSS MB of this child, exit code)."""
    import resource
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=_env())
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the max over all children so far: measure the larger command first
    return wall, max(peak, before) / 1024, proc.returncode, proc.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=53_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--keep", help="also copy the workbook here")
    ap.add_argument("--workbook", help="measure this workbook (made by an earlier --keep) instead of writing one")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    gaizao = shutil.which("gaizao")
    validate_cmd = ([gaizao] if gaizao else [sys.executable, "-m", "generator"]) + ["validate"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "全市汇总.xlsx"
        t0 = time.perf_counter()
        if args.workbook:
            shutil.copy(args.workbook, path)
            planted = None
        else:
            planted = make_workbook(path, args.rows)
        made = time.perf_counter() - t0
        if args.keep:
            shutil.copy(path, args.keep)
        full, bare, peak_full, peak_bare = [], [], 0.0, 0.0
        cpu_full, cpu_bare = [], []
        report = None
        # one unmeasured run of each first: compiled modules cached, the file in the page cache
        _run(validate_cmd + [str(path), "--format", "json"])
        _run([sys.executable, "-c", BARE_READ, str(path)])
        for _ in range(args.repeat):
            # separate measuring processes so each peak RSS is its own
            w, pk, rc, out = _run([sys.executable, "-c", _measure_child(), *validate_cmd, str(path), "--format", "json"])
            r = json.loads(out.decode().splitlines()[-1])
            full.append(r["wall"])
            cpu_full.append(r["cpu"])
            peak_full = max(peak_full, r["peak_mb"])
            if report is None:
                report = r
            w, pk, rc, out = _run([sys.executable, "-c", _measure_child(), sys.executable, "-c", BARE_READ, str(path)])
            r = json.loads(out.decode().splitlines()[-1])
            bare.append(r["wall"])
            cpu_bare.append(r["cpu"])
            peak_bare = max(peak_bare, r["peak_mb"])
        size = path.stat().st_size / 2**20
    mf, mb = statistics.median(full), statistics.median(bare)
    lines = [
        (f"workbook: {args.rows:,} projects, {size:.1f} MB, written in {made:.0f} s; "
         f"{planted['mistake_rows']:,} rows ({planted['mistake_rows'] / args.rows:.1%}) with a planted mistake")
        if planted else f"workbook: {args.workbook}, {size:.1f} MB",
        f"gaizao validate --format json: exit {report['rc']}, {report['findings']:,} findings",
        f"{'':<34}{'median s':>9}{'min s':>8}{'max s':>8}{'peak MB':>9}{'cpu s':>8}",
        f"{'gaizao validate FILE --format json':<34}{mf:>9.2f}{min(full):>8.2f}{max(full):>8.2f}{peak_full:>9.0f}"
        f"{statistics.median(cpu_full):>8.2f}",
        f"{'bare python-calamine, every sheet':<34}{mb:>9.2f}{min(bare):>8.2f}{max(bare):>8.2f}{peak_bare:>9.0f}"
        f"{statistics.median(cpu_bare):>8.2f}",
        f"ratio of CPU times (user+sys, medians; steadier than wall time on a busy machine): "
        f"{statistics.median(cpu_full) / statistics.median(cpu_bare):.2f}x",
        f"ratio (medians): {mf / mb:.2f}x   goal: <= 5 s, <= 500 MB, <= 2x -> "
        + ("met" if mf <= 5 and peak_full <= 500 and mf / mb <= 2 else "NOT met"),
        f"{args.repeat} paired repetitions, fresh processes, process start included",
    ]
    print("\n".join(lines))


def _measure_child() -> str:
    """A tiny wrapper process: runs the command, prints its wall time, peak RSS, exit code and findings."""
    return ("import json, resource, subprocess, sys, time\n"
            "t0 = time.perf_counter()\n"
            "p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)\n"
            "wall = time.perf_counter() - t0\n"
            "ru = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
            "peak, cpu = ru.ru_maxrss / 1024, ru.ru_utime + ru.ru_stime\n"
            "try:\n    n = len(json.loads(p.stdout)['findings'])\nexcept Exception:\n    n = -1\n"
            "print(json.dumps({'wall': wall, 'cpu': cpu, 'peak_mb': peak, 'rc': p.returncode, 'findings': n}))\n")


if __name__ == "__main__":
    main()
