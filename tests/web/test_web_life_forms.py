"""The life forms of a project's page (issue 20.3–20.5): consultations, inspections and hazards, 销号 with evidence,
completion, 竣工验收, 移交, warranty and complaints. The county records, the city verifies; every form writes
through generator.life.Life.record (the CLI's library), keeps what was typed and puts a refusal at its field.

The fixture: 禹州市's plan (data/year-2023, received 2023-02-24) lists XC01-001; the page's day is 2023-07-31.
"""
import datetime as dt
import io
import re

import pytest

from web_helpers import DATA, csrf, login, upload

YEAR = DATA / "year-2023"
D = dt.date
PID = "XC01-001"


def jpeg(pad: int = 0) -> bytes:
    """A small real JPEG; ``pad`` zero bytes inside its scan data (a large photo, still a JPEG by content)."""
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (16, 12), (120, 160, 90)).save(buf, "JPEG")
    data = buf.getvalue()
    assert data.endswith(b"\xff\xd9")
    return data[:-2] + b"\x00" * pad + b"\xff\xd9"


@pytest.fixture
def listed(web, yuzhou, clock):
    clock[0] = D(2023, 2, 24)
    assert upload(yuzhou, YEAR / "2023-02-24-禹州市-方案.xlsx").status_code == 303
    clock[0] = D(2023, 7, 31)
    return web


@pytest.fixture
def staff(listed):
    return login(listed, "staff")


def _life(web):
    from generator.life import Life
    return Life(web.extensions["gaizao"]["register"].path)


def post(client, key, pid=PID, *, file=None, **form):
    body = {"csrf": csrf(client, f"/projects/{pid}"), **form}
    if file is not None:
        body["file"] = (io.BytesIO(file[1]), file[0])
    return client.post(f"/projects/{pid}/life/{key}", data=body, content_type="multipart/form-data")


def consult(client, **form):
    return post(client, "consult", **{"subject": "改造方案", "method": "入户", "start": "2023-03-01",
                                      "day": "2023-03-10", "asked": "250", "agreed": "200", **form})


def _error_at(r, form: str, field: str) -> str:
    assert r.status_code == 400, r.status_code
    m = re.search(rf'<div class="field-error" role="alert" id="{form}-{field}-error">(.*?)</div>', r.text, re.S)
    assert m, f"no error at {form}-{field}: " + ", ".join(re.findall(r'id="([a-z-]+-error)"', r.text))
    return m.group(1)


# -- 征求意见 --------------------------------------------------------------------------------------------------
def test_the_county_records_a_consultation_and_the_page_shows_the_counts(listed, yuzhou):
    r = consult(yuzhou, typed="80%", file=("入户表.jpg", jpeg()))
    assert r.status_code == 303, r.text
    (ev,) = _life(listed).events(project=PID)
    assert ev.kind == "consultation" and ev.recorded_by == "禹州市住建局"
    assert ev.fields == {"subject": "改造方案", "method": "入户", "start": "2023-03-01", "end": "2023-03-10",
                         "asked": 250, "agreed": 200, "typed": "80%"}
    page = yuzhou.get(f"/projects/{PID}").text
    assert "改造方案，入户，2023-03-01至2023-03-10，征求250户，同意200户（80.0%），填报80%" in page
    assert f'href="/projects/{PID}/evidence/{ev.id}/0"' in page
    rows = listed.accounts.audit_rows(5, action="life-consultation")
    assert rows and PID in rows[0]["detail"]


@pytest.mark.slow
@pytest.mark.parametrize("form,field,words", [
    ({"asked": "二百五"}, "asked", "征求意见户数应为非负整数"),
    ({"asked": "0"}, "asked", "征求意见户数不能为0"),
    ({"agreed": "251"}, "agreed", "同意户数251多于征求意见户数250"),
    ({"subject": "拆迁方案"}, "subject", "征求意见事项应为"),
    ({"method": ""}, "method", "请填写征求意见方式"),
    ({"start": "2023-03-11"}, "start", "开始日期晚于结束日期"),
    ({"day": "2023-08-01"}, "day", "之后"),
    ({"day": "2023-02-30"}, "day", "日期应为日期"),
    ({"typed": "八成"}, "typed", "同意率应为百分数"),
])
def test_each_consultation_error_sits_at_its_field_and_keeps_what_was_typed(listed, yuzhou, form, field, words):
    r = consult(yuzhou, **form)
    assert words in _error_at(r, "consult", field)
    assert "--" not in _error_at(r, "consult", field)              # the page has fields, not options
    assert f'aria-describedby="consult-{field}-error"' in r.text
    if field not in ("method",):
        typed = form[field]
        tag = re.search(rf'<(input|select)[^>]*id="consult-{field}"[^>]*>', r.text).group(0)
        assert (f'value="{typed}"' in tag) or tag.startswith("<select"), tag
    other = 'value="200"' if field != "agreed" else 'value="250"'
    assert other in r.text                                           # the other fields keep what was typed
    assert _life(listed).events(project=PID) == []


# -- 巡检抽检, 隐患, 销号 ---------------------------------------------------------------------------------------
@pytest.mark.slow
def test_inspection_hazard_and_closing_with_evidence(listed, yuzhou, staff, clock):
    # no inspection yet: the hazard form says to record one first
    assert "本项目尚无巡检抽检记录" in staff.get(f"/projects/{PID}").text
    r = post(staff, "inspect", type="巡检", day="2023-07-10", inspectors="王五、赵六", projects=PID)
    assert r.status_code == 303, r.text
    (insp,) = _life(listed).events(kind="inspection")
    assert insp.project is None and insp.county == "禹州市" and insp.fields["projects"] == [PID]
    assert insp.fields["inspectors"] == ["王五", "赵六"]
    # a hazard: the deadline before the day it was found is refused at the deadline, the typed text kept
    r = post(staff, "hazard", refers_to=str(insp.id), day="2023-07-10", description="脚手架未设防护网",
             deadline="2023-07-01", responsible="某建筑公司")
    assert "整改期限2023-07-01早于发现日期2023-07-10" in _error_at(r, "hazard", "deadline")
    assert 'value="脚手架未设防护网"' in r.text
    r = post(staff, "hazard", refers_to=str(insp.id), day="2023-07-10", description="", deadline="2023-07-20",
             responsible="某建筑公司")
    assert "请填写隐患描述" in _error_at(r, "hazard", "description")
    r = post(staff, "hazard", refers_to="999999", day="2023-07-10", description="x", deadline="2023-07-20",
             responsible="某建筑公司")
    assert "所指的巡检抽检记录" in _error_at(r, "hazard", "refers_to")
    r = post(staff, "hazard", refers_to=str(insp.id), day="2023-07-10", description="脚手架未设防护网",
             deadline="2023-07-20", responsible="某建筑公司")
    assert r.status_code == 303, r.text
    (hz,) = _life(listed).events(kind="hazard")
    assert hz.refers_to == insp.id and hz.fields["deadline"] == "2023-07-20"
    # on 07-31 the hazard is open past its deadline: 已逾期 on both pages
    page = yuzhou.get(f"/projects/{PID}").text
    assert "<strong>已逾期</strong>" in page and "脚手架未设防护网" in page
    # the county closes it: evidence required, then recorded; the list of hazards to close is empty after
    r = post(yuzhou, "rectify", refers_to=str(hz.id), day="2023-07-25", note="已加设防护网")
    assert "请选择证据文件" in _error_at(r, "rectify", "file")
    assert 'value="已加设防护网"' in r.text
    r = post(yuzhou, "rectify", refers_to=str(hz.id), day="2023-07-25", note="已加设防护网",
             file=("整改后.jpg", jpeg()))
    assert r.status_code == 303, r.text
    page = yuzhou.get(f"/projects/{PID}").text
    assert "逾期销号" in page and "没有待销号的隐患" in page
    (closed,) = _life(listed).events(kind="rectified")
    assert closed.refers_to == hz.id and closed.evidence[0].type == "jpeg"
    # the inspection's evidence and events are the project's page's; the city form gets the hazards
    rows = listed.accounts.audit_rows(10)
    assert {"life-inspection", "life-hazard", "life-rectified"} <= {x["action"] for x in rows}


def test_an_inspection_of_a_project_nobody_listed_is_refused_at_the_projects(listed, staff):
    r = post(staff, "inspect", type="抽检", day="2023-07-10", inspectors="王五", projects=f"{PID},XC09-999")
    assert "XC09-999" in _error_at(r, "inspect", "projects")
    assert f'value="{PID},XC09-999"' in r.text
    r = post(staff, "inspect", type="复查", day="2023-07-10", inspectors="王五", projects=PID)
    assert "检查类型应为巡检、抽检之一" in _error_at(r, "inspect", "type")
    assert _life(listed).events(kind="inspection") == []


# -- 完工, 竣工验收, 移交, 保修, 投诉 -------------------------------------------------------------------------------
@pytest.mark.slow
def test_completion_acceptance_handover_warranty_and_a_complaint(listed, yuzhou, staff):
    assert post(yuzhou, "complete", day="2023-07-20", file=("完工照片.jpg", jpeg())).status_code == 303
    r = post(staff, "accept", day="2023-07-25", participants="建设单位、施工单位、监理单位", result="")
    assert "验收结论" in _error_at(r, "accept", "result")
    r = post(staff, "accept", day="2023-07-25", participants="", result="合格")
    assert "请填写参加验收单位和人员" in _error_at(r, "accept", "participants")
    assert post(staff, "accept", day="2023-07-25", participants="建设单位、施工单位、监理单位",
                result="合格").status_code == 303
    r = post(yuzhou, "handover", day="2023-07-26", to="业委会", unit="某物业公司")
    assert "移交对象应为物业、社区、专营单位之一" in _error_at(r, "handover", "to")
    assert post(yuzhou, "handover", day="2023-07-26", to="物业", unit="某物业公司").status_code == 303
    r = post(yuzhou, "warranty", day="2023-07-26", months="0")
    assert "保修期应大于0个月" in _error_at(r, "warranty", "months")
    r = post(yuzhou, "warranty", day="2023-07-26", months="两年")
    assert "保修期（月）应为非负整数" in _error_at(r, "warranty", "months")
    assert post(yuzhou, "warranty", day="2023-07-26", months="24", unit="某建筑公司").status_code == 303
    assert post(yuzhou, "complaint", day="2023-07-28", subject="门禁无法刷卡", **{"from": "居民来电"}).status_code == 303
    (c,) = _life(listed).events(kind="complaint")
    r = post(yuzhou, "close-complaint", refers_to=str(c.id), day="2023-07-27", result="已更换读卡器")
    assert "早于所指记录" in _error_at(r, "close-complaint", "refers_to")
    r = post(yuzhou, "close-complaint", refers_to=str(c.id), day="2023-07-29", result="")
    assert "请填写办理结果" in _error_at(r, "close-complaint", "result")
    assert post(yuzhou, "close-complaint", refers_to=str(c.id), day="2023-07-29",
                result="已更换读卡器").status_code == 303
    kinds = [e.kind for e in _life(listed).events(project=PID)]
    assert kinds == ["completed", "acceptance", "handover", "warranty", "complaint", "complaint_closed"]
    page = yuzhou.get(f"/projects/{PID}").text
    for words in ("合格，参加建设单位、施工单位、监理单位", "移交物业：某物业公司", "保修24个月，某建筑公司",
                  "门禁无法刷卡（居民来电）", "已更换读卡器", "没有待办结的投诉"):
        assert words in page, words
    assert _life(listed).project(PID).stage == "warranty"


# -- who may post what ------------------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("key,who", [("consult", "staff"), ("rectify", "staff"), ("handover", "admin"),
                                     ("complaint", "staff"), ("inspect", "yuzhou"), ("hazard", "yuzhou"),
                                     ("accept", "yuzhou")])
def test_each_form_is_for_its_role_only(listed, key, who):
    c = login(listed, who)
    r = post(c, key, day="2023-07-10")
    assert r.status_code == 403
    assert _life(listed).events(project=PID) == [] and _life(listed).events(kind="inspection") == []


@pytest.mark.slow
def test_the_pages_show_each_role_its_own_forms(listed, yuzhou, staff):
    own = yuzhou.get(f"/projects/{PID}").text
    city = staff.get(f"/projects/{PID}").text
    for key in ("consult", "complete", "handover", "warranty", "complaint"):
        assert f"/projects/{PID}/life/{key}" in own and f"/projects/{PID}/life/{key}" not in city
    for key in ("inspect", "accept"):
        assert f"/projects/{PID}/life/{key}" in city and f"/projects/{PID}/life/{key}" not in own
    assert 'value="XC01-001"' in city            # the inspection form starts with this project


@pytest.mark.slow
def test_another_county_gets_404_and_an_unknown_form_too(listed, jianan, yuzhou):
    r = consult(jianan)
    assert r.status_code == 404 and PID not in r.text
    assert post(yuzhou, "no-such-form", day="2023-07-10").status_code == 404
    assert post(yuzhou, "complaint", pid="XC09-999", day="2023-07-10", subject="x").status_code == 404
    assert _life(listed).events(project=PID) == []


def test_a_form_without_its_csrf_token_records_nothing(listed, yuzhou):
    r = yuzhou.post(f"/projects/{PID}/life/complaint", data={"day": "2023-07-10", "subject": "噪音"},
                    content_type="multipart/form-data")
    assert r.status_code == 400 and "页面已过期" in r.text
    assert _life(listed).events(project=PID) == []


@pytest.mark.slow
def test_hostile_evidence_is_refused_at_the_file_field(listed, yuzhou):
    r = post(yuzhou, "complete", day="2023-07-20", note="完工", file=("照片.jpg", b"<?php system($_GET['c']); ?>"))
    assert "不是 JPEG、PNG、PDF 或 Word" in _error_at(r, "complete", "file")
    assert 'value="完工"' in r.text and "出错后请重新选择文件" in r.text
    assert _life(listed).events(project=PID) == []


# -- evidence over the server's request limit ----------------------------------------------------------------
@pytest.mark.slow
def test_a_21_mb_photo_goes_through_the_evidence_route_and_a_workbook_of_3_mb_does_not(listed, yuzhou):
    """The test server's limit is 2 MB (--max-upload-mb 2); evidence routes take the life library's 30 MB."""
    from generator.fileio import sha256_bytes
    from generator.life import evidence
    big = jpeg(21 * 1024 * 1024)
    assert len(big) > 21 * 1024 * 1024 and listed.config["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024
    r = post(yuzhou, "complete", day="2023-07-20", file=("完工全景.jpg", big))
    assert r.status_code == 303, r.text[:500]
    (ev,) = _life(listed).events(project=PID)
    ref = ev.evidence[0]
    assert (ref.size, ref.type, ref.sha256) == (len(big), "jpeg", sha256_bytes(big))       # content-addressed
    name, data = _life(listed).evidence_bytes(ev.id, 0)
    assert data == big
    # the same bytes again under another name: stored once (the blob's address is its hash)
    from generator.register import db
    assert post(yuzhou, "complaint", day="2023-07-21", subject="噪音", file=("again.jpg", big)).status_code == 303
    with db.opened(listed.extensions["gaizao"]["register"].path, create=False) as conn:
        assert conn.execute("SELECT COUNT(*) FROM blobs WHERE sha256 = ?", (ref.sha256,)).fetchone()[0] == 1
    # a big file is still judged by its content
    r = post(yuzhou, "complete", day="2023-07-20", file=("扫描.pdf", b"%PDF-1.4\n" + b"\x00" * (21 * 1024 * 1024)))
    assert "PDF 不完整" in _error_at(r, "complete", "file")
    # over the life library's own limit: the evidence 413 page, nothing recorded
    r = post(yuzhou, "complete", day="2023-07-20", file=("巨.jpg", jpeg(evidence.MAX_BYTES + 2 * 1024 * 1024)))
    assert r.status_code == 413 and f"证据文件超过 {evidence.MAX_BYTES // 2**20} MB，未记录" in r.text
    assert len(_life(listed).events(project=PID)) == 2
    # everything else keeps the server's limit and its Chinese 413 page, in the words of workbooks
    r = upload(yuzhou, data=b"PK\x03\x04" + b"\x00" * (3 * 1024 * 1024), name="大.xlsx")
    assert r.status_code == 413 and "超过 2 MB" in r.text and "工作簿" in r.text and "证据" not in r.text


def test_waitress_lets_evidence_through_and_says_its_own_413_in_chinese():
    from generator.life import evidence
    from generator.web.server import MARGIN_BYTES, too_large_html
    html = too_large_html(16, evidence.MAX_BYTES / 2**20)
    assert "超过 16 MB" in html and f"每个不超过 {evidence.MAX_BYTES // 2**20} MB" in html
    assert MARGIN_BYTES >= 64 * 1024
