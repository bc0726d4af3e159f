"""Copy safety: what belongs to another city or year in a policy started as a copy (P240–P244)."""
from __future__ import annotations

import datetime as dt
import re

from generator.findings import Severity
from generator.policy import cnfmt
from generator.policy.checks.base import Ctx, inherited
from generator.policy.params import iter_parameters


_YEAR_IN = re.compile(r"〔((?:19|20)\d{2})〕|^((?:19|20)\d{2})年")


def _stem(name: str) -> str:
    """许昌市 -> 许昌, 河南省 -> 河南: how the name also appears inside longer names (许昌市百城办, 豫 aside)."""
    return re.sub(r"(市|省|自治区|县|区)$", "", name) or name


def _other_units(lp) -> dict[str, str]:
    """Names of the units of the other known policies (stem -> full name) that this policy should not carry:
    its own unit, its parents' and its own lower units are excluded; a province counts only when this policy's
    parents name a different province (a city may cite its province without saying so in `parent`)."""
    from generator.policy.loader import list_ids, policy_roots

    p = lp.policy
    own = {str(p.document.city.value)} | {c.name for c in p.counties}
    ancestors, a = [], lp.parent
    while a is not None:
        ancestors.append(a.policy)
        own.add(str(a.policy.document.city.value))
        a = a.parent
    has_province = any(x.unit_level == "province" for x in ancestors)
    out: dict[str, str] = {}
    from generator.policy.wording import level_of
    for pid in list_ids():
        f = next((r / pid / "policy.yaml" for r in policy_roots() if (r / pid / "policy.yaml").exists()), None)
        city = _city_of(f)
        if city is None:           # an unreadable neighbour is its own problem, not this policy's
            continue
        if any(city == o or _stem(city) in o for o in own):
            continue
        if level_of(city) == "province" and not has_province:
            continue
        out[_stem(city)] = city
    return out


def _city_of(f) -> str | None:
    """document.city of a policy file, read quickly (libyaml when present: the 许昌 files are long)."""
    import yaml
    try:
        data = yaml.load(f.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        return str((data.get("document") or {})["city"]["value"])
    except Exception:
        return None


def check_copy_safety(c: Ctx):
    """A policy started as a copy of another city's keeps that city's issuer, errata, title or cited documents:
    each is flagged where it is, as not belonging to this policy's own unit and year."""
    lp, p = c.lp, c.p
    city, year = str(p.document.city.value), p.year
    m = re.search(r"/((?:19|20)\d{2})", p.id)
    if m and int(m.group(1)) != year:
        yield c.f("P243", Severity.ERROR, f"编号“{p.id}”的年度{m.group(1)}与计划年度{year}不同",
                  f"the id {p.id} says {m.group(1)} but the plan year is {year}", loc=("document", "plan_year", "value"),
                  value=year, expected=int(m.group(1)))
    others = _other_units(lp)

    def foreign(text: str) -> list[str]:
        return sorted({full for stem, full in others.items() if stem and stem in (text or "")})

    d = p.document
    places: list[tuple[tuple[str, ...], str, str]] = [(("title",), p.title, "标题")]
    for key, word in (("issuer", "发文机关"), ("issuer_short", "发文机关简称"), ("doc_number", "发文字号")):
        prm = getattr(d, key)
        if prm is not None:
            places.append((("document", key, "value"), str(prm.value), word))
    for loc, text, word in places:
        for name in foreign(text):
            yield c.f("P240", Severity.ERROR, f"{word}“{text}”属于{name}，不属于本政策的{city}（像是从{name}的政策复制而来）",
                      f"the {loc[-2] if loc[-1] == 'value' else loc[-1]} '{text}' belongs to {name}, not {city} "
                      "(copied from its policy?)", loc=loc, value=text)
    if d.parents is not None:
        for i, ref in enumerate(d.parents.value):
            years = [int(y) for pair in _YEAR_IN.findall(ref.number) + _YEAR_IN.findall(ref.title) for y in pair if y]
            later = [y for y in years if y > year]
            names = foreign(ref.issuer + ref.title)
            if later or names:
                why = (f"是{later[0]}年的文件，晚于本政策的{year}年度" if later else f"属于{'、'.join(names)}")
                yield c.f("P242", Severity.ERROR, f"依据文件《{ref.title}》（{ref.number}）{why}",
                          f"the cited document {ref.number} " + (f"is of {later[0]}, after the plan year {year}" if later
                                                                 else f"belongs to {', '.join(names)}"),
                          loc=("document", "parents", "value", i), value=ref.number)
    issue = d.issue_date.value if d.issue_date else None
    for prm in iter_parameters(p):
        e = prm.erratum
        if e is None or inherited(lp, prm.loc):
            continue
        names = foreign(f"{e.note}{e.corrected}")
        wrong_year = isinstance(e.corrected, dt.date) and e.corrected.year != year
        printed_fine = (isinstance(prm.value, dt.date) and prm.value.year == year
                        and (issue is None or prm.value >= issue))
        if names or wrong_year or printed_fine:
            why = (f"提到{'、'.join(names)}" if names else
                   f"更正后的日期{cnfmt.cn_date(e.corrected)}不在本政策的{year}年度" if wrong_year else
                   f"印发值{cnfmt.cn_date(prm.value)}在本年度内、不早于成文日期，并无明显错误")
            yield c.f("P241", Severity.ERROR, f"“{prm.path}”的勘误不属于本政策：{why}（勘误是原文的错误，不能从别的政策照抄）",
                      f"the erratum of '{prm.path}' does not belong to this policy (copied from another?)",
                      loc=prm.loc[:-1] + ("erratum",), value=e.note)
    seen = set()
    for cl in lp.text.clauses:
        text = "".join(cl.paragraphs) + (cl.heading or "")
        if cl.erratum is not None:
            text += f"{cl.erratum.note}{cl.erratum.corrected}"
        for name in foreign(text):
            if (cl.id, name) in seen:
                continue
            seen.add((cl.id, name))
            yield c.f("P244", Severity.ERROR, f"条款“{cl.display}”提到{name}，而本政策是{city}的",
                      f"clause {cl.id} names {name}, but this policy is {city}'s", loc=("text",) + tuple(cl.src),
                      clause=cl.id, value=name)

