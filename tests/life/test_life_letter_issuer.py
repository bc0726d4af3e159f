"""The life letters (开工认定结果, 整改通知书) are signed by the issuer the policy states: a target table that
names none (牡丹江 2022, read from a report) gets the blank field, never a name made up from the city (23.8)."""
import datetime as dt
import sqlite3

from generator.life.documents import _letter
from generator.policy import load_policy


def _conn():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE submissions (county TEXT, received TEXT, sample INT)")
    return conn


def test_a_plan_without_an_issuer_signs_with_the_blank_field():
    lp = load_policy("mudanjiang/2022")
    doc = _letter(lp, _conn(), lp.policy.counties[0].name, dt.date(2022, 6, 30), None, "标题", ["正文"], "主题")
    assert doc.signature == "××××"
    assert lp.policy.document.issuer.value not in (doc.signature, doc.banner)


def test_the_notices_issuer_signs_where_the_plan_states_it():
    lp = load_policy("xuchang/2023")
    doc = _letter(lp, _conn(), "禹州市", dt.date(2023, 6, 30), None, "标题", ["正文"], "主题")
    assert doc.signature == "许昌市百城建设提质工程指挥部办公室"
