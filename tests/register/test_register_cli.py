"""``gaizao register``: exit codes, JSON, no traceback, inputs untouched."""
import json
import shutil

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.register import Register, db

YEAR = db.Path(__file__).resolve().parents[2] / "data" / "year-2023"


def run(*args):
    r = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in r.output
    return r


@pytest.fixture
def dbfile(tmp_path):
    return tmp_path / "r.db"


@pytest.mark.slow
def test_add_history_changes_status_series(dbfile, tmp_path, policy2023):
    r = run("register", "add", YEAR / "2023-06-30-禹州市-月报.xlsx", "--received", "2023-06-30", "--by", "张三",
            "--db", dbfile)
    assert r.exit_code == 0, r.output
    assert "已登记 #1 禹州市 第1次报送" in r.output
    r = run("register", "add", YEAR / "2023-07-31-禹州市-月报.xlsx", "--received", "2023-07-31", "--by", "张三",
            "--db", dbfile)
    assert r.exit_code == 1 and "R101" in r.output and "2023-05-20" in r.output and "2023-07-02" in r.output
    r = run("register", "changes", "禹州市", "--db", dbfile, "--format", "json")
    assert r.exit_code == 1
    d = json.loads(r.output)
    assert [f["code"] for f in d["findings"]] == ["R101"]
    r = run("register", "history", "禹州市", "--db", dbfile, "--lang", "en")
    assert r.exit_code == 1 and "received 2023-07-31" in r.output
    r = run("register", "status", "--as-of", "2023-12-31", "--db", dbfile, "--format", "json",
            "--xlsx", tmp_path / "s.xlsx")
    assert r.exit_code == 0
    d = json.loads(r.output)
    yu = next(c for c in d["counties"] if c["county"] == "禹州市")
    # the 汇总表 written beside: a row per county of the policy with its targets, 禹州市's two submissions
    from openpyxl import load_workbook
    ws = load_workbook(tmp_path / "s.xlsx")["汇总表"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=5, values_only=True) if r[0] is not None and r[1]}
    for c in policy2023.policy.counties_with_target:
        assert rows[c.name][2:4] == (c.target.projects, c.target.households), c.name
    assert (rows["禹州市"][4], rows["禹州市"][-1]) == (yu["started"], 2)
    v = yu["verdicts"][0]
    assert (v["met_then"], v["met_now"], v["changed"], v["changed_by"]) == (True, False, True, [2])
    r = run("register", "status", "--as-of", "2023-12-31", "--db", dbfile, "--strict")
    assert r.exit_code == 1                 # counties with nothing reported missed every milestone
    r = run("register", "series", "--db", dbfile, "--format", "json")
    # a row per month for each county of the policy and one for 全市
    assert r.exit_code == 0 and len(json.loads(r.output)["rows"]) == 12 * (len(policy2023.policy.counties) + 1)


def test_show_extract_gives_back_the_exact_bytes(dbfile, tmp_path):
    src = YEAR / "2023-02-24-建安区-方案.xlsx"
    run("register", "add", src, "--received", "2023-02-24", "--by", "张三", "--db", dbfile)
    r = run("register", "show", "1", "--db", dbfile, "--extract", tmp_path / "back.xlsx")
    assert r.exit_code == 0 and "建安区" in r.output
    assert (tmp_path / "back.xlsx").read_bytes() == src.read_bytes()


@pytest.mark.sqlite_only("the message names the file")
def test_errors_exit_2_with_a_located_message(dbfile, tmp_path):
    r = run("register", "list", "--db", dbfile)
    assert r.exit_code == 2 and str(dbfile) in r.output and not dbfile.exists()      # reading never creates
    junk = tmp_path / "x.db"
    junk.write_bytes(b"garbage" * 200)
    r = run("register", "list", "--db", junk)
    assert r.exit_code == 2 and "x.db" in r.output
    good = YEAR / "2023-02-24-建安区-方案.xlsx"
    r = run("register", "add", tmp_path / "missing.xlsx", good, "--received", "2023-02-24", "--by", "张三",
            "--db", dbfile)
    assert r.exit_code == 2 and "missing.xlsx" in r.output
    assert [s.county for s in Register(dbfile).submissions()] == ["建安区"]           # the readable one is kept
    r = run("register", "add", good, "--received", "2023-02-31", "--by", "张三", "--db", dbfile)
    assert r.exit_code == 2 and "--received" in r.output
    r = run("register", "show", "99", "--db", dbfile)
    assert r.exit_code == 2 and "99" in r.output
    r = run("register", "changes", "建安区", "--db", dbfile)
    assert r.exit_code == 2                                                           # one submission: nothing to compare


def test_import_a_list(dbfile, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("2023-02-24-禹州市-方案.xlsx", "2023-03-31-禹州市-月报.xlsx"):
        shutil.copy(YEAR / name, folder / name)
    (folder / "submissions.yaml").write_text(
        "submissions:\n"
        "- {file: 2023-02-24-禹州市-方案.xlsx, county: 禹州市, received: 2023-02-24, by: 张三}\n"
        "- {file: 2023-03-31-禹州市-月报.xlsx, county: 禹州市, received: 2023-03-31, by: 张三, note: 3月}\n",
        encoding="utf-8")
    r = run("register", "import", folder / "submissions.yaml", "--db", dbfile)
    assert r.exit_code == 0, r.output
    assert [(s.version, str(s.received), s.note) for s in Register(dbfile).history("禹州市")] == \
           [(1, "2023-02-24", None), (2, "2023-03-31", "3月")]
    (folder / "bad.yaml").write_text("submissions: 3\n", encoding="utf-8")
    r = run("register", "import", folder / "bad.yaml", "--db", dbfile)
    assert r.exit_code == 2 and "bad.yaml" in r.output


def test_the_same_submission_twice_is_recorded_once_and_said_in_the_levels_word(dbfile):
    args = ("register", "add", YEAR / "2023-06-30-禹州市-月报.xlsx", "--received", "2023-06-30", "--by", "张三",
            "--db", dbfile)
    assert run(*args).exit_code == 0
    r = run(*args)
    assert r.exit_code == 0 and "已登记过（内容、县、收到日期均相同，未重复登记）" in r.output   # 县 under a city
    assert len(Register(dbfile).submissions()) == 1


def test_a_repeated_submission_under_a_province_says_its_cities(dbfile, policy2023, monkeypatch):
    """The same message under 许昌 republished as 河南省: its units are 市, not 县."""
    import generator.policy
    from support.levels import as_unit
    monkeypatch.setattr(generator.policy, "load_policy", lambda ref: as_unit(policy2023, "河南省"))
    args = ("register", "add", YEAR / "2023-06-30-禹州市-月报.xlsx", "--received", "2023-06-30", "--by", "张三",
            "--db", dbfile)
    run(*args)
    r = run(*args)
    assert "已登记过（内容、市、收到日期均相同，未重复登记）" in r.output, r.output
