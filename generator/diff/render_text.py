"""Terminal view (rich) and Markdown of a policy diff."""
from __future__ import annotations

from generator.diff.model import PolicyDiff, Side
from generator.diff.textdiff import Ops

OP_ZH = {"added": "新增", "removed": "删除", "changed": "修改", "renamed": "更名", "moved": "移动",
         "renumbered": "调整序号", "rounding": "舍入"}
STATUS_ZH = {"issued": "已印发", "draft": "草案", "sample": "示例"}
_CONTEXT = 14          # characters of unchanged text kept around an edit in the terminal


def side_line(s: Side, lang: str = "zh") -> str:
    label = f"，{s.label}" if s.label else ""
    name = s.id + (f"@{s.ref.rsplit('@', 1)[1]}" if "@" in s.ref else "")     # a git revision is part of the name
    if lang == "en":
        return f"{name} (version {s.version}, {s.status}{', ' + s.label if s.label else ''})"
    return f"{name}（版本 {s.version}，{STATUS_ZH.get(s.status, s.status)}{label}）"


def readable_side(s: Side, lang: str = "zh") -> str:
    """How a leader names a version: 许百城提质办〔2023〕3号《许昌市2023年…实施方案》（2023年，已印发）.
    Internal ids and version numbers stay in the document properties (diff_manifest)."""
    title = s.title
    if s.label:                                      # the title may already carry the label: name it once
        title = title.replace(f"（{s.label}）", "")
    status = STATUS_ZH.get(s.status, s.status)
    label = f"，{s.label}" if s.label else ""
    if lang == "en":
        return (f"{s.doc_number + ' ' if s.doc_number else ''}{title} ({s.year or ''}, {s.status}"
                f"{', ' + s.label if s.label else ''})")
    year = f"{s.year}年，" if s.year else ""
    return f"{s.doc_number}《{title}》（{year}{status}{label}）"


def title(diff: PolicyDiff, lang: str = "zh") -> str:
    county = diff.county
    if lang == "en":
        return f"Policy comparison{' for ' + county if county else ''}: {side_line(diff.old, 'en')} → {side_line(diff.new, 'en')}"
    return f"政策版本比较{'（' + county + '）' if county else ''}：{side_line(diff.old)} → {side_line(diff.new)}"


def _excerpt(ops: Ops, keep_all: bool = False) -> Ops:
    """Long unchanged stretches shortened to …, so edits stand out."""
    if keep_all:
        return ops
    out: Ops = []
    for k, (tag, text) in enumerate(ops):
        if tag == "equal" and len(text) > 2 * _CONTEXT:
            head = text[:_CONTEXT] if k > 0 else ""
            tail = text[-_CONTEXT:] if k < len(ops) - 1 else ""
            text = f"{head}…{tail}"
        out.append((tag, text))
    return out


def print_diff(diff: PolicyDiff, lang: str = "zh", console=None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from generator.findings import shown
    from generator.safetext import terminal     # policy text may hold escape sequences ("\e" in YAML)

    en = lang == "en"
    console = console or Console(highlight=False)
    console.print(Text(terminal(title(diff, lang)), style="bold"))
    if diff.levels:
        console.print(diff.levels["note_en" if en else "note"])
    if diff.identical:
        console.print(diff.summary(lang))
        return
    t = Table(show_lines=False, expand=False)
    t.add_column("#", justify="right", no_wrap=True)
    t.add_column("clause" if en else "条款", overflow="fold")
    t.add_column("change" if en else "类型", no_wrap=True)
    t.add_column("explanation" if en else "修改说明", overflow="fold")
    for i, c in enumerate(diff.changes, 1):
        kind = c.op if en else OP_ZH.get(c.op, c.op)
        t.add_row(str(i), shown(c.clause_display or ""), kind, shown(c.text(lang)))
    console.print(t)
    if diff.rows:
        console.print(Text("clause by clause (old → new)" if en else "条文对照（原规定 → 修改后）", style="bold"))
    for row in diff.rows:
        console.print(Text(terminal(row.clause), style="bold cyan"))
        old, new = Text("  − "), Text("  + ")
        for tag, text in _excerpt(row.old):
            old.append(terminal(text), style="red strike" if tag == "delete" else "")
        for tag, text in _excerpt(row.new):
            new.append(terminal(text), style="green underline" if tag == "insert" else "")
        console.print(old)
        console.print(new)
    console.print(diff.summary(lang))


# -- Markdown --------------------------------------------------------------------------------------
def _md_cell(ops: Ops, mark: str) -> str:
    parts = []
    for tag, text in ops:
        text = text.replace("|", "\\|").replace("*", "\\*").replace("~", "\\~")
        lines = text.split("\n")
        if tag == "equal":
            parts.append("<br>".join(lines))
        else:
            wrap = (lambda s: f"~~{s}~~") if mark == "del" else (lambda s: f"<ins>{s}</ins>")
            parts.append("<br>".join(wrap(s) if s else "" for s in lines))
    return "".join(parts) or "—"


def to_markdown(diff: PolicyDiff, lang: str = "zh") -> str:
    en = lang == "en"
    out = [f"# {title(diff, lang)}", ""]
    for s, name in ((diff.old, "old" if en else "原版本"), (diff.new, "new" if en else "新版本")):
        out.append(f"- {name}: {s.title} · `{s.ref}` · sha256 `{s.hash[:12]}`")
    if diff.levels:
        out += ["", diff.levels["note_en" if en else "note"]]
    out += ["", f"**{diff.summary(lang)}**", ""]
    if diff.identical:
        return "\n".join(out)
    head = ("clause", "old", "new", "explanation") if en else ("条款", "原规定", "修改后", "修改说明")
    out += ["## " + ("Comparison table" if en else "新旧对照表"), "", "| " + " | ".join(head) + " |",
            "|" + "---|" * len(head)]
    for row in diff.rows:
        notes = "<br>".join(n.replace("|", "\\|") for n in row.notes)
        out.append(f"| {row.clause} | {_md_cell(row.old, 'del')} | {_md_cell(row.new, 'ins')} | {notes} |")
    out += ["", "## " + ("All changes" if en else "变化清单"), ""]
    for i, c in enumerate(diff.changes, 1):
        where = f"{c.clause_display} · " if c.clause_display else ""
        out.append(f"{i}. {where}`{c.path}` — {c.text(lang)}")
    return "\n".join(out) + "\n"
