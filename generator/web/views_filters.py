"""The few filters the web pages use (added to the sandboxed environment, nothing else)."""
from __future__ import annotations

import datetime as dt


def cn_date(d) -> str:
    from generator.policy.cnfmt import cn_date as fmt
    if isinstance(d, str):
        try:
            d = dt.date.fromisoformat(d[:10])
        except ValueError:
            return d
    return fmt(d) if isinstance(d, dt.date) else ""


def when(ts) -> str:
    """An ISO UTC timestamp as the city's local time, to the minute."""
    try:
        t = dt.datetime.fromisoformat(str(ts))
    except ValueError:
        return str(ts or "")
    try:
        from zoneinfo import ZoneInfo
        t = t.astimezone(ZoneInfo("Asia/Shanghai"))
    except Exception:
        pass
    return t.strftime("%Y-%m-%d %H:%M")


def severity(s) -> str:
    return getattr(s, "zh", str(s))


FILTERS = {"cn_date": cn_date, "when": when, "severity": severity}
