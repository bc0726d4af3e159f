"""Helpers of the web tests: accounts and passwords, logging in, CSRF tokens, uploading."""
import datetime as dt
import io
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
# each meets the 等保 2.0 rules (>= 8 characters, 3 of 4 classes, not common, no user name)
PASSWORDS = {"admin": "Qiang-Lu7#mf", "staff": "Bei!Shan-482", "yuzhou": "Jun-Ling#593",
             "jianan": "Tian-He@716", "weidu": "Ming-Yue$284"}
DAY = dt.date(2023, 3, 1)


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no CSRF field on the page"
    return m.group(1)


def login(app, user: str, password: str | None = None):
    c = app.test_client()
    page = c.get("/login")
    r = c.post("/login", data={"csrf": csrf_of(page.text), "username": user,
                               "password": PASSWORDS[user] if password is None else password})
    c.last = r
    return c


def csrf(client, path="/account/password") -> str:
    return csrf_of(client.get(path).text)


def upload(client, path: Path | None = None, *, data: bytes | None = None, name: str | None = None, **form):
    body = path.read_bytes() if data is None else data
    if "kind" not in form:          # the sample year's files say what they are: 2023-06-30-禹州市-月报.xlsx
        name_ = name or (path.name if path else "")
        form = {"kind": "信息月报", "period": name_[:7], **form} if "月报" in name_ else {"kind": "年度实施方案", **form}
    return client.post("/county/upload", data={"csrf": csrf(client), **form,
                                               "file": (io.BytesIO(body), name or path.name)},
                       content_type="multipart/form-data")


def fetch(client, url: str, timeout: float = 600):
    """A document the worker pool makes (generator/web/jobs.py): the "正在生成" page (202, or 429 while the
    account's other documents are made) until it is ready, then the file."""
    import time
    end = time.monotonic() + timeout
    while True:
        r = client.get(url)
        if r.status_code not in (202, 429) or time.monotonic() > end:
            return r
        assert "正在生成" in r.text or "请稍候" in r.text
        time.sleep(0.1)
