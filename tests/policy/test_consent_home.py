"""Consent has one home (generator/policy/consent.py): the boundary and the inclusivity are judged there only.

Expected values come from the notice: 附件 第1条 "80%以上居民同意" — "以上" includes 80 % itself."""
import re
from pathlib import Path

import pytest

from generator.policy import consent as consent_rule
from generator.policy import load_policy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def rule2023():
    return load_policy("xuchang/2023").policy.consent


def test_the_2023_rule_reads_as_the_notice(rule2023):
    assert rule2023.threshold == 0.8 and rule2023.inclusive is True
    assert consent_rule.requirement(rule2023) == "80%以上"


@pytest.mark.parametrize("share,inclusive,expected", [
    (0.8, True, True),            # exactly 80 % meets "80%以上"
    (0.8000000000000002, True, True),
    (0.7999, True, False),
    (0.8, False, False),          # an exclusive rule: exactly 80 % fails
    (0.8001, False, True),
    (None, True, None),
])
def test_boundary(rule2023, share, inclusive, expected):
    rule = rule2023.model_copy(update={"inclusive": inclusive})
    assert consent_rule.meets(share, rule) is expected


@pytest.mark.parametrize("agreeing,asked,inclusive,expected", [
    (4, 5, True, True), (4, 5, False, False), (796, 1000, True, False), (801, 1000, False, True)])
def test_counts_are_exact(rule2023, agreeing, asked, inclusive, expected):
    """79.6 % is never rounded up to 80 %: the share is a fraction of households."""
    rule = rule2023.model_copy(update={"inclusive": inclusive})
    assert consent_rule.meets_counts(agreeing, asked, rule) is expected


def test_exclusive_wording(rule2023):
    rule = rule2023.model_copy(update={"inclusive": False})
    assert consent_rule.requirement(rule) == "80%（不含）以上"
    assert consent_rule.inclusivity_note(rule) == "须高于80%"


def test_no_second_home():
    """No module outside the home compares a share with ``consent.threshold`` (the checklist once did, and
    ignored ``inclusive``)."""
    # any comparison with a ``threshold`` attribute or name (c.threshold, p.consent.threshold, threshold)
    compare = re.compile(r"[<>]=?\s*[\w.]*threshold\b|\bthreshold\b[\w.]*\s*[-+]?[^=]*?[<>]=?\s*[\w.(]")
    offenders = []
    for f in (ROOT / "generator").rglob("*.py"):
        if f.name == "consent.py" or "policy/check" in f.as_posix() or "policy/inherit" in f.as_posix():
            continue          # the policy's own range check and the parent/child comparison are not a judgement of a share
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if compare.search(line) and not line.strip().startswith("#"):
                offenders.append(f"{f.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, offenders
