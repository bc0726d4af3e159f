"""As-of status and the monthly series, straight from the register's tables (SQL, no workbook re-read).

"As reported by day R, counted on day D": each county's latest submission received on or before R, its
projects whose actual start / completion date is on or before D. A milestone due on D is judged on what
had been reported by D (R = D), so June's verdict stays June's; the same milestone re-counted on what is
known now (R = as-of) shows whether later submissions changed the picture. Targets, milestones and their
clauses come from the policy (never typed here); bases are the county's target, as in ``gaizao progress``.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import asdict, dataclass, field

from generator.findings import jsonable

_LATEST = """
SELECT county, id, received FROM (
    SELECT county, id, received,
           ROW_NUMBER() OVER (PARTITION BY county ORDER BY received DESC, id DESC) AS rn
    FROM submissions WHERE received <= :reported)
WHERE rn = 1
"""



_NOTHING = (0, 0, 0, 0, 0)


def _aggregate(conn, sids: list[int], day: dt.date) -> dict[int, tuple]:
    """One pass over the project rows of ``sids``: (listed projects, listed households, started, completed,
    households completed) on or before ``day`` (dates are ISO text: they sort as dates)."""
    if not sids:
        return {}
    args = {"day": day.isoformat(), **{f"s{i}": s for i, s in enumerate(sids)}}
    sql = ("SELECT submission_id, COUNT(*), COALESCE(SUM(CASE WHEN households > 0 THEN households END), 0), "
           "COALESCE(SUM(actual_start <= :day), 0), COALESCE(SUM(actual_end <= :day), 0), "
           "COALESCE(SUM(CASE WHEN actual_end <= :day AND households > 0 THEN households END), 0) FROM projects "
           f"WHERE submission_id IN ({', '.join(f':s{i}' for i in range(len(sids)))}) GROUP BY submission_id")
    return {r[0]: tuple(r[1:]) for r in conn.execute(sql, args)}


@dataclass
class Line:
    """One county (or the city) as reported by ``reported``, counted on ``counted``."""

    county: str
    projects_target: int
    households_target: int
    submission: int | None = None          # None: nothing reported yet
    received: dt.date | None = None
    projects_listed: int = 0
    households_listed: int = 0
    started: int = 0
    completed: int = 0
    households_completed: int = 0
    # the targets above are the listed projects (not a published target): 未公布 / 无目标, else ""
    projects_listed_basis: str = ""
    households_listed_basis: str = ""
    # the city line sums only part of the level below (a county not reported, or counties_complete: false):
    # shown, not compared with the city's target
    partial: bool = False

    def value(self, measure: str, basis: str) -> int:
        if measure == "started":
            return self.started if basis == "projects" else 0
        return self.completed if basis == "projects" else self.households_completed

    def base(self, basis: str) -> int:
        return self.projects_target if basis == "projects" else self.households_target

    def share(self, measure: str, basis: str) -> float:
        b = self.base(basis)
        return self.value(measure, basis) / b if b else 0.0


def latest_ids(conn, reported: dt.date) -> dict[str, int]:
    return {c: i for c, i, _ in conn.execute(_LATEST, {"reported": reported.isoformat()})}


def _latest(conn, reported: dt.date) -> dict[str, tuple[int, dt.date]]:
    return {c: (i, dt.date.fromisoformat(r)) for c, i, r in conn.execute(_LATEST, {"reported": reported.isoformat()})}


def measure_many(conn, lp, pairs) -> dict[tuple[dt.date, dt.date], tuple[list[Line], Line]]:
    """``measure`` for several (reported, counted) pairs, each submission's rows read once per counted day."""
    pairs = list(dict.fromkeys(pairs))
    latest = {r: _latest(conn, r) for r in {r for r, _ in pairs}}
    # per counted day, only the submissions some pair needs on that day: each row is read once per day
    per_day: dict[dt.date, set[int]] = {}
    for r, c in pairs:
        per_day.setdefault(c, set()).update(i for i, _ in latest[r].values())
    agg = {c: _aggregate(conn, sorted(sids), c) for c, sids in per_day.items()}
    return {(r, c): _lines(lp, latest[r], agg[c]) for r, c in pairs}


def measure(conn, lp, reported: dt.date, counted: dt.date) -> tuple[list[Line], Line]:
    """Every county of the policy with a target (and any other county in the register), and the city."""
    return measure_many(conn, lp, [(reported, counted)])[(reported, counted)]


def _count(target, quantity: str) -> int | None:
    """A target's count in 个 / 户 (1.3万户 -> 13000); None when there is no target or it is not published.
    A policy's Target is read through goals; the register's stored facts already hold the counts."""
    if target is None:
        return None
    if hasattr(target, "base"):
        from generator.policy.goals import goal
        return goal(target, quantity).as_int()
    return getattr(target, quantity, None)


def _lines(lp, latest: dict, agg: dict) -> tuple[list[Line], Line]:
    p = lp.policy
    with_target = [c.name for c in p.counties_with_target]
    lines = []
    for name in with_target + sorted(set(latest) - set(with_target)):
        c = p.county(name)
        t = c.target if c is not None else None
        line = Line(name, _count(t, "projects") or 0, _count(t, "households") or 0)
        # no target, or a quantity not published (未公布): the listed projects are the basis, and the line says so
        why = "无目标" if t is None else "未公布"
        if _count(t, "projects") is None:
            line.projects_listed_basis = why
        if _count(t, "households") is None:
            line.households_listed_basis = why
        if name in latest:
            sid, received = latest[name]
            line.submission, line.received = sid, received
            (line.projects_listed, line.households_listed, line.started, line.completed,
             line.households_completed) = agg.get(sid, _NOTHING)
            if line.projects_listed_basis:
                line.projects_target = line.projects_listed
            if line.households_listed_basis:
                line.households_target = line.households_listed
        lines.append(line)
    ct = p.city_target
    cp, ch = _count(ct, "projects"), _count(ct, "households")
    from generator.policy.goals import level_partial
    from generator.policy.wording import policy_scope
    city = Line(policy_scope(p), sum(x.projects_target for x in lines) if cp is None else cp,
                sum(x.households_target for x in lines) if ch is None else ch, partial=level_partial(p, latest))
    for x in lines:
        for f in ("projects_listed", "households_listed", "started", "completed", "households_completed"):
            setattr(city, f, getattr(city, f) + getattr(x, f))
    return lines, city


@dataclass
class Verdict:
    """A milestone for one county (or the city): as reported by its date, and as known on the as-of day."""

    id: str
    label: str
    date: dt.date
    share_required: float
    measure: str
    basis: str
    clause: str
    due: bool
    required: int                          # share × base, as a count (projects or households)
    reached_then: int | None = None        # as reported by the milestone's date (None: not yet due)
    met_then: bool | None = None
    reached_now: int | None = None         # the same day re-counted on what is known on the as-of day
    met_now: bool | None = None
    changed_by: list[int] = field(default_factory=list)   # submissions received after the date that changed it

    @property
    def changed(self) -> bool:
        return self.due and self.reached_now != self.reached_then


@dataclass
class CountyStatus:
    line: Line                             # as reported by the as-of day, counted on it
    verdicts: list[Verdict]
    submissions: int = 0                   # received on or before the as-of day


@dataclass
class Status:
    as_of: dt.date
    counties: list[CountyStatus]
    city: CountyStatus
    subject: dict
    sample: bool = False

    @property
    def changed(self) -> list[tuple[str, Verdict]]:
        return [(c.line.county, v) for c in [*self.counties, self.city] for v in c.verdicts if v.changed and not c.line.partial]

    def to_dict(self) -> dict:
        def one(c: CountyStatus) -> dict:
            return {**asdict(c.line), "submissions": c.submissions, "verdicts": [{**asdict(v), "changed": v.changed} for v in c.verdicts]}
        return jsonable({"tool": "gaizao", "format": 1, "kind": "register-status", "as_of": self.as_of,
                         "subject": self.subject, "sample": self.sample,
                         "counties": [one(c) for c in self.counties], "city": one(self.city)})


def _required(share: float, base: int) -> int:
    import math
    return math.ceil(share * base - 1e-9)


def status(conn, lp, as_of: dt.date) -> Status:
    p = lp.policy
    due_days = [m.date for m in p.milestones if m.date <= as_of]
    got = measure_many(conn, lp, [(as_of, as_of), *[(d, d) for d in due_days], *[(as_of, d) for d in due_days]])
    lines, city = got[(as_of, as_of)]
    verdicts: dict[str, list[Verdict]] = {x.county: [] for x in [*lines, city]}
    for m in p.milestones:
        due = m.date <= as_of
        then = got[(m.date, m.date)] if due else None
        now = got[(as_of, m.date)] if due else None
        for i, x in enumerate([*lines, city]):
            v = Verdict(m.id, m.label, m.date, m.share, m.measure, m.basis, lp.text.display(m.clause), due,
                        _required(m.share, x.base(m.basis)))
            if due:
                t = then[0][i] if i < len(lines) else then[1]
                n = now[0][i] if i < len(lines) else now[1]
                v.reached_then, v.reached_now = t.value(m.measure, m.basis), n.value(m.measure, m.basis)
                if not x.partial:             # a partial city sum is not judged against the city's target
                    v.met_then, v.met_now = v.reached_then >= v.required, v.reached_now >= v.required
                if v.reached_now != v.reached_then and i < len(lines):
                    v.changed_by = _changers(conn, x.county, m, v.reached_then, as_of)
            verdicts[x.county].append(v)
    for k, v in enumerate(verdicts[city.county]):      # the city's picture changed by its counties' submissions
        v.changed_by = sorted({i for x in lines for i in verdicts[x.county][k].changed_by})
    sample = bool(conn.execute("SELECT 1 FROM submissions WHERE sample AND received <= ? LIMIT 1",
                               (as_of.isoformat(),)).fetchone())
    n = dict(conn.execute("SELECT county, COUNT(*) FROM submissions WHERE received <= ? GROUP BY county",
                          (as_of.isoformat(),)).fetchall())
    return Status(as_of, [CountyStatus(x, verdicts[x.county], n.get(x.county, 0)) for x in lines],
                  CountyStatus(city, verdicts[city.county], sum(n.values())), lp.manifest(), sample)


def _changers(conn, county: str, m, then: int, until: dt.date) -> list[int]:
    """The county's submissions received after the milestone's date (up to ``until``) that changed its count."""
    col = "actual_start" if m.measure == "started" else "actual_end"
    what = "COUNT(*)" if m.basis == "projects" else "COALESCE(SUM(CASE WHEN households > 0 THEN households END), 0)"
    out, last = [], then
    for (sid,) in conn.execute("SELECT id FROM submissions WHERE county = ? AND received > ? AND received <= ? "
                               "ORDER BY received, id", (county, m.date.isoformat(), until.isoformat())).fetchall():
        value = conn.execute(f"SELECT {what} FROM projects WHERE submission_id = ? AND {col} <= ?",
                             (sid, m.date.isoformat())).fetchone()[0]
        if value != last:
            out.append(sid)
            last = value
    return out


# -- monthly series -------------------------------------------------------------------------------
@dataclass
class MonthRow:
    month: str                             # YYYY-MM
    end: dt.date                           # the month's last day (reported and counted on it)
    line: Line
    reported_this_month: bool              # a submission of this county was received this month
    milestones: list[dict] = field(default_factory=list)   # milestones due this month: id, required, reached, met


@dataclass
class Series:
    year: int
    months: list[str]
    rows: list[MonthRow]                   # per month: the counties, then 全市
    milestones: list[dict]                 # id, label, date, share, measure, basis, clause (from the policy)
    subject: dict
    sample: bool = False

    def to_dict(self) -> dict:
        return jsonable({"tool": "gaizao", "format": 1, "kind": "register-series", "year": self.year,
                         "subject": self.subject, "sample": self.sample, "milestones": self.milestones,
                         "rows": [{"month": r.month, "end": r.end, **asdict(r.line),
                                   "reported_this_month": r.reported_this_month, "milestones": r.milestones}
                                  for r in self.rows]})


def month_ends(year: int, until: dt.date | None = None) -> list[dt.date]:
    ends = [dt.date(year, m, calendar.monthrange(year, m)[1]) for m in range(1, 13)]
    return [e for e in ends if until is None or e <= until or (e.year, e.month) == (until.year, until.month)]


def month_mark(m: dict, label: str, lang: str = "zh") -> str:
    """A milestone of the month as a row prints it: 全部开工 ✓ 12/12; a partial city sum only shown."""
    if m["met"] is None:
        from generator.policy.goals import not_compared
        return f"{label} {m['reached']}/{m['required']}{not_compared(lang)}"
    return f"{label} {'✓' if m['met'] else '✗'} {m['reached']}/{m['required']}"


def monthly(conn, lp, year: int, as_of: dt.date | None = None) -> Series:
    p = lp.policy
    ms = [{"id": m.id, "label": m.label, "date": m.date, "share": m.share, "measure": m.measure, "basis": m.basis,
           "clause": lp.text.display(m.clause)} for m in p.milestones]
    received = {}
    for county, day in conn.execute("SELECT county, received FROM submissions"):
        received.setdefault(county, set()).add(day[:7])
    rows, months = [], []
    ends = [(end, min(end, as_of) if as_of else end) for end in month_ends(year, as_of)]
    got = measure_many(conn, lp, [(day, day) for _, day in ends])
    for end, day in ends:
        month = f"{end.year}-{end.month:02d}"
        months.append(month)
        lines, city = got[(day, day)]
        for x in [*lines, city]:
            here = [m for m in p.milestones if (m.date.year, m.date.month) == (end.year, end.month) and m.date <= day]
            marks = [{"id": m.id, "required": _required(m.share, x.base(m.basis)), "reached": x.value(m.measure, m.basis),
                      "met": None if x.partial else x.value(m.measure, m.basis) >= _required(m.share, x.base(m.basis))}
                     for m in here]
            rep = (any(month in v for v in received.values()) if x is city else month in received.get(x.county, ()))
            rows.append(MonthRow(month, day, x, rep, marks))
    sample = bool(conn.execute("SELECT 1 FROM submissions WHERE sample LIMIT 1").fetchone())
    return Series(year, months, rows, ms, lp.manifest(), sample)
