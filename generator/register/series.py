"""As-of status and the monthly series, from the register's tables (no workbook re-read).

What counts (issue 19; programme-year.md):

- **Which submissions.** Everything received on or before the as-of day except 试填报 (checked, kept, never
  counted) and, when the office's rule says so, submissions no 单位领导 approved (五（四）).
- **Periods.** A milestone dated D is judged on the reports *for D's month* (the June 月报 for 6-30): the
  county's last version received by the office's due day; with none, and the office's rule letting a late
  report count (default), its first late report (lateness is counted apart, duties.py); with no report for
  the period at all, on the latest report the office had by the due day (said so). That is "as reported
  then" (``reached_then``); the same day re-counted on the latest submission received by the as-of day is
  "as re-reported later" (``reached_now``), with the submissions that changed it.
- **Recognised starts.** Every started figure counts starts recognised by ``recognition.recognise`` (the
  five criteria and consent as the policy states them, a rejected date never, an inspector's verdict where
  given); the unrecognised ones are listed on the line with why.

Targets, milestones and clauses come from the policy (never typed here); bases are the county's target.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import asdict, dataclass, field

from generator.findings import jsonable
from generator.reports import recognition
from generator.register import hooks
from generator.register.rules import MONTHLY, TRIAL, OfficeRules
from generator.register.withdrawn import withdrawals


def period_of(day: dt.date) -> str:
    return f"{day.year}-{day.month:02d}"


def due_date(period: str, day: int) -> dt.date:
    y, m = map(int, period.split("-"))
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return dt.date(y, m, min(day, calendar.monthrange(y, m)[1]))


@dataclass
class Sub:
    """A submission as the picture needs it."""

    id: int
    county: str
    version: int
    received: dt.date
    kind: str
    period: str | None
    sample: bool
    approved: bool
    file_name: str = ""


@dataclass
class Counts:
    listed: int = 0
    households_listed: int = 0
    started: int = 0                       # recognised starts on or before the day
    declared: int = 0                      # starts typed on or before the day (recognised or not)
    completed: int = 0
    households_completed: int = 0
    unrecognised: list[dict] = field(default_factory=list)   # project, community, start, why
    households_started: int = 0            # households of the recognised starts


class Book:
    """The register's submissions up to a day, read once; project rows read once per submission."""

    def __init__(self, conn, as_of: dt.date, rules: OfficeRules | None = None, verdicts: dict | None = None):
        self.conn, self.as_of = conn, as_of
        self.rules = rules or OfficeRules()
        # none given: the inspectors' verdicts recorded in the register by the day, read by generator/life
        # through its hook (a floor above: the register never imports it)
        self.verdicts = verdicts if verdicts is not None else hooks.verdicts(conn, as_of)
        for v in self.verdicts.values():
            recognition.check_verdict(v)
        approved = {r[0] for r in conn.execute("SELECT DISTINCT submission_id FROM approvals")} if _has(conn, "approvals") else set()
        cols = "id, county, version, received, sample, file_name" + (", kind, period" if _has_col(conn, "kind") else ", NULL, period")
        self.all: list[Sub] = []
        # withdrawn (撤回) by the day: kept in the register, never counted, not even as a 试填报 (withdrawn.py)
        self.withdrawn = withdrawals(conn, as_of)
        for r in conn.execute(f"SELECT {cols} FROM submissions WHERE received <= ? ORDER BY received, id",
                              (as_of.isoformat(),)):
            sid, county, version, received, sample, name, kind, period = r
            if sid in self.withdrawn:
                continue
            self.all.append(Sub(sid, county, version, dt.date.fromisoformat(received),
                                kind or (MONTHLY if period else "年度实施方案"), period, bool(sample), sid in approved, name))
        self.trials = [s for s in self.all if s.kind == TRIAL]
        self.unapproved = [s for s in self.all if s.kind != TRIAL and not s.approved]
        self.counted = [s for s in self.all if s.kind != TRIAL and (s.approved or self.rules.unapproved_counts)]
        # every counted submission per county, and the chain the progress figures and the history read: once a
        # county sends 信息月报, a plan (or other material) sent later revises the plan, not the progress it
        # reported, so it neither resets the counts nor is compared as a rewrite of a 月报
        self.any_by_county: dict[str, list[Sub]] = {}
        for s in self.counted:
            self.any_by_county.setdefault(s.county, []).append(s)
        self.by_county: dict[str, list[Sub]] = {}
        for county, subs in self.any_by_county.items():
            first = next((s for s in subs if s.kind == MONTHLY), None)
            self.by_county[county] = [s for s in subs if first is None or s.kind == MONTHLY
                                      or (s.received, s.id) < (first.received, first.id)]
        if not self.rules.declared_counts:
            self._FAST = "(0 = 1)"          # every start waits for its verdict: decided row by row
        self._rows: dict[int, list[tuple]] = {}
        self._fast_of: dict[int, set] = {}
        self._counts: dict[tuple, Counts] = {}

    # -- which submission ---------------------------------------------------------------------------
    def latest(self, county: str, by: dt.date) -> Sub | None:
        found = None
        for s in self.by_county.get(county, ()):
            if s.received <= by:
                found = s
        return found

    def period_report(self, county: str, period: str) -> tuple[Sub | None, bool]:
        """The report for ``period`` as reported then: (submission, late). None when there is none to use."""
        reps = [s for s in self.by_county.get(county, ()) if s.kind == MONTHLY and s.period == period]
        if not reps:
            return None, False
        day = self.rules.monthly_due_day
        if day is not None:
            due = due_date(period, day)
            on_time = [s for s in reps if s.received <= due]
            if on_time:
                return on_time[-1], False         # versions before the due day: the last one is the report
            if not self.rules.late_counts:
                return None, True
            first = reps[0].received
            return [s for s in reps if s.received == first][-1], True
        first = reps[0].received
        return [s for s in reps if s.received == first][-1], False

    def pending(self, period: str) -> bool:
        """The period's reports are not yet due on the as-of day (so a milestone of it is not judged yet)."""
        day = self.rules.monthly_due_day
        return day is not None and self.as_of < due_date(period, day)

    def basis(self, county: str, period: str, fallback_by: dt.date) -> tuple[Sub | None, str, bool]:
        """(submission, how it was chosen (Chinese), late) for a county's figures of ``period``."""
        sub, late = self.period_report(county, period)
        y, m = period.split("-")
        if sub is not None:
            return sub, f"{int(m)}月月报（{sub.received}收到{'，迟报' if late else ''}，#{sub.id}）", late
        sub = self.latest(county, fallback_by)
        if sub is None:
            return None, "未报送", False
        return sub, f"未收到{int(m)}月月报，按{sub.received}收到的报送（#{sub.id}）", False

    # -- counting -----------------------------------------------------------------------------------
    # A row whose stored decision (recognition.dumps: "ok") is "recognised" and whose completion was not
    # rejected is counted in SQL; the others ("special": not recognised, a rejected completion, a verdict
    # for its project, facts without a stored decision) are decided in Python by recognition.recognise,
    # once per submission. A big register is then mostly counted by SQLite.
    _FAST = "(COALESCE(start_ok, 0) = 1 OR (start_ok IS NULL AND start_check IS NULL))"     # never NULL

    def special(self, sid: int) -> list[tuple]:
        """(project, community, households, start, end, recognised, why, end_ok) of the rows not counted in SQL."""
        if sid not in self._rows:
            if not _has_col(self.conn, "start_ok", "projects"):
                self._rows[sid] = []            # a register of our own older schema is migrated on opening
                return []
            args: list = [sid]
            extra = ""
            if self.verdicts:
                marks = ", ".join("?" for _ in self.verdicts)
                extra = f" OR project IN ({marks})"
                args += list(self.verdicts)
            out = []
            for project, community, hh, start, end, check in self.conn.execute(
                    "SELECT project, community, households, actual_start, actual_end, COALESCE(start_check, "
                    "(SELECT facts FROM project_checks c WHERE c.submission_id = p.submission_id AND c.row = p.row)) "
                    f"FROM projects p WHERE submission_id = ? AND (NOT {self._FAST}{extra}) ORDER BY row", args):
                facts = recognition.loads(check)
                ok, why = True, ""
                if start:
                    rec = recognition.recognise(start, facts, dt.date.max, self.verdicts.get(project))
                    ok, why = rec.recognised, rec.why
                    if ok and not self.rules.declared_counts and project not in self.verdicts:
                        # the office counts only starts an inspector verified (rule declared_counts 否)
                        ok, why = False, "申报开工，尚未经现场核查（按规定未核查的不计入）"
                end_ok = not (facts or {}).get("rejected", {}).get("end")
                out.append((project, community, hh, start, end, ok, why, end_ok))
            self._rows[sid] = out
        return self._rows[sid]

    def counts(self, sid: int | None, day: dt.date) -> Counts:
        if sid is None:
            return Counts()
        key = (sid, day)
        if key in self._counts:
            return self._counts[key]
        c = Counts()
        iso = day.isoformat()
        listed, hh_listed, declared, started, hh_started, completed, hh_done = self.conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN households > 0 THEN households END), 0), "
            "COALESCE(SUM(actual_start <= :day), 0), "
            f"COALESCE(SUM(actual_start <= :day AND {self._FAST}), 0), "
            f"COALESCE(SUM(CASE WHEN actual_start <= :day AND {self._FAST} AND households > 0 THEN households END), 0), "
            f"COALESCE(SUM(actual_end <= :day AND {self._FAST}), 0), "
            f"COALESCE(SUM(CASE WHEN actual_end <= :day AND {self._FAST} AND households > 0 THEN households END), 0) "
            "FROM projects WHERE submission_id = :sid", {"day": iso, "sid": sid}).fetchone()
        for project, community, hh, start, end, ok, why, end_ok in self.special(sid):
            if self._is_fast_row(sid, project):
                # a verdict's project the SQL sums counted by its stored decision: take that back, decide it here
                if start and start <= iso:
                    started -= 1
                    if hh and hh > 0:
                        hh_started -= hh
                if end and end <= iso:
                    completed -= 1
                    if hh and hh > 0:
                        hh_done -= hh
            if start and start <= iso:
                if ok:
                    started += 1
                    if hh and hh > 0:
                        hh_started += hh
                else:
                    c.unrecognised.append({"project": project, "community": community, "start": start, "why": why})
            if end and end <= iso and end_ok:
                completed += 1
                if hh and hh > 0:
                    hh_done += hh
        (c.listed, c.households_listed, c.started, c.declared, c.completed,
         c.households_completed, c.households_started) = (listed, hh_listed, started, declared, completed, hh_done,
                                                          hh_started)
        self._counts[key] = c
        return c

    def _is_fast_row(self, sid: int, project) -> bool:
        """Was this special row also counted by the SQL sums (a verdict's project whose stored decision is
        "recognised")? Only rows picked for a verdict can be; the others are special because they are not fast."""
        if project not in self.verdicts:
            return False
        fast = self._fast_of.get(sid)
        if fast is None:
            marks = ", ".join("?" for _ in self.verdicts)
            fast = self._fast_of[sid] = {r[0] for r in self.conn.execute(
                f"SELECT project FROM projects WHERE submission_id = ? AND project IN ({marks}) AND {self._FAST}",
                [sid, *self.verdicts])}
        return project in fast

    @property
    def sample(self) -> bool:
        return any(s.sample for s in self.counted)


def _has(conn, table: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone() is not None


def _has_col(conn, col: str, table: str = "submissions") -> bool:
    return any(r[1] == col for r in conn.execute(f"PRAGMA table_info({table})"))


@dataclass
class Line:
    """One county (or the city) as reported by one submission, counted on a day."""

    county: str
    projects_target: int
    households_target: int
    submission: int | None = None          # None: nothing reported yet
    received: dt.date | None = None
    projects_listed: int = 0
    households_listed: int = 0
    started: int = 0                       # recognised starts (开工认定)
    completed: int = 0
    households_completed: int = 0
    # the targets above are the listed projects (not a published target): 未公布 / 无目标, else ""
    projects_listed_basis: str = ""
    households_listed_basis: str = ""
    # the city line sums only part of the level below (a county not reported, or counties_complete: false):
    # shown, not compared with the city's target
    partial: bool = False
    started_declared: int = 0              # starts the county typed, recognised or not
    unrecognised: list[dict] = field(default_factory=list)   # the starts not recognised, with why
    approved: bool | None = None           # the submission behind the line was approved (五（四）); None: no submission
    households_started: int = 0            # households of the recognised starts

    def value(self, measure: str, basis: str) -> int:
        if measure == "started":
            return self.started if basis == "projects" else 0
        return self.completed if basis == "projects" else self.households_completed

    def base(self, basis: str) -> int:
        return self.projects_target if basis == "projects" else self.households_target

    def share(self, measure: str, basis: str) -> float:
        b = self.base(basis)
        return self.value(measure, basis) / b if b else 0.0


def _count(target, quantity: str) -> int | None:
    """A target's count in 个 / 户 (1.3万户 -> 13000); None when there is no target or it is not published.
    A policy's Target is read through goals; the register's stored facts already hold the counts."""
    if target is None:
        return None
    if hasattr(target, "base"):
        from generator.policy.goals import goal
        return goal(target, quantity).as_int()
    return getattr(target, quantity, None)


def _names(lp, book: Book) -> list[str]:
    with_target = [c.name for c in lp.policy.counties_with_target]
    return with_target + sorted(set(book.by_county) - set(with_target))


def line_of(lp, name: str, sub: Sub | None, counts: Counts) -> Line:
    p = lp.policy
    c = p.county(name)
    t = c.target if c is not None else None
    line = Line(name, _count(t, "projects") or 0, _count(t, "households") or 0)
    why = "无目标" if t is None else "未公布"
    if _count(t, "projects") is None:
        line.projects_listed_basis = why
    if _count(t, "households") is None:
        line.households_listed_basis = why
    if sub is not None:
        line.submission, line.received, line.approved = sub.id, sub.received, sub.approved
        line.projects_listed, line.households_listed = counts.listed, counts.households_listed
        line.started, line.completed, line.households_completed = counts.started, counts.completed, counts.households_completed
        line.started_declared, line.unrecognised = counts.declared, list(counts.unrecognised)
        line.households_started = counts.households_started
        if line.projects_listed_basis:
            line.projects_target = line.projects_listed
        if line.households_listed_basis:
            line.households_target = line.households_listed
    return line


def city_of(lp, lines: list[Line], present) -> Line:
    p = lp.policy
    ct = p.city_target
    cp, ch = _count(ct, "projects"), _count(ct, "households")
    from generator.policy.goals import level_partial
    from generator.policy.wording import policy_scope
    city = Line(policy_scope(p), sum(x.projects_target for x in lines) if cp is None else cp,
                sum(x.households_target for x in lines) if ch is None else ch, partial=level_partial(p, present))
    for x in lines:
        for f in ("projects_listed", "households_listed", "started", "completed", "households_completed",
                  "started_declared", "households_started"):
            setattr(city, f, getattr(city, f) + getattr(x, f))
        city.unrecognised += [{**u, "county": x.county} for u in x.unrecognised]
    return city


def measure(book: Book, lp, reported: dt.date, counted: dt.date) -> tuple[list[Line], Line]:
    """Every county of the policy with a target (and any other county in the register), and the city: each
    as its latest counted submission received by ``reported`` says, counted on ``counted``."""
    lines = []
    for name in _names(lp, book):
        sub = book.latest(name, reported)
        lines.append(line_of(lp, name, sub, book.counts(sub.id if sub else None, counted)))
    return lines, city_of(lp, lines, {x.county for x in lines if x.submission is not None})


@dataclass
class Verdict:
    """A milestone for one county (or the city): as reported then (the reports for its period), and as
    re-reported later (re-counted on the latest submission received by the as-of day)."""

    id: str
    label: str
    date: dt.date
    share_required: float
    measure: str
    basis: str
    clause: str
    due: bool                              # judged: its date passed and its period's reports were due
    required: int                          # share × base, as a count (projects or households)
    reached_then: int | None = None        # as reported then (None: not yet judged)
    met_then: bool | None = None
    reached_now: int | None = None         # the same day re-counted on what is known on the as-of day
    met_now: bool | None = None
    changed_by: list[int] = field(default_factory=list)   # later submissions that changed it
    then_submission: int | None = None     # the report "then" rests on
    then_note: str = ""                    # how it was chosen (Chinese): 6月月报（2023-07-04收到，#31）
    late: bool = False                     # the report "then" rests on was late (counted: office's rule)
    pending: bool = False                  # the date passed but its period's reports are not yet due
    unrecognised: list[dict] = field(default_factory=list)  # starts not recognised in the "then" report

    @property
    def changed(self) -> bool:
        return self.due and self.reached_now != self.reached_then


@dataclass
class CountyStatus:
    line: Line                             # as reported by the as-of day, counted on it
    verdicts: list[Verdict]
    submissions: int = 0                   # counted, received on or before the as-of day


@dataclass
class Status:
    as_of: dt.date
    counties: list[CountyStatus]
    city: CountyStatus
    subject: dict
    sample: bool = False
    rules: list[str] = field(default_factory=list)          # the office's rules used, as words
    trials: list[int] = field(default_factory=list)         # 试填报 kept, not counted
    unapproved: list[int] = field(default_factory=list)     # counted (or not, by rule) without approval
    unapproved_counted: bool = True

    @property
    def changed(self) -> list[tuple[str, Verdict]]:
        return [(c.line.county, v) for c in [*self.counties, self.city] for v in c.verdicts if v.changed and not c.line.partial]

    def to_dict(self) -> dict:
        def one(c: CountyStatus) -> dict:
            return {**asdict(c.line), "submissions": c.submissions, "verdicts": [{**asdict(v), "changed": v.changed} for v in c.verdicts]}
        return jsonable({"tool": "gaizao", "format": 1, "kind": "register-status", "as_of": self.as_of,
                         "subject": self.subject, "sample": self.sample, "rules": self.rules,
                         "trials": self.trials, "unapproved": self.unapproved,
                         "unapproved_counted": self.unapproved_counted,
                         "counties": [one(c) for c in self.counties], "city": one(self.city)})


def _required(share: float, base: int) -> int:
    import math
    return math.ceil(share * base - 1e-9)


def status(conn, lp, as_of: dt.date, *, book: Book | None = None, rules: OfficeRules | None = None,
           verdicts: dict | None = None) -> Status:
    book = book or Book(conn, as_of, rules, verdicts)
    p = lp.policy
    lines, city = measure(book, lp, as_of, as_of)
    verdicts_of: dict[str, list[Verdict]] = {x.county: [] for x in [*lines, city]}
    for m in p.milestones:
        period = period_of(m.date)
        passed = m.date <= as_of
        then_lines, now_lines = [], []
        vs = []
        for x in lines:
            v = Verdict(m.id, m.label, m.date, m.share, m.measure, m.basis, lp.text.display(m.clause), False,
                        _required(m.share, x.base(m.basis)))
            if passed:
                sub, note, late = book.basis(x.county, period,
                                             due_date(period, book.rules.monthly_due_day) if book.rules.monthly_due_day
                                             else m.date)
                v.pending = book.pending(period) and book.period_report(x.county, period)[0] is None
                then = line_of(lp, x.county, sub, book.counts(sub.id if sub else None, m.date))
                now_sub = book.latest(x.county, as_of)
                now = line_of(lp, x.county, now_sub, book.counts(now_sub.id if now_sub else None, m.date))
                then_lines.append(then)
                now_lines.append(now)
                v.then_submission, v.then_note, v.late = (sub.id if sub else None), note, late
                v.unrecognised = then.unrecognised if m.measure == "started" else []
                if not v.pending:
                    v.due = True
                    v.reached_then, v.reached_now = then.value(m.measure, m.basis), now.value(m.measure, m.basis)
                    v.met_then, v.met_now = v.reached_then >= v.required, v.reached_now >= v.required
                    if v.reached_now != v.reached_then:
                        v.changed_by = _changers(book, x.county, m, v.reached_then, sub)
            vs.append(v)
        for x, v in zip(lines, vs):
            verdicts_of[x.county].append(v)
        cv = Verdict(m.id, m.label, m.date, m.share, m.measure, m.basis, lp.text.display(m.clause), False,
                     _required(m.share, city.base(m.basis)))
        if passed:
            present = {t.county for t in then_lines if t.submission is not None}
            tc = city_of(lp, then_lines, present)
            nc = city_of(lp, now_lines, {t.county for t in now_lines if t.submission is not None})
            cv.pending = any(v.pending for v in vs)
            if not cv.pending:
                cv.due = True
                cv.reached_then, cv.reached_now = tc.value(m.measure, m.basis), nc.value(m.measure, m.basis)
                if not tc.partial and not city.partial:   # a partial city sum is not judged against the city's target
                    cv.met_then, cv.met_now = cv.reached_then >= cv.required, cv.reached_now >= cv.required
                cv.changed_by = sorted({i for v in vs for i in v.changed_by})
                cv.late = any(v.late for v in vs)
        verdicts_of[city.county].append(cv)
    n: dict[str, int] = {}
    for s in book.counted:
        n[s.county] = n.get(s.county, 0) + 1
    return Status(as_of, [CountyStatus(x, verdicts_of[x.county], n.get(x.county, 0)) for x in lines],
                  CountyStatus(city, verdicts_of[city.county], sum(n.values())), lp.manifest(), book.sample,
                  book.rules.lines(), [s.id for s in book.trials], [s.id for s in book.unapproved],
                  book.rules.unapproved_counts)


def _changers(book: Book, county: str, m, then: int, basis: Sub | None) -> list[int]:
    """The county's counted submissions after the one "then" rests on (up to the as-of day) that changed the
    milestone's count, each counted on the milestone's date."""
    out, last = [], then
    after = [s for s in book.by_county.get(county, ()) if basis is None or (s.received, s.id) > (basis.received, basis.id)]
    for s in after:
        c = book.counts(s.id, m.date)
        value = (c.started if m.basis == "projects" else 0) if m.measure == "started" else (
            c.completed if m.basis == "projects" else c.households_completed)
        if value != last:
            out.append(s.id)
            last = value
    return out


# -- monthly series -------------------------------------------------------------------------------
@dataclass
class MonthRow:
    month: str                             # YYYY-MM
    end: dt.date                           # the month's last day (counted on it, or on the as-of day)
    line: Line
    reported_this_month: bool              # a 信息月报 for this month was received (by the as-of day)
    milestones: list[dict] = field(default_factory=list)   # milestones due this month: id, required, reached, met
    basis_note: str = ""                   # which submission the month's figures rest on


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
                                   "reported_this_month": r.reported_this_month, "milestones": r.milestones,
                                   "basis_note": r.basis_note}
                                  for r in self.rows]})


def month_ends(year: int, until: dt.date | None = None) -> list[dt.date]:
    ends = [dt.date(year, m, calendar.monthrange(year, m)[1]) for m in range(1, 13)]
    return [e for e in ends if until is None or e <= until or (e.year, e.month) == (until.year, until.month)]


def month_mark(m: dict, label: str, lang: str = "zh") -> str:
    """A milestone of the month as a row prints it: 全部开工 ✓ 12/12; a partial city sum only shown."""
    if m.get("pending"):
        return f"{label} {'pending' if lang == 'en' else '待月报到期'}"
    if m["met"] is None:
        from generator.policy.goals import not_compared
        return f"{label} {m['reached']}/{m['required']}{not_compared(lang)}"
    return f"{label} {'✓' if m['met'] else '✗'} {m['reached']}/{m['required']}"


def monthly(conn, lp, year: int, as_of: dt.date | None = None, *, book: Book | None = None,
            rules: OfficeRules | None = None, verdicts: dict | None = None, st: Status | None = None) -> Series:
    """Per month, each county's figures as its report for that month says (as reported then), counted at the
    month's end; a month without a report rests on the latest one received by the month's end (said so).
    Milestones due in a month take their verdict from ``status`` (one picture: the same words as the 通报)."""
    p = lp.policy
    if book is None:
        book = Book(conn, as_of or dt.date(year, 12, 31) + dt.timedelta(days=400), rules, verdicts)
    if st is None:
        st = status(conn, lp, book.as_of, book=book)
    ms = [{"id": m.id, "label": m.label, "date": m.date, "share": m.share, "measure": m.measure, "basis": m.basis,
           "clause": lp.text.display(m.clause)} for m in p.milestones]
    verdict = {(c.line.county, v.id): v for c in [*st.counties, st.city] for v in c.verdicts}
    rows, months = [], []
    for end in month_ends(year, as_of):
        day = min(end, as_of) if as_of else end
        month = period_of(end)
        months.append(month)
        lines, notes, reported = [], [], []
        for name in _names(lp, book):
            sub, note, _ = book.basis(name, month, day)
            lines.append(line_of(lp, name, sub, book.counts(sub.id if sub else None, day)))
            notes.append(note)
            reported.append(book.period_report(name, month)[0] is not None)
        city = city_of(lp, lines, {x.county for x in lines if x.submission is not None})
        for x, note, rep in [*zip(lines, notes, reported), (city, "", any(reported))]:
            marks = []
            for m in p.milestones:
                if period_of(m.date) != month or m.date > day:
                    continue
                v = verdict.get((x.county, m.id))
                if v is None:
                    continue
                marks.append({"id": m.id, "required": v.required, "reached": v.reached_then,
                              "met": v.met_then, "pending": v.pending or not v.due})
            rows.append(MonthRow(month, day, x, rep, marks, note))
    return Series(year, months, rows, ms, lp.manifest(), book.sample)


def latest_ids(conn, reported: dt.date, rules: OfficeRules | None = None) -> dict[str, int]:
    """county -> id of its latest counted submission received on or before ``reported``."""
    book = Book(conn, reported, rules)
    return {c: subs[-1].id for c, subs in book.by_county.items() if subs}
