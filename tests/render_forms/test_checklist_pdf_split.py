"""The batch PDF path lays out many forms per chunk and splits them: each file must hold its own project only."""
import re
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.ledger.reader import read_plan

# the whole module is slow: one pipeline (a county's checklists through the batch PDF path, --pdf --merge)
pytestmark = pytest.mark.slow


def test_each_project_pdf_holds_its_own_project(tmp_path, policy2023):
    plan_file = Path(__file__).resolve().parents[2] / "data" / "sample-长葛市.xlsx"
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["render", "checklists", str(plan_file), "-o", str(out), "--pdf", "--merge"])
    assert res.exit_code == 0, res.output
    plan = read_plan(plan_file, policy2023.policy)
    codes = [r.value("项目编号") for r in plan.projects]
    pdfs = {p.name: p for p in out.rglob("*.pdf")}
    merged = [p for n, p in pdfs.items() if not any(n.startswith(c) for c in codes)]
    singles = [p for n, p in pdfs.items() if any(n.startswith(c) for c in codes)]
    assert len(singles) == len(codes) == policy2023.policy.county("长葛市").target.projects
    for pdf in singles:
        reader = pypdf.PdfReader(pdf)
        assert len(reader.pages) == 1
        text = reader.pages[0].extract_text()
        own = pdf.name.split("_")[0]
        found = set(re.findall(r"|".join(map(re.escape, codes)), text))
        assert found == {own}, (pdf.name, found)
    assert len(merged) == 1 and len(pypdf.PdfReader(merged[0]).pages) == 2 + len(codes)     # cover, index, forms
