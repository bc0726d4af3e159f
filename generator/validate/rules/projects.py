"""V2xx/V3xx/V7xx: each project's required fields (三（一）), its funding, its consent, the 开工认定标准 of the
附件 (V302–V304), no duplicates."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from generator.findings import Severity
from generator.policy import consent as consent_rule
from generator.ledger import contract as C
from generator.ledger.model import Cell, Row
from generator.ledger.values import is_blank
from generator.validate.facts import (NoneType, column_dates, column_errors, column_keys, column_numbers,
                                      column_raws, column_types, column_values, contract_of, has_blank, key_set,
                                      pct, readable, readable_values, run_cached, target_clause)
from generator.validate.registry import COLUMN, Hit, rule

MONEY_TOLERANCE = 0.01      # 万元 are kept to 2 decimals (workbook contract)


def required_blanks(rows, columns):
    """(row, cell, column) for each required column left blank (unreadable cells are V001's)."""
    for col in columns:
        if not has_blank(rows, col.name):
            continue                        # the usual case: every row has a value
        values = column_values(rows, col.name)
        nothing = [j for j, v in enumerate(values) if v is None]
        errors, raws = column_errors(rows, col.name), column_raws(rows, col.name)
        for j in nothing:
            if j not in errors and is_blank(raws[j]):
                yield rows[j], rows[j].get(col.name), col


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
    rows = plan.projects
    unreadable = set().union(*(column_errors(rows, name) for name in channels))
    amounts_of_rows = zip(*[column_values(rows, name) for name in channels])
    costs = column_numbers(rows, C.COST)
    limit = MONEY_TOLERANCE + 1e-9
    off = []
    # row by row: a row's amounts were read together and lie together in memory, a column's do not
    for j, (cost, amounts) in enumerate(zip(costs, amounts_of_rows)):
        if cost is None:
            continue
        total = 0.0
        for v in amounts:                   # in the contract's order, as a clerk adds them up (blank = 0)
            if v.__class__ is float or v.__class__ is int:
                total += v
        # round() is the slow part: a total within 0.004 of the cost is within the tolerance however it
        # rounds (rounding moves it by 0.005 at most while a float is exact to far less than 0.001: below 1e9)
        if (abs(total - cost) > 0.004 or abs(total) > 1e9) and abs(round(total, 2) - cost) > limit \
                and j not in unreadable:
            off.append((j, total))
    for j, total in off:
        cost, total = costs[j], round(total, 2)
        d = round(total - cost, 2)
        yield Hit(f"各渠道资金合计{total:g}万元，资金概算为{cost:g}万元（相差{d:+g}万元）",
                  f"funding channels add up to {total:g}, the estimated cost is {cost:g} "
                  f"({d:+g}, 10,000 yuan)",
                  cell=rows[j].cell(C.COST), row=rows[j], value=total, expected=cost, extra={"delta": d})


@rule("V301", Severity.ERROR, "居民同意率未达到政策要求", "residents' consent below the policy's threshold",
      clause=lambda p: p.consent.clause)
def consent(plan, lp):
    c = lp.policy.consent
    need = consent_rule.requirement(c)
    subjects = "和".join(c.subjects)
    for row, v in zip(plan.projects, column_numbers(plan.projects, C.CONSENT)):
        if v is None:
            continue
        if consent_rule.short(v, c):
            yield Hit(f"居民同意率{pct(v)}，{subjects}须经{need}居民同意后方可开工",
                      f"consent {pct(v)}: {subjects} need the consent of "
                      f"{consent_rule.requirement_en(c)} of residents before work starts",
                      cell=row.cell(C.CONSENT), row=row, value=v, expected=c.threshold)


def _duplicates(plan, column):
    """(row, cell, Excel row of the first) for every row repeating an earlier row's value of ``column``."""
    rows, keys = plan.projects, column_keys(plan.projects, column)
    blanks = keys.count("")
    if len(key_set(rows, column)) == len(keys) - blanks + (blanks > 0):
        return                                # the usual case: no value repeats (blanks are V201's)
    first = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1)))     # the earliest row of each value
    for j in [j for j, key in enumerate(keys) if key and first[key] != j]:
        row = rows[j]
        yield row, row.cell(column), rows[first[keys[j]]].row


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


# -- 开工认定 (附件): a project may be recorded as started only when all five criteria are met -----------
@dataclass
class CriterionState:
    id: int
    label: str
    clause: str                       # 附件.N
    column: str
    met: bool
    date: dt.date | None              # the day it was met, when the cell gives one
    why: str = ""                     # why it is not met (Chinese)
    why_en: str = ""
    state: str = "met"                # met | blank | no | late (a date after the start / as-of) | contradicted
    at: Row | None = field(default=None, repr=False, compare=False)     # the project's row

    @property
    def cell(self) -> Cell | None:
        """The criterion's cell (a blank one placed at its column when nothing is stored), built when asked
        for (a finding's place): a 53,000-row plan's readiness is five criteria a started row (issue 19.9)."""
        return None if self.at is None else self.at.get(self.column)


@dataclass
class Readiness:
    """A project against the 开工认定标准, on its start date (started) or as of a date (not yet started)."""

    row: Row
    started: dt.date | None           # 实际开工日期 (readable)
    criteria: list[CriterionState]

    @property
    def missing(self) -> list[CriterionState]:
        return [c for c in self.criteria if not c.met]

    @property
    def ready(self) -> bool:
        return not self.missing


# the consent rule has one home (generator/policy/consent.py); these names are kept for the rules below
consent_criterion = consent_rule.criterion
consent_short = consent_rule.short


def readiness(row: Row, lp, as_of: dt.date | None = None) -> Readiness:
    """Each criterion met or not: on or before the actual start when the project has started, else on
    ``as_of`` (None: a date in the cell counts as met). Criterion 1 is not met when the consent figure
    contradicts it, whatever the cell says."""
    p = lp.policy
    criteria, consent_c = _criteria_of(lp)
    t, i = row.table, row.i
    pos, val, err = t.pos, t.val, t.err
    # each cell's value, None when it has an error (Row.get(column).error), read from the row's table: no Cell
    # is built for a criterion unless a finding asks for it
    k = pos.get(C.ACTUAL_START)
    v = None if k is None or ((e := err[k].get(i)) and e[0] is not None) else val[k][i]
    started = v if isinstance(v, dt.date) and not isinstance(v, dt.datetime) else None
    by = started or as_of
    states = []
    for c, column in criteria:
        k = pos.get(column)
        v = None if k is None or ((e := err[k].get(i)) and e[0] is not None) else val[k][i]
        date = v if isinstance(v, dt.date) and not isinstance(v, dt.datetime) else None
        met, why, why_en, state = False, "", "", "met"
        if v is True or date is not None:
            met = True
            if date is not None and by is not None and date > by:
                met, state = False, "late"
                why, why_en = ((f"{date.isoformat()}才达到，晚于开工日期{by.isoformat()}",
                                f"met only on {date.isoformat()}, after the start {by.isoformat()}") if started else
                               (f"{date.isoformat()}才达到（截至{by.isoformat()}未达到）",
                                f"met only on {date.isoformat()} (not yet on {by.isoformat()})"))
        elif v is False:
            why, why_en, state = "未达到（填报为“否”）", "not met (否)", "no"
        else:
            why, why_en, state = "未填报", "not reported", "blank"
        if c is consent_c and met:
            consent_cell = row.get(C.CONSENT)
            if readable(consent_cell, (int, float)) and consent_short(consent_cell.value, p.consent):
                met, state = False, "contradicted"
                need = consent_rule.requirement(p.consent)
                why = f"居民同意率{pct(consent_cell.value)}，未达到{need}"
                why_en = f"consent {pct(consent_cell.value)} is below {pct(p.consent.threshold)}"
        states.append(CriterionState(c.id, c.label, c.clause, column, met, date, why, why_en, state, row))
    return Readiness(row, started, states)


_CRITERIA: dict[str, tuple[object, list, object]] = {}


def _criteria_of(lp) -> tuple[list, object]:
    """([(criterion, its column)], the consent criterion) of the policy: once per policy (content and object)."""
    p = lp.policy
    got = _CRITERIA.get(lp.content_hash)
    if got is None or got[0] is not p:
        cols = contract_of(lp).criterion_columns
        got = _CRITERIA[lp.content_hash] = (p, [(c, cols[c.id]) for c in (p.start_criteria.items if p.start_criteria
                                                                          else [])], consent_criterion(p))
    return got[1], got[2]


def started_readiness(plan, lp) -> list[Readiness]:
    """Readiness of every project recorded as started (a readable 实际开工日期): V303 and V304 share one pass
    over a plan, through the run's per-thread cache (facts.run_scope)."""
    return run_cached(plan.projects, C.ACTUAL_START, ("readiness", lp.content_hash),
                 lambda: [readiness(row, lp) for row, d in zip(plan.projects, column_dates(plan.projects, C.ACTUAL_START))
                          if d is not None])


def _criteria_clause(p):
    return p.start_criteria.clause if p.start_criteria.items else None


@rule("V302", Severity.ERROR, "开工条件1与居民同意率矛盾", "start criterion 1 contradicts the consent figure",
      clause=lambda p: c.clause if (c := consent_criterion(p)) is not None else None)
def consent_criterion_agrees(plan, lp):
    p = lp.policy
    crit = consent_criterion(p)
    column = contract_of(lp).criterion_columns[crit.id]
    need = consent_rule.requirement(p.consent)
    rows = plan.projects
    if column_types(rows, column, "readable") <= {NoneType}:
        return                                # the usual plan: no criterion reported yet
    consents = column_numbers(rows, C.CONSENT)
    for j, v in enumerate(readable_values(rows, column)):
        if not (v is True or isinstance(v, dt.date)) or consents[j] is None or not consent_short(consents[j], p.consent):
            continue
        row = rows[j]
        cell = row.cell(column)
        yield Hit(f"开工条件{crit.id}“{crit.label}”填为已达到，但居民同意率为{pct(consents[j])}，"
                  f"未达到{need}",
                  f"criterion {crit.id} ({crit.label}) is marked met but consent is {pct(consents[j])}, "
                  f"below {pct(p.consent.threshold)}",
                  cell=cell, row=row, value=cell.raw, expected="否",
                  extra={"consent": consents[j], "threshold": p.consent.threshold})


@rule("V303", Severity.ERROR, "已开工项目未满足开工认定标准", "started project does not meet the start criteria",
      clause=_criteria_clause)
def started_meets_criteria(plan, lp):
    title = lp.policy.start_criteria.title
    for r in started_readiness(plan, lp):
        row = r.row
        if r.ready:
            continue
        # the contradicted criterion 1 is V302's (at its cell); a date after the start is V304's
        missing = [c for c in r.missing if c.state in ("blank", "no")]
        if not missing:
            continue
        names = "、".join(f"{c.id}“{c.label}”（{c.why}）" for c in missing)
        names_en = ", ".join(f"{c.id} {c.label} ({c.why_en})" for c in missing)
        yield Hit(f"已填报实际开工日期{r.started.isoformat()}，但开工条件{names}，不符合{title}",
                  f"recorded as started on {r.started.isoformat()} but criteria {names_en} are not met",
                  cell=row.get(C.ACTUAL_START), row=row, value=r.started,
                  extra={"missing": [c.id for c in missing]})


@rule("V304", Severity.ERROR, "开工条件晚于实际开工日期达到", "start criterion met after the actual start",
      clause=_criteria_clause)
def criteria_before_start(plan, lp):
    for r in started_readiness(plan, lp):
        row = r.row
        for c in r.criteria:
            if c.date is not None and c.date > r.started:
                yield Hit(f"开工条件{c.id}“{c.label}”于{c.date.isoformat()}达到，晚于实际开工日期"
                          f"{r.started.isoformat()}；开工认定须在开工前满足全部条件",
                          f"criterion {c.id} ({c.label}) met on {c.date.isoformat()}, after the actual start "
                          f"{r.started.isoformat()}",
                          cell=c.cell, row=row, value=c.date, expected=f"<= {r.started.isoformat()}",
                          clause=c.clause)


def _built_years(plan):
    """(row, cell, year) of every readable 建成年份 (an unreadable one is V001's)."""
    for row, v in zip(plan.projects, column_values(plan.projects, C.BUILT_YEAR)):
        if v.__class__ is int:
            yield row, row.cell(C.BUILT_YEAR), v


@rule("V203", Severity.ERROR, "建成年份超出改造范围", "built after the eligibility cut-off",
      clause=lambda p: p.eligibility.clause)
def built_in_scope(plan, lp):
    e = lp.policy.eligibility
    last = e.band_to or e.built_by
    for row, cell, year in _built_years(plan):
        if year > last:
            scope = C.eligibility_text(e)
            yield Hit(f"建成年份{year}年，不在改造范围（{scope}）内", f"built in {year}: outside the scope "
                      f"(built by {e.built_by}" + (f", {e.built_by + 1}-{e.band_to} allowed" if e.band_to else "") + ")",
                      cell=cell, row=row, value=year, expected=last)


@rule("V204", Severity.WARNING, "建成年份属可适当纳入的年份段", "built in the optional band",
      clause=lambda p: p.eligibility.clause if p.eligibility.band_to else None)
def built_in_band(plan, lp):
    e = lp.policy.eligibility
    for row, cell, year in _built_years(plan):
        if e.built_by < year <= e.band_to:
            yield Hit(f"建成年份{year}年，属{e.built_by + 1}年至{e.band_to}年建成、{e.band_rule or '可纳入'}的范围，"
                      f"请说明纳入理由", f"built in {year}: in the optional {e.built_by + 1}-{e.band_to} band; "
                      "give the reason for including it", cell=cell, row=row, value=year, expected=e.built_by)
