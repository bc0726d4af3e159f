"""A project's life in a real browser (Chromium, 360 and 1920 px): the city records a 巡检 and a hazard (a missing
description is refused at its field, what was typed stays), the county closes the hazard with a photo.
Screenshots go to output/screenshots/ (ignored by git)."""
import datetime as dt
import io

import pytest

from test_web_browser import CHROMIUM, _login, _shoot, browser, server, sync_api  # noqa: F401 -- fixtures
from web_helpers import DATA, upload

if CHROMIUM is None:
    pytestmark = pytest.mark.skip(reason="chromium is not installed (apt-get install chromium; scripts/setup.sh)")

PID = "XC01-001"


@pytest.fixture
def listed(web, yuzhou, clock):
    clock[0] = dt.date(2023, 2, 24)
    assert upload(yuzhou, DATA / "year-2023" / "2023-02-24-禹州市-方案.xlsx").status_code == 303
    clock[0] = dt.date(2023, 7, 31)
    return web


def test_the_city_inspects_and_the_county_closes_the_hazard(listed, server, browser, tmp_path):  # noqa: F811
    from PIL import Image
    expect = sync_api.expect
    photo = tmp_path / "整改后.jpg"
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (90, 140, 90)).save(buf, "JPEG")
    photo.write_bytes(buf.getvalue())

    city = _login(browser, server, "staff")
    city.goto(f"{server}/projects/{PID}")
    inspect = city.locator("form[action$='/life/inspect']")
    inspect.get_by_label("巡检", exact=True).check()
    inspect.get_by_label("检查日期").fill("2023-07-10")
    inspect.get_by_label("检查人员（以逗号或顿号分隔）").fill("王五、赵六")
    expect(inspect.get_by_label("检查的项目编号（以逗号分隔；可加上同一报送单位的其他项目）")).to_have_value(PID)
    inspect.get_by_role("button", name="记录巡检抽检").click()
    city.wait_for_url(f"**/projects/{PID}?notice=recorded*")

    # a hazard without its description: the error at the description, tied to it; the deadline typed stays
    hazard = city.locator("form[action$='/life/hazard']")
    hazard.get_by_label("发现日期").fill("2023-07-10")
    hazard.get_by_label("整改期限").fill("2023-07-20")
    hazard.get_by_label("整改责任单位").fill("某建筑公司")
    hazard.get_by_role("button", name="记录隐患").click()
    city.wait_for_load_state()
    error = city.locator("#hazard-description-error")
    expect(error).to_contain_text("请填写隐患描述")
    assert city.locator("#hazard-description[aria-describedby='hazard-description-error']").count() == 1
    hazard = city.locator("form[action$='/life/hazard']")
    expect(hazard.get_by_label("整改期限")).to_have_value("2023-07-20")
    expect(hazard.get_by_label("整改责任单位")).to_have_value("某建筑公司")
    _shoot(city, "20-project-hazard-refused")
    hazard.get_by_label("隐患描述").fill("脚手架未设防护网")
    hazard.get_by_role("button", name="记录隐患").click()
    city.wait_for_url(f"**/projects/{PID}?notice=recorded*")
    expect(city.locator("section", has=city.get_by_role("heading", name="质量安全隐患", exact=True))).to_contain_text(
        "已逾期")

    # the county closes it with the photo: 逾期销号 (after the deadline), nothing left to close
    county = _login(browser, server, "yuzhou")
    county.goto(f"{server}/projects/{PID}")
    _shoot(county, "21-project-county-forms")
    rectify = county.locator("form[action$='/life/rectify']")
    rectify.get_by_label("整改完成日期").fill("2023-07-25")
    rectify.get_by_label("整改情况").fill("已加设防护网")
    rectify.get_by_label("整改后的照片或验收单（必填）").set_input_files(str(photo))
    rectify.get_by_role("button", name="销号").click()
    county.wait_for_url(f"**/projects/{PID}?notice=recorded*")
    expect(county.locator("section", has=county.get_by_role("heading", name="质量安全隐患", exact=True))).to_contain_text(
        "逾期销号")
    expect(county.get_by_text("没有待销号的隐患")).to_be_visible()
    expect(county.get_by_role("link", name="整改后.jpg")).to_be_visible()
    _shoot(county, "22-project-closed")
