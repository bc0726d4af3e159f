"""The web pages speak in the words of the policy's level: a province's system says 全省进度, 各市, 省级管理员,
市级填报人员 and 本市; 许昌's (a city) keeps 全市进度, 各县（市、区）, 市级管理员, 县级填报人员 and 本县."""
import pytest

from support.levels import as_unit
from web_helpers import DAY, PASSWORDS, login

CITY_WORDS = ("县（市、区）", "县级", "本县", "全市", "市级管理员")


def typed(text: str, lp) -> str:
    """The page without the policy's own labels (许昌's 县级年度工作实施方案完成 is its text, quoted as published)."""
    for item in (*lp.policy.deadlines, *lp.policy.milestones):
        text = text.replace(item.label, "")
    return text


@pytest.fixture
def province_web(tmp_path, policy2023):
    from generator.policy.wording import policy_level
    from generator.web.accounts import Accounts
    from generator.web.app import create_app
    lp = as_unit(policy2023, "河南省")     # its counties stand for cities
    db = tmp_path / "province.db"
    acc = Accounts(db, [c.name for c in lp.policy.counties], policy_level(lp.policy))
    acc.create("admin", PASSWORDS["admin"], role="admin")
    acc.create("yuzhou", PASSWORDS["yuzhou"], role="county", county="禹州市")
    return create_app(db, policy=lp, today=lambda: DAY)


def test_the_login_page_names_the_accounts_by_level(province_web, web):
    text = province_web.test_client().get("/login").text
    assert "各市填报人员和省级工作人员使用省级管理员分配的账号登录" in text and "忘记密码请联系省级管理员重置" in text
    assert not any(w in text for w in CITY_WORDS)
    city = web.test_client().get("/login").text
    assert "各县（市、区）填报人员和市级工作人员使用市级管理员分配的账号登录" in city


@pytest.mark.slow
def test_the_dashboard_is_the_provinces(province_web, web, policy2023):
    text = typed(login(province_web, "admin").get("/city").text, as_unit(policy2023, "河南省"))
    assert "<h1>全省进度" in text and '<h2 id="tb">各市</h2>' in text and '<th scope="col">市</th>' in text
    assert "全省汇总表" in text and not any(w in text for w in CITY_WORDS)
    city = login(web, "admin").get("/city").text
    assert "<h1>全市进度" in city and '<h2 id="tb">各县（市、区）</h2>' in city and "全市汇总表" in city


def test_the_footer_names_the_issuer_as_the_notice_does(province_web, web, policy2023):
    province = province_web.test_client().get("/login").text
    assert "如有疑问请联系市百城办。" in province                # 许昌's issuer, as the notice shortens it
    assert "领导小组办公室" not in province              # an office no policy names


def test_accounts_are_named_by_level(province_web):
    text = login(province_web, "admin").get("/city/accounts").text
    assert "所属市" in text and "（省级账号不选）" in text and "市级账号只能看到本市的报送" in text
    assert '<td data-label="角色">省级管理员</td>' in text and '<td data-label="角色">市级填报人员</td>' in text
    assert not any(w in text for w in CITY_WORDS)


@pytest.mark.slow
def test_a_county_page_says_its_own_word(province_web, web):
    text = login(province_web, "yuzhou").get("/county").text
    assert "同一市可多次报送" in text and "本市情况" in text and "本市实施方案模板" in text
    assert "本县" not in text and "同一县" not in text
    # in a city's system each county says its own kind: 禹州市 本市, 建安区 本区, 魏都区 本区 (not 本县 for all)
    yz = login(web, "yuzhou").get("/county").text
    assert "同一市可多次报送" in yz and "本市情况" in yz and "本市实施方案模板" in yz and "本县" not in yz
    ja = login(web, "jianan").get("/county").text
    assert "同一区可多次报送" in ja and "本区情况" in ja and "本县" not in ja


@pytest.mark.slow
def test_refusals_name_the_level(province_web, tmp_path):
    from generator.errors import UsageError
    from generator.web.accounts import Accounts
    forbidden = login(province_web, "yuzhou").get("/city")
    assert forbidden.status_code == 403 and "此页面只对省级账号开放。如需访问，请联系省级管理员。" in forbidden.text
    missing = login(province_web, "yuzhou").get("/submissions/999")
    assert missing.status_code == 404 and "不属于您所在的市" in missing.text
    acc = Accounts(tmp_path / "a.db", ["禹州市"], "province")
    with pytest.raises(UsageError) as e:
        acc.create("zz", "zz-password-1", role="county")
    assert e.value.message == "市级账号须指定所属市"
    with pytest.raises(UsageError) as e:
        acc.create("zz", "zz-password-1", role="county", county="郑州市")
    assert "“郑州市”不是政策中的市（禹州市）" in e.value.message
