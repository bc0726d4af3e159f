"""Recording: bytes kept exactly, content-addressed, re-submissions are versions, findings of the time."""
import datetime as dt
import hashlib
import shutil

import pytest

from generator.errors import InputError, UsageError
from generator.register import Register, db

YEAR = db.Path(__file__).resolve().parents[2] / "data" / "year-2023"

PLAN = YEAR / "2023-02-24-禹州市-方案.xlsx"
MARCH = YEAR / "2023-03-31-禹州市-月报.xlsx"


def test_add_keeps_the_bytes_the_policy_and_who(tmp_path, policy2023):
    src = tmp_path / "禹州市方案.xlsx"
    shutil.copy(PLAN, src)
    before = (src.read_bytes(), src.stat().st_mtime_ns)
    reg = Register(tmp_path / "r.db")
    res = reg.add(src, received=dt.date(2023, 2, 24), by="张三", policy=policy2023)
    s = res.submission
    assert (src.read_bytes(), src.stat().st_mtime_ns) == before             # the input is never touched
    assert reg.blob(s.id) == before[0]
    assert s.sha256 == hashlib.sha256(before[0]).hexdigest()
    m = policy2023.manifest()
    assert (s.policy_id, s.policy_version, s.policy_hash) == (m["policy_id"], m["policy_version"], m["policy_hash"])
    assert (s.county, s.version, s.received, s.recorded_by, s.file_name) == ("禹州市", 1, dt.date(2023, 2, 24), "张三",
                                                                           "禹州市方案.xlsx")
    assert s.sample                                                          # the workbook says 示例数据
    rows = reg.projects(s.id)
    assert len(rows) == policy2023.policy.county("禹州市").target.projects
    assert all(r.actual_start is None for r in rows)                         # a February plan: no progress yet


def test_resubmission_is_a_new_version_and_the_same_file_twice_is_not(tmp_path, policy2023):
    reg = Register(tmp_path / "r.db")
    a = reg.add(PLAN, received=dt.date(2023, 2, 24), by="张三", policy=policy2023)
    again = reg.add(PLAN, received=dt.date(2023, 2, 24), by="李四", policy=policy2023)
    assert again.duplicate and again.submission.id == a.submission.id
    later = reg.add(PLAN, received=dt.date(2023, 3, 1), by="李四", policy=policy2023)    # sent again a week later
    assert not later.duplicate and later.submission.version == 2
    assert later.changes is not None and later.changes.changes == []
    with db.opened(reg.path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 1    # stored once
    assert [s.version for s in reg.history("禹州市")] == [1, 2]


def test_findings_of_the_time_are_stored_and_read_back(tmp_path, policy2023):
    bad = YEAR.parent / "mistakes" / "mistakes-建安区.xlsx"
    reg = Register(tmp_path / "r.db")
    res = reg.add(bad, received=dt.date(2023, 2, 27), by="张三", policy=policy2023)
    assert res.submission.errors > 0
    back = reg.findings(res.submission.id)
    assert [(f.code, f.severity, f.row, f.column, f.message, f.message_en) for f in back] == \
           [(f.code, f.severity, f.row, f.column, f.message, f.message_en) for f in res.findings]
    assert all(f.file in (None, bad.name) for f in back)          # the file as the county named it, not a temp copy


def test_county_is_checked(tmp_path, policy2023):
    reg = Register(tmp_path / "r.db")
    with pytest.raises(InputError, match="建安区"):
        reg.add(PLAN, received=dt.date(2023, 2, 24), by="张三", county="建安区", policy=policy2023)
    with pytest.raises(UsageError):
        reg.add(PLAN, received=dt.date(2023, 2, 24), by=" ", policy=policy2023)
    assert not reg.exists()                             # refused before anything is written: no register made


def test_unreadable_file_is_refused_with_its_own_name(tmp_path, policy2023):
    junk = tmp_path / "报表.xlsx"
    junk.write_bytes(b"not a workbook")
    reg = Register(tmp_path / "r.db")
    with pytest.raises(InputError) as exc:
        reg.add(junk, received=dt.date(2023, 2, 24), by="张三", policy=policy2023)
    assert "报表.xlsx" in exc.value.render() and "gaizao-register-" not in exc.value.render()


def test_bytes_from_a_web_upload(tmp_path, policy2023):
    reg = Register(tmp_path / "r.db")
    res = reg.add(MARCH.read_bytes(), file_name="upload.xlsx", received=dt.date(2023, 3, 31), by="县账号",
                  policy=policy2023)
    assert res.submission.file_name == "upload.xlsx" and reg.blob(res.submission.id) == MARCH.read_bytes()


@pytest.mark.sqlite_only("the default file ./gaizao.db")
def test_default_place_is_env_or_current_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(db.ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert Register().path == db.default_path() == db.Path("gaizao.db")
    monkeypatch.setenv(db.ENV, str(tmp_path / "x.db"))
    assert Register().path == tmp_path / "x.db"


def test_one_register_shared_by_threads(tmp_path, policy2023):
    """A web server's threads share one Register: each call has its own connection."""
    from concurrent.futures import ThreadPoolExecutor
    reg = Register(tmp_path / "r.db")
    reg.add(PLAN, received=dt.date(2023, 2, 24), by="张三", policy=policy2023)
    files = sorted(YEAR.glob("2023-0[3-6]-*-禹州市-月报.xlsx"))

    def read(_):
        return reg.status(dt.date(2023, 12, 31), policy=policy2023).city.line.projects_target

    with ThreadPoolExecutor(4) as pool:
        adds = [pool.submit(reg.add, f, received=dt.date(2023, 7, 1), by=f.stem, policy=policy2023) for f in files]
        reads = list(pool.map(read, range(8)))
        assert sorted(a.result().submission.version for a in adds) == [2, 3, 4, 5]
    assert set(reads) == {policy2023.policy.city_target.projects}
