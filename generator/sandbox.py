"""The one Jinja environment of gaizao: sandboxed, immutable, with gaizao's own filters only.

Policy text (text.yaml), the bundled templates and a bureau's ``--templates`` overrides are data
somebody sent, so they are rendered in ``jinja2.sandbox.ImmutableSandboxedEnvironment``: no
attribute starting with ``_`` (``cycler.__init__.__globals__`` ...), no mutating a list or dict, no
Jinja globals (``cycler``, ``joiner``, ``namespace``, ``range``, ``lipsum``, ``dict``) and, of Jinja's
built-in filters, only the pure ones the templates need. ``unsafe_references`` finds an attempt to
reach outside *before* anything is rendered, so ``policy check`` / ``templates check`` can report it
with its line and every other command can refuse it (exit 2).

One render is also bounded (``MAX_STEPS`` loop iterations and calls, ``MAX_OUTPUT_CHARS`` of output,
``MAX_VALUE_CHARS`` per computed value): a template or clause that exceeds it stops with a located
TemplateBudgetError (exit 2) instead of hanging every command that renders.
"""
from __future__ import annotations

from contextvars import ContextVar

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
                    keep_trailing_newline: bool = False, max_steps: int | None = None):
    """A sandboxed environment with StrictUndefined and no globals; ``filters`` are gaizao's own.
    ``max_steps``: the work one render may do (loop iterations and calls), ``MAX_STEPS`` by default."""
    from jinja2 import StrictUndefined

    from generator.safetext import clean

    # finalize: every printed value loses the characters XML cannot hold (DOCX, XLSX, the HTML of PDFs)
    env = _sandbox_class()(loader=loader, autoescape=autoescape, undefined=StrictUndefined,
                           keep_trailing_newline=keep_trailing_newline, finalize=clean)
    env.globals.clear()
    env.tests = dict(env.tests)          # tests are pure predicates (defined, none, number ...): kept
    env.filters = {k: v for k, v in env.filters.items() if k in BUILTIN_FILTERS}
    env.filters.update(filters or {})
    env.filters = {k: _guard_filter(k, v) for k, v in env.filters.items()}
    env.filters[_LOOP_FILTER] = _loop_budget
    env.filters[_CONCAT_FILTER] = _concat_budget
    env.max_steps = max_steps or MAX_STEPS
    return env


# -- the budget of one render ---------------------------------------------------------------------------
# The sandbox stops attribute access, not work: ``{% for a in x %}{% for b in x %}…`` nested ten deep, a macro
# calling itself twice, "x" * 10**10 or "x"|center(10**10) would hang or exhaust every command that renders
# (validate, register add, render). So one render (Template.render) has a budget, reported as a located
# TemplateBudgetError (exit 2) that names the template and the line of the loop:
MAX_STEPS = 3_000_000              # loop iterations + calls; a city report of 53,000 rows x 20 cells is ~1.1 M
MACRO_STEPS = 20                   # a macro call costs what ~20 loop iterations cost (a macro calling itself
                                   # twice, 40 deep, is stopped after 150,000 calls, a few seconds)
TEXT_MAX_STEPS = 100_000           # one clause of text.yaml (the longest real one loops over ~10 counties)
MAX_OUTPUT_CHARS = 64 * 2**20      # characters one render may produce (a national 开工 table is ~30 M)
MAX_VALUE_CHARS = 8 * 2**20        # one computed value: a string's characters or a list's items
_LOOP_FILTER = "_gaizao_loop"      # what every {% for %} iterates through (added when compiling)
_CONCAT_FILTER = "_gaizao_concat"  # what every ~ goes through


class _Budget:
    __slots__ = ("steps", "limit", "line", "name")

    def __init__(self, limit: int, name: str | None):
        self.steps, self.limit, self.name = 0, limit, name
        self.line: int | None = None

    def step(self, line: int | None = None) -> None:
        self.steps += 1
        if line is not None:
            self.line = line
        if self.steps > self.limit:
            raise budget_error("steps", self)


_BUDGET: ContextVar[_Budget | None] | None = None


def _current():
    return _BUDGET.get() if _BUDGET is not None else None


def budget_error(kind: str, budget=None, size: int | None = None):
    """The TemplateBudgetError of an exhausted budget (kind: steps | output | value)."""
    from generator.errors import TemplateError

    class_ = _budget_error_class(TemplateError)
    name = budget.name if budget is not None else None
    line = budget.line if budget is not None else None
    at = f"（第 {line} 行的循环）" if line else ""
    at_en = f" (the loop on line {line})" if line else ""
    if kind == "steps":
        zh = (f"模板运算超出限额：循环与调用超过 {budget.limit:,} 次{at}，已停止（疑为嵌套循环或自我调用）；"
              "请简化模板")
        en = (f"the template exceeds its work budget: more than {budget.limit:,} loop iterations and calls{at_en}; "
              "stopped (nested loops or a macro calling itself?); simplify the template")
    elif kind == "depth":
        zh = f"模板运算超出限额：宏或递归循环嵌套过深{at}，已停止（疑为自我调用）；请简化模板"
        en = f"the template exceeds its work budget: macros or recursive loops nested too deep{at_en}; stopped"
    elif kind == "output":
        zh = f"模板输出超出限额：超过 {MAX_OUTPUT_CHARS:,} 个字符{at}，已停止"
        en = f"the template's output exceeds {MAX_OUTPUT_CHARS:,} characters{at_en}; stopped"
    else:
        zh = f"模板中的一个值超出限额：超过 {MAX_VALUE_CHARS:,} 个字符或元素{at}，已停止"
        en = f"a value in the template exceeds {MAX_VALUE_CHARS:,} characters or items{at_en}; stopped"
    return class_(zh, en, location=name)


_ERR_CLASS = None


def _budget_error_class(base):
    global _ERR_CLASS
    if _ERR_CLASS is None:
        class TemplateBudgetError(base):
            """A template (or a clause of text.yaml) exceeded the work, output or value budget of one render."""
        _ERR_CLASS = TemplateBudgetError
    return _ERR_CLASS


def _too_big(n: int) -> None:
    if n > MAX_VALUE_CHARS:
        raise budget_error("value", _current())


def _check_value(v):
    if isinstance(v, (str, list, tuple, dict)) and len(v) > MAX_VALUE_CHARS:
        raise budget_error("value", _current())
    return v


def _passed(fn):
    from jinja2.utils import _PassArg
    return _PassArg.from_obj(fn) is not None


def _guard_filter(name: str, fn):
    """``fn`` with its result bounded, and the filters that allocate by an argument checked before they run."""
    import functools
    skip = 1 if _passed(fn) else 0

    def arg(args, kwargs, i, key, default=None):
        i += skip
        return args[i] if len(args) > i else kwargs.get(key, default)

    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        b = _current()
        if b is not None:
            b.step()
        args = list(args)
        if name == "center":
            w = arg(args, kwargs, 1, "width", 80)
            if isinstance(w, int):
                _too_big(w)
        elif name == "indent":
            s, w = arg(args, kwargs, 0, "s", ""), arg(args, kwargs, 1, "width", 4)
            per = w if isinstance(w, int) else len(str(w))
            _too_big(len(str(s)) + (str(s).count("\n") + 1) * per)
        elif name in ("batch", "slice"):
            n = arg(args, kwargs, 1, "linecount" if name == "batch" else "slices")
            if isinstance(n, int):
                _too_big(n)
        elif name == "join" and len(args) > skip and hasattr(args[skip], "__iter__"):
            items = list(args[skip])
            sep = arg(args, kwargs, 1, "d", "")
            _too_big(sum(len(str(x)) for x in items) + len(str(sep)) * len(items))
            args[skip] = items
        elif name == "replace":
            s, old, new = (str(arg(args, kwargs, i, k, "")) for i, k in ((0, "s"), (1, "old"), (2, "new")))
            n = len(s) + 1 if old == "" else s.count(old)
            _too_big(len(s) + n * max(0, len(new) - len(old)))
        return _check_value(fn(*args, **kwargs))
    return wrapped


def _loop_budget_impl(context, iterable, line=None):
    b = _current()
    if b is None:
        yield from iterable
        return
    for item in iterable:
        b.step(line)
        yield item


def _concat_impl(context, values):
    from jinja2.runtime import markup_join, str_join
    values = [v if isinstance(v, str) else str(v) for v in values]
    _too_big(sum(map(len, values)))
    return markup_join(values) if context.eval_ctx.autoescape else str_join(values)


def _pass_context(fn):
    from jinja2 import pass_context
    return pass_context(fn)


_loop_budget = _pass_context(_loop_budget_impl)      # pass_context: never folded at compile time
_concat_budget = _pass_context(_concat_impl)


def _with_budget_nodes(tree):
    """Every {% for %} iterates through the loop filter, every ~ goes through the concat filter (line kept)."""
    from jinja2 import nodes
    for node in tree.find_all(nodes.For):
        node.iter = nodes.Filter(node.iter, _LOOP_FILTER, [nodes.Const(node.lineno)], [], None, None,
                                 lineno=node.lineno)
    for node in list(tree.find_all(nodes.Concat)):
        node.nodes = [nodes.Filter(nodes.List(list(node.nodes), lineno=node.lineno), _CONCAT_FILTER, [], [], None,
                                   None, lineno=node.lineno)]
    return tree


_CLASS = None


def _sandbox_class():
    """ImmutableSandboxedEnvironment that also refuses, at compile time, a template that names internals:
    the sandbox would stop it while rendering; this stops it before, on every path (docxtpl included)."""
    global _CLASS
    if _CLASS is None:
        from jinja2.sandbox import ImmutableSandboxedEnvironment

        from jinja2 import Template
        global _BUDGET
        _BUDGET = ContextVar("gaizao_template_budget", default=None)

        class GaizaoTemplate(Template):
            def render(self, *args, **kwargs):
                """As Template.render, with a fresh budget and the output counted as it is produced."""
                env = self.environment
                where = self.name or (self.filename if self.filename != "<template>" else None)
                budget = _Budget(getattr(env, "max_steps", MAX_STEPS), where)
                token = _BUDGET.set(budget)
                try:
                    ctx = self.new_context(dict(*args, **kwargs))
                    try:
                        out, n = [], 0
                        for piece in self.root_render_func(ctx):
                            n += len(piece)
                            if n > MAX_OUTPUT_CHARS:
                                raise budget_error("output", budget)
                            out.append(piece)
                        return env.concat(out)
                    except RecursionError:          # a macro or a recursive loop calling itself without end
                        raise budget_error("depth", budget) from None
                    except Exception:
                        env.handle_exception()
                finally:
                    _BUDGET.reset(token)

        class GaizaoSandbox(ImmutableSandboxedEnvironment):
            template_class = GaizaoTemplate
            intercepted_binops = frozenset({"*", "**", "+"})

            def _parse(self, source, name, filename):
                tree = super()._parse(source, name, filename)
                refs = _scan(tree)
                if refs:
                    raise unsafe_error(refs, filename or name)
                return tree

            def _generate(self, source, name, filename, defer_init=False):
                # after parsing (so `templates check` walks the template as written), before compiling
                return super()._generate(_with_budget_nodes(source), name, filename, defer_init=defer_init)

            def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature)
                b = _current()
                if b is not None:
                    from jinja2.runtime import Macro
                    b.steps += MACRO_STEPS - 1 if isinstance(__obj, Macro) else 0
                    b.step()
                owner = getattr(__obj, "__self__", None)
                if isinstance(owner, (str, list, tuple)):          # "x".ljust(10**10), ",".join(big)
                    for a in (*args, *kwargs.values()):
                        if isinstance(a, int) and not isinstance(a, bool):
                            _too_big(a)
                    if getattr(__obj, "__name__", "") == "join" and args:
                        items = list(args[0])
                        _too_big(sum(len(str(x)) for x in items) + len(owner) * len(items))
                        args = (items, *args[1:])
                return _check_value(super().call(__context, __obj, *args, **kwargs))

            def call_binop(self, context, operator, left, right):
                seq = (str, list, tuple)
                if operator == "*":
                    for a, b in ((left, right), (right, left)):
                        if isinstance(a, seq) and isinstance(b, int):
                            _too_big(len(a) * b)
                elif operator == "**" and isinstance(right, (int, float)) and isinstance(left, (int, float)):
                    if abs(right) > 1024 and abs(left) not in (0, 1):
                        raise budget_error("value", _current())
                try:
                    return _check_value(super().call_binop(context, operator, left, right))
                except OverflowError:
                    raise budget_error("value", _current()) from None

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
