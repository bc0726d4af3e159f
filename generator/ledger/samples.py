"""Sample county workbooks (示例数据) consistent with the policy, mistake workbooks, a big benchmark file.

    python -m generator.render.samples data/            # writes data/sample-<县>.xlsx and data/mistakes/

This module makes the samples' plans (floor 3); generator.render.samples writes them through the document pipeline.

Every number that must agree with the policy (project count, household sum, liaison quota, consent
threshold, milestone dates, deadlines, funding channels) is read from the policy, so the samples
stay valid when the policy changes. Names, units, people, phones, amounts and dates are synthetic
and say so (示例); the two real 魏都区 communities carry their source in 备注.

Mistake workbooks plant a few typical mistakes each into a valid sample and list them in a sidecar
``<name>.planted.yaml`` ({kind, sheet, row, column, project}); the validator's tests check that
each is reported exactly there and nothing else is.
"""
from __future__ import annotations

import datetime as dt
import random
import zlib
from pathlib import Path
from typing import Any

from generator.ledger import contract as C
from generator.ledger.contract import build_contract
from generator.ledger.model import Cell, Plan, Row
from generator.ledger.writer import HEADER_ROW

NOTE = "示例数据"
NOTE_FULL = ("示例数据：除注明来源者外，小区名称、单位、人员、电话、金额、日期及进度均为虚构，"
             "仅用于演示和测试，不代表任何县（市、区）的实际方案。")

# Real communities of 魏都区 (docs/ledger.md, ../shared/reference/realdata.md §2). Only these facts are real.
REAL_COMMUNITIES: dict[str, list[dict[str, Any]]] = {
    "魏都区": [
        dict(name="延中小区", households=618, buildings=23, built=1998, address="魏都区灞陵街道",
             source="户数、楼栋数、建成年份据人民网许昌报道《许昌：“四改一增”显成效 老旧小区换新颜》"
                    "（2022年9月30日转载）；其余字段为示例"),
        dict(name="青竹苑小区", households=808, buildings=29, built=1999, address="魏都区文峰街道毓秀社区新兴路东段",
             cost=410.0, works=["停车位", "加宽道路", "步砖", "雨水管网清淤", "粉刷墙面", "车棚"],
             source="户数、楼栋数、建成年份、改造内容及总投资约410万元据许昌报业传媒集团报道（转载）；其余字段为示例"),
    ],
}

_SAFEGUARDS = ["建立周例会、月通报制度，专人盯办（示例）", "街道、社区、施工单位三方联动，每周督导（示例）",
               "纳入县级重点民生实事台账，按月考评（示例）"]
_PROPERTY = ["专业化物业服务", "居民自治管理", "社区托管"]


def _cell(v) -> Cell:
    return Cell(v, v)


def _rng(name: str) -> random.Random:
    return random.Random(zlib.crc32(name.encode("utf-8")))


def _split(total: int, n: int, rng: random.Random, minimum: int) -> list[int]:
    """``n`` positive integers, each ≥ minimum, summing exactly to ``total``."""
    minimum = max(1, min(minimum, total // max(n, 1)))
    weights = [rng.uniform(0.4, 1.6) for _ in range(n)]
    spare = total - minimum * n
    parts = [minimum + int(spare * w / sum(weights)) for w in weights]
    for i in range(total - sum(parts)):
        parts[i % n] += 1
    return parts


def _funding(cost: float, channels: list[str], rng: random.Random) -> dict[str, float | None]:
    """Split ``cost`` (万元) over some channels, in cents, so the channels add up exactly."""
    cents = round(cost * 100)
    used = [channels[0]] + [c for c in channels[1:] if rng.random() < 0.45]
    weights = [3.0] + [rng.uniform(0.3, 1.0) for _ in used[1:]]
    shares = [int(cents * w / sum(weights)) for w in weights]
    shares[0] += cents - sum(shares)
    out: dict[str, float | None] = {c: None for c in channels}      # blank = 0
    for c, s in zip(used, shares):
        out[c] = s / 100
    return out


def _works(p, rng: random.Random) -> list[str]:
    pool = []
    if p.priority_works:
        pool = [f"{x}管线改造" for x in p.priority_works.pipelines] + list(p.priority_works.others)
    return rng.sample(pool, k=min(len(pool), rng.randint(2, 4))) if pool else ["示例改造内容"]


def sample_plan(lp, county_name: str, *, progress: bool = True) -> Plan:
    """A valid plan for one county of the policy (see module doc)."""
    p = lp.policy
    county = p.county(county_name)
    contract = build_contract(p)
    rng = _rng(county_name)
    n, total = county.target.projects, county.target.households
    quota = county.liaison_quota.value if county.liaison_quota else 0
    idx = next(i for i, c in enumerate(p.counties) if c.name == county_name) + 1

    real = REAL_COMMUNITIES.get(county_name, [])[:n]
    households = [r["households"] for r in real] + _split(total - sum(r["households"] for r in real), n - len(real), rng, 8)

    all_started = p.milestone("all_started").date
    completed_70 = p.milestone("completed_70")
    all_completed = p.milestone("all_completed").date
    plan_deadline = p.deadline("county_plan").date
    earliest_start = plan_deadline + dt.timedelta(days=30)
    consent_min = p.consent.threshold

    # completion by the October milestone for rows until ~85 % of households (margin above its share)
    order = list(range(n))
    rng.shuffle(order)
    early, acc = set(), 0
    for i in order:
        if acc >= total * min(1.0, completed_70.share + 0.15):
            break
        early.add(i)
        acc += households[i]

    projects = []
    for i in range(n):
        r = real[i] if i < len(real) else {}
        h = households[i]
        start = earliest_start + dt.timedelta(days=rng.randint(0, (all_started - earliest_start).days))
        if i == 2:
            start = all_started                              # boundary: exactly the milestone
        if i in early:
            end = completed_70.date - dt.timedelta(days=rng.randint(0, 75))
        else:
            end = all_completed - dt.timedelta(days=rng.randint(0, 55))
        if i == 3 and i not in early:
            end = all_completed                              # boundary: exactly year end
        cost = r.get("cost") or round(h * rng.uniform(0.45, 0.9), 2)
        values = {
            C.PROJECT_ID: f"XC{idx:02d}-{i + 1:03d}",
            C.COMMUNITY: r.get("name") or f"{county_name}示例小区{i + 1:03d}",
            C.BUILDINGS: r.get("buildings") or max(1, round(h / 24)),
            C.HOUSEHOLDS: h,
            C.WORKS: r.get("works") or _works(p, rng),
            C.COST: cost,
            "保障措施": rng.choice(_SAFEGUARDS),
            "建设单位": f"{county_name}示例建设单位{rng.randint(1, 3)}",
            "监管责任单位": f"{county_name}示例街道办事处{rng.randint(1, 4)}",
            "责任人": f"示例责任人{i + 1:03d}",
            C.PHONE: f"138{idx:02d}00{i + 1:04d}" if i % 4 else f"0374-55{idx:01d}{i + 1:04d}",
            C.CONSENT: consent_min if i == 1 else round(rng.uniform(consent_min + 0.02, 0.99), 3),
            C.PROPERTY_MODEL: rng.choice(_PROPERTY),
            C.PLANNED_START: start,
            C.PLANNED_END: end,
            C.IS_LIAISON: i < quota,
            C.ADDRESS: r.get("address") or f"{county_name}示例街道",
            C.BUILT_YEAR: r.get("built") or rng.randint(1985, 2000),
            C.REMARKS: r.get("source"),
        }
        values.update(_funding(cost, contract.funding_columns, rng))
        if progress:
            _progress(values, contract, rng, i, all_started)
        projects.append(Row(C.SHEET_PROJECTS, HEADER_ROW + 1 + i, {k: _cell(v) for k, v in values.items()}))

    report = p.deadline(p.liaison_points.report_deadline).date
    liaison = []
    for i, row in enumerate(projects[:quota]):
        name = row.cells[C.COMMUNITY].value
        values = {C.PROJECT_ID: row.cells[C.PROJECT_ID].value, C.COMMUNITY: name,
                  C.SUBMITTED: report - dt.timedelta(days=10 + i)}
        texts = {0: f"{name}共{row.cells[C.BUILDINGS].value}栋{row.cells[C.HOUSEHOLDS].value}户，基础设施老化（示例）",
                 1: "成立小区改造议事会，一事一议，分期推进（示例）",
                 2: "打造完整社区样板：口袋公园、充电车棚、适老化设施（示例）"}
        for k, item in enumerate(p.liaison_points.report_contents):
            values[item] = texts.get(k, f"{item}（示例）")
        liaison.append(Row(C.SHEET_LIAISON, HEADER_ROW + 1 + i, {k: _cell(v) for k, v in values.items()}))

    info = {
        C.COUNTY: county_name,
        C.SUBMITTED: plan_deadline - dt.timedelta(days=4),
        C.LEAD_UNIT: f"{county_name}示例牵头单位",
        C.CONTACT: "示例联系人",
        C.PHONE: f"0374-55{idx:01d}0000",
        C.REMARKS: NOTE_FULL,
    }
    fills = {"目标任务": f"改造老旧小区{n}个，涉及居民{total}户（示例）",
             "任务分解": f"分解到{n}个项目，逐项明确开工、完工时间（示例）",
             "职责分工": "住建部门牵头，街道、社区、专营单位按职责推进（示例）",
             "推进措施": "周例会、月通报、联系点示范带动（示例）"}
    for item in (p.plan_contents.items if p.plan_contents else []):
        info[item.key] = fills.get(item.key, f"{item.phrase}（示例）")
    info_cells = {}
    for k, col in enumerate(contract.info):
        if col.name in info:
            c = _cell(info[col.name])
            c.sheet, c.row, c.column = C.SHEET_INFO, HEADER_ROW + 1 + k, col.name
            info_cells[col.name] = c
    return Plan(file="", info=info_cells, projects=projects, liaison=liaison)


def _progress(values: dict, contract, rng, i: int, all_started: dt.date) -> None:
    """Synthetic progress (every third project started, some finished; others partly ready)."""
    crit = list(contract.criterion_columns.values())
    start = values[C.PLANNED_START]
    if i % 3 == 0:
        actual = min(start + dt.timedelta(days=rng.randint(0, 6)), all_started)
        values[C.ACTUAL_START] = actual
        for k, name in enumerate(crit):
            values[name] = actual - dt.timedelta(days=(len(crit) - k) * 5)
        if i % 2 == 0:
            values[C.ACTUAL_END] = values[C.PLANNED_END] - dt.timedelta(days=rng.randint(0, 10))
        values[C.REMARKS] = "; ".join(x for x in (values.get(C.REMARKS), f"进度及开工条件为{NOTE}") if x)
    elif i % 3 == 1:
        for name in crit[:2]:
            values[name] = True
        for name in crit[2:3]:
            values[name] = False


# -- mistakes -------------------------------------------------------------------------------------
def _find(plan: Plan, pred) -> Row:
    return next(r for r in plan.projects[4:] if pred(r))


def _plain(r: Row) -> bool:
    """A project that is no liaison point, not a boundary row and carries no progress data."""
    return (not r.cells[C.IS_LIAISON].value and r.cell(C.ACTUAL_START) is None)


def _planted(kind, sheet, row, column, project=None, note=None) -> dict:
    d = {"kind": kind, "sheet": sheet, "row": row, "column": column, "project": project}
    if note:
        d["note"] = note
    return d


def mistake_plans(lp) -> dict[str, tuple[str, Plan, list[dict]]]:
    """file stem -> (county, plan, planted mistakes). Row numbers are the Excel rows written."""
    p = lp.policy
    counties = [c.name for c in p.counties_with_target]
    out = {}

    # 1: per-project field mistakes
    name = counties[-1]
    plan = sample_plan(lp, name, progress=False)
    planted = []
    used: set[int] = set()

    def pick() -> Row:
        r = _find(plan, lambda r: _plain(r) and r.row not in used)
        used.add(r.row)
        return r

    prev = pick()                   # an ordinary project whose 项目编号 the next one repeats
    r = pick()
    r.cells[C.PROJECT_ID] = _cell(prev.cells[C.PROJECT_ID].value)
    planted.append(_planted("duplicate_project_id", C.SHEET_PROJECTS, r.row, C.PROJECT_ID, r.cells[C.PROJECT_ID].value,
                            note=f"与第{prev.row}行重复；在后出现的一行报告"))
    r = pick()
    below = round(p.consent.threshold - 0.001, 3)
    r.cells[C.CONSENT] = _cell(below)
    planted.append(_planted("consent_below_threshold", C.SHEET_PROJECTS, r.row, C.CONSENT, r.cells[C.PROJECT_ID].value))
    r = pick()
    r.cells["责任人"] = _cell(None)
    planted.append(_planted("missing_required_field", C.SHEET_PROJECTS, r.row, "责任人", r.cells[C.PROJECT_ID].value))
    r = pick()
    ch = build_contract(p).funding_columns[0]
    r.cells[ch] = _cell(round((r.cells[ch].value or 0) + 5, 2))
    planted.append(_planted("funding_mismatch", C.SHEET_PROJECTS, r.row, C.COST, r.cells[C.PROJECT_ID].value,
                            note=f"{ch} 多填5万元，各渠道之和不等于资金概算"))
    out[f"mistakes-{name}"] = (name, plan, planted)

    # 2: totals and dates
    name = counties[2] if len(counties) > 2 else counties[0]
    plan = sample_plan(lp, name, progress=False)
    planted, used = [], set()
    r = pick()
    r.cells[C.HOUSEHOLDS] = _cell(r.cells[C.HOUSEHOLDS].value + 12)
    planted.append(_planted("households_off_target", C.SHEET_PROJECTS, None, C.HOUSEHOLDS, None,
                            note=f"第{r.row}行户数多填12户，户数合计比目标多12户"))
    r = pick()
    late_start = p.milestone("all_started").date + dt.timedelta(days=15)
    r.cells[C.PLANNED_START] = _cell(late_start)
    if r.cells[C.PLANNED_END].value <= late_start:
        r.cells[C.PLANNED_END] = _cell(p.year_end)
    planted.append(_planted("start_after_milestone", C.SHEET_PROJECTS, r.row, C.PLANNED_START,
                            r.cells[C.PROJECT_ID].value))
    # an unreadable completion date: choose a small project so the October coverage still holds without it
    r = min((x for x in plan.projects[4:] if _plain(x) and x.row not in used), key=lambda x: x.cells[C.HOUSEHOLDS].value)
    used.add(r.row)
    bad = f"{p.year}.11.31"
    r.cells[C.PLANNED_END] = Cell(bad, None)
    planted.append(_planted("unreadable_date", C.SHEET_PROJECTS, r.row, C.PLANNED_END, r.cells[C.PROJECT_ID].value))
    out[f"mistakes-{name}"] = (name, plan, planted)

    # 3: liaison point and submission date
    name = counties[1] if len(counties) > 1 else counties[0]
    plan = sample_plan(lp, name, progress=False)
    planted = []
    lr = plan.liaison[-1]
    bad_id = lr.cells[C.PROJECT_ID].value + "X"
    lr.cells[C.PROJECT_ID] = _cell(bad_id)
    planted.append(_planted("liaison_not_in_projects", C.SHEET_LIAISON, lr.row, C.PROJECT_ID, bad_id,
                            note="联系点项目编号在项目清单中不存在（多打了一个字母）"))
    sub = plan.info[C.SUBMITTED]
    plan.info[C.SUBMITTED] = Cell(p.deadline("county_plan").date + dt.timedelta(days=6),
                                  p.deadline("county_plan").date + dt.timedelta(days=6), sub.sheet, sub.row, sub.column)
    planted.append(_planted("late_submission", C.SHEET_INFO, sub.row, C.SUBMITTED))
    out[f"mistakes-{name}"] = (name, plan, planted)
    return out


# -- benchmark workbook ---------------------------------------------------------------------------
def make_big_workbook(path, rows: int = 53000, policy_ref: str = "xuchang/2023") -> Path:
    """A national-scale 项目清单 (``rows`` projects) for bench/, written with openpyxl write_only."""
    from openpyxl import Workbook
    from generator.policy import load_policy
    lp = load_policy(policy_ref)
    p = lp.policy
    contract = build_contract(p)
    county = p.counties_with_target[0].name
    base = sample_plan(lp, county)
    template = base.projects
    wb = Workbook(write_only=True)
    info = wb.create_sheet(C.SHEET_INFO)
    info.append([f"{county}（{NOTE}·性能测试）"])
    info.append([C.INFO_KEY_HEADER, C.INFO_VALUE_HEADER])
    for k, cell in base.info.items():
        info.append([k, cell.value])
    cols = [c for c in contract.projects if c.name != C.COUNTY]
    ws = wb.create_sheet(C.SHEET_PROJECTS)
    ws.append([f"{NOTE}：{rows}个项目（性能测试）"])
    ws.append([c.name for c in cols])
    for i in range(rows):
        src = template[i % len(template)].cells
        out = []
        for c in cols:
            cell = src.get(c.name)
            v = None if cell is None else cell.value
            if c.name == C.PROJECT_ID:
                v = f"BIG-{i + 1:06d}"
            elif c.name == C.COMMUNITY:
                v = f"示例小区{i + 1:06d}"
            elif isinstance(v, list):
                v = "、".join(v)
            elif isinstance(v, bool):
                v = "是" if v else "否"
            out.append(v)
        ws.append(out)
    lws = wb.create_sheet(C.SHEET_LIAISON)
    lws.append([c.name for c in contract.liaison])
    for r in base.liaison:
        lws.append([r.cells[c.name].value if c.name in r.cells else None for c in contract.liaison])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


if __name__ == "__main__":                     # the writing moved up a floor, onto the document pipeline
    raise SystemExit("示例工作簿改由 python -m generator.render.samples 生成 / "
                     "sample workbooks are written by python -m generator.render.samples now")
