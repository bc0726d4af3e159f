"""A 对照表 row taller than a page (a long clause rewritten) continues in rows marked （续） under the repeated
header: nothing is cut off at the foot of a page, nothing runs off it (issue 8, printed by LibreOffice)."""
from __future__ import annotations

import dataclasses
import re

import pytest

from support.office import convert_to_pdf
from support.pdfgeom import off_page, pages_text

SENTENCE = "各县（市、区）要结合实际细化改造内容，明确责任单位和完成时限，确保按期完工并通过验收"


@pytest.fixture(scope="module")
def long_table(tmp_path_factory):
    from generator.diff import diff_policies
    from generator.diff.render_docx import to_docx
    from generator.policy import load_policy
    diff = diff_policies(load_policy("xuchang/2023"), load_policy("xuchang/2024-draft"))
    # a clause of some 3,000 characters rewritten: numbered sentences, so a lost or repeated one shows
    old = "".join(f"{SENTENCE}（旧{i}）。" for i in range(70))
    new = "".join(f"{SENTENCE}（新{i}）；" for i in range(70))
    row = dataclasses.replace(diff.rows[0], old=[("delete", old)], new=[("insert", new)])
    diff.rows = [row, *diff.rows[1:]]
    work = tmp_path_factory.mktemp("duizhao-long")
    path = work / "long.docx"
    path.write_bytes(to_docx(diff))
    (pdf,) = convert_to_pdf([path], work)
    return {"row": row, "pdf": pdf}


def test_long_row_fits_every_page(long_table):
    assert off_page(long_table["pdf"], 0) == []
    # margins 25 mm; page numbers 12 mm from the edge; the draft's label (示例草案) in the header above the text
    assert [o for o in off_page(long_table["pdf"], (25, 25, 10, 25))
            if not (o.kind == "char" and o.text in "示例草案" and o.bbox_mm[3] < 25)] == []


def _column_text(pdf, x0_mm: float, x1_mm: float) -> str:
    """The text of one table column over all pages, in reading order (lines of the columns side by side would
    interleave in the page's text)."""
    import pdfplumber
    pt = 72 / 25.4
    with pdfplumber.open(str(pdf)) as doc:
        return "".join((p.crop((x0_mm * pt, 0, x1_mm * pt, p.height)).extract_text() or "") for p in doc.pages)


def test_nothing_is_cut_and_pieces_are_marked(long_table):
    from generator.diff.render_docx import COLUMNS_MM
    pages = [re.sub(r"\s", "", t) for t in pages_text(long_table["pdf"])]
    left = (297 - sum(COLUMNS_MM)) / 2
    edges = [left + sum(COLUMNS_MM[:k]) for k in range(len(COLUMNS_MM) + 1)]
    for side, col in (("旧", 1), ("新", 2)):                  # every numbered sentence, once, in order
        text = re.sub(r"\s", "", _column_text(long_table["pdf"], edges[col], edges[col + 1]))
        found = [int(n) for n in re.findall(side + r"(\d+)）", text)]
        assert found == list(range(70)), side
    clause = re.sub(r"\s", "", long_table["row"].clause)
    import pdfplumber
    pt = 72 / 25.4
    with pdfplumber.open(str(long_table["pdf"])) as doc:
        first_column = [re.sub(r"\s", "", p.crop((edges[0] * pt, 0, edges[1] * pt, p.height)).extract_text() or "")
                        for p in doc.pages]
    continued = [k for k, p in enumerate(first_column) if clause + "（续）" in p]
    assert len(continued) >= 3                               # the row needed several pages
    for k in continued:                                      # each under the header row, repeated
        assert "条款原规定修改后修改说明" in pages[k]
