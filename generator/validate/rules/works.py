"""V205/V206: 改造内容 against the works the notice puts first (三（二）) and the 中央补助 its target names (二).

The words are classified by the one keyword table (generator/validate/works.py, printed in docs/life.md).
"""
from __future__ import annotations

from generator.findings import Severity
from generator.ledger import contract as C
from generator.validate.facts import column_errors, column_values, contract_of
from generator.validate.registry import Hit, rule
from generator.validate.works import classify, table


def _priority_clause(p):
    return p.priority_works.clause


# a note, not an error: the notice says 优先 (first), not 必须
@rule("V205", Severity.INFO, "改造内容未含政策列为优先的改造内容", "no priority work in the 改造内容",
      clause=_priority_clause)
def priority_works(plan, lp):
    kw = table(lp)
    pw = lp.policy.priority_works
    named = "、".join(pw.pipelines) + "等老旧管线、" + "、".join(pw.others)
    rows = plan.projects
    errors = column_errors(rows, C.WORKS)
    for j, v in enumerate(column_values(rows, C.WORKS)):
        if v is None or j in errors or (isinstance(v, (list, tuple)) and not v):
            continue                          # blank: V201's
        c = classify(v, kw)
        if c.priority(kw):
            continue
        found = "、".join(c.works) or "无可归类内容"
        yield Hit(f"改造内容（{found}）未含{named}；按“{pw.principle}”原则，请核实是否存在应优先改造的内容",
                  f"the works ({found}) include none of the priority works ({named})",
                  cell=rows[j].cell(C.WORKS), row=rows[j], value=v)


def _central_clause(p):
    """二 when the target counts "中央补助支持的" projects and a funding channel is 中央补助; else not run."""
    t = p.city_target
    if t is None or not t.quote or "中央补助支持" not in t.quote or _central(p) is None:
        return None
    return t.clause


def _central(p):
    if p.funding is None:
        return None
    return next((c for c in p.funding.channels if c.key == "central" or "中央" in c.name), None)


@rule("V206", Severity.WARNING, "目标为中央补助支持的项目，但未列中央补助资金",
      "the target counts centrally subsidised projects; this one lists no central subsidy", clause=_central_clause)
def central_subsidy(plan, lp):
    p = lp.policy
    channel = _central(p)
    column = next((name for name in contract_of(lp).funding_columns if name.startswith(channel.name)), None)
    if column is None:
        return
    rows = plan.projects
    errors = column_errors(rows, column)
    costs = column_values(rows, C.COST)
    for j, v in enumerate(column_values(rows, column)):
        if j in errors or costs[j] is None:
            continue                          # unreadable (V001) or no cost to fund (V201)
        if v is None or v == 0:
            yield Hit(f"总体任务为“中央补助支持的老旧小区改造项目”，本项目{channel.name}为0或未填写",
                      f"the target counts centrally subsidised projects; {channel.name} is blank or 0",
                      cell=rows[j].get(column), row=rows[j], column=column, value=v)
