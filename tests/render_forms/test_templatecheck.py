"""gaizao templates check: syntax errors, tags split across runs, unknown fields; bundled templates clean."""
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "fixtures" / "render_forms" / "bad_templates"


def check(folder):
    result = CliRunner().invoke(main, ["templates", "check", str(folder), "--json"])
    return result.exit_code, json.loads(result.output)


@pytest.mark.slow
def test_bundled_templates_are_clean():
    code, report = check(ROOT / "templates")
    assert code == 0, report["findings"]
    assert report["subject"]["files"] >= 5


def test_finds_split_tag_unknown_fields_and_syntax_error():
    code, report = check(BAD)
    assert code == 1
    got = {(f["code"], f["file"], f["value"]) for f in report["findings"]}
    assert ("T002", "checklist/checklist.docx", "{{ p.name }}") in got         # split across two runs
    assert ("T003", "checklist/checklist.docx", "p.colour") in got             # not a project field
    assert ("T003", "checklist/checklist.html", "c.statuss") in got            # through the for loops
    assert ("T003", "checklist/checklist.html", "unknown_top") in got
    syntax = [f for f in report["findings"] if f["code"] == "T001"]
    assert [f["file"] for f in syntax] == ["acceptance/acceptance.html"]
    lines = {f["value"]: f["line"] for f in report["findings"] if f["code"] == "T003" and f["line"]}
    assert lines["c.statuss"] == 6 and lines["unknown_top"] == 7
    assert all(f["severity"] == "error" for f in report["findings"])


def test_override_with_a_broken_template_names_template_and_field(tmp_path, nasty_plan):
    override = tmp_path / "tpl" / "checklist"
    override.mkdir(parents=True)
    shutil.copy(BAD / "checklist" / "checklist.docx", override / "checklist.docx")
    result = CliRunner().invoke(main, ["render", "checklists", str(nasty_plan), "-o", str(tmp_path / "o"),
                                       "--templates", str(tmp_path / "tpl")])
    assert result.exit_code == 2
    assert "checklist/checklist.docx" in result.output and "colour" in result.output
    assert "Traceback" not in result.output
