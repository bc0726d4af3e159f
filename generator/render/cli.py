"""``gaizao render ...`` and ``gaizao templates ...``: sub-commands load lazily, one module each."""
from __future__ import annotations

import click

from generator.cli import LazyGroup

RENDER_COMMANDS = {
    "notice": ("generator.render.notice:notice_cmd", "通知全文（GB/T 9704 版式，DOCX + PDF）"),
    "county-plan": ("generator.render.county_plan:county_plan_cmd", "下级单位（县、市、区）实施方案模板（DOCX + XLSX）"),
    "checklists": ("generator.render.checklists:checklists_cmd", "逐项目开工认定核查表（DOCX，可选 PDF）"),
    "acceptance": ("generator.render.acceptance:acceptance_cmd", "年中/年终检查验收表（DOCX + PDF）"),
}
TEMPLATE_COMMANDS = {
    "check": ("generator.render.templatecheck:check_cmd", "检查模板：未知字段、被拆分的标签、语法错误"),
}


class _RenderGroup(LazyGroup):
    table = RENDER_COMMANDS


class _TemplatesGroup(LazyGroup):
    table = TEMPLATE_COMMANDS


@click.group(cls=_RenderGroup)
def render():
    """生成公文与表格（全部数值取自政策）。 Render documents from a policy."""


@click.group(cls=_TemplatesGroup)
def templates():
    """可编辑的文档模板（templates/，可用 --templates DIR 覆盖）。 Editable document templates."""
