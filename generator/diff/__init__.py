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
    from generator.diff.clauses import diff_clauses
    from generator.diff.params import diff_params
    from generator.diff.table import build_rows

    names = county_names(old_lp, new_lp)
    changes = diff_params(old_lp.policy, new_lp.policy, old_lp.text.display, new_lp.text.display)
    clause_changes, alignment = diff_clauses(old_lp, new_lp, names)
    changes += clause_changes
    if county is not None:
        changes = [c for c in changes if _concerns(c, county)]
    diff = PolicyDiff(Side.of(old_lp), Side.of(new_lp), changes, county=county)
    diff.rows = build_rows(changes, alignment, lang, county)
    return diff


def _concerns(change: Change, county: str) -> bool:
    """A county's digest: its own parameters (target, quota, rename) and clause text naming it."""
    if change.kind == "param":
        return change.county == county or (change.op == "renamed" and county in (change.old, change.new))
    return county in change.mentions
