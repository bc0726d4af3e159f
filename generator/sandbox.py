"""The one Jinja environment of gaizao: sandboxed, immutable, with gaizao's own filters only.

Policy text (text.yaml), the bundled templates and a bureau's ``--templates`` overrides are data
somebody sent, so they are rendered in ``jinja2.sandbox.ImmutableSandboxedEnvironment``: no
attribute starting with ``_`` (``cycler.__init__.__globals__`` ...), no mutating a list or dict, no
Jinja globals (``cycler``, ``joiner``, ``namespace``, ``range``, ``lipsum``, ``dict``) and, of Jinja's
built-in filters, only the pure ones the templates need. ``unsafe_references`` finds an attempt to
reach outside *before* anything is rendered, so ``policy check`` / ``templates check`` can report it
with its line and every other command can refuse it (exit 2).
"""
from __future__ import annotations

# Jinja's own filters that only compute on values (no attribute lookup by name, no markup bypass:
# ``attr``, ``safe``, ``format``, ``pprint``, ``urlize``, ``xmlattr`` are left out).
BUILTIN_FILTERS = frozenset({
    "abs", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e", "escape", "first",
    "float", "groupby", "indent", "int", "join", "last", "length", "list", "lower", "map", "max", "min",
    "reject", "rejectattr", "replace", "reverse", "round", "select", "selectattr", "slice", "sort",
    "string", "sum", "title", "trim", "truncate", "unique", "upper", "wordcount",
})

# attributes the sandbox would refuse too; named here so a check can say so without rendering
_INTERNAL = frozenset({
    "mro", "func_globals", "func_code", "f_globals", "f_locals", "f_back", "f_code", "f_builtins",
    "gi_frame", "gi_code", "gi_yieldfrom", "cr_frame", "cr_code", "cr_await", "ag_frame", "ag_code",
    "ag_await", "tb_frame", "tb_next", "im_class", "im_func", "im_self", "co_code", "format", "format_map",
})


def new_environment(*, filters: dict | None = None, autoescape: bool = False, loader=None,
                    keep_trailing_newline: bool = False):
    """A sandboxed environment with StrictUndefined and no globals; ``filters`` are gaizao's own."""
    from jinja2 import StrictUndefined

    from generator.safetext import clean

    # finalize: every printed value loses the characters XML cannot hold (DOCX, XLSX, the HTML of PDFs)
    env = _sandbox_class()(loader=loader, autoescape=autoescape, undefined=StrictUndefined,
                           keep_trailing_newline=keep_trailing_newline, finalize=clean)
    env.globals.clear()
    env.tests = dict(env.tests)          # tests are pure predicates (defined, none, number ...): kept
    env.filters = {k: v for k, v in env.filters.items() if k in BUILTIN_FILTERS}
    env.filters.update(filters or {})
    return env


_CLASS = None


def _sandbox_class():
    """ImmutableSandboxedEnvironment that also refuses, at compile time, a template that names internals:
    the sandbox would stop it while rendering; this stops it before, on every path (docxtpl included)."""
    global _CLASS
    if _CLASS is None:
        from jinja2.sandbox import ImmutableSandboxedEnvironment

        class GaizaoSandbox(ImmutableSandboxedEnvironment):
            def _parse(self, source, name, filename):
                tree = super()._parse(source, name, filename)
                refs = _scan(tree)
                if refs:
                    raise unsafe_error(refs, filename or name)
                return tree

        _CLASS = GaizaoSandbox
    return _CLASS


def unsafe_error(refs: list[tuple[str, int]], file: str | None, line_offset: int = 0):
    """The UnsafeTemplateError (exit 2, one line; findings for the check commands) for ``refs``."""
    from generator.errors import UnsafeTemplateError
    from generator.findings import Finding, Severity
    findings = [Finding("T005", Severity.ERROR, f"模板试图访问内部属性“{expr}”（不允许，已拒绝，未执行）",
                        f"the template tries to reach Python internals ({expr}): refused, not run",
                        file=file, line=line + line_offset, value=expr,
                        hint="模板只能引用生成程序提供的字段和 gaizao 的过滤器")
                for expr, line in refs]
    return UnsafeTemplateError(findings, file or "template")


def is_unsafe_name(attr: str) -> bool:
    return attr.startswith("_") or attr in _INTERNAL


def unsafe_references(env, source: str) -> list[tuple[str, int]]:
    """(expression, line) of every attempt in ``source`` to reach Python internals or a Jinja global.

    A template that does not parse has none (its syntax error is reported elsewhere).
    """
    from jinja2 import TemplateSyntaxError
    from jinja2.parser import Parser

    try:
        tree = Parser(env, source).parse()      # not env.parse: that refuses (raises) instead of listing
    except TemplateSyntaxError:
        return []
    return _scan(tree)


def _scan(tree) -> list[tuple[str, int]]:
    from jinja2 import nodes
    found: list[tuple[str, int]] = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter)):
        if isinstance(node, nodes.Getattr):
            attr = node.attr
        elif isinstance(node, nodes.Getitem):
            if not (isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str)):
                continue
            attr = node.arg.value
        else:   # x|attr("__class__"): the same lookup spelt as a filter
            if node.name != "attr" or not node.args or not isinstance(node.args[0], nodes.Const):
                continue
            attr = str(node.args[0].value)
        expr = f"{dotted_name(node.node)}.{attr}"
        # the outermost expression of a chain is enough (find_all yields it first)
        if is_unsafe_name(attr) and not any(e.startswith(expr) and ln == node.lineno for e, ln in found):
            found.append((expr, node.lineno))
    return found


def dotted_name(node) -> str:
    """A Jinja expression node as the dotted path a message can name (``plan.rows.0``); "…" for the rest."""
    from jinja2 import nodes
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{dotted_name(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{dotted_name(node.node)}.{node.arg.value}"
    if isinstance(node, nodes.Const):
        return repr(node.value)
    return "…"
