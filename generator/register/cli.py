"""``gaizao register``: a thin click layer over generator.register.api (the library a web page also uses)."""
from __future__ import annotations

import contextlib
import json

import click

from generator.options import (db_option, format_option, handle_errors, lang_option, monthly_due_day_option,
                               policy_option)
from generator.policy.wording import lower_short, lower_unit, policy_level


def _date(value: str | None, option: str):
    import datetime as dt

    from generator.errors import UsageError
    from generator.ledger.values import parse_date
    if value is None:
        return dt.date.today()
    day, err, err_en = parse_date(value)
    if day is None:
        raise UsageError(f"{option}：{err or '应为日期，如 2023-03-01'}", f"{option}: {err_en or 'expected a date'}")
    return day


def recorded_policy_option(fn):
    return click.option("--policy", "policy_ref", default=None, metavar="REF",
                        help="政策编号或路径（默认：报送登记时所依据的政策）/ policy (default: the one the submissions "
                             "were judged against, as recorded).")(fn)


def recorded_change_options(fn):
    """``--from DATE --by NAME --note TEXT``: what every recorded change of the register's footing carries (the
    day it applies from, who records it, why), shared by ``register policy`` and ``register rule``."""
    fn = click.option("--note", metavar="TEXT", help="依据（如 市百城办通知）/ why.")(fn)
    fn = click.option("--by", "by", required=True, metavar="NAME", help="登记人 / who records it.")(fn)
    return click.option("--from", "applies_from", required=True, metavar="DATE",
                        help="自何日起适用 / the day it applies from.")(fn)


def processes_option(fn):
    """``--processes N`` of ``register add`` and ``register import`` (Register.add_all)."""
    return click.option("--processes", "processes", type=click.IntRange(min=1), default=None, metavar="N",
                        help="读取、校验工作簿的进程数（默认 $GAIZAO_PROCESSES，未设置时为 CPU 数，最多 2；1 为仅本进程；"
                             "少于 3 个文件时总在本进程，未指定时合计不足 1 MB 亦然）/ processes reading and judging the "
                             "workbooks (default $GAIZAO_PROCESSES, else the CPUs, at most 2; 1: this process alone; "
                             "always so below 3 files, and below 1 MB together unless asked for).")(fn)


def _lp_for(reg, policy_ref, day):
    """The policy given, or the facts recorded with the latest submission (no policy load: fast)."""
    if policy_ref is None:
        facts = reg.recorded_policy(day)
        params = click.get_current_context().params
        if params.get("fmt") != "json":       # which policy, as every judging command says (JSON: in its meta)
            m, en = facts.manifest(), params.get("lang") == "en"
            click.echo(f"policy: {m['policy_id']} version {m['policy_version']}, hash {m['policy_hash'][:12]} "
                       f"(as recorded in the register {reg.path})" if en else
                       f"依据政策：{m['policy_id']} 版本{m['policy_version']}，哈希{m['policy_hash'][:12]}"
                       f"（登记库 {reg.path} 记录的政策）", err=True)
        return facts
    from generator.policy import load_policy
    return load_policy(policy_ref)


def _reg(db_path):
    import generator.life  # noqa: F401 -- registers the life readers (verdicts, hazards: register/hooks.py)
    from generator.register.api import Register
    return Register(db_path)


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _console():
    from generator.validate.textout import terminal_console
    return terminal_console()


def _sub_line(s, en: bool) -> str:
    flag = "（示例数据）" if s.sample and not en else (" (sample)" if s.sample else "")
    kind = getattr(s, "kind", None)
    if kind:                                 # what it is and, for a 月报, the month it reports
        from generator.register.rules import KIND_EN
        what = KIND_EN.get(kind, kind) if en else kind
        flag = (f" [{what}{' ' + s.period if s.period else ''}]" if en else f"〔{what}{s.period or ''}〕") + flag
    if getattr(s, "withdrawn", None):         # kept, never counted (register/withdrawn.py)
        flag += f" [withdrawn {s.withdrawn}]" if en else f"〔已撤回，{s.withdrawn}〕"
    if en:
        return (f"#{s.id} {s.county} v{s.version} received {s.received} by {s.recorded_by}: {s.file_name}{flag} "
                f"[{s.errors} error(s), {s.warnings} warning(s)] policy {s.policy_id}@{s.policy_version}")
    return (f"#{s.id} {s.county} 第{s.version}次报送 {s.received}收到 登记人{s.recorded_by}：{s.file_name}{flag}"
            f"〔错误{s.errors}项，警告{s.warnings}项〕 依据{s.policy_id}@{s.policy_version}")


def _print_changes(cs, lang: str) -> None:
    en = lang == "en"
    if not cs.changes:
        click.echo("  no change in the 项目清单" if en else "  项目清单无变化")
    for c in cs.changes:
        click.echo(f"  {c.text(lang)}")
    for f in cs.findings:
        click.echo(f"  {'FINDING' if en else '问题'} {f.code} [{f.clause}] {f.text(lang)}")


@click.group("register")
def register():
    """登记下级单位（县、市、区）报送的工作簿，追踪变化、节点和月度进度。

    The register of county submissions (SQLite, default $GAIZAO_DB or ./gaizao.db): record, list,
    compare, status as of a date, monthly series and the city-wide 汇总表.
    """


@register.command("add")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--received", metavar="DATE", help="收到日期（默认今天）/ date received (default today).")
@click.option("--by", "by", required=True, metavar="NAME", help="登记人 / who records it.")
@click.option("--county", metavar="NAME", help="下级单位（县、市、区；默认取工作簿“基本信息”）/ county (default: from the workbook).")
@click.option("--note", metavar="TEXT", help="备注 / note.")
@click.option("--period", metavar="YYYY-MM", help="信息月报所属月份（方案等其他材料不填）/ the month a progress report is for.")
@click.option("--kind", metavar="KIND", help="报送类别：年度实施方案、信息月报、联系点情况、改造方案、试填报、其他（默认：有 --period 为"
                                             "信息月报，否则方案期限内为年度实施方案）/ what the submission is.")
@click.option("--approved-by", "approved_by", metavar="NAME", help="审核同意的单位领导（五（四））/ who approved it.")
@click.option("--scan", "scan", type=click.Path(dir_okay=False), metavar="FILE",
              help="加盖单位印章的扫描件（PDF/PNG/JPEG，按内容哈希存储）/ the sealed scan.")
@click.option("--force", is_flag=True, help="确认可疑的收到日期（未来、超出政策年度前后一年、早于所报月份）并记录 / "
                                            "confirm a suspicious received date (recorded).")
@processes_option
@db_option
@policy_option
@format_option("text", "json")
@lang_option
@handle_errors
def add(files, received, by, county, note, period, kind, approved_by, scan, force, processes, db_path, policy_ref, fmt,
        lang):
    """登记一个或多个报送的工作簿（原文件只读，按内容哈希存储，重复报送为新版本）。

    Record submissions. Exit 0: recorded; 1: recorded, with validation errors or changes that rewrite an
    earlier report; 2: a file could not be read (the others are still recorded).
    """
    from generator.errors import GaizaoError
    from generator.policy import load_policy

    day = _date(received, "--received")
    lp = load_policy(policy_ref)
    reg = _reg(db_path)
    en = lang == "en"
    out, code = [], 0
    requests = [dict(source=f, received=day, by=by, county=county, policy=lp, note=note, period=period, kind=kind,
                     approved_by=approved_by, scan=scan, force=force) for f in files]
    # in the list's order, the next workbooks read and judged meanwhile (Register.add_all, issue 19.9)
    with contextlib.closing(reg.add_all(requests, processes=processes)) as results:
        for res in results:
            if isinstance(res, GaizaoError):
                click.echo(("错误：" if not en else "error: ") + res.render(lang), err=True)
                code = 2
                continue
            rewrites = res.changes.findings if res.changes else []
            if res.submission.errors or rewrites:
                code = max(code, 1)
            if fmt == "json":
                out.append({"submission": res.submission.to_dict(), "duplicate": res.duplicate,
                            "findings": [x.to_dict(lang) for x in res.findings],
                            "changes": res.changes.to_dict(lang) if res.changes else None})
                continue
            if res.duplicate:
                click.echo(("already recorded: " if en else
                            f"已登记过（内容、{lower_short(policy_level(lp.policy))}、收到日期均相同，未重复登记）：")
                           + _sub_line(res.submission, en))
                continue
            click.echo(("recorded " if en else "已登记 ") + _sub_line(res.submission, en))
            if res.changes:
                prev = res.previous
                click.echo(f"  changes since #{prev.id} ({prev.received}):" if en else
                           f"  与上次报送（#{prev.id}，{prev.received}收到）相比：")
                _print_changes(res.changes, lang)
    if fmt == "json":
        _echo_json({"tool": "gaizao", "format": 1, "kind": "register-add", "db": str(reg.path), "recorded": out})
    raise SystemExit(code)


@register.command("import")
@click.argument("manifest", type=click.Path(dir_okay=False), metavar="SUBMISSIONS.yaml")
@processes_option
@db_option
@policy_option
@lang_option
@handle_errors
def import_(manifest, processes, db_path, policy_ref, lang):
    """按清单登记一批报送（YAML：file、county、received、by、note、period；file 相对清单所在文件夹）。

    Record the submissions a YAML list names, in order (e.g. data/year-2023/submissions.yaml). Exit codes
    as ``register add``.
    """
    import datetime as dt
    from pathlib import Path

    from generator.errors import GaizaoError
    from generator.policy import load_policy
    from generator.register.sample_year import manifest_path, manifest_submissions, parse_manifest

    path = manifest_path(Path(manifest))
    folder = path.parent
    doc = parse_manifest(path)
    entries = manifest_submissions(doc, path)
    lp = load_policy(_manifest_policy(doc, folder, policy_ref, path))
    reg = _reg(db_path)
    en = lang == "en"
    code = 0
    done = {"recorded": 0, "duplicate": 0, "failed": 0}
    requests: list = []
    for i, e in enumerate(entries, 1):
        try:
            received = e["received"] if isinstance(e["received"], dt.date) else \
                _date(str(e["received"]), f"#{i} received")
        except GaizaoError as exc:
            requests.append(exc)             # said in its place
            continue
        requests.append(dict(source=folder / e["file"], received=received, by=e["by"], county=e.get("county"),
                             policy=lp, note=e.get("note"), period=e.get("period"), kind=e.get("kind"),
                             approved_by=e.get("approved_by"), force=bool(e.get("force"))))
    # in the list's order, the next workbooks read and judged meanwhile (Register.add_all, issue 19.9)
    with contextlib.closing(reg.add_all(requests, processes=processes)) as results:
        for res in results:
            if isinstance(res, GaizaoError):
                click.echo(("错误：" if not en else "error: ") + res.render(lang), err=True)
                code = 2
                done["failed"] += 1
                continue
            done["duplicate" if res.duplicate else "recorded"] += 1
            rewrites = res.changes.findings if res.changes else []
            if res.submission.errors or rewrites:
                code = max(code, 1)
            said = ("already recorded " if en else "已登记过（未重复登记）") if res.duplicate else \
                ("recorded " if en else "已登记 ")
            click.echo(said + _sub_line(res.submission, en))
            for f in rewrites:
                click.echo(f"  {'FINDING' if en else '问题'} {f.code} [{f.clause}] {f.text(lang)}")
    # the count of what was recorded, not of the list (a list of 4 whose files all failed recorded nothing)
    click.echo(f"{len(entries)} in the list: {done['recorded']} recorded, {done['duplicate']} already recorded, "
               f"{done['failed']} failed; register {reg.path}" if en else
               f"清单共 {len(entries)} 份：本次登记 {done['recorded']} 份，已登记过 {done['duplicate']} 份，"
               f"失败 {done['failed']} 份；登记库：{reg.path}")
    raise SystemExit(code)


def _manifest_policy(doc: dict, folder, policy_ref, path) -> str:
    """The policy of a submission list: its ``policy:`` line, unless --policy was given on the command line (then
    the two must name the same policy: a list made for one policy is never recorded under another)."""
    from pathlib import Path

    from generator.errors import UsageError
    listed = doc.get("policy")
    if listed is None or (isinstance(listed, str) and not listed.strip()):
        return policy_ref
    if not isinstance(listed, str):
        raise UsageError("清单中的 policy 应为政策编号或路径（如 policy: xuchang/2023）",
                         "`policy` in the list must be a policy id or path (policy: xuchang/2023)", location=str(path))
    listed = listed.strip()
    if listed.startswith((".", "/")):                 # a path in the list is read from the list's folder
        listed = str((Path(folder) / listed).resolve())
    ctx = click.get_current_context()
    if ctx.get_parameter_source("policy_ref") != click.core.ParameterSource.COMMANDLINE:
        from generator.policy.resolve import Chosen
        ctx.meta["gaizao.policy_chosen"] = Chosen(listed, "list", str(path))     # said as the list's choice
        return listed
    from generator.policy import load_policy
    given, named = load_policy(policy_ref), load_policy(listed, verify=False)
    if (given.policy.id, given.content_hash) != (named.policy.id, named.content_hash):
        raise UsageError(f"--policy 指定的 {given.policy.id} 与清单所写的 policy: {named.policy.id} 不是同一政策"
                         f"（版本或内容不同），未登记任何报送；去掉 --policy 即按清单所写的政策登记",
                         f"--policy {given.policy.id} is not the policy the list names ({named.policy.id}): nothing "
                         "recorded; drop --policy to record under the list's policy", location=str(path))
    return policy_ref


@register.command("list")
@click.option("--county", metavar="NAME")
@db_option
@format_option("text", "json")
@lang_option
@handle_errors
def list_(county, db_path, fmt, lang):
    """列出登记的报送（按收到日期）。 List the submissions in order received."""
    subs = _reg(db_path).submissions(county)
    if fmt == "json":
        return _echo_json([s.to_dict() for s in subs])
    for s in subs:
        click.echo(_sub_line(s, lang == "en"))


@register.command("history")
@click.argument("county")
@db_option
@policy_option
@format_option("text", "json")
@lang_option
@handle_errors
def history(county, db_path, policy_ref, fmt, lang):
    """一个下级单位的全部报送，及每次与上次相比的变化。 A county's submissions and what changed each time."""
    from generator.policy import load_policy
    reg = _reg(db_path)
    subs = reg.history(county)
    lp = load_policy(policy_ref)
    sets = [reg.changes(county, a.id, b.id, policy=lp) for a, b in zip(subs, subs[1:])]
    if fmt == "json":
        _echo_json({"county": county, "submissions": [s.to_dict() for s in subs],
                    "changes": [c.to_dict(lang) for c in sets]})
    else:
        click.echo(_sub_line(subs[0], lang == "en"))
        for s, cs in zip(subs[1:], sets):
            click.echo(_sub_line(s, lang == "en"))
            _print_changes(cs, lang)
    raise SystemExit(1 if any(cs.findings for cs in sets) else 0)


@register.command("show")
@click.argument("sid", type=int, metavar="ID")
@click.option("--extract", metavar="FILE", help="把报送的原文件按原样写出 / write the submitted file out, byte for byte.")
@db_option
@format_option("text", "json")
@lang_option
@handle_errors
def show(sid, extract, db_path, fmt, lang):
    """一次报送：登记信息、当时的校验结果。 One submission with its findings at the time."""
    from generator.findings import Report, print_report
    reg = _reg(db_path)
    s = reg.get(sid)
    findings = reg.findings(sid)
    if extract:
        from generator.fileio import atomic_write_bytes
        atomic_write_bytes(extract, reg.blob(sid))
    if fmt == "json":
        return _echo_json({"submission": s.to_dict(), "findings": [f.to_dict(lang) for f in findings]})
    click.echo(_sub_line(s, lang == "en"))
    click.echo(f"sha256 {s.sha256}  recorded {s.recorded_at}")
    print_report(Report(findings), lang=lang, console=_console())


@register.command("changes")
@click.argument("county")
@click.argument("ids", nargs=-1, type=int, metavar="[OLD NEW]")
@db_option
@policy_option
@format_option("text", "json")
@lang_option
@handle_errors
def changes(county, ids, db_path, policy_ref, fmt, lang):
    """两次报送之间的变化（默认最近两次）；改写已报进度的为问题（退出码 1）。

    What changed between two submissions (default the last two). Changes that rewrite an earlier
    report are findings (exit 1).
    """
    from generator.errors import UsageError
    if len(ids) not in (0, 2):
        raise UsageError("请给出两个报送编号，或都不给", "give two submission ids or none")
    cs = _reg(db_path).changes(county, *(ids or (None, None)), policy=policy_ref)
    if fmt == "json":
        _echo_json(cs.to_dict(lang))
    else:
        click.echo(f"#{cs.old.id} ({cs.old.received}) → #{cs.new.id} ({cs.new.received})")
        _print_changes(cs, lang)
    raise SystemExit(1 if cs.findings else 0)


@register.command("status")
@click.option("--as-of", "as_of", metavar="DATE", help="截止日期（默认今天）/ as of (default today).")
@click.option("--xlsx", "xlsx_out", metavar="FILE.xlsx", help="写出汇总表 / write the 汇总表 of the whole.")
@click.option("--strict", is_flag=True, help="有到期未完成的节点时退出码为 1 / exit 1 when a milestone due was missed.")
@db_option
@recorded_policy_option
@format_option("text", "json")
@lang_option
@handle_errors
def status(as_of, xlsx_out, strict, db_path, policy_ref, fmt, lang):
    """截至某日的进度与节点（节点按当时已收到的报送判定，并注明其后报送是否改变了结果）。

    Status as of a date: each milestone judged on what had been reported by its date, and whether
    later submissions changed the picture.
    """
    day = _date(as_of, "--as-of")
    reg = _reg(db_path)
    lp = _lp_for(reg, policy_ref, day)
    st = reg.status(day, policy=lp)
    if xlsx_out:
        reg.write_summary(xlsx_out, day, policy=lp)
    if fmt == "json":
        _echo_json(st.to_dict())
    else:
        print_status(st, lang=lang, unit=lower_unit(policy_level(lp.policy)))
        _print_unrecognised(st, lang)
        if xlsx_out:
            click.echo(f"汇总表：{xlsx_out}" if lang != "en" else f"summary: {xlsx_out}")
    missed = any(v.met_then is False for c in st.counties for v in c.verdicts)
    raise SystemExit(1 if strict and missed else 0)


def _print_unrecognised(st, lang: str) -> None:
    """开工认定 beside the count: each start typed but not recognised, with why."""
    en = lang == "en"
    for c in st.counties:
        for u in c.line.unrecognised:
            click.echo(f"not recognised as started: {c.line.county} {u['project']} ({u['start']}): {u['why']}" if en else
                       f"未认定开工（不计入）：{c.line.county} {u['project']}（{u.get('community') or ''}，{u['start']}）：{u['why']}")
    if st.trials:
        click.echo(f"trial submissions kept, not counted: {len(st.trials)}" if en else f"试填报 {len(st.trials)} 份：已保存，不计入")
    if st.unapproved:
        how = "counted provisionally" if st.unapproved_counted else "not counted"
        click.echo(f"submissions without approval ({how}): {len(st.unapproved)}" if en else
                   f"未经单位领导审核盖章的报送 {len(st.unapproved)} 份（{'暂计入' if st.unapproved_counted else '不计入'}）")


def _listed(basis: str, en: bool) -> str:
    """A denominator taken from the listed projects because the target is 未公布 or absent: say so."""
    if not basis:
        return ""
    return f" ({'target not published' if basis == '未公布' else 'no target'}; as listed)" if en else f"（{basis}，按清单）"


def print_status(st, *, unit: str, lang: str = "zh", console=None) -> None:
    """``unit``: the units one level down as the policy's level names them (县（市、区）, or 市 in a province)."""
    from rich.table import Table

    from generator.policy.goals import not_compared
    from generator.validate.facts import pct
    console = console or _console()
    en = lang == "en"
    t = Table(title=(f"as of {st.as_of}" if en else f"截至{st.as_of}（登记库）") + ("（示例数据）" if st.sample and not en else ""))
    for h in ((unit, "county"), ("最近报送", "last report"), ("已开工", "started"), ("已完工（户）", "households done")):
        t.add_column(h[1] if en else h[0])
    for v in st.city.verdicts:
        t.add_column(f"{v.label}\n{v.date}", justify="center")
    for c in [*st.counties, st.city]:
        x = c.line
        last = "—" if c is st.city else ("none" if en else "未报送")
        cells = [x.county, (f"#{x.submission} {x.received}" if x.submission else last),
                 f"{x.started}/{x.projects_target}{_listed(x.projects_listed_basis, en)}",
                 f"{x.households_completed}/{x.households_target}{_listed(x.households_listed_basis, en)} "
                 f"({pct(x.households_completed / x.households_target if x.households_target else 0)})"
                 + (not_compared(lang) if x.partial else "")]
        for v in c.verdicts:
            if getattr(v, "pending", False):
                cells.append("pending (report not yet due)" if en else "待当期月报")
                continue
            if not v.due:
                cells.append("—")
                continue
            if x.partial:
                cells.append(f"{v.reached_then}/{v.required}{not_compared(lang)}")
                continue
            s = f"{'✓' if v.met_then else '✗'} {v.reached_then}/{v.required}"
            if getattr(v, "late", False):
                s += " (late report)" if en else "（据迟报）"
            if v.changed:
                s += f" → {'✓' if v.met_now else '✗'} {v.reached_now}"
            cells.append(s)
        t.add_row(*cells)
    console.print(t)
    for county, v in st.changed:
        ids = "、".join(f"#{i}" for i in v.changed_by)
        console.print(f"{county} {v.id} ({v.date}): reported then {v.reached_then}/{v.required}, now {v.reached_now} "
                      f"(changed by {ids})" if en else
                      f"[bold yellow]其后报送改变了结果[/]：{county}“{v.label}”（{v.date}）当时上报 {v.reached_then}/"
                      f"{v.required}{'✓' if v.met_then else '✗'}，按其后报送（{ids}）为 {v.reached_now}/{v.required}"
                      f"{'✓' if v.met_now else '✗'}（依据：{v.clause}）")


@register.command("documents")
@click.option("--as-of", "as_of", metavar="DATE", help="截止日期（默认今天）/ as of (default today).")
@monthly_due_day_option
@click.option("--date", "date", metavar="DATE", help="成文日期（默认留空）/ issue date (default blank).")
@click.option("--no-pdf", is_flag=True, help="不生成 PDF / no PDF.")
@click.option("--no-kaigong", is_flag=True, help="不生成开工项目认定汇总表 / skip the 开工 tables.")
@click.option("--scores", "scores_path", type=click.Path(dir_okay=False), metavar="S.yaml",
              help="检查验收得分（年度考核评价表用）/ inspection scores for the assessment table.")
@click.option("--weights", metavar="ROUND=W,...", help="各轮权重（考核办法确定；政策未规定）/ the rounds' weights.")
@db_option
@policy_option
@click.option("-o", "--output", "output_dir", type=click.Path(file_okay=False), default="output", show_default=True,
              help="输出文件夹 / output folder.")
@lang_option
@handle_errors
def documents(as_of, due_day, date, no_pdf, no_kaigong, scores_path, weights, db_path, policy_ref, output_dir, lang):
    """由登记库生成截至某日的公文：汇总表、进度通报、开工项目认定汇总表、反馈意见函。

    The documents as of a date from the register: 汇总表, 进度通报, 开工项目认定汇总表, 反馈意见函.
    """
    from generator.policy import load_policy
    from generator.register.documents import write_documents
    day = _date(as_of, "--as-of")
    lp = load_policy(policy_ref)
    scores = weights_given = None
    if scores_path:
        from generator.render.ranking import load_scores
        scores = load_scores(scores_path, lp.policy)
    if scores_path or weights:              # the policy's weights, else the office's; never our own
        from generator.render.ranking import parse_weights
        weights_given, _ = parse_weights(weights, lp.policy)
    w = write_documents(_reg(db_path), lp, day, output_dir, due_day=due_day,
                        date=_date(date, "--date") if date else None, pdf=not no_pdf, kaigong=not no_kaigong,
                        scores=scores, weights=weights_given)
    for p in w.paths:
        click.echo(("wrote " if lang == "en" else "已生成 ") + str(p))
    for n in (w.notes_en if lang == "en" else w.notes):
        click.echo(("note: " if lang == "en" else "说明：") + n)


@register.command("series")
@click.option("--year", type=int, help="年度（默认政策年度）/ year (default: the policy's).")
@click.option("--as-of", "as_of", metavar="DATE", help="只统计到此日 / up to this date.")
@click.option("--xlsx", "xlsx_out", metavar="FILE.xlsx", help="写出汇总表（含月度进度表）/ write the 汇总表.")
@db_option
@recorded_policy_option
@format_option("text", "json")
@lang_option
@handle_errors
def series(year, as_of, xlsx_out, db_path, policy_ref, fmt, lang):
    """月度进度：各下级单位及全域每月末的开工、完工项目和完工户数，对照节点。 The monthly series."""
    import datetime as dt

    day = _date(as_of, "--as-of") if as_of else None
    reg = _reg(db_path)
    lp = _lp_for(reg, policy_ref, day)
    s = reg.series(year or lp.policy.year, policy=lp, as_of=day)
    if xlsx_out:
        reg.write_summary(xlsx_out, day or min(dt.date(s.year, 12, 31), max(x.end for x in s.rows)), policy=lp)
    if fmt == "json":
        return _echo_json(s.to_dict())
    from rich.table import Table

    from generator.register.series import month_mark
    en = lang == "en"
    t = Table(title=f"{s.year} monthly" if en else f"{s.year}年月度进度" + ("（示例数据）" if s.sample else ""))
    for h in (("月份", "month"), (lower_unit(policy_level(lp.policy)), "county"), ("开工（个）", "started"), ("完工（个）", "completed"),
              ("完工户数", "households done"), ("本月报送", "reported"), ("节点", "milestones")):
        t.add_column(h[1] if en else h[0])
    labels = {m["id"]: m["label"] for m in s.milestones}
    for r in s.rows:
        x = r.line
        t.add_row(r.month, x.county, f"{x.started}/{x.projects_target}", f"{x.completed}/{x.projects_target}",
                  f"{x.households_completed}/{x.households_target}", "✓" if r.reported_this_month else "",
                  "；".join(month_mark(m, m["id"] if en else labels[m["id"]], lang) for m in r.milestones))
    _console().print(t)
    if xlsx_out:
        click.echo(f"汇总表：{xlsx_out}" if not en else f"summary: {xlsx_out}")


@register.command("policy")
@click.argument("ref", metavar="REF")
@recorded_change_options
@db_option
@lang_option
@handle_errors
def policy_(ref, applies_from, by, note, db_path, lang):
    """变更登记库所依据的政策（记录在案，自给定日期起适用；此前的报送仍按原政策）。

    Change the register's policy explicitly (recorded with the day it applies from).
    """
    rp = _reg(db_path).set_policy(ref, applies_from=_date(applies_from, "--from"), by=by, note=note)
    click.echo(f"register policy {rp['policy_id']} {rp['policy_version']} from {rp['applies_from']}" if lang == "en" else
               f"登记库政策：{rp['policy_id']}（版本 {rp['policy_version']}，哈希 {rp['policy_hash'][:12]}），自{rp['applies_from']}起")


@register.command("rule")
@click.argument("key", metavar="KEY")
@click.argument("value", metavar="VALUE")
@recorded_change_options
@db_option
@lang_option
@handle_errors
def rule_(key, value, applies_from, by, note, db_path, lang):
    """记录市百城办确定的规则（monthly_due_day、late_counts、unapproved_counts、first_period、declared_counts）。

    Record one of the office's rules the notice leaves open, with the day it applies from.
    """
    r = _reg(db_path).set_rule(key, value, applies_from=_date(applies_from, "--from"), by=by, note=note)
    for line in r.lines():
        click.echo(line)


@register.command("approve")
@click.argument("sid", type=int, metavar="ID")
@click.option("--approved-by", "approved_by", required=True, metavar="NAME", help="审核同意的单位领导 / who approved it.")
@click.option("--scan", "scan", type=click.Path(dir_okay=False), metavar="FILE", help="盖章扫描件 / the sealed scan.")
@click.option("--by", "by", required=True, metavar="NAME", help="登记人 / who records it.")
@db_option
@lang_option
@handle_errors
def approve(sid, approved_by, scan, by, db_path, lang):
    """记录报送经单位领导审核同意（并存盖章扫描件）。 Record that a 单位领导 approved a submission."""
    for a in _reg(db_path).approve(sid, approved_by=approved_by, by=by, scan=scan):
        click.echo(f"#{sid} 审核：{a['approved_by']}" + (f"，扫描件 {a['scan_name']}（sha256 {a['scan_sha256'][:12]}）"
                                                      if a["scan_sha256"] else "") + f"（{a['recorded_by']}登记）")


@register.command("backup")
@click.argument("backup_out", type=click.Path(dir_okay=False), metavar="DEST")
@db_option
@lang_option
@handle_errors
def backup(backup_out, db_path, lang):
    """用 SQLite 在线备份复制登记库（登记进行中也一致；不覆盖已有文件）；PostgreSQL 登记库用 pg_dump 备份。

    A consistent copy of the register through SQLite's online backup (safe while others write); a PostgreSQL
    register is dumped with pg_dump --format=custom (restore with pg_restore).
    """
    dest = _reg(db_path).backup(backup_out)
    click.echo(f"backup written: {dest}" if lang == "en" else f"已备份：{dest}")


@register.command("national")
@click.option("--as-of", "as_of", metavar="DATE", help="截止日期（默认今天）/ as of (default today).")
@click.option("-o", "--output", "output_file", required=True, type=click.Path(dir_okay=False), metavar="FILE.xlsx",
              help="输出文件 / output file.")
@db_option
@policy_option
@lang_option
@handle_errors
def national(as_of, output_file, db_path, policy_ref, lang):
    """按全国城镇老旧小区改造统计调查制度的指标导出进展与改造效果（实物量留待填报，不推算）。

    The figures as of a date in the indicators of the national statistical survey (quantities are left to fill).
    """
    from generator.policy import load_policy
    from generator.register.national import write_national
    day = _date(as_of, "--as-of")
    reg = _reg(db_path)
    lp = load_policy(policy_ref)
    snap = reg.snapshot(day, policy=lp)
    plans = {county: reg.plan(sub.id, lp) for county, sub in snap.latest.items()}
    path = write_national(snap, plans, lp, output_file)
    click.echo(f"wrote {path}" if lang == "en" else f"已生成 {path}")


@register.command("template")
@click.argument("county")
@click.option("--period", required=True, metavar="YYYY-MM", help="月报所属月份 / the month the report is for.")
@click.option("--national", is_flag=True, help="加入全国城镇老旧小区改造统计调查制度的实物量列（市里采用该制度时）/ add the "
                                               "national survey's quantity columns.")
@click.option("-o", "--output", "output_file", required=True, type=click.Path(dir_okay=False), metavar="FILE.xlsx",
              help="输出文件 / output file.")
@db_option
@policy_option
@lang_option
@handle_errors
def template(county, period, national, output_file, db_path, policy_ref, lang):
    """信息月报表（月报自己的表式：开工、完工、户数、开工认定条件日期）：以该县最近一次计入的报送预填，由县级更新后报送。

    The 信息月报 form (its own columns, ledger/monthly.py) for a county, prefilled from its latest counted
    submission, to update and send back.
    """
    import datetime as dt

    from generator.ledger import monthly as M
    from generator.policy import load_policy
    from generator.register import monthly_form
    from generator.register.api import _period
    month = _period(period)
    reg = _reg(db_path)
    lp = load_policy(policy_ref)
    # what the county had reported by the end of that month (the latest, for a month not yet over)
    form, sub = monthly_form.prefilled(reg, lp, county, month, min(dt.date.today(), M.month_end(month)),
                                       national=national)
    path = monthly_form.write(lp, form, output_file, sample=bool(sub.sample))      # the monthly-form kind
    click.echo(f"wrote {path} (prefilled from the submission received {sub.received})" if lang == "en" else
               f"已生成 {path}（{month}信息月报，据{sub.received}收到的报送预填）")


@register.command("words")
@click.option("--as-of", "as_of", metavar="DATE", help="截止日期（默认今天）/ as of (default today).")
@monthly_due_day_option
@click.option("--county", metavar="NAME")
@db_option
@recorded_policy_option
@format_option("text", "json")
@lang_option
@handle_errors
def words_(as_of, due_day, county, db_path, policy_ref, fmt, lang):
    """迟报、漏报、错报、瞒报：每一项及其所依据的报送（供核查）。 The four words, each with its submissions."""
    from dataclasses import asdict

    from generator.findings import jsonable
    day = _date(as_of, "--as-of")
    reg = _reg(db_path)
    lp = _lp_for(reg, policy_ref, day)
    snap = reg.snapshot(day, policy=lp, due_day=due_day)
    found = [w for w in snap.words if county is None or w.county == county]
    if fmt == "json":
        return _echo_json(jsonable({"as_of": day, "rules": snap.rules.lines(), "words": [asdict(w) for w in found]}))
    if snap.rules.monthly_due_day is None:
        click.echo("no monthly due day: late and missing reports not judged" if lang == "en" else
                   "未记录信息月报报送日：未判断迟报、漏报（gaizao register rule monthly_due_day N 或 --monthly-due-day N）")
    for w in found:
        ids = "、".join(f"#{i}" for i in w.submissions)
        click.echo(f"{w.county} {w.word} {w.period or ''} {w.text}" + (f"  〔{w.detail}；{ids}〕" if w.detail or ids else ""))
    if not found:
        click.echo("none" if lang == "en" else "无")
