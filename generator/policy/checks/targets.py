"""Targets and how they add up: district figures against the total (P101–P107), county names (P103), a
partial list (P105), liaison-point quotas (P120/P121), thresholds and inspection weights (P150/P151/P190)."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from generator.findings import Severity
from generator.policy import cnfmt
from generator.policy.checks.base import Ctx
from generator.policy.goals import goal
from generator.policy.model import QUANTITY_LABELS, QUANTITY_UNITS
from generator.policy.wording import lower_unit, lower_units, policy_scope


def check_target_sums(c: Ctx):
    """District figures against the city total, quantity by quantity, within the published precision: a sum
    of rounded figures may miss the total by the half-units of every rounded figure; a 不少于 total is met
    by a larger sum, a 不超过 total by a smaller one. A quantity a district does not publish is not summed
    (the sum is then partial and not checked)."""
    p = c.p
    ct = p.city_target
    if ct is None or p.counties_complete is False:    # a partial list is not summed (P105)
        return
    disagreements = p.disagreements or []
    counted = p.counties_with_target
    for field in QUANTITY_UNITS:
        code = {"projects": "P101", "households": "P102"}.get(field, "P104")
        total = goal(ct, field)
        vals = [(x.name, x.target) for x in counted if x.target is not None and getattr(x.target, field) is not None]
        if not total.published or not vals or len(vals) < len(counted):
            continue
        s = sum((b for _, t in vals if (b := t.base(field)) is not None), Decimal(0))
        # a sum of rounded figures may also be off by the half-unit of each district's figure
        slack = total.slack + sum((t.slack(field) for _, t in vals), Decimal(0))
        delta = replace(total, slack=slack).gap(s)
        known = next((d for d in disagreements if d.quantity == field), None)
        if delta is None:
            if known is not None:
                yield c.f("P107", Severity.ERROR, f"disagreements 记有{QUANTITY_LABELS[field]}不一致，但下级单位之和与总数相符",
                          f"a disagreement of {field} is recorded, but the units add up to the total",
                          loc=("disagreements", disagreements.index(known)), clause=known.clause)
            continue
        cmp = total.comparator
        unit = ct.unit(field)
        size = QUANTITY_UNITS[field][unit]
        shown_s = cnfmt.decimal_text(s / size)
        label = QUANTITY_LABELS[field]
        parts = "＋".join(f"{n}{t.shown(field)}" for n, t in vals)
        zh = (f"{lower_units(p.unit_level)}{label}之和为{shown_s}{unit}（{parts}），与{policy_scope(p)}总数"
              f"{total.text()}不符"
              f"（差{'+' if delta > 0 else '-'}{cnfmt.decimal_text(abs(delta) / size)}{unit}）")
        en = (f"county {field} add up to {shown_s} {unit} ({', '.join(f'{n} {t.shown(field)}' for n, t in vals)}) "
              f"but the city total is {'' if cmp == 'exactly' else cmp + ' '}{total.shown} "
              f"(difference {'+' if delta > 0 else '-'}{cnfmt.decimal_text(abs(delta) / size)} {unit})")
        if known is not None:        # published as published: a recorded disagreement is said, not an error
            recorded = Decimal(known.difference) * size
            if abs(recorded - delta) <= slack:
                yield c.f("P106", Severity.WARNING, "原文如此（已记录的不一致）：" + zh, "as published (a recorded "
                          "disagreement): " + en, loc=("disagreements", disagreements.index(known)),
                          clause=known.clause, value=cnfmt.decimal_value(s / size), expected=getattr(ct, field))
            else:
                yield c.f("P107", Severity.ERROR, f"disagreements 所记差额{known.difference}{unit}与数字不符：" + zh,
                          f"the recorded difference {known.difference} {unit} does not match: " + en,
                          loc=("disagreements", disagreements.index(known), "difference"), clause=known.clause)
            continue
        yield c.f(code, Severity.ERROR, zh, en, loc=("city_target", field), clause=ct.clause,
                  value=cnfmt.decimal_value(s / size), expected=getattr(ct, field),
                  extra={"counties": {n: getattr(t, field) for n, t in vals}})


def check_county_names(c: Ctx):
    seen = set()
    for i, county in enumerate(c.p.counties):
        if county.name in seen:
            yield c.f("P103", Severity.ERROR, f"{lower_unit(c.p.unit_level)}“{county.name}”重复出现", f"county '{county.name}' is listed twice",
                      loc=("counties", i, "name"), county=county.name, value=county.name)
        seen.add(county.name)


def check_partial_level(c: Ctx):
    p = c.p
    if p.counties_complete is False:
        n = len(p.counties_with_target)
        zh = (f"原文只列出部分下级单位（{n}个有任务）：允许，不与{policy_scope(p)}总数相加核对" if n else
              f"原文未公布{lower_units(p.unit_level)}的任务：不分解、不核对")
        en = (f"the source lists only some of the units below ({n} with a target): allowed, not summed against "
              "the total" if n else "the source does not publish the units' targets: nothing to add up")
        yield c.f("P105", Severity.INFO, zh, en, loc=("counties_complete",))


def check_liaison_quotas(c: Ctx):
    p = c.p
    if p.liaison_points is None:          # no liaison-point provision: no quota is owed
        return
    for i, county in enumerate(p.counties):
        if county.target is not None and county.liaison_quota is None:
            yield c.f("P120", Severity.ERROR, f"“{county.name}”有改造任务，但没有联系点数量",
                      f"'{county.name}' has a target but no liaison-point quota", loc=("counties", i),
                      clause="五（五）" if c.lp.text.get("五（五）") else None, county=county.name)
        q = county.liaison_quota
        if q is not None and q.value < 0:
            yield c.f("P150", Severity.ERROR, f"“{county.name}”联系点数量{q.value}为负数", f"negative quota for {county.name}",
                      loc=("counties", i, "liaison_quota", "value"), clause=q.clause, county=county.name)
        elif (q is not None and county.target is not None and county.target.projects is not None
              and q.value > county.target.projects):
            yield c.f("P121", Severity.WARNING,
                      f"“{county.name}”联系点数量{q.value}个多于其改造项目数{county.target.projects}个",
                      f"'{county.name}' liaison quota {q.value} exceeds its {county.target.projects} projects",
                      loc=("counties", i, "liaison_quota", "value"), clause=q.clause, county=county.name)


def check_thresholds(c: Ctx):
    p = c.p
    if p.consent is not None and not 0 < p.consent.threshold <= 1:
        yield c.f("P150", Severity.ERROR, f"居民同意率门槛{p.consent.threshold}不在(0, 1]范围内（80%应写作0.8）",
                  f"consent threshold {p.consent.threshold} is not in (0, 1] (write 80 % as 0.8)",
                  loc=("consent", "threshold"), clause=p.consent.clause, value=p.consent.threshold)
    insp = p.inspections
    if insp is not None:
        n = len(p.counties_with_target)
        ex = insp.excellent_count.value
        if not 0 <= ex <= n:
            yield c.f("P150", Severity.ERROR, f"优秀{lower_unit(p.unit_level)}数量{ex}不在0至{n}（有任务的单位数）之间",
                      f"{ex} excellent counties is not between 0 and {n}", loc=("inspections", "excellent_count", "value"),
                      clause=insp.excellent_count.clause, value=ex)
        if insp.weights is None:
            yield c.f("P190", Severity.INFO,
                      "原文仅称“综合权重”，未给出年中、年终检查验收的权重：权重留空，评比排名需先提供权重（--weights 或新版本政策）",
                      "the source names a weighted combination but gives no weights: left absent; ranking needs weights",
                      loc=("inspections",), clause=insp.clause)
        else:
            rounds = {r.id for r in insp.rounds}
            unknown = set(insp.weights) - rounds
            total = sum(insp.weights.values())
            if unknown or abs(total - 1) > 1e-9 or any(w < 0 for w in insp.weights.values()):
                yield c.f("P150", Severity.ERROR, f"检查验收权重须为各轮次（{'、'.join(sorted(rounds))}）的非负数且合计为1，现为{insp.weights}",
                          f"inspection weights must be non-negative, keyed by round ({', '.join(sorted(rounds))}) and sum to 1",
                          loc=("inspections", "weights"), clause=insp.clause, value=insp.weights)
    sc = p.start_criteria
    if sc is not None:
        ids = [it.id for it in sc.items]
        if ids != list(range(1, len(ids) + 1)):
            yield c.f("P151", Severity.WARNING, f"开工认定标准编号应为1至{len(ids)}连续，现为{ids}",
                      f"start criteria should be numbered 1..{len(ids)}, found {ids}", loc=("start_criteria", "items"),
                      clause=sc.clause)

