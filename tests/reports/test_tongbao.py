"""进度通报 and 检查验收结果通报 from plain data: who is named where, and only what the ranking decides."""
from __future__ import annotations

import datetime as dt


from generator.render.ranking import rank
from generator.render.official import Table, doc_number_field, office
from generator.reports.tongbao import MilestoneLine, ProgressLine, progress_tongbao, results_tongbao


def text_of(doc) -> str:
    return "\n".join(b if isinstance(b, str) else b[1] if isinstance(b, tuple) else "" for b in doc.blocks)


def test_the_doc_number_is_a_blank_field_with_the_policys_own_prefix(policy2023):
    number = policy2023.policy.document.doc_number.value
    field = doc_number_field(policy2023)
    assert field == number.split("〔")[0] + "〔　　〕　号"


def lines(policy2023):
    """As of 8-15: the all-started milestone (6-30) is due; completed_70 (10-31) is not."""
    p = policy2023.policy
    due, later = p.milestone("all_started"), p.milestone("completed_70")

    def line(name, started_share, done_share, met):
        return ProgressLine(name, 10, 100, int(started_share * 10), 0, int(done_share * 100),
                            {due.id: MilestoneLine(started_share, True, met),
                             later.id: MilestoneLine(done_share, False, None)})
    counties = [line("禹州市", 1.0, 0.75, True), line("长葛市", 0.9, 0.2, False), line("襄城县", 1.0, 0.5, True)]
    city = ProgressLine("全市", 30, 300, 29, 0, 145, {due.id: MilestoneLine(29 / 30, True, False),
                                                   later.id: MilestoneLine(145 / 300, False, None)})
    return counties, city


def test_progress_names_counties_ahead_and_behind_each_milestone(policy2023):
    counties, city = lines(policy2023)
    doc = progress_tongbao(policy2023, dt.date(2023, 8, 15), counties, city)
    text = text_of(doc)
    p = policy2023.policy
    due_par = next(t for t in text.split("\n") if p.milestone("all_started").label in t and "（一）" in t)
    assert "禹州市、襄城县按期完成" in due_par and "长葛市（90%）未完成" in due_par
    later_par = next(t for t in text.split("\n") if p.milestone("completed_70").label in t and "（二）" in t)
    # ahead: already at 70 %; behind: below the city's 48.33 %; 襄城县 (50 %) is neither
    assert "禹州市已提前达到" in later_par and "长葛市（20%）低于全市平均进度" in later_par
    assert "襄城县" not in later_par
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert [r[0] for r in table.rows] == ["禹州市", "长葛市", "襄城县", "全市"]
    assert doc.doc_number == doc_number_field(policy2023) and doc.date.strip("　").endswith("日")


SCORES = {"mid-year": {"禹州市": 90, "长葛市": 85, "襄城县": 88, "魏都区": 92, "建安区": 80},
          "year-end": {"禹州市": 90, "长葛市": 85, "襄城县": 88, "魏都区": 92, "建安区": 80}}
WEIGHTS = {"mid-year": 0.4, "year-end": 0.6}


def test_results_name_the_excellent_counties_when_decided(policy2023):
    r = rank(policy2023.policy, SCORES, WEIGHTS, weights_source="user")
    doc = results_tongbao(policy2023, r)
    text = text_of(doc)
    assert "魏都区、禹州市、襄城县为2023年城镇老旧小区改造工作优秀县（市、区）" in text
    assert "综合得分＝年中得分×0.4＋年终得分×0.6" in text and "待研究确定" not in text
    assert office(policy2023) + "确定" not in text and "--weights" not in text      # no provenance remark (21.1)


def test_a_tie_at_the_cut_off_names_only_the_decided_counties(policy2023):
    scores = {k: dict(v) for k, v in SCORES.items()}
    for k in scores:
        scores[k]["长葛市"] = scores[k]["襄城县"]            # 长葛市 and 襄城县 tie for the third place
    r = rank(policy2023.policy, scores, WEIGHTS, weights_source="user")
    assert sorted(r.decision_needed) == ["襄城县", "长葛市"]
    doc = results_tongbao(policy2023, r)
    result = next(b for b in doc.blocks if isinstance(b, str) and "名额" in b)
    assert "魏都区、禹州市为2023年" in result and "剩余优秀名额1个" in result and "研究确定" in result
    assert "襄城县为" not in result and "长葛市为" not in result
    table = next(b for b in doc.blocks if isinstance(b, Table))
    marks = {row[1]: row[-1] for row in table.rows}
    assert marks["长葛市"] == marks["襄城县"] == "待研究确定" and marks["魏都区"] == "优秀"
    ranks = {row[1]: row[0] for row in table.rows}
    assert ranks["长葛市"] == ranks["襄城县"] == "3" and ranks["建安区"] == "5"


def test_a_mid_year_round_decides_no_excellence_and_shows_self_scores(policy2023):
    r = rank(policy2023.policy, SCORES, None, "mid-year")
    doc = results_tongbao(policy2023, r, self_scores={"禹州市": 95})
    text = text_of(doc)
    assert "优秀县（市、区）在全年检查验收后" in text and "为2023年城镇老旧小区改造工作优秀" not in text
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert "自评得分" in table.header and "综合得分" not in table.header
    assert {row[1]: row[2] for row in table.rows}["禹州市"] == "95"
    assert "不计入综合得分" in text


def test_lines_from_the_registers_status_use_what_was_reported_by_the_milestone(policy2023):
    from types import SimpleNamespace as NS

    from generator.reports.tongbao import lines_from_status

    class Line(NS):
        def base(self, basis):
            return self.projects_target if basis == "projects" else self.households_target

        def share(self, measure, basis):
            v = self.started if measure == "started" else (self.completed if basis == "projects"
                                                          else self.households_completed)
            return v / self.base(basis)

    line = Line(county="禹州市", projects_target=8, households_target=100, started=8, completed=2,
                households_completed=40)
    verdicts = [NS(id="all_started", due=True, basis="projects", measure="started", reached_then=6, met_then=False,
                   changed_by=[7]),
                NS(id="completed_70", due=False, basis="households", measure="completed", reached_then=None,
                   met_then=None)]
    status = NS(counties=[NS(line=line, verdicts=verdicts)], city=NS(line=line, verdicts=verdicts))
    counties, city = lines_from_status(status)
    ms = counties[0].milestones
    # June's verdict stays June's: 6 of 8 by 6-30 although all 8 have started since
    assert ms["all_started"].reached == 0.75 and ms["all_started"].met is False and ms["all_started"].changed
    doc = progress_tongbao(policy2023, dt.date(2023, 8, 15), counties, city)
    # "as reported then" and "as re-reported later" named apart (issue 19.1)
    assert "以上按当期报告认定。其后重报改写了当期数据的：禹州市" in text_of(doc)
    assert ms["completed_70"].reached == 0.4 and ms["completed_70"].due is False


def test_a_bulletin_on_some_counties_does_not_speak_for_the_city(policy2023):
    counties, city = lines(policy2023)
    city.county = "合计"
    text = text_of(progress_tongbao(policy2023, dt.date(2023, 8, 15), counties, city))
    assert "禹州市、长葛市、襄城县合计计划改造老旧小区30个" in text and "全市计划改造" not in text
