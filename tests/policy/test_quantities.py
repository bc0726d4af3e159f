"""Quantities as published (issue 11, item 1): units, decimals and comparators of a target, in the schema,
the sum check of `policy check` and the parameter diff; and the hash rule that lets such optional fields
arrive without changing any issued policy's hash."""
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.diff.params import diff_params
from generator.errors import PolicyInvalidError
from generator.policy.check import check_policy
from generator.policy.loader import load_issued_lock, load_policy

ROOT = Path(__file__).resolve().parents[2]

HEAD = """\
id: test/2023
version: "0.1.0"
status: draft
kind: targets
title: 测试
document:
  issuer: {value: 某市, clause: 目标任务}
  city: {value: 某市, clause: 目标任务}
  plan_year: {value: 2023, clause: 目标任务}
"""


def write(tmp_path, body: str, name="p.yaml") -> Path:
    f = tmp_path / name
    f.write_text(HEAD + body, encoding="utf-8")
    return f


def codes(tmp_path, body: str) -> list:
    return [(f.code, f.message) for f in check_policy(load_policy(write(tmp_path, body))).findings]


def schema_findings(tmp_path, body: str):
    with pytest.raises(PolicyInvalidError) as exc:
        load_policy(write(tmp_path, body))
    return exc.value.findings


# -- hash: a new optional field leaves issued policies alone -------------------------------------
def test_issued_hashes_are_unchanged_by_the_new_optional_fields():
    lock = load_issued_lock()
    for pid in ("xuchang/2023", "xiangyang/2020", "xiangyang/2023"):
        assert load_policy(pid).content_hash == lock[pid]["sha256"]


def test_a_set_quantity_field_does_count_in_the_hash(tmp_path):
    plain = load_policy(write(tmp_path, "city_target: {households: 100, clause: 目标任务}\ncounties: []\n", "a.yaml"))
    zero = load_policy(write(tmp_path, "city_target: {households: 100, buildings: 0, clause: 目标任务}\ncounties: []\n",
                             "b.yaml"))
    assert plain.content_hash != zero.content_hash          # 0 栋 published is not "not published"


# -- schema ------------------------------------------------------------------------------------------
def test_wan_hu_with_decimals_is_accepted_and_read_in_households(tmp_path):
    lp = load_policy(write(tmp_path, "city_target: {households: 67.13, units: {households: 万户}, clause: 目标任务}\n"
                                     "counties: []\n"))
    t = lp.policy.city_target
    assert (t.unit("households"), t.decimals("households"), t.base("households"), t.shown("households")) == \
        ("万户", 2, 671300, "67.13万户")
    assert t.slack("households") == 50


def test_decimal_households_without_wan_hu_is_refused_in_chinese_with_file_and_line(tmp_path):
    fs = schema_findings(tmp_path, "city_target:\n  households: 67.13\n  clause: 目标任务\ncounties: []\n")
    assert [f.code for f in fs] == ["P004"]
    assert "不是整数" in fs[0].message and "万户" in fs[0].message
    assert fs[0].file.endswith("p.yaml") and fs[0].line == 11


@pytest.mark.parametrize("body, words", [
    ("city_target:\n  households: 100\n  units: {households: 万栋}\n  clause: 目标任务\ncounties: []\n", "万栋"),
    ("city_target:\n  households: -5\n  clause: 目标任务\ncounties: []\n", "不能小于 0"),
    ("city_target:\n  households: 100\n  comparator: 至少\n  clause: 目标任务\ncounties: []\n", "不少于"),
    ("city_target:\n  floors: 100\n  clause: 目标任务\ncounties: []\n", "floors"),
    ("city_target:\n  area: abc\n  clause: 目标任务\ncounties: []\n", "应为数字"),
    ("city_target:\n  households: 1\n  comparator: 至少\n  clause: 目标任务\ncounties: []\n",
     "只能是 “exactly”、“不少于”或“不超过”"),
])
def test_schema_messages_are_chinese_and_located(tmp_path, body, words):
    fs = schema_findings(tmp_path, body)
    assert fs and all(f.line for f in fs), [(f.message, f.line) for f in fs]
    msg = " ".join(f.message for f in fs)
    assert words in msg
    assert not re.search(r"Input should|Value error|greater than|valid", msg), msg   # no library English


def test_one_decimal_formatter_for_check_and_diff():
    """policy check's sums and the diff's differences print a Decimal one way (generator.policy.cnfmt)."""
    from decimal import Decimal

    from generator.policy.cnfmt import decimal_text, decimal_value
    assert [decimal_text(Decimal(x)) for x in ("373.00", "0.0500", "1E+2", "-82")] == ["373", "0.05", "100", "-82"]
    assert [decimal_value(Decimal(x)) for x in ("373.00", "0.0500")] == [373, 0.05]
    assert type(decimal_value(Decimal("1E+2"))) is int


# -- sums in policy check ---------------------------------------------------------------------------
DISTRICTS = "counties:\n  - name: 甲区\n    target: {{households: {a}, clause: 目标任务}}\n" \
            "  - name: 乙区\n    target: {{households: {b}, clause: 目标任务}}\n"


def test_a_minimum_city_total_is_met_by_larger_district_sums(tmp_path):
    body = "city_target: {households: 7000, comparator: 不少于, clause: 目标任务}\n" + DISTRICTS.format(a=4000, b=3373)
    assert codes(tmp_path, body) == []
    exact = body.replace("comparator: 不少于, ", "")
    (code, msg), = codes(tmp_path, exact)
    assert code == "P102" and "与全市总数7000户不符（差+373户）" in msg
    short = body.replace("3373", "2999")
    (code, msg), = codes(tmp_path, short)
    assert code == "P102" and "不少于7000户" in msg and "差-1户" in msg


def test_a_maximum_city_total_is_broken_by_a_larger_sum(tmp_path):
    body = "city_target: {households: 7000, comparator: 不超过, clause: 目标任务}\n" + DISTRICTS.format(a=4000, b=2000)
    assert codes(tmp_path, body) == []
    assert [c for c, _ in codes(tmp_path, body.replace("2000", "3001"))] == ["P102"]


def test_sums_compare_within_the_published_precision(tmp_path):
    city = "city_target: {households: 67.13, units: {households: 万户}, clause: 目标任务}\n"
    districts = ("counties:\n  - name: 甲区\n    target: {households: 33.57, units: {households: 万户}, clause: 目标任务}\n"
                 "  - name: 乙区\n    target: {households: %s, units: {households: 万户}, clause: 目标任务}\n")
    assert codes(tmp_path, city + districts % "33.57") == []         # 67.14 vs 67.13: rounding
    (code, msg), = codes(tmp_path, city + districts % "33.61")       # 67.18: a real difference
    assert code == "P102" and "67.18万户" in msg and "67.13万户" in msg and "差+0.05万户" in msg
    # 33.60 reads as 33.6 (one decimal, ±0.05万户) unless the published precision is said
    assert codes(tmp_path, city + districts % "33.60") == []
    said = city + (districts % "33.60").replace("households: 33.6", "precision: {households: 2}, households: 33.6")
    (code, msg), = codes(tmp_path, said)
    assert code == "P102" and "乙区33.60万户" in msg


def test_exact_counts_have_no_rounding_slack(tmp_path):
    body = "city_target: {households: 7000, clause: 目标任务}\n" + DISTRICTS.format(a=4000, b=3001)
    assert [c for c, _ in codes(tmp_path, body)] == ["P102"]


def test_not_published_is_not_zero(tmp_path):
    base = "city_target: {households: 7000, clause: 目标任务}\ncounties:\n  - name: 甲区\n    target: {households: 7000, clause: 目标任务}\n"
    absent = base + "  - name: 乙区\n    target: {projects: 3, clause: 目标任务}\n"
    zero = base + "  - name: 乙区\n    target: {households: 0, projects: 3, clause: 目标任务}\n"
    assert codes(tmp_path, absent) == []                   # 乙区 not published: a partial level is not summed
    assert codes(tmp_path, zero) == []                     # 乙区 0户: summed, 7000 = 7000
    assert [c for c, _ in codes(tmp_path, zero.replace("households: 7000, clause: 目标任务}\n  - name: 乙区",
                                                        "households: 6999, clause: 目标任务}\n  - name: 乙区"))] == ["P102"]


def test_buildings_and_area_are_summed(tmp_path):
    shutil.copytree(ROOT / "policies" / "mudanjiang" / "2022", tmp_path / "mdj")
    f = tmp_path / "mdj" / "policy.yaml"
    assert check_policy(load_policy(tmp_path / "mdj")).findings == []     # 95.86 vs 95.85万㎡: rounding
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("buildings: 33, area: 20.88", "buildings: 34, area: 20.98")     # its quote too (P161)
                 .replace("东安区33栋楼、约20.88万平方米", "东安区34栋楼、约20.98万平方米"), encoding="utf-8")
    found = [(x.code, x.message) for x in check_policy(load_policy(tmp_path / "mdj")).findings]
    assert [c for c, _ in found] == ["P104", "P104"]
    assert "楼栋数之和为157栋" in found[0][1] and "全市总数156栋" in found[0][1] and "差+1栋" in found[0][1]
    f.write_text(text.replace("area: 20.88", "area: 20.98").replace("约20.88万平方米", "约20.98万平方米"), encoding="utf-8")
    (x,) = check_policy(load_policy(tmp_path / "mdj")).findings
    assert x.code == "P104" and "建筑面积之和为95.96万㎡" in x.message and "差+0.11万㎡" in x.message


@pytest.mark.parametrize("pid", ["mudanjiang/2022", "fuyang/2021"])
def test_the_real_cities_check_clean(pid):
    res = CliRunner().invoke(main, ["policy", "check", pid, "--json", "--strict"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["findings"] == []


# -- diff ----------------------------------------------------------------------------------------------
def changes(tmp_path, old: str, new: str):
    a = load_policy(write(tmp_path, old, "old.yaml")).policy
    b = load_policy(write(tmp_path, new, "new.yaml")).policy
    return diff_params(a, b, lambda c: c, lambda c: c)


def test_diff_calls_a_within_precision_difference_rounding(tmp_path):
    t = "city_target: {households: %s, units: {households: 万户}, clause: 目标任务}\ncounties: []\n"
    (ch,) = changes(tmp_path, t % "67.13", t % "67.14")
    assert ch.op == "rounding" and "舍入差异，不是调整" in ch.explanation and "67.13万户" in ch.explanation
    (ch,) = changes(tmp_path, t % "67.13", t % "67.31")
    assert ch.op == "changed" and ch.explanation == "全市户数由67.13万户调整为67.31万户（增加0.18万户，+0.3%）"
    assert changes(tmp_path, t % "67.13", t % "67.13") == []


def test_diff_sees_buildings_and_area(tmp_path):
    t = "city_target: {buildings: %s, area: %s, clause: 目标任务}\ncounties: []\n"
    chs = {c.path: c for c in changes(tmp_path, t % (156, 95.85), t % (170, 95.85))}
    assert list(chs) == ["city_target.buildings"]
    assert chs["city_target.buildings"].explanation == "全市楼栋数由156栋调整为170栋（增加14栋，+9.0%）"
    (ch,) = changes(tmp_path, t % (156, 95.85), t % (156, 96.2))
    assert ch.op == "changed" and "建筑面积由95.85万㎡调整为96.2万㎡" in ch.explanation
    (ch,) = changes(tmp_path, "city_target: {buildings: 156, clause: 目标任务}\ncounties: []\n", t % (156, 95.85))
    assert ch.op == "added" and ch.path == "city_target.area"


def test_diff_says_a_comparator_change(tmp_path):
    t = "city_target: {households: 7000, %sclause: 目标任务}\ncounties: []\n"
    (ch,) = changes(tmp_path, t % "", t % "comparator: 不少于, ")
    assert ch.op == "changed" and ch.explanation == "全市户数由7000户调整为不少于7000户"


def test_an_added_county_shows_its_quantities_as_published(tmp_path):
    old = "city_target: {buildings: 156, clause: 目标任务}\ncounties: []\n"
    new = old.replace("counties: []", "counties:\n  - name: 林口县\n    target: {buildings: 10, area: 0.5, households: 1.2, "
                                      "units: {households: 万户}, comparator: {households: 不少于}, clause: 目标任务}")
    (ch,) = changes(tmp_path, old, new)
    assert ch.op == "added" and ch.explanation == "新增林口县（户数不少于1.2万户，楼栋数10栋，建筑面积0.5万㎡）"
    assert ch.explanation_en == "added 林口县 (households at least 1.2 x10k, buildings 10, area 0.5 x10k m²)"
