"""YAML files other people write (a submission list, a scoring rubric, a tie decision, a contact list, the issued
lock) are read as every data file is, through policy.yamlsrc: a date that does not exist (2023-02-31) or a
malformed entry is a located error (exit 2), never a ValueError/TypeError traceback from PyYAML or the caller."""
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.errors import GaizaoError, InputError
from generator.register import Register

ROOT = Path(__file__).resolve().parents[2]
YEAR = ROOT / "data" / "year-2023"
PLAN = "2023-02-24-禹州市-方案.xlsx"


def run(*args):
    r = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in r.output and not isinstance(r.exception, (ValueError, TypeError)), r.output
    return r


def test_no_module_parses_yaml_past_the_one_reader():
    """Only policy/yamlsrc.py calls PyYAML's loaders (and policy/checks/copies.py, which reads the bundled
    neighbours' city and treats any failure as "not readable"; policy/draft/measure.py reads the bundled corpus)."""
    allowed = {"generator/policy/yamlsrc.py", "generator/policy/checks/copies.py", "generator/policy/draft/measure.py"}
    call = re.compile(r"\byaml\.(?:safe_load|load|full_load|unsafe_load|load_all|safe_load_all)\(")
    found = [f.relative_to(ROOT).as_posix() for f in sorted((ROOT / "generator").rglob("*.py"))
             if call.search(f.read_text(encoding="utf-8"))]
    assert set(found) <= allowed, sorted(set(found) - allowed)


def _list(tmp_path, body: str) -> Path:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    shutil.copy(YEAR / PLAN, folder / PLAN)
    (folder / "submissions.yaml").write_text("submissions:\n" + body, encoding="utf-8")
    return folder / "submissions.yaml"


@pytest.mark.slow
def test_a_date_that_does_not_exist_fails_its_entry_and_the_rest_is_recorded(tmp_path):
    listing = _list(tmp_path, f"- {{file: {PLAN}, county: 禹州市, received: 2023-02-31, by: 张三}}\n"
                              f"- {{file: {PLAN}, county: 禹州市, received: 2023-02-24, by: 张三}}\n")
    db = tmp_path / "r.db"
    r = run("register", "import", listing, "--db", db, "--policy", "xuchang/2023")
    assert r.exit_code == 2, r.output
    assert "#1 received" in r.output and "2023-02-31" in r.output
    assert [str(s.received) for s in Register(db).history("禹州市")] == ["2023-02-24"]


@pytest.mark.parametrize("entry, key", [
    (f"{{file: [{PLAN}], received: 2023-02-24, by: 张三}}", "file"),
    ("{file: '', received: 2023-02-24, by: 张三}", "file"),
    (f"{{file: {PLAN}, received: [2023-02-24], by: 张三}}", "received"),
    (f"{{file: {PLAN}, received: 2023-02-24, by: [张三]}}", "by"),
    (f"{{file: {PLAN}, received: 2023-02-24, by: 张三, county: {{a: 1}}}}", "county"),
])
def test_a_malformed_entry_names_itself_and_nothing_is_recorded(tmp_path, entry, key):
    listing = _list(tmp_path, f"- {{file: {PLAN}, county: 禹州市, received: 2023-02-24, by: 张三}}\n- {entry}\n")
    before = listing.read_bytes()
    db = tmp_path / "r.db"
    r = run("register", "import", listing, "--db", db, "--policy", "xuchang/2023")
    assert r.exit_code == 2, r.output
    assert "第 2 项" in r.output and key in r.output.split("第 2 项")[1]
    assert not db.exists() or Register(db).submissions() == []
    assert listing.read_bytes() == before


def test_a_list_with_a_key_twice_is_refused_at_its_line(tmp_path):
    listing = _list(tmp_path, f"- file: {PLAN}\n  received: 2023-02-24\n  received: 2023-02-25\n  by: 张三\n")
    r = run("register", "import", listing, "--db", tmp_path / "r.db", "--policy", "xuchang/2023")
    assert r.exit_code == 2 and "submissions.yaml:4" in r.output, r.output


def test_a_rubric_with_an_impossible_date_for_points_is_refused_by_name(tmp_path):
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text("- {项目: 组织领导, 分值: 2023-02-31, 标准: 按时}\n", encoding="utf-8")
    r = run("render", "acceptance", "xuchang/2023", "--round", "mid-year", "--all", "--rubric", rubric,
            "-o", tmp_path / "out")
    assert r.exit_code == 2 and "组织领导" in r.output and "2023-02-31" in r.output, r.output


def test_a_tie_decision_with_an_impossible_date_is_refused_by_name(tmp_path):
    from generator.reports.decisions import load_tie_decision
    f = tmp_path / "decision.yaml"
    f.write_text("决定机关: 市百城提质办\n决定日期: 2024-02-30\n优秀: [长葛市]\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_tie_decision(f, None)
    assert "决定日期" in exc.value.render("zh") and "2024-02-30" in exc.value.render("zh")


def test_a_contact_list_with_a_date_or_an_alias_loop_is_a_located_error(tmp_path):
    from generator.web.remind import read_contacts
    for text in ("禹州市: 2023-02-31\n", "禹州市: &a [*a]\n", "禹州市: [a@x.cn]\n禹州市: [b@x.cn]\n"):
        f = tmp_path / "contacts.yaml"
        f.write_text(text, encoding="utf-8")
        with pytest.raises(GaizaoError) as exc:
            read_contacts(f, ["禹州市"])
        assert "contacts.yaml" in exc.value.render("zh")


def test_an_issued_lock_with_a_bad_date_is_a_policy_error_at_its_line(tmp_path):
    from generator.errors import PolicyLoadError
    from generator.policy.loader import _read_lock
    f = tmp_path / "issued.lock"
    f.write_text("xuchang/2023: {version: 1.0.0, sha256: abc}\nxuchang/2023: {version: 1.0.1, sha256: def}\n",
                 encoding="utf-8")
    with pytest.raises(PolicyLoadError) as exc:
        _read_lock(f)
    assert "issued.lock:2" in exc.value.render("zh")


def test_a_list_that_is_not_there_is_said_in_the_clerks_language(tmp_path):
    r = run("register", "import", tmp_path / "清单.yaml", "--db", tmp_path / "r.db", "--policy", "xuchang/2023")
    assert r.exit_code == 2 and "清单.yaml: 无法读取：文件不存在" in r.output, r.output
    r = run("register", "import", tmp_path / "清单.yaml", "--db", tmp_path / "r.db", "--policy", "xuchang/2023",
            "--lang", "en")
    assert r.exit_code == 2 and "cannot read: no such file" in r.output, r.output
