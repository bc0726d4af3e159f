"""A policy silent on consent, 开工认定标准, 验收 and priority works (牡丹江 2022, a target table): the life record
still holds events, and nothing is asked that the notice does not ask."""
import datetime as dt

import pytest

from generator.errors import GaizaoError
from generator.render.samples import write_district_sample
from generator.policy import load_policy

REF, DISTRICT = "mudanjiang/2022", "东安区"
D = dt.date


@pytest.fixture(scope="module")
def setup(tmp_path_factory, backend):
    from generator.register import Register
    lp = load_policy(REF)
    tmp = tmp_path_factory.mktemp("mdj-life")
    reg = Register(backend.register(tmp / "r.db"))
    reg.add(write_district_sample(lp, DISTRICT, tmp), received=D(2022, 3, 1), by="测试", policy=lp)
    pid = reg.projects(1)[0].project
    return lp, reg, pid, tmp


def test_a_policy_without_the_provisions_asks_nothing_of_them(setup):
    from generator.life import Life, completion, consult, works
    from generator.life.documents import write_documents
    from generator.register import db
    lp, reg, pid, tmp = setup
    p = lp.policy
    assert p.consent is None and not p.has_start_criteria and works.duties(lp) == {}
    life = Life(reg.path)
    with pytest.raises(GaizaoError, match="没有开工认定标准"):
        life.record("verify", project=pid, day=D(2022, 4, 1), by="市", policy=lp,
                    fields={"criterion": 1, "verdict": "符合", "inspector": "甲"})
    life.record("consultation", project=pid, day=D(2022, 4, 1), by="区", policy=lp,
                fields={"subject": "改造方案", "method": "会议", "asked": 10, "agreed": 1})
    insp = life.record("inspection", county=DISTRICT, day=D(2022, 6, 1), by="市", policy=lp,
                       fields={"type": "抽检", "inspectors": "甲", "projects": pid})
    life.record("hazard", project=pid, day=D(2022, 6, 1), by="市", refers_to=insp.id, policy=lp,
                fields={"description": "围挡缺失", "deadline": "2022-06-10", "responsible": "施工单位"})
    with db.opened(reg.path) as conn:
        assert consult.findings(conn, lp, DISTRICT, D(2022, 12, 31), {pid}) == []     # no consent rule: no G1xx
        assert completion.findings(conn, lp, DISTRICT, D(2022, 12, 31)) == []
    paths = write_documents(reg.path, lp, D(2022, 12, 31), tmp / "docs", pdf=False)
    assert [p.parent.name for p in paths] == ["整改通知书"]                           # no 开工认定结果 without criteria


def test_no_liaison_points_no_liaison_documents(setup):
    from generator.life.liaison import write_liaison
    lp, reg, _, tmp = setup
    if lp.policy.liaison_points is None:
        with pytest.raises(GaizaoError, match="未规定联系点"):
            write_liaison(reg.path, lp, DISTRICT, D(2022, 12, 31), tmp / "lia", pdf=False)
