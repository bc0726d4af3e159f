"""Shared click options (as sqlite-utils' output_options): one definition, same spelling everywhere."""
from __future__ import annotations

import functools

import click


def lang_option(fn):
    return click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                        help="消息语言 / message language.")(fn)


def strict_option(fn):
    return click.option("--strict", is_flag=True, help="警告也视为失败（退出码 1）/ fail on warnings too.")(fn)


def json_option(fn):
    return click.option("--json", "as_json", is_flag=True, help="输出 JSON / machine-readable JSON.")(fn)


def format_option(*choices: str, default: str = "text"):
    def deco(fn):
        return click.option("--format", "fmt", type=click.Choice(list(choices)), default=default, show_default=True,
                            help="输出格式 / output format.")(fn)
    return deco


def policy_option(fn):
    return click.option("--policy", "policy_ref", default="xuchang/2023", show_default=True, metavar="REF",
                        help="政策编号或路径（如 xuchang/2023、./my-policy/、xuchang/2023@HEAD~1）。")(fn)


def output_dir_option(fn):
    return click.option("-o", "--output", "output_dir", type=click.Path(file_okay=False), default="output",
                        show_default=True, help="输出文件夹 / output folder.")(fn)


def handle_errors(fn):
    """Turn any GaizaoError into its message and exit code: never a traceback for a user's mistake."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from generator.errors import GaizaoError, PolicyInvalidError
        lang = kwargs.get("lang", "zh")
        try:
            return fn(*args, **kwargs)
        except PolicyInvalidError as exc:
            from generator.findings import Report, print_report
            click.echo(exc.render(lang), err=True)
            print_report(Report(exc.findings), lang=lang, console=_stderr_console())
            raise SystemExit(exc.exit_code)
        except GaizaoError as exc:
            click.echo(("错误：" if lang != "en" else "error: ") + exc.render(lang), err=True)
            raise SystemExit(exc.exit_code)
    return wrapper


def _stderr_console():
    from rich.console import Console
    return Console(stderr=True, highlight=False)
