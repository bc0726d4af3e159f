"""The schema and the check codes are documented from the code itself (issue 11, item 4)."""
import re
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_schema_doc_is_current():
    from generator.policy.schemadoc import DOC, render
    assert DOC.read_text(encoding="utf-8") == render(), \
        "docs/policy-schema.md is stale: run python -m generator.policy.schemadoc"


def test_every_key_has_a_meaning_in_the_model():
    from generator.policy.schemadoc import undocumented
    assert undocumented() == [], "comment these fields in generator/policy/model.py"


def test_every_check_code_used_is_registered_and_every_registered_code_is_used():
    from generator.policy.codes import CODES
    used = set()
    for f in (ROOT / "generator").rglob("*.py"):
        if f.name != "codes.py":
            used |= set(re.findall(r"\"(P\d{3})\"", f.read_text(encoding="utf-8")))
    assert used == set(CODES)


def test_the_doc_lists_keys_units_examples_and_codes():
    text = (ROOT / "docs" / "policy-schema.md").read_text(encoding="utf-8")
    row = next(x for x in text.splitlines() if x.startswith("| `households` |"))
    assert "万户" in row and "19380" in row                  # unit and a real example with its policy
    assert "| `parent` |" in text and "henan/2022" in text
    for code in ("P002", "P105", "P222", "P241"):
        assert f"| {code} |" in text


def test_policy_schema_prints_the_doc():
    res = CliRunner().invoke(main, ["policy", "schema"])
    assert res.exit_code == 0 and res.output.startswith("# 政策文件结构")


def test_schema_messages_are_chinese_with_key_file_and_line(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("id: nowhere\nversion: '1'\nstatus: final\ntitle: x\ncounties: 3\n"
                 "document:\n  issuer: {value: 某市, clause: 一}\n  city: {value: 某市, clause: 一}\n"
                 "  plan_year: {value: 2022, clause: 一}\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["policy", "check", str(f)])
    assert res.exit_code == 1
    out = res.output
    for needle in ("p.yaml:1", "编号应为", "p.yaml:3", "只能是", "“issued”", "p.yaml:5", "应为列表"):
        assert needle in out, (needle, out)
    assert not re.search(r"Input should|Value error|must look like|validation error", out)
