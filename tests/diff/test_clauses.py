"""Clause text changes: wording vs parameters, alignment when a clause moves or is renumbered."""
from __future__ import annotations

from tests.diff.conftest import POLICY_2023, edit, records


def clause_records(recs):
    return [r for r in recs if r["kind"] == "clause"]


def test_wording_change_is_a_clause_change_with_character_ops(copy2023):
    edit(copy2023 / "text.yaml", "要落实工程质量安全管理责任制", "要严格落实工程质量安全管理责任制")
    recs = records(POLICY_2023, copy2023)
    assert len(recs) == 1
    r = recs[0]
    assert (r["kind"], r["op"], r["path"], r["clause_display"]) == ("clause", "changed", "三（四）", "三（四）推进项目改造建设")
    assert [op for op in r["ops"] if op[0] != "equal"] == [["insert", "严格"]]
    assert r["explanation"] == "修改条文：增加“严格”"
    assert "要严格落实" in r["new"] and "要落实" in r["old"]


def test_wording_and_parameter_change_in_one_clause_are_reported_once_each(copy2023):
    edit(copy2023 / "policy.yaml", "households: 14666", "households: 15000")
    edit(copy2023 / "text.yaml", "总体任务：到", "总体任务：力争到")
    recs = records(POLICY_2023, copy2023)
    assert [(r["kind"], r["op"]) for r in recs] == [("param", "changed"), ("clause", "changed")]
    ops = recs[1]["ops"]
    # the wording diff is computed on the old wording filled with the NEW parameters: 14666 is not noise
    assert [op for op in ops if op[0] != "equal"] == [["insert", "力争"]]
    assert not any("14666" in t or "15000" in t for tag, t in ops if tag != "equal")


def test_clause_moved_to_another_section(copy2023):
    text = (copy2023 / "text.yaml").read_text(encoding="utf-8")
    start = text.index("        - id: 三（五）")
    end = text.index("    - id: 五\n")
    moved = text[start:end].replace("id: 三（五）", "id: 五（六）").replace("number: （五）", "number: （六）")
    text = text[:start] + text[end:]
    at = text.index("  attachment_note:")
    (copy2023 / "text.yaml").write_text(text[:at] + moved + text[at:], encoding="utf-8")
    edit(copy2023 / "policy.yaml", "clause: 三（五）", "clause: 五（六）", count=2)   # provenance follows: no change
    recs = records(POLICY_2023, copy2023)
    assert len(recs) == 1
    r = recs[0]
    assert (r["op"], r["clause"], r["old_clause"]) == ("moved", "五（六）", "三（五）")
    assert r["explanation"] == "条款由“三（五）做好工作督导验收”移至“五（六）做好工作督导验收”"
    assert r["ops"] is None                      # moved, wording unchanged


def test_section_renumbered_reports_the_section_once(copy2023):
    text = (copy2023 / "text.yaml").read_text(encoding="utf-8")
    start = text.index("    - id: 五\n")
    stop = text.index("      clauses:", start)
    text = text[:start] + "    - id: 四\n      number: 四\n      heading: 保障措施\n" + text[stop:]
    (copy2023 / "text.yaml").write_text(text.replace("id: 五（", "id: 四（"), encoding="utf-8")
    policy = (copy2023 / "policy.yaml").read_text(encoding="utf-8")
    (copy2023 / "policy.yaml").write_text(policy.replace("clause: 五（", "clause: 四（"), encoding="utf-8")
    recs = records(POLICY_2023, copy2023)
    assert len(recs) == 1                       # 五（一）…五（五） follow their section: not reported again
    r = recs[0]
    assert (r["op"], r["clause"], r["old_clause"]) == ("renumbered", "四", "五")
    assert r["explanation"] == "序号由“五”调整为“四”（更正原文序号错误）"


def test_clause_added_and_removed(copy2023):
    edit(copy2023 / "text.yaml", "        - id: 三（三）\n", "        - id: 三（新）\n")   # new id, then reword fully
    text = (copy2023 / "text.yaml").read_text(encoding="utf-8")
    start = text.index("        - id: 三（新）")
    stop = text.index("        - id: 三（四）")
    new_clause = ("        - id: 三（新）\n          number: （三）\n          heading: 建立项目储备库。\n"
                  "          text: \"各县（市、区）要建立老旧小区改造项目储备库，实行动态管理。\"\n")
    (copy2023 / "text.yaml").write_text(text[:start] + new_clause + text[stop:], encoding="utf-8")
    recs = clause_records(records(POLICY_2023, copy2023))
    assert sorted((r["op"], r["clause"]) for r in recs) == [("added", "三（新）"), ("removed", "三（三）")]
    removed = next(r for r in recs if r["op"] == "removed")
    assert removed["explanation"] == "删除条款“三（三）做好项目前期工作”" and removed["new"] is None
