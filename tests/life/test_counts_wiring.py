"""The inspector's verdict decides the register's count of starts (附件; programme-year.md "开工认定")."""
import datetime as dt

from tests.life.conftest import ROOT

D = dt.date
YEAR = ROOT / "data" / "year-2023"


def _started(reg, day):
    st = reg.status(day, policy=None)
    line = next(c for c in st.counties if c.line.county == "禹州市").line
    return line.started


def test_a_verdict_of_not_met_takes_a_start_out_of_the_count(tmp_path, policy2023):
    from generator.life import Life
    from generator.register import Register
    reg = Register(tmp_path / "r.db")
    for f, day in (("2023-02-24-禹州市-方案.xlsx", D(2023, 2, 24)), ("2023-06-30-禹州市-月报.xlsx", D(2023, 6, 30))):
        reg.add(YEAR / f, received=day, by="登记员", policy=policy2023, period="2023-06" if "月报" in f else None)
    before = _started(reg, D(2023, 6, 30))
    assert before >= 1
    life = Life(reg.path)
    life.record("verify", project="XC01-001", day=D(2023, 6, 20), by="市住建局", policy=policy2023,
                fields={"criterion": 5, "verdict": "不符合", "inspector": "王五", "note": "现场未见施工队伍"})
    assert _started(reg, D(2023, 6, 30)) == before - 1
    # a re-inspection that finds it met puts it back, from its own day
    life.record("verify", project="XC01-001", day=D(2023, 6, 28), by="市住建局", policy=policy2023,
                fields={"criterion": 5, "verdict": "符合", "inspector": "王五"})
    assert _started(reg, D(2023, 6, 30)) == before


def test_the_snapshot_every_document_reads_carries_the_recorded_verdicts(tmp_path, policy2023):
    from generator.life import Life
    from generator.register import Register
    reg = Register(tmp_path / "r.db")
    reg.add(YEAR / "2023-02-24-禹州市-方案.xlsx", received=D(2023, 2, 24), by="登记员", policy=policy2023)
    Life(reg.path).record("verify", project="XC01-002", day=D(2023, 5, 2), by="市", policy=policy2023,
                          fields={"criterion": 3, "verdict": "符合", "inspector": "王五"})
    assert reg.snapshot(D(2023, 5, 1), policy=policy2023).verdicts == {}
    assert reg.snapshot(D(2023, 5, 2), policy=policy2023).verdicts == {"XC01-002": {3: "符合"}}
    assert reg.snapshot(D(2023, 5, 2), policy=policy2023, verdicts={}).verdicts == {}     # given: used as given
