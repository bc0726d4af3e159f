"""The main journeys in a real browser: Debian's Chromium driven by Playwright, against gaizao's web
application on a real waitress server on 127.0.0.1. Screenshots of each page at 360 px and 1920 px go to
output/screenshots/ (ignored by git) for a person to look at.

Nothing is downloaded: Playwright launches the distribution's ``chromium`` (scripts/setup.sh installs it).
Without it the tests are skipped with the reason, except under CI (CI=true), where they fail.
"""
import io
import os
import shutil
import threading

import pytest

from web_helpers import DATA, PASSWORDS, ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = ROOT / "output" / "screenshots"
WIDTHS = {"phone": (360, 740), "desktop": (1920, 1080)}

if CHROMIUM is None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail("CI: Debian's chromium is required for the browser tests (scripts/setup.sh installs it)",
                    pytrace=False)
    pytestmark = pytest.mark.skip(reason="chromium is not installed (apt-get install chromium; scripts/setup.sh)")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')") \
    if CHROMIUM else None


@pytest.fixture
def server(web):
    """The application on a real waitress server, on a free loopback port, for the test's duration."""
    from waitress.server import create_server
    srv = create_server(web, host="127.0.0.1", port=0, threads=4, ident="gaizao-test")
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.effective_port}"
    srv.close()
    t.join(5)


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def _login(browser, base, user):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="zh-CN")
    page = ctx.new_page()
    page.goto(base + "/login")
    page.get_by_label("用户名").fill(user)
    page.get_by_label("密码").fill(PASSWORDS[user])
    page.get_by_label("密码").press("Enter")                 # keyboard only
    page.wait_for_url(lambda u: "/login" not in u)
    return page


def _shoot(page, name):
    """Screenshots at phone and desktop width; at 360 px nothing may stick out sideways."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, (w, h) in WIDTHS.items():
        page.set_viewport_size({"width": w, "height": h})
        page.screenshot(path=str(SHOTS / f"{name}-{label}-{w}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} is {overflow}px wider than a {w}px screen"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_county_uploads_sees_findings_downloads_annotated_other_county_shut_out_city_sees_both(server, browser):
    from openpyxl import load_workbook
    expect = sync_api.expect

    # the login page by keyboard: the cursor starts in the user name, Tab goes on to the password and the button
    ctx = browser.new_context()
    login = ctx.new_page()
    login.goto(server + "/login")
    focused = []
    for _ in range(3):
        focused.append(login.evaluate("document.activeElement.id || document.activeElement.textContent"))
        login.keyboard.press("Tab")
    assert focused == ["username", "password", "登录"]
    _shoot(login, "01-login")
    ctx.close()

    # 建安区 logs in and uploads a faulty workbook
    page = _login(browser, server, "jianan")
    assert page.url.endswith("/county")
    expect(page.get_by_role("heading", name="建安区报送")).to_be_visible()
    _shoot(page, "02-county-dashboard")

    # on a phone: no kind chosen -> the error sits at the kind, tied to it, and the typed note is kept
    page.set_viewport_size({"width": 360, "height": 740})
    page.get_by_label("备注（可选）").fill("按反馈意见修改后重报")
    page.set_input_files("#file", str(DATA / "mistakes" / "mistakes-建安区.xlsx"))
    page.get_by_role("button", name="正式报送").click()
    page.wait_for_load_state()
    error = page.locator("#kind-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("请先选择报送类别")
    assert page.locator("fieldset[aria-describedby='kind-error']").count() == 1
    expect(page.get_by_label("备注（可选）")).to_have_value("按反馈意见修改后重报")
    _shoot(page, "02b-county-kind-missing")
    page.set_viewport_size({"width": 1280, "height": 900})

    # while it is checked the form says so (the submit is held back here to see the state)
    page.evaluate("document.addEventListener('submit', e => e.preventDefault(), {once: true})")
    page.get_by_label("年度实施方案（含重报）").check()
    page.set_input_files("#file", str(DATA / "mistakes" / "mistakes-建安区.xlsx"))
    page.get_by_role("button", name="正式报送").click()
    expect(page.locator(".progress")).to_be_visible()
    expect(page.locator(".progress")).to_contain_text("正在检查")
    assert page.get_by_role("button", name="正在检查…").is_disabled()
    page.reload()

    page.get_by_label("年度实施方案（含重报）").check()
    page.set_input_files("#file", str(DATA / "mistakes" / "mistakes-建安区.xlsx"))
    page.get_by_role("button", name="正式报送").click()
    page.wait_for_url("**/submissions/*")
    sid = page.url.rsplit("/", 1)[1]
    expect(page.locator(".verdict")).to_contain_text("个错误")
    rows = page.locator("table.findings tbody tr")
    assert rows.count() > 0
    located = [rows.nth(i) for i in range(rows.count())
               if rows.nth(i).locator('td[data-label="行"]').inner_text().strip().isdigit()]
    assert located, "no finding shows its row"
    first = located[0]
    assert first.locator('td[data-label="列"]').inner_text().strip() not in ("", "—")
    assert first.locator('td[data-label="依据条款"]').inner_text().strip() not in ("", "—")
    _shoot(page, "03-findings")

    with page.expect_download() as dl:
        page.get_by_role("link", name="下载标注副本（问题单元格已标色并加批注）").click()
    wb = load_workbook(io.BytesIO(dl.value.path().read_bytes()))
    assert "问题清单" in wb.sheetnames and wb["问题清单"].max_row - 1 == rows.count()
    assert dl.value.suggested_filename.endswith("（标注）.xlsx")

    # on a phone the history stacks into labelled cards; on a desktop it is a table
    cell = page.locator("table.history tbody td").first
    page.set_viewport_size({"width": 360, "height": 740})
    assert cell.evaluate("e => getComputedStyle(e).display") == "block"
    page.set_viewport_size({"width": 1920, "height": 1080})
    assert cell.evaluate("e => getComputedStyle(e).display") == "table-cell"
    page.set_viewport_size({"width": 1280, "height": 900})

    # the merged checklist PDF: made by the worker pool; the page says 正在生成 and reloads into the download
    findings_url = page.url
    with page.expect_download(timeout=600_000) as dl:
        page.get_by_role("link", name="合并 PDF").click()
        expect(page.get_by_role("heading", name="正在生成")).to_be_visible()
    assert dl.value.path().read_bytes()[:5] == b"%PDF-"
    page.goto(findings_url)

    # 禹州市 cannot open 建安区's submission by its URL, nor any file of it
    other = _login(browser, server, "yuzhou")
    for path in (f"/submissions/{sid}", f"/submissions/{sid}/annotated.xlsx", f"/submissions/{sid}/original"):
        resp = other.goto(server + path)
        assert resp.status == 404, path
        expect(other.get_by_role("heading", name="找不到页面")).to_be_visible()
        assert "建安区" not in other.content()
    _shoot(other, "04-not-found")
    other.goto(server + "/county")
    other.get_by_label("年度实施方案（含重报）").check()
    other.set_input_files("#file", str(DATA / "year-2023" / "2023-02-24-禹州市-方案.xlsx"))
    other.get_by_role("button", name="正式报送").click()
    other.wait_for_url("**/submissions/*")

    # the city sees both, and the counties that have not reported
    city = _login(browser, server, "admin")
    assert city.url.endswith("/city")
    table = city.locator("table.counties")
    for county in ("建安区", "禹州市"):
        row = table.locator("tr", has=city.get_by_role("rowheader", name=county))
        expect(row).to_contain_text("第 1 版")
    expect(table.locator("tr", has=city.get_by_role("rowheader", name="魏都区"))).to_contain_text("未报送")
    assert city.locator("figure.chart svg").count() == 6             # five counties and the city
    # the legend's colours are the bars' colours, at both widths
    for w, h in WIDTHS.values():
        city.set_viewport_size({"width": w, "height": h})
        for bar in city.locator("rect.bar").all()[:12]:
            state = bar.get_attribute("class").split()[-1]
            fill = bar.evaluate("e => getComputedStyle(e).fill")
            key = city.locator(f".legend .key.{state}").evaluate("e => getComputedStyle(e).backgroundColor")
            assert fill == key, (state, fill, key)
    city.set_viewport_size({"width": 1280, "height": 900})
    _shoot(city, "05-city-dashboard")
    city.get_by_role("link", name="建安区").first.click()
    city.get_by_role("link", name="第 1 版").click()
    expect(city.locator(".verdict")).to_contain_text("个错误")
    city.goto(server + "/city/accounts")
    _shoot(city, "06-accounts")
