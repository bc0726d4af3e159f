"""Issue 21.7: docs/clerk-table.md is what the tests measure on this build, not a table typed once and left to
drift. scripts/clerk_table.py measures every document kind with the tests' own checks; here the same
measurement runs on the session's build and must give the committed table, line by line."""
from __future__ import annotations

import importlib.util

import pytest

from support.office import ROOT


def _script():
    spec = importlib.util.spec_from_file_location("clerk_table", ROOT / "scripts" / "clerk_table.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.office
@pytest.mark.slow
def test_the_clerks_table_is_what_the_tests_measure(issued, tmp_path):
    script = _script()
    rows = script.measure(issued, tmp_path / "lo")
    kinds = [r[0] for r in rows]
    assert len(kinds) == len(set(kinds)) >= 17                          # every kind of the other-font test
    assert len(script.HEAD) == len(rows[0]) and {"fits", "format elements (Fandol print, gaizao PDF)"} <= set(
        script.HEAD)
    want = script.render(rows).splitlines()
    have = script.TARGET.read_text(encoding="utf-8").splitlines()
    assert have == want, "docs/clerk-table.md is stale: run python scripts/clerk_table.py\n" + "\n".join(
        f"- {a}\n+ {b}" for a, b in zip(have, want) if a != b)


def test_the_table_has_each_column_the_issue_names():
    """Issue 21.7: every kind × (fits, pages, labels, no traces, format elements, other-font print)."""
    head = " ".join(_script().HEAD)
    for column in ("fits", "pages", "label", "no internal trace", "format elements", "other-font print"):
        assert column in head, column
    text = (ROOT / "docs" / "clerk-table.md").read_text(encoding="utf-8")
    assert "| " + " | ".join(_script().HEAD) + " |" in text
