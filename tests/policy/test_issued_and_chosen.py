"""Which policy a command judges against, and that an issued one is what it says (issue 18 items 1 and 3, issue 23
item 3): no hidden default city; the issued hash in issued.lock holds wherever the policy is found; every judging
command says which policy it used; `policy lock`; parent: stays inside the policy folders."""
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample-禹州市.xlsx"
BUNDLED_LOCK = ROOT / "policies" / "issued.lock"
XUCHANG_HASH = "05c438d540d5"          # policies/issued.lock, xuchang/2023 (the first 12 of its sha256)


def run(*args, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], **kw)


@pytest.fixture
def nowhere(tmp_path, monkeypatch):
    """A folder with no gaizao.toml above it and no GAIZAO_POLICY: nothing names a policy."""
    assert not any((p / "gaizao.toml").exists() for p in (tmp_path, *tmp_path.parents))
    monkeypatch.delenv("GAIZAO_POLICY", raising=False)
    monkeypatch.delenv("GAIZAO_POLICIES", raising=False)
    monkeypatch.delenv("GAIZAO_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- 23.3: no hidden default city ---------------------------------------------------------------------------
def test_with_nothing_naming_a_policy_the_command_says_the_four_ways(nowhere):
    r = run("validate", SAMPLE)
    assert r.exit_code == 2 and "Traceback" not in r.output
    for way in ("--policy", "登记库", "gaizao.toml", "GAIZAO_POLICY"):
        assert way in r.output, (way, r.output)
    assert "未指定政策" in r.output
    r = run("validate", SAMPLE, "--lang", "en")
    assert r.exit_code == 2 and "no policy given" in r.output


def test_a_gaizao_toml_above_the_folder_names_the_policy(nowhere):
    (nowhere / "gaizao.toml").write_text('policy = "xuchang/2023"\n', encoding="utf-8")
    deeper = nowhere / "a" / "b"
    deeper.mkdir(parents=True)
    import os
    os.chdir(deeper)
    r = run("validate", SAMPLE)
    assert r.exit_code == 0, r.output
    assert "依据政策：许百城提质办〔2023〕3号" in r.output and XUCHANG_HASH in r.output
    assert str(nowhere / "gaizao.toml") in r.output            # and why this one


def test_the_toml_comes_before_the_environment_and_the_environment_after_nothing(nowhere, monkeypatch):
    monkeypatch.setenv("GAIZAO_POLICY", "henan/2022")
    r = run("validate", SAMPLE)
    assert "henan/2022" in r.output and "环境变量 GAIZAO_POLICY" in r.output
    (nowhere / "gaizao.toml").write_text('policy = "xuchang/2023"\n', encoding="utf-8")
    r = run("validate", SAMPLE)
    assert r.exit_code == 0 and "xuchang/2023" in r.output and "henan/2022" not in r.output
    r = run("validate", SAMPLE, "--policy", "henan/2022")      # --policy first of all
    assert "henan/2022" in r.output and "gaizao.toml" not in r.output


@pytest.mark.parametrize("text", ['policy = [1, 2]\n', 'policy = "xuchang/2023\n', "\xff\xfe"])
def test_a_broken_gaizao_toml_is_a_located_error(nowhere, text):
    (nowhere / "gaizao.toml").write_bytes(text.encode("latin-1"))
    r = run("validate", SAMPLE)
    assert r.exit_code == 2 and "gaizao.toml" in r.output and "Traceback" not in r.output


def test_the_register_names_the_policy_its_submissions_were_recorded_under(nowhere):
    db = nowhere / "r.db"
    r = run("register", "add", SAMPLE, "--db", db, "--by", "测试", "--received", "2023-02-20", "--policy",
            "xuchang/2023")
    # recorded (exit 1, not 2): the sample's 实际开工/完工 dates lie after a February receipt (V408 errors)
    assert r.exit_code == 1 and "已登记" in r.output, r.output
    r = run("register", "add", SAMPLE, "--db", db, "--by", "测试", "--received", "2023-02-21")
    assert r.exit_code == 1 and "已登记" in r.output, r.output
    assert "取自 登记库" in r.output and "xuchang/2023" in r.output


def test_register_import_follows_its_lists_policy_and_counts_what_it_recorded(nowhere):
    folder = nowhere / "year"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "禹州市.xlsx")
    (folder / "submissions.yaml").write_text(
        "policy: xuchang/2023\nsubmissions:\n"
        "- {file: 禹州市.xlsx, county: 禹州市, received: 2023-02-20, by: 测试}\n"
        "- {file: 缺失.xlsx, county: 禹州市, received: 2023-02-21, by: 测试}\n", encoding="utf-8")
    r = run("register", "import", folder / "submissions.yaml", "--db", nowhere / "r.db")
    assert "xuchang/2023" in r.output and "清单共 2 份：本次登记 1 份，已登记过 0 份，失败 1 份" in r.output, r.output
    assert "所写的 policy" in r.output                         # said as the list's choice
    r = run("register", "import", folder / "submissions.yaml", "--db", nowhere / "r.db")
    assert "本次登记 0 份，已登记过 1 份，失败 1 份" in r.output
    r = run("register", "import", folder / "submissions.yaml", "--db", nowhere / "s.db", "--policy", "henan/2022")
    assert r.exit_code == 2 and "与清单所写的 policy: xuchang/2023 不是同一政策" in r.output


# -- 18.3: an issued policy is what it says --------------------------------------------------------------------
def local_copy(folder: Path, *, threshold: str | None = None, status: str | None = None) -> Path:
    dst = folder / "policies" / "xuchang" / "2023"
    shutil.copytree(ROOT / "policies" / "xuchang" / "2023", dst)
    pf = dst / "policy.yaml"
    text = pf.read_text(encoding="utf-8")
    if threshold:
        text = text.replace("threshold: 0.8", f"threshold: {threshold}").replace("80%以上", f"{round(float(threshold) * 100)}%以上")
    if status:
        text = text.replace("status: issued", f"status: {status}", 1)
    pf.write_text(text, encoding="utf-8")
    return dst


def refused(r, folder_shown: str):
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    assert "issued.lock" in r.output and folder_shown in r.output and "拒绝使用" in r.output


def test_a_changed_issued_copy_in_the_working_folder_is_refused(nowhere):
    local_copy(nowhere, threshold="0.6")
    lock_before = BUNDLED_LOCK.read_bytes()
    refused(run("validate", SAMPLE, "--policy", "xuchang/2023"), "policies/xuchang/2023")
    refused(run("progress", SAMPLE, "--as-of", "2023-06-30", "--policy", "xuchang/2023"), "policies/xuchang/2023")
    # the same folder by path, and on GAIZAO_POLICIES from elsewhere
    refused(run("validate", SAMPLE, "--policy", nowhere / "policies" / "xuchang" / "2023"), "xuchang/2023")
    other = nowhere / "elsewhere"
    other.mkdir()
    import os
    os.chdir(other)
    r = run("validate", SAMPLE, "--policy", "xuchang/2023", env={"GAIZAO_POLICIES": str(nowhere / "policies")})
    refused(r, str(nowhere / "policies" / "xuchang" / "2023"))
    assert BUNDLED_LOCK.read_bytes() == lock_before


def test_an_unchanged_copy_is_accepted_and_named(nowhere):
    local_copy(nowhere)
    r = run("validate", SAMPLE, "--policy", "xuchang/2023")
    assert r.exit_code == 0, r.output
    assert "policies/xuchang/2023" in r.output and XUCHANG_HASH in r.output and "已印发" in r.output


def test_a_local_change_runs_only_as_a_draft_and_says_so(nowhere):
    local_copy(nowhere, threshold="0.6", status="draft")
    r = run("validate", SAMPLE, "--policy", "xuchang/2023")
    assert r.exit_code == 0, r.output
    assert "草案，未印发" in r.output and XUCHANG_HASH not in r.output


def test_json_output_names_the_policy_in_its_subject_and_nothing_else(nowhere):
    r = run("validate", SAMPLE, "--policy", "xuchang/2023", "--format", "json")
    d = json.loads(r.output)                       # no banner mixed into the JSON
    assert d["subject"]["policy_id"] == "xuchang/2023" and d["subject"]["policy_hash"].startswith(XUCHANG_HASH)


def test_policy_check_still_reads_a_changed_copy(nowhere):
    dst = local_copy(nowhere, threshold="0.6")
    r = run("policy", "check", dst, "--json")
    findings = json.loads(r.output)["findings"]
    # read and checked: warnings only (the text and the threshold were changed together), so exit 0
    assert r.exit_code == 0 and findings and not [f for f in findings if f["severity"] == "error"], r.output


# -- gaizao policy lock ------------------------------------------------------------------------------------------
def new_issued_city(folder: Path) -> Path:
    dst = folder / "policies" / "mdj" / "2022"
    shutil.copytree(ROOT / "policies" / "mudanjiang" / "2022", dst)
    pf = dst / "policy.yaml"
    pf.write_text(pf.read_text(encoding="utf-8").replace("id: mudanjiang/2022", "id: mdj/2022"), encoding="utf-8")
    return dst


def test_lock_registers_a_new_issued_policy_atomically_in_its_folders_lock(nowhere):
    new_issued_city(nowhere)
    lock = nowhere / "policies" / "issued.lock"
    lock.write_text("# 本地已印发政策\nother/2020: {version: \"1.0.0\", sha256: abc}\n", encoding="utf-8")
    r = run("validate", SAMPLE, "--policy", "mdj/2022")
    assert r.exit_code == 2 and "未在 policies/issued.lock 中登记" in r.output and "gaizao policy lock" in r.output
    r = run("policy", "lock", "mdj/2022")
    assert r.exit_code == 0 and "已登记：mdj/2022" in r.output, r.output
    text = lock.read_text(encoding="utf-8")
    assert text.startswith("# 本地已印发政策\nother/2020:") and text.count("mdj/2022:") == 1
    assert run("policy", "lock", "mdj/2022").output.startswith("已登记过，未改动")
    # a workbook of that city (许昌's sample lacks the 建筑面积（万㎡） column 牡丹江's area target asks for)
    from generator.render.samples import write_district_sample
    from generator.policy import load_policy
    book = write_district_sample(load_policy(nowhere / "policies" / "mdj" / "2022"), "东安区", nowhere, plant=False)
    r = run("validate", book, "--policy", "mdj/2022")
    assert r.exit_code != 2 and "mdj/2022" in r.output, r.output
    assert not list(lock.parent.glob("*.tmp*"))


def test_lock_refuses_a_draft_and_a_changed_issued_policy(nowhere):
    local_copy(nowhere, threshold="0.6")
    before = BUNDLED_LOCK.read_bytes()
    r = run("policy", "lock", "xuchang/2023")                  # the bundled lock rules xuchang/2023
    assert r.exit_code == 2 and "已印发的政策不得修改" in r.output
    assert BUNDLED_LOCK.read_bytes() == before
    shutil.rmtree(nowhere / "policies")
    local_copy(nowhere, status="draft")
    r = run("policy", "lock", "xuchang/2023")
    assert r.exit_code == 2 and "草案和示例不登记" in r.output


# -- 18.1: parent stays inside the policy folders ---------------------------------------------------------------
CHILD = (ROOT / "policies" / "xuchang" / "2022-example" / "policy.yaml").read_text(encoding="utf-8")


def child_with_parent(folder: Path, parent: str) -> Path:
    dst = folder / "child"
    dst.mkdir(parents=True)
    (dst / "policy.yaml").write_text(CHILD.replace("parent: henan/2022", f"parent: {parent}"), encoding="utf-8")
    return dst


@pytest.mark.parametrize("parent", ["../../../../../../../../etc/passwd", "/etc/passwd", "../../../../../etc",
                                    "/etc/hostname"])
def test_a_parent_outside_the_policy_folders_is_refused_unread(nowhere, parent):
    r = run("policy", "check", child_with_parent(nowhere, parent))
    assert r.exit_code == 2 and "不在政策文件夹内" in r.output and "Traceback" not in r.output
    assert "root:" not in r.output and "/bin/" not in r.output


def test_a_parent_that_is_not_a_policy_is_named_not_shown(nowhere):
    (nowhere / "secret.yaml").write_text("password: hunter2\ntoken: s3cr3t-value\n", encoding="utf-8")
    r = run("policy", "check", child_with_parent(nowhere, "../secret.yaml"))
    assert r.exit_code == 2 and "不是有效的政策" in r.output
    assert "hunter2" not in r.output and "s3cr3t" not in r.output and "password" not in r.output


def test_a_parent_naming_itself_at_a_git_revision_is_a_named_cycle(nowhere):
    folder = nowhere / "policies" / "x" / "2022"
    folder.mkdir(parents=True)
    (folder / "policy.yaml").write_text(
        CHILD.replace("parent: henan/2022", "parent: x/2022@HEAD").replace("id: xuchang/2022-example", "id: x/2022"),
        encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=nowhere, check=True)
    subprocess.run([*git, "add", "."], cwd=nowhere, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=nowhere, check=True)
    r = run("policy", "check", "x/2022")
    assert r.exit_code == 2 and "上级政策形成循环" in r.output and "Traceback" not in r.output
    assert "64" not in r.output


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_gaizao_toml_or_issued_lock_is_refused_not_waited_on(nowhere):
    import os
    os.mkfifo(nowhere / "gaizao.toml")
    r = run("validate", SAMPLE)
    assert r.exit_code == 2 and "不是普通文件" in r.output and "gaizao.toml" in r.output
    os.unlink(nowhere / "gaizao.toml")
    new_issued_city(nowhere)
    os.mkfifo(nowhere / "policies" / "issued.lock")
    r = run("validate", SAMPLE, "--policy", "mdj/2022")
    assert r.exit_code == 2 and "不是普通文件" in r.output and "issued.lock" in r.output
