"""Residents' consent: THE one home of the rule (三（二）/（三）, 附件 第1条: "80%以上居民同意").

Every consumer (validator V301/V302, the start-of-work checklist and acceptance forms, the county workbook's
填表说明, 开工认定 in the register, consultation records) asks this module, so the threshold, its inclusivity
("以上" includes the number itself unless the policy says otherwise) and the wording cannot drift apart.
"""
from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from generator.policy import cnfmt

if TYPE_CHECKING:
    from generator.policy.model import Consent, Policy, StartCriterion

# Shares are typed as percentages with decimals; a share within this of the threshold IS the threshold
# (0.8 typed as "80%" arrives as 0.8000000000000002 after float arithmetic).
EPSILON = 1e-9


def applies(policy: Policy | None) -> bool:
    """Whether the policy states a consent rule at all (a targets-only plan does not)."""
    return getattr(policy, "consent", None) is not None


def meets(share: float | None, consent: Consent | None) -> bool | None:
    """True when ``share`` (0-1) satisfies the policy's threshold, False when it does not, None when either is
    unknown. Exactly the threshold meets an inclusive rule ("80%以上") and fails an exclusive one."""
    if share is None or consent is None:
        return None
    if consent.inclusive:
        return share >= consent.threshold - EPSILON
    return share > consent.threshold + EPSILON


def short(share: float, consent: Consent | None) -> bool:
    """Below the threshold (the negation of :func:`meets` for a known share)."""
    return meets(share, consent) is False


def share_from_counts(agreeing: int, asked: int) -> Fraction:
    """The consent share from a consultation's counts, exact (no rounding: 79.6 % is never 80 %)."""
    if asked <= 0:
        raise ValueError("asked must be positive")
    if not 0 <= agreeing <= asked:
        raise ValueError("agreeing must be between 0 and asked")
    return Fraction(agreeing, asked)


def meets_counts(agreeing: int, asked: int, consent: Consent) -> bool:
    """The rule judged on counts, exactly: 4 of 5 households is 80 % and meets an inclusive 80 % rule."""
    threshold = Fraction(str(consent.threshold))
    share = share_from_counts(agreeing, asked)
    return share >= threshold if consent.inclusive else share > threshold


def requirement(consent: Consent) -> str:
    """How the rule reads in a message or a form: "80%以上" or "80%（不含）以上"."""
    return cnfmt.pct(consent.threshold) + ("以上" if consent.inclusive else "（不含）以上")


def requirement_en(consent: Consent) -> str:
    return ("at least " if consent.inclusive else "more than ") + cnfmt.pct(consent.threshold)


def inclusivity_note(consent: Consent) -> str:
    """The 填表说明 sentence on the boundary: "恰为80%即达标（“以上”含本数）" or "须高于80%"."""
    pc = cnfmt.pct(consent.threshold)
    return f"恰为{pc}即达标（“以上”含本数）" if consent.inclusive else f"须高于{pc}"


def criterion(policy: Policy | None) -> StartCriterion | None:
    """The start criterion that states the consent threshold (its text references ``consent``): 附件 第1条."""
    criteria = getattr(policy, "start_criteria", None)
    if criteria is None or not applies(policy):
        return None
    return next((c for c in criteria.items if "consent." in (c.text or "").replace(" ", "")), None)
