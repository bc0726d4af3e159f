"""The project's life in the register: append-only events keyed by 项目编号, 开工认定 verdicts, consent counts."""
import datetime as dt
import sqlite3

import pytest

from generator.errors import GaizaoError
from tests.life.conftest import jpeg_bytes

D = dt.date


def test_event_for_a_listed_project_keeps_its_county_and_evidence(life, policy2023):
    e = life.record("declare", project="XC01-001", day=D(2023, 4, 1), by="县住建局", policy=policy2023,
                    fields={"criterion": 2, "note": "违建已拆除"}, evidence=[("../../现场.jpg", jpeg_bytes())])
    assert e.county == "禹州市" and e.stage == "start"
    assert [(x.name, x.type) for x in e.evidence] == [("现场.jpg", "jpeg")]
    name, data = life.evidence_bytes(e.id)
    assert data == jpeg_bytes()
    pl = life.project("XC01-001")
    assert [x.submission_id for x in pl.listings] == [1] and pl.stage == "start"


def test_unknown_project_future_day_and_wrong_county_are_refused(life, policy2023):
    with pytest.raises(GaizaoError, match="不在任何已登记报送"):
        life.record("completed", project="NOPE-1", day=D(2023, 4, 1), by="x")
    with pytest.raises(GaizaoError, match="之后"):
        life.record("completed", project="XC01-001", day=D(2023, 4, 2), by="x", today=D(2023, 4, 1))
    with pytest.raises(GaizaoError, match="不是“长葛市”"):
        life.record("completed", project="XC01-001", county="长葛市", day=D(2023, 4, 1), by="x")


def test_events_and_evidence_are_never_overwritten(life, policy2023):
    e = life.record("completed", project="XC01-001", day=D(2023, 11, 1), by="x",
                    evidence=[("a.jpg", jpeg_bytes())])
    from generator.register import db, pg
    with db.opened(life.path) as conn:            # the register's own connection: SQLite or PostgreSQL
        for sql in ("UPDATE life_events SET day = '2023-01-01'", "DELETE FROM life_events",
                    "UPDATE life_evidence SET name = 'b.jpg'", "DELETE FROM life_evidence"):
            with pytest.raises((sqlite3.DatabaseError, *pg.errors()), match="never"):
                conn.execute(sql)
    assert life.event(e.id).day == D(2023, 11, 1)


def test_a_failed_evidence_file_records_nothing(life):
    with pytest.raises(GaizaoError):
        life.record("completed", project="XC01-001", day=D(2023, 11, 1), by="x",
                    evidence=[("a.jpg", jpeg_bytes()), ("b.jpg", b"not a photo")])
    assert life.events() == []


def test_hazard_needs_its_inspection_and_closing_needs_evidence(life, policy2023):
    insp = life.record("inspection", county="禹州市", day=D(2023, 7, 10), by="市住建局",
                       fields={"type": "巡检", "inspectors": "王五、赵六", "projects": "XC01-001,XC01-002"})
    with pytest.raises(GaizaoError, match="巡检抽检记录编号"):
        life.record("hazard", project="XC01-001", day=D(2023, 7, 10), by="x",
                    fields={"description": "脚手架未设防护网", "deadline": "2023-07-20", "responsible": "施工单位"})
    with pytest.raises(GaizaoError, match="未包括"):
        life.record("hazard", project="XC01-003", day=D(2023, 7, 10), by="x", refers_to=insp.id,
                    fields={"description": "d", "deadline": "2023-07-20", "responsible": "r"})
    with pytest.raises(GaizaoError, match="早于"):
        life.record("hazard", project="XC01-001", day=D(2023, 7, 10), by="x", refers_to=insp.id,
                    fields={"description": "d", "deadline": "2023-07-09", "responsible": "r"})
    hz = life.record("hazard", project="XC01-001", day=D(2023, 7, 10), by="x", refers_to=insp.id,
                     fields={"description": "脚手架未设防护网", "deadline": "2023-07-20", "responsible": "施工单位"})
    with pytest.raises(GaizaoError, match="证据"):
        life.record("rectified", day=D(2023, 7, 15), by="x", refers_to=hz.id, fields={"note": "已整改"})
    done = life.record("rectified", day=D(2023, 7, 15), by="x", refers_to=hz.id, fields={"note": "已整改"},
                       evidence=[("整改后.jpg", jpeg_bytes())])
    assert done.project == "XC01-001"
    with pytest.raises(GaizaoError, match="已经办结"):
        life.record("rectified", day=D(2023, 7, 16), by="x", refers_to=hz.id, fields={"note": "again"},
                    evidence=[("整改后.jpg", jpeg_bytes())])


def test_start_verdicts_latest_by_day_and_as_of_boundary(life, reg, policy2023):
    from generator.life import start_verdicts
    kw = dict(project="XC01-001", by="市住建局", policy=policy2023)
    life.record("verify", day=D(2023, 5, 10), fields={"criterion": 5, "verdict": "不符合", "inspector": "王五",
                                                      "note": "未见形象进度"}, **kw)
    life.record("verify", day=D(2023, 5, 20), fields={"criterion": 5, "verdict": "符合", "inspector": "王五"}, **kw)
    assert start_verdicts(reg, D(2023, 5, 9)) == {}
    assert start_verdicts(reg, D(2023, 5, 10)) == {"XC01-001": {5: "不符合"}}
    assert start_verdicts(reg, D(2023, 5, 19)) == {"XC01-001": {5: "不符合"}}
    assert start_verdicts(reg, D(2023, 5, 20)) == {"XC01-001": {5: "符合"}}


def test_decisions_decided_refused_pending(life, reg, policy2023):
    from generator.life.start import DECIDED, PENDING, REFUSED, UNDECLARED, decisions
    from generator.register import db
    kw = dict(by="市住建局", policy=policy2023)
    for c in range(1, 6):
        life.record("verify", project="XC01-001", day=D(2023, 5, 20),
                    fields={"criterion": c, "verdict": "符合", "inspector": "王五"}, **kw)
    life.record("verify", project="XC01-002", day=D(2023, 5, 20),
                fields={"criterion": 3, "verdict": "不符合", "inspector": "王五", "note": "未在小区内公示"}, **kw)
    life.record("declare", project="XC01-003", day=D(2023, 5, 1), fields={"criterion": 4}, **kw)
    with db.opened(reg.path) as conn:
        ds = {d.project: d for d in decisions(conn, policy2023, "禹州市", D(2023, 6, 30))}
        before = {d.project: d for d in decisions(conn, policy2023, "禹州市", D(2023, 5, 19))}
    assert ds["XC01-001"].state == DECIDED and ds["XC01-001"].decided_on == D(2023, 5, 20)
    assert ds["XC01-002"].state == REFUSED and "未在小区内公示" in ds["XC01-002"].reasons[0]
    assert ds["XC01-003"].state == PENDING and ds["XC01-003"].reasons == ["5项认定条件均待现场核查"]
    assert ds["XC01-004"].state == UNDECLARED
    assert before["XC01-001"].state == UNDECLARED        # verdicts of 5-20 are not known on 5-19


# consent: 80 % 以上 includes 80 % (三（二）; policy consent.inclusive)
@pytest.mark.slow
@pytest.mark.parametrize("agreed,asked,typed,codes", [
    (200, 250, "80%", []),                  # exactly 80 %: meets, typed agrees
    (4, 5, None, []),                       # 4 of 5 is 80 %
    (199, 250, None, ["G101"]),             # 79.6 %: short
    (199, 250, "80%", ["G101", "G104"]),    # typed 80 % hides 79.6 %
    (199, 250, "79.6%", ["G101"]),          # typed agrees, still short
    (200, 250, "85%", ["G103"]),            # typed disagrees with 80 %
    (217, 250, "86.8%", []),
    (217, 250, "87%", []),                  # 86.8 rounds to 87
])
def test_consent_from_counts(life, reg, policy2023, agreed, asked, typed, codes):
    from generator.life.consult import findings
    from generator.register import db
    for subject in ("改造方案", "物业管理模式"):
        life.record("consultation", project="XC01-001", day=D(2023, 3, 10), by="县", policy=policy2023,
                    fields={"subject": subject, "method": "入户", "start": "2023-03-01", "asked": asked,
                            "agreed": agreed, "typed": typed})
    with db.opened(reg.path) as conn:
        fs = findings(conn, policy2023, "禹州市", D(2023, 6, 30))
    assert sorted({f.code for f in fs}) == codes
    assert all(f.project == "XC01-001" for f in fs)


def test_consultation_counts_checked(life, policy2023):
    bad = {"subject": "改造方案", "method": "入户", "asked": 10, "agreed": 11}
    with pytest.raises(GaizaoError, match="多于"):
        life.record("consultation", project="XC01-001", day=D(2023, 3, 10), by="县", policy=policy2023, fields=bad)
    with pytest.raises(GaizaoError, match="之一"):
        life.record("consultation", project="XC01-001", day=D(2023, 3, 10), by="县", policy=policy2023,
                    fields={**bad, "agreed": 5, "method": "电话"})


def test_roles_of_the_web_accounts(life, policy2023):
    """The county declares, the city verifies; a county account records its own projects only."""
    verify = {"criterion": 3, "verdict": "符合", "inspector": "王五"}
    with pytest.raises(GaizaoError, match="由市级记录"):
        life.record("verify", project="XC01-001", day=D(2023, 5, 1), by="县", fields=verify, role="county",
                    own_county="禹州市")
    with pytest.raises(GaizaoError, match="由下级单位记录"):
        life.record("declare", project="XC01-001", day=D(2023, 5, 1), by="市", fields={"criterion": 3}, role="city")
    with pytest.raises(GaizaoError, match="不是“长葛市”|只能记录本单位"):
        life.record("declare", project="XC01-001", day=D(2023, 5, 1), by="县", fields={"criterion": 3},
                    role="county", own_county="长葛市")
    assert life.record("declare", project="XC01-001", day=D(2023, 5, 1), by="县", fields={"criterion": 3},
                       role="county", own_county="禹州市").county == "禹州市"
    assert life.record("verify", project="XC01-001", day=D(2023, 5, 2), by="市", fields=verify, role="city").kind == "verify"


def test_too_many_evidence_files_refused_before_reading_them(life):
    from generator.life import evidence as E
    files = [(f"p{i}.jpg", jpeg_bytes()) for i in range(E.MAX_FILES + 1)]
    with pytest.raises(GaizaoError, match=f"最多附{E.MAX_FILES}个"):
        life.record("completed", project="XC01-001", day=D(2023, 11, 1), by="x", evidence=files)
    e = life.record("completed", project="XC01-001", day=D(2023, 11, 1), by="x", evidence=files[:E.MAX_FILES])
    assert len(e.evidence) == E.MAX_FILES and len({x.name for x in e.evidence}) == E.MAX_FILES
