"""Source → paragraphs → parts → reading → policy data, every drafted record's quote verified in its clause.

``Draft.policy`` is the policy.yaml data (status draft, label 草稿), ``Draft.text`` the text.yaml data (the source
text, clause by clause), ``Draft.questions`` what a person must answer. A record whose quote is not in its clause,
or whose number or date is not in its quote (the same test as ``policy check`` P160/P161), is never written: it is
moved to the questions and listed in ``Draft.dropped`` (the tests require that list to be empty).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.policy import cnfmt
from generator.policy.draft import rules
from generator.policy.draft.extract import extract, paragraphs
from generator.policy.draft.rules import Found, Question, Reading
from generator.policy.draft.segment import Segmented, segment
from generator.policy.params import numeric_leaves

LABEL = "草稿"
QUANTITY_ORDER = ("projects", "communities", "households", "buildings", "area")


def norm(s: str) -> str:
    """What quotes are compared in: no white space (the check's own normalisation)."""
    return re.sub(r"\s+", "", s or "")


@dataclass
class Draft:
    source: str
    seg: Segmented
    reading: Reading
    policy: dict[str, Any] = field(default_factory=dict)
    questions: list[Question] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)   # (key, why) of records never written

    @property
    def text(self) -> dict[str, Any]:
        return self.seg.text

    def clause_text(self, cid: str) -> str | None:
        for p in self.seg.parts:
            if p.cid == cid:
                return p.text
        return None

    def values(self) -> list[dict[str, Any]]:
        """Every value read, as rows {key, value, quote, clause, status}: status drafted (in policy.yaml), asked (read
        in part and put to the person with its words) or reported (a progress figure, not a target). For measuring."""
        rows = []
        for f in self.reading.found:
            if any(k == f.key for k, _ in self.dropped):
                continue
            rows += _rows(f, "drafted")
        for f in self.reading.reported:
            rows += _rows(f, "reported")
        for q in self.questions:
            if q.value is not None and q.quote:
                rows.append({"key": q.key, "value": q.value, "quote": q.quote, "clause": q.clause, "status": "asked"})
        return rows


def _rows(f: Found, status: str) -> list[dict[str, Any]]:
    if f.key.startswith("other."):
        f = Found(f.key[len("other."):], f.value, f.quote, f.clause, unit=f.unit)
    v: Any = f.value
    if f.key.endswith((".households", ".area")) or f.key.endswith(tuple("." + q for q in QUANTITY_ORDER)):
        unit = f.unit or {"households": "户", "area": "万㎡"}.get(f.key.rsplit(".", 1)[1])
        v = f"{f.value:g}{unit}" if unit else f.value
    if f.key == "funding":
        return [{"key": "funding", "value": name, "quote": q, "clause": f.clause, "status": status} for name, q in f.value]
    if f.key == "start_criteria":
        return [{"key": "start_criteria", "value": it["text"], "quote": it["text"], "clause": it["clause"],
                 "status": status} for it in f.value["items"]]
    if f.key in ("liaison_points", "counties_complete"):
        return []
    return [{"key": f.key, "value": v, "quote": f.quote, "clause": f.clause, "status": status}]


# -- building policy.yaml data ---------------------------------------------------------------------------------------
def _span(text: str, quotes: list[str]) -> str | None:
    """The shortest passage of ``text`` holding every quote (in the order they occur), or None."""
    spans = []
    for q in quotes:
        k = text.find(q)
        if k < 0:
            return None
        spans.append((k, k + len(q)))
    return text[min(a for a, _ in spans):max(b for _, b in spans)]


def _target(founds: list[Found], draft: Draft) -> tuple[dict[str, Any] | None, list[Found]]:
    """One Target record from the quantities of one unit: those in the first clause; the rest are left over."""
    if not founds:
        return None, []
    clause = founds[0].clause
    here = [f for f in founds if f.clause == clause]
    rest = [f for f in founds if f.clause != clause]
    quote = _span(draft.clause_text(clause) or "", [f.quote for f in here]) or here[0].quote
    t: dict[str, Any] = {}
    units, comps, prec, notes = {}, {}, {}, []
    for q in QUANTITY_ORDER:
        f = next((x for x in here if x.key.endswith("." + q)), None)
        if f is None:
            continue
        t[q] = f.value
        if f.unit:
            units[q] = f.unit
        if f.comparator:
            comps[q] = f.comparator
        if isinstance(f.value, float):
            m = re.search(re.escape(f"{f.value:g}") + r"0+(?!\d)", quote)
            if m:
                prec[q] = len(m.group(0).split(".")[1])
        if f.note:
            notes.append(f.note)
    out: dict[str, Any] = {}
    if units:
        out["units"] = units
    out.update(t)
    for k in ("scope", "stage"):           # said by the words of every quantity of the record
        said = {f.extra.get(k) for f in here}
        if len(said) == 1 and None not in said:
            out[k] = said.pop()
    if prec:
        out["precision"] = prec
    if comps:
        out["comparator"] = comps
    out["clause"] = clause
    out["quote"] = quote
    if notes:
        out["note"] = "".join(dict.fromkeys(notes))
    return out, rest


def _ids(prefix: str, used: set[Any]) -> str:
    k = 1
    while f"{prefix}{'' if k == 1 else '_' + str(k)}" in used:
        k += 1
    pid = f"{prefix}{'' if k == 1 else '_' + str(k)}"
    used.add(pid)
    return pid


def build(draft: Draft, pid: str, source_name: str) -> dict[str, Any]:
    r = draft.reading
    g = r.get
    title = draft.seg.plan_title or draft.seg.notice.get("title") or f"{Path(source_name).stem}（草稿）"
    pol: dict[str, Any] = {"id": pid, "version": "0.1.0", "status": "draft", "label": LABEL, "title": title,
                 "sources": [(f"{source_name}（由 gaizao policy draft 摘录；每个值须与原文逐项核对，核对完毕后删去 label 并回答"
                              " questions.yaml 中的问题）")]}
    doc: dict[str, Any] = {}
    for name in ("issuer", "doc_number", "issue_date", "city", "plan_year"):
        f = g(f"document.{name}")
        if f is not None:
            doc[name] = {"value": f.value, "clause": f.clause, "quote": f.quote}
    pol["document"] = doc
    lv = g("level")
    if lv is not None and "city" not in doc:       # 全省/我省 said, the unit's name not: the level is still known
        pol["level"] = lv.value
    city = [f for f in r.found if f.key.startswith("city_target.")]
    others = [f for f in r.found if f.key.startswith("other.city_target.")]
    if others:
        pol["other_targets"] = [t for t in (_target([f], draft)[0] for f in others) if t]
    rep = []
    for f in r.reported:
        m = re.match(r"reported\.(?:counties\[(.+?)\]|city_target)\.(\w+)$", f.key)
        if not m:
            continue
        rec = {"of": m.group(1)} if m.group(1) else {}
        t, _ = _target([Found(f"x.{m.group(2)}", f.value, f.quote, f.clause, unit=f.unit, note=f.note)], draft)
        rep.append({**rec, **(t or {})})
    if rep:
        pol["reported"] = rep
    dis = [f for f in r.found if f.key == "disagreement"]
    if dis:
        pol["disagreements"] = [{"quantity": f.value["quantity"], "difference": f.value["difference"],
                                 "clause": f.clause, "quote": f.quote} for f in dis]
    t, rest = _target(city, draft)
    for f in rest:
        draft.questions.append(Question(f.key, f"另一处（{f.clause}）也给出本级目标“{f.quote}”：草稿未合并，请确认",
                                        f.quote, f.clause, f.value))
    if t:
        pol["city_target"] = t
    counties: dict[str, dict[str, Any]] = {}
    for f in r.found:
        m = re.match(r"(?:other\.)?counties\[(.+?)\]\.(\w+)$", f.key)
        if m:
            counties.setdefault(m.group(1), {"q": [], "quota": None, "other": []})
            if f.key.startswith("other."):
                counties[m.group(1)]["other"].append(f)
            elif m.group(2) == "liaison_quota":
                counties[m.group(1)]["quota"] = f
            else:
                counties[m.group(1)]["q"].append(f)
    clist = []
    for name, c in counties.items():
        entry: dict[str, Any] = {"name": name}
        t, rest = _target(c["q"], draft)
        for f in rest:
            draft.questions.append(Question(f.key, f"{name}的目标在另一处（{f.clause}）也有“{f.quote}”：草稿未合并，请确认",
                                            f.quote, f.clause, f.value))
        if t:
            entry["target"] = t
        if c["other"]:
            entry["other_targets"] = [t for t in (_target([f], draft)[0] for f in c["other"]) if t]
        if c["quota"] is not None:
            q = c["quota"]
            entry["liaison_quota"] = {"value": q.value, "clause": q.clause, "quote": q.quote}
        clist.append(entry)
    pol["counties"] = clist
    if g("counties_complete") is not None:          # the text names more units than it lists (公布了16市…)
        pol["counties_complete"] = False
    used: set[Any] = set()
    ms = []
    for f in r.found:
        if f.key != "milestones":
            continue
        v = f.value
        mid = _ids(("all_" if v["share"] == 1.0 else "") + v["measure"] +
                   ("" if v["share"] == 1.0 else f"_{cnfmt.pct(v['share']).rstrip('%')}"), used)
        rec = {"id": mid, "label": v["label"], "date": v["date"], "precision": v["precision"], "measure": v["measure"],
               "basis": v["basis"], "share": v["share"], "clause": f.clause, "quote": f.quote}
        if f.note:
            rec["note"] = f.note
        ms.append(rec)
    if ms:
        pol["milestones"] = sorted(ms, key=lambda x: x["date"])
    dls = []
    for f in r.found:
        if f.key != "deadlines":
            continue
        v = f.value
        rec = {"id": _ids("deadline_" + v["date"].strftime("%m%d"), used), "label": v["label"], "date": v["date"],
               "precision": v["precision"], "clause": f.clause, "quote": f.quote}
        if v.get("who"):
            rec["who"] = v["who"]
        dls.append(rec)
    if dls:
        pol["deadlines"] = dls
    cons = g("consent")
    if cons is not None:
        pol["consent"] = {"threshold": cons.value["threshold"], "inclusive": cons.value["inclusive"],
                          "subjects": cons.value["subjects"], "clause": cons.clause, "quote": cons.quote}
    e = g("eligibility")
    if e is not None:
        rec = {"built_by": e.value["built_by"]}
        quote = e.quote
        b = g("eligibility.band")
        if b is not None and b.clause == e.clause:
            span = _span(draft.clause_text(e.clause) or "", sorted([e.quote, b.quote],
                                                                   key=lambda q: (draft.clause_text(e.clause) or "").find(q)))
            if span:
                rec["band_to"] = b.value
                quote = span
        pol["eligibility"] = {**rec, "clause": e.clause, "quote": quote}
    sc = g("start_criteria")
    if sc is not None:
        pol["start_criteria"] = {"title": sc.value["title"], "clause": sc.clause, "items": [
            {"id": it["id"], "label": it["label"], "text": it["text"], "clause": it["clause"], "quote": it["text"]}
            for it in sc.value["items"]]}
    lp = g("liaison_points")
    if lp is not None:
        dl = next((d for d in dls if d["clause"] == lp.clause and "联系点" in d["label"]), None)
        if lp.value["criteria"] and lp.value["report_contents"] and dl:
            pol["liaison_points"] = {"criteria": lp.value["criteria"], "report_contents": lp.value["report_contents"],
                                     "report_deadline": dl["id"], "clause": lp.clause, "quote": lp.quote}
        else:
            draft.questions.append(Question("liaison_points", "原文写了联系点，但未读全其条件、报送内容和报送期限：请补写 "
                                            "liaison_points（criteria、report_contents、report_deadline）", lp.quote, lp.clause))
    fu = g("funding")
    if fu is not None:
        seen: dict[str, Any] = {}
        for name, q in fu.value:
            seen.setdefault(name, q)
        pol["funding"] = {"clause": fu.clause, "quote": fu.quote, "channels": [
            {"key": f"channel_{k + 1}", "name": name, "quote": q} for k, (name, q) in enumerate(seen.items())]}
        draft.questions.append(Question("funding", "资金渠道按原文措辞列出（key 为 channel_1…）：请改为稳定的 key，并确认每个渠道是否"
                                        "作为报送表的一列（名称 +（万元））", fu.quote, fu.clause))
    return pol


# -- verification: the same tests policy check applies (P160, P161) ----------------------------------------------------
def _records(pol: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """(path, record) of every dict with a clause and a quote."""
    if isinstance(pol, dict):
        if "clause" in pol and "quote" in pol:
            yield path, pol
        for k, v in pol.items():
            yield from _records(v, path + (k,))
    elif isinstance(pol, list):
        for i, v in enumerate(pol):
            yield from _records(v, path + (i,))


_META = {"clause", "quote", "note", "id", "precision", "units", "comparator", "label", "text", "key", "name",
         "difference", "of", "scope", "stage"}


def verify(draft: Draft, pol: dict[str, Any]) -> None:
    """Drop every record whose quote is not in its clause, or whose numbers and dates are not in its quote."""
    bad: list[tuple[tuple[Any, ...], str]] = []
    for path, rec in list(_records(pol)):
        clause = draft.clause_text(rec["clause"])
        if clause is None or norm(rec["quote"]) not in norm(clause):
            bad.append((path, f"引文不在条款“{rec['clause']}”中：{rec['quote']}"))
            continue
        values = {k: v for k, v in rec.items() if k not in _META and not isinstance(v, (dict, list))}
        for k, v in values.items():
            if isinstance(v, bool) or not numeric_leaves(v):
                continue
            # as policy check P161: a target quantity may be a decimal figure (0.85万户), not a share
            forms = cnfmt.value_forms(v) + ([f"{v:g}"] if k in QUANTITY_ORDER and isinstance(v, float) else [])
            if not any(norm(form) in norm(rec["quote"]) for form in forms):
                bad.append((path, f"值{v}不在引文中：{rec['quote']}"))
                break
    for path, why in reversed(bad):
        parent = pol
        for k in path[:-1]:
            parent = parent[k]
        key = ".".join(str(x) for x in path)
        draft.dropped.append((key, why))
        draft.questions.append(Question(key, f"草稿未写入（{why}）：请对照原文补写"))
        if isinstance(parent, list):
            parent.pop(path[-1])
        else:
            parent.pop(path[-1])
    if "document" in pol:
        for k in [k for k, v in pol["document"].items() if not v]:
            pol["document"].pop(k)


def draft_paragraphs(paras: list[str], pid: str, source_name: str) -> Draft:
    seg = segment(paras)
    reading = rules.read(seg)
    d = Draft(source_name, seg, reading)
    d.questions = list(reading.questions)
    pol = build(d, pid, source_name)
    verify(d, pol)
    d.policy = pol
    return d


def draft_text(text: str, pid: str = "draft/0000", source_name: str = "原文") -> Draft:
    return draft_paragraphs(paragraphs(text.splitlines()), pid, source_name)


def draft_file(path: str | Path, pid: str = "draft/0000") -> Draft:
    return draft_paragraphs(extract(path), pid, Path(path).name)
