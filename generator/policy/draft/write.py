"""Writing a draft folder: policy.yaml (草稿), text.yaml (the source text, clause by clause), questions.yaml.

Nothing in the folder is overwritten: a second draft goes to another folder. Files are written atomically.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from generator.errors import UsageError
from generator.fileio import atomic_write_text
from generator.policy.draft.pipeline import Draft

QUESTIONS_FILE = "questions.yaml"
_TEMPLATE = re.compile(r"\{[{%#]|[}%#]\}")


def literal(s: str) -> str:
    """Source words stay words: text.yaml is rendered as a template, so a brace pair is wrapped in raw."""
    return "{% raw %}" + s + "{% endraw %}" if _TEMPLATE.search(s) else s


def _literal_all(x: Any) -> Any:
    if isinstance(x, str):
        return literal(x)
    if isinstance(x, list):
        return [_literal_all(v) for v in x]
    if isinstance(x, dict):
        return {k: (_literal_all(v) if k not in ("id", "number", "label") else v) for k, v in x.items()}
    return x


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, s: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", s, style='"' if "\t" in s or "\n" in s else None)


_Dumper.add_representer(str, _str)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120, default_flow_style=False)


def policy_yaml(d: Draft) -> str:
    head = (f"# {d.policy['id']}：由 `gaizao policy draft` 从“{d.source}”摘录的草稿（label: 草稿，status: draft）。\n"
            "# 每个值都带着它在原文中的原话（quote）和位置（clause，见 text.yaml）；原文没写的，这里就没有。\n"
            "# 读不出的内容写在 questions.yaml 中，一行一个问题。逐项核对后：回答并删去问题，删去 label，再运行\n"
            f"#   gaizao policy check {d.policy['id']}\n")
    pol = dict(d.policy)
    if "start_criteria" in pol:
        pol["start_criteria"] = dict(pol["start_criteria"], items=[
            dict(it, text=literal(it["text"])) for it in pol["start_criteria"]["items"]])
    return head + dump(pol)


def text_yaml(d: Draft) -> str:
    head = (f"# 原文：{d.source}（由 `gaizao policy draft` 照录，草稿）。每段文字未改动，只去掉了中文字符之间的空格、把全角数字\n"
            "# 改为半角、把被换行拆开的段落接回；policy.yaml 的 clause 指向这里的条款编号（版头、二、三（一）、附件.1 …）。\n")
    if d.seg.imprint:
        head += "# 版记（不是方案条款，未收入）：" + "；".join(d.seg.imprint) + "\n"
    return head + dump(_literal_all(d.text))


def questions_yaml(d: Draft) -> str:
    head = ("# 草稿待确认：policy draft 读不出或不能确定的内容，一行一个问题（从不猜测）。回答后把答案写进 policy.yaml，\n"
            "# 删去该问题；全部回答后删去本文件。`gaizao policy check` 列出尚未回答的问题（P164）。\n")
    rows = []
    for q in d.questions:
        row = {"about": q.key, "question": q.text}
        if q.quote:
            row["quote"] = q.quote
        if q.clause:
            row["clause"] = q.clause
        rows.append(row)
    return head + dump(rows)


def write_draft(d: Draft, out: str | Path) -> list[Path]:
    out = Path(out)
    targets = [out / "policy.yaml", out / "text.yaml", out / QUESTIONS_FILE]
    existing = [str(p) for p in targets if p.exists()]
    if existing:
        raise UsageError("草稿文件夹中已有文件，未改动：请换一个文件夹（-o）", "the folder already holds a policy; nothing "
                         "was changed: choose another folder (-o)", location="、".join(existing))
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(targets[0], policy_yaml(d))
    atomic_write_text(targets[1], text_yaml(d))
    atomic_write_text(targets[2], questions_yaml(d))
    return targets


def default_id(out: Path, year: int | None) -> str:
    """policies/zhoukou/2022 → zhoukou/2022; any other folder: its name and the plan year."""
    out = Path(out)
    if re.fullmatch(r"(19|20)\d\d(-[a-z0-9]+)?", out.name) and out.parent.name:
        return f"{out.parent.name}/{out.name}"
    return f"{out.name or 'draft'}/{year}-draft" if year else f"{out.name or 'draft'}/draft"
