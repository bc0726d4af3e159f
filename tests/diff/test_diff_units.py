"""The 对照表 prints each side of a changed quantity in its own published unit."""
from pathlib import Path

from generator.diff import diff_policies
from generator.policy import load_policy

ROOT = Path(__file__).resolve().parents[2]


def test_a_unit_change_prints_each_side_in_its_unit(tmp_path):
    text = (ROOT / "policies" / "mudanjiang" / "2022" / "policy.yaml").read_text(encoding="utf-8")
    text = text.replace("  households: 1.3\n  units: {households: 万户}\n", "  households: 13029\n")
    (tmp_path / "policy.yaml").write_text(text.replace("status: issued", "status: draft"), encoding="utf-8")
    d = diff_policies(load_policy("mudanjiang/2022"), load_policy(tmp_path))
    (row,) = [r for r in d.rows if "户数" in r.old_text]
    assert row.old_text == "全市户数：1.3万户" and row.new_text == "全市户数：13029户"     # not "1.3户"
