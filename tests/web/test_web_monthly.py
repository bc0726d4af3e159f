"""A 信息月报 in its own form (ledger/monthly.py) through the web: recorded as a 月报, its annotated copy marks the
月报's own cells, and it offers no start-of-work checklists (those are made from the plan)."""
import datetime as dt
import io

from web_helpers import DATA, upload


def _sid(r):
    assert r.status_code == 303, r.text[:500]
    return int(r.headers["Location"].split("?")[0].rsplit("/", 1)[1])


def test_a_monthly_report_in_its_form_is_annotated_on_its_own_cells(web, yuzhou, clock, policy2023, tmp_path):
    from openpyxl import load_workbook

    from generator.ledger import monthly as M
    from generator.ledger.reader import read_plan
    from generator.register import monthly_form
    plan_file = DATA / "sample-禹州市.xlsx"
    _sid(upload(yuzhou, plan_file, kind="年度实施方案"))
    report = M.prefill(read_plan(plan_file, policy2023), policy2023, "2023-06")
    path = monthly_form.write(policy2023, monthly_form.MonthlyForm("禹州市", "2023-06", report),
                              tmp_path / "2023-06-禹州市-月报.xlsx")
    wb = load_workbook(path)
    ws = wb["项目进度"]
    head_row = next(r for r in range(1, 6) if any(c.value == "开工日期" for c in ws[r]))
    col = next(c.column for c in ws[head_row] if c.value == "开工日期")
    ws.cell(head_row + 1, col, dt.date(2023, 7, 15))        # a start after the report's month: M201
    wb.save(path)
    clock[0] = dt.date(2023, 7, 3)
    sid = _sid(upload(yuzhou, path, kind="信息月报", period="2023-06"))
    sub = web.extensions["gaizao"]["register"].get(sid)
    assert sub.kind == "信息月报" and sub.period == "2023-06"
    page = yuzhou.get(f"/submissions/{sid}").text
    assert "下载标注副本" in page and "开工认定核查表" not in page
    found = [f for f in web.extensions["gaizao"]["register"].findings(sid) if f.code == "M201"]
    assert [(f.sheet, f.row, f.column) for f in found] == [("项目进度", head_row + 1, "开工日期")]
    r = yuzhou.get(f"/submissions/{sid}/annotated.xlsx")
    assert r.status_code == 200, r.text[:300]
    marked = load_workbook(io.BytesIO(r.data))["项目进度"].cell(head_row + 1, col)
    assert marked.comment is not None and "M201" in marked.comment.text
    assert yuzhou.get(f"/submissions/{sid}/original").data == path.read_bytes()
