"""Province -> city -> county: a policy naming a ``parent`` inherits what it does not restate.

Merge rule (docs/policy.md, "上级政策与继承"):

* Each level's own: ``OWN_KEYS`` (identity, document, its target, its lower units, its text) are never inherited:
  a province's ``counties`` are its cities, a city's are its counties.
* Lists of records with an id (``milestones``, ``deadlines``, ``start_criteria.items``) merge by id: a member the
  child restates (same id) replaces the parent's, the parent's other members stay in force, the child's new ids are
  added; milestones and deadlines are then in date order. A child cannot drop a parent's criterion.
* Every other section (``consent``, ``funding``, ``project_fields`` ...) is taken whole from the parent when the
  child does not have it, and is the child's whole section when it does (restate the section with its own clause).

What a child restates is compared with its parent's and every ancestor's (``compare``): tighter is allowed and said,
looser is an error (P222) unless ``exceptions`` names the parameter with the child's own clause and quote AND the
ancestor it loosens grants it (``grants`` in the ancestor, with the ancestor's own clause and quote).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import PolicyLoadError

OWN_KEYS = {"id", "version", "status", "kind", "title", "supersedes", "label", "sources", "parent", "level",
            "counties_complete", "exceptions", "grants", "document", "city_target", "counties", "text",
            "lower_unit", "project_is_community"}     # how this document words and counts its own units
BY_ID = {("milestones",): "date", ("deadlines",): "date", ("start_criteria", "items"): "id"}
LEVEL_RANK = {"province": 3, "city": 2, "county": 1}


def inherited_from(lp, loc: tuple) -> str | None:
    """The id of the policy a value at ``loc`` comes from when it is inherited, else None."""
    if lp.parent is None or not any(loc[:n] in lp.inherited for n in range(1, len(loc) + 1)):
        return None
    n = next(n for n in range(len(loc), 0, -1) if loc[:n] in lp.inherited)
    return inherited_from(lp.parent, lp.inherited[loc[:n]] + loc[n:]) or lp.parent.policy.id


def resolve_ref(ref: str, base_file: str | None) -> str:
    """An id (henan/2022) or a path; a relative path is read from the folder of the file that names it."""
    if base_file and ":" not in base_file.split("/")[0]:
        base = Path(base_file).parent
        for cand in (base / ref, base.parent / ref):   # next to policy.yaml, or next to its folder
            if cand.exists() and (cand.is_file() or (cand / "policy.yaml").exists()):
                return str(cand)
    return ref


MAX_DEPTH = 8        # province -> city -> county is 3; a chain longer than this is a mistake, not a plan


def load_parent(ref: str, child_file: str, child_doc, chain: tuple, *, key: str | None = None, roots=(),
                verify: bool = True, load):
    """The policy ``parent:`` names, read only from ``roots`` (the policy search roots and the folder beside a
    policy given by path): a parent outside them is refused before it is read, and a file that is not a policy
    is refused without echoing anything of it."""
    from generator.errors import PolicyInvalidError

    line = child_doc.line_of(("parent",))
    where = f"{child_file}:{line}" if line else child_file
    shown = ref if len(ref) <= 80 and ref.isprintable() else ref[:60].encode("unicode_escape").decode() + "…"
    if len(chain) + 1 >= MAX_DEPTH:
        raise PolicyLoadError(f"上级政策层级超过 {MAX_DEPTH} 层（parent 链过长或自相引用）",
                              f"more than {MAX_DEPTH} levels of parents (a chain too long, or a policy naming "
                              "itself)", location=where)
    target = resolve_ref(ref, child_file)
    _refuse_outside(ref, target, roots, where, shown)
    try:
        return load(target, chain + (key or _key(child_file),), verify=verify, _roots=tuple(roots))
    except PolicyInvalidError as exc:
        # the findings would quote the file: a parent that is not a valid policy is named, not shown
        raise PolicyLoadError(f"parent 所指的“{shown}”不是有效的政策（{len(exc.findings)} 处不符合结构）；"
                              f"请单独运行 gaizao policy check 检查它",
                              f"the parent '{shown}' is not a valid policy ({len(exc.findings)} problems); run "
                              "gaizao policy check on it", location=where) from None
    except PolicyLoadError as exc:
        if exc.message.startswith(("上级政策形成循环", "上级政策层级超过")) or type(exc).__name__ == "IssuedMismatchError":
            raise
        raise PolicyLoadError(f"parent 所指的上级政策“{shown}”无法读取：{exc.message}",
                              f"the parent policy '{shown}' cannot be read: {exc.message_en}", location=where) from None


def _refuse_outside(ref: str, target: str, roots, where: str, shown: str) -> None:
    from generator.fileio import within

    bad = "\x00" in ref or any(not ch.isprintable() for ch in ref)
    if not bad and "@" in target and not Path(target).exists():
        target = target.rsplit("@", 1)[0]
    path = Path(target)
    if not bad and not path.is_absolute() and not path.exists() and ".." not in path.parts:
        return                               # an id: looked up inside the roots only
    if bad or not path.exists() or not within(path, roots):
        shown_roots = "；".join(str(r) for r in roots)
        raise PolicyLoadError(f"parent 所指的“{shown}”不在政策文件夹内，拒绝读取（只能是政策编号，或以下文件夹中的政策："
                              f"{shown_roots}）",
                              f"the parent '{shown}' is outside the policy folders: refused, not read (an id, or a "
                              f"policy inside: {shown_roots})", location=where)


def _key(file: str) -> str:
    try:
        return str(Path(file).resolve())
    except OSError:
        return file


def refuse_cycle(file: str, chain: tuple, rev: str | None = None) -> str:
    """The key of this file on the chain of parents (a file at a git revision is its own key); a file already
    on the chain is a cycle, said with every policy on it."""
    me = f"{rev}@{file}" if rev is not None else _key(file)
    if me in chain:
        names = " → ".join([*chain[chain.index(me):], me])
        raise PolicyLoadError(f"上级政策形成循环（parent 互相指向）：{names}",
                              f"the parent policies form a cycle: {names}", location=file)
    return me


def merge(parent_lp, own: dict) -> tuple[dict, dict, dict]:
    """(merged data, inherited: loc here -> loc in the parent, relocated: loc here -> loc in own data)."""
    merged = dict(own)
    inherited: dict[tuple, tuple] = {}
    relocated: dict[tuple, tuple] = {}
    pdata = parent_lp.effective
    for key, pval in pdata.items():
        if key in OWN_KEYS or pval in (None, [], {}):
            continue
        if key not in own or own[key] is None:
            merged[key] = pval
            inherited[(key,)] = (key,)
        elif (key,) in BY_ID:
            merged[key] = _merge_list((key,), pval, own[key], inherited, relocated)
        elif key == "start_criteria" and isinstance(own[key], dict) and isinstance(pval, dict):
            merged[key] = dict(own[key])
            merged[key]["items"] = _merge_list((key, "items"), pval.get("items") or [], own[key].get("items") or [],
                                               inherited, relocated)
    return merged, inherited, relocated


def _merge_list(loc: tuple, parent_items: list, own_items: list, inherited: dict, relocated: dict) -> list:
    if not isinstance(own_items, list) or not isinstance(parent_items, list):
        return own_items
    own_ids = {x.get("id") for x in own_items if isinstance(x, dict)}
    rows = [(x, "own", i) for i, x in enumerate(own_items)]
    rows += [(x, "parent", j) for j, x in enumerate(parent_items) if isinstance(x, dict) and x.get("id") not in own_ids]
    order = BY_ID[loc]
    rows.sort(key=lambda r: str(r[0].get(order, "")) if isinstance(r[0], dict) else "")
    for i, (_, src, j) in enumerate(rows):
        (inherited if src == "parent" else relocated)[loc + (i,)] = loc + (j,)
    return [x for x, _, _ in rows]


# -- comparing a child with its parent ---------------------------------------------------------------------
@dataclass
class Difference:
    kind: str            # tightened | loosened | changed
    path: str            # consent.threshold, milestones[all_started].date, city_target.households
    loc: tuple           # in the child
    parent_value: object
    value: object
    zh: str              # what moved, in words: 由10月31日提前至9月30日
    en: str


def ancestors(lp) -> list:
    """The parent, its parent, … (LoadedPolicy each), nearest first."""
    out, a = [], lp.parent
    while a is not None:
        out.append(a)
        a = a.parent
    return out


def granted(anc_policy, path: str):
    """The Grant of ``anc_policy`` that lets the levels below loosen ``path`` (a grant of a section or record
    covers what is in it), else None."""
    for g in anc_policy.grants:
        q = g.parameter.strip()
        if q and (path == q or path.startswith(q + ".") or path.startswith(q + "[")):
            return g
    return None


def _same_unit(a: str, b: str) -> bool:
    """德州 and 德州市 are one unit; 许昌市 and 许昌县 are not (only a bare name matches its suffixed form)."""
    return a == b or any(a + s == b or b + s == a for s in ("省", "市", "县", "区"))


def allotted(anc_policy, name: str):
    """What ``anc_policy`` lists for the unit ``name`` (德州 and 德州市 are one unit), or None."""
    hit = anc_policy.county(name)
    if hit is None:
        hit = next((c for c in anc_policy.counties if _same_unit(c.name, name)), None)
    return hit


def compare(lp, against=None) -> list[Difference]:
    """Every parameter the child restates that ``against`` (default: its parent; any ancestor) also sets, tighter,
    looser or otherwise changed. Tighten-only, provision by provision (docs/policy.md): eligibility (建成年份),
    start criteria (a restated criterion keeps the parent's words, it may add to them), milestones (date, share,
    measure and basis: 按户数 never becomes 按项目), deadlines, consent (threshold, 以上, subjects), and targets:
    the unit's whole target and each of its lower units' targets against what the ancestor allots them."""
    from generator.policy import cnfmt
    from generator.policy.model import QUANTITY_LABELS, QUANTITY_UNITS

    anc = against if against is not None else lp.parent
    p, pp = lp.policy, anc.policy
    out: list[Difference] = []
    restated = lambda key: key in lp.own and (key,) not in lp.inherited   # noqa: E731
    if restated("consent") and p.consent and pp.consent:
        a, b = pp.consent, p.consent
        if (b.threshold, b.inclusive) != (a.threshold, a.inclusive):
            stricter = b.threshold > a.threshold or (b.threshold == a.threshold and not b.inclusive)
            out.append(Difference("tightened" if stricter else "loosened", "consent.threshold", ("consent", "threshold"),
                                  a.threshold, b.threshold,
                                  f"居民同意率由{cnfmt.pct(a.threshold)}{'以上' if a.inclusive else ''}调整为"
                                  f"{cnfmt.pct(b.threshold)}{'以上' if b.inclusive else ''}",
                                  f"consent threshold {a.threshold}{' inclusive' if a.inclusive else ''} -> "
                                  f"{b.threshold}{' inclusive' if b.inclusive else ''}"))
        missing = [s for s in a.subjects if s not in b.subjects]
        if missing:
            out.append(Difference("loosened", "consent.subjects", ("consent", "subjects"), a.subjects, b.subjects,
                                  f"须经居民同意的事项少了{'、'.join(missing)}", f"consent no longer covers {missing}"))
    if restated("eligibility") and p.eligibility and pp.eligibility:
        out += _eligibility(pp.eligibility, p.eligibility)
    for name, label in (("milestones", "阶段节点"), ("deadlines", "期限")):
        parents = {m.id: m for m in getattr(pp, name)}
        for i, m in enumerate(getattr(p, name)):
            if (name, i) in lp.inherited or m.id not in parents:
                continue
            a = parents[m.id]
            if m.date != a.date:
                out.append(Difference("tightened" if m.date < a.date else "loosened", f"{name}[{m.id}].date",
                                      (name, i, "date"), a.date, m.date,
                                      f"{label}“{m.label}”由{cnfmt.printed_date(a.date, a.precision)}"
                                      f"{'提前' if m.date < a.date else '推迟'}至{cnfmt.printed_date(m.date, m.precision)}",
                                      f"{name} {m.id}: {a.date} -> {m.date}"))
            if name != "milestones":
                continue
            if m.share != a.share:
                out.append(Difference("tightened" if m.share > a.share else "loosened", f"milestones[{m.id}].share",
                                      (name, i, "share"), a.share, m.share,
                                      f"阶段节点“{m.label}”的比例由{cnfmt.pct(a.share)}调整为{cnfmt.pct(m.share)}",
                                      f"milestone {m.id} share {a.share} -> {m.share}"))
            if m.basis != a.basis:      # another measure of the same share: never the parent's rule (add a milestone)
                words = {"projects": "按项目", "households": "按户数"}
                out.append(Difference("loosened", f"milestones[{m.id}].basis", (name, i, "basis"), a.basis, m.basis,
                                      f"阶段节点“{m.label}”的口径由{words[a.basis]}改为{words[m.basis]}（上级的节点按"
                                      f"{words[a.basis]}考核；另一口径请另设节点）",
                                      f"milestone {m.id} basis {a.basis} -> {m.basis}"))
            if m.measure != a.measure:  # completed implies started: only started -> completed is tighter
                words = {"started": "开工", "completed": "完工"}
                out.append(Difference("tightened" if m.measure == "completed" else "loosened",
                                      f"milestones[{m.id}].measure", (name, i, "measure"), a.measure, m.measure,
                                      f"阶段节点“{m.label}”由要求{words[a.measure]}改为要求{words[m.measure]}",
                                      f"milestone {m.id} measure {a.measure} -> {m.measure}"))
    if p.start_criteria and pp.start_criteria and restated("start_criteria"):
        old = {c.id: c for c in pp.start_criteria.items}
        for i, c in enumerate(p.start_criteria.items):
            loc: tuple[str | int, ...] = ("start_criteria", "items", i)
            if loc in lp.inherited:
                continue
            if c.id not in old:
                out.append(Difference("tightened", f"start_criteria.items[{c.id}]", loc,
                                      None, c.label, f"增加开工认定标准“{c.label}”", f"adds start criterion {c.label!r}"))
                continue
            a_text, b_text = _words(old[c.id].text), _words(c.text)
            if a_text == b_text:
                continue
            if a_text and a_text in b_text:
                out.append(Difference("tightened", f"start_criteria.items[{c.id}]", loc + ("text",), old[c.id].text,
                                      c.text, f"开工认定标准{c.id}“{old[c.id].label}”在上级原文之外增加了要求",
                                      f"start criterion {c.id} adds to the parent's words"))
            else:
                out.append(Difference("loosened", f"start_criteria.items[{c.id}]", loc + ("text",), old[c.id].text,
                                      c.text, f"开工认定标准{c.id}“{old[c.id].label}”"
                                      f"{'被清空' if not b_text else '改写了上级的原文（只能在其后增加要求，不能删改）'}",
                                      f"start criterion {c.id} {'emptied' if not b_text else 'reworded'}: the parent's "
                                      "words must stay (they may be added to)"))
    # targets: the unit's own, and each unit below, against what the ancestor allots it (when it names it)
    units: list[tuple[str, Any, tuple[str | int, ...], str]] = [
        (str(p.document.city.value), p.city_target, ("city_target",), "city_target")]
    units += [(c.name, c.target, ("counties", i, "target"), f"counties[{c.name}].target")
              for i, c in enumerate(p.counties) if c.target is not None]
    for name, mine, loc, path in units:
        share = allotted(pp, name)
        if share is None or share.target is None or mine is None:
            continue
        for q in QUANTITY_UNITS:
            a, b = share.target.base(q), mine.base(q)
            if a is None or b is None:
                continue
            slack = share.target.slack(q) + mine.slack(q)
            if abs(b - a) <= slack:
                continue
            whose = "" if loc == ("city_target",) else name
            out.append(Difference("tightened" if b > a else "loosened", f"{path}.{q}", loc + (q,),
                                  share.target.shown(q), mine.shown(q),
                                  f"{whose}{QUANTITY_LABELS[q]}{mine.shown(q)}，{'多于' if b > a else '少于'}上级分解的"
                                  f"{share.target.shown(q)}", f"{name} {q} {mine.shown(q)} vs {share.target.shown(q)} "
                                  "allotted by the parent"))
    for key in ("funding", "project_fields", "priority_works", "plan_contents", "inspections", "liaison_points",
                "reporting"):
        a, b = getattr(pp, key), getattr(p, key)
        if restated(key) and a is not None and b is not None and _content(a) != _content(b):
            out.append(Difference("changed", key, (key,), None, None, f"重述了“{key}”，内容与上级不同",
                                  f"restates '{key}' differently from the parent"))
    return out


def _words(text: str) -> str:
    import re
    return re.sub(r"[\s，。；、,.;:：]+", "", text or "")


def _eligibility(a, b) -> list[Difference]:
    """改造范围 by year built: a later 建成年份 cutoff or a later (or new) band widens it."""
    out = []
    loc = ("eligibility",)
    if b.built_by != a.built_by:
        out.append(Difference("tightened" if b.built_by < a.built_by else "loosened", "eligibility.built_by",
                              loc + ("built_by",), a.built_by, b.built_by,
                              f"改造范围由{a.built_by}年底前建成调整为{b.built_by}年底前建成",
                              f"eligibility built by {a.built_by} -> {b.built_by}"))
    if a.band_to != b.band_to:
        if a.band_to is None:
            kind, zh = "loosened", f"增加了可适当纳入的建成年份段（至{b.band_to}年），上级没有"
        elif b.band_to is None:
            kind, zh = "tightened", f"不再适当纳入{a.built_by + 1}—{a.band_to}年建成的小区"
        else:
            kind = "tightened" if b.band_to < a.band_to else "loosened"
            zh = f"可适当纳入的建成年份由{a.band_to}年调整为{b.band_to}年"
        out.append(Difference(kind, "eligibility.band_to", loc + ("band_to",), a.band_to, b.band_to, zh,
                              f"eligibility band up to {a.band_to} -> {b.band_to}"))
    elif a.band_to is not None and _words(a.band_rule or "") != _words(b.band_rule or ""):
        out.append(Difference("changed", "eligibility.band_rule", loc + ("band_rule",), a.band_rule, b.band_rule,
                              "可适当纳入的条件与上级不同", "the band's condition differs from the parent's"))
    return out


def _content(model) -> dict:
    """A section without its provenance: the same rule quoted from another clause is the same rule."""
    drop = {"clause", "quote", "note", "note_en", "erratum"}

    def strip(x):
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if k not in drop}
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x
    return strip(model.model_dump(mode="json"))


def level_rank(level: str) -> int:
    return LEVEL_RANK[level]
