"""`gaizao diff`: exit codes, formats, the DOCX 对照表 (landscape, struck/underlined runs, fonts)."""
from __future__ import annotations

import json
import re
import zipfile
from collections import Counter

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from tests.diff.conftest import FIXTURES


def run(*args):
    return CliRunner().invoke(main, ["diff", *args], env={"COLUMNS": "300"})   # wide: no folded table cells


@pytest.mark.slow
def test_exit_0_when_identical_and_1_when_different():
    same = run("xuchang/2023", "xuchang/2023")
    assert same.exit_code == 0 and "无变化" in same.output
    different = run("xuchang/2023", "xuchang/2024-draft")
    assert different.exit_code == 1
    assert "魏都区户数由14666户调整为15000户（增加334户，+2.3%）" in different.output
    assert "参数变化 23 项，条文文字变化 4 项" in different.output      # + 改造范围 (eligibility) and its clause


def test_exit_2_on_errors_without_traceback():
    missing = run("xuchang/2023", "xuchang/1999")
    assert missing.exit_code == 2 and "找不到政策“xuchang/1999”" in missing.output
    assert "Traceback" not in missing.output
    county = run("xuchang/2023", "xuchang/2024-draft", "--county", "朝阳区")
    assert county.exit_code == 2 and "两个版本中都没有“朝阳区”" in county.output
    rev = run("xuchang/2023@no-such-rev", "xuchang/2023")
    assert rev.exit_code == 2 and "Traceback" not in rev.output


@pytest.mark.slow
def test_json_is_stable_and_documented_shape(tmp_path):
    out = tmp_path / "d.json"
    res = run("xuchang/2023", "xuchang/2024-draft", "--format", "json", "-o", str(out))
    assert res.exit_code == 1
    d = json.loads(out.read_text(encoding="utf-8"))
    assert (d["tool"], d["format"], d["kind"], d["identical"]) == ("gaizao", 1, "policy-diff", False)
    planted = yaml.safe_load((FIXTURES / "2024-draft.planted.yaml").read_text(encoding="utf-8"))
    kinds = Counter(p["kind"] for p in planted)            # the changes planted in the draft, not typed totals
    assert d["summary"] == {"params": kinds["param"], "clauses": kinds["clause"], "total": len(planted)}
    assert (d["old"]["id"], d["new"]["id"], d["new"]["label"]) == ("xuchang/2023", "xuchang/2024-draft", "示例草案")
    assert list(d["changes"][0]) == ["kind", "op", "path", "subject", "clause", "clause_display", "old_clause",
                                     "old_clause_display", "county", "old", "new", "unit", "delta", "delta_pct",
                                     "days", "ops", "explanation"]
    again = tmp_path / "again.json"
    run("xuchang/2023", "xuchang/2024-draft", "--format", "json", "-o", str(again))
    assert again.read_bytes() == out.read_bytes()


def test_english_messages():
    res = run("xiangyang/2020", "xiangyang/2023", "--format", "json", "--lang", "en")
    d = json.loads(res.output)
    ch = next(c for c in d["changes"] if c["path"] == "city_target.projects")
    assert ch["explanation"] == "city-wide projects changed from 200 to 151 (down 49, -24.5%)"


def test_markdown_table_marks_deletions_and_insertions():
    res = run("xuchang/2023", "xuchang/2024-draft", "--format", "md")
    assert res.exit_code == 1
    md = res.output
    assert "| 条款 | 原规定 | 修改后 | 修改说明 |" in md
    assert "~~14666~~" in md and "<ins>15000</ins>" in md
    assert "<ins>严格</ins>" in md


def _docx_xml(path, member="word/document.xml") -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(member).decode("utf-8")


@pytest.mark.slow
def test_docx_is_a_landscape_table_with_strike_and_underline(tmp_path):
    out = tmp_path / "对照表.docx"
    res = run("xuchang/2023", "xuchang/2024-draft", "--format", "docx", "-o", str(out))
    assert res.exit_code == 1, res.output
    xml = _docx_xml(out)
    size = re.search(r'<w:pgSz w:w="(\d+)" w:h="(\d+)" w:orient="landscape"', xml)
    assert size and int(size.group(1)) > int(size.group(2))
    assert "<w:strike/>" in xml and '<w:u w:val="single"/>' in xml
    for col in ("条款", "原规定", "修改后", "修改说明"):
        assert f"<w:t>{col}</w:t>" in xml
    assert 'w:eastAsia="仿宋_GB2312"' in xml and 'w:eastAsia="黑体"' in xml and 'w:eastAsia="方正小标宋简体"' in xml
    assert "<w:tblHeader" in xml                                     # header row repeats on every page
    # the struck run in 原规定 holds the old number, the underlined run in 修改后 the new one
    assert re.search(r"<w:strike/>.*?<w:t>14666</w:t>", xml) and re.search(r'<w:u w:val="single"/>.*?<w:t>15000</w:t>', xml)
    assert "修改条文：增加“严格”" in xml and "示例草案" in xml
    footers = [_docx_xml(out, n) for n in zipfile.ZipFile(out).namelist() if n.startswith("word/footer")]
    assert any("PAGE" in f for f in footers)
    assert 'w:eastAsia="仿宋_GB2312"' in _docx_xml(out, "word/styles.xml")


@pytest.mark.slow
def test_docx_is_deterministic_and_written_atomically(tmp_path):
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    run("xiangyang/2020", "xiangyang/2023", "--format", "docx", "-o", str(a))
    run("xiangyang/2020", "xiangyang/2023", "--format", "docx", "-o", str(b))
    assert a.read_bytes() == b.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx", "b.docx"]     # no temp files left
    from generator.render.base import docx_custom_properties
    manifest = json.loads(docx_custom_properties(a.read_bytes())["gaizao_manifest"])
    assert (manifest["old_id"], manifest["new_id"]) == ("xiangyang/2020", "xiangyang/2023")


@pytest.mark.slow
def test_county_option_in_docx(tmp_path):
    out = tmp_path / "c.docx"
    res = run("xuchang/2023", "xuchang/2024-draft", "--county", "魏都区", "--format", "docx", "-o", str(out))
    planted = yaml.safe_load((FIXTURES / "2024-draft.planted.yaml").read_text(encoding="utf-8"))
    own = [p for p in planted if p["path"].startswith("counties[魏都区]")]
    assert res.exit_code == 1 and f"参数变化 {len(own)} 项" in res.output
    xml = _docx_xml(out)
    assert "新旧对照表（魏都区）" in xml and "魏都区户数由14666户调整为15000户" in xml
    assert "禹州市项目数" not in xml
    assert "长葛市改造老旧小区" not in xml          # the clause shows only its sentences naming 魏都区
