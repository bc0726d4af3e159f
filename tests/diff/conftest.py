"""Helpers for the diff tests: a copy of the 2023 policy to edit, and a diff as JSON records."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "diff"
POLICY_2023 = ROOT / "policies" / "xuchang" / "2023"


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a policy file of a test copy; fails loudly if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def records(old, new, **kw) -> list[dict]:
    """The JSON change records of diffing two policy refs."""
    from generator.diff import diff_policies
    from generator.policy import load_policy
    return diff_policies(load_policy(str(old)), load_policy(str(new)), **kw).to_dict()["changes"]


@pytest.fixture
def copy2023(tmp_path) -> Path:
    dst = tmp_path / "xuchang-2023-copy"
    shutil.copytree(POLICY_2023, dst)
    return dst
