"""A district workbook (示例数据) for any policy, target table or full notice: what a district of a city that
is not 许昌 would send back.

    python -m generator.render.district_sample mudanjiang/2022 东安区 data/mudanjiang-2022/

This module makes the plan (floor 3); generator.render.samples.write_district_sample writes it through the pipeline.

Rows split the district's published targets (楼栋, 户, and the project count when published; otherwise the
district's share of the city's count by households, else SAMPLE_PROJECTS) over invented communities; every required column of the policy's contract gets
a value of its kind; planned and actual dates lie in the plan year. Nothing is real except the targets,
read from the policy: community names, units, people and phones are invented and say 示例.

One mistake is planted so that the chain shows a finding: the last community's 户数 is PLANTED_SHORT
short of the target (V103). ``--clean`` writes the workbook without it.
"""
from __future__ import annotations

import datetime as dt

from generator.ledger import contract as C
from generator.ledger.contract import build_contract
from generator.ledger.model import Cell, Plan, Row
from generator.ledger.samples import NOTE_FULL, _split
from generator.ledger.writer import HEADER_ROW
from generator.policy.cnfmt import cn_ordinal

SAMPLE_PROJECTS = 4            # communities when the policy does not publish a district's project count
PLANTED_SHORT = 10             # 户 the planted mistake leaves out
BUILT_YEARS = (1986, 1992, 1995, 1998, 1999, 2000)


def _cell(v) -> Cell:
    return Cell(v, v)


def district_plan(lp, county_name: str, *, plant: bool = True) -> Plan:
    """The 示例数据 plan of ``county_name``; actual dates up to mid-September of the plan year."""
    import random
    import zlib
    from generator.policy.goals import goal, project_goal
    from generator.policy.model import QUANTITY_UNITS
    p = lp.policy
    county = p.county(county_name)
    t = county.target if county is not None else None
    rng = random.Random(zlib.crc32(f"{p.id}/{county_name}".encode("utf-8")))
    n = project_goal(p, t).as_int() or _share_of_city_projects(p, county_name) or SAMPLE_PROJECTS
    households = _split(goal(t, "households").as_int() or 120 * n, n, rng, 20)
    buildings = _split(goal(t, "buildings").as_int() or 4 * n, n, rng, 1)
    area_col = C.area_column(p)              # a policy that states an area target: areas in its unit, adding up
    if area_col is not None:
        unit = C.area_unit(p)
        assert unit is not None                   # area_column is named after it
        scale = QUANTITY_UNITS["area"][unit]
        areas = [a / scale for a in _split(goal(t, "area").as_int() or 6000 * n, n, rng, 500)]
    if plant:
        households[-1] -= PLANTED_SHORT
    contract = build_contract(p)
    year = p.year
    projects = []
    for i in range(n):
        start = dt.date(year, 4, 10) + dt.timedelta(days=9 * i)
        end = dt.date(year, 10, 20) + dt.timedelta(days=5 * i)
        values = {
            C.PROJECT_ID: f"{county_name[:2]}-{year}-{i + 1:02d}",
            # named by the district: two districts' samples never list the same community (V801)
            C.COMMUNITY: f"{county_name[:2]}示例小区{cn_ordinal(i % 10 + 1)}{'' if i < 10 else i + 1}",
            C.BUILDINGS: buildings[i],
            C.HOUSEHOLDS: households[i],
            C.PLANNED_START: start,
            C.PLANNED_END: end,
            C.BUILT_YEAR: BUILT_YEARS[i % len(BUILT_YEARS)],
            C.ACTUAL_START: start + dt.timedelta(days=3) if i < n - 1 else None,     # the last not yet started
            C.ACTUAL_END: dt.date(year, 9, 15) if i == 0 else None,
            C.ADDRESS: f"{county_name}示例街道",
        }
        if area_col is not None:
            values[area_col] = areas[i]
        for col in contract.projects:             # the policy's other required columns, by kind
            if col.required and col.name not in values:
                values[col.name] = _by_kind(col, p, i)
        projects.append(Row(C.SHEET_PROJECTS, HEADER_ROW + 1 + i, {k: _cell(v) for k, v in values.items()}))
    info = {C.COUNTY: county_name, C.SUBMITTED: dt.date(year, 3, 20), C.LEAD_UNIT: f"{county_name}示例牵头单位",
            C.CONTACT: "示例联系人", C.PHONE: "0000-1234567", C.REMARKS: NOTE_FULL}
    for col in contract.info:
        if col.required and col.name not in info:
            info[col.name] = f"{col.name}（示例）"
    plan = Plan(file=f"{county_name}.xlsx", projects=projects)
    plan.info = {k: Cell(v, v, C.SHEET_INFO) for k, v in info.items()}
    if contract.liaison:
        quota = county.liaison_quota.value if county is not None and county.liaison_quota else 0
        for i, row in enumerate(projects[:quota]):
            row.cells[C.IS_LIAISON] = _cell(True)
            plan.liaison.append(Row(C.SHEET_LIAISON, HEADER_ROW + 1 + i, {
                c.name: _cell(row.cells[c.name].value if c.name in row.cells else _by_kind(c, p, i))
                for c in contract.liaison}))
    return plan


def _share_of_city_projects(p, county_name: str) -> int | None:
    """When only the city publishes a project count (牡丹江: 11), the district's share of it by households
    (largest remainder), so that the samples of all districts add up to the city's count."""
    from generator.policy.goals import goal
    total = goal(p.city_target, "projects").as_int()
    weights = {c.name: goal(c.target, "households").as_int() or 0 for c in p.counties_with_target}
    if not total or not sum(weights.values()) or county_name not in weights:
        return None
    exact = {k: total * w / sum(weights.values()) for k, w in weights.items()}
    shares = {k: int(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: exact[k] - shares[k], reverse=True)[:total - sum(shares.values())]:
        shares[k] += 1
    return max(shares[county_name], 1)


def _by_kind(col, p, i: int):
    return {"int": 1, "money": 0.0, "percent": p.consent.threshold if p.consent else 1.0,
            "date": dt.date(p.year, 3, 20), "yesno": False, "phone": "0000-1234567",
            "textlist": ["示例改造内容"], "criterion": None}.get(col.kind, f"{col.name}（示例）")


if __name__ == "__main__":                     # the writing moved up a floor, onto the document pipeline
    raise SystemExit("示例工作簿改由 python -m generator.render.district_sample 生成 / "
                     "sample workbooks are written by python -m generator.render.district_sample now")
