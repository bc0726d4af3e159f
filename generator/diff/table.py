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


def build_rows(changes: list[Change], alignment: Alignment, lang: str = "zh", county: str | None = None) -> list[Row]:
    """Rows of the 对照表; with ``county`` a clause shows only its sentences that name the county."""
    groups: dict[tuple, list[Change]] = {}            # (old id, new id) -> changes of that clause
    clauses: dict[tuple, tuple] = {}
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
    rows += [_value_row(ch, lang) for ch in loose]
    return rows


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
