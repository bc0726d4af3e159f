"""A withdrawn (撤回) submission is kept but never counted (register/withdrawn.py, the one home): the life queries
that list a project's submissions leave it out from the city's day it was withdrawn.

禹州市's plan (received 02-24) lists XC01-001 without a start; its May 月报 (received 05-31) reports the start
2023-05-30. The county withdraws the May report on 06-02 (00:30 北京时间 is still 06-01 in UTC: the city's day
decides). By hand: as of 06-01 the project has two listings and stands at 施工; as of 06-02 and later one listing
(the plan) and it stands at 入库/计划. When the plan itself is withdrawn the project is listed by nothing: its page
is not found and nothing can be recorded for it.
"""
import datetime as dt

import pytest

from tests.life.conftest import ROOT

D = dt.date
YEAR = ROOT / "data" / "year-2023"
MAY = YEAR / "2023-05-31-禹州市-月报.xlsx"
PID = "XC01-001"


def _withdraw(reg, sid, at):
    from generator.register import db
    with db.opened(reg.path, create=True) as conn:
        with db.transaction(conn):
            conn.execute("INSERT INTO web_reviews(submission_id, action, at, by) VALUES (?,?,?,?)",
                         (sid, "withdrawn", at, "禹州市填报员"))


@pytest.fixture
def may(reg, policy2023):
    sid = reg.add(MAY, received=D(2023, 5, 31), by="登记员", policy=policy2023, kind="信息月报",
                  period="2023-05").submission.id
    return sid


def test_a_withdrawn_report_is_not_among_the_projects_listings(reg, life, may):
    before = life.project(PID, until=D(2023, 6, 1))
    assert [x.received for x in before.listings] == [D(2023, 2, 24), D(2023, 5, 31)]
    assert before.stage == "construction"          # the May report's 实际开工日期 2023-05-30
    _withdraw(reg, may, "2023-06-01T16:30:00+00:00")      # 2023-06-02 00:30 北京时间
    # the day before the withdrawal still counts it (one picture per date)
    assert len(life.project(PID, until=D(2023, 6, 1)).listings) == 2
    after = life.project(PID, until=D(2023, 6, 2))
    assert [x.submission_id for x in after.listings] != [] and may not in [x.submission_id for x in after.listings]
    assert [x.received for x in after.listings] == [D(2023, 2, 24)]
    assert after.stage == "plan" and after.listings[-1].actual_start is None
    # without a day: whatever was ever withdrawn is left out
    assert may not in [x.submission_id for x in life.project(PID).listings]


def test_a_project_listed_only_by_a_withdrawn_plan_is_unknown(reg, life):
    from generator.errors import InputError
    plan = reg.submissions("禹州市")[0].id
    _withdraw(reg, plan, "2023-02-25T02:00:00+00:00")
    assert life.project(PID, until=D(2023, 2, 24)).listings           # counted the day before
    with pytest.raises(InputError, match="不在任何已登记报送的项目清单中"):
        life.project(PID, until=D(2023, 2, 25))
    with pytest.raises(InputError, match="不在任何已登记报送的项目清单中"):
        life.record("complaint", project=PID, day=D(2023, 3, 1), by="禹州市住建局",
                    fields={"subject": "噪音"}, today=D(2023, 3, 1))
    assert life.events(project=PID) == []


def test_the_rectification_notice_names_projects_by_counted_submissions_of_its_day(reg, life, policy2023, tmp_path):
    """整改通知书 as of 07-25: XC01-001's name is the plan's. A re-sent plan received 07-01 that renames it and is
    withdrawn on 07-02 does not name it; nor does one received 08-01, after the letter's day."""
    from openpyxl import load_workbook

    from generator.life.documents import rectification_notice
    from generator.register import db
    plan = ROOT / "data" / "sample-禹州市.xlsx"
    first = reg.submissions()[0].id
    original = next(p.community for p in reg.projects(first) if p.project == PID)

    def renamed(name, to):
        wb = load_workbook(plan)
        ws = wb["项目清单"]
        for row in ws.iter_rows():
            for c in row:
                if c.value == original:
                    c.value = to
        path = tmp_path / name
        wb.save(path)
        return path

    insp = life.record("inspection", county="禹州市", day=D(2023, 7, 10), by="市住建局",
                       fields={"type": "巡检", "inspectors": "王五", "projects": PID})
    life.record("hazard", project=PID, by="市住建局", refers_to=insp.id, day=D(2023, 7, 10),
                fields={"description": "脚手架未设防护网", "deadline": "2023-07-20", "responsible": "甲建筑公司"})
    wrong = reg.add(renamed("a.xlsx", "撤回的小区名"), received=D(2023, 7, 1), by="登记员", policy=policy2023,
                    kind="年度实施方案").submission.id
    _withdraw(reg, wrong, "2023-07-02T02:00:00+00:00")
    reg.add(renamed("b.xlsx", "以后的小区名"), received=D(2023, 8, 1), by="登记员", policy=policy2023, kind="年度实施方案")
    with db.opened(reg.path) as conn:
        notice = rectification_notice(conn, policy2023, "禹州市", D(2023, 7, 25))
    text = "\n".join(b if isinstance(b, str) else "\n".join("|".join(r) for r in getattr(b, "rows", []))
                     for b in notice.blocks)
    assert original and original in text
    assert "撤回的小区名" not in text and "以后的小区名" not in text
