"""Issue 22.5: the workflow of a 填报系统 — 试填报 (checked, kept, never counted), the kind chosen first (a 月报
cannot become a plan by default; an error keeps what was typed), withdrawal before the city received it, the
city's 审核 (接收, 通过, 退回 with reasons and the 反馈意见函), the county's 回执 (received date and sha256), the
county's own deadlines and status, and reminders in the page."""
import datetime as dt
import hashlib
import io
import re

import pytest


from web_helpers import DATA, csrf, fetch, login, upload

YEAR = DATA / "year-2023"
PLAN = YEAR / "2023-02-24-禹州市-方案.xlsx"


def _sid(r) -> int:
    assert r.status_code == 303, r.text[:3000]
    return int(r.headers["Location"].split("?")[0].rsplit("/", 1)[1])


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def _field_error(html: str, field: str) -> str:
    m = re.search(rf'id="{field}-error"[^>]*>(.*?)</(?:p|div)>', html, re.S)
    assert m, f"no error tied to {field}"
    return re.sub(r"<[^>]+>", "", m.group(1))


# -- 试填报 -------------------------------------------------------------------------------------------
def test_a_trial_is_checked_and_kept_but_never_counts(web, yuzhou, admin):
    r = upload(yuzhou, PLAN, mode="trial")
    sid = _sid(r)
    sub = web.extensions["gaizao"]["register"].get(sid)
    assert sub.kind == "试填报"
    page = yuzhou.get(f"/submissions/{sid}").text
    assert "试填报（只检查，不计入报送和进度）" in page and "检查发现的问题" in page
    assert "撤回这份报送" not in page                               # nothing to withdraw: it never counted
    county = yuzhou.get("/county").text
    assert "最近一次正式报送</dt>\n    <dd>尚未报送" in county and "试填报，不计入" in county
    city = admin.get("/city").text
    assert "已收到报送 0 份" in city and "待接收与待审核（0）" in city
    row = re.search(r'<th scope="row"><a href="[^"]*">禹州市</a></th>(.*?)</tr>', city, re.S).group(1)
    assert "未报送" in row
    assert web.accounts.audit_rows(5, action="trial")[0]["submission_id"] == sid


def test_a_trial_needs_no_kind(web, yuzhou):
    r = upload(yuzhou, PLAN, kind="", mode="trial")
    assert _sid(r)


# -- the kind first ----------------------------------------------------------------------------------
def test_the_kind_must_be_chosen_and_the_form_keeps_what_was_typed(web, yuzhou):
    r = upload(yuzhou, PLAN, kind="", note="按反馈意见修改")
    assert r.status_code == 400 and "请先选择报送类别" in _field_error(r.text, "kind")
    assert 'value="按反馈意见修改"' in r.text
    r = upload(yuzhou, YEAR / "2023-03-31-禹州市-月报.xlsx", kind="信息月报", period="", note="三月")
    assert r.status_code == 400 and "须选择所报月份" in _field_error(r.text, "period")
    assert re.search(r'value="信息月报" checked', r.text) and 'value="三月"' in r.text
    assert 'aria-describedby="period-help period-error"' in r.text
    assert web.extensions["gaizao"]["register"].submissions() == []


def test_a_monthly_report_is_not_recorded_as_a_plan_without_asking(web, yuzhou, clock):
    clock[0] = dt.date(2023, 4, 3)
    month = YEAR / "2023-03-31-禹州市-月报.xlsx"
    r = upload(yuzhou, month, kind="年度实施方案")
    assert r.status_code == 400 and "含“月报”" in _field_error(r.text, "kind")
    assert 'name="confirm_plan"' in r.text
    assert web.extensions["gaizao"]["register"].submissions() == []
    sid = _sid(upload(yuzhou, month, kind="信息月报", period="2023-03"))
    sub = web.extensions["gaizao"]["register"].get(sid)
    assert (sub.kind, sub.period) == ("信息月报", "2023-03")
    clock[0] = dt.date(2023, 4, 4)          # another day: not the same file of the same day (recorded once)
    sid = _sid(upload(yuzhou, month, name="方案重报.xlsx", kind="年度实施方案"))      # a plan, said so
    assert web.extensions["gaizao"]["register"].get(sid).kind == "年度实施方案"
    clock[0] = dt.date(2023, 4, 5)
    r = upload(yuzhou, month, kind="年度实施方案", confirm_plan="1")
    assert web.extensions["gaizao"]["register"].get(_sid(r)).kind == "年度实施方案"


def test_register_refusals_speak_the_pages_words(web, jianan):
    r = upload(jianan, PLAN)                            # 禹州市's workbook from 建安区's account
    text = _field_error(r.text, "file")
    assert r.status_code == 400 and "与您账号所属的“建安区”不符" in text and "--" not in text


# -- withdraw ----------------------------------------------------------------------------------------
def test_a_county_withdraws_before_the_city_received_it(web, yuzhou, admin):
    sid = _sid(upload(yuzhou, PLAN))
    assert "待接收与待审核（1）" in admin.get("/city").text
    r = yuzhou.post(f"/submissions/{sid}/withdraw", data={"csrf": csrf(yuzhou)})
    assert r.status_code == 303 and r.headers["Location"].endswith("?notice=withdrawn")
    page = yuzhou.get(f"/submissions/{sid}").text
    assert "办理状态：已撤回" in page and "撤回这份报送" not in page
    city = admin.get("/city").text
    assert "已收到报送 0 份" in city and "待接收与待审核（0）" in city
    r = yuzhou.post(f"/submissions/{sid}/withdraw", data={"csrf": csrf(yuzhou)})
    assert r.status_code == 400 and "已撤回" in r.text
    row = web.accounts.audit_rows(5, action="withdrawn")[0]
    assert row["submission_id"] == sid and row["sha256"] == hashlib.sha256(PLAN.read_bytes()).hexdigest()


def test_no_withdrawal_once_the_city_received_it(web, yuzhou, admin):
    sid = _sid(upload(yuzhou, PLAN))
    assert admin.post(f"/submissions/{sid}/review", data={"csrf": csrf(admin), "action": "receive"}).status_code == 303
    assert "撤回这份报送" not in yuzhou.get(f"/submissions/{sid}").text
    r = yuzhou.post(f"/submissions/{sid}/withdraw", data={"csrf": csrf(yuzhou)})
    assert r.status_code == 400 and "已被接收，不能撤回" in _field_error(r.text, "wd")
    assert admin.post(f"/submissions/{sid}/withdraw", data={"csrf": csrf(admin)}).status_code == 403


# -- 审核 ---------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_the_city_returns_with_reasons_and_the_feedback_letter(web, admin, jianan):
    sid = _sid(upload(jianan, DATA / "mistakes" / "mistakes-建安区.xlsx"))
    r = admin.post(f"/submissions/{sid}/review", data={"csrf": csrf(admin), "action": "return", "reasons": ""})
    assert r.status_code == 400 and "退回须写明理由" in _field_error(r.text, "reasons")
    reasons = "项目清单中开工日期有误，请核实后重报"
    r = admin.post(f"/submissions/{sid}/review", data={"csrf": csrf(admin), "action": "return", "reasons": reasons})
    assert r.status_code == 303
    page = jianan.get(f"/submissions/{sid}").text
    assert "办理状态：已退回" in page and reasons in page
    letter = jianan.get(f"/submissions/{sid}/letter.pdf")
    assert letter.status_code == 200 and letter.data[:5] == b"%PDF-"
    text = re.sub(r"\s", "", _text(letter.data))
    assert "反馈意见函" in text and reasons in text
    found = [f for f in web.extensions["gaizao"]["register"].findings(sid) if f.severity.value == "error"]
    assert found and re.sub(r"\s", "", found[0].message)[:12] in text
    dash = jianan.get("/county").text
    assert "已被市级退回" in dash and reasons in dash               # the reminder on the county's own page
    r = admin.post(f"/submissions/{sid}/review", data={"csrf": csrf(admin), "action": "accept"})
    assert r.status_code == 400 and "已审核" in r.text
    actions = [x["action"] for x in web.accounts.audit_rows(10)]
    assert "returned" in actions and "received" not in actions     # 退回 receives implicitly, audited once


@pytest.mark.slow
def test_the_city_accepts(web, admin, yuzhou):
    sid = _sid(upload(yuzhou, PLAN))
    assert admin.post(f"/submissions/{sid}/review", data={"csrf": csrf(admin), "action": "accept"}).status_code == 303
    page = yuzhou.get(f"/submissions/{sid}").text
    assert "办理状态：审核通过" in page and "已接收，审核中" in page        # both steps listed
    assert yuzhou.get(f"/submissions/{sid}/letter.pdf").status_code == 404
    staff = login(web, "staff")
    assert staff.post(f"/submissions/{sid}/review", data={"csrf": csrf(staff), "action": "return",
                                                         "reasons": "x"}).status_code == 400


# -- 回执 -----------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_the_receipt_names_the_received_date_and_the_sha256(web, yuzhou, clock):
    clock[0] = dt.date(2023, 2, 24)
    sid = _sid(upload(yuzhou, PLAN))
    r = fetch(yuzhou, f"/submissions/{sid}/receipt.pdf")
    assert r.status_code == 200 and r.data[:5] == b"%PDF-"
    text = re.sub(r"\s", "", _text(r.data))
    assert "回执" in text and "2023年2月24日" in text and "禹州市" in text
    assert hashlib.sha256(PLAN.read_bytes()).hexdigest() in text
    assert "已报送，待接收" in text


# -- the county's own deadlines and reminders ---------------------------------------------------------
def test_the_county_sees_its_deadlines_and_is_reminded(web, yuzhou, clock):
    clock[0] = dt.date(2023, 2, 10)                                 # the plan is due 2月底 (三（一）)
    page = yuzhou.get("/county").text
    assert "县级年度工作实施方案完成（2023年2月28日前，三（一）制定工作实施方案）：待报送（截止 2023-02-28）" in page
    reminders = page.split('id="rm"', 1)[1].split("</section>", 1)[0]
    assert "县级年度工作实施方案完成" in reminders and "全部开工" not in reminders     # June is not within 30 days
    clock[0] = dt.date(2023, 3, 2)
    page = yuzhou.get("/county").text
    assert "逾期未报（截止 2023-02-28）" in page.split('id="rm"', 1)[1]
    clock[0] = dt.date(2023, 2, 27)
    _sid(upload(yuzhou, PLAN))
    page = yuzhou.get("/county").text
    assert "已按期报送（2023-02-27）" in page
    assert 'id="rm"' not in page                                   # nothing due within 30 days, nothing overdue
