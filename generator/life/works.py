"""改造内容 by the notice's words over a project's life: the duties its words set, the 改造内容分类汇总表.

The keyword table classifying 改造内容 (三（二）, 五（二）) has its one home in generator/validate/works.py, read by
the validator (V205), the register (汇总表, national survey) and here; it is re-exported for ``gaizao project works``.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from generator.validate.works import (  # noqa: F401  (the one keyword table; its home is the validator's floor)
    KEYWORDS, PRIORITY_GROUPS, Classified, CountyWorks, by_county, classify, phrases, table)

if TYPE_CHECKING:
    from generator.policy.loader import LoadedPolicy
    from generator.render.pipeline import Document, DocumentKind, Inputs

__all__ = ["DUTIES", "KEYWORDS", "PRIORITY_GROUPS", "Classified", "CountyWorks", "by_county", "classify", "duties",
           "phrases", "table", "write_xlsx"]

# -- the duties the notice's words set over a project's life ------------------------------------------------
# duty -> (words that state it in a clause, 中文). A policy whose text has none of the words sets no such duty:
# a notice silent on 竣工验收 asks for no 竣工验收 record.
DUTIES: dict[str, tuple[tuple[str, ...], str]] = {
    "inspection": (("抽检巡检", "巡查", "巡检"), "质量安全抽检巡检"),
    "acceptance": (("验收移交", "竣工验收"), "竣工验收"),
    "handover": (("验收移交", "移交"), "移交"),
    "warranty": (("保修",), "保修"),
    "complaints": (("投诉",), "质量问题投诉处理"),
}


def duties(lp: LoadedPolicy) -> dict[str, tuple[str, str]]:
    """{duty: (clause id, the sentence of the clause that states it)} for the duties the policy's text states."""
    text = getattr(lp, "text", None)
    out: dict[str, tuple[str, str]] = {}
    if text is None:
        return out
    import re
    for c in text.clauses:
        if c.part != "plan":
            continue
        body = "".join(c.paragraphs)
        for key, (words, _) in DUTIES.items():
            if key in out:
                continue
            for sentence in re.split(r"(?<=[。；])", body):
                if any(w in sentence for w in words):
                    out[key] = (c.id, sentence.strip())
                    break
    return out


def write_xlsx(rows: list[CountyWorks], lp: LoadedPolicy, path: str | os.PathLike[str], *, sample: bool = False) -> Path:
    """改造内容分类表 (XLSX) to ``path``, through the document pipeline (the kind below)."""
    from generator.render import pipeline
    doc = pipeline.Document(Path(path).stem, rows, TITLE, sample)
    return pipeline.save([(Path(path), pipeline.produce(KIND, lp, doc, "xlsx"))])[0]


def xlsx_bytes(rows: list[CountyWorks], lp: LoadedPolicy, *, sample: bool = False) -> bytes:
    """改造内容分类表 (XLSX): per county the projects including each work of the notice and the priority pipelines,
    and those without any priority work (a note for the city, not an error). Counts as numbers, a 合计 row of
    formulas; every string stored as text."""

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    from generator.safetext import neutralise_sheet
    kw = table(lp)
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)      # a new Workbook has one worksheet
    ws.title = "改造内容分类"
    title = "改造内容分类汇总表" + ("（示例数据）" if sample else "")
    header = ["县（市、区）", "项目数", "含优先改造管线的项目", *[f"含{w}" for w in kw], "未含优先改造内容的项目数",
              "未含优先改造内容的项目"]
    ws.append([title])
    ws.append(header)
    for r in rows:
        ws.append([r.county, r.projects, r.with_pipeline, *[r.by_work[w] for w in kw], len(r.without_priority),
                   "、".join(r.without_priority)])
    first, last = 3, 2 + len(rows)
    if rows:
        ws.append(["合计", *[f"=SUM({get_column_letter(c)}{first}:{get_column_letter(c)}{last})"
                            for c in range(2, len(header))], ""])
    ws.append([])
    ws.append(["说明：按改造内容所含词语归类；优先改造内容为存在安全隐患的老旧管线和建筑节能改造；"
               "配套设施是否属群众意愿强烈的，请结合征求意见记录核实。未含优先改造内容的项目仅作提示。"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    thin = Side(style="thin")
    for row in ws.iter_rows(min_row=2, max_row=ws.max_row - 2, max_col=len(header)):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    for i in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 40 if i == len(header) else 11
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    setup = ws.sheet_properties.pageSetUpPr
    assert setup is not None                  # openpyxl creates it with the sheet
    setup.fitToPage = True
    ws.print_title_rows = "2:2"
    # strings are data, never formulas: our own SUM cells are the only formulas (set after neutralising)
    sums = {c.coordinate: c.value for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.value.startswith("=SUM(")}
    neutralise_sheet(ws)
    for coord, formula in sums.items():
        ws[coord].value = formula
        ws[coord].data_type = "f"
        ws[coord].quotePrefix = False
    from generator.ledger.writer import document_time, workbook_bytes
    return workbook_bytes(wb, document_time(lp.policy), neutralise=False)   # neutralised above; the document's date


# -- the table as a kind of the document pipeline (generator/render/pipeline.py) -----------------------------------
# context: the per-county rows; layout: the XLSX above. gaizao project works --xlsx writes it through write_xlsx;
# gaizao render doc works --db FILE --as-of DAY too.
TITLE = "改造内容分类汇总表"


def _documents(lp: LoadedPolicy, inputs: Inputs) -> list[Document]:
    from generator.register import Register
    from generator.render.checklists import plan_is_sample
    from generator.render.pipeline import Document
    assert inputs.db is not None and inputs.as_of is not None
    plans = Register(inputs.db).plans_as_of(inputs.as_of, lp)
    return [Document(f"{TITLE}（截至{inputs.as_of.isoformat()}）", by_county(plans, lp), TITLE,
                     any(plan_is_sample(pl) for pl in plans.values()))]


def _kind() -> DocumentKind:
    from generator.render.pipeline import Builder, DocumentKind, from_register, register
    return register(DocumentKind(
        "works", TITLE, "works by kind", _documents,
        Builder(xlsx=lambda d, env: xlsx_bytes(d.context, env.lp, sample=d.sample)), needs=("db", "as_of"),
        build=from_register, built_by="project works",
        help="各下级单位含优先改造的老旧管线、建筑节能、无障碍、适老适儿的项目数（XLSX）"))


KIND = _kind()
