"""Every command that reads a file, over every case of the hostile corpus (tests/fixtures/hostile/manifest.yaml).

For each (case, command): the documented exit code (2 unreadable/refused, 1 findings, 0 fine) and
never 1 from a crash; no traceback in the output; no file written anywhere but the -o folder; the
input byte-identical afterwards; whatever was written opens (python-docx, openpyxl, pypdf, json).
Runs in-process with click's CliRunner (a crash shows as ``result.exception``), from an empty
working folder so a stray write is seen.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main

MANIFEST = Path(__file__).resolve().parents[1] / "fixtures" / "hostile" / "manifest.yaml"
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample-魏都区.xlsx"       # "{sample}" in args
CASES = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))["cases"]

ACCEPTANCE = ["render", "acceptance", "xuchang/2023", "--round", "mid-year", "--all", "--no-pdf", "-o", "{out}"]
COMMANDS = {
    "validate": ["validate", "{file}", "--format", "json"],
    "annotate": ["validate", "{file}", "--annotate", "{out}/marked.xlsx"],
    "progress": ["progress", "{file}", "--as-of", "2023-10-31"],
    "checklists": ["render", "checklists", "{file}", "-o", "{out}"],
    "acceptance": [*ACCEPTANCE, "--plan", "{file}"],
    "policy-check": ["policy", "check", "{file}"],
    "policy-show": ["policy", "show", "{file}"],
    "diff": ["diff", "xuchang/2023", "{file}"],
    "templates-check": ["templates", "check", "{file}"],
    "scores": [*ACCEPTANCE, "--scores", "{file}", "--weights", "mid-year=0.4,year-end=0.6"],
}
GROUPS = {
    "plan": ["validate", "annotate", "progress", "checklists", "acceptance"],
    "policy": ["policy-check", "policy-show", "diff"],
    "templates": ["templates-check"],
    "scores": ["scores"],
}


def _runs():
    for case in CASES:
        if "args" in case:
            yield pytest.param(case, "args", id=f"{case['file']}-{case.get('name', 'args')}")
            continue
        names = case["commands"]
        for name in (GROUPS[names] if isinstance(names, str) else names):
            yield pytest.param(case, name, id=f"{case['file']}-{name}")


def _expected_exit(case, name) -> int:
    e = case["exit"]
    return e if isinstance(e, int) else e.get(name, e.get("default"))


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir")
            for p in sorted(folder.rglob("*"))}


def _opens(path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        import docx
        docx.Document(str(path))
    elif suffix == ".xlsx":
        from openpyxl import load_workbook
        load_workbook(path).close()
    elif suffix == ".pdf":
        from pypdf import PdfReader
        assert len(PdfReader(str(path)).pages) >= 1
    elif suffix == ".json":
        json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case,name", list(_runs()))
def test_command_over_hostile_input(case, name, hostile_dir, tmp_path, monkeypatch):
    src = hostile_dir / case["file"]
    assert src.exists(), f"{case['file']}: not made by scripts/make_hostile_fixtures.py nor committed"
    work, out = tmp_path / "work", tmp_path / "out"
    work.mkdir()
    target = work / src.name
    (shutil.copytree if src.is_dir() else shutil.copy)(src, target)
    before = _snapshot(work)
    args = [a.replace("{file}", str(target)).replace("{out}", str(out)).replace("{sample}", str(SAMPLE))
            for a in (case["args"] if name == "args" else COMMANDS[name])]
    monkeypatch.chdir(work)

    result = CliRunner().invoke(main, args)

    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{name} crashed: {result.exception!r}\n{output[-2000:]}")
    assert "Traceback" not in output
    assert result.exit_code == _expected_exit(case, name), output[-2000:]
    assert _snapshot(work) == before, "the input changed, or a file was written outside -o"
    says = case.get("says") or (case.get("says_validate") if name == "validate" else None)
    if says:
        assert str(says) in output, output[-2000:]
    if name == "validate" and case.get("finding"):
        codes = {f["code"] for f in json.loads(result.stdout)["findings"]}    # notes go to stderr
        wanted = case["finding"] if isinstance(case["finding"], list) else [case["finding"]]
        assert set(wanted) <= codes, codes
    if out.exists():
        for p in out.rglob("*"):
            if p.is_file():
                _opens(p)
    if case.get("outputs"):                        # files on disk by kind: what the command says it wrote
        got = {}
        for p in out.rglob("*"):
            if p.is_file():
                got[p.suffix.lower()] = got.get(p.suffix.lower(), 0) + 1
        assert got == case["outputs"], got
