"""``gaizao templates check DIR``: find what would break a render before a bureau uses a template.

For every .docx and .html / .html.j2 template under DIR:

- T001 Jinja syntax error (with the line for HTML, the part for DOCX);
- T002 a tag Word split across runs: a ``{{``/``{%`` whose text spans several ``w:r`` runs of a
  paragraph (Word and WPS do this while editing; formatting may differ inside the tag and docxtpl's
  repair is not guaranteed);
- T003 an unknown field: a name, or an attribute of a known record (``p.foo``, also through ``for``
  loops), that the renderer does not provide. The provided fields are those of the context the
  renderer really builds, on sample data (``CONTEXTS``);
- T004 a file that is not a readable template; T010 (info) a template no renderer uses;
- T005 an attempt to reach Python internals (``x.__class__``, ``cycler.__init__.__globals__``): the
  sandbox refuses it at render time, this names it with its line first;
- T006 a resource outside the pack (generator/render/resources.py): an ``href``/``src``/``url()``/``@import``/
  ``<link>``/``<a rel="attachment">``/``<object>``/``<embed>`` naming a file outside the pack and the bundled
  templates, a missing file, the network, a ``data:`` that is not an image, an ``<iframe>``; in a .docx an
  external relationship (linked picture, attached template) or a field that pulls a file (INCLUDEPICTURE ...);
- T007 a template that exceeds the rendering budget (generator/sandbox.py) with the renderer's sample data.

Findings are generator.findings records; exit 1 when any error.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Callable


from generator.findings import Finding, Report, Severity
from generator.sandbox import dotted_name

SUFFIXES = (".docx", ".html", ".html.j2")
DICT_METHODS = {"items", "keys", "values", "get"}
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TAG_START = re.compile(r"\{[{%]")


# -- the contexts renderers provide (sample data) ---------------------------------------------------
def _checklist_ctx(lp):
    from generator.render.forms_context import policy_context, project_context, sample_row
    pctx = policy_context(lp)
    p = project_context(sample_row(lp), lp, pctx)
    return {**pctx, "p": p, "projects": [p], "manifest": ""}


def _acceptance_ctx(lp):
    from generator.render.acceptance import CountyRows, county_context, find_round
    from generator.render.forms_context import policy_context, project_context, sample_row
    pctx = policy_context(lp)
    county = lp.policy.counties_with_target[0]
    group = CountyRows(county.name, [project_context(sample_row(lp), lp, pctx)], True)
    rnd = find_round(lp, lp.policy.inspections.rounds[0].id)
    return county_context(lp, pctx, rnd, county, group, None, "self", {})


def _summary_ctx(lp):
    from generator.render.acceptance import rank, summary_context
    from generator.render.forms_context import policy_context
    rounds = lp.policy.inspections.rounds
    names = [c.name for c in lp.policy.counties_with_target]
    scores = {r.id: {n: 80.0 for n in names} for r in rounds}
    weights = {r.id: 1.0 / len(rounds) for r in rounds}
    return summary_context(lp, policy_context(lp), rank(lp, scores, weights, weights_source="user"))


def _county_plan_ctx(lp):
    from generator.render.county_plan import county_plan_context
    return {**county_plan_context(lp, lp.policy.counties_with_target[0]), "manifest": ""}


def _notice_ctx(lp):
    from generator.render.notice import notice_context
    return notice_context(lp)


# relative template name (without suffix) prefix -> context builder; first match wins
CONTEXTS: list[tuple[str, Callable]] = [
    ("checklist/", _checklist_ctx),
    ("acceptance/summary", _summary_ctx),
    ("acceptance/", _acceptance_ctx),
    ("county_plan/", _county_plan_ctx),
    ("notice/", _notice_ctx),
]


_CONTEXT_CACHE: dict = {}


def context_for(rel: str, lp) -> dict | None:
    """The sample context of the renderer that uses template ``rel`` (None: no renderer)."""
    for prefix, build in CONTEXTS:
        if rel.startswith(prefix):
            key = (build.__name__, id(lp))
            if key not in _CONTEXT_CACHE:
                _CONTEXT_CACHE[key] = build(lp)
            return _CONTEXT_CACHE[key]
    return None


# -- checks -------------------------------------------------------------------------------------------
def split_tags(xml: bytes) -> list[str]:
    """Jinja tags whose text spans several runs of one paragraph (as Word leaves them)."""
    from lxml import etree
    found = []
    root = etree.fromstring(xml)
    for p in root.iter(W_NS + "p"):
        texts, owners = [], []
        for i, r in enumerate(p.iter(W_NS + "r")):
            t = "".join(x.text or "" for x in r.iter(W_NS + "t"))
            texts.append(t)
            owners.extend([i] * len(t))
        joined = "".join(texts)
        for m in TAG_START.finditer(joined):
            close = "}}" if m.group() == "{{" else "%}"
            end = joined.find(close, m.end())
            end = len(joined) if end < 0 else end + 2
            if len(set(owners[m.start():end])) > 1:
                found.append(joined[m.start():end])
    return found


class FieldChecker:
    """Walks a Jinja AST with sample values: names and record attributes the context lacks."""

    def __init__(self, env, ctx: dict):
        self.env = env
        self.ctx = ctx
        self.unknown: list[tuple[str, int]] = []

    def check(self, source: str) -> list[tuple[str, int]]:
        self.walk(self.env.parse(source), dict(self.ctx))
        seen, out = set(), []
        for name, line in self.unknown:
            if name not in seen:
                seen.add(name)
                out.append((name, line))
        return out

    _MISSING = object()
    _ANY = object()

    def resolve(self, node, scope):
        from jinja2 import nodes
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name in self.env.globals or node.name in ("loop", "super", "caller", "varargs", "kwargs"):
                return self._ANY
            self.unknown.append((node.name, node.lineno))
            return self._ANY
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            if isinstance(node, nodes.Getitem):
                if not isinstance(node.arg, nodes.Const) or not isinstance(node.arg.value, str):
                    self.walk(node.arg, scope)
                    self.resolve(node.node, scope)
                    return self._ANY
                attr = node.arg.value
            else:
                attr = node.attr
            base = self.resolve(node.node, scope)
            if isinstance(base, dict):
                if attr in base:
                    return base[attr]
                if attr not in DICT_METHODS:
                    self.unknown.append((f"{dotted_name(node.node)}.{attr}", node.lineno))
            return self._ANY
        self.walk(node, scope)
        return self._ANY

    def bind(self, target, value, scope):
        from jinja2 import nodes
        if isinstance(target, nodes.Name):
            scope[target.name] = value
        elif isinstance(target, nodes.Tuple):
            for t in target.items:
                self.bind(t, self._ANY, scope)

    def walk(self, node, scope):
        from jinja2 import nodes
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            self.resolve(node, scope)
            return
        if isinstance(node, nodes.For):
            seq = self.resolve(node.iter, scope)
            inner = dict(scope)
            first = seq[0] if isinstance(seq, (list, tuple)) and seq else self._ANY
            self.bind(node.target, first, inner)
            inner["loop"] = self._ANY
            if node.test is not None:
                self.walk(node.test, inner)
            for child in node.body:
                self.walk(child, inner)
            for child in node.else_:
                self.walk(child, scope)
            return
        if isinstance(node, nodes.Assign):
            self.walk(node.node, scope)
            self.bind(node.target, self._ANY, scope)
            return
        if isinstance(node, (nodes.Macro, nodes.CallBlock)):
            inner = dict(scope)
            for a in getattr(node, "args", []):
                self.bind(a, self._ANY, inner)
            for child in node.body:
                self.walk(child, inner)
            return
        for child in node.iter_child_nodes():
            self.walk(child, scope)


def _finding(code, sev, rel, msg, msg_en, *, line=None, value=None, hint=None) -> Finding:
    return Finding(code, sev, msg, msg_en, file=rel, line=line, value=value, hint=hint)


def template_sources(path: Path, rel: str) -> tuple[list[tuple[str, str]], list[Finding]]:
    """(part name, Jinja source) pairs of a template, and problems met reading it."""
    if not rel.endswith(".docx"):
        return [("", path.read_text(encoding="utf-8"))], []
    from generator.render.forms_templates import patched_parts
    data = path.read_bytes()
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return [], [_finding("T004", Severity.ERROR, rel, f"模板 {rel} 不是有效的 .docx 文件",
                             f"template {rel} is not a valid .docx file")]
    findings = []
    from generator.render.resources import docx_problems
    for part, what, target in docx_problems(data):
        findings.append(_finding("T006", Severity.ERROR, rel, f"模板 {rel}（{part}）引用外部文件：{what} {target}（渲染时会被拒绝）",
                                 f"template {rel} ({part}) links an external file: {what} {target} (refused when "
                                 "rendering)", value=target, hint="模板只能使用模板包内的内容；请删除该链接或改为嵌入"))
    for part in zf.namelist():
        if part.startswith(("word/document", "word/header", "word/footer")) and part.endswith(".xml"):
            for tag in split_tags(zf.read(part)):
                findings.append(_finding(
                    "T002", Severity.ERROR, rel, f"模板 {rel}（{part}）中的标签“{tag}”被 Word 拆分到多个文本段（run）",
                    f"template {rel} ({part}): tag {tag!r} is split across several runs", value=tag,
                    hint="在 Word/WPS 中删除该标签后一次性重新输入（不要中途改格式），或用代码生成模板"))
    return list(patched_parts(data).items()), findings


def resource_findings(path: Path, rel: str, source: str) -> list[Finding]:
    """T006: what the HTML/CSS of a template names outside the pack (the renderer refuses it, this says so first)."""
    from generator.render.resources import allowed_roots, bundled_root, check_reference, iframe_tags
    from generator.render.resources import html_references
    roots = allowed_roots()
    found = []
    for url, line in html_references(source):
        why = check_reference(url, [bundled_root()], roots)
        if why is not None:
            found.append(_finding("T006", Severity.ERROR, rel, why.message, why.message_en,
                                  line=line, value=url, hint="模板只能使用内置模板文件夹中的文件和 data: 图片，不联网"))
    for line in iframe_tags(source):
        found.append(_finding("T006", Severity.ERROR, rel, f"模板 {rel} 含 <iframe>/<frame>（不允许嵌入其他文档）",
                              f"template {rel} holds an <iframe>/<frame> (embedding another document is not allowed)",
                              line=line, value="iframe"))
    return found


def check_template(path: Path, rel: str, lp, env) -> list[Finding]:
    from jinja2 import TemplateSyntaxError

    from generator.sandbox import unsafe_error, unsafe_references
    sources, findings = template_sources(path, rel)
    stem = rel[:-5] if rel.endswith(".docx") else rel.split(".html")[0]
    ctx = context_for(stem, lp)
    if ctx is None:
        findings.append(_finding("T010", Severity.INFO, rel, f"模板 {rel} 不属于任何已知文档，只检查了语法与拆分标签",
                                 f"template {rel} belongs to no known document: only syntax and split tags checked"))
    if not rel.endswith(".docx") and ctx is not None:     # a document's HTML (the web pages are not printed)
        findings.extend(resource_findings(path, rel, sources[0][1] if sources else ""))
    for part, source in sources:
        where = f"（{part}）" if part else ""
        refs = unsafe_references(env, source)
        if refs:                       # reported, never rendered (and not walked for fields either)
            for f in unsafe_error(refs, rel).findings:
                f.message = f"模板 {rel}{where} 试图访问内部属性“{f.value}”（不允许，渲染时会被拒绝）"
                f.message_en = f"template {rel}{where} tries to reach Python internals ({f.value}): refused when rendering"
                f.line = f.line if not part else None
                findings.append(f)
            continue
        try:
            env.parse(source)
        except TemplateSyntaxError as exc:
            line = exc.lineno if not part else None
            findings.append(_finding("T001", Severity.ERROR, rel, f"模板 {rel}{where} 语法错误：{exc.message}",
                                     f"template {rel}{where}: syntax error: {exc.message}", line=line))
            continue
        if ctx is None:
            continue
        unknown = FieldChecker(env, ctx).check(source)
        for name, line in unknown:
            findings.append(_finding("T003", Severity.ERROR, rel, f"模板 {rel}{where} 使用了未知字段“{name}”",
                                     f"template {rel}{where} uses an unknown field {name!r}",
                                     line=line if not part else None, value=name,
                                     hint="可用字段见 docs/forms.md；字段名须与生成程序提供的一致"))
        if not unknown:
            findings.extend(budget_findings(env, source, ctx, rel, where, part))
    return findings


def budget_findings(env, source: str, ctx: dict, rel: str, where: str, part: str) -> list[Finding]:
    """T007: render once with the sample context under the sandbox's budget (generator/sandbox.py); a template
    that exceeds it with one sample project would stop every real render too."""
    from generator.errors import GaizaoError
    try:
        env.from_string(source).render(ctx)
    except GaizaoError as exc:
        if type(exc).__name__ != "TemplateBudgetError":
            return []
        return [_finding("T007", Severity.ERROR, rel, f"模板 {rel}{where}：{exc.message}", f"template {rel}{where}: {exc.message_en}",
                         hint="去掉嵌套循环或自我调用的宏；循环只应遍历生成程序提供的列表")]
    except Exception:          # anything else is reported by the checks above, or at render time with its place
        return []
    return []


def check_dir(folder: str | Path, lp) -> Report:
    from generator.errors import UsageError
    from generator.render.forms_templates import new_environment
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(f"模板文件夹不存在：{folder}", f"template folder not found: {folder}")
    env = new_environment()
    report = Report(subject={"templates": str(folder), **lp.manifest()})
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name.endswith(SUFFIXES)
                   and not p.name.startswith((".", "~$")))
    for path in files:
        rel = path.relative_to(folder).as_posix()
        # a folder holding one document's templates (templates/checklist) is checked by that name
        named = rel if "/" in rel else f"{folder.name}/{rel}"
        found = check_template(path, named, lp, env)
        for f in found:
            f.file = rel
        report.extend(found)
    # a document's stylesheets are read as they are (no Jinja): only what they pull in is checked (T006)
    styles = sorted(p for p in folder.rglob("*.css") if p.is_file() and not p.name.startswith((".", "~$")))
    for path in styles:
        rel = path.relative_to(folder).as_posix()
        named = rel if "/" in rel else f"{folder.name}/{rel}"
        if named.startswith("web/") or context_for(named[:-4], lp) is None:
            continue
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        found = resource_findings(path, named, source)
        for f in found:
            f.file = rel
        report.extend(found)
    report.subject["files"] = len(files)
    return report


