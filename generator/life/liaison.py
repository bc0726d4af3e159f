"""联系点 (五（五）): the county's 3-31 report as its own document, and the four conditions as the city's checklist.

"联系点应规模适中、群众工作基础较好、可整合利用的空间和设施较多、吸引社会力量参与潜力较大等方面能取得实际进展等条件……于3月底前
将联系点基本情况、推进措施、拟打造特色和亮点报送至市百城办". Everything printed comes from the policy
(``liaison_points.criteria``, ``report_contents``, the county's ``liaison_quota``, the deadline) and from the
county's latest submission (its 联系点 sheet); nothing is typed here.

- ``report(lp, county, points)``: the 联系点情况报告 — one section per liaison point, one paragraph per report
  content, filled from the workbook where it says something and left as 【请填写…】 where it does not (the county
  edits the DOCX). Its banner and signature are the county's, which the notice does not name: the county's name
  is printed for the county to complete.
- ``checklist(lp, county, points, checks)``: the 联系点条件核查表 the city fills — per liaison point the four
  conditions, 符合/不符合 as recorded (``gaizao project liaison-check``) or blank boxes, the note and who checked.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.render.official import BLANK_DATE, Official, Table, banner_of, date_text, doc_number_field, label_of, office

if TYPE_CHECKING:
    from generator.ledger.model import Plan
    from generator.life.record import Event, Where
    from generator.policy.loader import LoadedPolicy
    from generator.render.pipeline import Document, DocumentKind, Inputs

# {项目编号: {condition number: the liaison_check event recorded}}
Checks = dict[str, dict[int, "Event"]]


@dataclass
class Point:
    project: str
    community: str
    contents: dict[str, str]


def points_of(plan: Plan, lp: LoadedPolicy) -> list[Point]:
    """The liaison points of a county's plan (its 联系点 sheet), with what it says of each report content."""
    from generator.ledger import contract as C
    lpts = lp.policy.liaison_points
    items = list(lpts.report_contents) if lpts else []
    out = []
    for row in plan.liaison:
        pid, community = row.value(C.PROJECT_ID), row.value(C.COMMUNITY)
        out.append(Point("" if pid is None else str(pid), "" if community is None else str(community),
                         {k: ("" if row.value(k) is None else str(row.value(k))) for k in items}))
    return out


def report(lp: LoadedPolicy, county: str, points: list[Point], *, sample: bool = False) -> Official:
    from generator.policy.cnfmt import cn_date
    from generator.policy.text import context
    p = lp.policy
    lpts = p.liaison_points
    c = p.county(county)
    quota = c.liaison_quota.value if c is not None and c.liaison_quota else None
    dl = p.deadline(lpts.report_deadline) if lpts else None
    items = list(lpts.report_contents) if lpts else []
    blocks: list[Any] = [f"按照《{context(p)['plan_title']}》要求，我{('市' if county.endswith('市') else '县' if county.endswith('县') else '区')}"
                    f"确定城镇老旧小区改造联系点{len(points) if points else quota or '　'}个"
                    + (f"（要求确定{quota}个）" if quota is not None and points and len(points) != quota else "")
                    + f"，现将联系点{'、'.join(items)}报告如下。"]
    shown = points or [Point("", "", {}) for _ in range(quota or 1)]
    for i, pt in enumerate(shown, 1):
        name = pt.community or "【请填写小区名称】"
        blocks.append(("h1", f"{_cn(i)}、{name}" + (f"（项目编号{pt.project}）" if pt.project else "")))
        for j, item in enumerate(items, 1):
            text = pt.contents.get(item) or f"【请填写{item}】"
            blocks.append(f"（{_cn(j)}）{item}。{text}")
    if dl is not None:
        blocks.append(f"（本报告应于{cn_date(dl.date)}前报送{office(lp)}。）")
    return Official(county, "", f"关于报送{county}城镇老旧小区改造\n联系点情况的报告", f"{office(lp)}：", blocks,
                    county, BLANK_DATE, label_of(lp, sample), county, f"联系点情况·{county}")


def checklist(lp: LoadedPolicy, county: str, points: list[Point], checks: Checks, *, sample: bool = False,
              as_of: dt.date | None = None) -> Official:
    """The four conditions per liaison point; ``checks``: {项目编号: {condition number: Event}} as recorded."""
    p = lp.policy
    conditions = list(p.liaison_points.criteria) if p.liaison_points else []
    header = ["序号", "项目编号", "小区名称", *[f"{i}. {c}" for i, c in enumerate(conditions, 1)], "核查意见"]
    rows = []
    for n, pt in enumerate(points, 1):
        mine = checks.get(pt.project, {})
        marks = [(mine[i].fields["verdict"] if i in mine else "□符合 □不符合") for i in range(1, len(conditions) + 1)]
        notes = "；".join(f"{i}. {e.fields['note']}" for i, e in sorted(mine.items()) if e.fields.get("note"))
        who = "、".join(sorted({e.fields["inspector"] for e in mine.values()}))
        rows.append([str(n), pt.project, pt.community, *marks, (notes + (f"（{who}）" if who else "")) or ""])
    from generator.policy.cnfmt import cn_date
    blocks: list[Any] = [f"根据《{_plan_title(lp)}》，联系点应具备{'、'.join(conditions)}等条件。"
                    f"{office(lp)}对{county}确定的{len(points)}个联系点逐项核查如下" + (f"（截至{cn_date(as_of)}）" if as_of else "") + "。",
                    Table(header, rows, [4, 10, 12, *[10] * len(conditions), 18]),
                    "核查人（签字）：　　　　核查日期：　　年　　月　　日"]
    issuer = p.document.issuer.value
    return Official(banner_of(lp, letter=True), doc_number_field(lp), f"{county}城镇老旧小区改造\n联系点条件核查表",
                    f"{county}：", blocks, issuer, date_text(None), label_of(lp, sample), issuer,
                    f"联系点条件核查表·{county}")


def _plan_title(lp: LoadedPolicy) -> str:
    from generator.policy.text import context
    return str(context(lp.policy)["plan_title"])


def _cn(n: int) -> str:
    """零 for none, else 一, 二 … (cnfmt.cn_ordinal, the one home of numerals)."""
    from generator.policy.cnfmt import cn_ordinal
    return "零" if n == 0 else cn_ordinal(n)


def liaison_checks(conn: sqlite3.Connection, county: str, as_of: dt.date) -> Checks:
    from generator.life.record import events, has_life
    out: Checks = {}
    if not has_life(conn):
        return out
    for e in events(conn, kind="liaison_check", county=county, until=as_of):
        if e.project is None:          # a liaison check is always of a project (its command takes one)
            continue
        out.setdefault(e.project, {})[int(e.fields["condition"])] = e
    return out


def liaison_documents(path: Where, lp: LoadedPolicy, county: str,
                      as_of: dt.date) -> list[tuple[DocumentKind, Document]]:
    """(kind, Document) of the county's 联系点情况报告 (filled from its latest submission) and the city's 核查表."""
    from generator.errors import UsageError
    from generator.register import Register, db
    from generator.register.series import latest_ids
    from generator.render.pipeline import Document
    if lp.policy.liaison_points is None:
        raise UsageError("本政策未规定联系点", "the policy names no liaison points")
    reg = Register(path)
    with db.opened(path, create=False) as conn:
        sid = latest_ids(conn, as_of).get(county)
        checks = liaison_checks(conn, county, as_of)
    points, sample = [], False
    if sid is not None:
        from generator.render.checklists import plan_is_sample
        plan = reg.plan(sid, lp)
        points, sample = points_of(plan, lp), plan_is_sample(plan)
    rep = report(lp, county, points, sample=sample)
    chk = checklist(lp, county, points, checks, sample=sample, as_of=as_of)
    return [(REPORT, Document(f"联系点情况报告（{county}）", rep, rep.title.replace("\n", ""), sample, author=rep.author)),
            (CHECK, Document(f"联系点条件核查表（{county}，截至{as_of.isoformat()}）", chk, chk.title.replace("\n", ""),
                             sample, author=chk.author))]


def write_liaison(path: Where, lp: LoadedPolicy, county: str, as_of: dt.date,
                  out_dir: str | Path, *, pdf: bool = True) -> list[Path]:
    """The county's 联系点情况报告 and the city's 核查表, DOCX (and PDF), through the document pipeline (the kinds
    below): all rendered, then each written atomically."""
    from generator.render import pipeline
    return pipeline.save(pipeline.render(liaison_documents(path, lp, county, as_of), lp, out_dir,
                                         None if pdf else ("docx",)))


# -- the two documents as kinds of the document pipeline (generator/render/pipeline.py) ------------------------------
# context: the 公文 built above; layout: the 公文's. gaizao project liaison writes both through write_liaison;
# gaizao render doc liaison-report|liaison-check --db FILE --as-of DAY [--county C] makes one kind.
def _of(which: int, lp: LoadedPolicy, inputs: Inputs) -> list[Document]:
    from generator.register import db
    assert inputs.db is not None and inputs.as_of is not None
    counties = [inputs.county] if inputs.county else None
    if counties is None:
        with db.opened(inputs.db, create=False) as conn:
            sent = {r[0] for r in conn.execute("SELECT DISTINCT county FROM submissions WHERE received <= ?",
                                               (inputs.as_of.isoformat(),))}
        counties = [c.name for c in lp.policy.counties if c.name in sent]
    return [liaison_documents(inputs.db, lp, c, inputs.as_of)[which][1] for c in counties]


def _kinds() -> tuple[DocumentKind, DocumentKind]:
    from generator.render.official import OfficialLayout
    from generator.render.pipeline import DocumentKind, from_register, register
    return (register(DocumentKind("liaison-report", "联系点情况报告", "liaison point report",
                                  lambda lp, i: _of(0, lp, i), OfficialLayout(), needs=("db", "as_of"), build=from_register,
                                  built_by="project liaison", help="下级单位的联系点情况报告（基本情况、推进措施、拟打造特色和亮点）")),
            register(DocumentKind("liaison-check", "联系点条件核查表", "liaison point check",
                                  lambda lp, i: _of(1, lp, i), OfficialLayout(), needs=("db", "as_of"), build=from_register,
                                  built_by="project liaison", help="本级的联系点条件核查表")))


REPORT, CHECK = _kinds()
