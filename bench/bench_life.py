"""Benchmark: a project's life record is cheap next to the register (issue 20). In-process, medians.

    python bench/bench_life.py [--repeat 5]

1. Checking evidence by content: a 30 MB JPEG (the largest accepted) and a 30 MB PDF.
2. Recording 1000 events (verdicts) into a register holding the five sample February plans.
3. ``start_verdicts`` over those events, and the 开工认定 decisions of 魏都区 (190 projects).

CPU time of the process beside wall time (a shared machine inflates wall time). Not a test: numbers go in
docs/life.md, never in assertions.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(fn, repeat: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    from PIL import Image

    from generator.life import Life, evidence, start_verdicts
    from generator.life.start import decisions
    from generator.policy import load_policy
    from generator.register import Register, db

    buf = io.BytesIO()
    Image.new("RGB", (64, 48)).save(buf, "JPEG")
    j = buf.getvalue()
    big_jpeg = j[:-2] + b"\x00" * (evidence.MAX_BYTES - len(j)) + b"\xff\xd9"
    big_pdf = b"%PDF-1.4\n" + b"0" * (evidence.MAX_BYTES - 20) + b"\n%%EOF\n"
    for name, data in (("30 MB JPEG", big_jpeg), ("30 MB PDF", big_pdf)):
        w, c = timed(lambda data=data: evidence.check(data, "x"), a.repeat)
        print(f"evidence.check {name}: {w:.3f} s wall, {c:.3f} s CPU")

    lp = load_policy("xuchang/2023")
    with tempfile.TemporaryDirectory() as tmp:
        reg = Register(Path(tmp) / "r.db")
        for f in sorted((ROOT / "data" / "year-2023").glob("2023-02-24-*.xlsx")):
            reg.add(f, received=dt.date(2023, 2, 24), by="bench", policy=lp)
        with db.opened(reg.path) as conn:
            pids = [r[0] for r in conn.execute("SELECT project FROM projects WHERE project IS NOT NULL")]
        life = Life(reg.path)
        w0, c0 = time.perf_counter(), time.process_time()
        for i in range(1000):
            life.record("verify", project=pids[i % len(pids)], day=dt.date(2023, 5, 1) + dt.timedelta(days=i % 60),
                        by="bench", policy=lp, fields={"criterion": i % 5 + 1, "verdict": "符合", "inspector": "甲"})
        print(f"1000 verdicts recorded: {time.perf_counter() - w0:.2f} s wall, {time.process_time() - c0:.2f} s CPU")
        w, c = timed(lambda: start_verdicts(reg, dt.date(2023, 6, 30)), a.repeat)
        print(f"start_verdicts over 1000 verdicts: {w:.3f} s wall, {c:.3f} s CPU")
        with db.opened(reg.path) as conn:
            w, c = timed(lambda: decisions(conn, lp, "魏都区", dt.date(2023, 6, 30)), a.repeat)
        print(f"decisions 魏都区 (190 projects): {w:.3f} s wall, {c:.3f} s CPU")


if __name__ == "__main__":
    main()
