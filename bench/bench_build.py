"""Benchmark: the whole `gaizao build` of a revision against the working tree, and their outputs compared (not a test).

    python bench/bench_build.py --base main~8            # 3 paired runs of each (~5 minutes on a quiet 2-core machine)
    python bench/bench_build.py --base 0b8d86f --runs 5

The base revision is exported (git archive) into a temporary folder and run from there, so it reads its own code,
policies, templates and sample data; the working tree runs as it is. Each run is a new process timed from the outside
(`python -m generator build -o TMP`: process start, imports, every step of the build, LibreOffice included), the two
alternating run by run so that load on a shared machine hits them alike; the table gives medians, every run and the
load average. After the runs every output file of the last run of each is compared, time stamps aside (the register's
recorded_at, the XLSX core properties, the step times and output folder in the step logs): the files that differ are
listed, so a change meant to keep the outputs shows it did.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import re
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from paired import ROOT, medians, paired_runs, print_machine, table_row

TIME_COLUMNS = {"recorded_at"}                 # the register's time stamps: differ run to run by design


def normalized(out: Path, tree: Path, path: Path) -> tuple[str, str | None]:
    """Digests of what a file says, time stamps and the output and source folders' own names left out, and of
    a PDF's text alone (None for other files)."""
    data = path.read_bytes()
    if path.suffix == ".txt":                  # step logs: the command line names the output and data folders
        text = data.decode("utf-8", "replace").replace(str(out), "OUT").replace(str(tree), "TREE")
        data = re.sub(r"\d+\.\d+ ?s\b", "T s", text).encode()
    elif path.suffix == ".xlsx":               # docProps/core.xml holds the time the workbook was written
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            data = b"".join(n.encode() + z.read(n) for n in sorted(z.namelist()) if n != "docProps/core.xml")
    elif path.suffix == ".db":
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            parts = []
            for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
                cols = [c[1] for c in conn.execute(f"PRAGMA table_info({table})") if c[1] not in TIME_COLUMNS]
                rows = sorted(map(repr, conn.execute(f"SELECT {', '.join(cols)} FROM {table}")))
                parts.append(repr((table, cols, rows)))
            data = "\n".join(parts).encode()
        finally:
            conn.close()
    text = None
    if path.suffix == ".pdf":
        from pypdf import PdfReader
        text = hashlib.sha256("\f".join(p.extract_text() or "" for p in PdfReader(path).pages).encode()).hexdigest()
    return hashlib.sha256(data).hexdigest(), text


def digests(out: Path, tree: Path) -> dict[str, tuple[str, str | None]]:
    return {p.relative_to(out).as_posix(): normalized(out, tree, p) for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.endswith(("-wal", "-shm"))}


def export(rev: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", required=True, help="git revision to compare the working tree with (e.g. main~8)")
    ap.add_argument("--runs", type=int, default=3, help="paired runs of each (medians)")
    args = ap.parse_args()
    last: dict[str, dict] = {}
    trees: dict[str, Path] = {"after": ROOT}

    def check(name: str, out: Path) -> None:
        last[name] = digests(out, trees[name])

    with tempfile.TemporaryDirectory(prefix="gaizao-bench-build-") as tmp:
        base = trees["before"] = export(args.base, Path(tmp) / "base")
        build = [sys.executable, "-m", "generator", "build", "-o"]
        variants = {
            "before": lambda out: (build + [str(out)], {"PYTHONPATH": str(base)}, base),
            "after": lambda out: (build + [str(out)], {"PYTHONPATH": str(ROOT)}, ROOT),
        }
        times, loads = paired_runs(args.runs, variants, prefix="gaizao-bench-build-out-", check=check)
    med = medians(times)
    print_machine(loads)
    print("| whole `gaizao build` (xuchang/2023, sample data) | median (s) | runs (s) |")
    print("|---|---:|---|")
    print(table_row(f"before: {args.base}", times["before"]))
    print(table_row("after: the working tree", times["after"]))
    print(f"\nratio after / before (medians): {med['after'] / med['before']:.2f}")
    before, after = last["before"], last["after"]
    differ = sorted(k for k in before.keys() & after.keys() if before[k] != after[k])
    print(f"\noutputs: {len(before)} files before, {len(after)} after; only before: {sorted(before.keys() - after.keys())}; "
          f"only after: {sorted(after.keys() - before.keys())}; differing (time stamps aside): {len(differ)}")
    for k in differ:
        same_text = before[k][1] is not None and before[k][1] == after[k][1]
        print(f"  differs: {k}" + ("  (PDF text the same on every page)" if same_text else ""))


if __name__ == "__main__":
    main()
