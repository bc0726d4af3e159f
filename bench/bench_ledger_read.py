"""Benchmark: reading a national-scale 项目清单 (53,000 projects) — why the reader uses python-calamine.

    python bench/bench_ledger_read.py [--rows 53000] [--repeat 3]

Writes a big workbook with generator.ledger.samples.make_big_workbook into a temporary folder, then
measures, each in a fresh process (so peak memory is its own), best of ``--repeat``:

- ``calamine-raw``  python-calamine: the 项目清单 sheet as rows of Python values, nothing else;
- ``read_plan``     gaizao's reader: calamine + header search + every cell parsed into a Cell;
- ``openpyxl-raw``  openpyxl ``load_workbook(read_only=True, data_only=True)`` rows of values only
                    (what read_plan would start from if it used openpyxl).

Goal (issue 3): read_plan well under 5 s on this 2-core machine. Not a test: numbers go in notes.
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
SHEET = "项目清单"


def child(mode: str, path: str) -> None:
    import resource
    sys.path.insert(0, str(ROOT))
    if mode == "read_plan":
        from generator.policy import load_policy
        from generator.ledger.reader import read_plan
        lp = load_policy("xuchang/2023")
        t0, c0 = time.perf_counter(), time.process_time()
        n = len(read_plan(path, lp).projects)
    elif mode == "calamine-raw":
        import python_calamine as pc
        t0, c0 = time.perf_counter(), time.process_time()
        wb = pc.CalamineWorkbook.from_path(path)
        n = len(wb.get_sheet_by_name(SHEET).to_python(skip_empty_area=False))
    else:
        from openpyxl import load_workbook
        t0, c0 = time.perf_counter(), time.process_time()
        wb = load_workbook(path, read_only=True, data_only=True)
        n = sum(1 for _ in wb[SHEET].iter_rows(values_only=True))
        wb.close()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"wall": wall, "cpu": cpu, "peak_mb": peak, "rows": n}))


def measure(mode: str, path: Path, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, __file__, "--child", mode, str(path)], capture_output=True,
                             text=True, check=True, cwd=ROOT)
        runs.append(json.loads(out.stdout))
    best = min(runs, key=lambda r: r["wall"])
    best["peak_mb"] = max(r["peak_mb"] for r in runs)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=53000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", nargs=2, metavar=("MODE", "PATH"))
    ap.add_argument("--skip-openpyxl", action="store_true")
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    sys.path.insert(0, str(ROOT))
    from generator.ledger.samples import make_big_workbook
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.xlsx"
        t = time.perf_counter()
        make_big_workbook(path, rows=args.rows)
        print(f"wrote {args.rows} rows ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s")
        modes = ["calamine-raw", "read_plan"] + ([] if args.skip_openpyxl else ["openpyxl-raw"])
        print(f"{'case':<14} {'wall s':>7} {'cpu s':>7} {'peak MB':>8}")
        for mode in modes:
            r = measure(mode, path, 1 if mode == "openpyxl-raw" else args.repeat)
            print(f"{mode:<14} {r['wall']:>7.2f} {r['cpu']:>7.2f} {r['peak_mb']:>8.0f}")


if __name__ == "__main__":
    main()
