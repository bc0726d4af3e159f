"""What the register's picture reads from the project life records (generator/life), without importing it.

The life records (the inspectors' 开工认定 verdicts, inspections and hazards) are kept in the register's own
database (db.MIGRATIONS), but what they mean — which verdict counts, when a hazard is overdue — is
generator/life's, a floor above the register (docs/architecture.md). So the register never imports it: the
life package registers its readers here when it is imported (generator/life/__init__.py), and the callers
that make documents (the register and project commands, the build, the web) import it. A caller may also
pass the verdicts itself (``verdicts=`` on status, series and snapshot).

A register that holds life records while no reader is registered is refused (a programming error, located):
counting starts without the inspectors' verdicts would print figures the record contradicts.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

# (conn, as_of) -> {项目编号: {criterion: "符合"/"不符合"}}
_verdicts: Callable | None = None
# (conn, lp, as_of) -> per county of the policy: an object with county, inspections, hazards, closed, open,
# overdue and cell() (the sentence the acceptance form and the 通报 print)
_quality: Callable | None = None


def provide(*, verdicts: Callable | None = None, quality: Callable | None = None) -> None:
    """Register the readers (generator/life does, on import)."""
    global _verdicts, _quality
    if verdicts is not None:
        _verdicts = verdicts
    if quality is not None:
        _quality = quality


def _recorded(conn, kinds: tuple[str, ...]) -> bool:
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'life_events'").fetchone() is None:
        return False
    marks = ", ".join("?" for _ in kinds)
    return conn.execute(f"SELECT 1 FROM life_events WHERE kind IN ({marks}) LIMIT 1", kinds).fetchone() is not None


def _missing(what: str, what_en: str):
    from generator.errors import UsageError
    return UsageError(f"登记库中有项目全过程记录（{what}），但未载入其读取模块（generator.life）：请先 import generator.life",
                      f"the register holds project life records ({what_en}) but generator.life is not loaded: "
                      "import generator.life first")


def verdicts(conn, as_of: dt.date) -> dict:
    """The inspectors' verdicts recorded on or before ``as_of`` ({} when the register holds none)."""
    if _verdicts is None:
        if _recorded(conn, ("verify",)):
            raise _missing("开工条件核查", "start-of-work verdicts")
        return {}
    return _verdicts(conn, as_of)


def quality(conn, lp, as_of: dt.date) -> list:
    """Per county: inspections and hazards as of ``as_of``; [] when the register holds no inspection by then."""
    if _quality is None:
        if _recorded(conn, ("inspection", "hazard")):
            raise _missing("巡检抽检、质量安全隐患", "inspections and hazards")
        return []
    rows = _quality(conn, lp, as_of)
    return rows if any(r.inspections for r in rows) else []
