"""The life record's documents, per county, through the official document code (render/official.py: DOCX on the
GB/T 9704 base and PDF, both from one ``Official``): the 开工认定结果 and the 整改通知书.

Both are letters from the issuer to the county (信函: the issuer's name as banner, the 文号 left for the office to
fill, the 成文日期 given or blank). No register id, file name or clause citation is printed (issue 21): the text
says what was decided and why, in the words of the 开工认定标准 and of the inspector's notes.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.life.quality import CLOSED, CLOSED_LATE, OVERDUE, hazards
from generator.life.start import DECIDED, PENDING, REFUSED, UNDECLARED, decisions
from generator.render import pipeline
from generator.render.pipeline import Document, DocumentKind, Inputs, from_register, register
from generator.render.official import (Official, OfficialLayout, Table, banner_of, date_text, doc_number_field,
                                       issuer_of, label_of, office)

if TYPE_CHECKING:
    from generator.life.record import Where
    from generator.policy.loader import LoadedPolicy


def _basis(lp: LoadedPolicy) -> str:
    from generator.policy.text import context
    p = lp.policy
    title = p.start_criteria.title if p.start_criteria else "开工认定标准"
    return f"《{context(p)['plan_title']}》附件《{title}》"


def _addressee(lp: LoadedPolicy, county: str) -> str:
    from generator.reports.fankui import addressee_for
    return addressee_for(lp, county)


def _md(day: dt.date, as_of: dt.date) -> str:
    """7月20日 within the year of the document, 2022年12月5日 across years."""
    from generator.policy.cnfmt import cn_date
    return f"{day.month}月{day.day}日" if day.year == as_of.year else cn_date(day)


def _letter(lp: LoadedPolicy, conn: sqlite3.Connection, county: str, as_of: dt.date, date: dt.date | None,
            title: str, blocks: list[Any], subject: str) -> Official:
    """A letter to ``county`` signed by the issuer the policy states (official.issuer_of: the blank field where
    a plan names none, never a name made up from the city)."""
    issuer = issuer_of(lp)
    return Official(banner_of(lp, letter=True), doc_number_field(lp), title, _addressee(lp, county), blocks,
                    issuer, date_text(date), label_of(lp, _sample(conn, county, as_of)), issuer, subject, date)


def _sample(conn: sqlite3.Connection, county: str, as_of: dt.date) -> bool:
    row = conn.execute("SELECT MAX(sample) FROM submissions WHERE county = ? AND received <= ?",
                       (county, as_of.isoformat())).fetchone()
    return bool(row and row[0])


def start_result(conn: sqlite3.Connection, lp: LoadedPolicy, county: str, as_of: dt.date, *, date: dt.date | None = None) -> Official:
    """开工认定结果: decided, refused (with reasons) and pending projects of one county as of a day."""
    p = lp.policy
    ds = decisions(conn, lp, county, as_of)
    by = {s: [d for d in ds if d.state == s] for s in (DECIDED, REFUSED, PENDING, UNDECLARED)}
    from generator.policy.cnfmt import cn_date
    blocks: list[Any] = [
        f"根据{_basis(lp)}，{office(lp)}对你单位申报开工的城镇老旧小区改造项目逐项进行了现场核查。截至{cn_date(as_of)}，"
        f"你单位{len(ds)}个计划项目中，认定开工{len(by[DECIDED])}个，不予认定{len(by[REFUSED])}个，"
        f"待核查{len(by[PENDING])}个，尚未申报{len(by[UNDECLARED])}个。具体如下。"]
    blocks.append(("h1", f"一、认定开工的项目（{len(by[DECIDED])}个）"))
    if by[DECIDED]:
        blocks.append(Table(["序号", "项目编号", "小区名称", "户数", "核查日期", "核查人"],
                            [[str(i), d.project, d.community, "" if d.households is None else str(d.households),
                              cn_date(d.decided_on) if d.decided_on else "", "、".join(d.inspectors)] for i, d in enumerate(by[DECIDED], 1)],
                            [5, 13, 24, 7, 15, 14]))
    else:
        blocks.append("无。")
    blocks.append(("h1", f"二、不予认定的项目（{len(by[REFUSED])}个）"))
    if by[REFUSED]:
        blocks.append(Table(["序号", "项目编号", "小区名称", "不予认定的原因"],
                            [[str(i), d.project, d.community, "；".join(d.reasons)] for i, d in enumerate(by[REFUSED], 1)],
                            [5, 13, 20, 44]))
        blocks.append("请督促建设单位对上述项目逐项整改，达到开工认定标准后重新申报核查；未经认定的项目不计入开工项目。")
    else:
        blocks.append("无。")
    blocks.append(("h1", f"三、待核查的项目（{len(by[PENDING])}个）"))
    if by[PENDING]:
        blocks.append(Table(["序号", "项目编号", "小区名称", "尚待办理"],
                            [[str(i), d.project, d.community, "；".join(d.reasons) or "待现场核查"]
                             for i, d in enumerate(by[PENDING], 1)], [5, 13, 20, 44]))
        blocks.append("上述项目已申报或已报开工，尚未全部核查，暂按申报列示，核查后另行通知结果。")
    else:
        blocks.append("无。")
    if by[UNDECLARED]:
        blocks.append(f"另有{len(by[UNDECLARED])}个项目尚未申报开工认定（项目编号：{'、'.join(d.project for d in by[UNDECLARED])}）。")
    blocks.append("特此函告。")
    return _letter(lp, conn, county, as_of, date, f"关于{county}{p.year}年城镇老旧小区改造项目\n开工认定结果的函",
                   blocks, f"开工认定结果·{county}")


def rectification_notice(conn: sqlite3.Connection, lp: LoadedPolicy, county: str, as_of: dt.date, *, date: dt.date | None = None) -> Official | None:
    """整改通知书: the county's open hazards (and those closed late) as of a day; None when none is open."""
    from generator.policy.cnfmt import cn_date
    hs = hazards(conn, as_of, county)
    open_ = [h for h in hs if h.is_open(as_of)]
    if not open_:
        return None
    overdue = [h for h in open_ if h.status(as_of) == OVERDUE]
    from generator.register.withdrawn import withdrawn_ids
    gone = withdrawn_ids(conn, as_of)
    # the names as the county's counted submissions received by ``as_of`` give them (the latest wins): a withdrawn
    # or trial submission, or one received after the letter's day, never names a project in it
    community = {pid: name for sid, pid, name in conn.execute(
        "SELECT s.id, p.project, p.community FROM projects p JOIN submissions s ON s.id = p.submission_id "
        "WHERE s.county = ? AND s.received <= ? AND COALESCE(s.kind, '') <> '试填报' ORDER BY s.received, s.id",
        (county, as_of.isoformat())).fetchall() if sid not in gone}
    days = sorted({h.found for h in hs})
    when = cn_date(days[0]) + (f"至{cn_date(days[-1])}" if len(days) > 1 else "")
    kinds = "、".join(sorted({h.inspection_type for h in hs if h.inspection_type})) or "检查"
    blocks: list[Any] = [
        f"{when}，{office(lp)}对你单位城镇老旧小区改造项目开展工程质量安全{kinds}，发现质量安全隐患{len(hs)}处。"
        f"截至{cn_date(as_of)}，尚有{len(open_)}处未整改销号，其中{len(overdue)}处已超过整改期限。具体如下。",
        Table(["序号", "项目编号", "小区名称", "隐患", "发现日期", "整改期限", "责任单位", "状态"],
              [[str(i), h.project, community.get(h.project, "") or "", h.description, _md(h.found, as_of),
                _md(h.deadline, as_of), h.responsible, h.status(as_of)] for i, h in enumerate(open_, 1)],
              [4, 14, 14, 24, 9, 9, 14, 8]),
        "请你单位督促责任单位立即整改，及时消除质量安全隐患；已超过期限的，请说明原因并限期完成。"
        f"整改完成后，请将整改情况和整改前后的照片等证明材料报{office(lp)}，经核实后销号。",
    ]
    late = [h for h in hs if h.status(as_of) == CLOSED_LATE]
    if late:
        blocks.append(f"另有{len(late)}处隐患已整改销号，但销号晚于整改期限。")
    done = [h for h in hs if h.status(as_of) == CLOSED]
    if done:
        blocks.append(f"按期整改销号的隐患{len(done)}处，不再列出。")
    blocks.append("特此通知。")
    return _letter(lp, conn, county, as_of, date, f"关于{county}城镇老旧小区改造工程\n质量安全隐患整改的通知书", blocks,
                   f"整改通知书·{county}")


def write_documents(path: Where, lp: LoadedPolicy, as_of: dt.date, out_dir: Path, *, date: dt.date | None = None, pdf: bool = True,
                    counties: list[str] | None = None) -> list[Path]:
    """Per county that reported by ``as_of``: its 开工认定结果, and its 整改通知书 when a hazard is open; through the
    document pipeline (the kinds below): all rendered, then each written atomically."""
    items = letters(lp, path, as_of, date=date, counties=counties)
    return pipeline.save(pipeline.render(items, lp, out_dir, None if pdf else ("docx",)))


# -- the two letters as kinds of the document pipeline (generator/render/pipeline.py) ---------------------------------
# the context is the 公文 built above, the layout the 公文's own (DOCX on the GB/T 9704 base and PDF); registered when
# this module is imported (generator/life/kinds/letters.py is the hook the command layer finds):
# gaizao render doc start-result|rectification --db FILE --as-of DAY [--county C] [--date DAY]
START_FOLDER = "开工认定结果"
NOTICE_FOLDER = "整改通知书"


def letters(lp: LoadedPolicy, db_path: Where, as_of: dt.date, *, date: dt.date | None = None,
            counties: list[str] | None = None, start: bool = True, notice: bool = True
            ) -> list[tuple[DocumentKind, Document]]:
    """Per county that reported by ``as_of``: its 开工认定结果 (when the policy has 开工认定标准), and its 整改通知书
    when a hazard is open, in the policy's county order."""
    from generator.register import db
    out: list[tuple[DocumentKind, Document]] = []
    day = as_of.isoformat()
    with db.opened(db_path, create=False) as conn:
        reported = {r[0] for r in conn.execute("SELECT DISTINCT county FROM submissions WHERE received <= ?", (day,))}
        names = [c.name for c in lp.policy.counties if c.name in reported and (not counties or c.name in counties)]
        for county in names:
            sample = _sample(conn, county, as_of)
            if start and lp.policy.has_start_criteria:
                doc = start_result(conn, lp, county, as_of, date=date)
                out.append((START, Document(f"开工认定结果（{county}，截至{day}）", doc, doc.title, sample, START_FOLDER,
                                            author=doc.author)))
            if notice:
                letter = rectification_notice(conn, lp, county, as_of, date=date)
                if letter is not None:
                    out.append((NOTICE, Document(f"整改通知书（{county}，截至{day}）", letter, letter.title, sample,
                                                 NOTICE_FOLDER, author=letter.author)))
    return out


def _of(which: str, lp: LoadedPolicy, inputs: Inputs) -> list[Document]:
    assert inputs.db is not None and inputs.as_of is not None
    return [d for _, d in letters(lp, inputs.db, inputs.as_of, date=inputs.date,
                                  counties=[inputs.county] if inputs.county else None,
                                  start=which == "start", notice=which == "notice")]


def _start(lp: LoadedPolicy, inputs: Inputs) -> list[Document]:
    return _of("start", lp, inputs)


def _notice(lp: LoadedPolicy, inputs: Inputs) -> list[Document]:
    return _of("notice", lp, inputs)


START = register(DocumentKind(
    "start-result", "开工认定结果", "start-of-work result", _start, OfficialLayout(), needs=("db", "as_of"),
    build=from_register, built_by="project documents", help="每个下级单位的开工认定结果函（认定、不予认定及原因、待核查）"))
NOTICE = register(DocumentKind(
    "rectification", "整改通知书", "rectification notice", _notice, OfficialLayout(), needs=("db", "as_of"),
    build=from_register, built_by="project documents", help="有未销号质量安全隐患的下级单位的整改通知书"))
