"""Benchmark: `gaizao policy check ID` as a user runs it, this tree against a baseline revision, in one run.

    python bench/bench_policy_check.py [--base REV] [--repeat 7] [ID ...]

The baseline (default: the commit before province/parent support, 9907654) is exported with `git archive` to a
temporary folder; each repetition runs, in fresh processes and alternating, the command with the baseline on
PYTHONPATH and with this tree, from a neutral folder (no ./policies). Medians and minimum of wall time. The
copy-safety check reads document.city of every known policy (libyaml): this shows what that costs.
Not a test: numbers go in notes, never in assertions.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="9907654")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("ids", nargs="*", default=["xuchang/2023", "mudanjiang/2022", "xuchang/2022-example"])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        base.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.base], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive.stdout, check=True)
        trees = {f"base {args.base}": base, "this tree": ROOT}
        times: dict[tuple, list[float]] = {}
        for _ in range(args.repeat):
            for name, tree in trees.items():
                for pid in args.ids:
                    env = dict(os.environ, PYTHONPATH=str(tree))
                    env.pop("GAIZAO_POLICIES", None)
                    t = time.perf_counter()
                    res = subprocess.run([sys.executable, "-m", "generator", "policy", "check", pid], cwd=tmp,
                                         env=env, capture_output=True)
                    elapsed = time.perf_counter() - t
                    if res.returncode == 2:          # e.g. an id the baseline does not have
                        continue
                    times.setdefault((pid, name), []).append(elapsed)
        for (pid, name), v in sorted(times.items()):
            print(f"{pid:24} {name:16} median {statistics.median(v):.3f}s  min {min(v):.3f}s  (n={len(v)})")


if __name__ == "__main__":
    main()
