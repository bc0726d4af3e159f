"""The one finding record every check produces, and the report that renders it.

A finding is Frictionless' cell error and conftest's result in one shape: a stable code, a
severity, a message in Chinese and English, where it is (file + line for policies; file +
sheet + row + column + project for workbooks), the value found, what was expected and the
clause of the policy it rests on. The text table, the JSON report, the annotated workbook
and the 问题清单 sheet are all views of the same list.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Iterable


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def zh(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


# Order of the fields in JSON and in tables. Documented in docs/findings.md; keep stable.
FIELDS = ("code", "severity", "message", "clause", "file", "line", "path", "sheet", "row", "column",
          "project", "county", "value", "expected", "hint")


@dataclass
class Finding:
    code: str
    severity: Severity
    message: str                      # Chinese
    message_en: str = ""
    clause: str | None = None         # e.g. "二、目标任务" or "附件 第4条"
    file: str | None = None
    line: int | None = None           # line in a YAML/JSON policy or plan file
    path: str | None = None           # parameter path, e.g. counties[魏都区].target.households
    sheet: str | None = None
    row: int | None = None            # the Excel row number a person sees
    column: str | None = None         # header text
    project: str | None = None        # 项目编号
    county: str | None = None
    value: Any = None
    expected: Any = None
    hint: str | None = None
    extra: dict = field(default_factory=dict)

    def text(self, lang: str = "zh") -> str:
        return (self.message_en or self.message) if lang == "en" else self.message

    def location(self, lang: str = "zh") -> str:
        parts = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line else ""))
        if self.sheet:
            parts.append(self.sheet)
        if self.row:
            parts.append(f"row {self.row}" if lang == "en" else f"第{self.row}行")
        if self.column:
            parts.append(self.column)
        if self.path and not self.sheet:
            parts.append(self.path)
        return " · ".join(parts)

    def to_dict(self, lang: str = "zh") -> dict:
        # field by field (dataclasses.asdict deep-copies every value first: a third of a 53,000-row run)
        out = {k: jsonable(getattr(self, k)) for k in FIELDS}
        out["severity"] = Severity(self.severity).value
        out["message"] = self.text(lang)
        if self.extra:
            out["extra"] = jsonable(self.extra)
        return out


def jsonable(v: Any) -> Any:
    if v is None or v.__class__ in _PLAIN:
        return v
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if isinstance(v, Enum):
        return v.value
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return str(v)


_PLAIN = (str, int, float, bool)


@dataclass
class Report:
    """All findings of one run, plus what was checked (files, policy id/version/hash)."""

    findings: list[Finding] = field(default_factory=list)
    subject: dict = field(default_factory=dict)

    def add(self, f: Finding) -> None:
        self.findings.append(f)

    def extend(self, fs: Iterable[Finding]) -> None:
        self.findings.extend(fs)

    def count(self, sev: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == sev)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)

    def exit_code(self, strict: bool = False) -> int:
        """0: no errors (warnings allowed); 1: errors, or warnings under --strict (mkdocs/conftest)."""
        if self.errors or (strict and self.warnings):
            return 1
        return 0

    def summary(self, lang: str = "zh") -> str:
        e, w, i = self.errors, self.warnings, self.count(Severity.INFO)
        if lang == "en":
            return f"{e} error(s), {w} warning(s), {i} note(s)"
        return f"错误 {e} 项，警告 {w} 项，提示 {i} 项"

    def to_dict(self, lang: str = "zh") -> dict:
        return {
            "tool": "gaizao",
            "format": 1,
            "subject": jsonable(self.subject),
            "valid": self.errors == 0,
            "summary": {"errors": self.errors, "warnings": self.warnings,
                        "infos": self.count(Severity.INFO)},
            "findings": [f.to_dict(lang) for f in self.findings],
        }

    def to_json(self, lang: str = "zh") -> str:
        return json.dumps(self.to_dict(lang), ensure_ascii=False, indent=2)


_SEV_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def print_report(report: Report, *, lang: str = "zh", title: str | None = None, group_by: str | None = None,
                 console=None) -> None:
    """A readable table (rich), optionally one table per sheet/file, and a summary line."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console(highlight=False, soft_wrap=False)
    en = lang == "en"
    groups: dict[str, list[Finding]] = {}
    for f in report.findings:
        key = (getattr(f, group_by) or "") if group_by else ""
        groups.setdefault(key, []).append(f)
    for key, items in groups.items():
        t = Table(title=(shown(f"{title or ''} {key}".strip()) or None), show_lines=False, expand=False)
        t.add_column("级别" if not en else "level", no_wrap=True)
        t.add_column("代码" if not en else "code", no_wrap=True)
        t.add_column("位置" if not en else "where")
        t.add_column("条款" if not en else "clause")
        t.add_column("说明" if not en else "message")
        for f in items:
            where = f.location() if group_by != "sheet" else " · ".join(
                x for x in [f"第{f.row}行" if f.row and not en else (f"row {f.row}" if f.row else ""),
                            f.column or "", f.project or ""] if x)
            t.add_row(f"[{_SEV_STYLE[f.severity]}]{f.severity.value if en else f.severity.zh}[/]", shown(f.code),
                      shown(where), shown(f.clause or ""), shown(f.text(lang)))
        console.print(t)
    console.print(report.summary(lang))


def shown(text) -> str:
    """Data as a rich table cell: no escape sequence or control character (a cell "\x1b[2J" must not clear
    the screen), no rich markup ("[red]" in a community name is text)."""
    from rich.markup import escape

    from generator.safetext import terminal
    return escape(terminal(text))


def format_list(report: Report, lang: str = "zh") -> str:
    """Findings as blocks of plain lines (for narrow terminals, logs and files)."""
    en = lang == "en"
    out = []
    for f in report.findings:
        sev = f.severity.value if en else f.severity.zh
        out.append(f"{sev} {f.code}  {f.location(lang)}")
        if f.clause:
            out.append(f"  {'clause: ' if en else '条款：'}{f.clause}")
        out.append(f"  {f.text(lang)}")
        if f.hint:
            out.append(f"  {'hint: ' if en else '建议：'}{f.hint}")
    out.append(report.summary(lang))
    from generator.safetext import terminal
    return "\n".join(terminal(line) for line in out)     # data may hold escape sequences
