"""The rule registry: every check the validator makes, as a small unit with a stable code.

A rule is a function ``check(plan, lp)`` yielding ``Hit`` objects (what is wrong, where); the engine
turns each hit into the one ``Finding`` record (generator.findings), adding the rule's code, severity
and the clause it rests on, cited as ``lp.text.display(clause_id)``.

A rule that needs the date the plan is judged as of (``validate --as-of``) is registered with
``dated=True`` and is called ``check(plan, lp, as_of)``; it is skipped when no date is given.

The clause id is read from the policy record the rule enforces (``clause=lambda p: p.consent.clause``),
never typed here, so a policy that moves or drops a provision moves or disables its rules: a rule whose
clause function gives None (the policy lacks that record) is not run. ``clause=COLUMN`` means "the clause
of the column the hit is at", as the workbook contract (generator.ledger.contract) names it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from generator.findings import Severity
from generator.ledger.model import Cell, Row

COLUMN = "column"          # clause marker: take the clause of the cell's column from the contract

# scope "plan": run once over the whole file; "county": once per county of the file (a city-wide
# workbook with a 县（市、区） column holds several counties, each with its own targets and quotas)
SCOPES = ("plan", "county")


@dataclass
class Hit:
    """One thing a rule found; the engine completes it into a Finding."""

    message: str
    message_en: str
    cell: Cell | None = None           # where (sheet/row/column come from the cell) ...
    row: Row | None = None             # ... and the project (项目编号) and county from the row
    sheet: str | None = None           # for hits not at a cell (counts, sums)
    column: str | None = None
    value: Any = None
    expected: Any = None
    clause: str | None = None          # overrides the rule's clause (e.g. the clause of one milestone)
    extra: dict = field(default_factory=dict)


def count_hit(found: int, expected: int, unit: str, zh: str, en: str, **where) -> Hit | None:
    """A count or sum against what the policy requires, with the difference spelt out; None when equal.

    ``zh``/``en`` describe the finding and end where the difference is appended, e.g.
    zh="魏都区项目清单有{found}个项目，目标任务为{expected}个" gives "…（少2个）".
    """
    if found == expected:
        return None
    d = found - expected
    return Hit(f"{zh.format(found=found, expected=expected)}（{'多' if d > 0 else '少'}{abs(d)}{unit}）",
               f"{en.format(found=found, expected=expected)} ({d:+d})", value=found, expected=expected,
               extra={"delta": d}, **where)


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    title: str                          # 中文 short title (docs, --list)
    title_en: str
    clause: Callable | str              # policy -> clause id (None: the policy lacks it), or COLUMN
    check: Callable[..., Iterable[Hit]]
    scope: str = "plan"
    needs: tuple[str, ...] = ()         # sheets the rule reads beyond 项目清单 (a .csv plan has no others)
    dated: bool = False                 # check(plan, lp, as_of): runs only when an as-of date is given

    def clause_id(self, policy) -> str | None:
        if isinstance(self.clause, str):              # COLUMN, the only string a rule's clause can be
            return self.clause
        try:
            return self.clause(policy)
        except (AttributeError, IndexError, StopIteration):   # the record is absent from this policy
            return None


RULES: dict[str, Rule] = {}


def rule(code: str, severity: Severity, title: str, title_en: str, *, clause, scope: str = "plan",
         needs: tuple[str, ...] = (), dated: bool = False):
    """Register ``check`` under ``code`` (decorator)."""
    assert scope in SCOPES, scope

    def deco(check):
        if code in RULES:
            raise ValueError(f"duplicate rule code {code}")
        RULES[code] = Rule(code, severity, title, title_en, clause, check, scope, tuple(needs), dated)
        return check
    return deco

