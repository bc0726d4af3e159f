"""``gaizao render ...`` and ``gaizao templates ...``: the click commands of the render floor (click lives only in
the command layer); each imports its library module when it runs, so ``gaizao --help`` stays light."""
from __future__ import annotations

from pathlib import Path

import click

from generator.cli import LazyGroup
from generator.options import (handle_errors, json_option, lang_option, output_dir_option, policy_option,
                               says_policy, strict_option)

RENDER_COMMANDS = {
    "notice": ("generator.render.cli:notice_cmd", "通知全文（GB/T 9704 版式，DOCX + PDF）"),
    "county-plan": ("generator.render.cli:county_plan_cmd", "下级单位（县、市、区）实施方案模板（DOCX + XLSX）"),
    "checklists": ("generator.render.cli:checklists_cmd", "逐项目开工认定核查表（DOCX，可选 PDF）"),
    "acceptance": ("generator.render.cli:acceptance_cmd", "年中/年终检查验收表（DOCX + PDF）"),
    "doc": ("generator.render.cli:doc_cmd", "任一已登记的文档类型（gaizao render doc --list）：公示牌等"),
}
TEMPLATE_COMMANDS = {
    "check": ("generator.render.cli:check_cmd", "检查模板：未知字段、被拆分的标签、语法错误"),
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


@click.command("notice")
@click.argument("ref", default=None, required=False, metavar="[REF]")
@output_dir_option
@click.option("--corrected", is_flag=True,
              help="按勘误更正后的文本生成，并附勘误说明页 / render the corrected text and list the corrections.")
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False, exists=True),
              help="用此文件夹中同名模板覆盖内置模板 / folder whose files override the bundled templates.")
@click.option("--no-pdf", is_flag=True, help="只生成 DOCX / DOCX only.")
@click.option("--date", "date_text", default=None,
              help="更正通知的成文日期 YYYY-MM-DD（默认留空由发文机关填写）/ issue date of the correction notice.")
@lang_option
@handle_errors
@says_policy
def notice_cmd(ref, output_dir, corrected, templates_dir, no_pdf, date_text, lang):
    """通知全文（GB/T 9704 版式）：DOCX 与 PDF。 The notice in GB/T 9704 format, DOCX and PDF."""
    from generator.render.notice import render_notice, corrections, CORRECTION_NOTICE_STEM
    from generator.policy import load_policy
    from generator.policy.resolve import resolve_policy_ref

    lp = load_policy(resolve_policy_ref(ref))      # no REF: gaizao.toml or GAIZAO_POLICY, else the four ways
    date = None
    if date_text:
        import datetime as dt
        try:
            date = dt.date.fromisoformat(date_text.strip())
        except ValueError:
            from generator.errors import UsageError
            raise UsageError(f"--date 应为日期，如 2023-03-01，而不是“{date_text}”",
                             f"--date must be a date like 2023-03-01, not {date_text!r}") from None
    paths = render_notice(lp, output_dir, corrected=corrected, templates_dir=templates_dir, pdf=not no_pdf, date=date)
    en = lang == "en"
    for p in paths:
        click.echo(("wrote " if en else "已生成 ") + str(p))
    if corrected:
        fixes = corrections(lp)
        click.echo((f"{len(fixes)} corrections (issued in the {CORRECTION_NOTICE_STEM}, correction notice):" if en
                    else f"已按 {len(fixes)} 处勘误更正，并生成{CORRECTION_NOTICE_STEM}："))
        for f in fixes:
            note = (f["note_en"] or f["note"]) if en else f["note"]
            click.echo(f"  {f['where']}: {f['printed']} → {f['corrected']}  {note}")


@click.command("county-plan")
@click.argument("policy_ref", metavar="REF")
@click.option("--county", "county_name", default=None, help="下级单位（县、市、区）名称 / one county (the unit one level down).")
@click.option("--all", "all_counties", is_flag=True, help="全部下级单位 / every county (unit one level down).")
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False), default=None,
              help="覆盖模板的文件夹 / folder of templates overriding the bundled ones.")
@output_dir_option
@lang_option
@handle_errors
@says_policy
def county_plan_cmd(policy_ref, county_name, all_counties, templates_dir, output_dir, lang):
    """下级单位（县、市、区）年度实施方案模板（DOCX，预填目标、节点、期限）与项目清单工作簿（XLSX）。"""
    from generator.render.county_plan import resolve_counties, render_county_plans
    from generator.policy.wording import lower_unit
    from generator.policy import load_policy
    from generator.render.forms_templates import TemplateSet

    lp = load_policy(policy_ref)
    counties = resolve_counties(lp, county_name, all_counties)
    written = render_county_plans(lp, counties, output_dir, templates=TemplateSet(templates_dir))
    click.echo(f"wrote {len(written)} file(s) for {len(counties)} county(ies) to {output_dir}" if lang == "en"
               else f"已生成 {len(counties)} 个{lower_unit(lp.policy.unit_level)}的实施方案模板与报送表 {len(written)} 个文件 → "
               f"{output_dir}")


@click.command("checklists")
@click.argument("plan_files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@policy_option
@output_dir_option
@click.option("--pdf", is_flag=True, help="同时生成 PDF / also write PDFs.")
@click.option("--merge", is_flag=True, help="每个下级单位（县、市、区）合并为一个 PDF（封面、目录、页码）/ one PDF per county.")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="数据截至日期（默认：工作簿的报送日期）/ data cut-off date (default: the workbook's 报送日期).")
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False), default=None,
              help="覆盖模板的文件夹（同名相对路径）/ folder of templates overriding the bundled ones.")
@lang_option
@handle_errors
def checklists_cmd(plan_files, policy_ref, output_dir, pdf, merge, as_of, templates_dir, lang):
    """逐项目生成开工认定核查表（标准取自政策附件）。 One start-of-work checklist per project."""
    from generator.render.checklists import override_notes, render_checklists
    from generator.policy import load_policy
    from generator.render.forms_templates import TemplateSet

    lp = load_policy(policy_ref)
    templates = TemplateSet(templates_dir)
    for zh, en in override_notes(templates, docx=True, pdf=pdf or merge):
        click.echo(en if lang == "en" else zh, err=True)
    written = render_checklists(list(plan_files), lp, output_dir, pdf=pdf, merge=merge, templates=templates,
                                as_of=as_of.date() if as_of else None)
    nd, np_ = len(written["docx"]), len(written["pdf"])
    if lang == "en":
        click.echo(f"wrote {nd} checklist DOCX and {np_} PDF file(s) to {output_dir}")
    else:
        click.echo(f"已生成开工认定核查表 DOCX {nd} 份、PDF {np_} 份 → {output_dir}")


@click.command("acceptance")
@click.argument("policy_ref", metavar="REF")
@click.option("--round", "round_ref", required=True, help="检查轮次 mid-year|year-end（或 年中|年终）/ inspection round.")
@click.option("--county", "county_name", default=None, help="下级单位（县、市、区）名称 / one county (the unit one level down).")
@click.option("--all", "all_counties", is_flag=True, help="全部下级单位 / every county (unit one level down).")
@click.option("--plan", "plans", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="下级单位的工作簿（可多次）：填入项目并计算节点完成情况 / county workbook(s) with progress.")
@click.option("--weights", default=None, help="各轮权重，如 mid-year=0.4,year-end=0.6，或 YAML 文件 / round weights.")
@click.option("--scores", "scores_path", default=None, type=click.Path(exists=True, dir_okay=False),
              help="各下级单位得分：YAML {轮次: {单位: 分}} 或 CSV（单位,年中,年终），UTF-8/GBK："
                   "生成汇总排名 / scores (YAML or CSV) for the ranking.")
@click.option("--as-of", "as_of", default=None,
              help="数据截止日期（检查日期，YYYY-MM-DD；默认为该轮月份最后一天）/ data cut-off, the inspection date.")
@click.option("--rubric", "rubric_path", default=None, type=click.Path(exists=True, dir_okay=False),
              help="评分细则（YAML：- {项目, 分值, 标准}，合计100分），印在市级检查验收表上 / the office's scoring rubric.")
@click.option("--hazards", "hazards_path", default=None, type=click.Path(exists=True, dir_okay=False),
              help="质量安全记录（gaizao project hazards --as-of 日期 --format json 的输出），印在市级检查验收表上 / "
                   "recorded inspections and hazards for the city form.")
@click.option("--pdf/--no-pdf", default=True, help="同时用 LibreOffice 打印 PDF（默认）/ also print PDFs (LibreOffice).")
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False), default=None,
              help="覆盖模板的文件夹 / folder of templates overriding the bundled ones.")
@output_dir_option
@lang_option
@handle_errors
@says_policy
def acceptance_cmd(policy_ref, round_ref, county_name, all_counties, plans, weights, scores_path, as_of, rubric_path,
                   hazards_path, pdf, templates_dir, output_dir, lang):
    """年中/年终检查验收表：下级单位的自查自评表与本级检查验收表（DOCX + PDF）。 Inspection forms."""
    from generator.render.acceptance import render_acceptance
    from generator.policy import load_policy
    from generator.render.county_plan import resolve_counties
    from generator.render.forms_templates import TemplateSet

    lp = load_policy(policy_ref)
    resolve_counties(lp, county_name, all_counties)      # --county xor --all, and a county the policy names
    written = render_acceptance(lp, round_ref, output_dir, counties=[county_name] if county_name else None,
                                plans=plans, weights_text=weights, scores_path=scores_path,
                                templates=TemplateSet(templates_dir), pdf=pdf, as_of=as_of, rubric_path=rubric_path,
                                hazards_path=hazards_path)
    click.echo(f"wrote {len(written)} file(s) to {output_dir}" if lang == "en"
               else f"已生成检查验收表 {len(written)} 个文件 → {output_dir}")


@click.command("check")
@click.argument("folder", type=click.Path(file_okay=False))
@policy_option
@json_option
@strict_option
@lang_option
@handle_errors
def check_cmd(folder, policy_ref, as_json, strict, lang):
    """检查模板：语法错误、被 Word 拆分的标签、未知字段。 Check document templates."""
    from generator.render.templatecheck import check_dir
    from generator.findings import print_report
    from generator.policy import load_policy
    lp = load_policy(policy_ref)
    report = check_dir(folder, lp)
    if as_json:
        click.echo(report.to_json(lang))
    else:
        n = report.subject.get("files", 0)
        click.echo(f"checked {n} template(s) in {folder}" if lang == "en" else f"已检查 {folder} 中的模板 {n} 个")
        if report.findings:
            print_report(report, lang=lang)
        else:
            click.echo("no problems" if lang == "en" else "未发现问题")
    raise SystemExit(report.exit_code(strict))


# -- the document pipeline (generator/render/pipeline.py): one command for every registered kind ----------------
KIND_PACKAGES = "kinds"          # generator/<unit>/kinds/<name>.py: one module per document kind, found here


def discover() -> list:
    """Import every ``generator/<unit>/kinds/*.py`` (each registers its kind with render.pipeline.register) and
    return the registered kinds. The command layer does it, so a kind may sit on the floor of the data it reads
    (render, reports, life) and nothing below imports upwards; a new module there is a new kind, with no list to
    edit."""
    import importlib
    import pkgutil

    import generator
    from generator.render import pipeline
    for unit in sorted(m.name for m in pkgutil.iter_modules(generator.__path__) if m.ispkg):
        for root in generator.__path__:
            folder = Path(root) / unit / KIND_PACKAGES
            if not (folder / "__init__.py").is_file():
                continue
            for mod in sorted(m.name for m in pkgutil.iter_modules([str(folder)])):
                importlib.import_module(f"generator.{unit}.{KIND_PACKAGES}.{mod}")
    return pipeline.registered()


def _date_param(text: str | None, option: str):
    if not text:
        return None
    import datetime as dt
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        from generator.errors import UsageError
        raise UsageError(f"{option} 应为日期，如 2023-06-30，而不是“{text}”",
                         f"{option} must be a date like 2023-06-30, not {text!r}") from None


@click.command("doc")
@click.argument("kind_name", metavar="KIND", required=False)
@policy_option
@click.option("--plan", "plans", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="下级单位的工作簿（可多次）/ county workbook(s).")
@click.option("--county", "county_name", default=None, help="下级单位（县、市、区）名称 / one county.")
@click.option("--project", default=None, help="项目编号（只生成这一个项目的）/ one project number.")
@click.option("--as-of", "as_of", default=None, help="数据截至日期 YYYY-MM-DD / data cut-off date.")
@click.option("--date", "date_text", default=None, help="成文日期 YYYY-MM-DD（默认留空）/ issue date (blank by default).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="登记库文件 / register database.")
@click.option("--scores", "scores_path", default=None, type=click.Path(exists=True, dir_okay=False),
              help="各下级单位得分 YAML/CSV / scores file.")
@click.option("--weights", default=None, help="各轮权重，如 mid-year=0.4,year-end=0.6 / round weights.")
@click.option("--round", "round_ref", default=None, help="检查轮次 mid-year|year-end（或 年中|年终）/ inspection round.")
@click.option("--against", default=None, metavar="REF",
              help="与之比较的原政策版本（新旧对照表）/ the older policy version compared with (对照表).")
@click.option("--format", "formats", multiple=True, type=click.Choice(["docx", "pdf", "xlsx"]),
              help="只生成这些格式（可多次；默认该类型的全部格式）/ only these formats (default: all of the kind's).")
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False), default=None,
              help="覆盖模板的文件夹 / folder of templates overriding the bundled ones.")
@click.option("--list", "list_kinds", is_flag=True, help="列出已登记的文档类型 / list the registered kinds.")
@output_dir_option
@lang_option
@handle_errors
def doc_cmd(kind_name, policy_ref, plans, county_name, project, as_of, date_text, db_path, scores_path, weights,
            round_ref, against, formats, templates_dir, list_kinds, output_dir, lang):
    """生成一种已登记的文档（语境 + 版式，经同一流水线输出 DOCX/PDF/XLSX）；--list 列出全部类型及所需输入。
    Render one registered document kind (--list shows the kinds and what each needs)."""
    from generator.render import pipeline

    kinds = discover()
    en = lang == "en"
    if list_kinds or not kind_name:
        for k in kinds:
            needs = " ".join(pipeline.INPUTS[n][0] for n in k.needs)
            click.echo(f"{k.name}\t{k.title_en if en else k.title}\t{'/'.join(k.formats)}\t{needs}\t{k.help}")
        return
    from generator.policy import load_policy
    from generator.register import db as register_db
    kind = pipeline.kind_of(kind_name)
    lp = load_policy(policy_ref)
    inputs = pipeline.Inputs(plans=tuple(Path(p) for p in plans), county=county_name, project=project,
                             as_of=_date_param(as_of, "--as-of"), date=_date_param(date_text, "--date"),
                             db=register_db.target(db_path) if db_path else None,     # a file or postgresql://…
                             scores=Path(scores_path) if scores_path else None, weights=weights,
                             round=round_ref, against=against, templates=Path(templates_dir) if templates_dir else None)
    written = pipeline.write(kind, lp, inputs, output_dir, tuple(formats) or None)
    for p in written:
        click.echo(("wrote " if en else "已生成 ") + str(p))
