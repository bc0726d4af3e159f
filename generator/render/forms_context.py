"""What the form templates see: the policy as plain values, and one project as a flat record.

The names here are the fields a template may use (``gaizao templates check`` compares templates
against ``sample_*`` contexts built by the same functions). Policy values come only from the policy.
"""
from __future__ import annotations

import datetime as dt

from generator.policy import cnfmt
from generator.policy import consent as consent_rule

from generator.ledger import contract as C
from generator.policy.wording import level_words

# Workbook headers (the contract of generator.ledger.contract; policy-derived ones come from it too).
COL = {"id": C.PROJECT_ID, "name": C.COMMUNITY, "county": C.COUNTY, "address": C.ADDRESS, "buildings": C.BUILDINGS,
       "households": C.HOUSEHOLDS, "consent": C.CONSENT, "property_model": C.PROPERTY_MODEL,
       "planned_start": C.PLANNED_START, "planned_end": C.PLANNED_END, "actual_start": C.ACTUAL_START,
       "actual_end": C.ACTUAL_END, "liaison": C.IS_LIAISON}
EVIDENCE_WORDS = ("佐证", "材料", "证明")
YES = "符合"
NO = "不符合"


def funding_columns(policy) -> list[tuple[str, str]]:
    """(channel name, workbook column) per funding channel of the policy."""
    if policy.funding is None:
        return []
    return [(ch.name, C.funding_column(ch.name)) for ch in policy.funding.channels]


def policy_context(lp) -> dict:
    """The policy as plain values (generator.policy.text.context) plus what forms need on top."""
    from generator.policy.text import context
    p = lp.policy
    ctx = context(p)
    ctx["consent_clause"] = lp.text.display(p.consent.clause) if p.consent else ""
    ctx["consent_requirement"] = consent_rule.requirement(p.consent) if p.consent else ""
    ctx["criteria"] = [
        {"id": item["id"], "label": item["label"], "text": item["text"], "clause": lp.text.display(src.clause)}
        for item, src in zip(ctx["start_criteria"]["items"] if ctx.get("start_criteria") else [],
                             p.start_criteria.items if p.start_criteria else [])]
    ctx["sample"] = False
    ctx["manifest"] = ""
    ctx["merged"] = False           # the checklist HTML: a county's merged PDF (cover, index, page numbers)
    # the words of the policy's level for the forms: 县（市、区）/市级/县级 in a city's, 市/省级/市级 in a province's
    ctx.update(level_words(p.unit_level))
    return ctx


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):                  # a 是/否 column read as a boolean prints as the workbook spells it
        return "是" if v else "否"
    if isinstance(v, (list, tuple)):
        return "、".join(str(x) for x in v)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _num(v):
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _criterion_cells(row, criterion):
    """(status cell, evidence cell) of a start criterion: its contract column, and an optional
    evidence column whose header names the criterion and says 佐证/材料."""
    status = row.cells.get(C.criterion_column(criterion))
    evidence = None
    for header, cell in row.cells.items():
        if criterion.label in header and any(w in header for w in EVIDENCE_WORDS):
            evidence = cell
    return status, evidence


def criterion_state(value) -> tuple[str, dt.date | None]:
    """A criteria cell (是/否, a date, blank) as (status, date)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return YES, value
    if isinstance(value, bool):
        return (YES if value else NO), None
    if isinstance(value, str):
        s = value.strip()
        if s in ("是", "Y", "y", "√", "✓", "true", "True", "符合", "已完成"):
            return YES, None
        if s in ("否", "N", "n", "×", "false", "False", "不符合", "未完成"):
            return NO, None
    return "", None


def policy_fields(row, lp) -> list[dict]:
    """The per-project facts 三（一） requires (policy.project_fields), in the policy's order:
    [{"name": 改造内容, "value": ...}, ...]; 资金来源 (no column of its own) lists the funding channels."""
    p = lp.policy
    if p.project_fields is None:
        return []
    kinds = _column_kinds(p)
    out = []
    for f in p.project_fields.items:
        if f.columns:
            parts = [_money(row.value(col)) if kinds.get(col) == "money" else _text(row.value(col))
                     for col in f.columns]
            value = "　".join(x for x in parts if x)
        else:
            value = "；".join(f"{name} {_money(row.value(col))}" for name, col in funding_columns(p)
                             if _num(row.value(col)))
        # the column's own header when it adds the unit: 资金概算（万元）
        label = f.columns[0] if len(f.columns) == 1 and f.columns[0].startswith(f.name) else f.name
        if not f.columns and p.funding is not None:
            label = f"{f.name}（{p.funding.unit}）"
        out.append({"name": label, "value": value, "clause": lp.text.display(p.project_fields.clause)})
    return out


_KINDS: dict[int, dict[str, str]] = {}


def _column_kinds(p) -> dict[str, str]:
    if id(p) not in _KINDS:
        _KINDS[id(p)] = {c.name: c.kind for c in C.build_contract(p).projects}
    return _KINDS[id(p)]


def _money(v) -> str:
    n = _num(v)
    return f"{n:,.2f}" if n is not None else _text(v)


def as_of_text(as_of: dt.date | None) -> str:
    return cnfmt.cn_date(as_of) if as_of else "未注明（工作簿未填报送日期）"


def reported_text(status: str, date: dt.date | None, as_of: dt.date | None) -> str:
    """What the county reported for a criterion, as the county said it (never a verdict)."""
    if date is not None:
        late = "（晚于数据截至日期）" if as_of is not None and date > as_of else ""
        return f"{cnfmt.cn_date(date)}完成{late}"
    return {YES: "是", NO: "否"}.get(status, "未填报")


def project_context(row, lp, policy_ctx: dict, county: str | None = None, as_of: dt.date | None = None,
                    sample: bool = False) -> dict:
    """One 项目清单 row as the flat record the checklist and acceptance templates use.

    ``as_of``: the data cut-off the form states (the workbook's 报送日期 or a date given by the user)."""
    p = lp.policy
    v = row.value
    consent = _num(v(COL["consent"]))
    consent_ok = consent_rule.meets(consent, p.consent)          # one home: threshold AND inclusivity
    funding = [{"name": name, "amount": _num(v(col))} for name, col in funding_columns(p)]
    funding = [f for f in funding if f["amount"]]
    criteria = []
    prefilled = False
    for c, src in zip(policy_ctx["criteria"], p.start_criteria.items if p.start_criteria else []):
        status_cell, evidence_cell = _criterion_cells(row, src)
        status, date = criterion_state(status_cell.value if status_cell is not None else None)
        prefilled = prefilled or bool(status)
        conflict = ""
        # a criterion worded on the consent threshold ({{ consent.threshold }} in its policy text), reported
        # met while the workbook's own consent rate is below it: show both, never a tick
        if status == YES and consent_ok is False and "consent." in (src.text or ""):
            conflict = (f"与本表居民同意率{cnfmt.pct(consent)}矛盾（要求{consent_rule.requirement(p.consent)}），须现场核实")
        evidence = _text(evidence_cell.value) if evidence_cell is not None else ""
        criteria.append({**c, "status": status, "date": date, "reported": reported_text(status, date, as_of),
                         "conflict": conflict, "evidence": f"佐证：{evidence}" if evidence else ""})
    unmet = [c["id"] for c in criteria if c["status"] == NO]
    if unmet:
        verdict = NO
    elif criteria and all(c["status"] == YES for c in criteria):
        verdict = YES
    else:
        verdict = ""
    return {
        "id": _text(v(COL["id"])), "name": _text(v(COL["name"])),
        "county": _text(v(COL["county"])) or county or "",
        "address": _text(v(COL["address"])),
        "buildings": _text(v(COL["buildings"])), "households": _text(v(COL["households"])),
        "cost": _num(v(C.COST)),
        "funding": funding,
        "fields": policy_fields(row, lp),
        "consent": cnfmt.pct(consent) if consent is not None else "",
        "consent_ok": consent_ok,
        "property_model": _text(v(COL["property_model"])),
        "planned_start": v(COL["planned_start"]), "planned_end": v(COL["planned_end"]),
        "actual_start": v(COL["actual_start"]), "actual_end": v(COL["actual_end"]),
        "liaison": _text(v(COL["liaison"])),
        "consent_rule": [True] if p.consent is not None else [],
        "eligibility": eligibility_rows(v(C.BUILT_YEAR), lp),
        "criteria": criteria, "unmet": unmet, "verdict": verdict, "prefilled": prefilled,
        "as_of": as_of, "as_of_text": as_of_text(as_of), "sample": sample,
    }


def eligibility_rows(built, lp) -> list[dict]:
    """The 建成年份 row of a checklist when the policy has an eligibility rule (改造范围), else none. What the county
    reported and where it falls; the checker decides (never a verdict of 符合)."""
    e = lp.policy.eligibility
    if e is None:
        return []
    year = built if type(built) is int else None
    note = ""
    if year is not None and year > (e.band_to or e.built_by):
        note = "，超出改造范围，须核实"
    elif year is not None and year > e.built_by:
        note = f"，属{e.built_by + 1}年至{e.band_to}年建成（{e.band_rule or '可纳入'}），须说明纳入理由"
    return [{"built_year": _text(built), "verdict": note, "rule": C.eligibility_text(e),
             "clause": lp.text.display(e.clause)}]


# -- sample data for `templates check` and tests ------------------------------------------------
def sample_row(lp, row: int = 2, **overrides):
    """A 项目清单 row with every required contract column filled (示例数据, for template checks and tests).
    ``overrides`` maps a column header to a value."""
    from generator.ledger.model import Cell, Row
    p = lp.policy
    by_kind = {"int": 6, "money": 0.0, "area": 0.5, "percent": p.consent.threshold if p.consent else 1.0,
               "date": dt.date(p.year, 4, 1), "yesno": "否", "phone": "0374-0000000",
               "text": "示例", "textlist": "示例", "criterion": None}
    values = {c.name: by_kind[c.kind] for c in C.build_contract(p).projects if c.required}
    values[C.PROJECT_ID] = f"SL-{row - 1:03d}"
    values[C.COMMUNITY] = "示例小区"
    values[C.COUNTY] = p.counties[0].name if p.counties else ""
    values[C.COST] = 100.0
    channels = funding_columns(p)
    if channels:
        values[channels[0][1]] = 100.0
    values.update(overrides)
    return Row(C.SHEET_PROJECTS, row, {k: Cell(val, val, C.SHEET_PROJECTS, row, k) for k, val in values.items()})
