"""One picture per date (issue 19.4): everything made "as of D" reads one ``Snapshot``.

``take(reg, D, policy, rules, verdicts)`` reads the register once under one policy and one set of the
office's rules and computes: the status (milestones as reported then and as re-reported later, recognised
starts), the monthly series, the four words (迟报/漏报/错报/瞒报, each with its submissions), each county's
latest counted submission and what it can still correct (the 反馈意见函), the 试填报 kept aside, the
submissions no 单位领导 approved, and the hazard picture (inspections, open and overdue hazards per county, from
the project life records through hooks.py). The 通报, 汇总表, 开工项目认定汇总表, 反馈意见函, 年度考核评价 and the web
city page are renderings of it, so two of them of the same D cannot disagree.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.register.rules import OfficeRules
    from generator.register.series import Series, Status


@dataclass
class Snapshot:
    as_of: dt.date
    lp: object                      # LoadedPolicy or facts.PolicyFacts
    rules: OfficeRules
    status: Status
    series: Series
    words: list                     # words.Word
    latest: dict                    # county -> api.Submission its progress rests on (latest counted by as_of)
    correctable: dict               # county -> [Finding] a county can still correct (its last submission only)
    verdicts: dict = field(default_factory=dict)
    trials: list = field(default_factory=list)       # api.Submission: 试填报, kept, never counted
    unapproved: list = field(default_factory=list)   # api.Submission without a recorded approval
    periods: list = field(default_factory=list)      # the 月报 periods due by as_of (with a due day)
    last: dict = field(default_factory=dict)         # county -> its last counted submission of any kind
    # per county of the policy: inspections, hazards found, closed, open, overdue as of the day (generator/life
    # reads them through register/hooks.py); [] when the register holds no inspection by then
    quality: list = field(default_factory=list)

    @property
    def sample(self) -> bool:
        return bool(self.status.sample)

    def words_of(self, county: str, word: str | None = None) -> list:
        return [w for w in self.words if w.county == county and (word is None or w.word == word)]

    def word_counts(self, county: str) -> dict[str, int]:
        from generator.register.words import counts
        return counts(self.words, county)

    def unapproved_counties(self) -> list[str]:
        """Counties whose figures (the as-of line) rest on a submission no 单位领导 approved."""
        return [c.line.county for c in self.status.counties if c.line.approved is False]

    def duties(self):
        """The 信息报送 part of the 通报 (reports.duties.DutiesReport) from the words; None without a due day."""
        if self.rules.monthly_due_day is None:
            return None
        from generator.reports.duties import from_words
        names = [c.line.county for c in self.status.counties]
        return from_words(self.lp, self.as_of, self.rules.monthly_due_day, self.periods, names, self.words,
                          source="user")

    def figures(self) -> dict:
        """Every figure and verdict of the picture, keyed for comparison across documents and dates."""
        out: dict[tuple[Any, ...], Any] = {}
        for c in [*self.status.counties, self.status.city]:
            x = c.line
            out[(x.county, "started")] = x.started
            out[(x.county, "declared")] = x.started_declared
            out[(x.county, "completed")] = x.completed
            out[(x.county, "households_completed")] = x.households_completed
            for v in c.verdicts:
                out[(x.county, v.id, "then")] = (v.reached_then, v.met_then)
                out[(x.county, v.id, "now")] = (v.reached_now, v.met_now)
        for c in self.status.counties:
            for w, n in self.word_counts(c.line.county).items():
                out[(c.line.county, w)] = n
        for q in self.quality:
            out[(q.county, "hazards")] = (q.inspections, q.hazards, q.closed, q.open, q.overdue)
        return out


def take(reg, as_of: dt.date, *, policy=None, rules=None, verdicts: dict | None = None,
         due_day: int | None = None) -> Snapshot:
    from generator.register import hooks
    from generator.register.records import get_submission as _get
    from generator.register.rules import RECEIPT_CODES
    from generator.register.series import Book, monthly, status
    from generator.register.words import all_words, periods
    with reg._open() as conn:
        lp = reg._lp(conn, policy, as_of)
        r = rules if rules is not None else reg._rules(conn, as_of)
        r = r.with_due_day(due_day)
        book = Book(conn, as_of, r, verdicts)
        st = status(conn, lp, as_of, book=book)
        se = monthly(conn, lp, lp.policy.year, as_of, book=book, st=st)
        words = all_words(book, lp)
        latest = {c: _get(conn, subs[-1].id) for c, subs in book.by_county.items() if subs}
        latest_any = {c: _get(conn, subs[-1].id) for c, subs in book.any_by_county.items() if subs}
        correctable = {}
        unapproved_ids = {s.id for s in book.unapproved}
        for county, sub in latest_any.items():          # the letter answers what the county sent last
            found = [f for f in reg._findings(conn, sub.id)
                     if f.severity.value in ("error", "warning") and f.code not in RECEIPT_CODES]
            if sub.id in unapproved_ids:
                found.append(_unapproved(lp, sub))
            if found:
                correctable[county] = found
        trials = [_get(conn, s.id) for s in book.trials]
        unapproved = [_get(conn, s.id) for s in book.unapproved]
        due = periods(book, lp)
        quality = hooks.quality(conn, lp, as_of)
    return Snapshot(as_of, lp, r, st, se, words, latest, correctable, dict(book.verdicts), trials, unapproved, due,
                    latest_any, quality)



def _unapproved(lp, sub):
    """What a county can still do about a submission without a recorded approval: send it (五（四）)."""
    from generator.findings import Finding, Severity
    p = lp.policy
    clause = lp.text.display(p.reporting.clause) if getattr(p, "reporting", None) else None
    return Finding("R208", Severity.WARNING,
                   f"{sub.received}收到的报送未见单位领导审核同意及加盖单位印章的材料（上报信息须经单位领导审核同意并加盖单位印章"
                   "方为有效），请补报盖章页",
                   f"no approval by the unit's leader and no sealed page recorded for the submission received "
                   f"{sub.received}: send them", clause=clause, file=sub.file_name, county=sub.county)
