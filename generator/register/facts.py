"""What the as-of status, the series and the 汇总表 need of a policy, kept in the register by content hash.

Loading a policy validates it with pydantic, which costs a command more than all the register's SQL. The
register stores, with the first submission judged against a policy, the few facts those reports read
(counties and targets, milestones with their clause as displayed, the document's name and number, its
label) under the policy's content hash; ``status``/``series`` without an explicit policy then use the facts of
the policy the submissions were judged against. The facts are derived from the policy (never typed): the
policy remains the one source, this is a cache keyed by its hash.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from types import SimpleNamespace

FORMAT = 1


def facts_of(lp) -> dict:
    from generator.ledger.writer import label_of
    from generator.policy.goals import goal
    p = lp.policy
    d = p.document
    issue = d.issue_date.value if d.issue_date else None
    return {
        "format": FORMAT, "manifest": lp.manifest(), "id": p.id, "version": p.version, "status": p.status,
        "title": p.title, "year": p.year, "label": label_of(p),
        "city": d.city.value, "doc_number": d.doc_number.value if d.doc_number else None,
        "issue_date": issue.isoformat() if isinstance(issue, dt.date) else issue,
        # counts in 个 and 户 (1.3万户 -> 13000); None: not published. "target" says a county has one at all
        "counties": [{"name": c.name, "target": c.target is not None, "projects": goal(c.target, "projects").as_int(),
                      "households": goal(c.target, "households").as_int()} for c in p.counties],
        "city_target": ({"projects": goal(p.city_target, "projects").as_int(),
                         "households": goal(p.city_target, "households").as_int()} if p.city_target else None),
        "milestones": [{"id": m.id, "label": m.label, "date": m.date.isoformat(), "share": m.share,
                        "measure": m.measure, "basis": m.basis, "clause": m.clause,
                        "display": lp.text.display(m.clause)} for m in p.milestones],
        "reporting_clause": p.reporting.clause if p.reporting else None,
        "reporting_display": lp.text.display(p.reporting.clause) if p.reporting else None,
        # only when the policy lists part of the level below: recorded facts of a complete list stay as they were
        **({"counties_complete": False} if p.counties_complete is False else {}),
    }


def dumps(facts: dict) -> str:
    return json.dumps(facts, ensure_ascii=False, sort_keys=True)


@dataclass
class _Text:
    shown: dict

    def display(self, clause: str) -> str:
        return self.shown.get(clause, clause)


class PolicyFacts:
    """Enough of a LoadedPolicy (``.policy``, ``.text.display``, ``.manifest()``) for series.py and summary.py."""

    def __init__(self, facts: dict):
        self.facts = facts
        f = facts
        counties = [SimpleNamespace(name=c["name"], target=(SimpleNamespace(projects=c["projects"],
                                                                            households=c["households"])
                                                             if c.get("target", c["projects"] is not None)
                                                             else None))
                    for c in f["counties"]]
        milestones = [SimpleNamespace(**{k: v for k, v in m.items() if k not in ("display", "date")},
                                      date=dt.date.fromisoformat(m["date"])) for m in f["milestones"]]
        shown = {m["clause"]: m["display"] for m in f["milestones"]}
        if f.get("reporting_clause"):
            shown[f["reporting_clause"]] = f["reporting_display"]
        by_name = {c.name: c for c in counties}
        ct = f["city_target"]
        issue = dt.date.fromisoformat(f["issue_date"]) if f.get("issue_date") else None
        self.policy = SimpleNamespace(
            id=f["id"], version=f["version"], status=f["status"], title=f["title"], year=f["year"],
            label=f["label"], counties=counties, counties_with_target=[c for c in counties if c.target],
            county=by_name.get, city_target=SimpleNamespace(**ct) if ct else None, milestones=milestones,
            milestone=lambda mid: next((m for m in milestones if m.id == mid), None),
            year_end=dt.date(f["year"], 12, 31), counties_complete=f.get("counties_complete"),
            reporting=SimpleNamespace(clause=f["reporting_clause"]) if f.get("reporting_clause") else None,
            document=SimpleNamespace(city=SimpleNamespace(value=f["city"]),
                                     doc_number=SimpleNamespace(value=f["doc_number"]) if f["doc_number"] else None,
                                     issue_date=SimpleNamespace(value=issue) if issue else None))
        self.text = _Text(shown)

    def manifest(self) -> dict:
        return dict(self.facts["manifest"])
