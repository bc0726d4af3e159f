"""Words for the diff: what a schema field is called, its unit, and how a value prints.

This is a vocabulary of the *schema* (field names), not of any policy: no policy value appears
here. A field missing from the table is shown by its own name, so a new schema field still diffs.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from generator.policy import cnfmt

# field name -> (Chinese label, English label, unit). "" label: the segment is silent in a subject
# (counties[魏都区].target.households reads 魏都区户数).
FIELDS: dict[str, tuple[str, str, str | None]] = {
    "document": ("", "", None),
    "name": ("名称", "name", None),
    "target": ("", "", None),
    "value": ("", "", None),
    "items": ("", "", None),
    "issuer": ("发文机关", "issuer", None),
    "issuer_short": ("发文机关简称", "issuer short name", None),
    "doc_number": ("发文字号", "document number", None),
    "addressees": ("主送机关", "addressees", None),
    "issue_date": ("成文日期", "issue date", "date"),
    "city": ("城市", "city", None),
    "plan_year": ("年度", "plan year", "year"),
    "parents": ("依据文件", "parent documents", None),
    "city_target": ("全市", "city-wide", None),
    "counties": ("", "", None),
    "projects": ("项目数", "projects", "个"),
    "households": ("户数", "households", "户"),
    "liaison_quota": ("联系点数", "liaison points", "个"),
    "milestones": ("阶段目标", "milestone", None),
    "deadlines": ("完成时限", "deadline", None),
    "date": ("日期", "date", "date"),
    "share": ("比例", "share", "share"),
    "precision": ("日期表述", "date precision", None),
    "measure": ("衡量口径", "measure", None),
    "basis": ("计算基数", "basis", None),
    "who": ("责任主体", "responsible", None),
    "label": ("名称", "label", None),
    "consent": ("居民同意", "residents' consent", None),
    "threshold": ("比例", "threshold", "share"),
    "inclusive": ("含本数", "inclusive", None),
    "subjects": ("事项", "subjects", None),
    "plan_contents": ("实施方案内容", "plan contents", None),
    "phrase": ("表述", "phrase", None),
    "project_fields": ("项目信息", "project fields", None),
    "group": ("类别", "group", None),
    "columns": ("工作簿列", "workbook columns", None),
    "priority_works": ("优先改造内容", "priority works", None),
    "principle": ("原则", "principle", None),
    "pipelines": ("管线", "pipelines", None),
    "others": ("其他事项", "others", None),
    "start_criteria": ("开工认定标准", "start criteria", None),
    "title": ("标题", "title", None),
    "text": ("内容", "text", None),
    "inspections": ("督导验收", "inspections", None),
    "rounds": ("检查验收", "inspection round", None),
    "month": ("月份", "month", "month"),
    "method": ("考核办法", "method", None),
    "weights": ("权重", "weights", None),
    "excellent_count": ("优秀{lower_unit}名额", "excellent counties", "个"),   # 优秀县（市、区）, 优秀市
    "guidance_units": ("调研指导单位", "guidance units", None),
    "liaison_points": ("联系点", "liaison points", None),
    "criteria": ("条件", "criteria", None),
    "report_contents": ("报送内容", "report contents", None),
    "report_deadline": ("报送时限", "report deadline", None),
    "funding": ("资金筹措", "funding", None),
    "unit": ("金额单位", "unit", None),
    "channels": ("渠道", "channel", None),
    "reporting": ("信息报送", "reporting", None),
    "duties": ("要求", "duty", None),
    "parent": ("上级政策", "parent policy", None),
    "level": ("层级", "level", None),
    "counties_complete": ("下级单位已列全", "all units below listed", None),
    "exceptions": ("对上级的例外", "exceptions to the parent", None),
    "grants": ("准许下级放宽", "leave to loosen granted to the levels below", None),
    "parameter": ("参数", "parameter", None),
}

# Units that name a point, not a quantity: printed with their word, no increase/percentage.
ORDINAL_UNITS = {"year": ("年", ""), "month": ("月", "")}

UNITS_EN = {"户": "", "个": "", "万元": "x10k yuan"}     # the English labels already say households/projects

# How one member of a list of records is named (by the list's field name); default “{label}”.
MEMBER = {
    "counties": ("{name}", "{name}"),
    "start_criteria.items": ("第{id}条", "item {id}"),
}


def _entry(name: str) -> tuple[str, str, str | None] | None:
    """The words for a field: this table, else the label declared with the field in the schema
    (``model.labelled``), so a new parameter is named where it is declared."""
    return FIELDS.get(name) or schema_labels().get(name)


_SCHEMA_LABELS: dict[str, tuple[str, str, str | None]] = {}


def schema_labels() -> dict[str, tuple[str, str, str | None]]:
    """field name -> (zh, en, unit) from ``json_schema_extra["label"]`` of every model reachable from Policy."""
    if not _SCHEMA_LABELS:
        import typing

        from pydantic import BaseModel

        from generator.policy.model import Policy
        seen: set[type] = set()

        def walk(cls) -> None:
            if cls in seen:
                return
            seen.add(cls)
            for n, f in cls.model_fields.items():
                label = (f.json_schema_extra or {}).get("label") if isinstance(f.json_schema_extra, dict) else None
                if label:
                    _SCHEMA_LABELS.setdefault(n, tuple(label))
                stack = [f.annotation]
                while stack:
                    tp = stack.pop()
                    if isinstance(tp, type) and issubclass(tp, BaseModel):
                        walk(tp)
                    stack.extend(typing.get_args(tp))
        walk(Policy)
    return _SCHEMA_LABELS


def field_label(name: str, lang: str = "zh", level: str = "city") -> str:
    """The words for a field; {lower_unit} in them names the units below the policy's ``level``."""
    zh, en, _ = _entry(name) or (name, name, None)
    if lang == "en":
        return en
    from generator.policy.wording import lower_unit
    return zh.replace("{lower_unit}", lower_unit(level))


def field_unit(name: str) -> str | None:
    return (_entry(name) or (None, None, None))[2]


def join_subject(parts: list[str], lang: str = "zh") -> str:
    parts = [p for p in parts if p]
    return (" " if lang == "en" else "").join(parts)


def fmt(value: Any, unit: str | None = None, lang: str = "zh") -> str:
    """A value as a sentence prints it: 15000户, 80%, 2024年6月30日, “文字”."""
    en = lang == "en"
    if value is None:
        return "(none)" if en else "（无）"
    if isinstance(value, bool):
        return ("yes" if value else "no") if en else ("是" if value else "否")
    if isinstance(value, dt.date):
        return value.isoformat() if en else cnfmt.cn_date(value)
    if unit == "share" and isinstance(value, (int, float)):
        return cnfmt.pct(value)
    if unit in ORDINAL_UNITS and isinstance(value, int):
        return f"{value}{ORDINAL_UNITS[unit][1 if en else 0]}"
    if isinstance(value, (int, float)):
        num = f"{value:g}" if isinstance(value, float) else str(value)
        if not unit or unit == "date":
            return num
        if en:
            unit_en = UNITS_EN.get(unit, unit)
            return f"{num} {unit_en}" if unit_en else num
        return f"{num}{unit}"
    if isinstance(value, (list, tuple)):
        return "、".join(fmt(v, None, lang) for v in value)
    if isinstance(value, dict):
        return "，".join(f"{k}：{fmt(v, None, lang)}" for k, v in value.items())
    return f"“{value}”" if not en else f"'{value}'"


def quoted(text: str, lang: str = "zh") -> str:
    return f"'{text}'" if lang == "en" else f"“{text}”"
