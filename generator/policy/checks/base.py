"""What every policy check shares: the context (the loaded policy and how a finding is located and cited) and
two small helpers. A check is ``(Ctx) -> findings``; the families are the modules beside this one."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.findings import Finding, Severity
from generator.policy.loader import LoadedPolicy
from generator.policy.model import Policy
from generator.policy.params import human_path


def norm(s: str) -> str:
    """Text without whitespace: how a quote is compared with its clause."""
    return re.sub(r"\s+", "", s or "")


@dataclass
class Ctx:
    lp: LoadedPolicy

    @property
    def p(self) -> Policy:
        return self.lp.policy

    def f(self, code: str, sev: Severity, zh: str, en: str, *, loc: tuple = (), clause: str | None = None,
          **kw: Any) -> Finding:
        file, line = self.lp.locate(loc) if loc else (None, None)
        text = self.lp.text
        return Finding(code, sev, zh, en, clause=text.display(clause) if clause else None, file=file, line=line,
                       path=human_path(self.lp.policy, loc) if loc else None, **kw)


def inherited(lp: LoadedPolicy, loc: tuple) -> bool:
    """The value at ``loc`` comes from a parent policy (it is checked against the parent's own text)."""
    from generator.policy.inherit import inherited_from
    return inherited_from(lp, loc) is not None
