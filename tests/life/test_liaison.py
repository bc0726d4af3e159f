"""联系点 (五（五）): the county's report from its 联系点 sheet, the city's checklist of the four conditions."""
import datetime as dt

import pytest

from generator.errors import GaizaoError

D = dt.date


def _text(path) -> str:
    from docx import Document
    doc = Document(str(path))
    return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])


def test_report_and_checklist(life, reg, policy2023, tmp_path):
    from generator.life.liaison import write_liaison
    lpts = policy2023.policy.liaison_points
    life.record("liaison_check", project="XC01-001", day=D(2023, 4, 10), by="市", policy=policy2023,
                fields={"condition": 4, "verdict": "不符合", "inspector": "王五", "note": "暂无社会资本意向"})
    with pytest.raises(GaizaoError, match="没有第5条"):
        life.record("liaison_check", project="XC01-001", day=D(2023, 4, 10), by="市", policy=policy2023,
                    fields={"condition": 5, "verdict": "符合", "inspector": "王五"})
    paths = write_liaison(reg.path, policy2023, "禹州市", D(2023, 4, 30), tmp_path, pdf=False)
    report = _text(next(p for p in paths if "报告" in p.name))
    plan = reg.plan(1, policy2023)
    quota = policy2023.policy.county("禹州市").liaison_quota.value
    assert f"确定城镇老旧小区改造联系点{quota}个" in report
    for item in lpts.report_contents:
        assert f"）{item}。" in report
    first = plan.liaison[0]
    assert str(first.value(lpts.report_contents[0])) in report
    check = _text(next(p for p in paths if "核查表" in p.name))
    for c in lpts.criteria:
        assert c in check
    assert "不符合" in check and "暂无社会资本意向（王五）" in check
    from generator.render.official import office
    assert f"{office(policy2023)}对禹州市确定的" in check and "市级" not in check      # the office's own name
