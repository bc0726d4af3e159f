"""反馈意见函: a letter to one county listing the findings on what it submitted, in official layout.

Each finding is one row: where (工作表/行/列 as the county's workbook shows them, or the file's line),
the project, what is wrong, and the clause of the policy it rests on. Errors and warnings are listed;
info notes (V004 duties to come, V003 not checked) are not problems of the submission. The date by
which the county must resubmit is not in the policy: it is left blank for the office to fill in.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from generator.findings import Severity
from generator.render.official import (Official, Table, banner_of, date_text, doc_number_field, issued_text,
                                        issuer_of, label_of, office)

if TYPE_CHECKING:
    from generator.render.pipeline import Document


def _where(f) -> str:
    parts = []
    if f.sheet:
        parts.append(f.sheet)
    if f.row:
        parts.append(f"第{f.row}行")
    if f.column:
        parts.append(f.column)
    if not parts and f.line:
        parts.append(f"第{f.line}行")
    return "·".join(parts) or "全表"


def addressee_for(lp, county: str) -> str:
    """The policy's addressee of the counties with this county's name (各县（市、区）政府 -> 禹州市政府; a
    province's 各市人民政府 -> 牡丹江市人民政府)."""
    from generator.policy.wording import lower_units
    a = lp.policy.document.addressees
    first = a.value[0] if a is not None and a.value else ""
    units = lower_units(lp.policy)
    return (first.replace(units, county) if units in first else county) + "："


def fankui(lp, county: str, findings: list, *, file_name: str = "", received: dt.date | None = None,
           sample: bool = False, date: dt.date | None = None) -> Official:
    from generator.policy.cnfmt import cn_date
    from generator.policy.text import context

    p = lp.policy
    listed = [f for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)
              and (f.county in (None, county))]
    errors = sum(1 for f in listed if f.severity == Severity.ERROR)
    warnings = len(listed) - errors
    number = p.document.doc_number.value if p.document.doc_number else ""
    basis = f"《{context(p)['plan_title']}》" + (f"（{number}）" if number else "")
    what = "报送的材料"          # not its file name: no internal trace in the letter (issue 21.1)
    when = f"于{cn_date(received)}" if received else ""
    blocks: list = []
    if listed:
        blocks.append(f"你单位{when}{what}已收悉。经对照{basis}校验，发现问题{len(listed)}项"
                      f"（其中须改正{errors}项、请核实{warnings}项），具体如下表。请逐项核实修改，"
                      f"于　　月　　日前重新报送{office(lp)}。")
        rows = [[str(i), _where(f), f.project or "", issued_text(f.message), f.clause or "",
                 "须改正" if f.severity == Severity.ERROR else "请核实"] for i, f in enumerate(listed, 1)]
        blocks.append(Table(["序号", "位置", "项目编号", "问题", "依据条款", "处理"], rows, [5, 17, 14, 36, 18, 10]))
    else:
        blocks.append(f"你单位{when}{what}已收悉。经对照{basis}校验，未发现问题。")
    blocks.append("特此函告。")
    issuer = issuer_of(lp)
    return Official(banner_of(lp, letter=True), doc_number_field(lp),
                    f"关于{county}{p.year}年城镇老旧小区改造\n报送材料的反馈意见函", addressee_for(lp, county), blocks,
                    issuer, date_text(date), label_of(lp, sample), issuer, f"反馈意见函·{county}", date,
                    letter=True)          # 信函格式 [GB/T 9704 10.1]


# -- the letter as a kind of the document pipeline (generator/render/pipeline.py) ---------------------------------
# context: the 公文 above; layout: the 公文's (DOCX on the GB/T 9704 base and PDF). gaizao report feedback and the
# year's documents write it through KIND; gaizao render doc fankui --plan F.xlsx [--county] [--as-of] [--date] too.
def document(doc: Official, county: str, sample: bool, stem: str = "") -> Document:
    from generator.render.pipeline import Document
    return Document(stem or f"反馈意见函（{county}）", doc, doc.title.replace("\n", ""), sample, author=doc.author)


def documents(lp, inputs) -> list:
    """One letter per workbook given: its findings (validated as of --as-of, default today), to its own county or
    to --county (a workbook of several)."""
    from generator.errors import UsageError
    from generator.ledger.reader import read_plan
    from generator.policy.wording import lower_unit
    from generator.render.checklists import plan_is_sample
    from generator.validate import validate_plans
    day = inputs.as_of or dt.date.today()
    out = []
    for path in inputs.plans:
        plan = read_plan(path, lp)
        result = validate_plans([plan], lp, day)
        own = plan.county if plan.county and lp.policy.county(str(plan.county)) else None
        county = inputs.county or own
        if county is None or lp.policy.county(county) is None:
            names = "、".join(c.name for c in lp.policy.counties)
            raise UsageError(f"请用 --county 指明致函的{lower_unit(lp.policy.unit_level)}（{names}）",
                             f"name the county the letter goes to with --county ({names})")
        sample = plan_is_sample(plan)
        out.append(document(fankui(lp, county, result.report.findings, sample=sample, date=inputs.date), county,
                            sample))
    return out


def _build(lp, data) -> list[str] | str:
    return [x for s in data.samples for x in ("--plan", str(s))] if data.samples else "没有示例工作簿"


def _kind():
    from generator.render.official import OfficialLayout
    from generator.render.pipeline import DocumentKind, register
    return register(DocumentKind(
        "fankui", "反馈意见函", "feedback letter", documents, OfficialLayout(), needs=("plans",), build=_build,
        built_by="register documents", help="致一个下级单位：其报送材料的问题（位置、问题、处理），信函格式"))


KIND = _kind()
