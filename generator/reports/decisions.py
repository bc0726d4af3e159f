"""The office's own decisions, supplied as a file and printed as the office took them (never invented).

A tie at the cut-off for the excellent counties (``ranking.decision_needed``) is decided by the office: who
decided, when, and which of the tied counties take the places left. ``load_tie_decision`` reads it and checks it
against the ranking (only tied counties, exactly the places left), so the 检查验收结果通报 can name them::

    研究确定:
      决定机关: 市百城办主任办公会议        # who (decided_by)
      决定日期: 2024-01-08                  # when (date)
      优秀: [长葛市]                         # the chosen among the tied (chosen)
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from generator.errors import InputError

KEYS = {"who": ("决定机关", "决定单位", "decided_by", "who"), "when": ("决定日期", "日期", "date", "when"),
        "chosen": ("优秀", "确定单位", "chosen")}


@dataclass
class TieDecision:
    who: str
    when: dt.date
    chosen: list[str]


def _text(path) -> str:
    raw = Path(path).read_bytes()
    for enc in ("utf-8-sig", "gbk"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError("研究确定文件不是 UTF-8 或 GBK 文本", "the decision file is not UTF-8 or GBK text", location=str(path))


def load_tie_decision(path, ranking) -> TieDecision:
    """The office's decision on a tie at the cut-off, checked against ``ranking`` (generator.render.ranking)."""
    where = str(path)
    from generator.policy.yamlsrc import parse_yaml      # bounded, located; a date that does not exist stays text
    data = parse_yaml(_text(path), where, InputError).data
    if isinstance(data, dict) and isinstance(data.get("研究确定", data.get("tie_decision")), dict):
        data = data.get("研究确定", data.get("tie_decision"))
    if not isinstance(data, dict):
        raise InputError("研究确定文件应写明 决定机关、决定日期、优秀", "the decision needs decided_by, date and chosen",
                         location=where)
    get = {k: next((data[a] for a in aliases if a in data), None) for k, aliases in KEYS.items()}
    who = str(get["who"] or "").strip()
    if not who:
        raise InputError("研究确定文件缺少“决定机关”（由谁研究确定）", "the decision names no decided_by", location=where)
    when = get["when"]
    if isinstance(when, str):
        try:
            when = dt.date.fromisoformat(when.strip())
        except ValueError:
            when = None
    if not isinstance(when, dt.date) or isinstance(when, dt.datetime):
        raise InputError(f"“决定日期”应为日期，如 2024-01-08，而不是“{get['when']}”",
                         f"date must be a date like 2024-01-08, not {get['when']!r}", location=where)
    chosen = get["chosen"]
    chosen = [chosen] if isinstance(chosen, str) else chosen
    if not isinstance(chosen, list) or not all(isinstance(c, str) and c.strip() for c in chosen):
        raise InputError("“优秀”应列出确定的单位，如 [长葛市]", "chosen must list the counties, e.g. [长葛市]", location=where)
    chosen = [c.strip() for c in chosen]
    tied = list(ranking.decision_needed or [])
    if not tied:
        raise InputError("排名已能确定优秀单位，没有并列待研究确定的单位，不需要研究确定文件",
                         "the ranking decides every excellent county: there is no tie to decide", location=where)
    strangers = [c for c in chosen if c not in tied]
    if strangers:
        raise InputError(f"{'、'.join(strangers)}不在并列待研究确定的单位（{'、'.join(tied)}）之中",
                         f"{', '.join(strangers)} not among the tied counties ({', '.join(tied)})", location=where)
    places = ranking.excellent_count - sum(1 for r in ranking.rows if r.excellent)
    if len(set(chosen)) != places or len(chosen) != places:
        raise InputError(f"剩余优秀名额{places}个，研究确定了{len(chosen)}个（{'、'.join(chosen)}）",
                         f"{places} place(s) left, the decision names {len(chosen)}", location=where)
    return TieDecision(who, when, chosen)
