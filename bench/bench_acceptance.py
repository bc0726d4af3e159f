"""Benchmark: 检查验收表 to PDF through LibreOffice, the whole command against the obvious way (not a test).

    python bench/bench_acceptance.py             # 3 paired runs (~3-5 minutes on a quiet 2-core machine)
    python bench/bench_acceptance.py --runs 5 --round year-end

Each run is a new process timed from the outside (process start, imports, reading the five sample workbooks,
filling the 10 forms — 自查自评表 and 市级检查验收表 per county — and printing them with LibreOffice):
  gaizao         `gaizao render acceptance xuchang/2023 --round R --all --plan data/sample-*.xlsx -o TMP`: one
                 soffice process prints one batch (office_pdf.PROCESSES); the forms whose last rows opened
                 a page are filled again with repeated headings and printed in a second batch
  gaizao-2proc   the same command with GAIZAO_SOFFICE_PROCESSES=2: the batch shared by two soffice processes
  naive          `python bench/bench_acceptance.py --naive-job TMP`: the same command with --no-pdf, then one
                 `soffice --convert-to pdf` per DOCX, one after the other (the same number of processes as
                 gaizao). It prints each form once, so it does less than gaizao (no choice of the filling with
                 repeated headings)
The three alternate run by run (paired: load on the shared machine hits them alike); the table gives medians,
every run and the load average. The PDFs are counted after each run (10 for each variant).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from paired import ROOT, gaizao_argv, medians, paired_runs, print_machine, table_row

PLANS = sorted((ROOT / "data").glob("sample-*.xlsx"))
PROCESSES = 1                      # naive: soffice processes at a time, as many as gaizao uses


def gaizao_cmd(round_id: str, out: Path, *extra: str) -> list[str]:
    plans = [a for p in PLANS for a in ("--plan", str(p))]
    return gaizao_argv() + ["render", "acceptance", "xuchang/2023", "--round", round_id, "--all", *plans, "-o", str(out),
                   *extra]


def naive_job(out: str, round_id: str) -> None:
    """gaizao's DOCX, then one soffice start per DOCX, PROCESSES at a time, each with its own profile."""
    out = Path(out)
    subprocess.run(gaizao_cmd(round_id, out, "--no-pdf"), check=True, capture_output=True, cwd=ROOT)
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    env = dict(os.environ, FONTCONFIG_FILE=str(ROOT / "fonts" / "fonts.conf"))
    docs = sorted(out.rglob("*.docx"))

    def convert(doc: Path) -> None:
        with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
            subprocess.run([exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                            "--convert-to", "pdf", "--outdir", str(doc.parent), str(doc)],
                           check=True, capture_output=True, env=env)
    with ThreadPoolExecutor(PROCESSES) as pool:
        list(pool.map(convert, docs))


def whole_command(runs: int, round_id: str) -> None:
    variants = {
        "gaizao": lambda out: (gaizao_cmd(round_id, out), {}),
        "gaizao-2proc": lambda out: (gaizao_cmd(round_id, out), {"GAIZAO_SOFFICE_PROCESSES": "2"}),
        "naive": lambda out: ([sys.executable, str(Path(__file__).resolve()), "--naive-job", str(out),
                               "--round", round_id], {}),
    }

    def every_form_printed(name: str, out: Path) -> None:
        n_pdf = len(list(out.rglob("*.pdf")))
        assert n_pdf == 2 * len(PLANS), (name, n_pdf)
    times, loads = paired_runs(runs, variants, prefix="gaizao-bench-acc-", check=every_form_printed)
    med = medians(times)
    print_machine(loads)
    print(f"| whole command, {2 * len(PLANS)} acceptance forms ({round_id}), DOCX + PDF | median (s) | runs (s) |")
    print("|---|---:|---|")
    labels = {"gaizao": "`gaizao render acceptance … --all --plan data/sample-*.xlsx` (one soffice process)",
              "gaizao-2proc": "the same, GAIZAO_SOFFICE_PROCESSES=2",
              "naive": "naive: same DOCX (`--no-pdf`), then one `soffice --convert-to pdf` per DOCX, one at a time"}
    for name, label in labels.items():
        print(table_row(label, times[name]))
    print(f"\nratio naive / gaizao (medians): {med['naive'] / med['gaizao']:.2f}×; "
          f"2 processes / 1 process: {med['gaizao-2proc'] / med['gaizao']:.2f}×")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="paired runs of the whole command (medians)")
    ap.add_argument("--round", default="mid-year", help="inspection round id (mid-year, year-end)")
    ap.add_argument("--naive-job", metavar="OUT", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.naive_job:
        naive_job(args.naive_job, args.round)
    else:
        whole_command(args.runs, args.round)


if __name__ == "__main__":
    main()
