"""``gaizao policy check``: every finding about a policy, errors and warnings, never only the first.

Each check is a small function ``(Ctx) -> findings`` in its family's module of ``generator/policy/checks/``
(targets, dates, text, document, inheritance, draft, copies), listed in ``checks.CHECKS``; this module runs them.
Codes and their meanings: ``generator/policy/codes.py`` (listed in docs/policy-schema.md, generated).
"""
from __future__ import annotations

from generator.findings import Report
from generator.policy.checks import CHECKS, Ctx
from generator.policy.loader import LoadedPolicy

NO_SOURCE_TEXT = "无正文：引文未核对（没有原文 text.yaml，或其中没有正文；只核对了每个值是否在其引文中）"
NO_SOURCE_TEXT_EN = "no source text: quotes not verified (no text.yaml; only each value against its own quote)"

__all__ = ["CHECKS", "NO_SOURCE_TEXT", "NO_SOURCE_TEXT_EN", "check_policy"]


def check_policy(lp: LoadedPolicy) -> Report:
    """Run every check; a check that fails unexpectedly does not stop the others."""
    report = Report(subject={"policy": lp.policy.id, "version": lp.policy.version, "hash": lp.content_hash,
                             "origin": lp.origin})
    if not lp.text.clauses:     # quotes could not be compared with a source text: said with every report
        report.subject["source_text"] = NO_SOURCE_TEXT
    c = Ctx(lp)
    for check in CHECKS:
        report.extend(check(c))
    return report
