"""Each project's life on the record (issue 20): from 入库/计划 to 保修, in the register's database.

    from generator.life import Life, start_verdicts

record.py (the events and their evidence: the one library the CLI and the web page write through),
evidence.py (files checked by content, size-limited, never overwritten), start.py (开工认定 decided),
consult.py (consent from the consultation counts), quality.py (inspections, hazards, 整改), completion.py
(完工, 竣工验收, 移交, 保修, complaints), works.py (改造内容 classified by the notice's words),
documents.py (开工认定结果, 整改通知书), sample.py (示例数据 for gaizao build), cli.py (``gaizao project``).
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from typing import TYPE_CHECKING, Any

from generator.register import hooks as _hooks

if TYPE_CHECKING:
    from generator.life.quality import CountyQuality
    from generator.policy.loader import LoadedPolicy

__all__ = ["Life", "start_verdicts"]


# the register reads the verdicts and the hazard picture through these (it sits a floor below: register/hooks.py)
def _verdicts(conn: Any, as_of: dt.date) -> dict[str, dict[int, str]]:
    from generator.life.start import start_verdicts
    return start_verdicts(conn, as_of)


def _quality(conn: sqlite3.Connection, lp: LoadedPolicy, as_of: dt.date) -> list[CountyQuality]:
    from generator.life.quality import by_county
    return by_county(conn, lp, as_of)


_hooks.provide(verdicts=_verdicts, quality=_quality)


def __getattr__(name: str) -> Any:
    if name == "Life":
        from generator.life.record import Life
        return Life
    if name == "start_verdicts":
        from generator.life.start import start_verdicts
        return start_verdicts
    raise AttributeError(name)
