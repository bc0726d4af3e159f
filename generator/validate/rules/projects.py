"""V2xx/V3xx/V7xx: each project's required fields (三（一）), its funding, its consent, no duplicates."""
from __future__ import annotations

from generator.findings import Severity
from generator.ledger import contract as C
from generator.validate.facts import contract_of, norm, pct, readable, target_clause
from generator.validate.registry import COLUMN, Hit, rule

MONEY_TOLERANCE = 0.01      # 万元 are kept to 2 decimals (workbook contract)


def required_blanks(rows, columns):
    """(row, cell, column) for each required column left blank (unreadable cells are V001's)."""
    for row in rows:
        cells = row.cells
        for col in columns:
            cell = cells.get(col.name)
            if cell is None:
                yield row, row.get(col.name), col
            elif cell.value is None and cell.error is None and cell.blank:   # cheap test first: 53,000 rows
                yield row, cell, col


@rule("V201", Severity.ERROR, "项目必填内容未填写", "required project field is blank", clause=COLUMN)
def project_fields(plan, lp):
    # funding channels may be blank (= 0): whether they add up is V202's question
    cols = [c for c in contract_of(lp).required(C.SHEET_PROJECTS) if c.group != "funding"]
    for row, cell, col in required_blanks(plan.projects, cols):
        yield Hit(f"未填写{col.name}", f"{col.name} is blank", cell=cell, row=row)


@rule("V202", Severity.ERROR, "资金来源合计不等于资金概算", "funding channels do not add up to the cost",
      clause=lambda p: p.project_fields.clause)
def funding_adds_up(plan, lp):
    channels = contract_of(lp).funding_columns
    if not channels:
        return
    for row in plan.projects:
        cost = row.get(C.COST)
        if not readable(cost, (int, float)):
            continue
        total, unreadable = 0.0, False
        for name in channels:
            c = row.cells.get(name)
            if c is None:
                continue
            if c.error:
                unreadable = True
                break
            if type(c.value) in (int, float):
                total += c.value
        if unreadable:
            continue
        total = round(total, 2)
        if abs(total - cost.value) > MONEY_TOLERANCE + 1e-9:
            d = round(total - cost.value, 2)
            yield Hit(f"各渠道资金合计{total:g}万元，资金概算为{cost.value:g}万元（相差{d:+g}万元）",
                      f"funding channels add up to {total:g}, the estimated cost is {cost.value:g} "
                      f"({d:+g}, 10,000 yuan)",
                      cell=cost, row=row, value=total, expected=cost.value, extra={"delta": d})


@rule("V301", Severity.ERROR, "居民同意率未达到政策要求", "residents' consent below the policy's threshold",
      clause=lambda p: p.consent.clause)
def consent(plan, lp):
    c = lp.policy.consent
    need = pct(c.threshold) + ("以上" if c.inclusive else "（不含）以上")
    subjects = "和".join(c.subjects)
    for row in plan.projects:
        cell = row.get(C.CONSENT)
        v = cell.value
        if not readable(cell, (int, float)):
            continue
        short = v < c.threshold - 1e-9 if c.inclusive else v <= c.threshold + 1e-9
        if short:
            yield Hit(f"居民同意率{pct(v)}，{subjects}须经{need}居民同意后方可开工",
                      f"consent {pct(v)}: {subjects} need the consent of "
                      f"{'at least ' if c.inclusive else 'more than '}{pct(c.threshold)} of residents "
                      "before work starts",
                      cell=cell, row=row, value=v, expected=c.threshold)


def _duplicates(plan, column):
    seen: dict[str, int] = {}
    for row in plan.projects:
        cell = row.get(column)
        key = norm(cell.value)
        if not key:
            continue
        if key in seen:
            yield row, cell, seen[key]
        else:
            seen[key] = row.row



@rule("V701", Severity.ERROR, "项目编号重复", "duplicate project number", clause=target_clause, scope="county")
def duplicate_ids(plan, lp):
    for row, cell, first in _duplicates(plan, C.PROJECT_ID):
        yield Hit(f"项目编号“{cell.value}”与第{first}行重复", f"project number {cell.value!r} repeats row {first}",
                  cell=cell, row=row, value=cell.value, extra={"first_row": first})


# a warning: one community renovated in two phases may be two projects; the city should look, not reject
@rule("V702", Severity.WARNING, "小区名称重复", "duplicate community", clause=target_clause, scope="county")
def duplicate_names(plan, lp):
    for row, cell, first in _duplicates(plan, C.COMMUNITY):
        yield Hit(f"小区“{cell.value}”与第{first}行重复，同一小区只应计一次",
                  f"community {cell.value!r} repeats row {first}; a community counts once",
                  cell=cell, row=row, value=cell.value, extra={"first_row": first})
