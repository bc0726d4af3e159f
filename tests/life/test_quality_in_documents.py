"""Open and overdue hazards reach the day's snapshot and the 进度通报 (issue 20.4), and nothing is made up.

One 抽检 of 禹州市 on 07-10 finds three hazards, all due 07-20; one closed on 07-20 (in time), one on 07-21 (late),
one never. By hand: on 07-20 — 3 found, 1 closed, 2 open, 0 overdue (the deadline day is in time); on 07-21 —
2 closed, 1 open, 1 overdue; before 07-10 no inspection is recorded, so no 质量安全 part at all.
"""
import datetime as dt

import pytest

from tests.life.conftest import jpeg_bytes

D = dt.date


@pytest.fixture
def hazards(life):
    insp = life.record("inspection", county="禹州市", day=D(2023, 7, 10), by="市住建局",
                       fields={"type": "抽检", "inspectors": "王五", "projects": "XC01-001,XC01-002,XC01-003"})
    kw = dict(by="市住建局", refers_to=insp.id, day=D(2023, 7, 10))
    found = [life.record("hazard", project=p, fields={"description": d, "deadline": "2023-07-20", "responsible": "甲公司"},
                         **kw)
             for p, d in (("XC01-001", "脚手架未设防护网"), ("XC01-002", "临时用电私拉乱接"), ("XC01-003", "基坑未设围挡"))]
    for h, day in ((found[1], D(2023, 7, 20)), (found[2], D(2023, 7, 21))):
        life.record("rectified", day=day, by="县", refers_to=h.id, fields={"note": "已整改"},
                    evidence=[("整改后.jpg", jpeg_bytes())])
    return life


def _line(snap, county="禹州市"):
    return next(q for q in snap.quality if q.county == county)


def test_the_snapshot_carries_the_hazards_of_its_day(hazards, reg, policy2023):
    assert reg.snapshot(D(2023, 7, 9), policy=policy2023).quality == []
    q = _line(reg.snapshot(D(2023, 7, 20), policy=policy2023))
    assert (q.inspections, q.hazards, q.closed, q.open, q.overdue) == (1, 3, 1, 2, 0)
    snap = reg.snapshot(D(2023, 7, 21), policy=policy2023)
    q = _line(snap)
    assert (q.inspections, q.hazards, q.closed, q.open, q.overdue) == (1, 3, 2, 1, 1)
    # every county of the policy has its line; one without inspections shows zeros, never a guess
    other = next(c.name for c in policy2023.policy.counties if c.name != "禹州市")
    o = _line(snap, other)
    assert (o.inspections, o.hazards, o.open) == (0, 0, 0)
    assert snap.figures()[("禹州市", "hazards")] == (1, 3, 2, 1, 1)


def _text(doc) -> str:
    out = []
    for b in doc.blocks:
        if isinstance(b, str):
            out.append(b)
        elif isinstance(b, tuple):
            out.append(b[1])
        else:
            out += ["|".join(b.header)] + ["|".join(r) for r in b.rows]
    return "\n".join(out)


def test_the_bulletin_has_a_quality_part_only_when_inspections_are_recorded(hazards, reg, policy2023):
    from generator.register.documents import progress_bulletin
    before = _text(progress_bulletin(reg, policy2023, D(2023, 7, 9)))
    assert "质量安全" not in before and "隐患" not in before
    text = _text(progress_bulletin(reg, policy2023, D(2023, 7, 21)))
    assert "质量安全巡检情况" in text
    assert "共记录质量安全巡检抽检1次，发现隐患3处，已整改销号2处，未销号1处，其中逾期未销号1处。" in text
    assert "禹州市存在超过整改期限未销号的隐患" in text
    assert "禹州市|1|3|2|1|1" in text
    on_deadline = _text(progress_bulletin(reg, policy2023, D(2023, 7, 20)))
    part = on_deadline.split("质量安全巡检情况")[1].split("有关要求")[0]
    assert "未销号2处。" in part and "逾期未销号" not in part and "超过整改期限" not in part


def test_without_the_life_reader_a_register_with_records_is_refused_not_counted_without_them(hazards, reg,
                                                                                            policy2023):
    """The register never imports generator/life (a floor above); with no reader registered it refuses."""
    from generator.errors import UsageError
    from generator.register import hooks
    saved = hooks._verdicts, hooks._quality
    hooks._verdicts = hooks._quality = None
    try:
        with pytest.raises(UsageError, match="generator.life"):
            reg.snapshot(D(2023, 7, 21), policy=policy2023)
    finally:
        hooks._verdicts, hooks._quality = saved


def test_the_city_acceptance_form_prints_what_the_record_holds(hazards, reg, policy2023, tmp_path):
    """`gaizao project hazards --format json` → `render acceptance --hazards`: the county's sentence under the
    table and each project's hazards in its row (city form only; a project no inspection visited: 未录入巡检记录)."""
    import json

    from click.testing import CliRunner

    from generator.cli import main
    from generator.render.acceptance import CountyRows, county_context, find_round, load_quality
    from generator.render.forms_context import policy_context, project_context, sample_row
    res = CliRunner().invoke(main, ["project", "hazards", "--as-of", "2023-07-21", "--db", str(reg.path),
                                    "--policy", "xuchang/2023", "--format", "json"])
    assert res.exit_code == 0, res.output
    path = tmp_path / "hazards.json"
    path.write_text(res.output, encoding="utf-8")
    assert json.loads(res.output)["counties"][0]["cell"]
    q = load_quality(path)
    lp = policy2023
    pctx = policy_context(lp)
    rows = [project_context(sample_row(lp, i + 2, **{"项目编号": f"XC01-00{i + 1}"}), lp, pctx) for i in range(4)]
    args = (lp, pctx, find_round(lp, "mid-year"), lp.policy.county("禹州市"), CountyRows("禹州市", rows, True), None)
    city = county_context(*args, "city", {}, quality=q["禹州市"])
    # XC01-004 was not visited by the inspection: no record, said so (never blank, never 合格)
    assert [r["quality"] for r in city["rows"]] == ["隐患1处，未销号1处（逾期1处）", "隐患1处，已销号",
                                                    "隐患1处，已销号", "未录入巡检记录"]
    assert "质量安全巡检抽检记录（截至2023年7月21日）：巡检抽检1次，发现隐患3处，已销号2处，未销号1处（其中逾期1处）。" \
        in city["note"]
    own = county_context(*args, "self", {}, quality=q["禹州市"])
    assert "质量安全巡检" not in own["note"] and all(r["quality"] == "" for r in own["rows"])
    plain = county_context(*args, "city", {})
    assert "质量安全巡检抽检记录" not in plain["note"]
    # a form made without the record says that it was not attached, not that nothing was found
    assert {r["quality"] for r in plain["rows"]} == {"未附巡检记录"}


def test_a_fresh_process_making_web_documents_has_the_life_reader():
    """The web makes documents in spawned worker processes that import only the function's module
    (generator.web.files): that module must register the life readers, or a register with verdicts is refused."""
    import subprocess
    import sys
    code = ("import generator.web.files\nfrom generator.register import hooks\n"
            "assert hooks._verdicts is not None and hooks._quality is not None")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0
