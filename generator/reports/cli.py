"""``gaizao report ...``: the year's documents from county workbooks, score files and report receipts.

Thin click layers over generator.reports; the register (``gaizao register``) calls the same functions
with what it has recorded.
"""
from __future__ import annotations

import click

from generator.cli import LazyGroup
from generator.options import handle_errors, lang_option, monthly_due_day_option, output_dir_option, policy_option

REPORT_COMMANDS = {
    "kaigong": ("generator.reports.cli:kaigong_cmd", "开工项目认定汇总表（XLSX + PDF）：可开工/不可开工及原因"),
    "tongbao": ("generator.reports.cli:tongbao_cmd", "进度通报（GB/T 9704，DOCX + PDF），可含迟报/漏报/错报"),
    "results": ("generator.reports.cli:results_cmd", "检查验收结果通报（DOCX + PDF）"),
    "feedback": ("generator.reports.cli:feedback_cmd", "反馈意见函：列出一个下级单位报送材料的问题"),
    "duties": ("generator.reports.cli:duties_cmd", "信息月报：迟报、漏报、错报（须给出报送日）"),
}


class _ReportGroup(LazyGroup):
    table = REPORT_COMMANDS


@click.group(cls=_ReportGroup)
def report():
    """全年的公文与汇总表（数据取自工作簿、得分文件与报送记录）。 The year's documents."""


def _date(text, option: str, required: bool = False):
    import datetime as dt

    from generator.errors import UsageError
    from generator.ledger.values import parse_date
    if text is None:
        if required:
            raise UsageError(f"缺少 {option}", f"{option} is required")
        return None
    day, err, err_en = parse_date(text)
    if day is None:
        raise UsageError(f"{option}：{err or '应为日期'}", f"{option}: {err_en or 'expected a date'}")
    return day if isinstance(day, dt.date) else day


def _echo_written(paths, lang):
    for p in paths:
        click.echo(("wrote " if lang == "en" else "已生成 ") + str(p))


def _plans(paths, lp):
    from generator.ledger.reader import read_plan
    return [read_plan(p, lp) for p in paths]


def _is_sample(plans) -> bool:
    from generator.render.checklists import plan_is_sample
    return any(plan_is_sample(p) for p in plans)


as_of_option = click.option("--as-of", "as_of", default=None, metavar="DATE", help="截至日期（默认今天）/ as of (default today).")
date_option = click.option("--date", "date", default=None, metavar="DATE",
                           help="成文日期（默认留空由发文机关填写）/ issue date (default: left blank).")
no_pdf_option = click.option("--no-pdf", is_flag=True, help="不生成 PDF / no PDF.")


def _as_of(text):
    import datetime as dt
    return _date(text, "--as-of") or dt.date.today()


@click.command("kaigong")
@click.argument("plans", nargs=-1, required=True, metavar="PLAN...")
@policy_option
@as_of_option
@click.option("--county", default=None, help="只生成此下级单位（县、市、区）/ only this county.")
@output_dir_option
@no_pdf_option
@lang_option
@handle_errors
def kaigong_cmd(plans, policy_ref, as_of, county, output_dir, no_pdf, lang):
    """开工项目认定汇总表：每个下级单位（县、市、区）一份，XLSX 与 PDF。 Start-of-work table per county."""
    from generator.policy import load_policy
    from generator.render.checklists import plan_is_sample
    from generator.reports.kaigong import kaigong_table, summary_line, write_table
    from generator.validate.citywide import county_parts

    from generator.errors import UsageError

    day = _as_of(as_of)
    lp = load_policy(policy_ref)
    parts = [(plan, part, part.county or "（未注明）") for plan, part in county_parts(_plans(plans, lp), lp)]
    if county and county not in {name for _, _, name in parts}:
        found = "、".join(name for _, _, name in parts)
        raise UsageError(f"所给工作簿中没有{county}（有：{found}）", f"{county} is not in the given workbooks ({found})")
    for plan, part, name in parts:
        if county and name != county:
            continue
        table = kaigong_table(lp, name, part, day, sample=plan_is_sample(plan))
        paths = write_table(table, output_dir, pdf=not no_pdf, lp=lp)
        click.echo(f"{name}：{summary_line(table)}")
        _echo_written(paths, lang)


def _received(path, lp):
    """(county, received, period) rows of a CSV the register exports: 县（市、区）,报送日期,所属月份 (市,… in a
    province's: the first column is named as the policy's level names the units below)."""
    import csv
    import io
    from pathlib import Path

    from generator.errors import InputError
    from generator.policy.wording import lower_unit, policy_level
    from generator.reports.duties import Received
    raw = Path(path).read_bytes()
    for enc in ("utf-8-sig", "gbk"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError("报送记录无法按 UTF-8 或 GBK 读取", "the receipts file is neither UTF-8 nor GBK", location=str(path))
    out = []
    for i, row in enumerate(csv.reader(io.StringIO(text)), 1):
        if not row or i == 1 and not any(ch.isdigit() for ch in "".join(row)):
            continue                      # header
        if len(row) < 3:
            raise InputError(f"第{i}行应有三列：{lower_unit(policy_level(lp.policy))},报送日期,所属月份",
                             f"line {i}: expected county,received,period", location=f"{path}:{i}")
        day = _date(row[1].strip(), f"{path}:{i} 报送日期")
        period = row[2].strip()[:7].replace("/", "-").replace(".", "-")
        if len(period) != 7 or not period[:4].isdigit() or not period[5:].isdigit() or not 1 <= int(period[5:]) <= 12:
            raise InputError(f"第{i}行所属月份“{row[2]}”应为 YYYY-MM", f"line {i}: period {row[2]!r} should be YYYY-MM",
                             location=f"{path}:{i}")
        out.append(Received(row[0].strip(), day, period))
    return out


@click.command("duties")
@click.option("--received", "received_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="报送记录 CSV：单位,报送日期,所属月份（单位为县（市、区），省级政策为市）/ receipts CSV.")
@policy_option
@as_of_option
@monthly_due_day_option
@lang_option
@handle_errors
def duties_cmd(received_path, policy_ref, as_of, due_day, lang):
    """信息月报报送情况：迟报、漏报、错报（待核实）。 Late, missing and revised monthly reports."""
    from generator.policy import load_policy
    from generator.reports.duties import reporting_duties

    lp = load_policy(policy_ref)
    rep = reporting_duties(lp, _received(received_path, lp), _as_of(as_of), due_day)
    for line in rep.paragraphs():
        click.echo(line)
    for row in rep.table_rows():
        click.echo(f"  {row[0]}  迟报：{row[1]}  漏报：{row[2]}  错报（待核实）：{row[3]}")


@click.command("tongbao")
@click.argument("plans", nargs=-1, required=True, metavar="PLAN...")
@policy_option
@as_of_option
@click.option("--received", "received_path", default=None, type=click.Path(exists=True, dir_okay=False),
              help="报送记录 CSV（列出迟报、漏报、错报）/ receipts CSV for the reporting-duty section.")
@monthly_due_day_option
@date_option
@output_dir_option
@no_pdf_option
@lang_option
@handle_errors
def tongbao_cmd(plans, policy_ref, as_of, received_path, due_day, date, output_dir, no_pdf, lang):
    """进度通报（GB/T 9704 版式，文号留空）。 Progress bulletin, DOCX + PDF."""
    from generator.policy import load_policy
    from generator.render.pipeline import write_documents
    from generator.reports.tongbao import KIND, document, lines_from_progress, progress_tongbao
    from generator.validate.progress import progress

    day = _as_of(as_of)
    lp = load_policy(policy_ref)
    loaded = _plans(plans, lp)
    duties = None
    if received_path:
        from generator.reports.duties import reporting_duties
        duties = reporting_duties(lp, _received(received_path, lp), day, due_day)
    counties, city = lines_from_progress(progress(loaded, lp, day))
    sample = _is_sample(loaded)
    doc = progress_tongbao(lp, day, counties, city, duties=duties, sample=sample, date=_date(date, "--date"))
    _echo_written(write_documents(KIND, lp, [document(doc, day, sample)], output_dir, pdf=not no_pdf), lang)


@click.command("results")
@click.option("--scores", "scores_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="本级检查得分 YAML/CSV {轮次: {单位: 分}} / the inspection scores.")
@click.option("--weights", default=None, help="各轮权重（政策未规定时由发文单位确定）/ round weights.")
@click.option("--round", "round_ref", default=None, help="只通报此轮（如 mid-year）；默认全年综合 / one round only.")
@click.option("--self", "self_forms", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="下级单位的自查自评表（已填写的 DOCX/XLSX），可多次给出 / filled self-assessment forms.")
@click.option("--self-scores", "self_scores_path", default=None, type=click.Path(exists=True, dir_okay=False),
              help="下级单位的自评得分文件（与 --scores 同格式）/ self-assessment scores in a score file.")
@click.option("--decision", "decision_path", default=None, type=click.Path(exists=True, dir_okay=False),
              help="并列时的研究确定（YAML：决定机关、决定日期、优秀）/ the office's decision on a tie.")
@policy_option
@date_option
@output_dir_option
@no_pdf_option
@lang_option
@handle_errors
def results_cmd(scores_path, weights, round_ref, self_forms, self_scores_path, decision_path, policy_ref, date,
                output_dir, no_pdf, lang):
    """检查验收结果通报：排名（并列同名次），优秀单位仅在排名能确定时列出。 Inspection results."""
    from pathlib import Path

    from generator.ledger.samples import NOTE
    from generator.policy import load_policy
    from generator.render.ranking import load_scores, parse_weights, rank
    from generator.render.pipeline import write_documents
    from generator.reports.selfcheck import read_self_score
    from generator.reports.tongbao import RESULTS, results_document, results_tongbao

    lp = load_policy(policy_ref)
    scores = load_scores(scores_path, lp.policy)
    w, source = parse_weights(weights, lp.policy)
    ranking = rank(lp.policy, scores, w, round_ref, weights_source=source,
                   clause_text=lp.text.display(lp.policy.inspections.clause))
    selfs = {}
    if self_scores_path:      # the round reported on: the one given, else the last (年终)
        by_round = load_scores(self_scores_path, lp.policy)
        rid = ranking.rounds[-1].id
        selfs.update(by_round.get(rid, {}))
    selfs.update({s.county: s.score for s in (read_self_score(f, lp) for f in self_forms)})
    sample = NOTE in Path(scores_path).read_bytes().decode("utf-8", "ignore")
    from generator.reports.decisions import load_tie_decision
    decision = load_tie_decision(decision_path, ranking) if decision_path else None
    doc = results_tongbao(lp, ranking, self_scores=selfs or None, sample=sample, date=_date(date, "--date"),
                          decision=decision)
    for row in ranking.rows:
        mark = "优秀" if row.excellent else ("待研究确定" if row.decision_needed else "")
        click.echo(f"{row.rank:>3}  {row.county}  {float(row.total):g}  {mark}")
    if ranking.decision_needed and decision is None:
        click.echo(("tied at the cut-off, needs a decision: " if lang == "en" else "并列于优秀名额线，须研究确定：")
                   + "、".join(ranking.decision_needed))
    _echo_written(write_documents(RESULTS, lp, [results_document(doc, sample)], output_dir, pdf=not no_pdf), lang)


@click.command("feedback")
@click.argument("plan", metavar="PLAN")
@policy_option
@as_of_option
@click.option("--received", "received", default=None, metavar="DATE", help="收到日期 / date received.")
@click.option("--county", default=None, help="汇总工作簿：致此下级单位（县、市、区）/ the county, for a workbook of several.")
@date_option
@output_dir_option
@no_pdf_option
@lang_option
@handle_errors
def feedback_cmd(plan, policy_ref, as_of, received, county, date, output_dir, no_pdf, lang):
    """反馈意见函：列出一个下级单位报送材料的问题（工作表/行/列/条款）。 Feedback letter to a county."""
    from pathlib import Path

    from generator.policy import load_policy
    from generator.policy.wording import lower_unit
    from generator.render.checklists import plan_is_sample
    from generator.reports.fankui import KIND, document, fankui
    from generator.render.pipeline import write_documents
    from generator.validate import validate_plans

    lp = load_policy(policy_ref)
    loaded = _plans([plan], lp)[0]
    result = validate_plans([loaded], lp, _as_of(as_of))
    from generator.errors import UsageError
    own = loaded.county if loaded.county and lp.policy.county(str(loaded.county)) else None
    county = county or own
    if county is None or lp.policy.county(county) is None:
        names = "、".join(c.name for c in lp.policy.counties)
        raise UsageError(f"请用 --county 指明致函的{lower_unit(lp.policy.unit_level)}（{names}）",
                         f"name the county the letter goes to with --county ({names})")
    sample = plan_is_sample(loaded)
    doc = fankui(lp, county, result.report.findings, file_name=Path(plan).name, received=_date(received, "--received"),
                 sample=sample, date=_date(date, "--date"))
    _echo_written(write_documents(KIND, lp, [document(doc, county, sample)], output_dir, pdf=not no_pdf), lang)
