"""新旧对照表: two policy versions compared clause by clause (原规定 / 修改后 / 修改说明), for a leader to sign off.

The document belongs to the newer version (``--policy``, whose label 示例草案/草案 it prints); ``--against`` names
the older one (an id, a path or id@git-rev). ``--county`` keeps only what changes for that county. The layout is
the table built in code (generator/diff/render_docx.py), wrapped as a Builder; ``gaizao diff OLD NEW --format
docx`` is a thin wrapper over this kind and writes the same bytes.

    gaizao render doc duizhao --policy xuchang/2024-draft --against xuchang/2023 [--county 禹州市] -o output/diff
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from generator.render.pipeline import Builder, Document, DocumentKind, Env, Inputs, register

if TYPE_CHECKING:
    from generator.policy.loader import LoadedPolicy

TITLE = "新旧对照表"


def diff_document(old_lp: LoadedPolicy, new_lp: LoadedPolicy, county: str | None = None, lang: str = "zh"
                  ) -> Document:
    """The 对照表 of ``old_lp`` → ``new_lp``: its context is the PolicyDiff (``context["diff"]``) and the language
    of its words; a county named in neither version is a located error."""
    from generator.diff import county_names, diff_policies
    from generator.errors import UsageError
    from generator.fileio import safe_filename

    if county is not None and county not in county_names(old_lp, new_lp):
        known = "、".join(sorted(county_names(old_lp, new_lp))) or "—"
        raise UsageError(f"两个版本中都没有“{county}”。可选：{known}",
                         f"neither version has a county named '{county}'. Known: {known}")
    result = diff_policies(old_lp, new_lp, county=county, lang=lang)
    name = f"对照表_{old_lp.policy.id}_{new_lp.policy.id}{'_' + county if county else ''}.docx"
    stem = safe_filename(name.replace("/", "-")).removesuffix(".docx")        # the name diff always wrote
    return Document(stem, {"diff": result, "lang": lang}, title=TITLE)


def documents(lp: LoadedPolicy, inputs: Inputs) -> list[Document]:
    """One 对照表: ``--against`` (原规定) → ``--policy`` (修改后)."""
    from generator.policy import load_policy
    assert inputs.against is not None                       # the pipeline refuses a kind's missing input first
    return [diff_document(load_policy(inputs.against), lp, inputs.county)]


def _docx(doc: Document, env: Env) -> bytes:
    """The table built in code; it carries its own manifest (both versions' id, version and hash)."""
    from generator.diff.render_docx import to_docx
    data: bytes = to_docx(doc.context["diff"], doc.context["lang"])
    return data


KIND = register(DocumentKind(
    "duizhao", TITLE, "old/new comparison table", documents, Builder(docx=_docx), needs=("against",),
    built_by="diff",
    help="两个政策版本的新旧对照表（原规定 / 修改后 / 修改说明，供审签）；--against 为原版本，--policy 为修改后版本"))
