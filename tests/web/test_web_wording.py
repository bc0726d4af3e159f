"""Issue 22.6: Chinese throughout and readable — audit actions in Chinese, the policy by its 文号 and submissions
by 县第N版 (no internal ids), every colour of the stylesheet at 4.5:1 or more against what it sits on, the chart's
legend in the colours of its bars."""
import re

import pytest

from web_helpers import DATA, ROOT, csrf, login, upload

CSS = (ROOT / "templates" / "web" / "static" / "web.css").read_text(encoding="utf-8")


def _vars() -> dict[str, str]:
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", CSS))


def _color(value: str) -> str:
    value = value.strip()
    m = re.fullmatch(r"var\(--([a-z-]+)\)", value)
    return _vars()[m.group(1)] if m else value


def _luminance(hex_: str) -> float:
    def ch(c):
        c = int(c, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (ch(hex_[i:i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(_color(a)), _luminance(_color(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_the_contrast_formula():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54              # WCAG's own example of the threshold


@pytest.mark.parametrize("fg, bg", [
    ("var(--ink)", "#ffffff"), ("var(--muted)", "#ffffff"), ("var(--muted)", "var(--bg)"), ("var(--blue)", "#ffffff"),
    ("var(--red)", "var(--red-bg)"), ("var(--amber)", "var(--amber-bg)"), ("var(--green)", "var(--green-bg)"),
    ("var(--amber)", "#ffffff"), ("var(--grey)", "#ffffff"), ("var(--red)", "#ffffff"), ("var(--green)", "#ffffff"),
    ("#ffffff", "var(--blue)"),
])
def test_every_colour_pair_reaches_4_5_to_1(fg, bg):
    assert contrast(fg, bg) >= 4.5, (fg, bg, round(contrast(fg, bg), 2))


def _rule(selector: str, prop: str) -> str:
    """The value of ``prop`` for the rule whose selector list contains ``selector`` exactly."""
    for sels, body in re.findall(r"([^{}]+)\{([^}]*)\}", CSS):
        if selector in [s.strip() for s in sels.split(",")]:
            m = re.search(rf"(?:^|;)\s*{prop}\s*:\s*([^;]+)", body)
            if m:
                return _color(m.group(1))
    raise AssertionError(f"no {prop} for {selector}")


def test_every_bar_colour_is_a_legend_colour_and_each_reads_on_white(web, clock):
    admin = login(web, "admin")
    page = admin.get("/city").text
    legend = re.search(r'<p class="legend">(.*?)</p>', page, re.S).group(1)
    keys = re.findall(r'class="key ([a-z]+)"></span>([^<]+)', legend)
    states = {k for k, _ in keys}
    assert {"done", "overdue", "due", "later", "partial"} <= states
    for state in ("done", "overdue", "due", "later", "partial"):
        bar = _rule(f".chart .bar.{state}", "fill")
        key = _rule(f".key.{state}", "background")
        assert bar == key, f"the legend's {state} is {key}, its bars {bar}"
        assert contrast(bar, "#ffffff") >= 4.5
    # every bar drawn carries a state the legend names
    drawn = set(re.findall(r'class="bar ([a-z]+)"', page))
    assert drawn <= states, drawn - states


def test_audit_actions_are_chinese(web, admin, yuzhou):
    login(web, "yuzhou", "Wrong-Guess#1")
    r = upload(yuzhou, DATA / "year-2023" / "2023-02-24-禹州市-方案.xlsx")
    sid = int(r.headers["Location"].split("?")[0].rsplit("/", 1)[1])
    yuzhou.get(f"/submissions/{sid}/original")
    admin.post("/city/accounts", data={"csrf": csrf(admin), "username": "xc", "role": "county", "county": "襄城县",
                                       "password": "Chu-Shi#4471"})
    page = admin.get("/city/audit").text
    table = page.split("<tbody>", 1)[1]
    for english in ("login-failed", "account-created", "upload", "download", "original", ">login<"):
        assert english not in table, english
    for chinese in ("登录失败", "创建账号", "正式报送", "下载", "原文件", "禹州市第 1 版"):
        assert chinese in table, chinese
    assert f"#{sid}" not in table


def test_the_policy_is_named_by_its_title_and_number_not_an_id(web, yuzhou):
    r = upload(yuzhou, DATA / "year-2023" / "2023-02-24-禹州市-方案.xlsx")
    page = yuzhou.get(r.headers["Location"]).text
    assert "《许昌市2023年城镇老旧小区改造工作实施方案》（许百城提质办〔2023〕3号）" in page
    assert "xuchang/2023" not in page and "版本 1.0" not in page
