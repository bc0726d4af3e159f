"""The city acceptance form's 质量安全 cell prints the project's record (issue 20.4), through the template's own
placeholder (templates/acceptance/city_inspection.docx, scripts/build_acceptance_templates.py).

One 巡检 of 禹州市 on 07-10 visits XC01-001 and XC01-002 and finds one hazard on XC01-001, due 07-20, still open on
the form's day 07-31; XC01-002 is visited and nothing is found. By hand, on the 禹州市 sample plan's eight rows:
XC01-001 "隐患1处，未销号1处（逾期1处）", XC01-002 "巡检1次，未记录隐患", the six others "未录入巡检记录". The county's
own 自查自评表 has no such column; a form made without the record says "未附巡检记录" in every row.
"""
import datetime as dt
import json

import pytest

from tests.life.conftest import ROOT

D = dt.date
SAMPLE = ROOT / "data" / "sample-禹州市.xlsx"


@pytest.fixture
def record(life, reg, tmp_path):
    from click.testing import CliRunner

    from generator.cli import main
    insp = life.record("inspection", county="禹州市", day=D(2023, 7, 10), by="市住建局",
                       fields={"type": "巡检", "inspectors": "王五", "projects": "XC01-001,XC01-002"})
    life.record("hazard", project="XC01-001", refers_to=insp.id, day=D(2023, 7, 10), by="市住建局",
                fields={"description": "脚手架未设防护网", "deadline": "2023-07-20", "responsible": "甲公司"})
    out = tmp_path / "hz.json"
    res = CliRunner().invoke(main, ["project", "hazards", "--as-of", "2023-07-31", "--db", str(reg.path),
                                    "--policy", "xuchang/2023", "--format", "json", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert json.loads(out.read_text(encoding="utf-8"))["inspected"] == {"XC01-001": 1, "XC01-002": 1}
    return out


def _cells(path) -> list[list[str]]:
    from docx import Document
    rows = []
    for t in Document(str(path)).tables:
        for r in t.rows:
            rows.append([c.text for c in r.cells])
    return rows


def _quality_column(path) -> dict[str, str]:
    rows = _cells(path)
    head = next(r for r in rows if "质量安全" in r)
    i = head.index("质量安全")
    return {r[1]: r[i] for r in rows if r[1].startswith("XC01-")}


def test_the_city_form_prints_each_projects_record(record, policy2023, tmp_path):
    from generator.render.acceptance import render_acceptance
    paths = render_acceptance(policy2023, "mid-year", tmp_path / "out", counties=["禹州市"], plans=[SAMPLE],
                              pdf=False, hazards_path=str(record))
    city = next(p for p in paths if "市级检查验收表" in p.name)
    got = _quality_column(city)
    assert got == {"XC01-001": "隐患1处，未销号1处（逾期1处）", "XC01-002": "巡检1次，未记录隐患",
                   **{f"XC01-00{i}": "未录入巡检记录" for i in range(3, 9)}}
    assert "合格" not in "".join(got.values())
    own = next(p for p in paths if "自查自评表" in p.name)
    assert not any("质量安全" in c or "巡检" in c for r in _cells(own) for c in r)


def test_a_form_without_the_record_says_it_is_not_attached(policy2023, tmp_path):
    from generator.render.acceptance import render_acceptance
    paths = render_acceptance(policy2023, "mid-year", tmp_path / "out", counties=["禹州市"], plans=[SAMPLE],
                              pdf=False)
    city = next(p for p in paths if "市级检查验收表" in p.name)
    assert set(_quality_column(city).values()) == {"未附巡检记录"}
