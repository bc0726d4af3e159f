"""A project's life on the web (20.1/20.2): the county declares with evidence, the city verifies, both through
generator.life.Life.record; another county sees nothing; hostile evidence is refused on the page."""
import datetime as dt
import io
import struct
import zlib

import pytest

from web_helpers import DATA, csrf, login, upload

YEAR = DATA / "year-2023"
D = dt.date
PID = "XC01-001"            # the first project of 禹州市's 方案 (data/year-2023)


def png(w=1, h=1) -> bytes:
    def chunk(t, b):
        return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\x00\x00\x00" * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.fixture
def listed(web, yuzhou, clock):
    clock[0] = D(2023, 2, 24)
    assert upload(yuzhou, YEAR / "2023-02-24-禹州市-方案.xlsx").status_code == 303
    return web


def _life(web):
    from generator.life import Life
    return Life(web.extensions["gaizao"]["register"].path)


def declare(client, pid=PID, *, data=None, name="公示栏.png", **form):
    body = {"csrf": csrf(client, f"/projects/{pid}"), "criterion": "1", "day": "2023-02-24", **form}
    if data is not None:
        body["file"] = (io.BytesIO(data), name)
    return client.post(f"/projects/{pid}/declare", data=body, content_type="multipart/form-data")


def verify(client, pid=PID, **form):
    body = {"csrf": csrf(client, f"/projects/{pid}"), "criterion": "1", **form}
    return client.post(f"/projects/{pid}/verify", data=body, content_type="multipart/form-data")


@pytest.mark.slow
def test_the_county_declares_with_a_png_and_the_event_shows_with_its_file(listed, yuzhou):
    photo = png()
    r = declare(yuzhou, data=photo, name="公示栏.jpg", note="公示栏在东门")
    assert r.status_code == 303, r.text
    page = yuzhou.get(r.headers["Location"]).text
    assert "开工条件申报" in page and "公示栏在东门" in page and "禹州市住建局" in page
    assert "已申报（2023年2月24日" in page
    (ev,) = _life(listed).events(project=PID)
    assert ev.kind == "declare" and ev.fields["criterion"] == 1 and ev.recorded_by == "禹州市住建局"
    # a PNG named .jpg is kept as a PNG (judged by content); the link serves the bytes as received
    assert ev.evidence[0].name == "公示栏.jpg.png" and ev.evidence[0].type == "png"
    link = f"/projects/{PID}/evidence/{ev.id}/0"
    assert link in page
    got = yuzhou.get(link)
    assert got.status_code == 200 and got.data == photo
    rows = listed.accounts.audit_rows(20)
    assert any(x["action"] == "life-declare" and PID in x["detail"] and "条件1" in x["detail"] for x in rows)
    assert any(x["action"] == "download" and x["detail"] == "life-evidence" for x in rows)
    # the audit page shows the actions in Chinese
    admin = login(listed, "admin")
    audit_page = admin.get("/city/audit").text
    assert "开工条件申报" in audit_page and "项目证据文件" in audit_page


@pytest.mark.slow
def test_another_county_gets_404_everywhere(listed, yuzhou, jianan):
    assert declare(yuzhou, data=png()).status_code == 303
    eid = _life(listed).events(project=PID)[0].id
    assert jianan.get(f"/projects/{PID}").status_code == 404
    assert jianan.get(f"/projects/{PID}/evidence/{eid}/0").status_code == 404
    token = csrf(jianan)
    r = jianan.post(f"/projects/{PID}/declare", data={"csrf": token, "criterion": "2", "day": "2023-02-24",
                                                      "file": (io.BytesIO(png()), "x.png")},
                    content_type="multipart/form-data")
    assert r.status_code == 404 and PID not in r.text
    assert len(_life(listed).events(project=PID)) == 1
    # a 项目编号 nobody listed is not found either, and 建安区's list does not show 禹州市's
    assert yuzhou.get("/projects/NO-SUCH").status_code == 404
    assert PID not in jianan.get("/projects").text
    assert PID in yuzhou.get("/projects").text


@pytest.mark.slow
def test_roles_write_only_their_own_kind(listed, yuzhou):
    staff = login(listed, "staff")
    assert verify(yuzhou, verdict="符合", day="2023-02-24").status_code == 403      # a county does not verify
    assert declare(staff, data=png()).status_code == 403                          # the city does not declare
    assert _life(listed).events(project=PID) == []


@pytest.mark.slow
def test_the_city_verifies_not_met_and_the_start_stops_counting(listed, yuzhou, clock):
    reg = listed.extensions["gaizao"]["register"]
    clock[0] = D(2023, 6, 30)
    assert upload(yuzhou, YEAR / "2023-06-30-禹州市-月报.xlsx").status_code == 303

    def started(day):
        line = next(c for c in reg.snapshot(day).status.counties if c.line.county == "禹州市").line
        return line.started

    before = started(D(2023, 6, 30))
    assert before >= 1
    staff = login(listed, "staff")
    assert PID in staff.get("/projects?county=禹州市").text
    # 不符合 without a reason: refused at the note field, nothing recorded
    r = verify(staff, criterion="5", verdict="不符合", day="2023-06-20")
    assert r.status_code == 400 and 'id="verify-note-error"' in r.text and "写明原因" in r.text and "--note" not in r.text
    assert _life(listed).events(project=PID) == []
    r = verify(staff, criterion="5", verdict="不符合", day="2023-06-20", note="现场未见施工队伍")
    assert r.status_code == 303, r.text
    (ev,) = _life(listed).events(project=PID)
    assert ev.fields == {"criterion": 5, "verdict": "不符合", "inspector": "staff", "note": "现场未见施工队伍"}
    assert started(D(2023, 6, 30)) == before - 1
    page = staff.get(f"/projects/{PID}").text
    assert "<strong>不符合</strong>（2023年6月20日，核查人staff）：现场未见施工队伍" in page
    # the county sees the verdict on its own project's page, and has no verify form
    own = yuzhou.get(f"/projects/{PID}").text
    assert "现场未见施工队伍" in own and "记录核查结论" not in own and "申报开工条件已满足" in own
    rows = listed.accounts.audit_rows(20, action="life-verify")
    assert rows and "条件5不符合" in rows[0]["detail"]


def test_a_day_after_today_is_refused_at_the_day_field(listed, yuzhou):
    r = declare(yuzhou, data=png(), day="2023-02-25")
    assert r.status_code == 400 and 'id="declare-day-error"' in r.text and "之后" in r.text
    assert _life(listed).events(project=PID) == []


@pytest.mark.slow
@pytest.mark.parametrize("name,data,words", [
    ("假照片.png", b"<html><script>alert(1)</script></html>", "不是 JPEG、PNG、PDF 或 Word"),
    ("合照.png", png() + b"PK\x05\x06" + b"\x00" * 18, "末尾附有压缩包"),               # a PNG with a ZIP after it
    ("多.png", png() + b"extra", "结束块之后还有5字节"),
])
def test_hostile_evidence_is_refused_on_the_page(listed, yuzhou, name, data, words):
    r = declare(yuzhou, data=data, name=name)
    assert r.status_code == 400, r.status_code
    assert 'id="declare-file-error"' in r.text and words in r.text and name in r.text      # located: the file's name
    assert _life(listed).events(project=PID) == []
    rows = listed.accounts.audit_rows(5, action="life-refused")
    assert rows and rows[0]["file_name"] == name


def test_an_oversize_evidence_file_is_refused_with_the_library_message(listed, yuzhou, monkeypatch):
    from generator.life import evidence
    monkeypatch.setattr(evidence, "MAX_BYTES", 1024 * 1024)       # 1 MB: under the test app's 2 MB request limit
    r = declare(yuzhou, data=png() + b"\x00" * (1024 * 1024), name="大.png")
    assert r.status_code == 400 and "证据文件超过1 MB，不予接收" in r.text and 'id="declare-file-error"' in r.text
    # over the whole request limit (2 MB here): the 413 page in the words of evidence (the smaller limit, 1 MB),
    # never a 500, nothing recorded
    r = declare(yuzhou, data=b"\x00" * (3 * 1024 * 1024), name="巨.png")
    assert r.status_code == 413 and "证据文件超过 1 MB，未记录" in r.text and "工作簿" not in r.text
    assert _life(listed).events(project=PID) == []


def test_errors_sit_at_their_fields(listed, yuzhou):
    staff = login(listed, "staff")
    r = verify(staff, criterion="99", verdict="符合", day="2023-02-24")       # the policy has 5 criteria
    assert r.status_code == 400 and 'id="verify-criterion-error"' in r.text and "没有第99条" in r.text
    r = verify(staff, criterion="1", verdict="也许", day="2023-02-24")
    assert r.status_code == 400 and 'id="verify-verdict-error"' in r.text
    r = verify(staff, criterion="1", verdict="符合", day="2023-02-30")
    assert r.status_code == 400 and 'id="verify-day-error"' in r.text
    assert _life(listed).events(project=PID) == []


def test_the_declaration_needs_a_file(listed, yuzhou):
    r = declare(yuzhou)
    assert r.status_code == 400 and 'id="declare-file-error"' in r.text and "请选择证据文件" in r.text


def test_the_form_needs_its_csrf_token(listed, yuzhou):
    r = yuzhou.post(f"/projects/{PID}/declare", data={"criterion": "1", "day": "2023-02-24",
                                                      "file": (io.BytesIO(png()), "a.png")},
                    content_type="multipart/form-data")
    assert r.status_code == 400 and "页面已过期" in r.text
    r = yuzhou.post(f"/projects/{PID}/declare", data={"csrf": csrf(yuzhou), "criterion": "1", "day": "2023-02-24",
                                                      "file": (io.BytesIO(png()), "a.png")},
                    content_type="multipart/form-data", headers={"Origin": "https://evil.example"})
    assert r.status_code == 400
    assert _life(listed).events(project=PID) == []


@pytest.mark.slow
def test_the_submission_page_links_its_projects(listed, yuzhou):
    sid = listed.extensions["gaizao"]["register"].submissions("禹州市")[-1].id
    page = yuzhou.get("/projects").text
    assert f'href="/projects/{PID}"' in page
    assert yuzhou.get(f"/submissions/{sid}").status_code == 200
    staff = login(listed, "staff")
    assert "/projects?county=" in staff.get("/city/county/禹州市").text
    assert f'href="/projects/{PID}"' in staff.get("/projects?county=禹州市").text
    assert staff.get("/projects?county=郑州市").status_code == 404
