"""Lenient cell-value parsers: whatever a county typed, return ``(value, error_zh, error_en)``.

Counties type numbers as text, with full-width digits （１２３）, thousands separators and spaces;
percentages as 0.85, 85%, "85%" or 85; dates as Excel dates, Excel serial numbers, 2023-06-30,
2023/6/30, 2023.6.30 or 2023年6月30日. Each parser accepts all of these. A blank cell is
``(None, None, None)``: whether a value is required is the validator's business. A value that
cannot be read gives ``value=None`` and a message saying what was expected. No parser ever raises.

The reader only checks that a value is *readable* (and, for percentages, between 0 and 100 %);
ranges that the policy sets (楼栋数 ≥ 1, dates before a milestone ...) are checked by the rules.
"""
from __future__ import annotations

import datetime as dt
import math
import operator
import re
from itertools import compress, repeat

from generator.safetext import has_hostile

Parsed = tuple  # (value, error_zh | None, error_en | None)

_BLANK: Parsed = (None, None, None)
_FULLWIDTH = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)} | {
    "．": ".", "，": ",", "－": "-", "／": "/", "％": "%", "＋": "+", "　": " ", "：": ":", "（": "(", "）": ")"})
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Excel serials we accept as dates: 1950-01-01 .. 2099-12-31 (a bare 2023 is a year, not a date)
_SERIAL_MIN, _SERIAL_MAX = 18264, 73050


# A count, an amount in 万元 or a year of 10^9 or more is a typing or export error (1e308, a pasted id),
# not a plan value: the parsers report it where it is (docs/ledger.md, "Limits").
MAX_MAGNITUDE = 1e9


class Unreadable:
    """A cell whose content is not a value: an error (#REF!, #DIV/0!) or a formula nobody calculated
    (a file written by a program and never opened in Excel). calamine reads both as blank; the reader
    marks them with this so they are reported as what they are, not as 未填写."""

    __slots__ = ("text", "zh", "en")

    def __init__(self, text: str, zh: str, en: str):
        self.text, self.zh, self.en = text, zh, en

    @classmethod
    def error_cell(cls, code: str) -> "Unreadable":
        return cls(code, f"单元格是错误值{code}（公式出错，如引用已删除的单元格），不是数据",
                   f"the cell holds the error {code} (a broken formula), not a value")

    @classmethod
    def formula(cls, text: str) -> "Unreadable":
        return cls(text, f"单元格是公式{_show(text)}，但文件中没有计算结果（请在Excel中打开并保存后重新提交）",
                   f"the cell is the formula {_show(text)} with no calculated value in the file "
                   "(open and save it in Excel, then submit again)")

    def __repr__(self) -> str:
        return self.text


def _clean(s: str) -> str:
    """Full-width -> half-width, no surrounding or inner spaces."""
    if not s.isascii():
        s = s.translate(_FULLWIDTH)
    return "".join(s.split())


def is_blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _show(raw) -> str:
    s = str(raw)
    return s if len(s) <= 30 else s[:30] + "…"


def _err(raw, zh: str, en: str) -> Parsed:
    return None, f"无法识别“{_show(raw)}”：{zh}", f"cannot read {_show(raw)!r}: {en}"


# -- numbers --------------------------------------------------------------------------------------
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")


def parse_number(raw) -> Parsed:
    """A real number: numeric cells, or text with full-width digits, thousands separators, spaces."""
    if raw is None or isinstance(raw, bool):
        return _BLANK if raw is None else _err(raw, "应为数字", "expected a number")
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and not math.isfinite(raw):
            return _err(raw, "应为有限的数字（不能是NaN或无穷大）", "expected a finite number (not NaN or infinity)")
        if not -MAX_MAGNITUDE < raw < MAX_MAGNITUDE:
            return _too_large(raw)
        return raw, None, None
    if not isinstance(raw, str):
        return _err(raw, "应为数字", "expected a number")
    s = _clean(raw)
    if not s:
        return _BLANK
    if "," in s and not _THOUSANDS.fullmatch(s):      # "1,20.5" is a slip, not 120.5: commas only every 3 digits
        return _err(raw, "千位分隔符位置不对（应每三位一个，如1,200.5），疑为笔误",
                    "misplaced thousands separator (one every three digits, e.g. 1,200.5): a typing error?")
    s = s.replace(",", "")
    if _NUMBER.fullmatch(s):
        if len(s) > 20:                # before int(): 5,000 digits would take time and then raise
            return _too_large(raw)
        v = float(s) if ("." in s) else int(s)
        return (v, None, None) if -MAX_MAGNITUDE < v < MAX_MAGNITUDE else _too_large(raw)
    return _err(raw, "应为数字", "expected a number")


def _too_large(raw) -> Parsed:
    return _err(raw, "数值超出合理范围（绝对值应小于10亿），疑为笔误", "out of scale (should be below 10^9): a typing error?")


def parse_int(raw) -> Parsed:
    if type(raw) is int and -MAX_MAGNITUDE < raw < MAX_MAGNITUDE:
        return raw, None, None
    v, zh, en = parse_number(raw)
    if v is None:
        return (None, zh.replace("应为数字", "应为整数"), en.replace("a number", "a whole number")) if zh else _BLANK
    if float(v) != int(v):
        return _err(raw, "应为整数", "expected a whole number")
    return int(v), None, None


def parse_money(raw) -> Parsed:
    """万元, kept to 2 decimals (sums are compared to within 0.01)."""
    if type(raw) is float and math.isfinite(raw) and -MAX_MAGNITUDE < raw < MAX_MAGNITUDE:
        return round(raw, 2), None, None
    if isinstance(raw, str):
        raw_s = raw.replace("万元", "").replace("万", "")
        v, zh, en = parse_number(raw_s)
        if zh:
            return _err(raw, "应为金额（万元）", "expected an amount in 10,000 yuan")
    else:
        v, zh, en = parse_number(raw)
        if zh:
            return _err(raw, "应为金额（万元）", "expected an amount in 10,000 yuan")
    return (None, None, None) if v is None else (round(float(v), 2), None, None)


_AREA_UNITS = ("万平方米", "平方米", "万㎡", "㎡", "万m²", "m²")


def parse_area(raw) -> Parsed:
    """建筑面积 in the column's unit (万㎡ or ㎡, named in its header), kept to 4 decimals; a unit typed after the
    number is dropped (the header says which), a negative area is refused."""
    text = raw
    if isinstance(raw, str):
        text = raw.strip()
        for u in _AREA_UNITS:
            if text.endswith(u):
                text = text[:-len(u)]
                break
    v, zh, en = parse_number(text)
    if zh:
        return _err(raw, "应为面积（数字，单位见列名）", "expected an area (a number, unit in the header)")
    if v is None:
        return _BLANK
    if float(v) < 0:
        return _err(raw, "面积不能为负数", "an area cannot be negative")
    return round(float(v), 4), None, None


def parse_percent(raw) -> Parsed:
    """0.85, 85%, "85%", "85" and 85 are all 0.85: a number > 1 and ≤ 100 is a percent."""
    text = raw.strip() if isinstance(raw, str) else None
    percent_sign = text is not None and text.translate(_FULLWIDTH).endswith("%")
    v, zh, en = parse_number(text.translate(_FULLWIDTH).rstrip("%") if text is not None and percent_sign else raw)
    if zh:
        return _err(raw, "应为百分比（如85%或0.85）", "expected a percentage such as 85% or 0.85")
    if v is None:
        return _BLANK
    v = float(v)
    if percent_sign or 1 < v <= 100:
        v = v / 100
    if not 0 <= v <= 1:
        return _err(raw, "百分比应在0%到100%之间", "a percentage must be between 0% and 100%")
    return round(v, 10), None, None


# -- dates ----------------------------------------------------------------------------------------
_DATE_TEXT = re.compile(r"(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?")
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")


def _serial_to_date(n: float) -> Parsed:
    if not _SERIAL_MIN <= n <= _SERIAL_MAX or n != int(n):
        return _err(n, "应为日期（如2023-06-30或2023年6月30日）", "expected a date such as 2023-06-30")
    return _EXCEL_EPOCH + dt.timedelta(days=int(n)), None, None


def parse_date(raw) -> Parsed:
    """Excel dates, Excel serials, 2023-06-30, 2023/6/30, 2023.6.30, 2023年6月30日, 20230630."""
    if type(raw) is dt.date:
        return raw, None, None
    if isinstance(raw, dt.datetime):
        return raw.date(), None, None
    if isinstance(raw, bool):
        return _err(raw, "应为日期", "expected a date")
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and not math.isfinite(raw):
            return _err(raw, "应为日期", "expected a date")
        m = _DATE_COMPACT.fullmatch(str(int(raw))) if 10_000_000 < raw < 100_000_000 and raw == int(raw) else None
        if m:
            return _ymd(raw, *m.groups())
        return _serial_to_date(raw)
    if not isinstance(raw, str):
        return _err(raw, "应为日期", "expected a date")
    s = raw.strip().translate(_FULLWIDTH)
    if not s:
        return _BLANK
    m = _DATE_TEXT.fullmatch(s) or _DATE_COMPACT.fullmatch(s)
    if m:
        return _ymd(raw, *m.groups())
    # a date-time text "2023-06-30 00:00:00"
    head = s.split(" ")[0].split("T")[0]
    if head != s and (m := _DATE_TEXT.fullmatch(head)):
        return _ymd(raw, *m.groups())
    v, zh, _ = parse_number(s)
    if v is not None and not zh:
        return parse_date(v)
    return _err(raw, "应为日期（如2023-06-30或2023年6月30日）", "expected a date such as 2023-06-30")


def _ymd(raw, y, m, d) -> Parsed:
    try:
        return dt.date(int(y), int(m), int(d)), None, None
    except ValueError:
        return _err(raw, "日期不存在", "no such date")


# -- yes / no -------------------------------------------------------------------------------------
_YES = {"是", "y", "yes", "√", "✓", "✔", "true", "1", "对", "有"}
_NO = {"否", "n", "no", "×", "✗", "✘", "x", "false", "0", "无", "不是"}


def parse_yesno(raw) -> Parsed:
    """是/否, Y/N, √/×, true/false, 1/0."""
    if isinstance(raw, bool):
        return raw, None, None
    if raw is None:
        return _BLANK
    if isinstance(raw, (int, float)):
        if raw in (0, 1):
            return bool(raw), None, None
        return _err(raw, "应为“是”或“否”", "expected 是 (yes) or 否 (no)")
    s = raw.strip() if isinstance(raw, str) else str(raw)
    if s in _YES:                          # the common case, before any cleaning
        return True, None, None
    if s in _NO:
        return False, None, None
    s = _clean(s).lower()
    if not s:
        return _BLANK
    if s in _YES:
        return True, None, None
    if s in _NO:
        return False, None, None
    return _err(raw, "应为“是”或“否”", "expected 是 (yes) or 否 (no)")


def parse_criterion(raw) -> Parsed:
    """A start-of-work criterion: 是/否, or the date it was met (a date means 是)."""
    if raw is None or isinstance(raw, bool):
        return parse_yesno(raw)
    if isinstance(raw, (dt.date, dt.datetime)):
        return parse_date(raw)
    v, zh, en = parse_yesno(raw)
    if not zh:
        return v, None, None
    v, zh, en = parse_date(raw)
    if not zh:
        return v, None, None
    return _err(raw, "应为“是”“否”或达到条件的日期", "expected 是/否 or the date the criterion was met")


# -- phones ---------------------------------------------------------------------------------------
_MOBILE = re.compile(r"1[3-9]\d{9}")
_MOBILE_ASCII = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"(?:\(0\d{2,3}\)|0\d{2,3}-?)\d{7,8}(?:(?:-|转)\d{1,6})?")
_PHONE_SPLIT = re.compile(r"[、,;/]|或")


def parse_phone(raw) -> Parsed:
    """A mobile (11 digits) or a landline with area code (0374-1234567); kept as text.

    Several numbers may be given separated by 、 ， ； or /. A number stored as a numeric cell loses the
    leading 0 of its area code, which cannot be guessed back: that is an error at the cell.
    """
    if raw is None or isinstance(raw, bool):
        return _BLANK if raw is None else _err(raw, "应为电话号码", "expected a phone number")
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and (not math.isfinite(raw) or raw != int(raw)) or abs(raw) >= 1e15:
            return _err(raw, "应为电话号码", "expected a phone number")
        raw = str(int(raw))
        if not _MOBILE.fullmatch(raw):
            return _err(raw, "座机号码须带区号（以0开头），请把单元格设为文本格式",
                        "a landline needs its area code starting with 0; format the cell as text")
        return raw, None, None
    if not isinstance(raw, str):
        return _err(raw, "应为电话号码", "expected a phone number")
    if _MOBILE_ASCII.fullmatch(raw):       # the usual case, as it would come out of the cleaning below
        return raw, None, None
    s = _clean(raw)
    if not s:
        return _BLANK
    parts = [x for x in _PHONE_SPLIT.split(s.replace("；", ";")) if x]
    if parts and all(_MOBILE.fullmatch(x) or _LANDLINE.fullmatch(x) for x in parts):
        return s, None, None
    return _err(raw, "应为11位手机号或带区号的座机号（如0374-1234567）",
                "expected an 11-digit mobile or a landline with area code (0374-1234567)")


# -- text -----------------------------------------------------------------------------------------
def parse_text(raw) -> Parsed:
    if raw is None:
        return _BLANK
    if isinstance(raw, str):
        s = raw.strip()
        return (s, None, None) if s else _BLANK
    if isinstance(raw, bool):
        return ("是" if raw else "否"), None, None
    if isinstance(raw, float):
        if math.isfinite(raw) and raw == int(raw) and abs(raw) < 1e15:
            return str(int(raw)), None, None
        return repr(raw), None, None
    if isinstance(raw, (dt.date, dt.datetime)):
        return raw.isoformat(), None, None
    return str(raw).strip() or None, None, None


_LIST_SPLIT = re.compile(r"[、，,；;\n\r]+")


def parse_textlist(raw) -> Parsed:
    """改造内容: items separated by 、 ， , ； ; or newlines (or a YAML/JSON list)."""
    if isinstance(raw, (list, tuple)):
        raw = "、".join(str(x) for x in raw if x is not None)
    v, _, _ = parse_text(raw)
    if v is None:
        return _BLANK
    items = [x.strip() for x in _LIST_SPLIT.split(v)]
    items = [x for x in items if x]
    return (items or None), None, None


PARSERS = {
    "int": parse_int, "money": parse_money, "area": parse_area, "percent": parse_percent, "date": parse_date,
    "yesno": parse_yesno, "phone": parse_phone, "text": parse_text, "textlist": parse_textlist,
    "criterion": parse_criterion,
}


# Kinds whose parse depends on the raw value alone: the reader keeps one result per distinct raw text or
# number of these (phones are all distinct). A textlist's value is a list: ``MUTABLE_KINDS`` are copied
# out of that memo, so two cells never share one list.
MEMO_KINDS = frozenset({"int", "money", "percent", "date", "yesno", "criterion", "textlist"})
MUTABLE_KINDS = frozenset({"textlist"})

# -- a whole column at once -------------------------------------------------------------------------
# A 53,000-row workbook is a million cells, nearly all typed the usual way: a date cell, a number cell
# of an amount, a plain mobile number. ``quick(kind, raws)`` gives the parsed value of each such cell in
# one pass over the column (a comprehension, or loops in C where the whole column suits them), and
# ``SLOW`` for every other, which the reader then hands to the kind's parser. For every raw value it does
# not mark ``SLOW`` it gives what the parser gives (tests/ledger/test_quick_parse.py: property tests).
SLOW = object()
Quick = tuple  # (values with SLOW where the parser is needed, positions of SLOW)


def _with_slow(vals: list) -> Quick:
    if SLOW not in vals:                   # the usual column, and a cheaper loop than the one below
        return vals, []
    return vals, list(compress(range(len(vals)), map(operator.is_, vals, repeat(SLOW))))


def _quick_text(raws: list) -> Quick:
    try:
        vals = list(map(str.strip, raws))  # a loop in C; a number, None or an error cell raises TypeError
    except TypeError:
        return _with_slow([(r.strip() or None) if r.__class__ is str else None if r is None else SLOW
                           for r in raws])
    return ([v or None for v in vals] if "" in vals else vals), []


# 改造内容 as counties type it: items separated by 、 (or ，,；;), no space, no empty item. Such a column is
# checked in C, joined into one string: nothing to strip (no whitespace, which includes the newline
# separators) and nothing to drop (no empty item); then each cell is one split.
_OTHER_SEPARATORS = ("，", ",", "；", ";")


def _quick_textlist(raws: list) -> Quick:
    try:
        joined = "\x00".join(raws)         # no cell holds NUL (XML cannot; a CSV with one is refused)
    except TypeError:                      # a number, None or an error cell: the parser, cell by cell
        return _quick_none(raws)
    cells = raws
    if any(sep in joined for sep in _OTHER_SEPARATORS):
        for sep in _OTHER_SEPARATORS:
            joined = joined.replace(sep, "、")
        cells = joined.split("\x00")
    bounded = f"\x00{joined}\x00"
    if joined.split(None, 1) != [joined] or "、、" in joined or "\x00、" in bounded or "、\x00" in bounded:
        return _quick_none(raws)
    return [c.split("、") if c else None for c in cells], []


def _quick_date(raws: list) -> Quick:
    return _with_slow([r if r.__class__ is dt.date else None if r == "" or r is None else SLOW for r in raws])


def _quick_int(raws: list) -> Quick:
    m = MAX_MAGNITUDE
    return _with_slow([r if r.__class__ is int and -m < r < m else
                       int(r) if r.__class__ is float and -m < r < m and r.is_integer() else
                       None if r == "" or r is None else SLOW for r in raws])


# round(r, 2) writes r out in decimal and reads it back (some 2,600 machine instructions a call, a fifth of
# reading a 53,000-row sheet). An amount typed with two decimals is already the double nearest to k / 100 for
# a whole k, and then round(r, 2) is r itself. r is that double exactly when (r * 100 rounded to the whole
# k) / 100 == r: for |r| < 2**37 / 100, r * 100 is within 2**-16 of the exact product, so k is the only
# candidate, and k / 100 is the correctly rounded quotient of two numbers exact as doubles. Adding and
# subtracting _WHOLE = 1.5 * 2**52 rounds a float below 2**51 to a whole number,
# in two float operations (round() would be a call and an int).
_WHOLE = 1.5 * 2**52


def _quick_money(raws: list) -> Quick:
    m, w = MAX_MAGNITUDE, _WHOLE
    return _with_slow([(r if (r * 100 + w - w) / 100 == r else round(r, 2)) if r.__class__ is float and -m < r < m
                       else None if r == "" or r is None else SLOW for r in raws])


def _quick_percent(raws: list) -> Quick:
    # A share is often a quotient with all 17 digits (=同意户数/总户数), where round(r, 10) costs some 5,000
    # instructions. h = r * 1e10 is within 2**-20 of the exact product; k, h rounded to the whole, is then
    # what round() gets from the exact decimal digits unless h is near a tie (|h - k| close to 0.5), and
    # round() returns the double nearest to k / 10**10, which k / 1e10 is. Near a tie, and for 0 (whose sign
    # round() keeps), round() itself.
    w = _WHOLE
    return _with_slow([(k / 1e10 if (k := (h := r * 1e10) + w - w) and -0.49 < h - k < 0.49 else round(r, 10))
                       if r.__class__ is float and 0 <= r <= 1 else None if r == "" or r is None else SLOW
                       for r in raws])


_MOBILE_COLUMN = re.compile(r"(?:(?:1[3-9][0-9]{9})?\x00)*(?:1[3-9][0-9]{9})?")   # mobiles or blanks, NUL-joined


def _quick_phone(raws: list) -> Quick:
    try:
        if _MOBILE_COLUMN.fullmatch("\x00".join(raws)):      # the usual column: mobiles only (and blanks)
            return [r or None for r in raws], []
    except TypeError:                      # a number, None or an error cell
        pass
    mobile = _MOBILE_ASCII.fullmatch
    return _with_slow([r if r.__class__ is str and mobile(r) else None if r == "" or r is None else SLOW
                       for r in raws])


# the spellings as typed (Y, Yes, YES as well as y): the parser gives these without its cleaning step
_YESNO_QUICK: dict[str | None, bool | None] = {**{v: True for s in _YES for v in (s, s.upper(), s.capitalize())},
                **{v: False for s in _NO for v in (s, s.upper(), s.capitalize())}, "": None, None: None}


def _quick_yesno(raws: list) -> Quick:
    # keys are text (and None): a number or a bool is never equal to one, so it stays SLOW
    return _with_slow(list(map(_YESNO_QUICK.get, raws, repeat(SLOW))))


def _quick_none(raws: list) -> Quick:
    return _with_slow([None if r == "" or r is None else SLOW for r in raws])


_QUICK = {"text": _quick_text, "date": _quick_date, "criterion": _quick_date, "int": _quick_int,
          "money": _quick_money, "percent": _quick_percent, "phone": _quick_phone, "textlist": _quick_textlist,
          "yesno": _quick_yesno}


# Counts, years and dates as counties type them repeat: such a column is parsed once per distinct raw value,
# by the parser itself, and mapped through that table in one loop in C. (Not amounts and shares: nearly
# all distinct, and a float's hash costs as much as the comprehension.)
_BY_DISTINCT_KINDS = frozenset({"int", "date", "criterion"})
_NUMBER_TYPES = frozenset({bool, int, float})


def _by_distinct(kind: str, raws: list) -> list | None:
    """The values of a column with few distinct raw values (one in 8 or fewer), SLOW where the parser says
    more than a value (an error, a note) or where equal keys are not the same cell: a zero (-0.0 and 0.0 are
    one key) and an error cell. None for other columns, and for one with numbers of two types (1, 1.0 and
    True are one key but not one cell)."""
    try:
        distinct = set(raws)
    except TypeError:                      # a list (not from a sheet): the comprehension
        return None
    if len(distinct) * 8 > len(raws) or len(set(map(type, raws)) & _NUMBER_TYPES) > 1:
        return None
    parser, table = PARSERS[kind], {"": None, None: None}
    for raw in distinct:
        if raw is None or raw == "" or raw.__class__ is Unreadable or raw.__class__ in _NUMBER_TYPES and not raw:
            continue
        if raw.__class__ is str and not raw.isprintable() and (has_hostile(raw) or "\r" in raw):
            continue                       # the reader makes it safe (and says so) before the parser sees it
        try:
            value, error, _ = parser(raw)
        except Exception:                  # the parsers never raise; the reader reports it at its cell
            continue
        if error is None:
            table[raw] = value
    return list(map(table.get, raws, repeat(SLOW)))


def quick(kind: str, raws: list) -> Quick:
    """(values, slow) of a column of ``kind``: the parsed value of each raw value typed the usual way, else
    ``SLOW``; ``slow`` lists the positions of SLOW, for the parser."""
    if kind in _BY_DISTINCT_KINDS and (vals := _by_distinct(kind, raws)) is not None:
        return _with_slow(vals)
    return _QUICK.get(kind, _quick_none)(raws)


def parse(kind: str, raw) -> Parsed:
    """Parse ``raw`` as ``kind``; never raises."""
    if raw.__class__ is Unreadable:
        return None, raw.zh, raw.en
    if is_blank(raw):
        return _BLANK
    try:
        return PARSERS[kind](raw)
    except Exception:  # a guarantee to callers: a value we did not foresee is an error, not a crash
        return _err(raw, "无法识别的值", "unreadable value")

