"""A year of events judged as the notice reads it (issue 19.8). Every expected verdict below is written by
hand from the policy text (二 milestones, 五（四） the four words, 附件 开工认定) and the events, not taken
from the code:

禹州市 (8 projects, all planned to start by 6-30):
  plan received 03-03, three days after 2月底 (late plan, judged on the received day; the sheet says 02-24);
  monthly reports for March-December received on the 3rd of the next month (due day 5: on time);
  July's report moves XC01-006's start from 05-20 (June's report) to 07-02: 错报 R101, June re-counted 7/8;
  August's report sent twice on 09-03, the first with a typo in XC01-001's start: a version, not 错报;
  September's report mistypes XC01-007's 小区名称: a change, not 错报;
  a revised plan (without progress) on 09-15: neither resets the counts nor is compared as a rewrite;
  November's report un-finishes XC01-001 (R104) and drops the started XC01-008 for a new project (R105).
建安区 (24 projects):
  June's report (07-03) leaves XC05-002 unstarted; July's (08-09, four days late) back-fills it on 06-28:
  错报 R106 and 瞒报 (the June report said "not started" on a day it had started);
  XC05-003 started with criteria 4 and 5 blank, XC05-004 at 75 % consent: never recognised as started;
  no August report (漏报); a 试填报 on 07-02 claiming every start: kept, never counted.
"""
import datetime as dt

import pytest

from generator.register.rules import PLAN, TRIAL

D = dt.date
A, B = "禹州市", "建安区"


@pytest.fixture(scope="module")
def year(tmp_path_factory, policy2023, backend):
    from generator.register import Register
    from tests.register.yearbook import County
    lp = policy2023
    tmp = tmp_path_factory.mktemp("events")
    reg = Register(backend.register(tmp / "r.db"))
    reg.set_rule("monthly_due_day", "5", applies_from=D(2023, 1, 1), by="市百城办")
    a, b = County(lp, A), County(lp, B)
    ids = {}

    def add(county, plan, received, key, **kw):
        path = county.write(plan, tmp, f"{county.name}-{key}")
        kw.setdefault("approved_by", "局长")
        res = reg.add(path, received=received, by="登记员", policy=lp, today=D(2024, 1, 31), **kw)
        ids[(county.name, key)] = res.submission.id
        return res

    add(a, a.plan_only(), D(2023, 3, 3), "plan", kind=PLAN)
    add(b, b.plan_only(), D(2023, 2, 24), "plan", kind=PLAN)
    b.blank["XC05-003"] = (4, 5)
    b.consent["XC05-004"] = 0.75
    for month in range(3, 13):
        end = D(2023, month, 28) if month == 2 else (D(2023, month + 1, 1) - dt.timedelta(days=1) if month < 12
                                                     else D(2023, 12, 31))
        got = D(2023, month + 1, 3) if month < 12 else D(2024, 1, 3)
        period = f"2023-{month:02d}"
        # 禹州市
        if month >= 7:
            a.truth["XC01-006"][0] = D(2023, 7, 2)
        if month == 8:
            add(a, a.report(end, start={"XC01-001": D(2023, 8, 30)}), got, "08-typo", period=period)
        if month == 9:
            a.community["XC01-007"] = "禹州市示列小区007"
            # a revised plan (no progress columns) in mid-September: it revises the plan, not the progress
            add(a, a.plan_only(), D(2023, 9, 15), "plan-revised", kind=PLAN)
        if month == 11:
            a.no_end.add("XC01-001")
            a.replaced["XC01-008"] = "XC01-009"
        if month == 6:
            a.truth["XC01-006"][0] = D(2023, 5, 20)
        add(a, a.report(end), got, f"{month:02d}", period=period)
        # 建安区
        if month == 8:
            continue                                    # silent in August
        if month == 6:
            add(b, b.report(end, start={"XC05-002": None}), got, "06", period=period)
            add(b, b.report(end), D(2023, 7, 2), "trial", kind=TRIAL)
            continue
        if month == 7:
            b.truth["XC05-002"][0] = D(2023, 6, 28)
            add(b, b.report(end), D(2023, 8, 9), "07", period=period)
            continue
        add(b, b.report(end, start={"XC05-002": None} if month < 6 else None), got, f"{month:02d}", period=period)
    reg.ids = ids
    return reg


def _county(st, name):
    return next(c for c in st.counties if c.line.county == name)


def _verdict(cs, mid):
    return next(v for v in cs.verdicts if v.id == mid)


@pytest.mark.slow
def test_the_late_plan_is_judged_on_the_day_received_and_the_typed_date_is_a_note(year):
    codes = {f.code: f for f in year.findings(year.ids[(A, "plan")])}
    assert "R201" in codes and codes["R201"].extra["days_late"] == 3
    assert "2023-03-03" in codes["R201"].message
    assert "R203" in codes and "2023-02-24" in codes["R203"].message and "2023-03-03" in codes["R203"].message
    assert "V602" not in codes
    # on time: no deadline finding; a 月报 is never judged as a plan
    assert not {"R201", "V602"} & {f.code for f in year.findings(year.ids[(B, "plan")])}
    assert not any(f.code in ("R201", "V602") for f in year.findings(year.ids[(A, "06")]))


@pytest.mark.slow
def test_before_the_due_day_june_is_pending_not_missed(year, policy2023):
    st = year.status(D(2023, 7, 2), policy=policy2023)
    v = _verdict(_county(st, A), "all_started")
    assert v.pending and not v.due and v.met_then is None


@pytest.mark.slow
def test_june_is_judged_on_the_june_reports_and_recognised_starts(year, policy2023):
    st = year.status(D(2023, 7, 10), policy=policy2023)
    va = _verdict(_county(st, A), "all_started")
    assert (va.reached_then, va.required, va.met_then) == (8, 8, True)
    assert va.then_submission == year.ids[(A, "06")] and not va.late
    vb = _verdict(_county(st, B), "all_started")
    # 24 planned; XC05-002 not reported started; XC05-003 (criteria 4, 5 blank) and XC05-004 (75 %) not recognised
    assert (vb.reached_then, vb.required, vb.met_then) == (21, 24, False)
    why = {u["project"]: u["why"] for u in vb.unrecognised}
    assert set(why) == {"XC05-003", "XC05-004"}
    assert "条件4" in why["XC05-003"] and "条件5" in why["XC05-003"] and "75%" in why["XC05-004"]
    # the trial (07-02, every start claimed) never counts
    assert year.ids[(B, "trial")] in st.trials
    assert _county(st, B).line.started == 21 and _county(st, B).line.started_declared == 23


@pytest.mark.slow
def test_later_reports_re_count_june_named_apart(year, policy2023):
    st = year.status(D(2023, 8, 10), policy=policy2023)
    va = _verdict(_county(st, A), "all_started")
    assert (va.reached_then, va.met_then, va.reached_now, va.met_now) == (8, True, 7, False)
    assert va.changed_by == [year.ids[(A, "07")]]
    vb = _verdict(_county(st, B), "all_started")
    assert (vb.reached_then, vb.reached_now) == (21, 22)          # the back-filled 06-28 start


@pytest.mark.slow
def test_the_four_words_of_the_year(year, policy2023):
    snap = year.snapshot(D(2024, 1, 10), policy=policy2023)
    assert snap.word_counts(A) == {"迟报": 0, "漏报": 0, "错报": 3, "瞒报": 0}
    assert snap.word_counts(B) == {"迟报": 1, "漏报": 1, "错报": 1, "瞒报": 1}
    wrong_a = {(w.code, w.project) for w in snap.words_of(A, "错报")}
    assert wrong_a == {("R101", "XC01-006"), ("R104", "XC01-001"), ("R105", "XC01-008")}
    late = snap.words_of(B, "迟报")[0]
    assert (late.period, late.days_late, late.submissions) == ("2023-07", 4, [year.ids[(B, "07")]])
    assert [w.period for w in snap.words_of(B, "漏报")] == ["2023-08"]
    hidden = snap.words_of(B, "瞒报")[0]
    assert hidden.project == "XC05-002" and hidden.submissions == [year.ids[(B, "06")], year.ids[(B, "07")]]
    # February (nothing due) is never 漏报; the same-day typo fix is a version; the 小区名称 typo is no 错报
    assert all(w.period != "2023-02" for w in snap.words)
    assert not any(year.ids[(A, "08-typo")] in w.submissions for w in snap.words)


@pytest.mark.slow
def test_a_report_one_day_late_is_late_not_missing(year, policy2023):
    snap = year.snapshot(D(2023, 8, 9), policy=policy2023)       # July's arrived 08-09, due 08-05
    timely = ("迟报", "漏报")
    assert [w.word for w in snap.words_of(B) if w.period == "2023-07" and w.word in timely] == ["迟报"]
    before = year.snapshot(D(2023, 8, 8), policy=policy2023)
    assert [w.word for w in before.words_of(B) if w.period == "2023-07" and w.word in timely] == ["漏报"]


@pytest.mark.slow
def test_year_end_milestone_counts_the_un_finished_and_dropped(year, policy2023):
    st = year.status(D(2024, 1, 10), policy=policy2023)
    v = _verdict(_county(st, A), "all_completed")
    # 8 required; XC01-001 un-finished, XC01-008 dropped (its replacement not started): 6 completed
    assert (v.reached_then, v.required, v.met_then) == (6, 8, False)


@pytest.mark.slow
def test_the_series_marks_the_month_reported_by_period(year, policy2023):
    s = year.series(2023, policy=policy2023, as_of=D(2024, 1, 10))
    rows = {(r.month, r.line.county): r for r in s.rows}
    assert rows[("2023-08", B)].reported_this_month is False        # silent in August
    assert rows[("2023-09", B)].reported_this_month is True
    assert rows[("2023-07", B)].reported_this_month is True         # July's report arrived in August
    assert rows[("2023-02", A)].reported_this_month is False


def test_received_dates_that_look_like_typos_are_refused_unless_forced(policy2023, tmp_path):
    from generator.register import Register
    from generator.register.api import ReceivedRefused
    from tests.register.yearbook import County
    year = Register(tmp_path / "typos.db")
    c = County(policy2023, A)
    path = c.write(c.report(D(2023, 6, 30)), tmp_path, "x")
    for received, period in ((D(2013, 7, 5), "2023-06"), (D(2099, 1, 1), "2023-06"), (D(2023, 5, 20), "2023-06")):
        with pytest.raises(ReceivedRefused):
            year.add(path, received=received, by="登记员", policy=policy2023, period=period, today=D(2024, 1, 31))
    res = year.add(path, received=D(2023, 5, 20), by="登记员", policy=policy2023, period="2023-06", force=True,
                   today=D(2024, 1, 31))
    f = next(f for f in res.findings if f.code == "R204")
    assert "2023-05-20" in f.message and "2023-06" in f.message
    assert res.submission.forced


@pytest.mark.slow
def test_an_inspectors_verdict_decides(year, policy2023):
    day = D(2023, 7, 10)
    st = year.status(day, policy=policy2023, verdicts={"XC05-003": "符合", "XC01-001": {5: "不符合"}})
    assert _county(st, B).line.started == 22
    assert _county(st, A).line.started == 7
    assert any("现场核查不符合" in u["why"] for u in _county(st, A).line.unrecognised)


# -- one picture per date (issue 19.4) -----------------------------------------------------------------
DAYS = [D(2023, 7, 2), D(2023, 7, 10), D(2023, 8, 10), D(2023, 11, 10), D(2024, 1, 10)]


def _docx(path):
    from docx import Document
    d = Document(path)
    return "\n".join(p.text for p in d.paragraphs), [[c.text for c in r.cells] for t in d.tables for r in t.rows]


@pytest.mark.slow
@pytest.mark.parametrize("day", DAYS, ids=[d.isoformat() for d in DAYS])
def test_every_document_of_a_day_tells_the_same_figures(year, policy2023, tmp_path, day):
    from openpyxl import load_workbook

    from generator.register.documents import write_documents
    from generator.register.words import WORDS
    from generator.reports.kaigong import STARTED_NOT_OK, STARTED_OK
    w = write_documents(year, policy2023, day, tmp_path, pdf=False)
    snap = w.snapshot
    st = snap.status
    lines = {c.line.county: c for c in st.counties}
    # the page and any caller of status() see the same picture
    again = year.status(day, policy=policy2023)
    assert {c.line.county: (c.line.started, c.line.completed, c.line.households_completed,
                            [(v.reached_then, v.met_then, v.reached_now) for v in c.verdicts]) for c in again.counties} == \
           {k: (c.line.started, c.line.completed, c.line.households_completed,
                [(v.reached_then, v.met_then, v.reached_now) for v in c.verdicts]) for k, c in lines.items()}
    # 汇总表: started, completed, households completed and each milestone's mark per county
    book = load_workbook(next(p for p in w.paths if p.name.startswith("汇总表")))
    ws = book["汇总表"]
    from generator.register.summary import _mark
    for r in range(5, ws.max_row + 1):
        name = ws.cell(r, 2).value
        if name in lines:
            c = lines[name]
            assert (ws.cell(r, 5).value, ws.cell(r, 7).value, ws.cell(r, 8).value) == \
                   (c.line.started, c.line.completed, c.line.households_completed)
            assert [ws.cell(r, 10 + k).value for k in range(len(c.verdicts))] == [_mark(v) for v in c.verdicts]
    # 通报: the table's started/completed, the counties named as met or missed, the four words
    text, rows = _docx(next(p for p in w.paths if p.name.startswith("进度通报") and p.suffix == ".docx"))
    table = {r[0]: r for r in rows if len(r) == 7 and r[0] in lines}
    for name, c in lines.items():
        if c.line.submission is not None:
            assert table[name][2] == str(c.line.started) and table[name][4] == str(c.line.completed)
    v = {name: next(x for x in c.verdicts if x.id == "all_started") for name, c in lines.items()
         if c.line.submission is not None}           # the 通报 speaks for the counties that reported
    for name, x in v.items():
        if x.due and x.met_then:
            assert "均按期完成" in text or name in text.split("按期完成")[0].split("。")[-1]
        if x.due and x.met_then is False:
            assert f"{name}（" in text.split("未完成节点目标")[0]
        if x.pending:
            assert name in text.split("尚未到报送期限")[0].split("。")[-1]
    words = [r for r in rows if len(r) == 5 and r[0] in lines]
    for r in words:
        counts = snap.word_counts(r[0])
        assert (r[2] != "—") == (counts["漏报"] > 0) and (r[3] != "—") == (counts["错报"] > 0)
        assert (r[4] != "—") == (counts["瞒报"] > 0)
    assert "#" not in text and not any("#" in cell for r in rows for cell in r)     # no register ids in the signed text
    # 开工项目认定汇总表: the recognised starts are the count
    for p in w.paths:
        if "开工项目认定汇总表" in p.name and p.suffix == ".xlsx":
            name = p.name.split("城镇")[0]
            values = [c.value for row in load_workbook(p).active.iter_rows() for c in row]
            assert values.count(STARTED_OK) == lines[name].line.started
            assert values.count(STARTED_NOT_OK) == len(lines[name].line.unrecognised)
    # 反馈意见函: exactly the counties with something they can still correct
    letters = {p.name.split("（")[1].split("，")[0] for p in w.paths if p.name.startswith("反馈意见函")}
    assert letters == set(snap.correctable)
    # 年度考核评价表 and the office's 说明: the same four words, the 说明 with the submissions behind each
    ws = load_workbook(next(p for p in w.paths if p.name.startswith("年度考核评价表"))).active
    for r in range(5, ws.max_row + 1):
        if ws.cell(r, 1).value in lines:
            assert [ws.cell(r, 2 + k).value for k in range(4)] == [snap.word_counts(ws.cell(r, 1).value)[x] for x in WORDS]
    ws = load_workbook(next(p for p in w.paths if p.name.startswith("信息报送情况说明"))).active
    listed = [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(5, ws.max_row + 1) if ws.cell(r, 2).value in WORDS]
    assert sorted(listed) == sorted((x.county, x.word) for x in snap.words)
    # the monthly series: a milestone's month shows the verdict "as reported then"
    for row in snap.series.rows:
        for m in row.milestones:
            if row.line.county in lines:
                x = next(y for y in lines[row.line.county].verdicts if y.id == m["id"])
                assert (m["reached"], m["met"]) == (x.reached_then, x.met_then)


def test_unapproved_submissions_are_said_and_by_rule_not_counted(policy2023, tmp_path):
    from generator.register import Register
    from generator.register.rules import OfficeRules
    from tests.register.yearbook import County
    reg = Register(tmp_path / "v.db")
    c = County(policy2023, A)
    path = c.write(c.report(D(2023, 6, 30)), tmp_path, "june")
    scan = tmp_path / "seal.pdf"
    scan.write_bytes(b"%PDF-1.4 sealed scan")
    sid = reg.add(path, received=D(2023, 7, 3), by="登记员", policy=policy2023, period="2023-06",
                  today=D(2024, 1, 1)).submission.id
    st = reg.status(D(2023, 7, 10), policy=policy2023)
    line = _county(st, A).line
    assert line.approved is False and line.started == 8 and st.unapproved == [sid]   # default: counted, and said
    strict = reg.status(D(2023, 7, 10), policy=policy2023, rules=OfficeRules(unapproved_counts=False))
    assert _county(strict, A).line.submission is None and _county(strict, A).line.started == 0
    got = reg.approve(sid, approved_by="张局长", by="登记员", scan=scan)
    assert got[0]["approved_by"] == "张局长" and got[0]["scan_name"] == "seal.pdf"
    import hashlib
    assert got[0]["scan_sha256"] == hashlib.sha256(scan.read_bytes()).hexdigest()     # content-addressed
    assert _county(reg.status(D(2023, 7, 10), policy=policy2023,
                              rules=OfficeRules(unapproved_counts=False)), A).line.started == 8
    # the office's rule, recorded with its day, is what the register reads from that day on
    reg.set_rule("unapproved_counts", "否", applies_from=D(2023, 7, 1), by="市百城办")
    assert reg.rules(D(2023, 6, 30)).unapproved_counts is True and reg.rules(D(2023, 7, 1)).unapproved_counts is False


@pytest.mark.slow
def test_the_assessment_joins_scores_only_with_the_offices_weights(year, policy2023):
    from generator.register.assessment import rows
    snap = year.snapshot(D(2024, 1, 10), policy=policy2023)
    from generator.register.assessment import missing
    head, body = rows(snap)
    a = next(r for r in body if r[0] == A)
    # no scores: each round's score and the 综合得分 are blank cells to fill (what is missing is said to the
    # office in its 说明, never in the signed table)
    assert head[-3:] == ["年中检查验收得分", "年终检查验收得分", "综合得分"]
    assert a[1:5] == [0, 0, 3, 0] and a[-3:] == ["", "", ""]
    assert any("综合得分留空" in m for m in missing(snap)) and any("年中、年终" in m for m in missing(snap))
    scores = {"mid-year": {A: 80, B: 90}, "year-end": {A: 90, B: 70}}
    head, body = rows(snap, scores)
    assert next(r for r in body if r[0] == A)[-3:] == [80, 90, ""]               # never a weight of our own
    assert [m for m in missing(snap, scores) if "权重" in m]
    head, body = rows(snap, scores, {"mid-year": 0.4, "year-end": 0.6})
    assert next(r for r in body if r[0] == A)[-1] == "86.00" and next(r for r in body if r[0] == B)[-1] == "78.00"
    others = [c.line.county for c in snap.status.counties if c.line.county not in (A, B)]
    assert missing(snap, scores, {"mid-year": 0.4, "year-end": 0.6}) == [f"{'、'.join(others)}得分不全，综合得分留空。"]
    full = {r: {c.line.county: 75 for c in snap.status.counties} for r in scores}
    assert missing(snap, full, {"mid-year": 0.4, "year-end": 0.6}) == []
    b = next(r for r in body if r[0] == B)
    assert b[1:5] == [1, 1, 1, 1]
    # 开工认定: B typed 24 starts by year end, 22 recognised (XC05-003 criteria blank, XC05-004 at 75 %)
    assert b[head.index("开工认定（认定/填报）")] == "22/24"


@pytest.mark.slow
def test_a_date_after_the_reported_month_is_rejected_and_never_counts(policy2023, tmp_path):
    from generator.register import Register
    from tests.register.yearbook import County
    reg = Register(tmp_path / "p.db")
    c = County(policy2023, A)
    # the June report (received 07-03) already carries XC01-002's start of 07-01: a July fact
    path = c.write(c.report(D(2023, 7, 1), start={"XC01-002": D(2023, 7, 1)}), tmp_path, "june")
    res = reg.add(path, received=D(2023, 7, 3), by="登记员", policy=policy2023, period="2023-06", today=D(2024, 1, 1))
    f = [x for x in res.findings if x.code == "R207"]
    assert [(x.project, x.value) for x in f] == [("XC01-002", "2023-07-01")]
    st = reg.status(D(2023, 7, 10), policy=policy2023)
    line = _county(st, A).line
    assert line.started_declared == 8 and line.started == 7           # typed on 07-01, counted never
    assert next(u for u in line.unrecognised if u["project"] == "XC01-002")["why"].startswith("开工日期未通过校验：R207")


@pytest.mark.slow
def test_the_national_indicators_count_recognised_starts_and_never_guess_quantities(year, policy2023, tmp_path):
    from openpyxl import load_workbook

    from generator.register.national import write_national
    snap = year.snapshot(D(2023, 7, 10), policy=policy2023)
    plans = {c: year.plan(s.id, policy2023) for c, s in snap.latest.items()}
    path = write_national(snap, plans, policy2023, tmp_path / "national.xlsx")
    ws = load_workbook(path)["改造进展"]
    row = next(r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] == B)
    hh = {"XC05-002", "XC05-003", "XC05-004"}
    from tests.register.yearbook import County
    b = County(policy2023, B)
    from generator.ledger import contract as C
    expected_hh = sum(r.value(C.HOUSEHOLDS) for r in b.plan.projects if r.value(C.PROJECT_ID) not in hh)
    assert row[3] == 21 and row[4] == expected_hh and row[5] == "87.50%"      # 21 of 24 recognised
    effects = load_workbook(path)["改造效果"]
    assert all(v == "待填报" for r in effects.iter_rows(min_row=4, values_only=True) if r[0] in (A, B)
               for v in r[2::2])


@pytest.mark.slow
@pytest.mark.sqlite_only("rewrites an SQLite file as schema 5 left it")
def test_rows_recorded_under_schema_5_count_the_same(policy2023, tmp_path):
    """Rows recorded before the decision was stored (facts in projects.start_check, start_ok NULL) are decided
    from their facts: the same counts as rows recorded now."""
    import sqlite3

    from generator.register import Register
    from tests.register.yearbook import County
    path = tmp_path / "old.db"
    reg = Register(path)
    b = County(policy2023, B)
    b.blank["XC05-003"] = (4, 5)
    reg.add(b.write(b.report(D(2023, 6, 30)), tmp_path, "june"), received=D(2023, 7, 3), by="登记员",
            policy=policy2023, period="2023-06", today=D(2024, 1, 1))
    now = _county(reg.status(D(2023, 7, 10), policy=policy2023), B).line
    conn = sqlite3.connect(path)
    conn.execute("UPDATE projects SET start_ok = NULL, start_check = (SELECT facts FROM project_checks c "
                 "WHERE c.submission_id = projects.submission_id AND c.row = projects.row)")
    conn.execute("DELETE FROM project_checks")
    conn.commit()
    conn.close()
    old = _county(reg.status(D(2023, 7, 10), policy=policy2023), B).line
    assert (old.started, old.started_declared, old.completed) == (now.started, now.started_declared, now.completed)
    assert now.started == 23 and [u["project"] for u in old.unrecognised] == ["XC05-003"]


@pytest.mark.slow
def test_the_office_may_count_only_verified_starts(year, policy2023):
    from generator.register.rules import OfficeRules
    strict = OfficeRules(monthly_due_day=5, declared_counts=False)
    st = year.status(D(2023, 7, 10), policy=policy2023, rules=strict, verdicts={"XC01-001": "符合", "XC01-002": "符合"})
    line = _county(st, A).line
    assert line.started == 2 and line.started_declared == 8
    assert sum("尚未经现场核查" in u["why"] for u in line.unrecognised) == 6


@pytest.mark.slow
def test_an_unapproved_submission_is_asked_for_its_seal_and_its_table_says_so(policy2023, tmp_path):
    from generator.register import Register
    from generator.register.documents import write_documents
    from tests.register.yearbook import County
    reg = Register(tmp_path / "u.db")
    c = County(policy2023, A)
    reg.add(c.write(c.report(D(2023, 6, 30)), tmp_path, "june"), received=D(2023, 7, 3), by="登记员",
            policy=policy2023, period="2023-06", today=D(2024, 1, 1))
    snap = reg.snapshot(D(2023, 7, 10), policy=policy2023)
    assert [f.code for f in snap.correctable[A]] == ["R208"]
    from openpyxl import load_workbook
    w = write_documents(reg, policy2023, D(2023, 7, 10), tmp_path / "out", pdf=False)
    table = next(p for p in w.paths if "开工项目认定汇总表" in p.name and p.suffix == ".xlsx")
    values = [v for row in load_workbook(table).active.iter_rows(values_only=True) for v in row if v]
    assert any("尚未经单位领导审核" in str(v) for v in values)


@pytest.mark.slow
def test_a_revised_plan_after_the_monthly_reports_leaves_the_progress_alone(year, policy2023):
    st = year.status(D(2023, 9, 20), policy=policy2023)
    line = _county(st, A).line
    assert line.submission == year.ids[(A, "08")] and line.started == 8       # August's report, not the plan
    snap = year.snapshot(D(2023, 9, 20), policy=policy2023)
    assert snap.last[A].id == year.ids[(A, "plan-revised")]
    assert not any(year.ids[(A, "plan-revised")] in w.submissions for w in snap.words)
