"""docs/policy-schema.md, generated from the pydantic model: every key with its type, whether it is required,
its meaning (the comment on the field in generator/policy/model.py), its unit and an example from a bundled
policy; then every check code with its meaning (generator/policy/codes.py).

    python -m generator.policy.schemadoc           # rewrite docs/policy-schema.md
    python -m generator.policy.schemadoc --check   # exit 1 when the committed file is stale
    gaizao policy schema                           # print it

A field without a comment in model.py fails tests/policy/test_schema_doc.py: a key is documented where it is
declared, nowhere else.
"""
from __future__ import annotations

import ast
import datetime as dt
import inspect
import sys
import typing
from pathlib import Path

from pydantic import BaseModel

from generator.policy import model as schema
from generator.policy.codes import CODES

DOC = Path(__file__).resolve().parents[2] / "docs" / "policy-schema.md"
EXAMPLE_ORDER = ("xuchang/2023", "mudanjiang/2022", "henan/2022", "xuchang/2022-example")
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def field_comments() -> dict[tuple[str, str], str]:
    """(class, field) -> the comment on the field's line(s), else the comment lines right above it."""
    source = inspect.getsource(schema)
    lines = source.splitlines()
    out = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.ClassDef):
            continue
        for st in node.body:
            if not (isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name)):
                continue
            trailing = [ln.split("  # ", 1)[1].strip() for ln in lines[st.lineno - 1:st.end_lineno]
                        if "  # " in ln]
            above: list[str] = []
            i = st.lineno - 2
            while i >= 0 and lines[i].strip().startswith("#"):
                above.insert(0, lines[i].strip().lstrip("#").strip())
                i -= 1
            text = " ".join(trailing) or " ".join(above)
            if text:
                out[(node.name, st.target.id)] = text
    return out


def _comment(cls: type, name: str, comments: dict) -> str:
    for klass in cls.__mro__:
        if (klass.__name__, name) in comments:
            return comments[(klass.__name__, name)]
    return ""


def models() -> list[type[BaseModel]]:
    """Every model reachable from Policy, in reading order (breadth first)."""
    seen: list[type[BaseModel]] = []
    queue: list[type[BaseModel]] = [schema.Policy]
    while queue:
        cls = queue.pop(0)
        if cls in seen:
            continue
        seen.append(cls)
        for f in cls.model_fields.values():
            queue += [m for m in _models_in(f.annotation) if m not in seen]
    return seen


def _models_in(tp) -> list:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [tp]
    return [m for a in typing.get_args(tp) for m in _models_in(a)]


def type_text(tp) -> str:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is type(None):
        return ""
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return " 或 ".join(t for t in (type_text(a) for a in args) if t)
    if origin is list:
        return f"列表（{type_text(args[0])}）"
    if origin is dict:
        return f"映射（{type_text(args[0])} → {type_text(args[1])}）"
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return f"[{tp.__name__}](#{tp.__name__.lower()})"
    return {int: "整数", float: "数", str: "文字", bool: "true/false", dt.date: "日期"}.get(tp, "任意")


def unit_text(cls, name: str, tp) -> str:
    if name in schema.QUANTITY_UNITS and issubclass(cls, schema.Target):
        units = list(schema.QUANTITY_UNITS[name])
        return units[0] + (f"（或 {'、'.join(units[1:])}，见 units）" if units[1:] else "")
    if dt.date in (tp, *typing.get_args(tp)):
        return "日期 YYYY-MM-DD"
    if name in ("threshold", "share", "weights"):
        return "比例 0–1（80% 写作 0.8）"
    if name == "month":
        return "月 1–12"
    return ""


def examples() -> dict[tuple[str, str], tuple[str, str]]:
    """(class, field) -> (example, policy id): the first bundled policy that sets the field."""
    from generator.policy.loader import BUNDLED, list_ids, load_policy

    ids = list_ids(BUNDLED)
    ordered = [i for i in EXAMPLE_ORDER if i in ids] + [i for i in ids if i not in EXAMPLE_ORDER]
    out: dict = {}

    def walk(obj, pid):
        if isinstance(obj, BaseModel):
            for name in type(obj).model_fields:
                v = getattr(obj, name)
                key = (type(obj).__name__, name)
                if (key not in out and name in obj.model_fields_set and v not in (None, [], {})
                        and not isinstance(v, BaseModel)):
                    out[key] = (_short(v), pid)
                walk(v, pid)
        elif isinstance(obj, list):
            for x in obj:
                walk(x, pid)

    for pid in ordered:
        walk(load_policy(BUNDLED / pid).policy, pid)
    return out


def _short(v) -> str:
    if isinstance(v, list) and v and isinstance(v[0], BaseModel):
        return f"{len(v)}项"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        shown = "、".join(_short(x) for x in v[:3]) + ("…" if len(v) > 3 else "")
        return f"[{shown}]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {x}" for k, x in list(v.items())[:3]) + "}"
    text = v.isoformat() if isinstance(v, dt.date) else str(v)
    text = text.replace("\n", " ").replace("|", "\\|")
    return text if len(text) <= 36 else text[:35] + "…"


def render() -> str:
    comments = field_comments()
    ex = examples()
    out = ["# 政策文件结构（policy.yaml / text.yaml）", "",
           "<!-- GENERATED by `python -m generator.policy.schemadoc` from generator/policy/model.py and "
           "generator/policy/codes.py; do not edit by hand. -->", "",
           "Every key a policy file may hold, from the pydantic model (`extra=\"forbid\"`: any other key is P002). "
           "Meaning: the comment on the field in `model.py`; example: the first bundled policy that sets it. "
           "Rules (inheritance, quantities, errata) are in [policy.md](policy.md).", ""]
    for cls in models():
        doc = " ".join((cls.__doc__ or "").strip().split("\n\n")[0].split())
        out += [f"## {cls.__name__}", "", doc, "", "| 键 | 类型 | 必填 | 含义 | 单位 | 示例 |", "|---|---|---|---|---|---|"]
        for name, f in cls.model_fields.items():
            meaning = _comment(cls, name, comments).replace("|", "\\|")
            e = ex.get((cls.__name__, name))
            example = f"`{e[0]}`（{e[1]}）" if e else ""
            out.append(f"| `{name}` | {type_text(f.annotation)} | {'是' if f.is_required() else ''} | {meaning} | "
                       f"{unit_text(cls, name, f.annotation)} | {example} |")
        out.append("")
    out += ["## 检查代码（`gaizao policy check`）", "", "| 代码 | 通常级别 | 含义 |", "|---|---|---|"]
    out += [f"| {code} | {SEVERITY_ZH[sev]} | {meaning} |" for code, (sev, meaning) in CODES.items()]
    return "\n".join(out) + "\n"


def undocumented() -> list[str]:
    comments = field_comments()
    return [f"{cls.__name__}.{name}" for cls in models() for name in cls.model_fields
            if not _comment(cls, name, comments)]


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
        if current != text:
            print(f"{DOC.name} 已过期：请运行 python -m generator.policy.schemadoc / stale: regenerate it")
            return 1
        return 0
    from generator.fileio import atomic_write_text
    atomic_write_text(DOC, text)
    print(f"wrote {DOC.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
