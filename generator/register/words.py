"""The four words of 五（四）: 迟报、漏报、错报、瞒报, as programme-year.md defines them, each traceable.

- **迟报**: the 信息月报 for a period received after the office's due day (days late = received − due).
- **漏报**: no 信息月报 for a period whose due day has passed by the as-of day. Periods start at the office's
  first month (rule ``first_period``; default: the first month any county reported), so a month with
  nothing due (February, before the plans are in) is never 漏报. A late report is 迟报, not 漏报.
- **错报**: a later submission rewrites what an earlier one stated about a closed period: R101–R105 (moved or
  cleared start/completion, un-finished, dropped) and R106 (a start back-filled inside days an earlier
  report covered). A re-submission before the earlier report's due day (or on the same day, for material
  without a period) is a new version, not 错报.
- **瞒报**: where the record shows the county knew and did not report: a back-filled start (R106) whose date
  lies inside a period already reported as not started. Nothing else is called 瞒报.

Each ``Word`` names the submissions behind it (ids for the office's 说明, never the signed text).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from generator.register.rules import MONTHLY
from generator.register.series import Book, due_date

WORDS = ("迟报", "漏报", "错报", "瞒报")
WORDS_EN = {"迟报": "late", "漏报": "missing", "错报": "misreported", "瞒报": "concealed"}


@dataclass
class Word:
    word: str                              # 迟报 | 漏报 | 错报 | 瞒报
    county: str
    text: str                              # what happened, for the 通报 (no submission ids)
    submissions: list[int] = field(default_factory=list)
    period: str | None = None
    code: str | None = None                # R101-R106 for 错报/瞒报
    project: str | None = None
    days_late: int | None = None
    detail: str = ""                       # for the office's 说明: both values, both days, both ids


def periods(book: Book, lp) -> list[str]:
    """The months whose 信息月报 was due by the as-of day (none without the office's due day)."""
    day = book.rules.monthly_due_day
    if day is None:
        return []
    first = book.rules.first_period or min((s.period for s in book.counted if s.kind == MONTHLY and s.period),
                                           default=None)
    if first is None:
        return []
    year = lp.policy.year
    y, m = map(int, first.split("-"))
    out = []
    while y <= year:
        period = f"{y}-{m:02d}"
        if due_date(period, day) >= book.as_of:     # judged once the due day has passed
            break
        out.append(period)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _month(period: str) -> str:
    return f"{int(period.split('-')[1])}月"


def reporting(book: Book, lp) -> list[Word]:
    """迟报 and 漏报 per county with a target."""
    out: list[Word] = []
    day = book.rules.monthly_due_day
    if day is None:                           # no due day recorded: no 月报 is due (periods() is empty too)
        return out
    for c in lp.policy.counties_with_target:
        for period in periods(book, lp):
            due = due_date(period, day)
            reps = [s for s in book.by_county.get(c.name, ()) if s.kind == MONTHLY and s.period == period]
            if not reps:
                out.append(Word("漏报", c.name, f"{_month(period)}信息月报未报送（应于{due.month}月{due.day}日前报送）",
                                [], period, detail=f"截至{book.as_of}未收到"))
            elif reps[0].received > due:
                late = (reps[0].received - due).days
                out.append(Word("迟报", c.name, f"{_month(period)}信息月报{reps[0].received.month}月{reps[0].received.day}日"
                                f"报送，迟{late}天", [reps[0].id], period, days_late=late,
                                detail=f"#{reps[0].id} {reps[0].received}收到，应于{due}前"))
    return out


def _closed(old, new, day: int | None) -> bool:
    """Is ``old`` a closed report when ``new`` arrives (so a rewrite is 错报, not a version)?"""
    if new.received == old.received:
        return False
    if old.kind == MONTHLY and old.period and day is not None:
        return new.received > due_date(old.period, day)
    return True


def rewrites(book: Book, lp) -> list[Word]:
    """错报 (and 瞒报 where the record shows it) from each county's consecutive counted submissions."""
    from generator.register.changes import compare
    out = []
    day = book.rules.monthly_due_day
    conn = book.conn
    dates: dict[int, dict] = {}
    from generator.register.records import get_submission as _get
    from generator.register.records import project_rows as _projects
    if True:
        for county, subs in book.by_county.items():
            # a submission followed by a version of itself (same day, or before its due day) is superseded:
            # the history compares the versions that stood, so a typo fixed in time rewrites nothing
            stood = [s for s, nxt in zip(subs, [*subs[1:], None]) if nxt is None or _closed(s, nxt, day)]
            for old, new in zip(stood, stood[1:]):
                if not _may_rewrite(conn, dates, old, new):
                    continue                    # nothing the earlier report stated is touched: no full comparison
                o, n = _get(conn, old.id), _get(conn, new.id)
                cs = compare(o, _projects(conn, o.id), n, _projects(conn, n.id), lp)
                for f in cs.findings:
                    what = f.message.split("：")[0]
                    text = f"项目{f.project}：{what}（原报“{f.expected or '空'}”，后报“{f.value or '空'}”）"
                    detail = (f"#{old.id}（{old.received}收到）→ #{new.id}（{new.received}收到）")
                    out.append(Word("错报", county, text, [old.id, new.id], new.period, f.code, f.project,
                                    detail=detail))
                    if f.code == "R106":
                        out.append(Word("瞒报", county, f"项目{f.project}：{f.value}已开工，{_month(old.period) + '月报' if old.period else '此前报送'}"
                                        f"（{old.received}收到）未报，{new.received}方补报", [old.id, new.id],
                                        old.period, f.code, f.project, detail=detail))
    return out


def _dates(conn, cache: dict, sid: int) -> dict:
    """project key (as changes._key) -> (actual start, actual end) of a submission, read once."""
    if sid not in cache:
        cache[sid] = {k: (s, e) for k, s, e in conn.execute(
            "SELECT COALESCE(NULLIF(project, ''), COALESCE(community, '') || '@' || row), actual_start, actual_end "
            "FROM projects WHERE submission_id = ?", (sid,))}
    return cache[sid]


def _may_rewrite(conn, cache: dict, old, new) -> bool:
    """A quick look (dates only) for what changes.compare would find: a counted start or completion moved or
    gone, a counted project dropped, a start back-filled inside the days the earlier report covered."""
    import calendar
    o, n = _dates(conn, cache, old.id), _dates(conn, cache, new.id)
    counted = old.received.isoformat()
    covered = counted
    if old.period and old.kind == MONTHLY:
        y, m = map(int, old.period.split("-"))
        covered = min(counted, f"{old.period}-{calendar.monthrange(y, m)[1]:02d}")
    for k, (s, e) in o.items():
        got = n.get(k)
        if got is None:
            if (s and s <= counted) or (e and e <= counted):
                return True
            continue
        if (s and s <= counted and s != got[0]) or (e and e <= counted and e != got[1]):
            return True
        if not s and got[0] and got[0] <= covered:
            return True
    return any(k not in o and s and s <= covered for k, (s, _) in n.items())


def all_words(book: Book, lp) -> list[Word]:
    return reporting(book, lp) + rewrites(book, lp)


def counts(words: list[Word], county: str) -> dict[str, int]:
    return {w: sum(1 for x in words if x.county == county and x.word == w) for w in WORDS}
