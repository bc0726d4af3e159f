"""``gaizao validate`` and ``gaizao progress``: thin click layers over generator.validate."""
from __future__ import annotations

import click

from generator.options import format_option, handle_errors, lang_option, policy_option, strict_option


@click.command("validate")
@click.argument("plans", nargs=-1, required=True, metavar="PLAN...")
@policy_option
@format_option("text", "json")
@lang_option
@strict_option
@click.option("--annotate", "annotate_out", metavar="OUT.xlsx",
              help="写出标注后的工作簿副本（问题单元格着色并加批注，附“问题清单”）/ write a marked-up copy.")
@click.option("--as-of", "as_of", default=None, metavar="DATE",
              help="按此日期校验（默认今天）：未到期的报送义务暂不校验并列出 / judge as of DATE (default today): "
                   "duties not yet due are listed, not failed.")
@click.option("--against", "against", type=click.Path(dir_okay=False), metavar="PLAN.xlsx",
              help="信息月报所对照的年度实施方案（校验月报时）/ the plan a 信息月报 reports on.")
@handle_errors
def validate(plans, policy_ref, fmt, lang, strict, annotate_out, as_of, against):
    """校验下级单位（县、市、区）的年度实施方案（.xlsx 工作簿，或同样内容的 .yaml/.json/.csv）。

    Validate county plans against the policy. Exit 0: no errors (warnings allowed), 1: errors (or
    warnings with --strict), 2: a file cannot be read or the options are wrong.
    """
    import gc

    from generator.cli import ending_without_teardown
    gc_was_on = gc.isenabled()
    # One command over a plan of millions of small acyclic objects: a cyclic collection would walk them all
    # (0.1-0.2 s a time) and find nothing. Off for the command; back on after it, unless the process ends now.
    gc.disable()
    try:
        from generator.ledger.reader import is_monthly_file
        monthly = [p for p in plans if is_monthly_file(p)]
        if monthly:              # a 信息月报 is judged by the monthly rules (validate/monthly.py), never the plan's
            _validate_monthly(plans, monthly, against, policy_ref, fmt, lang, strict, as_of, annotate_out)
        _validate(plans, policy_ref, fmt, lang, strict, annotate_out, as_of)
    finally:
        if gc_was_on and not ending_without_teardown():
            gc.enable()


def _validate(plans, policy_ref, fmt, lang, strict, annotate_out, as_of):
    from generator.cli import keep_until_exit
    from generator.errors import UsageError
    from generator.ledger.workbook import start_reading

    if annotate_out and len(plans) != 1:
        raise UsageError("--annotate 一次只能标注一个工作簿", "--annotate works on exactly one workbook")
    refuse_same_file_twice(plans)
    day = _as_of(as_of)
    # calamine parses the first workbook in a thread while the policy and the rules load (ledger/workbook.py)
    opened = start_reading(plans[0]) if plans else None
    try:
        from generator.policy import load_policy
        from generator.validate import validate_files
        lp = load_policy(policy_ref)
        result = validate_files(plans, lp, day, opened)
    except BaseException:
        if opened is not None:
            opened.close()                 # read_plan closes it when it gets that far; closing twice is harmless
        raise
    keep_until_exit(result)
    if annotate_out:
        from generator.validate.annotate import annotate
        plan = result.plans[0]
        annotate(plan, result.by_file.get(plan.file, []), annotate_out, lp=lp, lang=lang)
    if fmt == "json":
        import json
        click.echo(json.dumps(result.to_dict(lang), ensure_ascii=False, indent=2))
    else:
        from generator.validate.textout import print_validation
        print_validation(result, lang=lang, annotated=annotate_out, lp=lp)
    raise SystemExit(result.report.exit_code(strict))


def _validate_monthly(plans, monthly, against, policy_ref, fmt, lang, strict, as_of, annotate_out=None):
    """信息月报 by the monthly rules; with ``--against`` the plan they report on (else the rules that need it wait)."""
    from generator.errors import UsageError
    from generator.findings import Report, print_report
    from generator.ledger.reader import read_monthly, read_plan
    from generator.policy import load_policy
    from generator.validate.monthly import validate_monthly
    if len(monthly) != len(plans):
        raise UsageError("信息月报与年度实施方案请分开校验（月报对照的方案用 --against 给出）",
                         "validate 月报 and plans apart (give the plan a 月报 reports on with --against)")
    if annotate_out and len(plans) != 1:
        raise UsageError("--annotate 一次只能标注一个工作簿", "--annotate works on exactly one workbook")
    lp = load_policy(policy_ref)
    plan = read_plan(against, lp) if against else None
    report = Report(subject={**lp.manifest(), "files": list(plans), "against": against})
    for path in plans:
        m = read_monthly(path, lp)
        if plan is not None and plan.county and m.county and plan.county != m.county:
            raise UsageError(f"信息月报是{m.county}的，--against 给出的年度实施方案是{plan.county}的：请给出{m.county}的实施方案",
                             f"the 月报 is {m.county}'s, the --against plan is {plan.county}'s", location=str(path))
        found = validate_monthly(m, lp, plan, as_of=_as_of(as_of) if as_of else None)
        report.extend(found)
        if annotate_out:             # the 月报 marked up on its own cells, as the web's annotated copy is
            from generator.validate.annotate import annotate
            annotate(m, found, annotate_out, lp=lp, lang=lang)
    if fmt == "json":
        import json
        click.echo(json.dumps(report.to_dict(lang), ensure_ascii=False, indent=2))
    else:
        if plan is None:
            click.echo("未给出 --against 年度实施方案：项目编号、户数等对照方案的规则未校验" if lang != "en" else
                       "no --against plan: the rules against the plan were not run", err=True)
        from generator.validate.textout import terminal_console
        print_report(report, lang=lang, console=terminal_console())
    raise SystemExit(report.exit_code(strict))


def refuse_same_file_twice(paths) -> None:
    """One file named twice (the same path, or two paths to one file: a link, ./a and a) would count its
    projects twice and, being one submission, is no county's mistake (V802 is for two files of one
    county): a usage error, exit 2, naming both."""
    import os

    from generator.errors import UsageError
    seen: dict[tuple[int, int], str] = {}
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            continue                      # the reader says what is wrong with it
        key = (st.st_dev, st.st_ino)
        if key in seen:
            same = "同一路径" if seen[key] == path else f"与“{seen[key]}”是同一个文件"
            same_en = "given twice" if seen[key] == path else f"is the same file as {seen[key]}"
            raise UsageError(f"文件“{path}”{same}，重复给出会把其项目计算两次；请只给出一次",
                             f"{path} {same_en}: its projects would be counted twice; give it once")
        seen[key] = path


def _as_of(text):
    """--as-of as a date: today when not given; a clear usage error when it is not a date."""
    import datetime as dt

    from generator.errors import UsageError
    from generator.ledger.values import parse_date
    if text is None:
        return dt.date.today()
    day, err, err_en = parse_date(text)
    if day is None:
        raise UsageError(f"--as-of：{err or '应为日期'}", f"--as-of: {err_en or 'expected a date'}")
    return day


@click.command("progress")
@click.argument("plans", nargs=-1, required=True, metavar="PLAN...")
@click.option("--as-of", "as_of", required=True, metavar="DATE", help="统计截止日期 / as of date (2023-10-31).")
@policy_option
@format_option("text", "json")
@lang_option
@click.option("--strict", is_flag=True, help="有到期未完成的节点时退出码为 1 / exit 1 when a milestone due was missed.")
@click.option("--chart", "chart_out", metavar="FILE.png", help="完工进度图 / completion chart (PNG).")
@handle_errors
def progress(plans, as_of, policy_ref, fmt, lang, strict, chart_out):
    """按日期统计开工、完工进度，对照政策节点；列出未开工项目尚未满足的开工条件。

    Progress as of a date: share started and households completed per county and city against each
    milestone due, milestones missed, and the open start criteria of every unstarted project. A report:
    exit 0 (with --strict, 1 when a milestone due by the date was missed).
    """
    from generator.errors import UsageError
    from generator.ledger.reader import read_plan
    from generator.ledger.values import parse_date
    from generator.policy import load_policy
    from generator.validate import progress as P

    day, err, err_en = parse_date(as_of)
    if day is None:
        raise UsageError(f"--as-of：{err or '应为日期'}", f"--as-of: {err_en or 'expected a date'}")
    refuse_same_file_twice(plans)
    lp = load_policy(policy_ref)
    result = P.progress([read_plan(p, lp) for p in plans], lp, day)
    if chart_out:
        P.chart(result, lp, chart_out, lang=lang)
    if fmt == "json":
        import json
        click.echo(json.dumps(result.to_dict(lang), ensure_ascii=False, indent=2))
    else:
        P.print_progress(result, lang=lang)
    raise SystemExit(1 if strict and result.missed else 0)
