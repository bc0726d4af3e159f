"""A targets-only plan (issue 23.8) gets documents that state only what the plan states: 牡丹江 2022 (a real
target table read from a news report, no 节点, no 发文机关) gives a 进度通报 without a 节点 section and without a
banner made up from the city's name; 许昌 2023 (a full notice) keeps both."""
from __future__ import annotations

import datetime as dt

from generator.policy import load_policy
from generator.reports.fankui import fankui
from generator.render.official import ISSUER_BLANK, banner_of, render_docx
from generator.reports.tongbao import MilestoneLine, ProgressLine, progress_tongbao


def _text(doc) -> str:
    return "\n".join(b if isinstance(b, str) else b[1] if isinstance(b, tuple) else "" for b in doc.blocks)


def _heads(doc) -> list[str]:
    return [b[1] for b in doc.blocks if isinstance(b, tuple) and b[0] == "h1"]


def _mudanjiang_tongbao():
    lp = load_policy("mudanjiang/2022")
    counties = [ProgressLine("东安区", 3, 2849, 2, 0, 0), ProgressLine("西安区", 4, 4421, 4, 1, 900)]
    return lp, progress_tongbao(lp, dt.date(2022, 8, 31), counties, ProgressLine("东安区、西安区合计", 7, 7270, 6, 1, 900))


def test_no_milestone_section_for_a_plan_without_milestones():
    lp, doc = _mudanjiang_tongbao()
    assert lp.policy.milestones == []                     # the premise: the published table states no 节点
    assert _heads(doc) == ["一、总体进展", "二、有关要求"]
    text = _text(doc)
    assert "节点" not in text                              # neither the section nor "目标任务和时间节点"
    assert "对照2022年度改造计划确定的目标任务，查找原因" in text
    assert "《" not in text                                # no document title the plan's encoding made up


def test_no_banner_or_signature_made_up_from_the_city():
    lp, doc = _mudanjiang_tongbao()
    assert lp.policy.document.issuer.value == "牡丹江市"   # the place, recorded with 报道未载明发文机关
    assert doc.banner == "××××文件" and ISSUER_BLANK == "××××"
    assert doc.signature == "××××" and doc.author == "××××"
    assert "牡丹江市文件" not in doc.banner
    assert banner_of(lp, letter=True) == "××××"
    letter = fankui(lp, "东安区", [])
    assert letter.banner == "××××" and letter.signature == "××××"
    body = render_docx(doc)                               # prints: the blank field, not the city
    assert b"PK" == body[:2]


def test_a_full_notice_keeps_its_banner_and_milestones(policy2023):
    p = policy2023.policy
    ms = {m.id: MilestoneLine(1.0, True, True) for m in p.milestones}
    doc = progress_tongbao(policy2023, dt.date(2023, 12, 31), [ProgressLine("禹州市", 10, 100, 10, 10, 100, ms)],
                           ProgressLine("禹州市合计", 10, 100, 10, 10, 100, ms))
    assert doc.banner == "许昌市百城建设提质工程指挥部办公室文件"
    assert _heads(doc) == ["一、总体进展", "二、节点目标完成情况", "三、有关要求"]
    assert "目标任务和时间节点" in _text(doc)
