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
    # one row for the city, its whole record old beside new (issue 23.7), each side in its own unit
    assert row.old_text == "全市：项目数11个，户数1.3万户，楼栋数156栋，建筑面积95.85万㎡"
    assert row.new_text == "全市：项目数11个，户数13029户，楼栋数156栋，建筑面积95.85万㎡"     # not "1.3户"


def test_a_newly_published_minimum_keeps_its_comparator(tmp_path):
    """不少于 prints wherever the figure prints: the 新公布 / 不再公布 rows too, not a bare 160栋."""
    text = (ROOT / "policies" / "mudanjiang" / "2022" / "policy.yaml").read_text(encoding="utf-8")
    old = text.replace("  buildings: 156\n", "", 1)
    new = text.replace("  buildings: 156\n", "  buildings: 160\n  comparator: {buildings: 不少于}\n", 1)
    for name, body in (("old", old), ("new", new)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "policy.yaml").write_text(body.replace("status: issued", "status: draft"), encoding="utf-8")
    d = diff_policies(load_policy(tmp_path / "old"), load_policy(tmp_path / "new"))
    (row,) = [r for r in d.rows if "楼栋" in r.new_text]
    assert row.new_text == "全市：项目数11个，户数1.3万户，楼栋数不少于160栋，建筑面积95.85万㎡"
    assert row.old_text == "全市：项目数11个，户数1.3万户，建筑面积95.85万㎡"
    (change,) = [c for c in d.changes if c.path == "city_target.buildings"]
    assert "新公布：不少于160栋" in change.explanation
    assert "at least 160" in change.explanation_en
    back = diff_policies(load_policy(tmp_path / "new"), load_policy(tmp_path / "old"))
    (change,) = [c for c in back.changes if c.path == "city_target.buildings"]
    assert "原为不少于160栋" in change.explanation
