"""ruff and mypy over the whole tree, configured in pyproject.toml: 0 findings (issue 24, item 6).

Both tools are in the `test` extra; a machine without them skips with the reason instead of passing in silence.
mypy takes ~50 s on a cold cache (later runs use .mypy_cache), so the mypy test is marked slow.
"""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> list[str]:
    """The tool as a module of this interpreter (the one pytest runs), else the one on PATH."""
    probe = subprocess.run([sys.executable, "-m", name, "--version"], capture_output=True, text=True, cwd=ROOT)
    if probe.returncode == 0:
        return [sys.executable, "-m", name]
    exe = shutil.which(name)
    if exe is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return [exe]


def test_ruff_finds_nothing():
    # the benchmarks and scripts too: what a maintainer runs is code to keep
    res = subprocess.run([*_tool("ruff"), "check", "--output-format", "concise", "generator", "tests", "bench",
                          "scripts"], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, f"ruff findings:\n{res.stdout}{res.stderr}"


@pytest.mark.slow
def test_mypy_finds_nothing():
    res = subprocess.run([*_tool("mypy"), "generator"], capture_output=True, text=True, cwd=ROOT)
    errors = [ln for ln in res.stdout.splitlines() if ": error:" in ln]
    assert res.returncode == 0 and not errors, f"mypy findings:\n{res.stdout}{res.stderr}"
