"""The CLI shell: fast start (heavy libraries load lazily), every command documented."""
import subprocess
import sys

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
