"""Every parameter of a policy as a flat row: path, value, clause, quote.

Walks the pydantic model generically, so a new field in the schema shows up in ``policy show``
and in the provenance check without anyone listing it. Records that carry ``clause``/``quote``
(``Sourced``) give provenance to the plain fields inside them; list members are addressed by
identity (``counties[魏都区]``, ``milestones[all_started]``) rather than by position.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterator

from pydantic import BaseModel

from generator.policy.model import QUANTITY_UNITS, Erratum, Policy, Target

# Fields that describe a record instead of being policy values.
# (name/id/key identify list members and appear in the path instead.)
META_FIELDS = {"clause", "quote", "note", "erratum", "id", "key", "name", "precision", "unit", "note_en",
               "renamed_from", "units", "comparator"}
SKIP_TOP = {"id", "version", "status", "kind", "title", "supersedes", "label", "sources", "text", "parent", "level",
            "counties_complete"}
IDENTITY = ("id", "key", "name")


@dataclass
class Parameter:
    path: str                   # counties[魏都区].target.households
    loc: tuple                  # ('counties', 3, 'target', 'households') for line lookup
    value: Any
    clause: str | None
    quote: str | None
    unit: str | None = None
    erratum: Erratum | None = None
    clause_loc: tuple = ()      # where the clause was declared (a parent record for funding channels)
    quote_loc: tuple = ()       # where the quote was declared


def member_key(obj) -> str | None:
    """The identity of a list member: its name, id or key."""
    for attr in IDENTITY:
        v = getattr(obj, attr, None) if not isinstance(obj, dict) else obj.get(attr)
        if v is not None:
            return str(v)
    return None


def iter_parameters(policy: Policy) -> Iterator[Parameter]:
    for name in type(policy).model_fields:
        if name in SKIP_TOP or (name in ("exceptions", "grants") and not getattr(policy, name)):
            continue
        yield from _walk(getattr(policy, name), name, (name,), None, None, ())


def _walk(obj, path: str, loc: tuple, clause: str | None, quote: str | None, cloc: tuple,
          qloc: tuple = ()) -> Iterator[Parameter]:
    if obj is None:
        return
    if isinstance(obj, BaseModel):
        fields = type(obj).model_fields
        model: Any = obj                             # its fields are read by the names model_fields lists
        if "clause" in fields:
            clause = model.clause
            cloc = loc + ("clause",)
            quote = getattr(obj, "quote", None)
            qloc = loc + ("quote",)
        elif "quote" in fields:                      # funding channels, duties: clause of the parent
            quote = model.quote
            qloc = loc + ("quote",)
        if "value" in fields and "clause" in fields:  # Param / Quota / ParentDocs: one value
            yield Parameter(path, loc + ("value",), model.value if not isinstance(model.value, list) else
                            [x.model_dump() if isinstance(x, BaseModel) else x for x in model.value],
                            clause, quote, getattr(obj, "unit", None), getattr(obj, "erratum", None), cloc, qloc)
            return
        yielded = 0
        for fname in fields:
            if fname in META_FIELDS:
                continue
            extra = fields[fname].json_schema_extra
            if isinstance(extra, dict) and extra.get("hash_if_set") and fname not in obj.model_fields_set:
                continue                  # a newer optional field this policy does not use
            yielded += 1
            val = getattr(obj, fname)
            sub = f"{path}.{fname}"
            if isinstance(val, (BaseModel, list)) and val:
                yield from _walk(val, sub, loc + (fname,), clause, quote, cloc, qloc)
            elif not isinstance(val, (BaseModel, list)):   # None included: "absent" is information
                err = getattr(obj, "erratum", None)
                unit = obj.unit(fname) if isinstance(obj, Target) and fname in QUANTITY_UNITS else None
                yield Parameter(sub, loc + (fname,), val, clause, quote, unit,
                                err if err is not None and err.field == fname else None, cloc, qloc)
        if not yielded and member_key(obj) is not None:   # e.g. a funding channel: its name is its content
            yield Parameter(path, loc, member_key(obj) if not hasattr(obj, "name") else obj.name, clause, quote,
                            clause_loc=cloc, quote_loc=qloc)
        return
    if isinstance(obj, list):
        if all(not isinstance(x, BaseModel) for x in obj):
            yield Parameter(path, loc, list(obj), clause, quote, clause_loc=cloc, quote_loc=qloc)
            return
        for i, item in enumerate(obj):
            key = member_key(item)
            yield from _walk(item, f"{path}[{key if key is not None else i}]", loc + (i,), clause, quote, cloc, qloc)
        return
    if isinstance(obj, dict):
        yield Parameter(path, loc, dict(obj), clause, quote, clause_loc=cloc, quote_loc=qloc)
        return
    yield Parameter(path, loc, obj, clause, quote, clause_loc=cloc, quote_loc=qloc)


def numeric_leaves(value) -> list:
    """Numbers and dates inside a value (for the 'every number is in its quote' check)."""
    out: list[Any] = []
    if isinstance(value, bool):
        return out
    if isinstance(value, (int, float, dt.date)):
        out.append(value)
    elif isinstance(value, dict):
        for v in value.values():
            out += numeric_leaves(v)
    elif isinstance(value, list):
        for v in value:
            out += numeric_leaves(v)
    return out


def human_path(policy, loc: tuple) -> str:
    """('counties', 3, 'target') -> counties[魏都区].target (list members by identity)."""
    out, obj = "", policy
    for part in loc:
        if isinstance(part, int):
            item = obj[part] if isinstance(obj, list) and part < len(obj) else None
            key = member_key(item) if item is not None else None
            out += f"[{key if key is not None else part}]"
            obj = item
        else:
            out += ("." if out else "") + str(part)
            if isinstance(obj, BaseModel):
                obj = getattr(obj, str(part), None)
            elif isinstance(obj, dict):
                obj = obj.get(part)
            else:
                obj = None
    return out
