"""The main job's plan: every document kind, dates taken from the policy."""
from pathlib import Path

import pytest

from generator.build import steps

ROOT = Path(__file__).resolve().parents[1]


def test_build_renders_every_document_kind(policy2023, tmp_path):
    plan = steps("xuchang/2023", tmp_path, ROOT / "data")
    commands = [" ".join(args[:2]) for _, args in plan]
    for expected in ("policy check", "render notice", "render county-plan", "render checklists",
                     "render acceptance", "diff xuchang/2023"):
        assert any(c.startswith(expected) for c in commands), expected
    assert any("--corrected" in args for _, args in plan)
    progress = next(args for _, args in plan if args[0] == "progress")
    completed = min(m.date for m in policy2023.policy.milestones if m.measure == "completed")
    assert progress[progress.index("--as-of") + 1] == completed.isoformat()


def _docx_text(path) -> str:
    from docx import Document
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


# office: the build prints the notice, forms and letters through LibreOffice in a new process, which the quick
# run's guard (tests/conftest.py) cannot reach; it is the whole pipeline, so it is slow too
@pytest.mark.office
def test_gaizao_build_runs_every_step_and_writes_sane_documents(policy2023, tmp_path):
    """`gaizao build` as a user runs it (a new process), into a temporary output folder, on two of the sample
    workbooks (``--data``) to keep it short: every step reports 完成, every step has its log, and the documents
    hold what the policy and the workbooks say, with sensible page counts."""
    import json
    import shutil
    import subprocess
    import sys

    from support.pdfgeom import page_count, pages_text

    from generator.ledger.reader import read_plan

    p = policy2023.policy
    data = tmp_path / "data"
    data.mkdir()
    picked = ["禹州市", "襄城县"]
    for name in picked:
        shutil.copy(ROOT / "data" / f"sample-{name}.xlsx", data)
    for year in (ROOT / "data").glob("year-*"):               # the sample year of submissions (register steps)
        shutil.copytree(year, data / year.name)
    before = {f.relative_to(data): f.read_bytes() for f in data.rglob("*") if f.is_file()}
    out = tmp_path / "out"
    res = subprocess.run([sys.executable, "-m", "generator", "build", "-o", str(out), "--data", str(data)],
                         capture_output=True, text=True, cwd=tmp_path, timeout=900)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Traceback" not in res.stdout + res.stderr

    # every planned step ran and completed, each with its log
    plan = steps("xuchang/2023", out, data)
    done = [line for line in res.stdout.splitlines() if line.startswith("[")]
    assert len(done) == len(plan), res.stdout
    for i, ((title, args), line) in enumerate(zip(plan, done), 1):
        assert line.startswith(f"[{i:02d}] {title}: 完成"), line
        log = (out / "reports" / f"{i:02d}-{args[0]}.txt").read_text(encoding="utf-8")
        assert log.startswith(f"$ gaizao {args[0]}") and "Traceback" not in log
        # diff exits 1 when versions differ; the sample year's register import/history report a rewritten report
        allowed = {"[exit 1]"} if args[0] == "diff" else (
            {"[exit 0]", "[exit 1]"} if args[:2] in (["register", "import"], ["register", "history"]) else {"[exit 0]"})
        assert log.rstrip().rsplit("\n", 1)[-1] in allowed, log[-300:]
    assert "全部完成" in res.stdout
    assert {f.relative_to(data): f.read_bytes() for f in data.rglob("*") if f.is_file()} == before   # inputs untouched

    # policy check and validation: the reports are the commands' JSON
    check = json.loads((out / "reports" / "01-policy.txt").read_text(encoding="utf-8").split("\n", 1)[1]
                       .rsplit("[exit", 1)[0])
    assert check["valid"] is True and {f["code"] for f in check["findings"]} >= {"P130", "P140"}
    validate = json.loads((out / "reports" / "05-validate.txt").read_text(encoding="utf-8").split("\n", 1)[1]
                          .rsplit("[exit", 1)[0])
    assert validate["valid"] is True and len(validate["subject"]["files"]) == len(picked)

    # the notice as printed; the corrected text (same pages) and the 更正通知 that issues the corrections (21.2)
    doc_no = p.document.doc_number.value
    notice = next((out / "notice").glob("*.pdf"))
    corrected = next((out / "notice-corrected").glob("*（勘误版）.pdf"))
    correction = next((out / "notice-corrected").glob("更正通知*.pdf"))
    assert notice.name == f"{doc_no}.pdf" and doc_no in corrected.name and doc_no in correction.name
    n_notice, n_corrected = page_count(notice), page_count(corrected)
    assert 4 <= n_notice <= 12 and n_corrected == n_notice, (n_notice, n_corrected)
    text = "".join(pages_text(notice)).replace("\n", "").replace(" ", "")
    assert doc_no in text and p.title in text and "2022年3月15日" in text
    ctext = "".join(pages_text(corrected)).replace("\n", "").replace(" ", "")
    assert "2023年3月15日" in ctext and "2022年3月15日" not in ctext
    ntext = "".join(pages_text(correction)).replace("\n", "").replace(" ", "")
    assert doc_no in ntext and "“2022年3月15日”更正为“2023年3月15日”" in ntext
    assert list((out / "notice").glob("*.docx")) and list((out / "notice-corrected").glob("*.docx"))

    # county plan templates: one DOCX + XLSX per county, with its own target
    from openpyxl import load_workbook
    for c in p.counties_with_target:
        folder = out / "county-plans" / c.name
        docx = next(folder.glob("*.docx"))
        text = _docx_text(docx)
        assert c.name in docx.name and f"{c.target.projects}个" in text and f"{c.target.households}户" in text
        wb = load_workbook(next(folder.glob("*.xlsx")))
        assert "项目清单" in wb.sheetnames

    # checklists: one DOCX and PDF per project of each workbook, the merged PDF at least one page per project
    for name in picked:
        projects = read_plan(data / f"sample-{name}.xlsx", policy2023).projects
        folder = out / "checklists" / name
        merged = next(folder.glob(f"{name}_*.pdf"))
        singles = sorted(f for f in folder.glob("*.pdf") if f != merged)
        assert len(list(folder.glob("*.docx"))) == len(singles) == len(projects)
        assert page_count(merged) >= len(projects)
        first = projects[0]
        single = next(f for f in singles if f.name.startswith(str(first.value("项目编号"))))
        assert first.value("小区名称") in "".join(pages_text(single)).replace("\n", "")
        assert name in "".join(pages_text(merged))

    # acceptance forms: each county, each round, self-check and city form, DOCX and PDF
    acceptance = out / "acceptance"
    for c in p.counties_with_target:
        for r in p.inspections.rounds:
            forms = [f for f in acceptance.glob(f"{c.name}_{r.name}*") if f.suffix == ".pdf"]
            assert len(forms) == 2, (c.name, r.name, sorted(f.name for f in acceptance.iterdir()))
            for f in forms:
                assert f.with_suffix(".docx").exists()
                # a county without a workbook gets a blank row per target project (魏都区: 190)
                assert 1 <= page_count(f) <= 2 + c.target.projects // 5, (f.name, page_count(f))
                assert c.name in "".join(pages_text(f))

    # the year's register: a 汇总表 at each milestone and at year end, a row per county with its target
    if list(data.glob("year-*")):
        days = sorted({m.date for m in p.milestones} | {p.year_end})
        for day in days:
            book = next((out / "year").glob(f"*{day.isoformat()}*.xlsx"))
            rows = [r for ws in load_workbook(book, read_only=True) for r in ws.iter_rows(values_only=True)]
            for c in p.counties_with_target:
                assert any(c.name in r and c.target.projects in r and c.target.households in r for r in rows), \
                    (book.name, c.name)

    # progress chart and the 新旧对照表
    from PIL import Image
    chart = next((out / "progress").iterdir())
    with Image.open(chart) as im:
        assert im.size[0] >= 800 and im.size[1] >= 400
    diff = next((out / "diff").glob("*.docx"))
    dtext = _docx_text(diff)
    assert "对照表" in dtext and "2024" in dtext


def test_another_citys_build_diffs_against_its_own_successor_and_skips_what_it_lacks(tmp_path):
    """牡丹江 2022: no notice text, no 许昌 sample workbooks or year; its successor is mudanjiang/2023-draft
    (its supersedes names it), never xuchang/2024-draft. What does not apply is said, and the build exits 0."""
    import subprocess
    import sys

    from generator.build import plan

    todo, skipped = plan("mudanjiang/2022", tmp_path, ROOT / "data")
    diff = next(args for _, args in todo if args[0] == "diff")
    assert diff[1:3] == ["mudanjiang/2022", "mudanjiang/2023-draft"]
    assert not any(args[:2] in (["render", "notice"], ["render", "checklists"], ["render", "acceptance"])
                   or args[0] in ("validate", "progress", "register") for _, args in todo)
    assert any(n.startswith("通知：") for n in skipped) and any("示例工作簿" in n for n in skipped)
    # a policy nothing supersedes (河南 2022) has no diff step, and says so
    todo, skipped = plan("henan/2022", tmp_path, ROOT / "data")
    assert not any(args[0] == "diff" for _, args in todo) and any(n.startswith("新旧对照表：") for n in skipped)

    res = subprocess.run([sys.executable, "-m", "generator", "build", "--policy", "mudanjiang/2022",
                          "-o", str(tmp_path / "out")], capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "跳过 通知：" in res.stdout and "全部完成" in res.stdout and "失败" not in res.stdout
    assert next((tmp_path / "out" / "diff").glob("对照表-2023-draft.docx"))


def test_plan_loads_each_policy_once_and_reads_the_sample_year_once(monkeypatch, tmp_path):
    """The plan needs the policy, every policy's ``supersedes`` (its successor) and the sample year's manifest:
    each is read once per build, the loaded policy passed along (a parent loaded for a child is the loader's)."""
    from collections import Counter

    import generator.policy as policy_pkg
    import generator.policy.loader as loader
    import generator.register.sample_year as sample_year
    from generator.build import plan

    loads, parses = Counter(), []
    real_load, real_parse = loader.load_policy, sample_year.parse_manifest

    def counting_load(ref, _chain=(), **kw):
        if not _chain:
            loads[str(ref)] += 1
        return real_load(ref, _chain, **kw)

    monkeypatch.setattr(loader, "load_policy", counting_load)
    monkeypatch.setattr(policy_pkg, "load_policy", counting_load)
    monkeypatch.setattr(sample_year, "parse_manifest", lambda path: parses.append(path) or real_parse(path))
    todo, _ = plan("xuchang/2023", tmp_path, ROOT / "data")
    assert any(args[0] == "diff" for _, args in todo) and any(args[0] == "register" for _, args in todo)
    assert loads and max(loads.values()) == 1, loads
    assert len(parses) == 1
