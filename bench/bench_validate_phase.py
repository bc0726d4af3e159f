"""Benchmark of the validate phase alone: what runs after `read_plan` returns.

    python bench/bench_validate_phase.py BENCH.xlsx [--repeat 5] [--rounds 3] [--baseline TREE] [--profile]

BENCH.xlsx is the workbook of `bench/bench_validate.py --keep BENCH.xlsx`. In a fresh process per tree, the
plan is read once (not timed), then each repetition times `validate_plans([plan], lp, 2026-11-30)`, the JSON
dict (`ValidationResult.to_dict`) and `json.dumps` as `gaizao validate --format json` calls them (the first
repetition also renders the policy text the findings cite, once per process as in the command). With
``--baseline TREE`` (another checkout, e.g. `git worktree add /tmp/base main`) the same runs happen in that
tree, the two processes alternating, so a before/after is one paired run. Medians (min–max) in seconds, wall
time of each step and CPU time of all three (which moves less when the machine is shared); the findings count
of each tree is printed so that a change in verdicts shows. ``--profile``: one cProfile run of
this tree instead (it distorts; it shows where). Not a test: numbers go in notes, never in assertions.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import datetime as dt, gc, json, sys, time
from generator.ledger.reader import read_plan
from generator.policy import load_policy
from generator.validate import validate_plans
lp = load_policy("xuchang/2023")
plan = read_plan(sys.argv[1], lp)
gc.collect()
times = {"validate": [], "to_dict": [], "dumps": []}
for _ in range(int(sys.argv[2])):
    c0, t0 = time.process_time(), time.perf_counter()
    result = validate_plans([plan], lp, dt.date(2026, 11, 30))
    t1 = time.perf_counter()
    d = result.to_dict("zh")
    t2 = time.perf_counter()
    text = json.dumps(d, ensure_ascii=False, indent=2)
    t3 = time.perf_counter()
    times["validate"].append(t1 - t0); times["to_dict"].append(t2 - t1); times["dumps"].append(t3 - t2)
    times.setdefault("total", []).append(t3 - t0)
    times.setdefault("total CPU", []).append(time.process_time() - c0)
    del result, d, text
print(json.dumps({"times": times, "findings": len(validate_plans([plan], lp, dt.date(2026, 11, 30)).report.findings)}))
"""

PROFILE = r"""
import cProfile, datetime as dt, json, pstats, sys
from generator.ledger.reader import read_plan
from generator.policy import load_policy
from generator.validate import validate_plans
lp = load_policy("xuchang/2023")
plan = read_plan(sys.argv[1], lp)
pr = cProfile.Profile()
pr.enable()
json.dumps(validate_plans([plan], lp, dt.date(2026, 11, 30)).to_dict("zh"), ensure_ascii=False, indent=2)
pr.disable()
pstats.Stats(pr).sort_stats("cumulative").print_stats(40)
"""


def run(tree: Path, workbook: str, repeat: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "-c", CHILD, workbook, str(repeat)], cwd=tree, env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("workbook")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=1, help="processes per tree (alternating)")
    ap.add_argument("--baseline", type=Path, help="another checkout to time in the same run")
    ap.add_argument("--profile", action="store_true")
    a = ap.parse_args()
    workbook = str(Path(a.workbook).resolve())
    if a.profile:
        subprocess.run([sys.executable, "-c", PROFILE, workbook], cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
        return
    trees = {"this": ROOT} | ({"baseline": a.baseline.resolve()} if a.baseline else {})
    results = {name: {"times": {}, "findings": None} for name in trees}
    for _ in range(a.rounds):
        for name, tree in reversed(trees.items()):          # the baseline first in each round
            r = run(tree, workbook, a.repeat)
            results[name]["findings"] = r["findings"]
            for k, v in r["times"].items():
                results[name]["times"].setdefault(k, []).extend(v)
    print(f"load average {os.getloadavg()[0]:.2f}; {a.repeat} repetitions x {a.rounds} process(es) per tree")
    for name, r in results.items():
        parts = ", ".join(f"{k} {statistics.median(v):.3f} ({min(v):.3f}–{max(v):.3f})" for k, v in r["times"].items())
        print(f"{name:9} findings {r['findings']}: {parts}")


if __name__ == "__main__":
    main()
