"""Issue 18.4 and 18.8: one policy per register year, received dates guarded, database failures as exit 2
with a Chinese message, read commands read-only, a foreign SQLite file untouched, online backup restored."""
import datetime as dt
import hashlib
import sqlite3

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.register import Register, db

YEAR = db.Path(__file__).resolve().parents[2] / "data" / "year-2023"
JUNE = YEAR / "2023-06-30-禹州市-月报.xlsx"


def run(*args):
    r = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in r.output
    return r


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_received_date_typo_is_refused_unless_forced_and_then_recorded(tmp_path):
    dbfile = tmp_path / "r.db"
    for received in ("2013-07-05", "2099-07-05"):       # outside the policy year ± 1; in the future
        r = run("register", "add", JUNE, "--received", received, "--period", "2023-06", "--by", "张三", "--db", dbfile)
        assert r.exit_code == 2 and received in r.output and "--force" in r.output
    # a June report received in May: before the period it reports
    r = run("register", "add", JUNE, "--received", "2023-05-31", "--period", "2023-06", "--by", "张三", "--db", dbfile)
    assert r.exit_code == 2 and "早于所报月份" in r.output
    r = run("register", "add", JUNE, "--received", "2023-05-31", "--period", "2023-06", "--by", "张三", "--db", dbfile,
            "--force", "--format", "json")
    assert r.exit_code == 1, r.output         # recorded; the June starts typed after 05-31 are errors (V408)
    import json
    sub = json.loads(r.output)["recorded"][0]
    assert sub["submission"]["forced"] and any(f["code"] == "R204" for f in sub["findings"])


def test_a_submission_under_another_policy_is_refused_until_the_city_changes_it(tmp_path, policy2023):
    from generator.register.api import PolicyMismatch
    from generator.policy import load_policy
    reg = Register(tmp_path / "r.db")
    reg.add(JUNE, received=dt.date(2023, 6, 30), by="张三", policy=policy2023, period="2023-06")
    other = load_policy("xuchang/2024-draft")          # any other policy: one register year, one policy
    with pytest.raises(PolicyMismatch) as exc:
        reg.add(YEAR / "2023-07-31-禹州市-月报.xlsx", received=dt.date(2023, 7, 31), by="张三", policy=other,
                period="2023-07")
    assert exc.value.exit_code == 2 and "xuchang/2023" in exc.value.message
    assert len(reg.submissions()) == 1
    # status under another policy is refused too: documents never mix policies
    with pytest.raises(PolicyMismatch):
        reg.status(dt.date(2023, 7, 31), policy=other)
    reg.set_policy(other, applies_from=dt.date(2023, 7, 1), by="市百城办", note="改用修订稿")
    reg.add(YEAR / "2023-07-31-禹州市-月报.xlsx", received=dt.date(2023, 7, 31), by="张三", policy=other, period="2023-07")
    assert reg.register_policy(dt.date(2023, 7, 31))["policy_id"] == other.policy.id
    assert reg.register_policy(dt.date(2023, 6, 30))["policy_id"] == "xuchang/2023"


def test_policy_mismatch_fake(tmp_path, policy2023, monkeypatch):
    """The same refusal with a policy whose content differs only by a hash (no second policy needed)."""
    from generator.register.api import PolicyMismatch
    reg = Register(tmp_path / "r.db")
    reg.add(JUNE, received=dt.date(2023, 6, 30), by="张三", policy=policy2023, period="2023-06")
    with reg._open(create=True) as conn:
        with db.transaction(conn):
            conn.execute("INSERT INTO register_policy(policy_id, policy_version, policy_hash, applies_from, recorded_at, "
                         "recorded_by) VALUES ('xuchang/2023', '0.9', 'another-hash', '2023-07-01', 'now', '测试')")
    r = run("register", "add", YEAR / "2023-07-31-禹州市-月报.xlsx", "--received", "2023-07-31", "--period", "2023-07",
            "--by", "张三", "--db", tmp_path / "r.db", "--policy", "xuchang/2023")
    assert r.exit_code == 2 and "another-hash"[:12] in r.output and "register policy" in r.output
    with pytest.raises(PolicyMismatch):
        reg.add(YEAR / "2023-07-31-禹州市-月报.xlsx", received=dt.date(2023, 7, 31), by="张三", policy=policy2023,
                period="2023-07")


@pytest.mark.sqlite_only("another program's SQLite file (PostgreSQL: test_register_pg.py)")
def test_read_commands_leave_a_foreign_sqlite_file_untouched(tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes(text) VALUES ('someone else''s data')")
    conn.commit()
    conn.close()
    before = digest(other)
    for args in (("register", "list"), ("register", "status", "--as-of", "2023-06-30"),
                 ("register", "add", JUNE, "--received", "2023-06-30", "--by", "张三", "--period", "2023-06")):
        r = run(*args, "--db", other)
        assert r.exit_code == 2, r.output
        assert "不是 gaizao 登记库" in r.output and str(other) in r.output
    assert digest(other) == before
    assert not (tmp_path / "other.db-wal").exists() and not (tmp_path / "other.db-shm").exists()


@pytest.mark.sqlite_only("a damaged SQLite file")
def test_a_corrupt_register_is_exit_2_with_what_to_do(tmp_path, policy2023):
    dbfile = tmp_path / "r.db"
    Register(dbfile).add(JUNE, received=dt.date(2023, 6, 30), by="张三", policy=policy2023, period="2023-06")
    data = bytearray(dbfile.read_bytes())
    # checkpointed into the main file? force it, then damage a page in the middle
    conn = sqlite3.connect(dbfile)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(dbfile.read_bytes())
    for i in range(4096 * 2, min(len(data), 4096 * 6)):
        data[i] = 0xA5
    dbfile.write_bytes(bytes(data))
    r = run("register", "status", "--as-of", "2023-06-30", "--db", dbfile)
    assert r.exit_code == 2, r.output
    # the file named and the way back: the backup that `gaizao register backup` made (docs/register.md)
    assert str(dbfile) in r.output and "register backup" in r.output and "备份恢复" in r.output


@pytest.mark.sqlite_only("SQLite's read-only open of the file")
def test_read_commands_open_read_only(tmp_path, policy2023):
    dbfile = tmp_path / "r.db"
    Register(dbfile).add(JUNE, received=dt.date(2023, 6, 30), by="张三", policy=policy2023, period="2023-06")
    dbfile.chmod(0o444)
    try:
        r = run("register", "list", "--db", dbfile)
        assert r.exit_code == 0 and "禹州市" in r.output
    finally:
        dbfile.chmod(0o644)


@pytest.mark.sqlite_only("SQLite's online backup (pg_dump: test_register_pg.py)")
def test_backup_is_consistent_and_restores(tmp_path, policy2023):
    dbfile = tmp_path / "r.db"
    reg = Register(dbfile)
    reg.add(JUNE, received=dt.date(2023, 6, 30), by="张三", policy=policy2023, period="2023-06")
    reg.add(YEAR / "2023-07-31-禹州市-月报.xlsx", received=dt.date(2023, 7, 31), by="张三", policy=policy2023,
            period="2023-07")
    dest = tmp_path / "bak" / "r-backup.db"
    r = run("register", "backup", dest, "--db", dbfile)
    assert r.exit_code == 0 and dest.is_file()
    r = run("register", "backup", dest, "--db", dbfile)
    assert r.exit_code == 2                                  # never overwrites
    dbfile.unlink()
    for extra in ("r.db-wal", "r.db-shm"):
        (tmp_path / extra).unlink(missing_ok=True)
    restored = tmp_path / "restored.db"
    restored.write_bytes(dest.read_bytes())
    back = Register(restored)
    assert [s.period for s in back.submissions()] == ["2023-06", "2023-07"]
    assert back.blob(1) == JUNE.read_bytes()
    st = back.status(dt.date(2023, 7, 31), policy=policy2023)
    assert next(c for c in st.counties if c.line.county == "禹州市").line.submission == 2


def test_the_monthly_form_is_prefilled_from_the_latest_counted_report_and_reads_back(tmp_path, policy2023):
    from generator.ledger.reader import read_monthly
    dbfile = tmp_path / "r.db"
    reg = Register(dbfile)
    reg.add(JUNE, received=dt.date(2023, 6, 30), by="张三", policy=policy2023, period="2023-06")
    out = tmp_path / "7月.xlsx"
    r = run("register", "template", "禹州市", "--period", "2023-07", "-o", out, "--db", dbfile, "--policy", "xuchang/2023")
    assert r.exit_code == 0, r.output
    plan = read_monthly(out, policy2023)            # the 月报's own form (ledger/monthly.py)
    assert [x.value("项目编号") for x in plan.projects] == [p.project for p in reg.projects(1)]
    assert [str(x.value("开工日期") or "") or None for x in plan.projects] == [p.actual_start for p in reg.projects(1)]
    r = run("register", "template", "长葛市", "--period", "2023-07", "-o", tmp_path / "x.xlsx", "--db", dbfile,
            "--policy", "xuchang/2023")
    assert r.exit_code == 2 and "长葛市" in r.output


@pytest.mark.slow
def test_documents_join_the_offices_scores_and_weights_in_the_assessment(tmp_path, policy2023):
    from openpyxl import load_workbook
    dbfile = tmp_path / "r.db"
    Register(dbfile).add(JUNE, received=dt.date(2023, 6, 30), by="张三", policy=policy2023, period="2023-06")
    (tmp_path / "s.yaml").write_text("mid-year: {禹州市: 80}\nyear-end: {禹州市: 90}\n", encoding="utf-8")
    out = tmp_path / "o"

    def cell():
        path = next(out.glob("年度考核评价表*.xlsx"))
        ws = load_workbook(path).active
        row = next(r for r in ws.iter_rows(min_row=5, values_only=True) if r[0] == "禹州市")
        return row[-1]
    r = run("register", "documents", "--as-of", "2023-07-10", "--db", dbfile, "--policy", "xuchang/2023", "--no-pdf",
            "--no-kaigong", "--scores", tmp_path / "s.yaml", "-o", out)
    assert r.exit_code == 0, r.output
    assert cell() is None                             # the 2023 notice gives no weights: none invented, a blank
    assert any("综合得分留空" in n for n in r.output.splitlines())
    r = run("register", "documents", "--as-of", "2023-07-10", "--db", dbfile, "--policy", "xuchang/2023", "--no-pdf",
            "--no-kaigong", "--scores", tmp_path / "s.yaml", "--weights", "mid-year=0.4,year-end=0.6", "-o", out)
    assert r.exit_code == 0, r.output
    assert cell() == "86.00"


def test_register_words_lists_each_with_its_submissions(tmp_path, policy2023):
    import json
    dbfile = tmp_path / "r.db"
    reg = Register(dbfile)
    reg.add(JUNE, received=dt.date(2023, 6, 30), by="张三", policy=policy2023, period="2023-06")
    reg.add(YEAR / "2023-07-31-禹州市-月报.xlsx", received=dt.date(2023, 7, 31), by="张三", policy=policy2023,
            period="2023-07")
    r = run("register", "words", "--as-of", "2023-09-10", "--monthly-due-day", "5", "--db", dbfile, "--format", "json")
    assert r.exit_code == 0, r.output
    got = {(w["word"], w["period"]): w["submissions"] for w in json.loads(r.output)["words"] if w["county"] == "禹州市"}
    # June and July on time; August missing (due 09-05); July's report rewrote June's start (R101)
    assert got[("漏报", "2023-08")] == [] and got[("错报", "2023-07")] == [1, 2]
    assert not any(k[0] == "迟报" for k in got)
