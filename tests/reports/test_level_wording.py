"""The words of the level in documents and messages: a province's 通报 says 各市 / 省级 / 全省, a district's
validation says 全区 / 乡镇（街道）; 许昌 (a city) keeps 各县（市、区） / 市级 / 全市."""
from __future__ import annotations

import re
import datetime as dt
from io import StringIO
from types import SimpleNamespace

from rich.console import Console

from generator.findings import Finding, Report, Severity
from generator.render.ranking import rank
from generator.reports.duties import reporting_duties
from generator.reports.fankui import addressee_for
from generator.render.official import Table
from generator.reports.tongbao import MilestoneLine, ProgressLine, progress_tongbao, results_tongbao
from generator.validate.citywide import CitySummary, CountyLine
from generator.validate.textout import print_validation
from support.levels import as_unit


def text_of(doc) -> str:
    return "\n".join(b if isinstance(b, str) else b[1] if isinstance(b, tuple) else "" for b in doc.blocks)


def progress(lp, whole: str):
    p = lp.policy
    due, later = p.milestone("all_started"), p.milestone("completed_70")
    ms = {due.id: MilestoneLine(0.9, True, False), later.id: MilestoneLine(0.2, False, None)}
    counties = [ProgressLine("甲", 10, 100, 9, 0, 20, ms), ProgressLine("乙", 10, 100, 10, 0, 60,
                {due.id: MilestoneLine(1.0, True, True), later.id: MilestoneLine(0.6, False, None)})]
    return progress_tongbao(lp, dt.date(2023, 8, 15), counties, ProgressLine(whole, 20, 200, 19, 0, 80, {
        due.id: MilestoneLine(0.95, True, False), later.id: MilestoneLine(0.4, False, None)}))


def test_a_provinces_progress_bulletin_names_its_cities(policy2023):
    doc = progress(as_unit(policy2023, "河南省"), "全省")
    text = text_of(doc)
    assert "各市改造工作进展情况通报如下" in text and "进度滞后的市要对照" in text and "低于全省平均进度" in text
    assert "县（市、区）" not in text
    assert next(b for b in doc.blocks if isinstance(b, Table)).header[0] == "市"
    city = text_of(progress(policy2023, "全市"))                  # 许昌 as published
    assert "各县（市、区）改造工作进展情况通报如下" in city and "进度滞后的县（市、区）要对照" in city


SCORES = {"mid-year": {"禹州市": 90, "长葛市": 85, "襄城县": 88, "魏都区": 92, "建安区": 80},
          "year-end": {"禹州市": 90, "长葛市": 85, "襄城县": 88, "魏都区": 92, "建安区": 80}}


def test_a_provinces_results_bulletin_is_by_the_province(policy2023):
    lp = as_unit(policy2023, "河南省")
    r = rank(lp.policy, SCORES, {"mid-year": 0.4, "year-end": 0.6}, weights_source="user")
    doc = results_tongbao(lp, r, self_scores={"禹州市": 95})
    text = text_of(doc)
    assert "省级检查验收组在各市" in text and "为2023年城镇老旧小区改造工作优秀市" in text and "自评得分为各市" in text
    own = re.sub("“[^”]*”", "", text)                   # the policy's quotes are 许昌's here, as published
    assert "县（市、区）" not in own and "市级检查验收组" not in own
    assert next(b for b in doc.blocks if isinstance(b, Table)).header[:2] == ["名次", "市"]
    city = text_of(results_tongbao(policy2023, rank(policy2023.policy, SCORES, {"mid-year": 0.4, "year-end": 0.6},
                                                    weights_source="user")))
    assert "市级检查验收组在各县（市、区）" in city and "优秀县（市、区）" in city


def test_the_monthly_report_duty_is_owed_by_the_level_below(policy2023):
    text = reporting_duties(as_unit(policy2023, "河南省"), [], dt.date(2023, 6, 30), 5).paragraphs()[0]
    assert text.startswith("按照") and "各市应于次月5日前" in text
    assert "各县（市、区）应于次月5日前" in reporting_duties(policy2023, [], dt.date(2023, 6, 30), 5).paragraphs()[0]


def test_the_feedback_letter_addresses_the_unit_in_the_provinces_words(policy2023):
    lp = as_unit(policy2023, "河南省", "各市人民政府")
    assert addressee_for(lp, "许昌市") == "许昌市人民政府："


def validation_output(lp) -> str:
    cross = Finding("V804", Severity.WARNING, "乙未报送", "乙 missing", county="乙")
    lines = [CountyLine("甲", ["a.xlsx"], 1, 1, 10, 10), CountyLine("乙")]
    result = SimpleNamespace(by_file={"a.xlsx": []}, report=Report([cross]),
                             city=CitySummary(lines, CountyLine("合计", [], 1, None, 10, None), [], True))
    out = StringIO()
    print_validation(result, console=Console(file=out, width=300), lp=lp)
    return out.getvalue()


def test_validation_names_the_whole_and_the_units_below_by_level(policy2023):
    district = validation_output(as_unit(policy2023, "建安区"))
    assert "全区" in district and "分乡镇（街道）汇总" in district and "全市" not in district
    province = validation_output(as_unit(policy2023, "河南省"))
    assert "全省" in province and "分市汇总" in province and "县（市、区）" not in province
    city = validation_output(policy2023)
    assert "全市" in city and "分县（市、区）汇总" in city


def test_a_province_without_listed_cities_is_told_in_its_words():
    from click.testing import CliRunner

    from generator.cli import main
    r = CliRunner().invoke(main, ["render", "county-plan", "henan/2022", "--all", "-o", "unused"])
    assert r.exit_code == 2 and "政策未列出任何市" in r.output and "各市及其目标" in r.output
    assert "县（市、区）" not in r.output


def test_the_acceptance_summary_notes_name_the_excellent_units_by_level(policy2023):
    from generator.render.acceptance import summary_context
    lp = as_unit(policy2023, "河南省")
    r = rank(lp.policy, SCORES, {"mid-year": 0.4, "year-end": 0.6}, weights_source="user")
    notes = "".join(str(v) for v in summary_context(lp, {}, r).values())
    assert "个优秀市。" in notes and "优秀县（市、区）" not in notes
    city = summary_context(policy2023, {}, rank(policy2023.policy, SCORES, {"mid-year": 0.4, "year-end": 0.6},
                                                   weights_source="user"))
    assert "个优秀县（市、区）。" in "".join(str(v) for v in city.values())


def test_the_register_asks_a_province_for_the_city(policy2023):
    import pytest

    from generator.errors import InputError
    from generator.register.api import _county_of
    lp = as_unit(policy2023, "河南省")
    with pytest.raises(InputError) as e:
        _county_of(SimpleNamespace(county=None), None, "f.xlsx", lp)
    assert "工作簿未写明市，" in str(e.value.args[0])
    with pytest.raises(InputError) as e:
        _county_of(SimpleNamespace(county="洛阳市"), None, "f.xlsx", lp)
    assert "不是xuchang/2023中的市（" in str(e.value.args[0])


def test_score_files_are_described_in_the_provinces_words(policy2023, tmp_path):
    import pytest

    from generator.errors import InputError
    from generator.render.ranking import load_scores, refusal_without_weights
    province = as_unit(policy2023, "河南省").policy
    bad = tmp_path / "s.yaml"
    bad.write_text("- 90\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_scores(bad, province)
    assert e.value.message == "得分文件应为“轮次: {市: 得分}”"
    bad.write_text("年中: 90\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_scores(bad, province)
    assert e.value.message == "年中：应为“市: 得分”"
    with pytest.raises(InputError) as e:
        load_scores(bad, policy2023.policy)
    assert e.value.message == "年中：应为“县（市、区）: 得分”"
    assert "须由省级确定权重" in refusal_without_weights(province, "三（五）").message
    assert "须由市级确定权重" in refusal_without_weights(policy2023.policy, "三（五）").message


def test_a_receipts_line_is_described_in_the_provinces_words(policy2023, tmp_path):
    import pytest

    from generator.errors import InputError
    from generator.reports.cli import _received
    f = tmp_path / "r.csv"
    f.write_text("市,报送日期,所属月份\n郑州市,2023-03-05\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        _received(f, as_unit(policy2023, "河南省"))
    assert e.value.message == "第2行应有三列：市,报送日期,所属月份"
    with pytest.raises(InputError) as e:
        _received(f, policy2023)
    assert e.value.message == "第2行应有三列：县（市、区）,报送日期,所属月份"


def test_a_self_assessment_of_no_listed_unit_is_refused_in_the_provinces_words(policy2023, tmp_path):
    import pytest
    from docx import Document

    from generator.errors import InputError
    from generator.reports.selfcheck import read_self_score
    d = Document()
    d.add_paragraph("填报单位：郑州市（盖章）")
    d.add_paragraph("自评总分：86分")
    d.save(tmp_path / "f.docx")
    with pytest.raises(InputError) as e:
        read_self_score(tmp_path / "f.docx", as_unit(policy2023, "河南省"))
    assert e.value.message == "无法从自查自评表判断所属市（“填报单位”未填写或不是政策列明的市）"


def test_the_register_status_and_the_build_name_the_level_below(policy2023, tmp_path):
    from generator.build import plan
    steps, _ = plan("xuchang/2023", tmp_path, tmp_path / "no-data", lp=as_unit(policy2023, "河南省"))
    assert steps[[c[:2] for _, c in steps].index(["render", "county-plan"])][0].startswith("市级方案模板")
    steps, _ = plan("xuchang/2023", tmp_path, tmp_path / "no-data", lp=policy2023)
    assert steps[[c[:2] for _, c in steps].index(["render", "county-plan"])][0].startswith("县级方案模板")
