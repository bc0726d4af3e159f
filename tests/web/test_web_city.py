"""The city's page: every county, duties due and overdue, the milestones chart, the city's documents."""
import datetime as dt
import io
import re

import pytest

from web_helpers import DATA, fetch, login, upload

YEAR = DATA / "year-2023"


def _row(html: str, county: str) -> str:
    body = html.split('class="table counties', 1)[1].split("</table>", 1)[0]
    return next(tr for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S) if f">{county}</a></th>" in tr)


def _reported(web, clock):
    """禹州市 sends its plan on time and its June report; 建安区 its plan a day late; the others nothing."""
    yz, ja = login(web, "yuzhou"), login(web, "jianan")
    clock[0] = dt.date(2023, 2, 24)
    upload(yz, YEAR / "2023-02-24-禹州市-方案.xlsx")
    clock[0] = dt.date(2023, 3, 1)
    upload(ja, YEAR / "2023-02-24-建安区-方案.xlsx")
    clock[0] = dt.date(2023, 6, 30)
    upload(yz, YEAR / "2023-06-30-禹州市-月报.xlsx", kind="信息月报", period="2023-06")
    clock[0] = dt.date(2023, 7, 5)


@pytest.mark.slow
def test_every_county_with_its_duties(web, clock):
    _reported(web, clock)
    page = login(web, "admin").get("/city").text
    yz, ja, cg = _row(page, "禹州市"), _row(page, "建安区"), _row(page, "长葛市")
    assert "2023-06-30 第 2 版" in yz and "已按期报送（2023-02-24）" in yz
    assert "已完成：8/8个" in yz                                   # June's milestone met (8 of 8 started)
    assert "逾期 1 天报送（2023-03-01）" in ja and 'duty overdue' in ja     # and 全部开工 missed
    assert "未报送" in cg and "逾期未报（截止 2023-02-28）" in cg
    assert "截至目前" in yz and "完成改造70%" in yz                   # the later milestones are not yet due
    assert page.count("<figure class=\"chart\">") == 6
    # as of a day before the deadline nothing is overdue yet
    early = login(web, "admin").get("/city?as_of=2023-02-10").text
    assert "duty overdue" not in early and "待报送（截止 2023-02-28）" in _row(early, "长葛市")


@pytest.mark.slow
def test_the_chart_draws_each_milestone_from_the_register(web, clock):
    _reported(web, clock)
    page = login(web, "admin").get("/city").text
    chart = page.split("<figcaption>禹州市</figcaption>", 1)[1].split("</svg>", 1)[0]
    bars = re.findall(r'width="([\d.]+)" height="16" rx="3" class="bar (\w+)"', chart)
    assert bars[0] == ("320.0", "done")                          # 全部开工: 8/8, the full width
    assert [state for _, state in bars[1:]] == ["later", "later"]


@pytest.mark.slow
def test_the_page_speaks_to_city_staff_not_in_command_lines(web, clock):
    """Without a due day the page says the monthly reports are not counted and who sets the day, in words:
    no command or option of the CLI appears on a page city staff read."""
    _reported(web, clock)
    page = login(web, "admin").get("/city").text
    assert "信息月报的迟报、漏报未统计" in page and "由系统管理员设定" in page
    assert "gaizao" not in page and "--" not in re.sub(r"<!--.*?-->", "", page, flags=re.S)


@pytest.mark.slow
def test_monthly_reports_when_the_city_sets_a_due_day(web, clock):
    _reported(web, clock)
    web.config["MONTHLY_DUE_DAY"] = 5
    clock[0] = dt.date(2023, 8, 10)
    page = login(web, "admin").get("/city").text
    assert "信息月报</th>" in page and "漏报 2023-07" in _row(page, "禹州市")


@pytest.mark.slow
def test_city_downloads_the_summary_and_the_bulletin(web, clock, policy2023):
    """Both documents carry 禹州市's line as the register knows it on 2023-07-05: its target from the policy,
    8 started (its June report), 全部开工 met, the later milestones not yet due."""
    from openpyxl import load_workbook
    _reported(web, clock)
    target = policy2023.policy.county("禹州市").target
    admin = login(web, "admin")
    r = admin.get("/city/summary.xlsx?as_of=2023-07-05")
    wb = load_workbook(io.BytesIO(r.data))
    yz = next(row for row in wb["汇总表"].iter_rows(values_only=True) if row[1] == "禹州市")
    assert yz[:5] == (1, "禹州市", target.projects, target.households, 8)
    assert yz[9:] == ("✓ 8/8", "未到期", "未到期", "2023年6月30日", 2)      # the June report's day
    r = admin.get("/city/tongbao.docx?as_of=2023-07-05")
    import docx
    doc = docx.Document(io.BytesIO(r.data))
    assert [c.text for c in doc.tables[0].rows[1].cells] == \
        ["禹州市", f"{target.projects}/{target.households}", "8", "100%", "0", "0", "0%"]
    milestone = next(p.text for p in doc.paragraphs if p.text.startswith("（一）"))
    assert milestone == ("（一）全部开工（2023年6月底前）。据各县（市、区）6月信息月报，禹州市按期完成。建安区（0%）未完成节点目标"
                         "（括号内为2023年6月底完成比例，要求100%）。")
    assert admin.get("/city/summary.xlsx?as_of=July").status_code == 400
    kinds = [row["detail"] for row in web.accounts.audit_rows(10, action="download")]
    assert kinds[:2] == ["tongbao-docx", "summary"]


@pytest.mark.slow
def test_the_city_page_reads_the_submissions_once(web, clock, monkeypatch):
    """One request, one read of the register's submissions: the county rows, the 月报 duties (a due day set)
    and the count of submissions share it."""
    _reported(web, clock)
    from generator.register.api import Register
    web.config["MONTHLY_DUE_DAY"] = 5
    admin = login(web, "admin")
    reads = []
    real = Register.submissions
    monkeypatch.setattr(Register, "submissions", lambda self, *a, **k: reads.append((a, k)) or real(self, *a, **k))
    page = admin.get("/city")
    assert page.status_code == 200 and "禹州市" in page.text
    assert len(reads) == 1, reads


@pytest.mark.slow
def test_the_bulletin_download_makes_only_the_file_asked_for(web, clock, monkeypatch):
    """/city/tongbao.docx renders the DOCX alone and .pdf the PDF alone: no 汇总表, no other format."""
    _reported(web, clock)
    import generator.render.official as official
    from generator.register.api import Register

    def not_asked(*args, **kwargs):
        raise AssertionError("made although not asked for")
    monkeypatch.setattr(Register, "write_summary", not_asked)
    admin = login(web, "admin")
    with monkeypatch.context() as m:
        m.setattr(official, "render_pdf", not_asked)
        r = admin.get("/city/tongbao.docx?as_of=2023-07-05")
        assert r.status_code == 200 and r.data[:2] == b"PK"
    with monkeypatch.context() as m:
        m.setattr(official, "render_docx", not_asked)
        r = fetch(admin, "/city/tongbao.pdf?as_of=2023-07-05")
        assert r.status_code == 200 and r.data[:5] == b"%PDF-"


def test_a_city_sum_over_part_of_the_counties_is_shown_not_judged():
    """register status leaves a partial city line unjudged (met None): the page says 未收齐，不比较, not 未完成."""
    import datetime as dt
    from types import SimpleNamespace

    from generator.web.city import _milestone_duties
    v = SimpleNamespace(label="全部开工", date=dt.date(2023, 6, 30), clause="三（一）", due=True, reached_now=5,
                        reached_then=5, required=20, met_now=None, changed=False, basis="projects", measure="started")
    (duty,), (bar,) = _milestone_duties(SimpleNamespace(line=None, verdicts=[v]), dt.date(2023, 7, 1))
    assert duty.state == bar["state"] == "partial" and duty.text == "5/20个（未收齐，不比较）"
    judged = SimpleNamespace(**{**vars(v), "met_now": False})
    (duty,), _ = _milestone_duties(SimpleNamespace(line=None, verdicts=[judged]), dt.date(2023, 7, 1))
    assert duty.state == "overdue" and duty.text.startswith("未完成")


@pytest.mark.slow
def test_the_city_page_reads_the_days_one_snapshot(web, clock, monkeypatch):
    """19.4: the page's county rows and 月报 duties come from one register snapshot of the day (the picture the
    通报 and 汇总表 of that day read), never from a separate status."""
    _reported(web, clock)
    from generator.register.api import Register
    web.config["MONTHLY_DUE_DAY"] = 5
    admin = login(web, "admin")
    taken, real = [], Register.snapshot
    monkeypatch.setattr(Register, "snapshot", lambda self, day, **k: taken.append((day, k.get("due_day")))
                        or real(self, day, **k))
    monkeypatch.setattr(Register, "status", lambda *a, **k: (_ for _ in ()).throw(AssertionError("status read")))
    page = admin.get("/city")
    assert page.status_code == 200 and "禹州市" in page.text
    assert taken == [(dt.date(2023, 7, 5), 5)]
