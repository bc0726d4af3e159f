"""One exception hierarchy for gaizao (as cookiecutter does).

Every error a user can cause derives from GaizaoError and carries a Chinese and an
English message; the CLI prints the one the user asked for and exits with its
``exit_code`` (2: input cannot be read or used), never a traceback.
"""
from __future__ import annotations


class GaizaoError(Exception):
    exit_code = 2

    def __init__(self, message: str, message_en: str | None = None, *, location: str | None = None):
        self.message = message
        self.message_en = message_en or message
        self.location = location
        super().__init__(self.render("zh"))

    def render(self, lang: str = "zh") -> str:
        msg = self.message_en if lang == "en" else self.message
        return f"{self.location}: {msg}" if self.location else msg


class PolicyLoadError(GaizaoError):
    """The policy cannot be found, read or parsed (YAML syntax, missing file, unknown id)."""


class PolicyInvalidError(GaizaoError):
    """The policy was read but does not match the schema; ``findings`` lists every problem."""

    def __init__(self, findings, source: str):
        self.findings = findings
        n = len(findings)
        super().__init__(f"政策文件不符合结构定义（{n} 处）", f"policy does not match the schema ({n} problems)",
                         location=source)


class UnsafeTemplateError(PolicyInvalidError):
    """Policy text or a template tries to reach Python internals: refused before anything is rendered.

    ``policy check`` / ``templates check`` list the findings (file and line); any other command stops
    with one line (exit 2).
    """

    def __init__(self, findings, source: str):
        super().__init__(findings, source)
        first = findings[0]
        where = first.file + (f":{first.line}" if first.line else "") if first.file else source
        self.location = where
        self.message = f"模板试图访问内部属性“{first.value}”，已拒绝（未执行任何模板）"
        self.message_en = f"a template tries to reach Python internals ({first.value}); refused, nothing was rendered"
        self.args = (self.render("zh"),)


class OutputError(GaizaoError):
    """An output cannot or must not be written (a device, an input, a read-only folder, disk full ...)."""


class InputError(GaizaoError):
    """A county plan or other input file cannot be read (not a workbook, missing sheet or header...)."""


class TemplateError(GaizaoError):
    """A document template is broken: unknown field, tag split across runs, syntax error."""


class RenderError(GaizaoError):
    """A document could not be rendered."""


class UsageError(GaizaoError):
    """Wrong combination of options or arguments."""
