"""The 对照表 of a real revision (issue 23.7): a clause reworded in place is one row with its changes marked, a
unit is one row, page 1 carries table rows, checked on a 青岛-like pair (tests/fixtures/diff/qingdao-like: the
real 牡丹江 2022 targets and an invented 2023 redraft) and on the real target table mudanjiang/2022."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.diff import diff_policies
from generator.diff.clauses import SIMILAR, body
from generator.diff.textdiff import similarity
from generator.policy import load_policy

PAIR = Path(__file__).resolve().parents[1] / "fixtures" / "diff" / "qingdao-like"


@pytest.fixture(scope="module")
def pair():
    old, new = load_policy(PAIR / "old"), load_policy(PAIR / "new")
    return old, new, diff_policies(old, new)


def _rows(diff, label):
    return [r for r in diff.rows if r.clause == label]


def test_a_clause_rewritten_in_place_is_one_row_with_its_marks(pair):
    old, new, diff = pair
    # the premise: 二 was rewritten so thoroughly that content matching alone would not pair it
    assert similarity(body(old.text.get("二")), body(new.text.get("二"))) < SIMILAR
    (row,) = _rows(diff, "二、改造内容")
    tags = {t for t, _ in row.old} | {t for t, _ in row.new}
    assert {"delete", "insert", "equal"} <= tags
    assert "坚持“先地下、后地上”" in "".join(t for tag, t in row.new if tag == "insert")
    assert "基础类、完善类、提升类" in "".join(t for tag, t in row.old if tag == "delete")
    assert not [c for c in diff.changes if c.kind == "clause" and c.op in ("added", "removed")
                and c.clause == "二"]
    (ch,) = [c for c in diff.changes if c.kind == "clause" and c.clause == "二"]
    assert ch.op == "changed"


def test_a_modest_rewording_marks_only_the_words_that_changed(pair):
    _, _, diff = pair
    (row,) = _rows(diff, "三、工作要求")
    assert "".join(t for tag, t in row.old if tag == "delete").count("三分之二") == 1
    assert "80%" in "".join(t for tag, t in row.new if tag == "insert")
    assert "改造前要广泛征求居民意见" in "".join(t for tag, t in row.new if tag == "equal")


def test_one_row_per_unit_in_a_text_policy(pair):
    _, _, diff = pair
    expected = {"五（二）西安区": 3, "五（三）爱民区": 3, "五（四）阳明新区": 2, "五（五）宁安市": 2}
    for label, notes in expected.items():
        (row,) = _rows(diff, label)                     # one row, not one per quantity
        assert len(row.notes) == notes, (label, row.notes)
    assert not _rows(diff, "五（一）东安区")             # unchanged: no row
    (renamed,) = _rows(diff, "五（四）阳明新区")
    assert renamed.old_text.startswith("（四）阳明区") and renamed.new_text.startswith("（四）阳明新区")


def test_one_row_per_unit_in_a_target_table():
    """mudanjiang/2022 has no clause text: each district is one row, its whole record old beside new."""
    diff = diff_policies(load_policy("mudanjiang/2022"), load_policy("mudanjiang/2023-draft"))
    rows = [r for r in diff.rows if "西安区" in r.old_text + r.new_text]
    assert len(rows) == 1
    (row,) = rows
    assert row.old_text == "西安区：户数4421户，楼栋数54栋，建筑面积31.4万㎡"
    assert row.new_text == "西安区：户数4630户，楼栋数60栋，建筑面积33.1万㎡"
    assert [t for tag, t in row.old if tag == "delete"] == ["4421", "54", "31.4"]
    assert [t for tag, t in row.new if tag == "insert"] == ["4630", "60", "33.1"]
    assert len(row.notes) == 3
    (city,) = [r for r in diff.rows if r.old_text.startswith("全市：")]
    assert len(city.notes) == 4                     # projects, households (rounding), buildings, area
    for name in ("东安区", "宁安市", "阳明区", "爱民区"):
        assert len([r for r in diff.rows if (r.old_text + r.new_text).startswith(name)]) == (0 if name == "爱民区" else 1)


def test_page_one_holds_table_rows_even_when_the_first_clause_is_long(tmp_path):
    """A first row taller than what page 1 has left below the title must not push the table to page 2."""
    from support.office import convert_to_pdf
    from support.pdfgeom import pages_text

    from generator.diff.render_docx import to_docx
    for side in ("old", "new"):
        shutil.copytree(PAIR / side, tmp_path / side)
    text = tmp_path / "new" / "text.yaml"
    long = "。".join(f"第{i}项措施：统筹推进老旧小区改造与完整社区建设，逐栋核实房屋安全状况和管线现状" for i in range(1, 13))
    t = text.read_text(encoding="utf-8").replace("各区（市）任务如下。", f"各区（市）任务如下。{long}。")
    text.write_text(t, encoding="utf-8")
    diff = diff_policies(load_policy(tmp_path / "old"), load_policy(tmp_path / "new"))
    assert diff.rows[0].clause == "一、目标任务"
    path = tmp_path / "duizhao.docx"
    path.write_bytes(to_docx(diff))
    (pdf,) = convert_to_pdf([path], tmp_path)
    pages = ["".join(p.split()) for p in pages_text(pdf)]          # pdf text spaces digits: 第 1 项
    assert "条款" in pages[0] and "全市计划改造" in pages[0]             # the first row starts on page 1
    assert "（续）" in "".join(pages[1:]) and "第12项措施" in "".join(pages[1:])   # and continues, labelled
