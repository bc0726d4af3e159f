"""Inspections and 整改 (三（四）: "建立工程质量安全抽检巡检制度，加大改造工程质量安全巡查力度，及时消除质量安全隐患").

An inspection (巡检/抽检: day, inspectors, the projects visited) records hazards; each hazard has a 整改 deadline and
a responsible unit, and is closed (销号) by a later event with evidence. On a day a hazard is

- 已销号: closed on or before its deadline;
- 逾期销号: closed after its deadline;
- 整改中: open, the deadline not passed (the deadline day itself is still in time);
- 已逾期: open after its deadline.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.life.record import events, has_life

if TYPE_CHECKING:
    from generator.policy.loader import LoadedPolicy

CLOSED, CLOSED_LATE, OPEN, OVERDUE = "已销号", "逾期销号", "整改中", "已逾期"


@dataclass
class Hazard:
    id: int
    project: str
    county: str
    found: dt.date
    inspection: int
    inspection_type: str
    inspectors: list[str]
    description: str
    deadline: dt.date
    responsible: str
    closed: dt.date | None
    closed_event: int | None
    closed_evidence: int

    def status(self, as_of: dt.date) -> str:
        if self.closed is not None and self.closed <= as_of:
            return CLOSED if self.closed <= self.deadline else CLOSED_LATE
        return OVERDUE if as_of > self.deadline else OPEN

    def is_open(self, as_of: dt.date) -> bool:
        return self.status(as_of) in (OPEN, OVERDUE)


def hazards(conn: sqlite3.Connection, as_of: dt.date, county: str | None = None) -> list[Hazard]:
    """Hazards found on or before ``as_of`` (their closing as known on that day)."""
    if not has_life(conn):
        return []
    inspections = {e.id: e for e in events(conn, kind="inspection", county=county, until=as_of)}
    closings = {e.refers_to: e for e in events(conn, kind="rectified", county=county, until=as_of)}
    out = []
    for e in events(conn, kind="hazard", county=county, until=as_of):
        # record() requires both: a hazard is found on a project by an inspection
        assert e.project is not None and e.refers_to is not None
        insp = inspections.get(e.refers_to)
        c = closings.get(e.id)
        out.append(Hazard(e.id, e.project, e.county, e.day, e.refers_to, insp.fields["type"] if insp else "",
                          insp.fields["inspectors"] if insp else [], e.fields["description"],
                          dt.date.fromisoformat(e.fields["deadline"]), e.fields["responsible"],
                          c.day if c else None, c.id if c else None, len(c.evidence) if c else 0))
    return out


def visits(conn: sqlite3.Connection, as_of: dt.date, county: str | None = None) -> dict[str, int]:
    """项目编号 -> how many inspections (巡检/抽检) on or before ``as_of`` visited it: a project no inspection
    visited has no quality record at all, which is not the same as one visited and found without hazards."""
    if not has_life(conn):
        return {}
    out: dict[str, int] = {}
    for e in events(conn, kind="inspection", county=county, until=as_of):
        for pid in e.fields.get("projects", []):
            out[pid] = out.get(pid, 0) + 1
    return out


@dataclass
class CountyQuality:
    county: str
    inspections: int
    hazards: int
    closed: int
    open: int
    overdue: int

    def cell(self) -> str:
        """The acceptance form's 质量安全 column: a short statement of the record."""
        if not self.inspections:
            return "无巡检抽检记录"
        return (f"巡检抽检{self.inspections}次，发现隐患{self.hazards}处，已销号{self.closed}处，"
                f"未销号{self.open}处（其中逾期{self.overdue}处）")


def by_county(conn: sqlite3.Connection, lp: LoadedPolicy, as_of: dt.date) -> list[CountyQuality]:
    """Per county of the policy: inspections, hazards found, closed, open and overdue on ``as_of``."""
    hs = hazards(conn, as_of)
    insp = events(conn, kind="inspection", until=as_of) if has_life(conn) else []
    out = []
    for c in lp.policy.counties:
        mine = [h for h in hs if h.county == c.name]
        out.append(CountyQuality(c.name, sum(1 for e in insp if e.county == c.name), len(mine),
                                 sum(1 for h in mine if not h.is_open(as_of)),
                                 sum(1 for h in mine if h.is_open(as_of)),
                                 sum(1 for h in mine if h.status(as_of) == OVERDUE)))
    return out
