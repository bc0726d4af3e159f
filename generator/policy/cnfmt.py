"""How policy values are printed in Chinese official text (dates, shares, counts).

Used as Jinja filters by the clause text and by every document, and by the provenance check to
find a value in its quote, so a value is written one way everywhere.
"""
from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

_CN_DIGITS = "零一二三四五六七八九十"


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def is_month_end(d: dt.date) -> bool:
    return d.day == calendar.monthrange(d.year, d.month)[1]


def cn_month_end(d: dt.date) -> str:
    """2023-06-30 -> 2023年6月底 (a date that is not a month end prints in full)."""
    return f"{d.year}年{d.month}月底" if is_month_end(d) else cn_date(d)


def month_end(d: dt.date) -> str:
    """2023-10-31 -> 10月底 (year given by the context)."""
    return f"{d.month}月底" if is_month_end(d) else f"{d.month}月{d.day}日"


def pct(x: float) -> str:
    """0.8 -> 80%; 0.7999999 -> 79.99999% (':g' would print 80%)."""
    return f"{round(float(x) * 100, 6):.6f}".rstrip("0").rstrip(".") + "%"


def decimal_text(d: Decimal) -> str:
    """A Decimal without a trailing zero or exponent: 373, 0.01 (a quantity's sum or difference)."""
    return format(d.normalize(), "f") if d != d.to_integral() else str(int(d))


def decimal_value(d: Decimal) -> int | float:
    """The same for JSON: an int when whole."""
    return int(d) if d == d.to_integral() else float(d)


def cn_ordinal(n: int) -> str:
    """The numbering of sections and items in official text: 1 -> 一, 10 -> 十, 11 -> 十一, 23 -> 二十三 (1-99;
    beyond, Arabic digits). The one home of Chinese numerals: section checks, county-plan sections, the 通报's
    milestone items all number through it."""
    n = int(n)
    if not 1 <= n <= 99:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else _CN_DIGITS[tens] + "十"
    return head + (_CN_DIGITS[ones] if ones else "")


def ordinal_value(text: str) -> int | None:
    """The inverse of :func:`cn_ordinal`: 十一 -> 11; None for anything else."""
    return next((n for n in range(1, 100) if cn_ordinal(n) == text), None)


#: the characters section numbers are written in (for reading headings: a regex class, not a numbering table)
NUMERAL_CHARS = _CN_DIGITS[1:]


def cn_count(n: int) -> str:
    """2 -> 两 (as in 两次), 3 -> 三."""
    n = int(n)
    if n == 2:
        return "两"
    if 0 <= n <= 10:
        return _CN_DIGITS[n]
    return str(n)


def basis_cn(basis: str) -> str:
    return {"households": "户数", "projects": "项目数"}.get(basis, basis)


def printed_date(d: dt.date, precision: str = "day") -> str:
    return cn_month_end(d) if precision == "month_end" else cn_date(d)


def value_forms(v) -> list[str]:
    """All ways a value may be printed in the source, for the provenance check."""
    if isinstance(v, bool):
        return []
    if isinstance(v, dt.date):
        forms = [cn_date(v), f"{v.month}月{v.day}日"]
        if is_month_end(v):
            forms += [cn_month_end(v), month_end(v), f"{v.year}年底", f"{v.month}月份"]   # 7月份…目标任务: by its end
        return forms
    if isinstance(v, float) and 0 < v <= 1:
        forms = [pct(v)]
        if v == 1:
            forms += ["全部"]
        return forms
    if isinstance(v, (int, float)):
        return [f"{v:g}" if isinstance(v, float) else str(v)]
    return [str(v)]
