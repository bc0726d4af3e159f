"""Policy version diff: parameters and clause text, down to a 新旧对照表.

    from generator.diff import diff_policies
    d = diff_policies(load_policy("xuchang/2023"), load_policy("xuchang/2024-draft"))
    d.changes      # [Change(kind="param", op="changed", path="counties[魏都区].target.households", ...)]
    d.rows         # 对照表 rows (table.Row)
    d.to_json()    # documented in docs/diff.md

params.py compares the parameters, clauses.py the wording of the clauses, table.py lays both out
as 对照表 rows; render_*.py write the terminal view, Markdown and DOCX.
"""
from __future__ import annotations

from generator.diff.model import Change, PolicyDiff, Side

__all__ = ["Change", "PolicyDiff", "Side", "diff_policies", "county_names"]


def county_names(*loaded) -> set[str]:
    return {c.name for lp in loaded for c in lp.policy.counties} | {
        c.renamed_from for lp in loaded for c in lp.policy.counties if c.renamed_from}


def diff_policies(old_lp, new_lp, *, county: str | None = None, lang: str = "zh") -> PolicyDiff:
    """Every change from ``old_lp`` to ``new_lp`` (LoadedPolicy); ``county`` keeps only that county's."""
    from generator.diff.clauses import diff_clauses, unaligned
    from generator.diff.params import diff_params
    from generator.diff.table import build_rows

    names = county_names(old_lp, new_lp)
    changes = diff_params(old_lp.policy, new_lp.policy, old_lp.text.display, new_lp.text.display)
    levels = across_levels(old_lp, new_lp)
    if levels is None:
        clause_changes, alignment = diff_clauses(old_lp, new_lp, names)
        changes += clause_changes
    else:
        changes = _shared_rules(changes, old_lp, new_lp)
        alignment = unaligned(old_lp)                           # different documents: no wording to align
    if county is not None:
        changes = [c for c in changes if _concerns(c, county)]
    diff = PolicyDiff(Side.of(old_lp), Side.of(new_lp), changes, county=county, levels=levels)
    diff.rows = build_rows(changes, alignment, lang, county, (old_lp.policy, new_lp.policy))
    return diff


def _chain(lp) -> list[str]:
    out, a = [], lp.parent
    while a is not None:
        out.append(a.policy.id)
        a = a.parent
    return out


def across_levels(old_lp, new_lp) -> dict | None:
    """How two policies of different levels relate (a city and its province), or None for two versions of one
    unit. Across levels only the rules a level passes down compare: each level has its own document, target,
    units and text."""
    o, n = old_lp.policy, new_lp.policy
    if o.unit_level == n.unit_level and o.id not in _chain(new_lp) and n.id not in _chain(old_lp):
        return None
    if o.id in _chain(new_lp):
        zh, en = f"{n.id} 的上级政策是 {o.id}", f"{o.id} is a parent of {n.id}"
    elif n.id in _chain(old_lp):
        zh, en = f"{o.id} 的上级政策是 {n.id}", f"{n.id} is a parent of {o.id}"
    else:
        zh, en = "两者层级不同，且不是上下级关系", "different levels, not parent and child"
    note = "跨层级比较：" + zh + "。只比较上级向下级提出的要求（同意率、节点、期限、开工认定标准等），各级自己的发文、目标、下级单位和正文不作比较；" \
        "每项注明严于或宽于上级。"
    note_en = ("Across levels: " + en + ". Only the rules passed down compare (consent, milestones, deadlines, start "
               "criteria ...); each level's own document, target, units and text do not. Each change says whether it "
               "is tighter or looser than the parent.")
    return {"old_level": o.unit_level, "new_level": n.unit_level, "note": note, "note_en": note_en}


def _shared_rules(changes: list[Change], old_lp, new_lp) -> list[Change]:
    """Changes of the rules a parent passes down; a child's change says whether it is tighter or looser."""
    from generator.policy.inherit import OWN_KEYS, compare

    kept = [c for c in changes if c.kind == "param" and c.path.split(".")[0].split("[")[0] not in OWN_KEYS]
    child = new_lp if old_lp.policy.id in _chain(new_lp) else old_lp if new_lp.policy.id in _chain(old_lp) else None
    if child is not None and child.parent is not None:
        verdict = {d.path: d.kind for d in compare(child)}
        for c in kept:
            kind = verdict.get(c.path)
            if kind in ("tightened", "loosened"):
                word = "严于上级" if kind == "tightened" else "宽于上级"
                c.explanation += f"；{word}"
                c.explanation_en += f"; {'tighter' if kind == 'tightened' else 'looser'} than the parent"
    return kept


def _concerns(change: Change, county: str) -> bool:
    """A county's digest: its own parameters (target, quota, rename) and clause text naming it."""
    if change.kind == "param":
        return change.county == county or (change.op == "renamed" and county in (change.old, change.new))
    return county in change.mentions
