"""No one gets in where they don't belong: every route, tried by the wrong account."""
import re

import pytest

from web_helpers import DATA, csrf, login, upload

YEAR = DATA / "year-2023"


def _rules(app, prefix=""):
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static" and r.rule.startswith(prefix)]


def _fill(rule, **values) -> str:
    """A concrete URL of ``rule``: each <arg> from ``values``, else a plausible value."""
    def one(m):
        name = m.group(2)
        return str(values.get(name, {"kind": "xlsx", "name": "禹州市", "aid": 1}.get(name, 1)))
    return re.sub(r"<(?:(\w+):)?(\w+)>", one, rule.rule)


@pytest.fixture
def yuzhou_sub(web, yuzhou):
    r = upload(yuzhou, YEAR / "2023-02-24-禹州市-方案.xlsx")
    assert r.status_code == 303
    return int(r.headers["Location"].rsplit("/", 1)[1])


@pytest.mark.slow
def test_logged_out_every_page_sends_to_login(web):
    c = web.test_client()
    for rule in _rules(web):
        if rule.endpoint == "auth.login":
            continue
        for method in rule.methods & {"GET", "POST"}:
            r = c.open(_fill(rule), method=method)
            if method == "GET":
                assert r.status_code == 302 and r.headers["Location"].startswith("/login"), rule.rule
            else:                     # a POST without a session has no valid CSRF token either: refused first
                assert r.status_code == 400 and "页面已过期" in r.text, rule.rule


@pytest.mark.slow
def test_another_county_cannot_reach_a_submission_by_any_route(web, yuzhou_sub, jianan):
    routes = [r for r in _rules(web) if "sid" in r.arguments]
    assert len(routes) >= 5
    for rule in routes:
        kinds = {"kaigong": ["xlsx", "pdf"], "checklists": ["docx", "pdf", "merged"]}
        for kind in kinds.get(rule.endpoint.split(".")[1], ["xlsx"]):
            url = _fill(rule, sid=yuzhou_sub, kind=kind)
            if "GET" in rule.methods:
                r = jianan.get(url)
            else:                   # 撤回, 审核: with a valid token of its own session
                r = jianan.post(url, data={"csrf": csrf(jianan), "action": "accept", "reasons": "x"})
            # 404 like any number that does not exist; 403 where no county may act at all (审核, for any number)
            assert r.status_code == (403 if rule.endpoint == "workflow.review" else 404), url
            assert "禹州市" not in r.text and "2023-02-24-禹州市" not in r.text, url
    from generator.web.workflow import states
    assert states(web.extensions["gaizao"]["register"].path) == {}      # nothing withdrawn or reviewed
    # and nothing of it shows on its own pages
    assert "禹州市" not in jianan.get("/county").text
    downloads = [x for x in web.accounts.audit_rows(100, action="download") if x["submission_id"] == yuzhou_sub]
    assert downloads == []


@pytest.mark.slow
def test_the_owner_and_the_city_can_open_it(web, yuzhou_sub, yuzhou, admin):
    for client in (yuzhou, admin, login(web, "staff")):
        assert client.get(f"/submissions/{yuzhou_sub}").status_code == 200
        r = client.get(f"/submissions/{yuzhou_sub}/original")
        assert r.status_code == 200 and r.data == (YEAR / "2023-02-24-禹州市-方案.xlsx").read_bytes()


@pytest.mark.slow
def test_the_county_comes_from_the_account_never_from_the_form(web, yuzhou, jianan):
    # a form field naming another county is ignored: the workbook is 禹州市's and so is the account
    r = upload(yuzhou, YEAR / "2023-02-24-禹州市-方案.xlsx", county="建安区")
    sid = int(r.headers["Location"].rsplit("/", 1)[1])
    assert web.extensions["gaizao"]["register"].get(sid).county == "禹州市"
    # 建安区 uploading 禹州市's workbook is refused, nothing is recorded for either county
    r = upload(jianan, YEAR / "2023-02-24-禹州市-方案.xlsx")
    assert r.status_code == 400 and "不符" in r.text
    assert [s.county for s in web.extensions["gaizao"]["register"].submissions()] == ["禹州市"]


def test_a_county_cannot_use_city_pages(web, yuzhou):
    token = csrf(yuzhou)
    for rule in _rules(web, "/city"):
        url = _fill(rule)
        if "GET" in rule.methods:
            assert yuzhou.get(url).status_code == 403, url
        if "POST" in rule.methods:
            assert yuzhou.post(url, data={"csrf": token, "username": "x", "role": "admin", "password": "p" * 12,
                                          "active": "0"}).status_code == 403, url
    assert [a.username for a in web.accounts.list() if a.role == "admin"] == ["admin"]


def test_the_city_cannot_use_a_county_upload(web, admin):
    assert admin.get("/county").status_code == 403
    r = upload(admin, YEAR / "2023-02-24-禹州市-方案.xlsx")
    assert r.status_code == 403


def test_an_unknown_submission_and_an_unknown_county_are_not_found(yuzhou, admin):
    assert yuzhou.get("/submissions/999").status_code == 404
    assert admin.get("/city/county/郑州市").status_code == 404
    assert admin.get("/submissions/999/annotated.xlsx").status_code == 404
