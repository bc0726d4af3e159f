"""Parameter changes: walk the two pydantic models side by side, generically.

No field is listed by hand: every field of the schema is compared, so a field added to the schema
is diffed too. The rules:

- list members of records are matched by identity (``id``, ``key``, ``name`` or ``number``, the
  first the record has), so a reordered list is no change; a county whose new record says
  ``renamed_from: 旧名`` is matched with the old one and reported as renamed;
- lists of plain values (strings) are compared as sets, one change per member added or removed;
- provenance (``clause``, ``quote``, ``note``, ``erratum``) is never a change of its own: the quote is a
  copy of clause words, so a wording change shows once, in the clause diff; a moved clause id shows
  in the clause diff as moved/renumbered. Only the value of a record is compared;
- the identity of the version (``id``, ``version``, ``status``, ``label``, ``title``, ``sources``,
  ``supersedes``, ``kind``) is the diff header, not a change; ``text`` is diffed by clauses.py.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Iterator

from pydantic import BaseModel

from generator.diff.labels import MEMBER, ORDINAL_UNITS, UNITS_EN, field_label, field_unit, fmt, join_subject, quoted
from generator.diff.model import Change
from generator.diff.textdiff import char_ops, describe
from generator.policy.cnfmt import decimal_text, decimal_value
from generator.policy.model import QUANTITY_LABELS, QUANTITY_UNITS, Target

PROVENANCE = {"clause", "quote", "note", "note_en", "erratum", "renamed_from"}
HEADER = {"id", "version", "status", "kind", "title", "supersedes", "label", "sources", "text"}
IDENTITY = ("id", "key", "name", "number")
_SHORT_TEXT = 30    # strings up to this length are quoted whole in 修改说明


@dataclass(frozen=True)
class Where:
    """Where the walk is: path, subject words, clause ids on both sides, county, unit."""

    path: str = ""
    zh: tuple[str, ...] = ()
    en: tuple[str, ...] = ()
    old_clause: str | None = None
    new_clause: str | None = None
    county: str | None = None
    unit: str | None = None
    schema_path: str = ""       # path without member keys: counties.target.households
    erratum: Any = None         # the old value was printed wrong: its recorded correction
    level: str = "city"         # the new policy's level: 优秀县（市、区） under a city, 优秀市 under a province

    def field(self, name: str) -> "Where":
        return replace(self, path=f"{self.path}.{name}" if self.path else name,
                       zh=self.zh + (field_label(name, "zh", self.level),), en=self.en + (field_label(name, "en"),),
                       unit=field_unit(name) or None, erratum=None,
                       schema_path=f"{self.schema_path}.{name}" if self.schema_path else name)


def diff_params(old_policy, new_policy, display_old, display_new) -> list[Change]:
    """All parameter changes from ``old_policy`` to ``new_policy`` (pydantic Policy models).

    ``display_old`` / ``display_new`` turn a clause id into its citation (``lp.text.display``).
    """
    walker = _Walker(display_old, display_new, getattr(new_policy, "year", 0) - getattr(old_policy, "year", 0))
    from generator.policy.wording import policy_level, policy_scope
    for name in type(new_policy).model_fields:
        if name not in HEADER:
            w = Where(level=policy_level(new_policy)).field(name)
            if name == "city_target":          # 全省/全市/全县: the words of the unit
                w = replace(w, zh=(policy_scope(new_policy),))
            walker.walk(getattr(old_policy, name), getattr(new_policy, name), w)
    return walker.changes


class _Walker:
    def __init__(self, display_old, display_new, year_shift: int = 0):
        self.display_old = display_old
        self.display_new = display_new
        self.year_shift = year_shift          # new plan year − old plan year (2023 → 2024: 1)
        self.changes: list[Change] = []

    # -- the walk --------------------------------------------------------------------------
    def walk(self, o: Any, n: Any, w: Where, skip: str | None = None) -> None:
        """Compare ``o`` and ``n``; ``skip`` is the identity field of a matched list member."""
        if o is None and n is None:
            return
        w = self._with_clause(o, n, w)
        err = getattr(o, "erratum", None) if isinstance(o, BaseModel) and "value" in type(o).model_fields else None
        if err is not None and err.field == "value":
            w = replace(w, erratum=err.corrected)
        o, n, w = self._unwrap_value_records(o, n, w)
        if o is None or n is None:
            self._added_or_removed(o, n, w)
        elif isinstance(o, BaseModel) and isinstance(n, BaseModel):
            err = getattr(o, "erratum", None)
            targets = isinstance(o, Target) and isinstance(n, Target)
            for name in type(n).model_fields:
                if targets and name in QUANTITY_UNITS and not (err is not None and err.field == name):
                    self._quantity(o, n, name, w.field(name))
                elif targets and name in ("units", "precision", "comparator"):
                    continue                     # said with the quantity they qualify
                elif name not in PROVENANCE and name != skip:
                    fw = w.field(name)
                    if err is not None and err.field == name:
                        fw = replace(fw, erratum=err.corrected)
                    self.walk(getattr(o, name), getattr(n, name), fw)
        elif isinstance(o, list) and isinstance(n, list):
            if any(isinstance(x, BaseModel) for x in o + n):
                self._members(o, n, w)
            else:
                self._set_members(o, n, w)
        elif isinstance(o, dict) and isinstance(n, dict):
            for key in sorted(set(o) | set(n), key=str):
                self.walk(o.get(key), n.get(key), replace(w, path=f"{w.path}[{key}]", zh=w.zh + (str(key),),
                                                          en=w.en + (str(key),)))
        elif o != n:
            self._changed(o, n, w)

    @staticmethod
    def _with_clause(o, n, w: Where) -> Where:
        """A record that names its clause gives it to everything inside it."""
        oc = getattr(o, "clause", None) if isinstance(o, BaseModel) else None
        nc = getattr(n, "clause", None) if isinstance(n, BaseModel) else None
        if oc or nc:
            return replace(w, old_clause=oc or w.old_clause, new_clause=nc or w.new_clause)
        return w

    @staticmethod
    def _unwrap_value_records(o, n, w: Where):
        """Param/Quota records: compare their ``value``; their ``unit`` (if any) is the unit."""
        def unwrap(x):
            if isinstance(x, BaseModel) and "value" in type(x).model_fields:
                return x.value, getattr(x, "unit", None)
            return x, None
        o, ou = unwrap(o)
        n, nu = unwrap(n)
        unit = nu or ou
        if unit and unit not in ("date",):
            w = replace(w, unit=unit)
        return o, n, w

    def _members(self, o: list, n: list, w: Where) -> None:
        sample = next(x for x in o + n if isinstance(x, BaseModel))
        key_attr = next((a for a in IDENTITY if a in type(sample).model_fields), None)
        if key_attr is None:        # records without identity: compare by position
            for i in range(max(len(o), len(n))):
                self.walk(o[i] if i < len(o) else None, n[i] if i < len(n) else None,
                          replace(w, path=f"{w.path}[{i}]"))
            return
        old_by = {str(getattr(m, key_attr)): m for m in o}
        new_by = {str(getattr(m, key_attr)): m for m in n}
        renamed = {}                # new key -> old key
        for nk, nm in new_by.items():
            was = getattr(nm, "renamed_from", None)
            if was and was in old_by and was not in new_by and nk not in old_by:
                renamed[nk] = was
        for nk, nm in new_by.items():
            ok = renamed.get(nk, nk)
            om = old_by.get(ok)
            mw = self._member_where(w, nk, nm)
            if ok != nk:
                self._renamed(ok, nk, om, nm, self._with_clause(om, nm, mw))
            self.walk(om, nm, mw, skip=key_attr)
        for ok, om in old_by.items():
            if ok not in new_by and ok not in renamed.values():
                self.walk(om, None, self._member_where(w, ok, om))

    def _member_where(self, w: Where, key: str, member) -> Where:
        fmt_zh, fmt_en = MEMBER.get(w.schema_path, (None, None))
        fields = {k: getattr(member, k) for k in type(member).model_fields}
        if fmt_zh and fmt_en:
            zh, en = fmt_zh.format(**fields), fmt_en.format(**fields)
        else:
            name = getattr(member, "label", None) or getattr(member, "name", None) or key
            zh, en = quoted(str(name), "zh"), quoted(str(name), "en")
        county = key if w.schema_path == "counties" else w.county
        return replace(w, path=f"{w.path}[{key}]", zh=w.zh + (zh,), en=w.en + (en,), county=county)

    def _set_members(self, o: list, n: list, w: Where) -> None:
        old_set, new_set = set(map(_hashable, o)), set(map(_hashable, n))
        for item in n:
            if _hashable(item) not in old_set:
                self._emit("added", replace(w, path=f"{w.path}[{item}]"), None, item,
                           f"{self._subject(w)}增加{fmt(item, None)}",
                           f"{self._subject(w, 'en')}: added {fmt(item, None, 'en')}")
        for item in o:
            if _hashable(item) not in new_set:
                self._emit("removed", replace(w, path=f"{w.path}[{item}]"), item, None,
                           f"{self._subject(w)}删除{fmt(item, None)}",
                           f"{self._subject(w, 'en')}: removed {fmt(item, None, 'en')}")

    # -- records -----------------------------------------------------------------------------
    def _subject(self, w: Where, lang: str = "zh") -> str:
        return join_subject(list(w.zh if lang == "zh" else w.en), lang)

    def _emit(self, op: str, w: Where, old, new, zh: str, en: str, **extra) -> None:
        clause = w.new_clause if new is not None else w.old_clause
        display = self.display_new if new is not None else self.display_old
        self.changes.append(Change(
            kind="param", op=op, path=w.path, subject=self._subject(w), subject_en=self._subject(w, "en"),
            explanation=zh, explanation_en=en, clause=clause, clause_display=display(clause) if clause else None,
            county=w.county, old=old, new=new, unit=w.unit, **extra))

    def _added_or_removed(self, o, n, w: Where) -> None:
        value = n if o is None else o
        if not (w.new_clause if o is None else w.old_clause):     # e.g. a county: its target names the clause
            found = _first_clause(value)
            w = replace(w, new_clause=w.new_clause or found, old_clause=w.old_clause or found)
        summary_zh = _summary(value, w, "zh")
        summary_en = _summary(value, w, "en")
        subj, subj_en = self._subject(w), self._subject(w, "en")
        shown = {"zh": summary_zh.strip("（）：").lstrip(": ").strip(" ()"), "en": summary_en.lstrip(": ").strip(" ()")}
        if o is None:
            self._emit("added", w, None, _plain(n), f"新增{subj}{summary_zh}", f"added {subj_en}{summary_en}",
                       shown=shown)
        else:
            self._emit("removed", w, _plain(o), None, f"删除{subj}{summary_zh}", f"removed {subj_en}{summary_en}",
                       shown=shown)

    def _renamed(self, ok: str, nk: str, om, nm, w: Where) -> None:
        found = _first_clause(nm) or _first_clause(om)
        w = replace(w, zh=w.zh[:-1] + (field_label("name"),), en=w.en[:-1] + (field_label("name", "en"),),
                    new_clause=w.new_clause or found, old_clause=w.old_clause or found, unit=None)
        self._emit("renamed", w, ok, nk, f"{ok}更名为{nk}", f"{ok} renamed {nk}",
                   shown=None)

    def _changed(self, o, n, w: Where) -> None:
        subj, subj_en = self._subject(w), self._subject(w, "en")
        unit = w.unit
        fo, fo_en = fmt(o, unit), fmt(o, unit, "en")
        if isinstance(o, dt.date) and isinstance(n, dt.date):
            self._date_changed(o, n, w, subj, subj_en)
            return
        if w.erratum is not None:      # the old value was a misprint: say so, the size of the change reads right
            fo += f"（原文笔误，应为{fmt(w.erratum, unit)}）"
            fo_en += f" (a misprint for {fmt(w.erratum, unit, 'en')})"
        if _is_number(o) and _is_number(n) and unit in ORDINAL_UNITS:
            self._emit("changed", w, o, n, f"{subj}由{fmt(o, unit)}调整为{fmt(n, unit)}",
                       f"{subj_en} changed from {fmt(o, unit, 'en')} to {fmt(n, unit, 'en')}", delta=n - o)
        elif _is_number(o) and _is_number(n) and unit == "share":
            points = round((n - o) * 100, 6)
            way, way_en = ("提高", "up") if points > 0 else ("降低", "down")
            self._emit("changed", w, o, n,
                       f"{subj}由{fmt(o, unit)}调整为{fmt(n, unit)}（{way}{abs(points):g}个百分点）",
                       f"{subj_en} changed from {fmt(o, unit, 'en')} to {fmt(n, unit, 'en')} "
                       f"({abs(points):g} percentage points {way_en})", delta=points)
        elif _is_number(o) and _is_number(n):
            delta = n - o
            pct = round(delta / o * 100, 1) if o else None
            way, way_en = ("增加", "up") if delta > 0 else ("减少", "down")
            rel = f"，{pct:+.1f}%" if pct is not None else ""
            self._emit("changed", w, o, n,
                       f"{subj}由{fo}调整为{fmt(n, unit)}（{way}{fmt(abs(delta), unit)}{rel}）",
                       f"{subj_en} changed from {fo_en} to {fmt(n, unit, 'en')} "
                       f"({way_en} {fmt(abs(delta), unit, 'en')}{rel.replace('，', ', ')})",
                       delta=delta, delta_pct=pct)
        elif isinstance(o, str) and isinstance(n, str) and max(len(o), len(n)) > _SHORT_TEXT:
            ops = char_ops(o, n)
            self._emit("changed", w, o, n, f"修改{subj}：{describe(ops)}", f"{subj_en} reworded: {describe(ops, 'en')}",
                       ops=ops)
        else:
            short_ops = char_ops(o, n) if isinstance(o, str) and isinstance(n, str) else None
            self._emit("changed", w, _plain(o), _plain(n), f"{subj}由{fmt(_plain(o), unit)}修改为{fmt(_plain(n), unit)}",
                       f"{subj_en} changed from {fmt(_plain(o), unit, 'en')} to {fmt(_plain(n), unit, 'en')}",
                       ops=short_ops)


    def _quantity(self, o, n, q: str, w: Where) -> None:
        """A target quantity as published (value, unit, decimals, comparator). Two figures that differ by no
        more than their rounding (67.13 / 67.14万户, each ±0.005万户) are "rounding, not a change"."""
        ov, nv = getattr(o, q), getattr(n, q)
        if ov is None and nv is None:
            return
        w = replace(w, zh=w.zh[:-1] + (QUANTITY_LABELS[q],), en=w.en[:-1] + (q,), unit=(n if nv is not None else o).unit(q))
        if ov is None or nv is None:
            # a figure not published is not a figure of 0: the diff says 不再公布 / 新公布, never 删除 / 新增
            subj, subj_en = self._subject(w), self._subject(w, "en")
            shown = _as_published(o if nv is None else n, q)
            if nv is None:
                self._emit("removed", w, ov, None, f"{subj}不再公布（原为{shown}；未公布不等于0）",
                           f"{subj_en} no longer published (was {shown.en}; not published is not 0)",
                           shown={"zh": str(shown), "en": shown.en})
            else:
                self._emit("added", w, None, nv, f"{subj}新公布：{shown}（原未公布）",
                           f"{subj_en} now published: {shown.en} (not published before)",
                           shown={"zh": str(shown), "en": shown.en})
            return
        oc, nc = o.comparator_of(q), n.comparator_of(q)
        ob, nb = o.base(q), n.base(q)
        subj, subj_en = self._subject(w), self._subject(w, "en")
        old, new = _as_published(o, q), _as_published(n, q)
        old_zh, new_zh, old_en, new_en = str(old), str(new), old.en, new.en
        if old_zh == new_zh:
            return
        # the 对照表 prints each side in its own unit (1.3万户 → 13029户), not both in the new one
        sides = {"zh": new_zh, "en": new_en, "old_zh": old_zh, "old_en": old_en}
        delta = nb - ob
        size = QUANTITY_UNITS[q][n.unit(q)]
        if abs(delta) <= o.slack(q) + n.slack(q) and oc == nc:
            self._emit("rounding", w, ov, nv, f"{subj}由{old_zh}改为{new_zh}：在公布精度之内，属舍入差异，不是调整",
                       f"{subj_en} {old_en} → {new_en}: within the published precision, rounding, not a change",
                       delta=0, shown=sides)
            return
        if delta == 0:
            self._emit("changed", w, ov, nv, f"{subj}由{old_zh}调整为{new_zh}", f"{subj_en} changed from {old_en} to {new_en}",
                       shown=sides)
            return
        way, way_en = ("增加", "up") if delta > 0 else ("减少", "down")
        pct = round(float(delta / ob * 100), 1) if ob else None
        rel = f"，{pct:+.1f}%" if pct is not None else ""
        amount = abs(delta) / size
        amount_s = decimal_text(amount)
        unit_en = _QUANTITY_UNITS_EN.get(n.unit(q), n.unit(q))
        self._emit("changed", w, ov, nv, f"{subj}由{old_zh}调整为{new_zh}（{way}{amount_s}{n.unit(q)}{rel}）",
                   f"{subj_en} changed from {old_en} to {new_en} ({way_en} {amount_s}{' ' + unit_en if unit_en else ''}"
                   f"{rel.replace('，', ', ')})", delta=decimal_value(delta / size), delta_pct=pct, shown=sides)

    def _date_changed(self, o: dt.date, n: dt.date, w: Where, subj: str, subj_en: str) -> None:
        """A date moved. A misprinted old date is counted from its recorded correction, and says so. A date of
        next year's plan is compared by month and day ("由6月30日调整为5月31日（年内提前30天）"): counting 336
        days from last year's June says nothing a reader wants."""
        base = w.erratum if isinstance(w.erratum, dt.date) else o
        note = note_en = ""
        if base is not o:
            note = f"（原文误印为{fmt(o)}，按勘误后的{fmt(base)}计）"
            note_en = f" (printed {fmt(o, lang='en')}, counted from the corrected {fmt(base, lang='en')})"
        # the issue date of the document itself keeps its years; plan dates are compared within their years
        yearly = self.year_shift != 0 and n.year - base.year == self.year_shift and not w.path.startswith("document")
        if yearly:
            try:
                same = base.replace(year=n.year)
            except ValueError:             # 2月29日 in a year without it
                same = base.replace(year=n.year, day=28)
            days = (n - same).days
            old_zh, new_zh = f"{base.month}月{base.day}日", f"{n.month}月{n.day}日"
            old_en, new_en = base.strftime("%d %B").lstrip("0"), n.strftime("%d %B").lstrip("0")
            within, within_en = "年内", " within the year"
        else:
            days = (n - base).days
            old_zh, new_zh, old_en, new_en = fmt(base), fmt(n), fmt(base, lang="en"), fmt(n, lang="en")
            within, within_en = "", ""
        if days == 0 and yearly:
            self._emit("changed", w, o, n, f"{subj}仍为{new_zh}{note}（随计划年度顺延至{n.year}年）",
                       f"{subj_en} stays {new_en}{note_en} (moved on to the plan year {n.year})", days=0)
            return
        if days == 0 or (not yearly and base.year != n.year):
            # across years the two dates say it (2023年2月14日 → 2024年2月20日): a count of 371 days reads as
            # a delay, not a date of the next year's document (issue 21.6)
            how, how_en = "", ""
        else:
            way, way_en = ("推迟", "later") if days > 0 else ("提前", "earlier")
            how, how_en = f"（{within}{way}{abs(days)}天）", f" ({abs(days)} days {way_en}{within_en})"
        self._emit("changed", w, o, n, f"{subj}由{old_zh}{note}调整为{new_zh}{how}",
                   f"{subj_en} moved from {old_en}{note_en} to {new_en}{how_en}", days=days)


# -- helpers -------------------------------------------------------------------------------------
# English for the units of target quantities (the label already says buildings / households)
_QUANTITY_UNITS_EN = {**UNITS_EN, "栋": "", "万户": "x10k", "万㎡": "x10k m²", "㎡": "m²"}


def _as_published(t, q: str) -> "_Shown":
    """A target quantity with its comparator wherever it prints: 不少于160栋 / at least 160 buildings."""
    c = t.comparator_of(q)
    shown = _Shown({"exactly": "", "不少于": "不少于", "不超过": "不超过"}[c] + t.shown(q))
    shown.en = {"exactly": "", "不少于": "at least ", "不超过": "at most "}[c] + _shown_en(t, q)
    return shown


def _shown_en(t, q: str) -> str:
    num, unit = t.shown(q)[:-len(t.unit(q))], t.unit(q)
    unit_en = _QUANTITY_UNITS_EN.get(unit, unit)
    return f"{num} {unit_en}" if unit_en else num


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _hashable(x):
    return x if not isinstance(x, (list, dict)) else repr(x)


def _plain(x):
    """A value for JSON: records become dicts without provenance or empty fields."""
    if isinstance(x, BaseModel):
        if "value" in type(x).model_fields:
            return _plain(x.value)
        out = {k: _plain(getattr(x, k)) for k in type(x).model_fields if k not in PROVENANCE}
        return {k: v for k, v in out.items() if v is not None and v != [] and v != {}}
    if isinstance(x, list):
        return [_plain(v) for v in x]
    return x


def _first_clause(x) -> str | None:
    if isinstance(x, BaseModel):
        clause = getattr(x, "clause", None)
        if clause:
            return str(clause)
        for name in type(x).model_fields:
            found = _first_clause(getattr(x, name))
            if found:
                return found
    if isinstance(x, list):
        return next((c for c in map(_first_clause, x) if c), None)
    return None


class _Shown(str):
    """A value already printed as its source prints it (67.13万户); ``en`` its English form."""

    en = ""


def _leaves(x, w: Where) -> Iterator[tuple[Where, Any]]:
    """(where, value) of every non-empty plain value inside a record, provenance and identity skipped."""
    if isinstance(x, BaseModel):
        if "value" in type(x).model_fields:
            unit = getattr(x, "unit", None)
            record: Any = x                      # a Param-like model: "value" is in its model_fields
            yield (replace(w, unit=unit) if unit and unit != "date" else w), record.value
            return
        if isinstance(x, Target):              # quantities as published: 楼栋数33栋, 户数1.3万户, 户数不少于7000户
            for q in QUANTITY_UNITS:
                if getattr(x, q) is not None:
                    yield replace(w, zh=w.zh + (QUANTITY_LABELS[q],), en=w.en + (q,), unit=None), _as_published(x, q)
            return
        for name in type(x).model_fields:
            if name in PROVENANCE or name in IDENTITY:
                continue
            v = getattr(x, name)
            if v is not None and v != [] and v != {}:
                yield from _leaves(v, w.field(name))
        return
    yield w, x


def unit_summary(record, level: str = "city", lang: str = "zh") -> str:
    """A unit's record as one line of the 对照表: 户数4421户，楼栋数54栋，建筑面积约31.4万㎡ (no brackets)."""
    text = _summary(record, Where(level=level), lang)
    return text[1:-1] if lang == "zh" else text.strip()[1:-1]


def _summary(value, w: Where, lang: str) -> str:
    """（项目数22个，户数300户） for a record; ：“文字” for a plain value."""
    if not isinstance(value, BaseModel) or "value" in type(value).model_fields:
        record: Any = value                      # a Param-like model has "value" in its model_fields
        v = record.value if isinstance(value, BaseModel) else value
        return (": " if lang == "en" else "：") + fmt(v, w.unit, lang)
    parts = []
    for lw, v in _leaves(value, replace(w, zh=(), en=())):
        label = join_subject(list(lw.zh if lang == "zh" else lw.en), lang)
        if isinstance(v, list) and v and isinstance(v[0], BaseModel):
            v = f"{len(v)}项" if lang == "zh" else f"{len(v)} items"
        shown = (v.en if lang == "en" else str(v)) if isinstance(v, _Shown) else fmt(_plain(v), lw.unit, lang)
        parts.append(f"{label}{'' if lang == 'zh' else ' '}{shown}".strip())
    if not parts:
        return ""
    return f"（{'，'.join(parts)}）" if lang == "zh" else f" ({', '.join(parts)})"
