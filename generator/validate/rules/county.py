"""V1xx: the county is one the policy names, and its plan meets the county's targets (二)."""
from __future__ import annotations

from generator.findings import Severity
from generator.ledger import contract as C
from generator.ledger.values import is_blank
from generator.validate.facts import (column_raws, column_spellings, column_values, norm, target_clause,
                                      target_of, unreadable_or_blank)
from generator.policy.goals import goal, project_goal
from generator.policy.wording import lower_unit
from generator.validate.registry import COLUMN, Hit, rule



@rule("V101", Severity.ERROR, f"{C.COUNTY}不是政策列明的单位", "county not named by the policy", clause=COLUMN)
def county_named(plan, lp):
    p = lp.policy
    names = {norm(c.name) for c in p.counties}
    # never "应为：" followed by nothing: a policy may list no county at all
    unit = lower_unit(p)
    listed = "、".join(c.name for c in p.counties) or f"（本政策未列出{unit}）"
    rows = plan.projects
    values = column_values(rows, C.COUNTY)
    cell = plan.info.get(C.COUNTY)
    value = cell.value if cell is not None else None
    city_wide = any(not is_blank(raw) for raw in column_raws(rows, C.COUNTY))
    # a city-wide workbook may name the city (or nothing) in 基本信息: its rows carry the counties
    info_ok = norm(value) in names or (city_wide and (value is None or norm(value) == norm(p.document.city.value)))
    if C.SHEET_INFO not in plan.sheet_names and plan.sheet_names:
        info_ok = True                     # a .csv plan has no 基本信息 (V003 says so); its rows may name counties
    if not info_ok:
        if value is None:
            yield Hit(f"基本信息未填写{unit}，应为：{listed}", f"基本信息 does not name the county; one of: {listed}",
                      cell=cell, sheet=C.SHEET_INFO, column=C.COUNTY, expected=listed)
        else:
            yield Hit(f"“{value}”不是本方案列明的{unit}，应为：{listed}",
                      f"{value!r} is not a county named by the policy; one of: {listed}",
                      cell=cell, sheet=C.SHEET_INFO, column=C.COUNTY, value=value, expected=listed)
    # a county is typed the same way thousands of times: each spelling is judged once, and rows are looked
    # at only for a spelling that names no county of the policy
    wrong = {v for v in column_spellings(rows, C.COUNTY) if v is not None and norm(v) not in names}
    for j in ([j for j, v in enumerate(values) if v in wrong] if wrong else []):
        row = rows[j]
        c = row.cell(C.COUNTY)
        yield Hit(f"“{c.value}”不是本方案列明的{unit}，应为：{listed}",
                  f"{c.value!r} is not a county named by the policy; one of: {listed}",
                  cell=c, row=row, value=c.value, expected=listed)


@rule("V105", Severity.ERROR, f"项目所属{C.COUNTY}与基本信息不一致", "project county differs from 基本信息",
      clause=COLUMN, needs=(C.SHEET_INFO,))
def county_consistent(plan, lp):
    unit = lower_unit(lp.policy)
    info = plan.info.get(C.COUNTY)
    if info is None or info.value is None or lp.policy.county(str(info.value)) is None:
        return
    home = norm(info.value)
    rows = plan.projects
    # per spelling: a named county other than 基本信息's
    other = {v for v in column_spellings(rows, C.COUNTY)
             if v is not None and lp.policy.county(str(v)) is not None and norm(v) != home}
    values = column_values(rows, C.COUNTY)
    for j in ([j for j, v in enumerate(values) if v in other] if other else []):
        row = rows[j]
        c = row.cell(C.COUNTY)
        yield Hit(f"项目属于“{c.value}”，但基本信息填写的{unit}是“{info.value}”",
                  f"the project is in {c.value!r} but 基本信息 names {info.value!r}",
                  cell=c, row=row, value=c.value, expected=info.value)


def _goal_hit(found: int, target, quantity: str, unit: str, zh: str, en: str, given=None, **where) -> Hit | None:
    """A count or sum against the target's published figure (or the ``given`` Goal), within its precision and by
    its comparator (不少于7000户 is met by 7373); None when met or not published."""
    g = given if given is not None else goal(target, quantity)
    d = g.gap(found)
    if d is None:
        return None
    d = int(d)
    want = g.text()
    return Hit(f"{zh.format(found=found, expected=want)}（{'多' if d > 0 else '少'}{abs(d)}{unit}）",
               f"{en.format(found=found, expected=g.text('en'))} ({d:+d})", value=found, expected=g.as_int(),
               extra={"delta": d}, **where)


@rule("V102", Severity.ERROR, "项目个数与目标任务不符", "number of projects differs from the target",
      clause=target_clause, scope="county")
def project_count(plan, lp):
    t = target_of(lp.policy, plan.county)
    g = project_goal(lp.policy, t)          # 改造小区N个 counts projects where the policy says 项目即小区
    if t is None or not g.published:
        return
    hit = _goal_hit(len(plan.projects), t, "projects", "个", f"{plan.county}项目清单有{{found}}个项目，目标任务为{{expected}}",
                    f"{plan.county}: {{found}} projects listed, the target is {{expected}}", given=g,
                    sheet=C.SHEET_PROJECTS, column=C.PROJECT_ID, clause=t.clause)
    if hit:
        yield hit


def _column_sum(plan, lp, quantity: str, column: str, unit: str, zh: str, en: str, kind: type | tuple = int,
                scale: int = 1):
    """Σ of a workbook column against the county's published target of that quantity (V103 户数, V104 楼栋数,
    V106 面积). ``scale`` turns the column's unit into the target's base unit (万㎡ -> ㎡: 10000)."""
    t = target_of(lp.policy, plan.county)
    # an unreadable or blank cell is reported at its cell; a sum without it would only repeat that
    if t is None or getattr(t, quantity) is None or unreadable_or_blank(plan.projects, column, kind):
        return
    total = sum(column_values(plan.projects, column)) * scale
    total = int(round(total)) if scale != 1 or kind is int else total     # ㎡ and counts are whole
    hit = _goal_hit(total, t, quantity, unit,
                    f"{plan.county}各项目{zh}合计{{found}}{unit}，目标任务为{{expected}}",
                    f"{plan.county}: {en} add up to {{found}}, the target is {{expected}}",
                    sheet=C.SHEET_PROJECTS, column=column, clause=t.clause)
    if hit:
        yield hit


@rule("V103", Severity.ERROR, "户数合计与目标任务不符", "households differ from the target",
      clause=target_clause, scope="county")
def household_sum(plan, lp):
    yield from _column_sum(plan, lp, "households", C.HOUSEHOLDS, "户", "户数", "households")


@rule("V106", Severity.WARNING, "建筑面积合计与目标任务不符", "building area differs from the target",
      clause=target_clause, scope="county")
def area_sum(plan, lp):
    # only a policy that states an area target has the column (contract.area_column); an area is measured
    # and published rounded (约20.88万平方米): a warning to verify, within the published precision
    column = C.area_column(lp.policy)
    if column is None:
        return
    from generator.policy.model import QUANTITY_UNITS
    scale = QUANTITY_UNITS["area"][C.area_unit(lp.policy)]
    yield from _column_sum(plan, lp, "area", column, "㎡", "建筑面积", "building area", kind=(int, float),
                           scale=scale)


@rule("V104", Severity.ERROR, "楼栋数合计与目标任务不符", "buildings differ from the target",
      clause=target_clause, scope="county")
def building_sum(plan, lp):
    # only a policy that publishes 楼栋 per county (牡丹江 2022) checks them
    yield from _column_sum(plan, lp, "buildings", C.BUILDINGS, "栋", "楼栋数", "buildings")
