"""Shared click options (as sqlite-utils' output_options): one definition, same spelling everywhere."""
from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any, TypeVar, cast

import click

from generator.reports.duties import MONTHLY_DUE_DAYS

F = TypeVar("F", bound=Callable[..., Any])      # a command function: each decorator returns what it is given


def lang_option(fn: F) -> F:
    return click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                        help="消息语言 / message language.")(fn)


def strict_option(fn: F) -> F:
    return click.option("--strict", is_flag=True, help="警告也视为失败（退出码 1）/ fail on warnings too.")(fn)


def json_option(fn: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="输出 JSON / machine-readable JSON.")(fn)


def format_option(*choices: str, default: str = "text") -> Callable[[F], F]:
    def deco(fn: F) -> F:
        return click.option("--format", "fmt", type=click.Choice(list(choices)), default=default, show_default=True,
                            help="输出格式 / output format.")(fn)
    return deco


def policy_option(fn: F) -> F:
    """--policy REF; when not given, the one policy resolver decides (generator/policy/resolve.py: the register's
    policy, gaizao.toml, GAIZAO_POLICY) and, with none, the command says the four ways (exit 2). The command
    then says on stderr which policy it used (文号, version, hash, folder); JSON output carries it in its subject."""
    return click.option("--policy", "policy_ref", default=None, metavar="REF", callback=_choose_policy,
                        help="政策编号或路径（如 xuchang/2023、./my-policy/、xuchang/2023@HEAD~1）；不给时依次取："
                             "登记库记录的政策、上级文件夹中 gaizao.toml 的 policy、环境变量 GAIZAO_POLICY。"
                             " / policy id or path (default: the register's, gaizao.toml's, $GAIZAO_POLICY).")(fn)


def says_policy(fn):
    """For a command that takes its policy as an argument (render notice/acceptance/county-plan): as the --policy
    option does, the policy it loads is verified against issued.lock and said on stderr."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        _announce_in(click.get_current_context(), None)
        return fn(*args, **kwargs)
    return wrapper


def _choose_policy(ctx, param, value):
    from generator.policy.resolve import Chosen, choose
    try:
        use_register = any(p.name == "db_path" for p in ctx.command.params)
        db_path = ctx.params.get("db_path")
        if use_register:
            from generator.register.db import default_path, target  # --db not given (or not parsed yet)
            db_path = default_path() if db_path is None else target(db_path)
        chosen = choose(value, db_path=db_path, use_register=use_register)
    except Exception as exc:                 # a broken gaizao.toml: said inside the command, as any load error
        from generator.errors import GaizaoError
        if not isinstance(exc, GaizaoError):
            raise
        chosen = _Broken(exc)
    _announce_in(ctx, chosen if isinstance(chosen, Chosen) else None)
    return chosen.ref if isinstance(chosen, Chosen) else chosen


class _Broken:
    """A resolver error kept until the command loads the policy (then raised inside handle_errors)."""

    def __init__(self, exc):
        self.exc = exc

    def error(self):
        return self.exc

    def __str__(self):
        return "（未指定政策）"


def _announce_in(ctx, chosen) -> None:
    """For the rest of this command, every policy it loads itself is verified (loader) and said on stderr once:
    which one, and why this one (unless the output is JSON, whose subject names it)."""
    from generator.policy.loader import ON_LOAD

    said: set = set()
    ctx.meta["gaizao.policy_chosen"] = chosen      # a command may say it chose otherwise (register import's list)

    def hook(lp):
        chosen = ctx.meta.get("gaizao.policy_chosen")
        params = ctx.params
        if params.get("fmt") == "json" or params.get("as_json"):
            return
        key = (lp.policy.id, lp.content_hash)
        if key in said:
            return
        said.add(key)
        en = params.get("lang") == "en"
        from generator.safetext import terminal
        why = ""
        if chosen is not None and chosen.source != "--policy" and lp.ref == chosen.ref:
            why = f" — from {chosen.said('en')}" if en else f"；取自 {chosen.said('zh')}"
        click.echo(terminal(("policy: " if en else "依据政策：") + lp.said("en" if en else "zh") + why), err=True)

    token = ON_LOAD.set(hook)

    def reset():
        try:
            ON_LOAD.reset(token)
        except ValueError:                   # closed in another context: nothing of ours is set there
            pass
    ctx.call_on_close(reset)


def output_dir_option(fn: F) -> F:
    return click.option("-o", "--output", "output_dir", type=click.Path(file_okay=False), default="output",
                        show_default=True, help="输出文件夹 / output folder.")(fn)


def db_option(fn: F) -> F:
    """The register database (generator.register.db.default_path when not given): register and web commands."""
    return click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None, metavar="FILE",
                        help="登记库文件（默认 $GAIZAO_DB，未设置时为当前文件夹下的 gaizao.db）/ register database.")(fn)




def monthly_due_day_option(fn: F) -> F:
    return click.option("--monthly-due-day", "due_day", type=click.IntRange(*MONTHLY_DUE_DAYS), default=None,
                        metavar="N",
                        help=f"信息月报报送日：次月N日前（{MONTHLY_DUE_DAYS[0]}—{MONTHLY_DUE_DAYS[1]}；政策未规定，"
                             "由发文单位确定；不给则不判断迟报漏报）/ the city's due day of the monthly report.")(fn)


OUTPUT_PARAMS = {"extract"}      # register show --extract FILE


def _is_output_param(name: str) -> bool:
    """-o / --output (output_dir, output_file), --annotate (annotate_out), --chart (chart_out), --xlsx
    (xlsx_out) and OUTPUT_PARAMS: a new command's output parameter must be named so (ends in _out)."""
    return name.startswith("output") or name.endswith("_out") or name in OUTPUT_PARAMS


def _register_params(kwargs: dict) -> None:
    """Every file named on the command line that is not an output is an input: never to be written."""
    from generator import fileio
    for name, value in kwargs.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        for v in values:
            if not isinstance(v, (str, os.PathLike)) or not v:
                continue
            if _is_output_param(name):
                if name == "output_dir":
                    fileio.register_output_root(v)
            else:
                fileio.register_input(v)


def handle_errors(fn: F) -> F:
    """Turn any GaizaoError into its message and exit code: never a traceback for a user's mistake.

    The command runs in a generator.fileio.command_scope: the files named on its command line are
    its inputs (never written), ``-o`` is its output root; notes (a renamed duplicate, removed control
    characters) are printed when it ends, and a failure part-way says what was already written."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from generator import fileio, safetext
        from generator.errors import GaizaoError, PolicyInvalidError, UnsafeTemplateError
        lang = kwargs.get("lang", "zh")
        en = lang == "en"
        with fileio.command_scope() as scope, safetext.collecting() as removed:
            try:
                _register_params(kwargs)
                return fn(*args, **kwargs)
            except UnsafeTemplateError as exc:          # one line: the attempt is not something to browse
                click.echo(("错误：" if not en else "error: ") + safetext.terminal(exc.render(lang)), err=True)
                _say_written(scope, en)
                raise SystemExit(exc.exit_code) from None
            except PolicyInvalidError as exc:
                from generator.findings import Report, print_report
                click.echo(safetext.terminal(exc.render(lang)), err=True)
                print_report(Report(exc.findings), lang=lang, console=_stderr_console())
                raise SystemExit(exc.exit_code) from None
            except GaizaoError as exc:
                click.echo(("错误：" if not en else "error: ") + safetext.terminal(exc.render(lang)), err=True)
                _say_written(scope, en)
                raise SystemExit(exc.exit_code) from None
            finally:
                for zh, en_ in scope.notes:
                    click.echo(safetext.terminal("note: " + en_ if en else "注意：" + zh), err=True)
                if removed.count:
                    click.echo(f"note: {removed.count} control character(s) that documents cannot hold were removed "
                               "from the data written" if en else
                               f"注意：写出的数据中有 {removed.count} 个文档无法容纳的控制字符，已删除", err=True)
    return cast(F, wrapper)


def _say_written(scope, en: bool) -> None:
    """A batch that failed part-way: which files it had already written (each complete)."""
    if not scope.written:
        return
    n = len(scope.written)
    from generator.safetext import terminal
    shown = "\n".join(f"  {terminal(p)}" for p in scope.written[:20]) + ("\n  …" if n > 20 else "")
    click.echo((f"{n} file(s) had been written before the failure (each complete):\n" if en else
                f"失败前已写出 {n} 个文件（均完整）：\n") + shown, err=True)


def _stderr_console():
    from rich.console import Console
    return Console(stderr=True, highlight=False)
