"""Issue 22.3: PDFs and bundles are made by the worker pool (generator/web/jobs.py), never in a request thread:
the page answers at once with "正在生成" and reloads itself; one account has at most PER_USER documents on the
way; what is made is kept by what it is made from and served to the next asker at once."""
import threading

import pytest

from generator.web import files, jobs
from web_helpers import DATA, fetch, login, upload

YEAR = DATA / "year-2023"


@pytest.fixture
def gate(monkeypatch):
    """files.kaigong held until the test opens the gate; counts what was made."""
    opened = threading.Event()
    made = []
    real = files.kaigong

    def slow(reg, lp, sub, kind, as_of):
        made.append((sub.id, kind, as_of.isoformat()))
        assert opened.wait(60), "the gate was never opened"
        return real(reg, lp, sub, kind, as_of)
    monkeypatch.setattr(files, "kaigong", slow)
    yield opened, made
    opened.set()


@pytest.fixture
def sid(yuzhou, clock):
    import datetime as dt
    clock[0] = dt.date(2023, 7, 5)                  # the June report arrives after June
    r = upload(yuzhou, YEAR / "2023-06-30-禹州市-月报.xlsx")
    return int(r.headers["Location"].split("?")[0].rsplit("/", 1)[1])


def _pool(web) -> jobs.Pool:
    return web.extensions["gaizao"]["jobs"]


@pytest.mark.slow
def test_a_pdf_is_made_off_the_request_thread_and_downloaded_when_ready(web, yuzhou, sid, gate):
    opened, made = gate
    url = f"/submissions/{sid}/kaigong.pdf?as_of=2023-07-01"
    r = yuzhou.get(url)
    assert r.status_code == 202 and "正在生成" in r.text and r.headers["Retry-After"] == "2"
    assert '<meta http-equiv="refresh" content="2">' in r.text
    assert f'href="{url}"' in r.text.replace("&amp;", "&")              # the reload asks for the file again
    # while it is being made, the same account and others use the site as usual
    assert yuzhou.get("/county").status_code == 200
    assert login(web, "admin").get("/city").status_code == 200
    assert yuzhou.get(url).status_code == 202                             # asked again: still the one job
    opened.set()
    r = fetch(yuzhou, url)
    assert r.status_code == 200 and r.data[:5] == b"%PDF-" and "attachment" in r.headers["Content-Disposition"]
    assert made == [(sid, "pdf", "2023-07-01")]


@pytest.mark.slow
def test_one_account_has_at_most_two_documents_on_the_way(web, yuzhou, sid, gate):
    opened, made = gate
    assert jobs.PER_USER == 2
    days = ["2023-07-01", "2023-07-02", "2023-07-03"]
    answers = [yuzhou.get(f"/submissions/{sid}/kaigong.pdf?as_of={d}") for d in days]
    assert [a.status_code for a in answers] == [202, 202, 429]
    assert "您已有 2 个文件正在生成" in answers[2].text and "自动刷新" in answers[2].text
    assert len(made) <= 2
    admin = login(web, "admin")                      # another account is not held up by this one's queue
    assert admin.get(f"/submissions/{sid}/kaigong.pdf?as_of=2023-07-03").status_code == 202
    opened.set()
    for d in days:
        assert fetch(yuzhou, f"/submissions/{sid}/kaigong.pdf?as_of={d}").data[:5] == b"%PDF-"
    assert sorted(x[2] for x in made) == days                   # the admin's ask was the 3rd day's: made once


@pytest.mark.slow
def test_what_is_made_is_kept_by_its_content(web, yuzhou, sid, gate):
    opened, made = gate
    opened.set()
    url = f"/submissions/{sid}/kaigong.pdf?as_of=2023-07-01"
    first = fetch(yuzhou, url)
    again = login(web, "admin").get(url)                        # another account, later: at once, same bytes
    assert again.status_code == 200 and again.data == first.data
    assert len(made) == 1
    # the key is the content: the submission's sha256, the policy's hash, the day
    sub = web.extensions["gaizao"]["register"].get(sid)
    keys = [k for k in _pool(web).jobs if k[0] == "kaigong-pdf"]
    assert keys == [("kaigong-pdf", sub.sha256, web.extensions["gaizao"]["policy"].content_hash, "2023-07-01",
                     "禹州市", sub.version)]


@pytest.mark.slow
def test_every_download_of_a_kept_document_is_audited(web, yuzhou, sid, gate):
    gate[0].set()
    url = f"/submissions/{sid}/kaigong.pdf?as_of=2023-07-01"
    fetch(yuzhou, url)
    yuzhou.get(url)
    rows = [r for r in web.accounts.audit_rows(20, action="download") if r["detail"] == "kaigong-pdf"]
    assert len(rows) == 2 and rows[0]["sha256"] == rows[1]["sha256"]


def test_a_document_that_cannot_be_made_says_why(web, yuzhou, sid, monkeypatch):
    from generator.errors import UsageError

    def refuse(*a, **k):
        raise UsageError("无法生成：示例原因", "cannot")
    monkeypatch.setattr(files, "checklists", refuse)
    r = fetch(yuzhou, f"/submissions/{sid}/checklists-merged")
    assert r.status_code == 400 and "无法生成：示例原因" in r.text


def test_the_pool_is_bounded():
    pool = jobs.Pool(workers=1, per_user=1)
    gate = threading.Event()
    first = pool.get(("a",), 1, lambda: (gate.wait(10), ("a.pdf", b"%PDF-a"))[1])
    with pytest.raises(jobs.Busy):
        pool.get(("b",), 1, lambda: ("b.pdf", b"b"))
    other = pool.get(("b",), 2, lambda: ("b.pdf", b"%PDF-b"))      # queued behind the one worker
    assert other.state == "queued" and pool.executor._max_workers == 1
    gate.set()
    assert pool.wait(("a",)).value == ("a.pdf", b"%PDF-a") and pool.wait(("b",)).state == "done"
    assert first.state == "done"
    pool.shutdown()


@pytest.mark.slow
def test_gaizao_serve_makes_documents_in_worker_processes(web, yuzhou, sid):
    """What `gaizao serve` runs: the makers cross into a separate process (picklable partials over the register's
    path, the policy and the submission) and the PDF comes back; a GaizaoError comes back as its words."""
    pool = jobs.Pool(workers=1, per_user=2, processes=True)
    web.extensions["gaizao"]["jobs"] = pool
    try:
        r = fetch(yuzhou, f"/submissions/{sid}/kaigong.pdf?as_of=2023-07-01")
        assert r.status_code == 200 and r.data[:5] == b"%PDF-"
        from functools import partial

        from generator.errors import UsageError
        job = pool.get(("refused",), 1, partial(_refuse, "示例：无法生成"))
        job = pool.wait(("refused",))
        assert job.state == "failed" and isinstance(job.error, UsageError) and job.error.message == "示例：无法生成"
    finally:
        pool.shutdown()


def _refuse(text):
    from generator.errors import UsageError
    raise UsageError(text, "refused")
