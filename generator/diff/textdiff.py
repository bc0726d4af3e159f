"""Character-level diff for Chinese text (difflib on characters, no word segmentation needed).

``char_ops`` gives ("equal" | "delete" | "insert", text) segments; a tiny equal run between two
edits (one or two characters, e.g. “的”) is folded into the edit, so a reworded phrase reads as one
replacement instead of confetti. ``describe`` turns the segments into a 修改说明 phrase.
"""
from __future__ import annotations

from difflib import SequenceMatcher

Ops = list[tuple[str, str]]

_FOLD_MAX = 2          # equal runs this short between two edits are folded into the edit
_DESCRIBE_MAX = 3      # at most this many edits are spelled out in a 修改说明
_QUOTE_MAX = 40        # longer inserted/deleted text is shortened in a 修改说明


def similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def char_ops(a: str, b: str) -> Ops:
    """Segments that turn ``a`` into ``b``: deletions come before insertions at the same place."""
    blocks: list[list] = []     # [equal_text] or [deleted, inserted]
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            blocks.append(["=", a[i1:i2]])
        else:
            blocks.append(["~", a[i1:i2], b[j1:j2]])
    _snap_numbers(blocks)
    # fold short equal runs that sit between two edits
    merged: list[list] = []
    i = 0
    while i < len(blocks):
        b_ = blocks[i]
        if (b_[0] == "=" and len(b_[1]) <= _FOLD_MAX and merged and merged[-1][0] == "~"
                and i + 1 < len(blocks) and blocks[i + 1][0] == "~"):
            nxt = blocks[i + 1]
            merged[-1] = ["~", merged[-1][1] + b_[1] + nxt[1], merged[-1][2] + b_[1] + nxt[2]]
            i += 2
            continue
        if b_[0] == "~" and merged and merged[-1][0] == "~":
            merged[-1] = ["~", merged[-1][1] + b_[1], merged[-1][2] + b_[2]]
        else:
            merged.append(b_)
        i += 1
    ops: Ops = []
    for b_ in merged:
        if b_[0] == "=":
            ops.append(("equal", b_[1]))
        else:
            if b_[1]:
                ops.append(("delete", b_[1]))
            if b_[2]:
                ops.append(("insert", b_[2]))
    return ops


def _snap_numbers(blocks: list[list]) -> None:
    """Widen an edit to whole numbers: 14666 -> 15000 is struck and inserted whole, not as 4666 -> 5000."""
    for k, b_ in enumerate(blocks):
        if b_[0] != "~":
            continue
        if k > 0 and blocks[k - 1][0] == "=":
            eq = blocks[k - 1][1]
            cut = len(eq) - len(eq.rstrip("0123456789."))
            if cut and (b_[1][:1].isdigit() or b_[2][:1].isdigit()):
                blocks[k - 1][1] = eq[:len(eq) - cut]
                b_[1], b_[2] = eq[len(eq) - cut:] + b_[1], eq[len(eq) - cut:] + b_[2]
        if k + 1 < len(blocks) and blocks[k + 1][0] == "=":
            eq = blocks[k + 1][1]
            cut = len(eq) - len(eq.lstrip("0123456789."))
            if cut and (b_[1][-1:].isdigit() or b_[2][-1:].isdigit()):
                blocks[k + 1][1] = eq[cut:]
                b_[1], b_[2] = b_[1] + eq[:cut], b_[2] + eq[:cut]
    blocks[:] = [b_ for b_ in blocks if b_[0] == "~" or b_[1]]


def old_side(ops: Ops) -> Ops:
    """Segments of the old text: equal and delete (struck through in 原规定)."""
    return [op for op in ops if op[0] != "insert"]


def new_side(ops: Ops) -> Ops:
    """Segments of the new text: equal and insert (underlined in 修改后)."""
    return [op for op in ops if op[0] != "delete"]


def _short(text: str) -> str:
    text = text.replace("\n", "")
    return text if len(text) <= _QUOTE_MAX else text[:_QUOTE_MAX - 1] + "…"


def describe(ops: Ops, lang: str = "zh") -> str:
    """将“甲”修改为“乙”；增加“丙”；删除“丁” (at most three edits, then 等)."""
    edits: list[str] = []
    i = 0
    while i < len(ops):
        tag, text = ops[i]
        if tag == "delete" and i + 1 < len(ops) and ops[i + 1][0] == "insert":
            new = ops[i + 1][1]
            edits.append(f"replace '{_short(text)}' with '{_short(new)}'" if lang == "en"
                         else f"将“{_short(text)}”修改为“{_short(new)}”")
            i += 2
            continue
        if tag == "delete":
            edits.append(f"delete '{_short(text)}'" if lang == "en" else f"删除“{_short(text)}”")
        elif tag == "insert":
            edits.append(f"insert '{_short(text)}'" if lang == "en" else f"增加“{_short(text)}”")
        i += 1
    more = len(edits) > _DESCRIBE_MAX
    edits = edits[:_DESCRIBE_MAX]
    if lang == "en":
        return "; ".join(edits) + ("; etc." if more else "")
    return "；".join(edits) + ("等" if more else "")
