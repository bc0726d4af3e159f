"""Issue 21.3: the office's decisions recorded and printed, never invented.

- A tie at the cut-off for the excellent counties is decided by the office in a file (who, when, the chosen); the
  检查验收结果通报 prints that decision; a decision that does not fit the ranking is refused, located, nothing written.
- A 评分细则 supplied by the office prints on the city 检查验收表 with the county's total; none is printed without it.
Expected texts are written by hand from the scores below (a tie of 长葛市 and 襄城县 at 82 for the third place).
"""
from __future__ import annotations

import zipfile

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main

TIED = {"mid-year": {"禹州市": 90, "长葛市": 85, "襄城县": 85, "魏都区": 95, "建安区": 70},
        "year-end": {"禹州市": 92, "长葛市": 80, "襄城县": 80, "魏都区": 96, "建安区": 70}}
W = "mid-year=0.4,year-end=0.6"


def _text(path) -> str:
    import re
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))


def _write(path, data):
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _results(tmp_path, *extra):
    scores = _write(tmp_path / "scores.yaml", TIED)
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["report", "results", "--policy", "xuchang/2023", "--scores", str(scores),
                                  "--weights", W, "-o", str(out), "--no-pdf", *extra])
    return r, out


def test_tie_without_a_decision_is_left_to_the_office(tmp_path):
    r, out = _results(tmp_path)
    assert r.exit_code == 0, r.output
    text = _text(next(out.glob("*.docx")))
    assert "长葛市、襄城县综合得分相同，并列第3名，剩余优秀名额1个，须由市百城办研究确定，本通报暂不列出。" in text
    assert text.count("待研究确定") == 2


def test_the_offices_decision_is_printed(tmp_path):
    decision = _write(tmp_path / "d.yaml", {"研究确定": {"决定机关": "市百城办主任办公会议", "决定日期": "2024-01-08",
                                                      "优秀": ["长葛市"]}})
    r, out = _results(tmp_path, "--decision", str(decision))
    assert r.exit_code == 0, r.output
    text = _text(next(out.glob("*.docx")))
    assert ("长葛市、襄城县综合得分相同，并列第3名，剩余优秀名额1个，经市百城办主任办公会议于2024年1月8日研究确定，"
            "长葛市为2023年城镇老旧小区改造工作优秀县（市、区）。") in text
    assert "综上，魏都区、禹州市、长葛市为2023年城镇老旧小区改造工作优秀县（市、区），予以通报表扬。" in text
    assert "待研究确定" not in text and "暂不列出" not in text
    # the table: 长葛市 优秀, 襄城县 not (rows: 名次, 县, 年中, 年终, 综合, 评定)
    assert "3长葛市858082优秀" in text and "3襄城县858082" in text and "3襄城县858082优秀" not in text


@pytest.mark.parametrize("decision, words", [
    ({"决定机关": "市百城办", "决定日期": "2024-01-08", "优秀": ["建安区"]}, "建安区不在并列待研究确定的单位"),
    ({"决定机关": "市百城办", "决定日期": "2024-01-08", "优秀": ["长葛市", "襄城县"]}, "剩余优秀名额1个，研究确定了2个"),
    ({"决定日期": "2024-01-08", "优秀": ["长葛市"]}, "缺少“决定机关”"),
    ({"决定机关": "市百城办", "决定日期": "一月八日", "优秀": ["长葛市"]}, "“决定日期”应为日期"),
])
def test_a_decision_that_does_not_fit_is_refused(tmp_path, decision, words):
    path = _write(tmp_path / "d.yaml", {"研究确定": decision})
    r, out = _results(tmp_path, "--decision", str(path))
    assert r.exit_code == 2, r.output
    assert words in r.output and "d.yaml" in r.output and "Traceback" not in r.output
    assert not out.exists()                                   # refused before anything is written


def _acceptance(tmp_path, *extra):
    out = tmp_path / "acc"
    r = CliRunner().invoke(main, ["render", "acceptance", "xuchang/2023", "--round", "mid-year", "--county", "禹州市",
                                  "-o", str(out), "--no-pdf", *extra])
    return r, out


def test_rubric_prints_on_the_city_form_with_a_county_total(tmp_path):
    rubric = _write(tmp_path / "r.yaml", {"评分细则": [{"项目": "工程进度", "分值": 40, "标准": "按节点目标完成情况评分"},
                                                     {"项目": "质量安全", "分值": 35}, {"项目": "资料档案", "分值": 25}]})
    r, out = _acceptance(tmp_path, "--rubric", str(rubric))
    assert r.exit_code == 0, r.output
    city = _text(next(out.glob("*市级检查验收表.docx")))
    assert "评分细则序号评分项目分值评分标准得分1工程进度40按节点目标完成情况评分2质量安全353资料档案25合计100" in city
    assert "县（市、区）总分：　　　　　分（满分100分，按评分细则评定）" in city
    own = _text(next(out.glob("*自查自评表.docx")))
    assert "评分细则" not in own and "自评总分" in own


def test_no_rubric_is_invented(tmp_path):
    r, out = _acceptance(tmp_path)
    assert r.exit_code == 0, r.output
    city = _text(next(out.glob("*市级检查验收表.docx")))
    assert "评分细则" not in city and "满分" not in city
    assert "县（市、区）总分：　　　　　分" in city                  # the county total is the inspectors' box


def test_a_rubric_not_out_of_100_is_refused(tmp_path):
    rubric = _write(tmp_path / "r.yaml", [{"项目": "工程进度", "分值": 40}, {"项目": "质量安全", "分值": 50}])
    r, out = _acceptance(tmp_path, "--rubric", str(rubric))
    assert r.exit_code == 2, r.output
    assert "合计90分，应为100分" in r.output and "r.yaml" in r.output and "Traceback" not in r.output
    assert not out.exists()                                   # refused before anything is written
