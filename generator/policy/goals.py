"""A target quantity as every consumer reads it: in the base unit, within the published precision, by its
comparator, and saying "未公布" (not published), 0 (a published zero) and "无目标" (no target) apart.

``Target`` (model.py) stores a quantity as printed (1.3万户, 不少于7000户); the validator, the city-wide table,
progress, the register and the county templates ask here whether a count meets it and how to print it, so
none of them reads 1.3万户 as 1.3户 or calls a 不少于 total missed by a larger sum.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from generator.policy.quantities import QUANTITY_UNITS

if TYPE_CHECKING:
    from generator.policy.model import Target

NOT_PUBLISHED = "未公布"
NO_TARGET = "无目标"
NOT_COMPARED = "未收齐，不比较"          # a sum over part of the level below is not the whole's figure


def level_partial(policy, present) -> bool:
    """The units one level down are not all in: the policy lists only some of them (counties_complete: false),
    or a unit with a target is not among ``present`` (no plan / no submission yet). A sum over them is then
    shown next to the whole's target but not compared with it."""
    return (getattr(policy, "counties_complete", None) is False
            or any(c.name not in present for c in policy.counties_with_target))


def not_compared(lang: str = "zh") -> str:
    return " (partial, not compared)" if lang == "en" else f"（{NOT_COMPARED}）"


@dataclass(frozen=True)
class Goal:
    """One quantity of one target. ``status``: published | absent (the target exists, this figure is not
    published) | none (no target at all)."""

    quantity: str
    status: str
    base: Decimal | None = None          # in 户 / ㎡ / 个 / 栋
    slack: Decimal = Decimal(0)
    comparator: str = "exactly"
    shown: str = ""                      # as printed: 1.3万户, 95.85万㎡

    @property
    def published(self) -> bool:
        return self.status == "published"

    def gap(self, found) -> Decimal | None:
        """found - target when outside what the target allows (precision, comparator), else None."""
        if not self.published or found is None or self.base is None:
            return None
        d = Decimal(str(found)) - self.base
        if (self.comparator == "不少于" and d >= -self.slack) or (self.comparator == "不超过" and d <= self.slack):
            return None
        return None if abs(d) <= self.slack else d

    def met(self, found) -> bool:
        return self.published and found is not None and self.gap(found) is None

    def text(self, lang: str = "zh") -> str:
        """不少于7000户 / 1.3万户 / 未公布 / 无目标."""
        if self.status == "none":
            return "no target" if lang == "en" else NO_TARGET
        if self.status == "absent":
            return "not published" if lang == "en" else NOT_PUBLISHED
        if self.comparator == "exactly":
            return self.shown
        return (f"{'at least' if self.comparator == '不少于' else 'at most'} {self.shown}" if lang == "en"
                else self.comparator + self.shown)

    def as_int(self) -> int | None:
        """The base value as a whole count (None unless published): what a table of counts can hold."""
        return int(self.base.to_integral_value()) if self.published and self.base is not None else None


def goal(target: Target | None, quantity: str) -> Goal:
    if quantity not in QUANTITY_UNITS:
        raise KeyError(quantity)
    if target is None:
        return Goal(quantity, "none")
    base = target.base(quantity)
    if base is None:
        return Goal(quantity, "absent")
    return Goal(quantity, "published", base, target.slack(quantity), target.comparator_of(quantity),
                target.shown(quantity))


def project_goal(policy, target: Target | None) -> Goal:
    """The target's count of projects: its 项目 figure, or — where the policy declares 项目即小区
    (``project_is_community``) — the figure it states in 小区, read as projects. Declared once, so every
    consumer (V102, progress, the city-wide table, the sample) counts the same."""
    g = goal(target, "projects")
    flag = getattr(policy, "project_is_community", None)
    if g.published or target is None or flag is None or not flag.value:
        return g
    c = goal(target, "communities")
    return Goal("projects", c.status, c.base, c.slack, c.comparator, c.shown) if c.published else g


def published(target: Target | None) -> list[str]:
    """The quantities the target publishes, in the order of QUANTITY_UNITS."""
    return [q for q in QUANTITY_UNITS if target is not None and getattr(target, q) is not None]


PHRASE_ORDER = ("projects", "communities", "buildings", "area", "households")     # as plans print them


def phrase(target: Target | None) -> str:
    """The published quantities as a county plan states them: "改造老旧小区11个，楼栋156栋，建筑面积95.85万㎡，
    涉及居民1.3万户". Only what is published; "" when nothing is."""
    if target is None:
        return ""
    parts = []
    for q in sorted(published(target), key=PHRASE_ORDER.index):
        g = goal(target, q)
        shown = g.text()
        parts.append({"projects": f"改造老旧小区{shown}",
                      "communities": f"改造小区{shown}",
                      "households": f"涉及居民{shown}",
                      "buildings": f"改造楼栋{shown}",
                      "area": f"建筑面积{shown}"}[q])
    return "，".join(parts)


# what a county workbook can total against a target: rows counted, or a column summed
WORKBOOK_TOTALS = {"projects": "项目个数", "buildings": "楼栋数合计", "households": "户数合计", "area": "建筑面积合计"}


def workbook_rule(target: Target | None) -> str:
    """The 填表说明 sentence on totals: "项目清单的项目个数与户数合计须与之相等", naming only the quantities the
    target publishes and the workbook can total, and how (相等 / 不少于 / 不超过 / 在公布精度之内). "" if none."""
    qs = [q for q in WORKBOOK_TOTALS if q in published(target)]
    if not qs:
        return ""
    names = "、".join(WORKBOOK_TOTALS[q] for q in qs[:-1]) + ("与" if len(qs) > 1 else "") + WORKBOOK_TOTALS[qs[-1]]
    gs = [goal(target, q) for q in qs]
    cmps = {g.comparator for g in gs}
    how = ("须与之相等" if cmps == {"exactly"} else "须不少于之" if cmps == {"不少于"} else
           "须不超过之" if cmps == {"不超过"} else "须符合之")
    if any(g.slack for g in gs):
        how += "（在公布精度之内）"
    return f"项目清单的{names}{how}"
