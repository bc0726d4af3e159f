"""What a draft leaves to confirm, for ``policy check`` (P164) and ``policy show`` (a draft that does not load yet).

A draft folder holds questions.yaml (written by ``policy draft``); each question still there is open. A policy
labelled 草稿 has values nobody has compared with the source yet.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.findings import Finding, Severity

if TYPE_CHECKING:
    from generator.policy.loader import LoadedPolicy
    from generator.policy.yamlsrc import SourceDoc

QUESTIONS_FILE = "questions.yaml"
LABEL = "草稿"


def questions_path(policy_file: str | None) -> Path | None:
    if not policy_file or ":" in policy_file.split("/")[0] and not Path(policy_file).exists():
        return None                                   # read from a git revision: no folder
    p = Path(policy_file).parent / QUESTIONS_FILE
    return p if p.is_file() else None


def read_questions(path: Path) -> list[tuple[dict[str, Any], int | None]]:
    from generator.errors import GaizaoError
    from generator.policy.yamlsrc import parse_yaml
    try:
        doc = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    except (GaizaoError, OSError, UnicodeDecodeError):
        return [({"question": "questions.yaml 无法读取（不是有效的 YAML）"}, None)]
    rows = doc.data if isinstance(doc.data, list) else []
    return [(r if isinstance(r, dict) else {"question": str(r)}, doc.line_of((i,))) for i, r in enumerate(rows)]


def open_questions(lp: LoadedPolicy) -> list[Finding]:
    out: list[Finding] = []
    doc = lp.docs.get("policy")
    name = doc.name if doc is not None else None
    if lp.policy.label == LABEL:
        out.append(Finding("P164", Severity.INFO, "草稿：每个摘录值（policy.yaml）都须与原文逐项核对；核对完毕后删去 label: 草稿",
                           "draft: every value drafted must be compared with the source; then remove label: 草稿",
                           file=name, line=doc.line_of(("label",)) if doc is not None else None, path="label"))
    qp = questions_path(name)
    if qp is not None:
        for row, line in read_questions(qp):
            q = str(row.get("question", ""))
            quote = row.get("quote")
            out.append(Finding("P164", Severity.WARNING, f"待确认：{q}" + (f"（原文：“{quote}”）" if quote else ""),
                               f"to confirm: {q}", file=str(qp),
                               line=line, path=str(row.get("about") or "") or None,
                               clause=str(row["clause"]) if row.get("clause") else None, value=quote))
    return out


# -- a draft that does not load yet (schema errors): its parameters as written ---------------------------------------
_META = {"clause", "quote", "note", "erratum", "id", "key", "name", "units", "precision", "comparator", "unit",
         "note_en"}


def is_draft_folder(folder: Path, data: Any) -> bool:
    return (folder / QUESTIONS_FILE).is_file() or (isinstance(data, dict) and (
        data.get("label") == LABEL or data.get("status") == "draft"))


def raw_parameters(data: Any, doc: SourceDoc, path: tuple[Any, ...] = (), label: str = "", clause: Any = None,
                   quote: Any = None) -> list[dict[str, Any]]:
    """Every value of a policy.yaml as written (no schema), with the clause and quote of its record."""
    rows: list[dict[str, Any]] = []
    if isinstance(data, dict):
        if "clause" in data:
            clause, quote = data.get("clause"), data.get("quote", quote)
        if "value" in data and "clause" in data:
            return [{"path": label, "value": data["value"], "clause": clause, "quote": quote,
                     "line": doc.line_of(path + ("value",))}]
        for k, v in data.items():
            if k in _META or (not path and k in ("id", "version", "status", "label", "title", "sources", "kind",
                                                 "supersedes", "parent", "level", "counties_complete", "text")):
                continue
            sub = f"{label}.{k}" if label else str(k)
            if isinstance(v, (dict, list)) and v and not (isinstance(v, list) and not isinstance(v[0], dict)):
                rows += raw_parameters(v, doc, path + (k,), sub, clause, quote)
            else:
                rows.append({"path": sub, "value": v, "clause": clause, "quote": quote, "line": doc.line_of(path + (k,))})
    elif isinstance(data, list):
        for i, v in enumerate(data):
            ident = next((v[x] for x in ("name", "id", "key") if isinstance(v, dict) and x in v), i)
            rows += raw_parameters(v, doc, path + (i,), f"{label}[{ident}]", clause, quote)
    return rows


def lenient(ref: str) -> dict[str, Any] | None:
    """A draft folder's parameters read without the schema (``policy show`` while the draft has schema errors); None
    when ``ref`` is not a draft folder."""
    from generator.errors import GaizaoError
    from generator.policy.loader import POLICY_FILE, policy_roots
    from generator.policy.yamlsrc import parse_yaml

    folder = Path(ref)
    if not folder.exists():
        folder = next((r / ref for r in policy_roots() if (r / ref).exists()), folder)
    pf = folder / POLICY_FILE if folder.is_dir() else folder
    if not pf.is_file():
        return None
    try:
        doc = parse_yaml(pf.read_text(encoding="utf-8"), str(pf))
    except (GaizaoError, OSError, UnicodeDecodeError):   # not even YAML: nothing to list, the loader's error stands
        return None
    if not is_draft_folder(pf.parent, doc.data):
        return None
    data = doc.data if isinstance(doc.data, dict) else {}
    qp = pf.parent / QUESTIONS_FILE
    return {"id": data.get("id"), "status": data.get("status"), "label": data.get("label"), "title": data.get("title"),
            "lenient": True, "parameters": raw_parameters(data, doc),
            "questions": [row for row, _ in read_questions(qp)] if qp.is_file() else []}


def lenient_questions(ref: str) -> list[Finding]:
    """The open questions of a draft whose policy.yaml does not load (check reports them with the schema errors)."""
    from generator.policy.loader import POLICY_FILE, policy_roots
    folder = Path(ref)
    if not folder.exists():
        folder = next((r / ref for r in policy_roots() if (r / ref).exists()), folder)
    pf = folder / POLICY_FILE if folder.is_dir() else folder
    qp = pf.parent / QUESTIONS_FILE
    if not qp.is_file():
        return []
    return [Finding("P164", Severity.WARNING, f"待确认：{row.get('question', '')}", f"to confirm: {row.get('question', '')}",
                    file=str(qp), line=line, path=str(row.get("about") or "") or None, value=row.get("quote"))
            for row, line in read_questions(qp)]
