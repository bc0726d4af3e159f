"""县级实施方案模板: the county's numbers and the sections 三（一） requires, read from the policy."""
import math

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.policy.cnfmt import pct, printed_date


def test_county_plan_docx_is_prefilled_from_the_policy(tmp_path, policy2023, read):
    p = policy2023.policy
    county = p.counties_with_target[0]
    result = CliRunner().invoke(main, ["render", "county-plan", "xuchang/2023", "--county", county.name,
                                       "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    folder = tmp_path / county.name
    docx = next(folder.glob("*.docx"))
    assert next(folder.glob("*.xlsx")).stat().st_size > 0       # the ledger workbook next to it
    text = read.docx_text(docx)
    assert f"改造老旧小区{county.target.projects}个，涉及居民{county.target.households}户" in text
    for m in p.milestones:
        total = county.target.projects if m.basis == "projects" else county.target.households
        assert printed_date(m.date, m.precision) in text
        assert str(math.ceil(m.share * total)) in text
    for d in p.deadlines:                                         # a misprinted date as corrected, no remark
        date = d.erratum.corrected if d.erratum is not None else d.date
        assert printed_date(date, d.precision) in text
    assert f"{pct(p.consent.threshold)}以上居民同意" in text
    assert f"确定联系点{county.liaison_quota.value}个" in text
    import zipfile
    comments = zipfile.ZipFile(docx).read("word/comments.xml").decode("utf-8")
    for item in p.plan_contents.items:                            # one section per required content, cited in a comment
        assert item.key in text and item.phrase in comments
    assert policy2023.text.display(p.plan_contents.clause) in comments
    assert p.document.doc_number.value in text


def test_unknown_county_lists_the_policys_counties(tmp_path, policy2023):
    result = CliRunner().invoke(main, ["render", "county-plan", "xuchang/2023", "--county", "许昌县", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "许昌县" in result.output
    assert all(c.name in result.output for c in policy2023.policy.counties)
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_all_counties(tmp_path, policy2023):
    result = CliRunner().invoke(main, ["render", "county-plan", "xuchang/2023", "--all", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(c.name for c in policy2023.policy.counties_with_target)


def test_county_plan_and_acceptance_rerender_byte_identical(tmp_path):
    def files(out):
        return {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    runs = []
    for name in ("a", "b"):
        out = tmp_path / name
        for args in (["county-plan", "xuchang/2023", "--county", "禹州市"],
                     ["acceptance", "xuchang/2023", "--round", "mid-year", "--county", "禹州市"]):
            result = CliRunner().invoke(main, ["render", *args, "-o", str(out)])
            assert result.exit_code == 0, result.output
        runs.append(files(out))
    assert runs[0].keys() == runs[1].keys() and len(runs[0]) == 6     # docx + xlsx, 2 × (docx + pdf)
    assert all(runs[0][k] == runs[1][k] for k in runs[0])
