"""Clause text changes: align the clauses of two versions and diff their *wording*.

Separating wording from parameters: the clause text is a template (text.yaml) filled with
parameters. We render the OLD templates with the NEW parameters and compare that with the new
text: what still differs is a change of wording; a difference caused only by a parameter
disappears (it is reported once, by params.py). Where an old template cannot be filled with the new
parameters (it names a parameter the new version dropped), the old text is used as it was.

Alignment: clauses are paired by id first (when their content is still similar), then by content
similarity, so a clause that moved to another section or was renumbered is still found. A pair out
of reading order, or under another section, is "moved"; a pair in order with a new number is
"renumbered"; a sub-clause renumbered only because its section was is not reported again.

Clauses generated from a parameter list (the start criteria of the attachment) are parameters: their
changes are reported by params.py, never here.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from generator.diff.model import Change
from generator.diff.textdiff import char_ops, describe, similarity
from generator.policy.text import Clause, PolicyText, render_text

SIMILAR = 0.5                                   # a pair needs this much shared text
MOVABLE = {"section", "clause", "item", "preamble", "attachment_title", "attachment_note"}


def body(c: Clause) -> str:
    """What a clause says, without its number (a renumbered clause says the same)."""
    return "\n".join(([c.heading] if c.heading else []) + list(c.paragraphs))


def printed(c: Clause) -> str:
    """The clause as printed, number and heading included (the 对照表 shows this)."""
    return "\n".join(c.lines()) if c.kind in ("section", "clause") else c.text


@dataclass
class Alignment:
    """Which old clause became which new clause."""

    pairs: list[tuple[Clause | None, Clause | None]]       # new reading order
    old_text: PolicyText
    new_text: PolicyText


def generated_ids(policy) -> set[str]:
    """Clause ids whose text is a parameter list (attachment items_from)."""
    t = policy.text
    if t is None:
        return set()
    ids = set()
    for a in t.attachments:
        if a.items_from == "start_criteria" and policy.start_criteria:
            ids |= {f"{a.id}.{it.id}" for it in policy.start_criteria.items}
    return ids


def diff_clauses(old_lp, new_lp, county_names: set[str]) -> tuple[list[Change], Alignment]:
    old_text, new_text = old_lp.text, new_lp.text
    skip_old, skip_new = generated_ids(old_lp.policy), generated_ids(new_lp.policy)
    olds = [c for c in old_text.clauses if c.id not in skip_old]
    news = [c for c in new_text.clauses if c.id not in skip_new]
    wording = _old_wording(old_lp, new_lp)
    pairs = _pair(olds, news, wording)

    new_of_old = {i: j for i, j in pairs.items()}
    old_of_new = {j: i for i, j in pairs.items()}
    in_order = _longest_increasing([new_of_old[i] for i in sorted(new_of_old)])
    parent_old, parent_new = _parents(olds), _parents(news)
    id_pair = {olds[i].id: news[j].id for i, j in pairs.items()}

    changes: list[Change] = []
    ordered: list[tuple[Clause | None, Clause | None]] = []
    removed_after: dict[int, list[int]] = {}          # new index -> old clauses removed just before it
    for i in range(len(olds)):
        if i not in new_of_old:
            nxt = next((new_of_old[k] for k in range(i + 1, len(olds)) if k in new_of_old), len(news))
            removed_after.setdefault(nxt, []).append(i)
    for j in range(len(news) + 1):
        for i in removed_after.get(j, []):
            ordered.append((olds[i], None))
            changes.append(_clause_change("removed", olds[i], None, old_lp, new_lp, county_names))
        if j == len(news):
            break
        n = news[j]
        oi = old_of_new.get(j)
        o = olds[oi] if oi is not None else None
        ordered.append((o, n))
        if o is None:
            changes.append(_clause_change("added", None, n, old_lp, new_lp, county_names))
            continue
        ops = char_ops(wording(o), body(n))
        reworded = any(tag != "equal" for tag, _ in ops)
        moved = j not in in_order or (n.kind == "clause" and
                                      id_pair.get(parent_old.get(o.id, "")) != parent_new.get(n.id))
        if moved:
            op = "moved"
        elif o.id != n.id and not (n.kind == "clause" and o.number == n.number):
            op = "renumbered"
        elif reworded:
            op = "changed"
        else:
            continue                                   # same wording; an implied renumbering at most
        changes.append(_clause_change(op, o, n, old_lp, new_lp, county_names, ops if reworded else None))
    return changes, Alignment(ordered, old_text, new_text)


def unaligned(lp) -> Alignment:
    """The clauses of one policy, each paired with itself: the rows of two policies whose wording is not
    compared (different levels) show the clause a parameter cites as it stands in ``lp``."""
    skip = generated_ids(lp.policy)
    return Alignment([(c, c) for c in lp.text.clauses if c.id not in skip], lp.text, lp.text)


# -- pairing -------------------------------------------------------------------------------------
def _old_wording(old_lp, new_lp):
    """clause -> its old wording filled with the new parameters (fallback: its old text)."""
    hybrid = render_text(new_lp.policy.model_copy(update={"text": old_lp.policy.text}))
    broken = {cid for cid, _, _ in hybrid.problems}

    def wording(o: Clause) -> str:
        h = hybrid.get(o.id)
        return body(h) if h is not None and o.id not in broken and h.kind == o.kind else body(o)
    return wording


def _pair(olds: list[Clause], news: list[Clause], wording) -> dict[int, int]:
    """old index -> new index: by id (if still similar), then by best similarity."""
    pairs: dict[int, int] = {}
    new_index = {c.id: j for j, c in enumerate(news)}
    for i, o in enumerate(olds):
        j = new_index.get(o.id)
        if j is None or news[j].kind != o.kind:
            continue
        if o.kind not in MOVABLE or similarity(wording(o), body(news[j])) >= SIMILAR:
            pairs[i] = j
    free_old = [i for i in range(len(olds)) if i not in pairs and olds[i].kind in MOVABLE]
    taken = set(pairs.values())
    free_new = [j for j in range(len(news)) if j not in taken and news[j].kind in MOVABLE]
    scored = sorted(((similarity(wording(olds[i]), body(news[j])), i, j) for i in free_old for j in free_new
                     if olds[i].kind == news[j].kind), key=lambda t: (-t[0], t[1], t[2]))
    for score, i, j in scored:
        if score < SIMILAR:
            break
        if i not in pairs and j not in taken:
            pairs[i] = j
            taken.add(j)
    # A clause left over on both sides under the same id is that clause reworded (an editor rewrote it in
    # place): one row with its changes marked, never a deletion beside an addition.
    for i, o in enumerate(olds):
        j = new_index.get(o.id)
        if i not in pairs and j is not None and j not in taken and news[j].kind == o.kind:
            pairs[i] = j
            taken.add(j)
    return pairs


def _parents(clauses: list[Clause]) -> dict[str, str]:
    """sub-clause id -> id of the section it sits in."""
    out, section = {}, ""
    for c in clauses:
        if c.kind == "section":
            section = c.id
        elif c.kind == "clause":
            out[c.id] = section
    return out


def _longest_increasing(seq: list[int]) -> set[int]:
    """Values of one longest increasing subsequence: the pairs that kept their reading order."""
    tails: list[int] = []
    tails_at: list[int] = []
    prev: list[int | None] = [None] * len(seq)
    for k, v in enumerate(seq):
        pos = bisect_left(tails, v)
        if pos == len(tails):
            tails.append(v)
            tails_at.append(k)
        else:
            tails[pos] = v
            tails_at[pos] = k
        prev[k] = tails_at[pos - 1] if pos else None
    out: set[int] = set()
    at: int | None = tails_at[-1] if tails_at else None
    while at is not None:
        out.add(seq[at])
        at = prev[at]
    return out


# -- records -------------------------------------------------------------------------------------
def _clause_change(op: str, o: Clause | None, n: Clause | None, old_lp, new_lp, county_names: set[str],
                   ops=None) -> Change:
    either = n if n is not None else o
    assert either is not None                 # a change has an old clause, a new one or both
    new_disp = new_lp.text.display(n.id) if n is not None else None
    old_disp = old_lp.text.display(o.id) if o is not None else None
    shown = new_disp or old_disp or ""
    text_all = (printed(o) if o else "") + (printed(n) if n else "")
    if op == "added":
        zh, en = f"新增条款“{new_disp}”", f"clause '{new_disp}' added"
    elif op == "removed":
        zh, en = f"删除条款“{old_disp}”", f"clause '{old_disp}' removed"
    elif op == "moved":
        zh, en = f"条款由“{old_disp}”移至“{new_disp}”", f"clause moved from '{old_disp}' to '{new_disp}'"
    elif op == "renumbered":
        assert o is not None and n is not None    # renumbering pairs an old clause with a new one
        zh, en = f"序号由“{o.number}”调整为“{n.number}”", f"renumbered from {o.number} to {n.number}"
        err = o.erratum
        if err is not None and err.field == "number" and str(err.corrected) == str(n.number):
            zh, en = zh + "（更正原文序号错误）", en + " (corrects the misnumbering of the source)"
    else:
        zh, en = "修改条文", "wording changed"
    if ops is not None:
        zh += ("：" if op == "changed" else "；") + describe(ops)
        en += (": " if op == "changed" else "; ") + describe(ops, "en")
    return Change(kind="clause", op=op, path=either.id, subject=shown, subject_en=shown, explanation=zh,
                  explanation_en=en, clause=either.id, clause_display=shown,
                  old_clause=o.id if (o is not None and n is not None) else None,
                  old_clause_display=old_disp if (o is not None and n is not None) else None,
                  old=body(o) if o else None, new=body(n) if n else None, ops=ops,
                  mentions=tuple(sorted(name for name in county_names if name in text_all)))
