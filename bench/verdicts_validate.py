"""Guard for speed work on `gaizao validate`: the verdicts must not move.

    python bench/verdicts_validate.py save OUT_DIR [--workbook BENCH.xlsx]    # before a change (e.g. on main)
    python bench/verdicts_validate.py check OUT_DIR [--workbook BENCH.xlsx]   # after: every output identical

Files of the tree are given relative to it, so the script copied into another checkout (main) saves a
reference that this one can check against.

Runs `validate --format json` in one process (click's CliRunner) over every workbook and plan in data/ and
tests/fixtures/, the hostile corpus (scripts/make_hostile_fixtures.py, made into OUT_DIR/hostile), the five
sample workbooks together (city-wide), and the benchmark workbook of bench_validate.py (--keep) when given;
each default (zh, today) and with `--as-of 2023-02-20 --lang en`. Saves (save) or compares (check) stdout and
exit code of each run; `check` lists every run whose output differs and exits 1 if any does.
"""
from __future__ import annotations

import argparse
import difflib
import hashlib
import importlib.util
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLAN_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv", ".yaml", ".json"}
VARIANTS = {"default": [], "asof-en": ["--as-of", "2023-02-20", "--lang", "en"]}


def _inputs(out: Path, workbook: str | None) -> dict[str, list[str]]:
    runs: dict[str, list[str]] = {}
    files = sorted(p for d in ("data", "tests/fixtures/ledger", "tests/fixtures/validate", "tests/fixtures/stress")
                   for p in (ROOT / d).rglob("*") if p.suffix.lower() in PLAN_SUFFIXES and ".planted" not in p.name)
    for p in files:                  # relative to the tree: outputs of two checkouts compare
        runs[str(p.relative_to(ROOT))] = [str(p.relative_to(ROOT))]
    hostile = out / "hostile"
    if not hostile.exists():
        spec = importlib.util.spec_from_file_location("mk", ROOT / "scripts" / "make_hostile_fixtures.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        hostile.mkdir(parents=True)
        for name, make in mod.CASES.items():
            make(hostile / name)
    for p in sorted(hostile.rglob("*")):
        if p.is_file():
            runs["hostile/" + str(p.relative_to(hostile))] = [str(p)]
    samples = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "data").glob("sample-*.xlsx"))
    runs["data/sample-*.xlsx together"] = samples
    runs["data/sample-魏都区.xlsx twice"] = [samples[-1], samples[-1]]
    if workbook:
        runs["bench workbook"] = [workbook]
    return runs


def _run_all(out: Path, workbook: str | None) -> dict[str, str]:
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    from click.testing import CliRunner

    from generator.cli import main
    runner = CliRunner()
    results = {}
    for name, paths in _inputs(out, workbook).items():
        for variant, extra in VARIANTS.items():
            r = runner.invoke(main, ["validate", *paths, "--format", "json", *extra])
            text = r.output
            if r.exception is not None and not isinstance(r.exception, SystemExit):
                text += f"\nEXCEPTION {type(r.exception).__name__}: {r.exception}"
            results[f"{name} [{variant}]"] = f"exit {r.exit_code}\n{text}"
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["save", "check"])
    ap.add_argument("out", type=Path)
    ap.add_argument("--workbook")
    args = ap.parse_args()
    args.out = args.out.resolve()
    if args.workbook:
        args.workbook = str(Path(args.workbook).resolve())
    args.out.mkdir(parents=True, exist_ok=True)
    results = _run_all(args.out, args.workbook)
    saved = args.out / "verdicts.json"
    if args.mode == "save":
        saved.write_text(json.dumps(results, ensure_ascii=False, indent=0), encoding="utf-8")
        print(f"saved {len(results)} runs to {saved}")
        return
    before = json.loads(saved.read_text(encoding="utf-8"))
    bad = 0
    for key in sorted(set(before) | set(results)):
        a, b = before.get(key), results.get(key)
        if a != b:
            bad += 1
            print(f"DIFFERS: {key}")
            if a is not None and b is not None:
                diff = list(difflib.unified_diff(a.splitlines(), b.splitlines(), "before", "after", lineterm="", n=1))
                print("\n".join(diff[:40]))
    digest = hashlib.sha256(json.dumps(results, sort_keys=True).encode()).hexdigest()[:12]
    print(f"{len(results)} runs, {bad} differ (outputs sha256 {digest})")
    raise SystemExit(1 if bad else 0)


if __name__ == "__main__":
    main()
