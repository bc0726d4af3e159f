"""A draft of ``gaizao policy draft`` and what it leaves to confirm (P164): its label 草稿 (every value still to
be compared with the source) and each open question of its questions.yaml, at its line."""
from __future__ import annotations

from collections.abc import Iterator

from generator.findings import Finding
from generator.policy.checks.base import Ctx


def check_draft_confirmation(c: Ctx) -> Iterator[Finding]:
    from generator.policy.draft.confirm import open_questions
    yield from open_questions(c.lp)
