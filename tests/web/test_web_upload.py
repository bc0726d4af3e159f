"""Uploads: limits, content sniffing, findings on the page, the annotated copy, history and changes, the
hostile corpus, and the audit rows of every upload and download."""
import datetime as dt
import hashlib
import io
import re

import pytest
import yaml

from web_helpers import DATA, ROOT, fetch, login, upload

YEAR = DATA / "year-2023"
MISTAKES = DATA / "mistakes" / "mistakes-建安区.xlsx"


def _sid(r) -> int:
    assert r.status_code == 303, r.text[:2000]
    return int(r.headers["Location"].split("?")[0].rsplit("/", 1)[1])


def _rows(html: str) -> list[dict]:
    """The findings table as {label: text} per row (the data-label of each cell)."""
    body = html.split('class="table findings', 1)[1].split("</table>", 1)[0]
    out = []
    for tr in re.findall(r"<tr class=\"sev-[a-z]+\">(.*?)</tr>", body, re.S):
        cells = re.findall(r'<td data-label="([^"]+)"[^>]*>(.*?)</td>', tr, re.S)
        out.append({k: re.sub(r"<[^>]+>", "", v).strip() for k, v in cells})
    return out


def test_findings_show_sheet_row_column_clause_and_message(web, jianan):
    sid = _sid(upload(jianan, MISTAKES))
    page = jianan.get(f"/submissions/{sid}").text
    rows = _rows(page)
    found = web.extensions["gaizao"]["register"].findings(sid)
    assert len(rows) == len(found) > 0
    located = [r for r in rows if r["行"] != "—"]
    assert located, "no finding with a row"
    for f in found:
        if f.row:
            assert any(r["工作表"] == f.sheet and r["行"] == str(f.row) and r["列"] == (f.column or "—")
                       and r["代码"] == f.code and r["依据条款"] == (f.clause or "—") and f.message in r["说明"]
                       for r in rows), f
    assert "请按下表修改后重新上传" in page


@pytest.mark.slow
def test_the_annotated_copy_marks_the_cells(web, jianan):
    from openpyxl import load_workbook
    sid = _sid(upload(jianan, MISTAKES))
    r = jianan.get(f"/submissions/{sid}/annotated.xlsx")
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in r.headers["Content-Disposition"]
    wb = load_workbook(io.BytesIO(r.data))
    issues = wb["问题清单"]
    found = web.extensions["gaizao"]["register"].findings(sid)
    assert issues.max_row - 1 == len(found)
    f = next(f for f in found if f.row and f.sheet == "项目清单")
    from openpyxl.utils import get_column_letter
    header = {c.value: c.column for row in (1, 2) for c in wb[f.sheet][row] if c.value}
    if f.column in header:
        cell = wb[f.sheet][f"{get_column_letter(header[f.column])}{f.row}"]
        assert cell.comment is not None and f.code in cell.comment.text
    # the stored original is untouched
    assert jianan.get(f"/submissions/{sid}/original").data == MISTAKES.read_bytes()


@pytest.mark.slow
def test_upload_and_download_are_audited_with_file_and_sha(web, jianan):
    sid = _sid(upload(jianan, MISTAKES))
    r = jianan.get(f"/submissions/{sid}/annotated.xlsx")
    rows = web.accounts.audit_rows(10)
    down = next(x for x in rows if x["action"] == "download")
    up = next(x for x in rows if x["action"] == "upload")
    assert (up["username"], up["county"], up["submission_id"]) == ("jianan", "建安区", sid)
    assert up["sha256"] == hashlib.sha256(MISTAKES.read_bytes()).hexdigest()
    assert (down["username"], down["submission_id"], down["detail"]) == ("jianan", sid, "annotated")
    assert down["sha256"] == hashlib.sha256(r.data).hexdigest()
    assert down["at"] and down["ip"] == "127.0.0.1"


def test_the_audit_log_cannot_be_rewritten(web, jianan):
    import sqlite3
    from generator.register import db, pg
    upload(jianan, MISTAKES)
    with db.opened(web.extensions["gaizao"]["register"].path) as conn:
        for sql in ("UPDATE audit SET username = 'x'", "DELETE FROM audit"):
            with pytest.raises((sqlite3.DatabaseError, *pg.errors())):
                conn.execute(sql)


def test_too_large_an_upload_is_refused_with_the_limit(web, yuzhou):
    r = upload(yuzhou, data=b"PK\x03\x04" + b"\0" * (2 * 1024 * 1024 + 10), name="big.xlsx")
    assert r.status_code == 413 and "超过 2 MB" in r.text
    assert web.extensions["gaizao"]["register"].submissions() == []


@pytest.mark.slow
@pytest.mark.parametrize("data,name,says", [
    ("county,project\n禹州市,1\n".encode(), "plan.xlsx", "内容不是 Excel 工作簿"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "plan.xls", "另存为 .xlsx"),
    (b"%PDF-1.7\n...", "plan.xlsx", "PDF"),
    (b"", "plan.xlsx", "空的"),
    (b"\x7fELF\x02\x01\x01\x00" + b"\0" * 100, "plan.csv", "不是工作簿"),
    (b"plain words", "plan.json", "不是 JSON"),
    (b"hello", "plan.exe", "不支持的文件类型"),
])
def test_content_decides_the_type_not_the_name(web, yuzhou, data, name, says):
    r = upload(yuzhou, data=data, name=name)
    assert r.status_code == 400 and says in r.text
    assert "Traceback" not in r.text
    assert web.extensions["gaizao"]["register"].submissions() == []
    refused = web.accounts.audit_rows(1)[0]
    assert refused["action"] == "upload-refused" and refused["sha256"] == hashlib.sha256(data).hexdigest()


def test_a_workbook_renamed_to_txt_is_still_read_as_a_workbook(web, yuzhou):
    sid = _sid(upload(yuzhou, YEAR / "2023-02-24-禹州市-方案.xlsx", name="方案.bin"))
    sub = web.extensions["gaizao"]["register"].get(sid)
    assert sub.format == "xlsx" and sub.file_name == "方案.xlsx"


def test_no_file_chosen_says_what_to_do(yuzhou):
    from web_helpers import csrf
    r = yuzhou.post("/county/upload", data={"csrf": csrf(yuzhou), "kind": "年度实施方案"}, content_type="multipart/form-data")
    assert r.status_code == 400 and "请先选择要上传的工作簿文件" in r.text


def test_same_file_twice_is_recorded_once(web, yuzhou):
    first = _sid(upload(yuzhou, YEAR / "2023-02-24-禹州市-方案.xlsx"))
    r = upload(yuzhou, YEAR / "2023-02-24-禹州市-方案.xlsx")
    assert _sid(r) == first and r.headers["Location"].endswith("?notice=duplicate")
    assert "未重复登记" in yuzhou.get(r.headers["Location"]).text


@pytest.mark.slow
def test_history_and_what_changed_with_a_rewrite_of_history(web, yuzhou, clock):
    """禹州市's June report counts a start on 05-20; its July report moves it to 07-02: R101 on the page."""
    clock[0] = dt.date(2023, 6, 30)
    june = _sid(upload(yuzhou, YEAR / "2023-06-30-禹州市-月报.xlsx", kind="信息月报", period="2023-06"))
    clock[0] = dt.date(2023, 7, 31)
    july = _sid(upload(yuzhou, YEAR / "2023-07-31-禹州市-月报.xlsx", kind="信息月报", period="2023-07"))
    page = yuzhou.get(f"/submissions/{july}").text
    assert "更改了此前已上报的事实" in page and "R101" in page
    assert "第 1 版（2023-06-30）→ 第 2 版（2023-07-31）" in page
    reg = web.extensions["gaizao"]["register"]
    assert [s.period for s in reg.submissions("禹州市")] == ["2023-06", "2023-07"]
    home = yuzhou.get("/county").text
    assert home.index(f"/submissions/{july}") < home.index(f"/submissions/{june}")     # newest first
    assert "这是禹州市第一次报送" in yuzhou.get(f"/submissions/{june}").text


def test_a_monthly_report_needs_its_month(web, yuzhou):
    r = upload(yuzhou, YEAR / "2023-03-31-禹州市-月报.xlsx", kind="信息月报")
    assert r.status_code == 400 and "须选择所报月份" in r.text


@pytest.mark.slow
def test_county_downloads(web, yuzhou, clock):
    clock[0] = dt.date(2023, 7, 5)                  # the June report arrives after June
    from openpyxl import load_workbook
    r = yuzhou.get("/county/template.xlsx")
    wb = load_workbook(io.BytesIO(r.data))
    assert any("禹州市" in str(c.value) for ws in wb for row in ws.iter_rows(max_row=6) for c in row if c.value)
    assert yuzhou.get("/county/template.docx").data[:2] == b"PK"
    assert yuzhou.get("/county/template.pdf").status_code == 404
    sid = _sid(upload(yuzhou, YEAR / "2023-06-30-禹州市-月报.xlsx"))
    k = load_workbook(io.BytesIO(yuzhou.get(f"/submissions/{sid}/kaigong.xlsx").data)).active
    assert any("禹州市" in str(c.value) and "开工项目认定汇总表" in str(c.value) for row in k.iter_rows(max_row=3) for c in row)
    import zipfile
    z = zipfile.ZipFile(io.BytesIO(fetch(yuzhou, f"/submissions/{sid}/checklists-docx").data))
    projects = web.extensions["gaizao"]["register"].projects(sid)
    assert len([n for n in z.namelist() if n.endswith(".docx")]) == len(projects)


@pytest.mark.slow
def test_pdf_downloads(web, yuzhou, clock):
    clock[0] = dt.date(2023, 7, 5)                  # the June report arrives after June
    from pypdf import PdfReader
    sid = _sid(upload(yuzhou, YEAR / "2023-06-30-禹州市-月报.xlsx"))
    merged = PdfReader(io.BytesIO(fetch(yuzhou, f"/submissions/{sid}/checklists-merged").data))
    assert len(merged.pages) >= len(web.extensions["gaizao"]["register"].projects(sid))
    notice = PdfReader(io.BytesIO(fetch(yuzhou, "/documents/notice.pdf").data))
    assert "许昌" in notice.pages[0].extract_text()
    assert PdfReader(io.BytesIO(fetch(yuzhou, f"/submissions/{sid}/kaigong.pdf").data)).pages


# -- the hostile corpus (tests/fixtures/hostile), uploaded by 魏都区 (the corpus workbooks are 魏都区's) -----
MANIFEST = ROOT / "tests" / "fixtures" / "hostile" / "manifest.yaml"
PLAN_CASES = [c for c in yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))["cases"] if c.get("commands") == "plan"]


def _validate_exit(case) -> int:
    e = case["exit"]
    return e if isinstance(e, int) else e.get("validate", e.get("default"))


@pytest.mark.parametrize("case", PLAN_CASES, ids=[c["file"] for c in PLAN_CASES])
def test_hostile_uploads_get_a_verdict_or_a_clear_refusal(web, hostile_dir, clock, case):
    clock[0] = dt.date(2024, 1, 31)        # after the year: every rule's date has come, as for validate today
    client = login(web, "weidu")
    path = hostile_dir / case["file"]
    before = path.read_bytes()
    r = upload(client, path)
    # one answer per case: over the upload limit 413; a file validate cannot read (exit 2) 400, and so is a
    # workbook naming a county that is not the policy's (V101), since it is not the uploading county's own;
    # anything else is recorded with its findings (303)
    too_big = len(before) > web.config["MAX_CONTENT_LENGTH"]
    refused = _validate_exit(case) == 2 or case.get("finding") == "V101"
    expected = 413 if too_big else 400 if refused else 303
    assert r.status_code == expected, (r.status_code, expected)
    assert "Traceback" not in r.text and "服务器出错" not in r.text
    reg = web.extensions["gaizao"]["register"]
    if expected != 303:
        assert reg.submissions() == []
        assert ("文件太大" if too_big else "未能登记") in r.text
    if r.status_code == 303:
        page = client.get(r.headers["Location"])
        assert page.status_code == 200
        for code in ([case["finding"]] if isinstance(case.get("finding"), str) else case.get("finding", [])):
            assert f"<code>{code}</code>" in page.text, code
    assert path.read_bytes() == before


def test_what_is_made_from_a_submission_is_made_once(web, jianan, monkeypatch):
    from generator.web import files
    calls = []
    real = files.annotated
    monkeypatch.setattr(files, "annotated", lambda *a: calls.append(1) or real(*a))
    sid = _sid(upload(jianan, MISTAKES))
    first = jianan.get(f"/submissions/{sid}/annotated.xlsx").data
    assert jianan.get(f"/submissions/{sid}/annotated.xlsx").data == first and len(calls) == 1
    assert len(web.accounts.audit_rows(10, action="download")) == 2      # each download is still recorded


def test_the_cache_of_made_files_is_bounded_and_makes_each_once():
    import threading
    from generator.web.files import Made
    made, calls = Made(limit=100), []

    def slow(key):
        def make():
            calls.append(key)
            threading.Event().wait(0.05)
            return (f"{key}.pdf", b"x" * 60)
        return make
    threads = [threading.Thread(target=made.get, args=("a", slow("a"))) for _ in range(5)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert calls == ["a"]                                       # five at once: made once
    made.get("b", slow("b"))                                    # 120 bytes > 100: "a" goes
    assert list(made.items) == ["b"] and made.size == 60


@pytest.mark.slow
def test_text_from_users_is_escaped_on_the_pages(web, yuzhou, admin):
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    sid = _sid(upload(yuzhou, YEAR / "2023-02-24-禹州市-方案.xlsx", name=f"{evil}.xlsx", note=evil))
    for client, path in ((yuzhou, f"/submissions/{sid}"), (yuzhou, "/county"), (admin, "/city/county/禹州市"),
                         (admin, "/city/audit")):
        page = client.get(path).text
        assert "<script>alert" not in page and "<img src=x" not in page, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in yuzhou.get(f"/submissions/{sid}").text
