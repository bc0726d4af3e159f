"""改造内容 classified into the works the notice names: the one keyword table (docs/life.md prints it).

三（二）: "按照“应改尽改”原则，将存在安全隐患的电力、供水、排水、燃气、供热等老旧管线，群众意愿强烈的配套设施和公共
服务设施、建筑节能改造等优先列为改造内容". 五（二）: "加强适老及适儿化改造、无障碍设施建设". A county writes
改造内容 in its own words ("雨污分流改造", "二次供水设施", "外墙保温"); the table below maps those words to the works
of the notice: a phrase matches a work when it contains one of the work's words. The pipeline kinds come from the
policy (``priority_works.pipelines``): a kind the table does not know is matched by its own name.

Priority works (the notice's "优先") are the pipelines and 建筑节能改造. "群众意愿强烈的配套设施和公共服务设施" is a
priority only where the residents asked for it, which a 改造内容 cell cannot show: such a project is noted for the
city to check, never an error ("优先" is an order, not a condition).

Its home is here, on the validator's floor, because the validator (V205), the register (the 汇总表, the national
survey's indicators) and the project records (generator/life, ``gaizao project works``) all read it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from generator.ledger import contract as C

# work -> (group, words found in 改造内容 cells). Groups: pipeline (管线 by kind), energy, facilities,
# accessibility, elderly, children. Sources of the words: 三（二） (管线, 配套设施, 建筑节能), 一 (供水、排水、供电、道路、
# 无障碍), 五（二） (适老及适儿化改造、无障碍设施建设); the synonyms are the words counties use for the same works.
KEYWORDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "电力": ("pipeline", ("电力", "供电", "电缆", "电线", "配电", "强电", "电表", "水电气热")),
    # not "水管": it is inside "排水管线", which would count every drainage project as 供水 too
    "供水": ("pipeline", ("供水", "给水", "自来水", "二次供水", "水表", "水电气热")),
    "排水": ("pipeline", ("排水", "雨污", "污水", "雨水", "化粪池", "下水")),
    "燃气": ("pipeline", ("燃气", "天然气", "煤气", "水电气热")),
    "供热": ("pipeline", ("供热", "供暖", "暖气", "热力", "水电气热")),
    "建筑节能": ("energy", ("节能", "保温", "隔热", "节能门窗")),
    "配套设施和公共服务设施": ("facilities", ("配套设施", "公共服务设施", "停车", "充电", "照明", "路灯", "道路",
                                   "绿化", "安防", "监控", "消防", "垃圾", "快递", "便民", "助餐", "文体", "健身",
                                   "活动室", "党群服务")),
    "无障碍": ("accessibility", ("无障碍", "坡道", "扶手")),
    "适老": ("elderly", ("适老", "加装电梯", "电梯", "养老", "老年")),
    "适儿": ("children", ("适儿", "儿童", "托育", "托幼")),
}
PRIORITY_GROUPS = ("pipeline", "energy")


def table(lp=None) -> dict[str, tuple[str, tuple[str, ...]]]:
    """The keyword table for a policy: its pipeline kinds (a kind the table lacks matches its own name)."""
    out = dict(KEYWORDS)
    p = getattr(lp, "policy", lp)
    pw = getattr(p, "priority_works", None) if p is not None else None
    if pw is not None:
        for kind in pw.pipelines:
            out.setdefault(kind, ("pipeline", (kind,)))
        for name, (group, _) in list(out.items()):
            if group == "pipeline" and name not in pw.pipelines:
                del out[name]                    # the policy names its own kinds of 管线
    return out


@dataclass
class Classified:
    works: list[str]                     # the notice's works found, in table order
    unmatched: list[str]                 # phrases of the cell no word of the table matched

    def has(self, group: str, kw: dict) -> bool:
        return any(kw[w][0] == group for w in self.works)

    def priority(self, kw: dict) -> bool:
        return any(kw[w][0] in PRIORITY_GROUPS for w in self.works)

    def pipelines(self, kw: dict) -> list[str]:
        return [w for w in self.works if kw[w][0] == "pipeline"]


def phrases(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        items = value
    else:
        items = re.split(r"[、，,；;\n/]+", str(value))
    return [str(x).strip() for x in items if str(x).strip()]


# per keyword table: each work's words as one compiled pattern, and the works found per phrase already seen
# (counties repeat their phrases: a 53,000-row workbook has a few hundred distinct ones; issue 19.9)
_MATCHERS: dict[tuple, tuple[list, dict]] = {}
_SEEN_MAX = 100_000


_LAST: list = [None, None]                          # the table of the last call and its matcher: one rule run


def _matcher(kw: dict) -> tuple[list, dict]:
    if _LAST[0] is kw:
        return _LAST[1]
    key = tuple((w, words) for w, (_, words) in kw.items())
    m = _MATCHERS.get(key)
    if m is None:
        m = _MATCHERS[key] = ([(w, re.compile("|".join(map(re.escape, words)))) for w, (_, words) in kw.items()
                               if words], {})
    _LAST[:] = [kw, m]
    return m


def classify(value, kw: dict) -> Classified:
    rules, seen = _matcher(kw)
    if len(seen) > _SEEN_MAX:
        seen.clear()
    found: set[str] = set()
    unmatched = []
    for ph in phrases(value):
        hit = seen.get(ph)
        if hit is None:
            hit = seen[ph] = tuple(w for w, rx in rules if rx.search(ph))
        if not hit:
            unmatched.append(ph)
        found.update(hit)
    return Classified([w for w in kw if w in found], unmatched)


@dataclass
class CountyWorks:
    county: str
    projects: int
    with_pipeline: int                   # projects including at least one priority pipeline
    by_work: dict[str, int]              # projects including each work
    without_priority: list[str]          # 项目编号 (or row) of projects without any priority work


def by_county(plans: dict, lp) -> list[CountyWorks]:
    """Per county (``plans``: county -> Plan): how many projects include each work and the priority pipelines."""
    kw = table(lp)
    out = []
    order = [c.name for c in getattr(lp, "policy", lp).counties]
    for county, plan in sorted(plans.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)):
        by_work = {w: 0 for w in kw}
        pipes, without = 0, []
        for row in plan.projects:
            c = classify(row.value(C.WORKS), kw)
            for w in c.works:
                by_work[w] += 1
            pipes += bool(c.pipelines(kw))
            if not c.priority(kw):
                without.append(str(row.value(C.PROJECT_ID) or f"第{row.row}行"))
        out.append(CountyWorks(county, len(plan.projects), pipes, by_work, without))
    return out
