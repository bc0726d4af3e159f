"""The CLI shell: fast start (heavy libraries load lazily), every command documented."""
import subprocess
import sys

import pytest
from click.testing import CliRunner

from generator.cli import COMMANDS, main

HEAVY = {"weasyprint", "docx", "docxtpl", "openpyxl", "python_calamine", "matplotlib", "pydantic", "yaml", "rich"}


def _heavy_loaded_by(args: list[str]) -> str:
    code = ("import sys; from generator.cli import main\n"
            f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({sorted(HEAVY)!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return out.strip().splitlines()[-1]


def test_help_imports_no_heavy_library():
    assert _heavy_loaded_by(["--help"]) == "[]"


@pytest.mark.slow
def test_subcommand_help_imports_no_heavy_library():
    for args in (["validate", "--help"], ["progress", "--help"], ["render", "--help"], ["diff", "--help"]):
        assert _heavy_loaded_by(args) == "[]", args


def test_every_command_has_help():
    for name in COMMANDS:
        res = CliRunner().invoke(main, [name, "--help"])
        if res.exit_code == 2 and "No such command" in res.output:
            continue  # a command whose module is not built yet is simply absent
        assert res.exit_code == 0, (name, res.output)
        assert res.output.strip()


@pytest.mark.slow
def test_a_gbk_console_gets_the_report_not_a_traceback():
    """progress prints ✓/✗, which GBK cannot encode: the console shows a replacement, the command still works."""
    import os
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    samples = sorted(str(p) for p in (root / "data").glob("sample-*.xlsx"))
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    res = subprocess.run([sys.executable, "-m", "generator", "progress", *samples, "--as-of", "2023-10-31"],
                         capture_output=True, env=env, cwd=root)
    assert res.returncode == 0, res.stderr.decode("gbk", "replace")
    assert b"Traceback" not in res.stderr
    assert "截至2023-10-31的进度" in res.stdout.decode("gbk")


@pytest.mark.slow
def test_the_console_script_ends_with_the_commands_code_and_all_its_output(tmp_path):
    """`run` (the console script) ends validate with os._exit once the output is flushed: the JSON on a pipe is
    whole, the exit code is the command's (1: the mistakes workbook has errors; 2: an unreadable file), and
    under CliRunner nothing is kept alive (keep_until_exit acts only in the console script)."""
    import json
    from pathlib import Path

    import generator.cli as cli
    root = Path(__file__).resolve().parents[1]
    plans = sorted((root / "data" / "mistakes").glob("*.xlsx")) or sorted((root / "data").glob("sample-*.xlsx"))
    args = ["validate", str(plans[0]), "--format", "json"]
    import gc
    via_runner = CliRunner().invoke(main, args)
    assert cli._KEPT == [] and gc.isenabled()       # validate turns the collector off for itself only
    proc = subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True)
    assert proc.returncode == via_runner.exit_code == 1          # the mistakes workbook has errors
    assert json.loads(proc.stdout) == json.loads(via_runner.stdout)
    bad = tmp_path / "坏文件.xlsx"
    bad.write_text("not a workbook")
    proc = subprocess.run([sys.executable, "-m", "generator", "validate", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2 and "不是有效的 Excel 工作簿" in proc.stderr and "Traceback" not in proc.stderr
