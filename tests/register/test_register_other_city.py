"""The register's documents for a city that is not 许昌 (牡丹江 2022, a target table without 开工认定标准), with
one district of four reported: nothing fails for a provision the policy does not have, and the 进度通报 speaks
for the district that reported, not for the whole city."""
import datetime as dt

import pytest
from docx import Document

from generator.render.samples import write_district_sample
from generator.policy import load_policy
from generator.register import Register
from generator.register.documents import write_documents

REF, DISTRICT = "mudanjiang/2022", "东安区"


@pytest.fixture(scope="module")
def written(tmp_path_factory, backend):
    lp = load_policy(REF)
    tmp = tmp_path_factory.mktemp("mdj")
    reg = Register(backend.register(tmp / "r.db"))
    reg.add(write_district_sample(lp, DISTRICT, tmp), received=dt.date(2022, 3, 1), by="测试", policy=lp)
    return write_documents(reg, lp, dt.date(2022, 12, 31), tmp / "docs", pdf=False)


@pytest.mark.slow
def test_no_start_criteria_means_no_kaigong_table_and_a_note(written):
    assert not any("开工项目认定汇总表" in str(p) for p in written.paths)
    assert "政策没有开工认定标准：未生成开工项目认定汇总表" in written.notes
    assert any("市级确定的报送日" in n for n in written.notes)


def test_the_bulletin_does_not_speak_for_the_city_with_one_district_in(written):
    doc = Document(next(p for p in written.paths if "进度通报" in str(p)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "全市计划改造" not in text and f"{DISTRICT}合计计划改造" in text
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]          # the progress table (the 版记 follows)
    assert [r[0] for r in rows[1:]] == [DISTRICT, "合计"]
