"""Helpers of the web tests: accounts and passwords, logging in, CSRF tokens, uploading."""
import datetime as dt
import io
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
PASSWORDS = {"admin": "city-admin-pass-1", "staff": "city-staff-pass-1", "yuzhou": "yuzhou-pass-123",
             "jianan": "jianan-pass-123", "weidu": "weidu-pass-1234"}
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
    return client.post("/county/upload", data={"csrf": csrf(client), "kind": "plan", **form,
                                               "file": (io.BytesIO(body), name or path.name)},
                       content_type="multipart/form-data")
