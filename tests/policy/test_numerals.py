"""Chinese numerals have one home (cnfmt.cn_ordinal); expected values as official text writes them."""
import re
from pathlib import Path

import pytest

from generator.policy.cnfmt import cn_ordinal

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("n,text", [(1, "一"), (2, "二"), (9, "九"), (10, "十"), (11, "十一"), (19, "十九"),
                                    (20, "二十"), (21, "二十一"), (99, "九十九"), (100, "100"), (0, "0")])
def test_ordinal(n, text):
    assert cn_ordinal(n) == text


def test_no_other_home_spells_the_digits():
    """No module outside cnfmt carries its own table of 一二三…十 to number with (a regex class for reading
    a heading is not numbering)."""
    offenders = []
    for f in (ROOT / "generator").rglob("*.py"):
        if f.name == "cnfmt.py":
            continue
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"[\"']一二三四五六七八九十?[\"']\s*\[", line) or re.search(r"^\s*\w+\s*=\s*\"[零]?一二三四五六七八九", line):
                offenders.append(f"{f.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, offenders
