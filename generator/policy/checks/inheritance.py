"""Levels: a parent above this policy (P226/P227/P242), what is inherited (P220), tighten-only through every
ancestor with exceptions only where granted (P221–P225), grants carry their quote (P228)."""
from __future__ import annotations


from generator.findings import Finding, Severity
from generator.policy import cnfmt
from generator.policy.checks.base import Ctx
from generator.policy.params import human_path
from generator.policy.wording import LEVEL_NAMES


def check_inheritance(c: Ctx):
    from generator.policy.inherit import ancestors, compare, granted, level_rank

    lp, p = c.lp, c.p
    if lp.parent is None:
        if p.exceptions:
            yield c.f("P225", Severity.WARNING, "写了 exceptions（对上级的例外），但没有 parent（上级政策）",
                      "exceptions are given but there is no parent", loc=("exceptions",))
        return
    pp = lp.parent.policy
    if level_rank(pp.unit_level) <= level_rank(p.unit_level):
        yield c.f("P226", Severity.ERROR,
                  f"上级政策 {pp.id}（{pp.document.city.value}，{LEVEL_NAMES[pp.unit_level]}级）不高于本政策"
                  f"（{p.document.city.value}，{LEVEL_NAMES[p.unit_level]}级）", f"the parent {pp.id} "
                  f"({pp.unit_level}) is not above this policy ({p.unit_level})", loc=("parent",), value=pp.id)
    if pp.year != p.year:
        yield c.f("P242", Severity.WARNING, f"上级政策 {pp.id} 是{pp.year}年度的，本政策是{p.year}年度",
                  f"the parent {pp.id} is for {pp.year}, this policy for {p.year}", loc=("parent",), value=pp.id)
    city = str(p.document.city.value)
    if pp.county(city) is None:
        listed = bool(pp.counties) and pp.counties_complete is not False
        yield c.f("P227", Severity.WARNING if listed else Severity.INFO,
                  (f"上级政策 {pp.id} 列出的下级单位中没有“{city}”" if listed else
                   f"上级政策 {pp.id} 未公布{city}的任务（{'只列出部分下级单位' if pp.counties else '未分解到下级单位'}）："
                   f"本级目标无法与上级分解核对"),
                  (f"the parent {pp.id} does not list '{city}'" if listed else
                   f"the parent {pp.id} does not publish a target for '{city}': not compared"), loc=("parent",))
    for loc in sorted(lp.inherited, key=lambda t: tuple(map(str, t))):
        path = human_path(p, loc)
        file, line = lp.locate(loc)
        what = _summary(_at(p, loc))
        yield Finding("P220", Severity.INFO, f"“{path}”继承自上级政策 {pp.id}{'：' + what if what else ''}",
                      f"'{path}' is inherited from {pp.id}", file=file, line=line, path=path)
    cited = {e.parameter: (i, e) for i, e in enumerate(p.exceptions)}
    loosened = set()
    # tighten-only through every level: against the parent (all differences said) and each ancestor above it
    # (only what is looser than it: a city's granted exception gives its counties nothing)
    for depth, anc in enumerate(ancestors(lp)):
        aid = anc.policy.id
        for d in compare(lp, anc):
            if depth and d.kind != "loosened":
                continue
            if d.kind == "tightened":
                yield c.f("P221", Severity.INFO, f"收紧（严于上级 {aid}）：{d.zh}", f"tighter than {aid}: {d.en}",
                          loc=d.loc, value=d.value, expected=d.parent_value)
            elif d.kind == "loosened":
                loosened.add(d.path)
                hit, grant = cited.get(d.path), granted(anc.policy, d.path)
                if hit is not None and grant is not None:
                    i, e = hit
                    yield c.f("P223", Severity.WARNING, f"放宽了上级 {aid} 的要求（已注明例外，上级准许）：{d.zh}；依据："
                              f"“{e.quote or ''}”；上级准许：“{grant.quote or grant.clause}”",
                              f"looser than {aid} by a cited exception the parent grants: {d.en}",
                              loc=("exceptions", i), clause=e.clause, value=d.value, expected=d.parent_value)
                elif hit is not None:
                    yield c.f("P222", Severity.ERROR, f"放宽了上级 {aid} 的要求：{d.zh}；exceptions 注明了例外，但上级 {aid} "
                              f"没有准许下级放宽“{d.path}”（上级政策的 grants 中须有此参数及其原文）",
                              f"looser than {aid}: {d.en}; the exception is cited but {aid} does not grant "
                              f"'{d.path}' (its `grants` must name it with its own clause and quote)",
                              loc=d.loc, value=d.value, expected=d.parent_value)
                else:
                    yield c.f("P222", Severity.ERROR, f"放宽了上级 {aid} 的要求：{d.zh}；如确属本级原文的例外，须上级准许"
                              f"（上级 grants 列出“{d.path}”），并在本级 exceptions 中写明参数、条款（clause）和原文（quote）",
                              f"looser than {aid}: {d.en}; an exception needs the parent's leave ('{d.path}' in its "
                              "`grants`) and this policy's `exceptions` entry with clause and quote",
                              loc=d.loc, value=d.value, expected=d.parent_value)
            else:
                yield c.f("P224", Severity.INFO, f"{d.zh}（无法判断宽严，请核对）", f"{d.en} (not comparable; check it)",
                          loc=d.loc)
    for name, (i, e) in cited.items():
        if name not in loosened:
            yield c.f("P225", Severity.WARNING, f"exceptions 所列参数“{name}”并未比上级宽松（或不存在）：例外多余",
                      f"exception names '{name}', which is not looser than the parent (or does not exist)",
                      loc=("exceptions", i, "parameter"), value=name)
        elif not (e.quote or "").strip():
            yield c.f("P225", Severity.ERROR, f"例外“{name}”没有本级原文（quote）：放宽须有本级文件的明文依据",
                      f"exception '{name}' has no quote of this policy's own text", loc=("exceptions", i))


def check_grants(c: Ctx):
    """A leave to loosen (grants) is the policy's own words: it carries its quote."""
    for i, g in enumerate(c.p.grants):
        if not (g.quote or "").strip():
            yield c.f("P228", Severity.ERROR, f"准许下级放宽“{g.parameter}”没有本级原文（quote）：准许须有本级文件的明文",
                      f"the grant for '{g.parameter}' has no quote of this policy's own text", loc=("grants", i))


def _at(obj, loc: tuple):
    for part in loc:
        obj = obj[part] if isinstance(part, int) else getattr(obj, part, None)
    return obj


def _summary(obj) -> str:
    """A record in a few words: 完成改造70%（按户数），12月底前; 居民同意率80%以上."""
    from generator.policy.model import Consent, Deadline, Milestone, StartCriterion

    if isinstance(obj, (Milestone, Deadline)):
        return f"{obj.label}，{cnfmt.printed_date(obj.date, obj.precision)}"
    if isinstance(obj, Consent):
        return f"居民同意率{cnfmt.pct(obj.threshold)}{'以上' if obj.inclusive else ''}（{'、'.join(obj.subjects)}）"
    if isinstance(obj, StartCriterion):
        return obj.label
    return ""

