"""Benchmark: validating a national-scale county plan (53,000 projects) against reading it.

    python bench/bench_validate.py [--rows 53000] [--repeat 3]

Writes a big workbook with generator.ledger.samples.make_big_workbook into a temporary folder, then
measures in fresh processes (so each peak memory is its own): the bare read (read_plan) and read +
validate (validate_files), each ``--repeat`` times; prints the best time, the validation overhead and
the peak resident memory. Goal (issue 3): read + validate ≤ 5 s and ≤ 500 MB on a 2-core machine,
and ≤ 1.5 × the bare read. Not a test: numbers go in notes, never in assertions.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(mode: str, path: str) -> None:
    """Run one measurement in this (fresh) process and print it as JSON."""
    import resource

    from generator.policy import load_policy
    lp = load_policy("xuchang/2023")
    lp.text, lp.content_hash                    # policy loading is not what we measure
    from generator.ledger.reader import read_plan
    from generator.validate.engine import validate_plan
    from generator.validate.registry import all_rules
    all_rules()
    t0 = time.perf_counter()
    plan = read_plan(path, lp)
    t1 = time.perf_counter()
    findings = validate_plan(plan, lp) if mode == "validate" else []
    t2 = time.perf_counter()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss      # KiB on Linux
    print(json.dumps({"read": t1 - t0, "rules": t2 - t1, "total": t2 - t0, "peak_mb": peak_kb / 1024,
                      "projects": len(plan.projects), "findings": len(findings)}))


def measure(mode: str, path: Path, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, __file__, "--child", mode, str(path)], capture_output=True, text=True,
                             check=True, cwd=ROOT)
        runs.append(json.loads(out.stdout))
    best = min(runs, key=lambda r: r["total"])
    best["peak_mb"] = max(r["peak_mb"] for r in runs)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=53_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(*args.child)

    sys.path.insert(0, str(ROOT))
    from generator.ledger.samples import make_big_workbook
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.xlsx"
        t0 = time.perf_counter()
        make_big_workbook(path, args.rows)
        made = time.perf_counter() - t0
        size_mb = path.stat().st_size / 2**20
        read = measure("read", path, args.repeat)
        full = measure("validate", path, args.repeat)

    ratio = full["total"] / read["total"]
    rows = [
        ("workbook", f"{read['projects']:,} projects, {size_mb:.1f} MB (written in {made:.1f} s)", ""),
        ("bare read (read_plan)", f"{read['total']:.2f} s", f"{read['peak_mb']:.0f} MB"),
        ("read + validate", f"{full['total']:.2f} s (read {full['read']:.2f} + rules {full['rules']:.2f})",
         f"{full['peak_mb']:.0f} MB"),
        ("validate / read", f"{ratio:.2f}× (goal ≤ 1.5×)", ""),
        ("findings", f"{full['findings']:,}", ""),
        ("goal ≤ 5 s, ≤ 500 MB", "met" if full["total"] <= 5 and full["peak_mb"] <= 500 and ratio <= 1.5
         else "NOT met", ""),
    ]
    try:
        from rich.console import Console
        from rich.table import Table
        t = Table(title=f"bench_validate: best of {args.repeat}, fresh process each")
        for h in ("what", "time", "peak RSS"):
            t.add_column(h)
        for r in rows:
            t.add_row(*r)
        Console().print(t)
    except ImportError:
        for r in rows:
            print(" | ".join(r))


if __name__ == "__main__":
    main()
