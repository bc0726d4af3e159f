"""The ``gaizao`` command: a thin click layer over the library.

Sub-commands are imported only when used (click's LazyGroup recipe) so ``gaizao --help`` starts
fast and heavy libraries (WeasyPrint, openpyxl, docx) load only for the command that needs them.
"""
from __future__ import annotations

import importlib

import click

# name -> "module:attribute" of a click command or group
COMMANDS = {
    "policy": "generator.policy.cli:policy",
    "validate": "generator.validate.cli:validate",
    "progress": "generator.validate.cli:progress",
    "render": "generator.render.cli:render",
    "templates": "generator.render.cli:templates",
    "diff": "generator.diff.cli:diff",
    "register": "generator.register.cli:register",
    "project": "generator.life.cli:project",
    "report": "generator.reports.cli:report",
    "build": "generator.build:build",
    "serve": "generator.web.cli:serve",
    "web": "generator.web.cli:web",
}

HELP = {
    "policy": "政策：列出、查看、检查（list / show / check）",
    "validate": "校验下级单位（县、市、区）的实施方案工作簿（xlsx/YAML/JSON）",
    "progress": "按日期统计开工、完工进度与节点完成情况",
    "render": "生成公文：通知、下级方案模板、开工核查表、验收表",
    "templates": "检查可编辑的文档模板",
    "diff": "比较两个政策版本，生成新旧对照表",
    "register": "报送登记库：登记、变化、截至某日的节点、月度进度与全市汇总表",
    "project": "项目全过程：征求意见、开工认定核查、巡检整改、竣工验收、移交、保修",
    "report": "全年公文：开工认定汇总表、进度通报、检查验收结果通报、反馈意见函、迟报漏报",
    "build": "主流程：检查政策，并由示例数据生成全部文档到 output/",
    "serve": "启动网上报送系统：下级单位上传工作簿、查看问题，本级跟踪全年进度",
    "web": "网上报送系统的账号：创建管理员、下级与本级账号",
}


class LazyGroup(click.Group):
    """A group whose sub-commands are imported on first use, from a table name -> ("module:attr", help)."""

    table: dict[str, tuple[str, str]] = {}

    def list_commands(self, ctx):
        return list(self.table)

    def get_command(self, ctx, name):
        if name not in self.table:
            return None
        module, attr = self.table[name][0].split(":")
        # no escape hatch: a command whose module fails to import is a bug to see, not a command to hide
        return getattr(importlib.import_module(module), attr)

    def format_commands(self, ctx, formatter):
        # short help without importing every command module
        with formatter.section("命令 Commands"):
            formatter.write_dl([(name, entry[1]) for name, entry in self.table.items()])


class _MainGroup(LazyGroup):
    table = {name: (target, HELP.get(name, "")) for name, target in COMMANDS.items()}


@click.group(cls=_MainGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gaizao")
def main():
    """gaizao（改造）：把城镇老旧小区改造政策写成代码——校验下级方案、生成公文、比较版本。

    gaizao (改造): a renovation policy as versioned code — validate county plans, render official
    documents, diff policy versions. Messages are Chinese by default; use --lang en for English.
    """
    _console_never_fails()


# Set by ``run`` (the console script): the process is the gaizao command itself, not a test's CliRunner or
# the web server, so a command may leave its big objects for the operating system to reclaim.
_CONSOLE = False
_KEPT: list = []


def keep_until_exit(obj) -> None:
    """Let the process end without freeing ``obj`` object by object: a 53,000-row plan is millions of small
    objects, 0.1–0.2 s to free just before the process ends anyway. Only the console script acts on it."""
    if _CONSOLE:
        _KEPT.append(obj)


def ending_without_teardown() -> bool:
    """Whether the process ends at once when the command returns (``keep_until_exit`` was called in it)."""
    return bool(_KEPT)


def run() -> None:
    """The ``gaizao`` console script: ``main``; when the command kept objects until exit, the process then ends
    at once (os._exit) with the command's exit code, once the command's own cleanup (its notes, atomic writes)
    is done and its output flushed."""
    import os
    import sys
    import threading
    global _CONSOLE
    _CONSOLE = True
    try:
        main()
    except SystemExit as exc:
        code = exc.code
        if not _KEPT or not (code is None or isinstance(code, int)) or threading.active_count() > 1:
            raise
    else:
        if not _KEPT:
            return
        code = 0
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        raise SystemExit(code) from None          # a closed pipe: let Python's exit say what it says
    os._exit(code or 0)


def _console_never_fails() -> None:
    """A GBK (or other narrow) console cannot show every character (✓ ✗, rare given-name characters): print
    what it can and a replacement for the rest instead of failing with UnicodeEncodeError."""
    import io
    import sys
    for stream in (sys.stdout, sys.stderr):
        try:
            if isinstance(stream, io.TextIOWrapper):
                stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):      # a captured or already-wrapped stream: leave it as it is
            pass
