"""A list of submissions recorded with worker processes (Register.add_all, issue 19.9) makes the register, the
lines printed and the exit code that recording them one by one in this process makes: the workers read and judge
what needs no register, this process joins, judges against the register and stores in the list's order."""
from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.register import Register, api

YEAR = Path(__file__).resolve().parents[2] / "data" / "year-2023"


def run(*args):
    r = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in r.output
    return r


def said(r) -> tuple:
    """The exit code and every line printed, the register's own name aside."""
    return r.exit_code, re.sub(r"登记库：\S+", "登记库：X", r.output)


def recorded(path) -> list:
    """Everything a submission left in the register, submission by submission in the order recorded (ids,
    versions, findings in order with their text and locations, project rows, 开工认定 facts, the bytes)."""
    reg = Register(path)
    out = []
    for s in sorted(reg.submissions(), key=lambda s: s.id):
        d = s.to_dict()
        d.pop("recorded_at", None)
        out.append((d, [f.to_dict("zh") | {"message_en": f.message_en} for f in reg.findings(s.id)],
                    reg.projects(s.id), reg.start_checks(s.id), reg.blob(s.id)))
    return out


@pytest.fixture
def in_main(monkeypatch):
    """The names of the files this process read and judged itself (none when the workers did them all)."""
    calls = []
    original = api._prepare

    def counted(source, file_name, *a, **k):
        calls.append(file_name or Path(source).name)
        return original(source, file_name, *a, **k)
    monkeypatch.setattr(api, "_prepare", counted)
    return calls


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """The temporary copies (this process's and the workers') go here: each test sees that none is left."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.mark.slow
def test_the_year_imported_with_workers_is_the_year_imported_in_one_process(tmp_path, in_main, private_tmp):
    one = run("register", "import", YEAR / "submissions.yaml", "--db", tmp_path / "one.db", "--processes", "1")
    assert len(in_main) == 55                     # this process did every file
    in_main.clear()
    two = run("register", "import", YEAR / "submissions.yaml", "--db", tmp_path / "two.db", "--processes", "2")
    assert in_main == []                          # the workers did every file
    assert said(two) == said(one)
    assert "本次登记 55 份" in two.output
    a, b = recorded(tmp_path / "one.db"), recorded(tmp_path / "two.db")
    assert len(a) == 55 and sum(len(x[1]) for x in a) > 100 and sum(len(x[2]) for x in a) > 2000
    assert [x[0] for x in b] == [x[0] for x in a]          # the same submissions, ids and versions, in the same order
    for x, y in zip(a, b):
        assert y == x, x[0]["file_name"]
    assert list(private_tmp.iterdir()) == []


def _listing(folder: Path, bad: bytes = b"PK\x03\x04 not a workbook") -> Path:
    """禹州市's plan and three months, a corrupt workbook in the middle, a repeated month (the same bytes and day:
    recorded once), the same month again on another day (a new version), a date that is no date."""
    folder.mkdir()
    names = ["2023-02-24-禹州市-方案.xlsx", "2023-03-31-禹州市-月报.xlsx", "2023-04-30-禹州市-月报.xlsx",
             "2023-05-31-禹州市-月报.xlsx"]
    for name in names:
        shutil.copy(YEAR / name, folder / name)
    (folder / "坏的-月报.xlsx").write_bytes(bad)
    (folder / "submissions.yaml").write_text(
        "policy: xuchang/2023\nsubmissions:\n"
        "- {file: 2023-02-24-禹州市-方案.xlsx, received: 2023-02-24, by: 张三, kind: 年度实施方案}\n"
        "- {file: 2023-03-31-禹州市-月报.xlsx, received: 2023-03-31, by: 张三, period: 2023-03}\n"
        "- {file: 坏的-月报.xlsx, county: 禹州市, received: 2023-04-10, by: 张三, period: 2023-03}\n"
        "- {file: 2023-04-30-禹州市-月报.xlsx, received: 2023-04-30, by: 张三, period: 2023-04}\n"
        "- {file: 2023-03-31-禹州市-月报.xlsx, received: 2023-03-31, by: 张三, period: 2023-03}\n"
        "- {file: 2023-04-30-禹州市-月报.xlsx, received: 2023-05-02, by: 李四, period: 2023-04, note: 重报}\n"
        "- {file: 2023-05-31-禹州市-月报.xlsx, received: '2023-02-31', by: 张三, period: 2023-05}\n"
        "- {file: 2023-05-31-禹州市-月报.xlsx, received: 2023-05-31, by: 张三, period: 2023-05}\n",
        encoding="utf-8")
    return folder / "submissions.yaml"


@pytest.mark.slow
@pytest.mark.parametrize("bad", [b"PK\x03\x04 not a workbook", b""], ids=["corrupt", "empty"])
def test_a_corrupt_file_midway_is_said_as_in_one_process_and_the_rest_is_recorded(tmp_path, in_main, private_tmp,
                                                                                   bad):
    listing = _listing(tmp_path / "in", bad)
    one = run("register", "import", listing, "--db", tmp_path / "one.db", "--processes", "1")
    in_main.clear()
    two = run("register", "import", listing, "--db", tmp_path / "two.db", "--processes", "2")
    assert said(two) == said(one) and two.exit_code == 2
    bad_line = [line for line in two.output.splitlines() if "坏的-月报.xlsx" in line]
    assert bad_line and "gaizao-register-" not in two.output and str(private_tmp) not in two.output
    assert in_main == ["坏的-月报.xlsx"]            # a worker failed on it: done again here, said as here
    assert "清单共 8 份：本次登记 5 份，已登记过 1 份，失败 2 份" in two.output
    a, b = recorded(tmp_path / "one.db"), recorded(tmp_path / "two.db")
    assert [(x[0]["version"], x[0]["received"], x[0]["recorded_by"]) for x in b] == \
        [(1, "2023-02-24", "张三"), (2, "2023-03-31", "张三"), (3, "2023-04-30", "张三"), (4, "2023-05-02", "李四"),
         (5, "2023-05-31", "张三")]
    assert b == a
    assert list(private_tmp.iterdir()) == []


def _die_on_april(path, digest, file_name, kw):
    """A worker killed while reading the April report (as by the OOM killer)."""
    if "04-30" in file_name:
        os._exit(9)
    return _original_worker_prepare(path, digest, file_name, kw)


_original_worker_prepare = api._worker_prepare


@pytest.mark.slow
def test_a_killed_worker_leaves_its_files_to_this_process_and_nothing_changes(tmp_path, monkeypatch, in_main,
                                                                               private_tmp):
    listing = _listing(tmp_path / "in")
    one = run("register", "import", listing, "--db", tmp_path / "one.db", "--processes", "1")
    monkeypatch.setattr(api, "_worker_prepare", _die_on_april)
    in_main.clear()
    two = run("register", "import", listing, "--db", tmp_path / "two.db", "--processes", "2")
    assert said(two) == said(one) and two.exit_code == 2
    assert "2023-05-31-禹州市-月报.xlsx" in in_main          # done here, after the pool broke
    assert recorded(tmp_path / "two.db") == recorded(tmp_path / "one.db")
    assert multiprocessing.active_children() == []
    assert list(private_tmp.iterdir()) == []


def _change_april_then_prepare(path, digest, file_name, kw):
    if "04-30" in file_name:                     # as if the county's file were replaced meanwhile, by another month
        Path(path).write_bytes((YEAR / "2023-05-31-禹州市-月报.xlsx").read_bytes())
    return _original_worker_prepare(path, digest, file_name, kw)


@pytest.mark.slow
def test_a_file_changed_after_it_was_read_is_recorded_as_read(tmp_path, monkeypatch, in_main, private_tmp,
                                                              policy2023):
    """The bytes recorded are the ones this process read; a worker that read other bytes is not believed."""
    folder = tmp_path / "in"
    folder.mkdir()
    names = ["2023-02-24-禹州市-方案.xlsx", "2023-03-31-禹州市-月报.xlsx", "2023-04-30-禹州市-月报.xlsx"]
    for name in names:
        shutil.copy(YEAR / name, folder / name)
    monkeypatch.setattr(api, "_worker_prepare", _change_april_then_prepare)
    reqs = [dict(source=folder / names[0], received=dt.date(2023, 2, 24), by="张三", policy=policy2023,
                 kind="年度实施方案"),
            dict(source=folder / names[1], received=dt.date(2023, 3, 31), by="张三", policy=policy2023,
                 period="2023-03"),
            dict(source=folder / names[2], received=dt.date(2023, 4, 30), by="张三", policy=policy2023,
                 period="2023-04")]
    reg = Register(tmp_path / "r.db")
    got = list(reg.add_all(reqs, processes=2))
    assert (folder / names[2]).read_bytes() == (YEAR / "2023-05-31-禹州市-月报.xlsx").read_bytes()
    assert [type(r).__name__ for r in got] == ["AddResult"] * 3 and in_main == [names[2]]
    assert reg.blob(got[2].submission.id) == (YEAR / names[2]).read_bytes()
    one = Register(tmp_path / "one.db")
    for r in reqs[:2]:
        one.add(**r)
    one.add(**{**reqs[2], "source": YEAR / names[2]})
    assert recorded(tmp_path / "r.db") == recorded(tmp_path / "one.db")


def _changes(res):
    """What changed against the previous submission, as said (the moment each was recorded aside)."""
    if res.changes is None:
        return None
    d = res.changes.to_dict("zh")
    for k in ("old", "new"):
        d[k].pop("recorded_at")
    return d


def test_duplicates_and_order_as_one_by_one_through_the_library(tmp_path, policy2023, private_tmp):
    """``add_all`` yields in the list's order what ``add`` one by one returns, duplicates included."""
    files = ["2023-02-24-禹州市-方案.xlsx", "2023-03-31-禹州市-月报.xlsx", "2023-03-31-禹州市-月报.xlsx",
             "2023-02-24-长葛市-方案.xlsx", "2023-04-30-禹州市-月报.xlsx"]
    days = [dt.date(2023, 2, 24), dt.date(2023, 3, 31), dt.date(2023, 3, 31), dt.date(2023, 2, 24),
            dt.date(2023, 4, 30)]
    reqs = [dict(source=YEAR / f, received=d, by="张三", policy=policy2023) for f, d in zip(files, days)]
    one = Register(tmp_path / "one.db")
    expected = [one.add(**r) for r in reqs]
    two = Register(tmp_path / "two.db")
    got = list(two.add_all(reqs, processes=2))
    assert [(r.submission.id, r.submission.county, r.submission.version, r.duplicate) for r in got] == \
        [(r.submission.id, r.submission.county, r.submission.version, r.duplicate) for r in expected] == \
        [(1, "禹州市", 1, False), (2, "禹州市", 2, False), (2, "禹州市", 2, True), (3, "长葛市", 1, False),
         (4, "禹州市", 3, False)]
    assert [r.findings for r in got] == [r.findings for r in expected]
    assert [_changes(r) for r in got] == [_changes(r) for r in expected]
    assert recorded(tmp_path / "two.db") == recorded(tmp_path / "one.db")


@pytest.mark.slow
def test_monthly_forms_read_in_workers_are_joined_here_as_add_joins_them(tmp_path, policy2023, in_main, private_tmp):
    """A 月报 in its own form: the worker reads the form, this process joins it to the county's plan."""
    from test_monthly_report import PLAN, june_rows, write
    rows = june_rows()
    july = june_rows()
    july["XC01-004"][2] = dt.date(2023, 6, 14)                 # July's report moves June's start: R101
    july["XC01-002"][2:4] = [dt.date(2023, 8, 1), 16]          # an August start in July's report: M201
    july["XC01-002"][6:] = [dt.date(2023, 6, 1)] * 5
    del july["XC01-008"]                                       # left out: carried from June (M102)
    reqs = [dict(source=PLAN, received=dt.date(2023, 2, 20), by="登记员", policy=policy2023, kind="年度实施方案",
                 today=dt.date(2024, 1, 1)),
            dict(source=write(tmp_path / "june.xlsx", rows), received=dt.date(2023, 7, 3), by="登记员",
                 policy=policy2023, today=dt.date(2024, 1, 1)),
            dict(source=write(tmp_path / "july.xlsx", july, {"报告月份": "2023-07", "报送日期": "2023-08-03"}),
                 received=dt.date(2023, 8, 3), by="登记员", policy=policy2023, today=dt.date(2024, 1, 1))]
    one = Register(tmp_path / "one.db")
    for r in reqs:
        one.add(**r)
    in_main.clear()
    got = list(Register(tmp_path / "two.db").add_all(reqs, processes=2))
    assert in_main == [] and [r.submission.period for r in got] == [None, "2023-06", "2023-07"]
    assert {"M102", "M201"} <= {f.code for f in got[2].findings} and got[2].changes.findings
    assert recorded(tmp_path / "two.db") == recorded(tmp_path / "one.db")


def test_a_short_list_or_one_process_starts_no_worker(tmp_path, policy2023, monkeypatch):
    def no_pool(*a, **k):
        raise AssertionError("a pool was started")
    monkeypatch.setattr(api._Workers, "__init__", no_pool)
    reqs = [dict(source=YEAR / f, received=dt.date(2023, 2, 24), by="张三", policy=policy2023)
            for f in ("2023-02-24-禹州市-方案.xlsx", "2023-02-24-长葛市-方案.xlsx", "2023-02-24-魏都区-方案.xlsx")]
    assert len(list(Register(tmp_path / "a.db").add_all(reqs[:2], processes=2))) == 2
    assert len(list(Register(tmp_path / "b.db").add_all(reqs, processes=1))) == 3
    scan = tmp_path / "盖章页.pdf"
    scan.write_bytes(b"%PDF-1.4 sealed")
    sealed = [dict(r, scan=scan, approved_by="王局长") for r in reqs]        # a scan is read here: nothing to hand over
    assert [r.submission.version for r in Register(tmp_path / "s.db").add_all(sealed, processes=2)] == [1, 1, 1]
    monkeypatch.delenv("GAIZAO_PROCESSES", raising=False)
    assert len(list(Register(tmp_path / "d.db").add_all(reqs))) == 3        # three small plans: not worth a pool
    assert api.batch_processes(3, None, 130_000) == 1 and api.batch_processes(3, 2, 130_000) == 2
    assert api.batch_processes(3, None, 2_000_000) == min(2, os.cpu_count() or 1)
    monkeypatch.setenv("GAIZAO_PROCESSES", "1")
    assert len(list(Register(tmp_path / "c.db").add_all(reqs))) == 3
    assert api.batch_processes(2, 2) == 1 and api.batch_processes(3, 2) == 2 and api.batch_processes(3) == 1
    monkeypatch.setenv("GAIZAO_PROCESSES", "2")
    assert api.batch_processes(3, None, 130_000) == 2                      # asked for: small files too
    monkeypatch.setenv("GAIZAO_PROCESSES", "two")
    from generator.errors import UsageError
    with pytest.raises(UsageError, match="GAIZAO_PROCESSES"):
        api.batch_processes(3)


def test_ctrl_c_midway_shuts_the_workers_down_and_removes_their_copies(tmp_path, policy2023, monkeypatch,
                                                                       private_tmp):
    original = Register._record
    seen = []

    def interrupted(self, *a, **k):
        seen.append(1)
        if len(seen) == 2:
            raise KeyboardInterrupt
        return original(self, *a, **k)
    monkeypatch.setattr(Register, "_record", interrupted)
    reqs = [dict(source=YEAR / f, received=dt.date(2023, 2, 24), by="张三", policy=policy2023)
            for f in ("2023-02-24-禹州市-方案.xlsx", "2023-02-24-长葛市-方案.xlsx", "2023-02-24-魏都区-方案.xlsx",
                      "2023-02-24-建安区-方案.xlsx", "2023-02-24-襄城县-方案.xlsx")]
    reg = Register(tmp_path / "r.db")
    with pytest.raises(KeyboardInterrupt):
        for _ in reg.add_all(reqs, processes=2):
            pass
    assert multiprocessing.active_children() == []
    assert list(private_tmp.iterdir()) == []
    assert [s.county for s in reg.submissions()] == ["禹州市"]


def test_no_process_to_be_had_records_all_here(tmp_path, policy2023, monkeypatch, in_main):
    def cannot(*a, **k):
        raise OSError(11, "Resource temporarily unavailable")
    monkeypatch.setattr(api._Workers, "__init__", cannot)
    reqs = [dict(source=YEAR / f, received=dt.date(2023, 2, 24), by="张三", policy=policy2023)
            for f in ("2023-02-24-禹州市-方案.xlsx", "2023-02-24-长葛市-方案.xlsx", "2023-02-24-魏都区-方案.xlsx")]
    got = list(Register(tmp_path / "r.db").add_all(reqs, processes=2))
    assert [r.submission.county for r in got] == ["禹州市", "长葛市", "魏都区"] and len(in_main) == 3
