"""What a policy diff is made of: ``Change`` records and the ``PolicyDiff`` that holds them.

Two kinds of change:

- ``param``: a parameter of policy.yaml was added, removed, changed, or (a county) renamed;
- ``clause``: the wording of a clause of text.yaml was added, removed, changed, moved or renumbered.

A parameter change is reported once, as a parameter change, even though it also changes the
rendered text of its clause; a ``clause`` change means the *wording* changed (see clauses.py).

The JSON form (``PolicyDiff.to_dict``) is documented in docs/diff.md; keep its field order stable.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from generator.findings import jsonable

# Order of the fields of one change in JSON. Documented in docs/diff.md; keep stable.
CHANGE_FIELDS = ("kind", "op", "path", "subject", "clause", "clause_display", "old_clause", "old_clause_display",
                 "county", "old", "new", "unit", "delta", "delta_pct", "days", "ops", "explanation")


@dataclass
class Change:
    kind: str                         # "param" | "clause"
    op: str                           # added | removed | changed | renamed | moved | renumbered
    path: str                         # counties[魏都区].target.households ; for clauses the clause id
    subject: str                      # what changed, as a person says it: 魏都区户数
    explanation: str                  # 修改说明 (Chinese)
    explanation_en: str = ""
    subject_en: str = ""
    clause: str | None = None         # clause id in the new version (the old one when removed)
    clause_display: str | None = None  # 二、目标任务
    old_clause: str | None = None     # for moved / renumbered clauses
    old_clause_display: str | None = None
    county: str | None = None         # the county the change belongs to, if any
    old: Any = None
    new: Any = None
    unit: str | None = None           # 户, 个, share, date ...
    delta: float | int | None = None  # new - old for numbers (percentage points x100 for shares)
    delta_pct: float | None = None    # relative change in % (numbers other than shares)
    days: int | None = None           # new - old in days, for dates
    ops: list[tuple[str, str]] | None = None   # character diff: ("equal"|"delete"|"insert", text)
    mentions: tuple[str, ...] = ()    # county names in the clause text (for --county)
    shown: dict | None = None         # {"zh"|"en": text} how an added/removed record prints (对照表)

    def to_dict(self, lang: str = "zh") -> dict:
        en = lang == "en"
        d = {name: getattr(self, name) for name in CHANGE_FIELDS}
        d["explanation"] = (self.explanation_en or self.explanation) if en else self.explanation
        d["subject"] = (self.subject_en or self.subject) if en else self.subject
        d["ops"] = [list(op) for op in self.ops] if self.ops is not None else None
        return {k: jsonable(v) for k, v in d.items()}

    def text(self, lang: str = "zh") -> str:
        return (self.explanation_en or self.explanation) if lang == "en" else self.explanation


@dataclass
class Side:
    """One of the two compared versions, as the diff header shows it."""

    ref: str
    id: str
    version: str
    status: str
    label: str | None
    title: str
    origin: str
    hash: str
    doc_number: str = ""          # 发文字号, for the 对照表's readable header
    year: int | None = None

    @classmethod
    def of(cls, lp) -> "Side":
        p = lp.policy
        number = p.document.doc_number.value if p.document.doc_number is not None else ""
        return cls(lp.ref, p.id, p.version, p.status, p.label, p.title, lp.origin, lp.content_hash,
                   doc_number=str(number or ""), year=p.year)


@dataclass
class PolicyDiff:
    old: Side
    new: Side
    changes: list[Change] = field(default_factory=list)
    county: str | None = None         # set when filtered with --county
    rows: list = field(default_factory=list)   # 对照表 rows (table.Row), built by table.build_rows
    levels: dict | None = None        # set when the two are of different levels (a province and a city)

    @property
    def identical(self) -> bool:
        return not self.changes

    def exit_code(self) -> int:
        """As diff(1): 0 identical, 1 different (2, an error, is raised elsewhere)."""
        return 0 if self.identical else 1

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    def summary(self, lang: str = "zh") -> str:
        p, t = self.count("param"), self.count("clause")
        if lang == "en":
            return "no changes" if self.identical else f"{p} parameter change(s), {t} clause wording change(s)"
        return "无变化" if self.identical else f"参数变化 {p} 项，条文文字变化 {t} 项"

    def to_dict(self, lang: str = "zh") -> dict:
        return {
            "tool": "gaizao",
            "format": 1,
            "kind": "policy-diff",
            "old": jsonable(vars(self.old)),
            "new": jsonable(vars(self.new)),
            "county": self.county,
            **({"levels": self.levels} if self.levels else {}),
            "identical": self.identical,
            "summary": {"params": self.count("param"), "clauses": self.count("clause"),
                        "total": len(self.changes)},
            "changes": [c.to_dict(lang) for c in self.changes],
        }

    def to_json(self, lang: str = "zh") -> str:
        return json.dumps(self.to_dict(lang), ensure_ascii=False, indent=2) + "\n"
