"""The 开工认定结果 and the 整改通知书 say what the record says; hazards' states at their deadline day."""
import datetime as dt
import re
from pathlib import Path

import pytest

from tests.life.conftest import jpeg_bytes

D = dt.date
DOCS = Path(__file__).resolve().parents[2] / "docs" / "life.md"


def _docx_text(path) -> str:
    from docx import Document
    doc = Document(str(path))
    return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])


@pytest.fixture
def hazards_life(life, policy2023):
    insp = life.record("inspection", county="禹州市", day=D(2023, 7, 10), by="市住建局",
                       fields={"type": "抽检", "inspectors": "王五", "projects": "XC01-001,XC01-002,XC01-003"})
    kw = dict(by="市住建局", refers_to=insp.id, day=D(2023, 7, 10))
    a = life.record("hazard", project="XC01-001", fields={"description": "脚手架未设防护网", "deadline": "2023-07-20",
                                                          "responsible": "甲建筑公司"}, **kw)
    b = life.record("hazard", project="XC01-002", fields={"description": "临时用电私拉乱接", "deadline": "2023-07-20",
                                                          "responsible": "乙建筑公司"}, **kw)
    c = life.record("hazard", project="XC01-003", fields={"description": "基坑未设围挡", "deadline": "2023-07-20",
                                                          "responsible": "丙建筑公司"}, **kw)
    life.record("rectified", day=D(2023, 7, 20), by="县", refers_to=b.id, fields={"note": "已整改"},
                evidence=[("整改后.jpg", jpeg_bytes())])
    life.record("rectified", day=D(2023, 7, 21), by="县", refers_to=c.id, fields={"note": "已整改"},
                evidence=[("整改后.jpg", jpeg_bytes())])
    return life, a, b, c


def test_hazard_states_at_the_deadline_day(hazards_life, reg):
    from generator.life.quality import CLOSED, CLOSED_LATE, OPEN, OVERDUE, hazards
    from generator.register import db
    with db.opened(reg.path) as conn:
        on = {h.project: h.status(D(2023, 7, 20)) for h in hazards(conn, D(2023, 7, 20))}
        after = {h.project: h.status(D(2023, 7, 21)) for h in hazards(conn, D(2023, 7, 21))}
    assert on == {"XC01-001": OPEN, "XC01-002": CLOSED, "XC01-003": OPEN}      # the deadline day is in time
    assert after == {"XC01-001": OVERDUE, "XC01-002": CLOSED, "XC01-003": CLOSED_LATE}


def test_by_county_counts(hazards_life, reg, policy2023):
    from generator.life.quality import by_county
    from generator.register import db
    with db.opened(reg.path) as conn:
        q = {c.county: c for c in by_county(conn, policy2023, D(2023, 7, 21))}
    assert (q["禹州市"].inspections, q["禹州市"].hazards, q["禹州市"].closed, q["禹州市"].open, q["禹州市"].overdue) == \
        (1, 3, 2, 1, 1)
    assert q["禹州市"].cell() == "巡检抽检1次，发现隐患3处，已销号2处，未销号1处（其中逾期1处）"
    assert q["长葛市"].cell() == "无巡检抽检记录"


def test_documents_say_what_was_decided(hazards_life, reg, policy2023, tmp_path):
    from generator.life.documents import write_documents
    life = hazards_life[0]
    for c in range(1, 6):
        life.record("verify", project="XC01-004", day=D(2023, 6, 1), by="市", policy=policy2023,
                    fields={"criterion": c, "verdict": "符合", "inspector": "王五"})
    life.record("verify", project="XC01-005", day=D(2023, 6, 1), by="市", policy=policy2023,
                fields={"criterion": 3, "verdict": "不符合", "inspector": "赵六", "note": "设计未在小区内公示"})
    paths = write_documents(reg.path, policy2023, D(2023, 7, 21), tmp_path, pdf=False)
    names = sorted(p.name for p in paths)
    assert names == ["开工认定结果（禹州市，截至2023-07-21）.docx", "整改通知书（禹州市，截至2023-07-21）.docx"]
    start = _docx_text(next(p for p in paths if "开工认定" in p.name))
    assert "认定开工1个，不予认定1个，待核查0个，尚未申报6个" in start
    assert "条件3“设计完成并公示”现场核查不符合：设计未在小区内公示（赵六，2023-06-01）" in start
    notice = _docx_text(next(p for p in paths if "整改" in p.name))
    assert "发现质量安全隐患3处" in notice and "尚有1处未整改销号，其中1处已超过整改期限" in notice
    assert "脚手架未设防护网" in notice and "临时用电私拉乱接" not in notice      # closed in time: not listed
    assert "另有1处隐患已整改销号，但销号晚于整改期限" in notice
    for text in (start, notice):                   # no internal trace in an issued letter (issue 21)
        assert not re.search(r"#\d|xuchang/|\.xlsx|三（|附件 第", text), text


def test_no_notice_without_an_open_hazard(hazards_life, reg, policy2023):
    from generator.life.documents import rectification_notice
    from generator.register import db
    with db.opened(reg.path) as conn:
        assert rectification_notice(conn, policy2023, "禹州市", D(2023, 7, 9)) is None
        assert rectification_notice(conn, policy2023, "禹州市", D(2023, 7, 10)) is not None


def test_the_keyword_table_in_the_docs_is_the_code_s():
    from generator.life.works import KEYWORDS
    text = DOCS.read_text(encoding="utf-8")
    rows = {m.group(1): tuple(m.group(2).split()) for m in re.finditer(r"^\| (\S+) \| [^|]+ \| ([^|]+) \|$", text, re.M)}
    for work, (_, words) in KEYWORDS.items():
        assert rows.get(work) == words, work


def test_hostile_text_reaches_the_documents_harmlessly(life, reg, policy2023, tmp_path):
    from generator.errors import GaizaoError
    from generator.life.documents import write_documents
    insp = life.record("inspection", county="禹州市", day=D(2023, 7, 10), by="市\x00住建局",
                       fields={"type": "巡检", "inspectors": "王五\x07", "projects": "XC01-001"})
    hz = life.record("hazard", project="XC01-001", day=D(2023, 7, 10), by="市", refers_to=insp.id,
                     fields={"description": "=cmd|'/c calc'!A1\x0b<script>", "deadline": "2023-07-20",
                             "responsible": "甲\x1f公司"})
    assert hz.fields["description"] == "=cmd|'/c calc'!A1<script>" and insp.recorded_by == "市住建局"
    with pytest.raises(GaizaoError, match="超过2000字"):
        life.record("hazard", project="XC01-001", day=D(2023, 7, 10), by="市", refers_to=insp.id,
                    fields={"description": "长" * 2001, "deadline": "2023-07-20", "responsible": "甲"})
    paths = write_documents(reg.path, policy2023, D(2023, 7, 21), tmp_path, pdf=False)
    notice = _docx_text(next(p for p in paths if "整改" in p.name))
    assert "=cmd|'/c calc'!A1<script>" in notice and "甲公司" in notice
