"""The city-wide view: several county plans (or one workbook with a 县（市、区） column) at once.

Per county: projects and households against the target, liaison points against the quota, errors
and warnings; the sum over counties against the city totals (``policy.city_target``); and findings
only visible across files: the same community in two counties (V801), one county submitted twice
(V802), a county with a target but no plan (V804, when several counties are checked together).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from generator.findings import Finding, Severity
from generator.ledger import contract as C
from generator.ledger.model import Plan, Row
from generator.policy.goals import Goal, goal, project_goal
from generator.validate.engine import split_by_county
from generator.validate.facts import column_keys, column_types, column_values, key_set, norm, target_clause


@dataclass
class CountyLine:
    county: str
    files: list[str] = field(default_factory=list)
    projects: int = 0
    projects_target: int | None = None       # in 个 / 户; None: see projects_goal (无目标 or 未公布)
    households: int = 0
    households_target: int | None = None
    liaison_points: int = 0
    liaison_quota: int | None = None
    errors: int = 0
    warnings: int = 0
    projects_goal: Goal = field(default_factory=lambda: Goal("projects", "none"))
    households_goal: Goal = field(default_factory=lambda: Goal("households", "none"))


@dataclass
class CitySummary:
    counties: list[CountyLine]
    total: CountyLine                  # Σ over counties; targets are the city's (policy.city_target)
    missing: list[str]                 # counties with a target and no plan (only meaningful city-wide)
    citywide: bool                     # several counties were checked together

    def to_dict(self) -> dict:
        return {"counties": [_line_dict(c) for c in self.counties],
                "city": ({**_line_dict(self.total), "counties_missing": self.missing} if self.citywide else None)}


def _line_dict(line: CountyLine) -> dict:
    """JSON of a line: the goals as the target's status and text (未公布 / 无目标 / 不少于7000户), not objects."""
    d = asdict(line)
    for q in ("projects", "households"):
        g = d.pop(f"{q}_goal")
        d[f"{q}_target_status"] = g["status"]
        d[f"{q}_target_text"] = getattr(line, f"{q}_goal").text()
    return d


def _set_goals(line: CountyLine, target, policy=None) -> None:
    """The targets in 个 and 户 (1.3万户 -> 13000), and what each is: published, 未公布 or 无目标 (项目 counted from
    小区 where the policy declares 项目即小区)."""
    line.projects_goal, line.households_goal = project_goal(policy, target), goal(target, "households")
    line.projects_target, line.households_target = line.projects_goal.as_int(), line.households_goal.as_int()


def county_parts(plans: list[Plan], lp):
    """(plan, county part) for every county of every file."""
    for plan in plans:
        for part in split_by_county(plan, lp):
            yield plan, part


def summarize(plans: list[Plan], findings: list[Finding], lp, parts=None) -> CitySummary:
    """``parts``: ``list(county_parts(plans, lp))`` when the caller has it already."""
    p = lp.policy
    lines: dict[str, CountyLine] = {}
    for plan, part in (county_parts(plans, lp) if parts is None else parts):
        name = part.county or "（未注明）"
        line = lines.setdefault(name, CountyLine(name))
        county = p.county(name)
        if county is not None:
            _set_goals(line, county.target, p)
            line.liaison_quota = county.liaison_quota.value if county.liaison_quota else None
        if plan.file not in line.files:
            line.files.append(plan.file)
        line.projects += len(part.projects)
        households = column_values(part.projects, C.HOUSEHOLDS)
        if column_types(part.projects, C.HOUSEHOLDS) != {int}:       # blanks, text, a bool: whole numbers only
            households = [v for v in households if v.__class__ is int or isinstance(v, int) and v.__class__ is not bool]
        line.households += sum(households)
        line.liaison_points += len(part.liaison)
    for f in findings:
        counted = lines.get(f.county or "")
        if counted is not None:
            counted.errors += f.severity == Severity.ERROR
            counted.warnings += f.severity == Severity.WARNING
    order = {c.name: i for i, c in enumerate(p.counties)}
    counties = sorted(lines.values(), key=lambda c: order.get(c.county, len(order)))
    ct = p.city_target
    quotas = [c.liaison_quota.value for c in p.counties if c.liaison_quota]
    total = CountyLine("合计", [], sum(c.projects for c in counties), None, sum(c.households for c in counties), None,
                       sum(c.liaison_points for c in counties), sum(quotas) if quotas else None,
                       sum(c.errors for c in counties), sum(c.warnings for c in counties))
    _set_goals(total, ct, p)
    missing = [c.name for c in p.counties_with_target if c.name not in lines]
    return CitySummary(counties, total, missing, citywide=len(lines) > 1)


def cross_county_findings(plans: list[Plan], lp, parts=None) -> list[Finding]:
    """``parts``: ``list(county_parts(plans, lp))`` when the caller has it already."""
    parts = list(county_parts(plans, lp)) if parts is None else parts
    counties = {part.county for _, part in parts if part.county}
    display = lp.text.display
    clause = display(target_clause(lp.policy)) if lp.policy.counties_with_target else None
    out: list[Finding] = []
    # one county in two files is a finding also when it is the only county checked
    seen_county: dict[str, str] = {}
    for plan, part in parts:
        if not part.county:
            continue
        key = norm(part.county)
        if key in seen_county and seen_county[key] != plan.file:
            out.append(Finding("V802", Severity.ERROR, f"{part.county}的实施方案重复报送（另见{seen_county[key]}）",
                               f"{part.county} appears in two files (also {seen_county[key]})", clause=clause,
                               file=plan.file, county=part.county, value=part.county))
        seen_county.setdefault(key, plan.file)
    if len(counties) < 2:
        return out
    # only a name that two parts list can be in two counties: find those first, with set operations
    keys_of_part = [column_keys(part.projects, C.COMMUNITY) for _, part in parts]
    seen: set[str] = set()
    shared: set[str] = set()
    for _, part in parts:
        names = key_set(part.projects, C.COMMUNITY)
        shared |= names & seen
        seen |= names
    shared.discard("")
    first_seen: dict[str, tuple[str, Plan, Row]] = {}
    for (plan, part), keys in zip(parts, keys_of_part):
        county = part.county                      # (a property: not 53,000 times)
        for j in [j for j, name in enumerate(keys) if name in shared]:
            row, name = part.projects[j], keys[j]
            if name in first_seen and first_seen[name][0] != county:
                other_county, other_plan, other_row = first_seen[name]
                cell = row.get(C.COMMUNITY)
                # a warning: two counties may each have a 建设小区; the city checks the address
                out.append(Finding(
                    "V801", Severity.WARNING,
                    f"小区“{cell.value}”同时列入{other_county}（{other_plan.file} 第{other_row.row}行）和{part.county}，"
                    "请核实是否重复计入",
                    f"community {cell.value!r} is listed by {other_county} ({other_plan.file} row {other_row.row}) "
                    f"and by {part.county}: counted twice?", clause=clause, file=plan.file, sheet=cell.sheet, row=cell.row,
                    column=C.COMMUNITY, project=row.value(C.PROJECT_ID), county=part.county, value=cell.value))
            else:
                first_seen.setdefault(name, (county, plan, row))
    for name in [c.name for c in lp.policy.counties_with_target if c.name not in counties]:
        out.append(Finding("V804", Severity.INFO, f"未收到{name}的实施方案", f"no plan from {name}", clause=clause,
                           county=name))
    return out
