"""`gaizao policy check`: the bundled 2023 policy, and one fixture per kind of policy error.

Each fixture in tests/fixtures/policy/cases/ edits a copy of the 2023 policy the way a person would
(text replacements) and lists the findings expected, with the line where each must point.
"""
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "policy" / "cases"


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_bundled_policy_reports_exactly_the_three_errata():
    res = run("policy", "check", "xuchang/2023", "--json")
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    codes = sorted((f["code"], f["severity"]) for f in report["findings"])
    # P130: 2022年3月15日 lies before the issue date; P140: section 四 is missing; P141: 《按照…考核办法》 in 三（五）;
    # P190: weights absent (info)
    assert codes == [("P130", "warning"), ("P140", "warning"), ("P141", "warning"), ("P190", "info")]
    p130 = next(f for f in report["findings"] if f["code"] == "P130")
    assert "2022年3月15日" in p130["message"] and "2023年3月15日" in p130["message"]
    assert p130["clause"].startswith("三（二）") and p130["file"].endswith("policy.yaml") and p130["line"]
    p140 = next(f for f in report["findings"] if f["code"] == "P140")
    assert "四" in p140["message"] and p140["clause"] == "五、保障措施" and p140["file"].endswith("text.yaml")
    p141 = next(f for f in report["findings"] if f["code"] == "P141")
    assert "《按照2023年许昌市重点民生实事考核办法》" in p141["message"] and "已记录勘误" in p141["message"]
    assert p141["clause"].startswith("三（五）") and p141["file"].endswith("text.yaml")


def test_strict_fails_on_the_errata_warnings():
    assert run("policy", "check", "xuchang/2023", "--strict").exit_code == 1


def test_english_messages():
    res = run("policy", "check", "xuchang/2023", "--lang", "en", "--json")
    msgs = [f["message"] for f in json.loads(res.output)["findings"]]
    assert any("before the issue date" in m for m in msgs)


def _apply(case: dict, folder: Path) -> None:
    for e in case["edits"]:
        p = folder / e["file"]
        text = p.read_text(encoding="utf-8")
        assert e["replace"] in text, f"fixture edit does not apply: {e['replace']!r}"
        p.write_text(text.replace(e["replace"], e["with"], 1), encoding="utf-8")


def _line_of(folder: Path, file: str, needle: str) -> int:
    lines = (folder / file).read_text(encoding="utf-8").split("\n")
    hits = [i + 1 for i, line in enumerate(lines) if line.startswith(needle)] or \
        [i + 1 for i, line in enumerate(lines) if needle.strip() in line]
    assert hits, f"{needle!r} not in {file}"
    return hits[0]


@pytest.mark.slow
@pytest.mark.parametrize("case_file", sorted(CASES.glob("*.yaml")), ids=lambda p: p.stem)
def test_error_fixture(case_file, policy_copy):
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    _apply(case, policy_copy)
    res = CliRunner().invoke(main, ["policy", "check", str(policy_copy), "--json"])
    assert res.exit_code == case["exit"], res.output
    if case["exit"] == 2:
        for s in case["stderr_contains"]:
            assert s in res.output
        assert "Traceback" not in res.output
        return
    findings = json.loads(res.output)["findings"]
    for exp in case["expect"]:
        hits = [f for f in findings if f["code"] == exp["code"]]
        if exp.get("absent"):
            assert not hits, hits
            continue
        assert hits, f"{exp['code']} not reported; got {[f['code'] for f in findings]}"
        if "at" in exp:
            line = _line_of(policy_copy, exp["file"], exp["at"])
            assert any(f["line"] == line for f in hits), (line, [(f['line'], f['message']) for f in hits])
        if "file" in exp:
            assert all(f["file"].endswith(exp["file"]) for f in hits)
        if "severity" in exp:
            assert all(f["severity"] == exp["severity"] for f in hits)
        for s in exp.get("contains", []):
            assert any(s in f["message"] for f in hits), (s, [f["message"] for f in hits])


def test_weidu_14667_message_names_county_sum_and_total(policy_copy):
    p = policy_copy / "policy.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("households: 14666,", "households: 14667,"), encoding="utf-8")
    res = run("policy", "check", str(policy_copy))
    assert res.exit_code == 1
    line = next(ln for ln in res.output.splitlines() if "19381" in ln)
    assert "魏都区14667" in line and "19380" in line


def test_policy_is_never_modified(policy_copy):
    before = {p.name: p.read_bytes() for p in policy_copy.iterdir()}
    run("policy", "check", str(policy_copy))
    run("policy", "show", str(policy_copy), "--json")
    assert before == {p.name: p.read_bytes() for p in policy_copy.iterdir()}


def test_single_file_policy(tmp_path, policy_copy):
    """A policy may be one YAML file with its text under `text:`; errors still name file and line."""
    data = (policy_copy / "policy.yaml").read_text(encoding="utf-8")
    text = (policy_copy / "text.yaml").read_text(encoding="utf-8")
    one = tmp_path / "one.yaml"
    one.write_text(data + "\ntext:\n" + "\n".join("  " + ln if ln else ln for ln in text.splitlines()) + "\n", encoding="utf-8")
    res = run("policy", "check", str(one), "--json")
    assert res.exit_code == 0, res.output
    p140 = next(f for f in json.loads(res.output)["findings"] if f["code"] == "P140")
    assert p140["file"].endswith("one.yaml") and p140["line"] > data.count("\n")
