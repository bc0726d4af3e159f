"""Run the rules over a plan and turn their hits into findings.

As of a date (``validate --as-of``): a finding citing the clause of a deadline not yet due is held back
and counted, and one info finding (V004) per duty still to come says when it falls due and how many
items wait for it (generator.validate.dates).

A workbook usually holds one county. A city-wide workbook holds several in one 项目清单 with a
县（市、区） column: rules of scope "county" (targets, quotas, duplicates, liaison points) then run
once per county on a ``Plan`` holding only that county's rows.
"""
from __future__ import annotations

import datetime as dt
import gc
from dataclasses import replace

from generator.findings import Finding, Severity
from generator.ledger import contract as C
from generator.ledger.model import Cell, Plan, Row
from generator.validate.facts import (column_spellings, column_values, contract_of, key_set, norm, pick_rows,
                                      project_id, run_scope)
from generator.validate.registry import COLUMN, Hit, Rule
from generator.validate.rules import all_rules

SHEET_ORDER = {C.SHEET_INFO: 0, C.SHEET_PROJECTS: 1, C.SHEET_LIAISON: 2}


def validate_plan(plan: Plan, lp, as_of: dt.date | None = None, counties: list[Plan] | None = None) -> list[Finding]:
    """Every finding about one plan file: what the reader found, then every rule, sorted by place.
    ``as_of``: judge the plan as of that date (None: every duty applies, no dated rule runs).
    ``counties``: ``split_by_county(plan, lp)`` when the caller has it already."""
    with run_scope():
        return _validate_plan(plan, lp, as_of, counties)


def _validate_plan(plan: Plan, lp, as_of, counties) -> list[Finding]:
    from generator.validate import dates
    findings = list(plan.read_findings) + missing_sheets(plan, contract_sheets(lp))
    if counties is None:
        counties = split_by_county(plan, lp)
    contract = contract_of(lp)
    waiting = dates.deferring(lp.policy, contract, as_of)
    held: dict[str, int] = {}
    gc_was_on = gc.isenabled()
    gc.disable()     # as the reader: a big plan is millions of acyclic objects a GC pass would only walk
    try:
        for r in all_rules():
            clause = r.clause_id(lp.policy)
            if clause is None:
                continue                      # the policy has no such provision: nothing to check
            if plan.sheet_names and any(sheet not in plan.sheet_names for sheet in r.needs):
                continue                      # a .csv plan: only 项目清单 (V003 says what was not checked)
            if r.dated and as_of is None:
                continue
            for part in (counties if r.scope == "county" else [plan]):
                hits = r.check(part, lp, as_of) if r.dated else r.check(part, lp)
                if not waiting:
                    findings.extend(to_finding(r, clause, hit, part, lp) for hit in hits)
                    continue
                for hit in hits:
                    duty = waiting.get(hit_clause(clause, hit, part, lp) or "")
                    if duty is None:
                        findings.append(to_finding(r, clause, hit, part, lp))
                    else:
                        held[duty.id] = held.get(duty.id, 0) + 1
    finally:
        if gc_was_on:
            gc.enable()
    findings += later_duties(plan, lp, as_of, held)
    return sort_findings(findings, plan, lp)


def later_duties(plan: Plan, lp, as_of: dt.date | None, held: dict[str, int]) -> list[Finding]:
    """V004: one info finding per duty not yet due as of ``as_of``, with the items held back for it."""
    from generator.validate import dates
    if as_of is None:                                 # without a date nothing is held back
        return []
    out = []
    for d in dates.later(lp.policy, contract_of(lp), as_of):
        n = held.get(d.id, 0)
        zh = f"“{d.label}”{d.printed}到期，截至{as_of.isoformat()}尚未到期"
        en = f"{d.id} ({d.label}) is due {d.date.isoformat()}, not yet as of {as_of.isoformat()}"
        if d.printed_date is not None:
            zh += f"（原文印为{d.printed_date.isoformat()}，按勘误）"
            en += f" (printed {d.printed_date.isoformat()}, corrected by erratum)"
        if d.kind == "milestone":
            zh += "，届时按节点统计进度"
            en += "; progress is measured against it then"
        elif n:
            zh += f"；本文件有{n}处相关内容尚未填写或不符合要求，到期后按期限校验"
            en += f"; {n} related item(s) are not filled in or not yet in order here, checked from that date"
        else:
            zh += "，到期后按期限校验"
            en += "; checked from that date"
        out.append(Finding("V004", Severity.INFO, zh, en, clause=lp.text.display(d.clause), file=plan.file,
                           county=plan.county, value=as_of, expected=d.date,
                           extra={"duty": d.id, "kind": d.kind, "held": n}))
    return out


def hit_clause(clause: str | None, hit: Hit, plan: Plan, lp) -> str | None:
    """The clause id a hit rests on: its own, the rule's, or (clause=COLUMN) its column's in the contract."""
    if hit.clause:
        return hit.clause
    if clause != COLUMN:
        return clause
    cell = hit.cell
    sheet = hit.sheet or (cell.sheet if cell is not None else None) or (hit.row.sheet if hit.row else None)
    column = hit.column or (cell.column if cell is not None else None)
    canonical = canonical_sheet(plan, plan.sheet_names.get(sheet, sheet) if sheet is not None else None)
    col = contract_of(lp).column(canonical, column) if canonical in SHEET_ORDER and column else None
    return col.clause if col is not None else None


def contract_sheets(lp) -> tuple[str, ...]:
    from generator.validate.facts import contract_of
    return contract_of(lp).sheets


def missing_sheets(plan: Plan, sheets: tuple[str, ...] = C.SHEETS) -> list[Finding]:
    """V003: a plan format without some sheets (.csv holds 项目清单 only): say what was not checked. Only the
    policy's sheets count (no 联系点 sheet when the policy has no liaison points)."""
    absent = [s for s in sheets if plan.sheet_names and s not in plan.sheet_names]
    if not absent:
        return []
    names = "、".join(absent)
    return [Finding("V003", Severity.INFO, f"该文件只含项目清单，未校验：{names}（请提交完整的 .xlsx 工作簿）",
                    f"this file holds 项目清单 only; not checked: {', '.join(absent)} (submit the full .xlsx workbook)",
                    file=plan.file, county=plan.county)]


def to_finding(r: Rule, clause: str | None, hit: Hit, plan: Plan, lp) -> Finding:
    cell = hit.cell
    sheet = hit.sheet or (cell.sheet if cell is not None else None) or (hit.row.sheet if hit.row else None)
    column = hit.column or (cell.column if cell is not None else None)
    row = (cell.row if cell is not None and cell.row else None) or (hit.row.row if hit.row else None)
    sheet = plan.sheet_names.get(sheet, sheet) if sheet is not None else None     # as the file names it
    clause = hit_clause(clause, hit, plan, lp)
    # the file's county; in a city-wide file (基本信息 names no county of the policy) the row's
    county = plan.county
    if (county is None or lp.policy.county(str(county)) is None) and hit.row is not None \
            and hit.row.value(C.COUNTY) is not None:
        county = hit.row.value(C.COUNTY)
    return Finding(
        code=r.code, severity=r.severity, message=hit.message, message_en=hit.message_en,
        clause=lp.text.display(clause) if clause else None, file=plan.file, sheet=sheet, row=row, column=column,
        line=cell.line if cell is not None else None,
        project=project_id(hit.row) if hit.row is not None and hit.row.sheet != C.SHEET_INFO else None,
        county=str(county) if county is not None else None,
        value=hit.value if hit.value is not None else (cell.raw if cell is not None else None),
        expected=hit.expected, extra=dict(hit.extra))


def canonical_sheet(plan: Plan, sheet: str | None) -> str | None:
    """The contract's name of a sheet as named in the file (" 项目清单 " -> 项目清单)."""
    for canonical, actual in plan.sheet_names.items():
        if actual == sheet:
            return canonical
    return sheet


def sort_findings(findings: list[Finding], plan: Plan, lp) -> list[Finding]:
    """In reading order: sheet, row, column as laid out in the file, then code."""
    def key(f: Finding):
        sheet = canonical_sheet(plan, f.sheet)
        cols = plan.headers.get(sheet or "", {})
        order = SHEET_ORDER.get(sheet, 9) if sheet else -1          # notes about the whole file first
        return (order, f.row or 0, cols.get(f.column, 999) if f.column else 0, f.code)
    return sorted(findings, key=key)


def split_by_county(plan: Plan, lp) -> list[Plan]:
    """One Plan per county of the file: just ``[plan]`` when 基本信息 names a county of the policy (a row
    naming another county is then a mistake, V105), else one per 县（市、区） of the rows (city-wide)."""
    if plan.county is not None and lp.policy.county(str(plan.county).strip()) is not None:
        return [plan]
    home = norm(plan.county)
    values = column_values(plan.projects, C.COUNTY)
    # one county is typed the same way thousands of times: each spelling is cleaned once
    named = {v: str(v).strip() if v is not None else (plan.county or "")
             for v in column_spellings(plan.projects, C.COUNTY)}
    picks: dict[str, list[int]] = {name: [] for name in named.values()}      # in the order of the rows
    add = {v: picks[name].append for v, name in named.items()}
    for j, v in enumerate(values):
        add[v](j)
    if len(picks) <= 1 and (not picks or norm(next(iter(picks))) == home):
        return [plan]
    by_county = {name: pick_rows(plan.projects, js) for name, js in picks.items()}
    # a liaison point belongs to the county of its own 县（市、区） cell, or else to the first county (in the
    # workbook's order) listing its project
    wanted = {norm(row.value(C.PROJECT_ID)) for row in plan.liaison if row.value(C.COUNTY) is None}
    county_of_id: dict[str, str] = {}
    for name, rows in (by_county.items() if wanted else []):
        for key in wanted & key_set(rows, C.PROJECT_ID):
            county_of_id.setdefault(key, name)
    liaison: dict[str, list[Row]] = {}
    for row in plan.liaison:
        own = row.value(C.COUNTY)
        name = str(own).strip() if own is not None else county_of_id.get(norm(row.value(C.PROJECT_ID)),
                                                                           plan.county or "")
        liaison.setdefault(name, []).append(row)
    parts = []
    for name in dict.fromkeys([*by_county, *liaison]):
        info = dict(plan.info)
        info[C.COUNTY] = Cell(name or None, name or None, C.SHEET_PROJECTS, None, C.COUNTY)
        parts.append(replace(plan, info=info, projects=by_county.get(name, []), liaison=liaison.get(name, []),
                             read_findings=[]))
    return parts

