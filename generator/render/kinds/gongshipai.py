"""改造公示牌: the poster a county posts in each 小区 when the project's design is done (开工认定标准 第3条,
"完成项目设计并在小区内公示"). One A3 landscape page per project; a county's workbook makes one PDF.

Printed from the workbook where it has the fact (小区, 地址, 楼栋数, 户数, 改造内容, the planned 工期, the
建设单位 and the 日常监管直接责任单位 with its 责任人 and 电话, the responsibility fields the policy's
project_fields name) and left as a blank to fill where it is silent (设计方案 and 设计单位, 施工单位, 监督电话,
公示期, 公示单位): never made up. Sample workbooks are labelled 示例数据 on every page.

    gaizao render doc gongshipai --plan data/sample-禹州市.xlsx [--project XC01-001] -o output/公示牌
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator.errors import InputError
from generator.render.pipeline import BuildData, Document, DocumentKind, HtmlLayout, Inputs, register

if TYPE_CHECKING:
    from generator.ledger.model import Row
    from generator.policy.loader import LoadedPolicy

TEMPLATE = "gongshipai/gongshipai.html.j2"
TITLE = "改造公示牌"


def _text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def poster(row: Row, lp: LoadedPolicy, pctx: dict[str, Any], county: str) -> dict[str, Any]:
    """One project's poster: what the workbook says, blanks where it is silent."""
    from generator.ledger import contract as C
    from generator.policy.cnfmt import cn_date
    from generator.render.forms_context import policy_fields
    p = lp.policy
    works = row.value(C.WORKS)
    works = [str(w) for w in works] if isinstance(works, (list, tuple)) else [x for x in [_text(works)] if x]
    start, end = row.value(C.PLANNED_START), row.value(C.PLANNED_END)
    duty = []
    if p.project_fields is not None:
        for item, f in zip(p.project_fields.items, policy_fields(row, lp)):
            if item.group == "responsibility":
                duty.append({"name": f["name"], "value": f["value"]})
    return {"id": _text(row.value(C.PROJECT_ID)), "name": _text(row.value(C.COMMUNITY)),
            "county": _text(row.value(C.COUNTY)) or county, "address": _text(row.value(C.ADDRESS)),
            "buildings": _text(row.value(C.BUILDINGS)), "households": _text(row.value(C.HOUSEHOLDS)),
            "works": works, "start": cn_date(start) if start else "", "end": cn_date(end) if end else "",
            "duty": duty, "plan_title": pctx["plan_title"], "year": p.year}


def documents(lp: LoadedPolicy, inputs: Inputs) -> list[Document]:
    """One document per workbook (a page per project), or the one project asked for (--project)."""
    from generator.fileio import sha256_file
    from generator.ledger.contract import PROJECT_ID
    from generator.ledger.reader import read_plan
    from generator.render.checklists import plan_is_sample
    from generator.render.forms_context import policy_context
    pctx = policy_context(lp)
    docs = []
    for path in inputs.plans:
        plan = read_plan(path, lp)
        county = plan.county or ""
        rows = [r for r in plan.projects if inputs.project in (None, _text(r.value(PROJECT_ID)))]
        if not rows:
            continue
        posters = [poster(r, lp, pctx, county) for r in rows]
        what = f"{county}·{posters[0]['id']}" if inputs.project else county
        docs.append(Document(f"{TITLE}（{what}）", {"posters": posters}, title=f"城镇老旧小区改造项目公示（{what}）",
                             sample=plan_is_sample(plan), input_hash=sha256_file(path), author=county))
    if inputs.project and not docs:
        raise InputError(f"工作簿中没有项目编号为“{inputs.project}”的项目", f"no project {inputs.project!r} in the workbook(s)",
                         location=", ".join(str(p) for p in inputs.plans))
    return docs


def build(lp: LoadedPolicy, data: BuildData) -> list[str] | str:
    """The build makes each sample county's posters, one PDF per county."""
    if not data.samples:
        return "没有本政策所列单位的示例工作簿"
    return [x for s in data.samples for x in ("--plan", str(s))]


KIND = register(DocumentKind(
    "gongshipai", TITLE, "project notice board", documents, HtmlLayout(TEMPLATE), needs=("plans",), build=build,
    help="逐项目改造公示牌（A3 横版，每个项目一页）：改造内容、工期、责任单位；施工单位、监督电话等留空待填"))
