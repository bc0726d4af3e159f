"""`gaizao build` prints the sample life records (示例数据) on the city acceptance forms, the 进度通报 and the
整改通知书 (issue 20.4/20.8).

The plan: each round's acceptance step comes after the sample year's register holds its life records and reads
them through ``project hazards --format json -o`` as of the round's cut-off (the last day of the round's month,
as the form's own default). The content: the sample (generator/life/sample.py) inspects the first two started
projects of each county a fortnight before 05-31 and finds a hazard on each; the first is closed in time, the
second is open past its deadline — by hand for 禹州市 (XC01-001 and XC01-005 started by 05-31, sample year):
"隐患1处，已销号" and "隐患1处，未销号1处（逾期1处）", every other project 未录入巡检记录.
"""
import datetime as dt
import json
from pathlib import Path

import pytest

from tests.life.conftest import ROOT

DATA = ROOT / "data"


@pytest.fixture(autouse=True)
def _register_backend():
    """The build writes its register as a file under output/year/ (SQLite): these tests follow the build."""


def test_the_plan_feeds_each_rounds_forms_the_record_of_its_cut_off(policy2023, tmp_path):
    from generator.build import steps
    plan = [args for _, args in steps("xuchang/2023", tmp_path, DATA)]
    sample = next(i for i, a in enumerate(plan) if a[:2] == ["project", "sample"])
    forms = [i for i, a in enumerate(plan) if a[:2] == ["render", "acceptance"]]
    assert len(forms) == len(policy2023.policy.inspections.rounds) and min(forms) > sample
    for i, rnd in zip(forms, policy2023.policy.inspections.rounds):
        args = plan[i]
        record = args[args.index("--hazards") + 1]
        made = plan[i - 1]
        assert made[:2] == ["project", "hazards"] and made[made.index("-o") + 1] == record
        # the round's month's last day: 07-31 for 年中 (7月), 12-31 for 年终 (12月)
        nxt = dt.date(2023 + (rnd.month == 12), rnd.month % 12 + 1, 1)
        assert made[made.index("--as-of") + 1] == (nxt - dt.timedelta(days=1)).isoformat()
        assert made[made.index("--db") + 1] == str(tmp_path / "year" / "register.db")


def test_without_a_sample_year_the_forms_are_made_without_the_record(tmp_path):
    import shutil

    from generator.build import steps
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(DATA / "sample-禹州市.xlsx", data)
    plan = [args for _, args in steps("xuchang/2023", tmp_path / "out", data)]
    forms = [a for a in plan if a[:2] == ["render", "acceptance"]]
    assert forms and not any("--hazards" in a for a in forms) and not any(a[:2] == ["project", "hazards"] for a in plan)


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """The build's year steps up to the life records, run as the build runs them."""
    from click.testing import CliRunner

    from generator.build import steps
    from generator.cli import main
    out = tmp_path_factory.mktemp("build")
    plan = [args for _, args in steps("xuchang/2023", out, DATA)]
    for args in plan:
        if args[0] in ("register", "project") and args[1] in ("import", "sample"):
            res = CliRunner().invoke(main, args)
            assert res.exit_code in (0, 1), res.output
    return out, plan


@pytest.mark.slow
def test_the_forms_and_letters_of_the_build_carry_the_hazards(year, policy2023):
    from click.testing import CliRunner
    from docx import Document

    from generator.cli import main
    out, plan = year
    mid = next(a for a in plan if a[:2] == ["render", "acceptance"] and "mid-year" in a)
    made = plan[plan.index(mid) - 1]
    res = CliRunner().invoke(main, made)
    assert res.exit_code == 0, res.output
    record = Path(mid[mid.index("--hazards") + 1])
    data = json.loads(record.read_text(encoding="utf-8"))
    yz = next(c for c in data["counties"] if c["county"] == "禹州市")
    assert (yz["inspections"], yz["hazards"], yz["closed"], yz["open"], yz["overdue"]) == (1, 2, 1, 1, 1)

    from generator.render.acceptance import render_acceptance
    paths = render_acceptance(policy2023, "mid-year", out / "acceptance", counties=["禹州市"],
                              plans=[DATA / "sample-禹州市.xlsx"], pdf=False, hazards_path=str(record))
    city = next(p for p in paths if "市级检查验收表" in p.name)
    rows = [[c.text for c in r.cells] for t in Document(str(city)).tables for r in t.rows]
    head = next(r for r in rows if "质量安全" in r)
    col = head.index("质量安全")
    cells = {r[1]: r[col] for r in rows if r[1].startswith("XC01-")}
    assert cells["XC01-001"] == "隐患1处，已销号" and cells["XC01-005"] == "隐患1处，未销号1处（逾期1处）"
    assert {v for k, v in cells.items() if k not in ("XC01-001", "XC01-005")} == {"未录入巡检记录"}

    # the 进度通报 of the build's first documents day has its 质量安全 part, the 整改通知书 lists the open hazard
    from generator.life.sample import docs_day
    from generator.register import Register
    from generator.register.documents import progress_bulletin
    day = docs_day(policy2023)
    reg = Register(out / "year" / "register.db")
    doc = progress_bulletin(reg, policy2023, day)
    text = "\n".join(b if isinstance(b, str) else b[1] if isinstance(b, tuple) else "|".join(sum(b.rows, []))
                     for b in doc.blocks)
    assert "质量安全巡检情况" in text and "禹州市|1|2|1|1|1" in text

    from generator.life.documents import rectification_notice
    from generator.register import db
    with db.opened(reg.path, create=False) as conn:
        notice = rectification_notice(conn, policy2023, "禹州市", day)
    assert notice is not None
    rows = [r for b in notice.blocks if hasattr(b, "rows") for r in b.rows]
    assert [(r[1], r[3], r[-1]) for r in rows] == [("XC01-005", "脚手架未设置安全防护网", "已逾期")]
