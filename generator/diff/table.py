"""The 新旧对照表 as rows: one row per clause touched by a change, in the new reading order.

A row shows the clause as printed in both versions with a character diff of the two (so a changed
number is struck through in 原规定 and underlined in 修改后, as a leader expects to read it) and
the 修改说明 of every change recorded for that clause. A parameter whose clause has no text (a
target-only policy) gets a row of its own: ``subject：value`` on each side.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.diff.clauses import Alignment, printed
from generator.policy.text import Clause
from generator.diff.labels import fmt
from generator.diff.model import Change
from generator.diff.textdiff import Ops, char_ops, new_side, old_side


@dataclass
class Row:
    clause: str                       # 条款 column: 二、目标任务 (原 三（五）… when moved)
    old: Ops                          # 原规定: equal + delete segments
    new: Ops                          # 修改后: equal + insert segments
    notes: list[str] = field(default_factory=list)   # 修改说明, one per change
    changes: list[Change] = field(default_factory=list)

    @property
    def old_text(self) -> str:
        return "".join(t for _, t in self.old)

    @property
    def new_text(self) -> str:
        return "".join(t for _, t in self.new)


def build_rows(changes: list[Change], alignment: Alignment, lang: str = "zh", county: str | None = None,
               policies: tuple | None = None) -> list[Row]:
    """Rows of the 对照表; with ``county`` a clause shows only its sentences that name the county.

    ``policies`` (old, new Policy) lets a unit without clause text print as one row: the unit's whole record
    old beside new (东安区：户数…，楼栋数…，建筑面积…), every change of it in the row's 修改说明."""
    groups: dict[tuple, list[Change]] = {}            # (old id, new id) -> changes of that clause
    clauses: dict[tuple, tuple[Clause | None, Clause | None]] = {}
    loose: list[Change] = []                          # no clause text on either side
    for ch in changes:
        o, n = _pair_of(ch, alignment)
        if o is None and n is None:
            loose.append(ch)
            continue
        key = (o.id if o else None, n.id if n else None)
        groups.setdefault(key, []).append(ch)
        clauses[key] = (o, n)
    keys = sorted(groups, key=lambda k: _position(alignment, *clauses[k]))
    rows = [_text_row(*clauses[k], groups[k], alignment, lang, county) for k in keys]
    units: dict[str, list[Change]] = {}               # counties[东安区] / city_target / document -> its changes
    for ch in loose:
        units.setdefault(ch.path.split(".")[0], []).append(ch)
    rows += [_unit_row(key, chs, lang, policies) for key, chs in units.items()]
    return rows


def _unit_row(key: str, chs: list[Change], lang: str, policies) -> Row:
    """One row for one unit (a county, the whole city) or one record: all its changes in one place."""
    if len(chs) == 1 and (policies is None or not (key.startswith("counties[") or key == "city_target")):
        return _value_row(chs[0], lang)
    sides = _unit_sides(key, chs, lang, policies)
    if sides is None:                              # a record without a printable whole: its changed values
        rows = [_value_row(ch, lang) for ch in chs]
        old_s = "\n".join(r.old_text for r in rows if r.old_text)
        new_s = "\n".join(r.new_text for r in rows if r.new_text)
    else:
        old_s, new_s = sides
    ops = char_ops(old_s, new_s)
    first = chs[0]
    return Row(first.clause_display or first.clause or "", old_side(ops), new_side(ops),
               [c.text(lang) for c in chs], list(chs))


def _unit_sides(key: str, chs: list[Change], lang: str, policies) -> tuple[str, str] | None:
    """The unit's record as printed in OLD and NEW ("" where the unit is absent)."""
    if policies is None:
        return None
    from generator.diff.params import unit_summary
    from generator.policy.wording import policy_level, policy_scope
    old_p, new_p = policies
    level = policy_level(new_p)
    sep = ": " if lang == "en" else "："
    if key == "city_target":
        o, n = old_p.city_target, new_p.city_target
        scope = policy_scope(new_p) if lang != "en" else "city-wide"
        return ((f"{scope}{sep}{unit_summary(o, level, lang)}" if o is not None else ""),
                (f"{scope}{sep}{unit_summary(n, level, lang)}" if n is not None else ""))
    if not key.startswith("counties["):
        return None
    name = key[len("counties["):-1]
    n = next((c for c in new_p.counties if c.name == name), None)
    old_name = n.renamed_from if n is not None and n.renamed_from else name
    o = next((c for c in old_p.counties if c.name == old_name), None)
    if o is None and n is None:
        return None
    return ((f"{o.name}{sep}{unit_summary(o, level, lang)}" if o is not None else ""),
            (f"{n.name}{sep}{unit_summary(n, level, lang)}" if n is not None else ""))


def _pair_of(ch: Change, al: Alignment):
    """The (old, new) clauses a change belongs to; (None, None) when neither version has its text."""
    if al.old_text is None or al.new_text is None or not ch.clause:
        return None, None
    if ch.kind == "clause":
        old_id = ch.old_clause or (ch.clause if ch.op == "removed" else None)
        new_id = ch.clause if ch.op != "removed" else None
        return (al.old_text.get(old_id) if old_id else None), (al.new_text.get(new_id) if new_id else None)
    on_new_side = ch.op != "removed"
    for po, pn in al.pairs:
        c = pn if on_new_side else po
        if c is not None and c.id == ch.clause:
            return po, pn
    # not aligned: a clause generated from parameters (attachment items) keeps its id
    return al.old_text.get(ch.clause), al.new_text.get(ch.clause)


def _position(al: Alignment, o, n) -> int:
    """Sort key in the new reading order; a removed clause sits where it was."""
    new_index = {c.id: k for k, c in enumerate(al.new_text.clauses)}
    if n is not None:
        return new_index.get(n.id, len(new_index)) * 2 + 1
    seen = False
    for po, pn in al.pairs:
        if po is not None and po.id == o.id:
            seen = True
        elif seen and pn is not None:
            return new_index.get(pn.id, len(new_index)) * 2
    return len(new_index) * 2


def _text_row(o, n, chs: list[Change], al: Alignment, lang: str, county: str | None = None) -> Row:
    old_s = printed(o) if o is not None else ""
    new_s = printed(n) if n is not None else ""
    if county:
        old_s, new_s = _sentences_naming(old_s, county), _sentences_naming(new_s, county)
    ops = char_ops(old_s, new_s)
    if n is not None:
        label = al.new_text.display(n.id)
        if o is not None and o.id != n.id:
            label += f"（原{al.old_text.display(o.id)}）" if lang != "en" else f" (was {al.old_text.display(o.id)})"
    else:
        label = al.old_text.display(o.id)
    return Row(label, old_side(ops), new_side(ops), [c.text(lang) for c in chs], chs)


def _sentences_naming(text: str, county: str) -> str:
    """The sentences (split at 。；and line ends) that name the county, joined with …"""
    parts = re.split(r"(?<=[。；\n])", text)
    kept = [p.strip("\n") for p in parts if county in p]
    return "…".join(kept) if kept else text


def _value_row(ch: Change, lang: str) -> Row:
    subject = ch.subject_en if lang == "en" and ch.subject_en else ch.subject
    sep = ": " if lang == "en" else "："
    def value(v, side=""):
        if not ch.shown:
            return fmt(v, ch.unit, lang)
        return ch.shown.get(side + lang) or ch.shown.get(lang, ch.shown["zh"])
    old_s = f"{subject}{sep}{value(ch.old, 'old_')}" if ch.old is not None else ""
    new_s = f"{subject}{sep}{value(ch.new)}" if ch.new is not None else ""
    ops = char_ops(old_s, new_s)
    return Row(ch.clause_display or ch.clause or "", old_side(ops), new_side(ops), [ch.text(lang)], [ch])
