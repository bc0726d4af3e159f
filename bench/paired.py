"""Paired timing of whole commands for the bench/ scripts (imported by bench_acceptance.py and bench_render.py).

Each run of each variant is a new process timed from the outside (process start and imports included), the
variants alternating run by run so that load on a shared machine hits them alike; medians are reported with
every run and the load average seen.
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]

# name -> make(out folder) -> (argv, extra environment) or (argv, extra environment, working folder)
Variants = dict[str, Callable[[Path], tuple]]


def gaizao_argv() -> list[str]:
    """The installed `gaizao` script, as a user runs it; `python -m generator` where it is not installed."""
    exe = shutil.which("gaizao")
    return [exe] if exe else [sys.executable, "-m", "generator"]


def paired_runs(runs: int, variants: Variants, *, prefix: str,
                check: Callable[[str, Path], None] | None = None) -> tuple[dict[str, list[float]], list[float]]:
    """Seconds per variant (one list each, in run order) and the 1-minute load average after every run.
    ``check(name, out)`` looks at what a run wrote (e.g. counts the PDFs) before the folder is removed."""
    times: dict[str, list[float]] = {name: [] for name in variants}
    loads = []
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        for r in range(runs):
            for name, make in variants.items():
                out = Path(tmp) / f"{name}{r}"
                argv, env, *cwd = make(out)
                t = time.perf_counter()
                subprocess.run(argv, check=True, capture_output=True, cwd=cwd[0] if cwd else ROOT,
                               env=dict(os.environ, **env))
                times[name].append(time.perf_counter() - t)
                if check:
                    check(name, out)
                loads.append(os.getloadavg()[0])
                print(f"run {r + 1} {name}: {times[name][-1]:.2f} s", file=sys.stderr, flush=True)
    return times, loads


def medians(times: dict[str, list[float]]) -> dict[str, float]:
    return {name: statistics.median(v) for name, v in times.items()}


def print_machine(loads: list[float]) -> None:
    print(f"\nMachine: {os.cpu_count()} cores; load average during the runs "
          f"{min(loads):.1f}–{max(loads):.1f} (shared machine).\n")


def table_row(label: str, times: list[float]) -> str:
    """| label | median | every run | (a Markdown table row)."""
    return f"| {label} | {statistics.median(times):.2f} | " + ", ".join(f"{t:.2f}" for t in times) + " |"
