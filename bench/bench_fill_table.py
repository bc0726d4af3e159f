"""Benchmark: the reader turning calamine's rows of the 项目清单 sheet into the column-wise Table
(`reader._fill_table` + `reader._resolve_counties`), the part of `gaizao validate` after the bare read.

    python bench/bench_fill_table.py WORKBOOK.xlsx [--against OTHER_TREE] [--repeat 5] [--runs 3]

WORKBOOK is the 53,000-row city-wide workbook of bench/bench_validate.py (`--keep FILE.xlsx`). The sheet is read
with python-calamine once per process, untimed; then fill + resolve run ``--repeat`` times on fresh copies
of the rows (the reader changes error cells in place), cyclic GC off as in `_read_excel`. Each of ``--runs``
processes prints its median wall and CPU time (CPU time moves less when other work shares the machine). With ``--against`` (another checkout, e.g. a worktree of main before a change)
the two trees run alternately, process by process, so load on a shared machine hits both alike.
Goal (issue 9, item 8): ≤ 0.55 s on a quiet machine for the 53,000-row workbook. Not a test: numbers go in
notes, never in assertions.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHEET = "项目清单"


def child(path: str, repeat: int) -> None:
    import gc

    import python_calamine as pc

    from generator.ledger import reader as R
    from generator.ledger.contract import build_contract
    from generator.ledger.model import Plan
    from generator.policy import load_policy
    contract = build_contract(load_policy("xuchang/2023"))
    rows = pc.CalamineWorkbook.from_path(path).get_sheet_by_name(SHEET).to_python(skip_empty_area=False)
    gc.disable()
    times, cpu, projects = [], [], 0
    for _ in range(repeat):
        grid = R._SheetGrid(SHEET, [list(r) for r in rows])
        plan = Plan(file=path, format="xlsx")
        t, c = time.perf_counter(), time.process_time()
        R._fill_table(plan, SHEET, grid, contract, path)
        R._resolve_counties(plan, contract)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        projects = len(plan.projects)
        del plan, grid
        gc.collect()
    print(json.dumps({"median": statistics.median(times), "cpu": statistics.median(cpu), "runs": times,
                      "projects": projects}))


def run(tree: Path, path: str, repeat: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree))
    out = subprocess.run([sys.executable, __file__, "--child", path, "--repeat", str(repeat)], env=env,
                         capture_output=True, text=True, check=True, cwd=tree)
    return json.loads(out.stdout)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("workbook")
    ap.add_argument("--against", help="another checkout of gaizao to pair with (the baseline)")
    ap.add_argument("--repeat", type=int, default=5, help="fills per process (median taken)")
    ap.add_argument("--runs", type=int, default=3, help="processes per tree")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.workbook, args.repeat)
        return 0
    trees = {"this": ROOT, **({"against": Path(args.against).resolve()} if args.against else {})}
    medians: dict[str, list[float]] = {name: [] for name in trees}
    cpus: dict[str, list[float]] = {name: [] for name in trees}
    for r in range(args.runs):
        for name, tree in trees.items():
            got = run(tree, str(Path(args.workbook).resolve()), args.repeat)
            medians[name].append(got["median"])
            cpus[name].append(got["cpu"])
            print(f"run {r + 1} {name}: median {got['median']:.3f} s (cpu {got['cpu']:.3f} s) of {args.repeat} "
                  f"({', '.join(f'{t:.3f}' for t in got['runs'])}), {got['projects']} projects, "
                  f"load {os.getloadavg()[0]:.2f}", file=sys.stderr, flush=True)
    for name, ms in medians.items():
        print(f"{name:8s} fill+resolve median of medians {statistics.median(ms):.3f} s wall, "
              f"{statistics.median(cpus[name]):.3f} s cpu  ({trees[name]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
