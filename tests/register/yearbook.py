"""An invented year of county submissions for the register's tests (issue 19.8), built from the sample
workbooks: each report is the county's plan with the actual dates of its period, plus the events a test
names (a start moved, a completion cleared, a project dropped or added, a typo, blank criteria, low consent).
"""
from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

from generator.ledger import contract as C
from generator.ledger.model import Cell

ROOT = Path(__file__).resolve().parents[2]


def _set(row, column, value):
    old = row.cell(column)
    row.cells[column] = Cell(value, value, row.sheet, row.row, column, old.col_index if old else None)


class County:
    def __init__(self, lp, name: str):
        from generator.ledger.reader import read_plan
        from generator.validate.facts import contract_of
        self.lp, self.name = lp, name
        self.plan = read_plan(ROOT / "data" / f"sample-{name}.xlsx", lp)
        self.criteria = list(contract_of(lp).criterion_columns.values())
        year_end = lp.policy.year_end
        self.truth = {r.value(C.PROJECT_ID): [r.value(C.PLANNED_START), min(r.value(C.PLANNED_END), year_end)]
                      for r in self.plan.projects}
        self.blank = {}          # pid -> criteria ids left blank
        self.consent = {}        # pid -> consent share
        self.community = {}      # pid -> 小区名称
        self.replaced = {}       # pid -> new pid: the project dropped, a new one (not started) in its row
        self.no_end = set()      # pids whose completion is cleared

    def report(self, day: dt.date, *, start=None):
        """The county's workbook as its report for the days up to ``day`` says. ``start``: pid -> date
        overriding the start in this report only (None: not started)."""
        snap = copy.deepcopy(self.plan)
        for r in snap.projects:
            pid = r.value(C.PROJECT_ID)
            s, e = self.truth[pid]
            if start and pid in start:
                s = start[pid]
            if pid in self.replaced:
                _set(r, C.PROJECT_ID, self.replaced[pid])
                _set(r, C.COMMUNITY, f"{self.name}新增小区")
                s = None
            for k, col in enumerate(self.criteria, 1):
                met = (s or day) - dt.timedelta(days=(len(self.criteria) - k + 1) * 5)
                _set(r, col, None if s is None or k in self.blank.get(pid, ()) or met > day else met)
            _set(r, C.ACTUAL_START, s if s and s <= day else None)
            _set(r, C.ACTUAL_END, e if s and s <= day and e <= day and pid not in self.no_end else None)
            if pid in self.consent:
                _set(r, C.CONSENT, self.consent[pid])
            if pid in self.community:
                _set(r, C.COMMUNITY, self.community[pid])
        return snap

    def plan_only(self):
        snap = copy.deepcopy(self.plan)
        for r in snap.projects:
            for col in (*self.criteria, C.ACTUAL_START, C.ACTUAL_END):
                r.cells.pop(col, None)
        return snap

    def write(self, plan, folder: Path, stem: str) -> Path:
        from generator.ledger.samples import NOTE
        from generator.render.samples import write_plan_workbook
        return write_plan_workbook(self.lp, self.name, folder / f"{stem}.xlsx", plan, note=NOTE)
