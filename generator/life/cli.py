"""``gaizao project``: each project's life on the record, a thin click layer over generator.life."""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from generator.options import db_option, format_option, handle_errors, lang_option, policy_option

if TYPE_CHECKING:
    import datetime as dt
    import sqlite3

    from generator.life.record import Event, Life
    from generator.policy.loader import LoadedPolicy

# command -> (event kind, positional argument: "project" | "refers" | None, [(option, field, help)])
EVENT_COMMANDS: dict[str, tuple[str, str | None, list[tuple[str, str, str]]]] = {
    "liaison-check": ("liaison_check", "project", [
        ("--condition", "condition", "联系点条件序号（政策 liaison_points.criteria 的第N条）"),
        ("--verdict", "verdict", "核查结论：符合 / 不符合"),
        ("--inspector", "inspector", "核查人姓名"),
        ("--note", "note", "核查说明（不符合时必填）")]),
    "consult": ("consultation", "project", [
        ("--subject", "subject", "征求意见事项：改造方案 / 物业管理模式（政策的 consent.subjects）"),
        ("--method", "method", "方式：会议 / 入户 / 表决"),
        ("--start", "start", "征求意见开始日期（默认同 --day，--day 为结束日期）"),
        ("--asked", "asked", "征求意见户数"),
        ("--agreed", "agreed", "同意户数"),
        ("--typed", "typed", "工作簿中填报的同意率（如 80%），与户数核对")]),
    "declare": ("declare", "project", [
        ("--criterion", "criterion", "开工认定标准的序号（附件 第N条）"),
        ("--note", "note", "说明")]),
    "verify": ("verify", "project", [
        ("--criterion", "criterion", "开工认定标准的序号（附件 第N条）"),
        ("--verdict", "verdict", "核查结论：符合 / 不符合"),
        ("--inspector", "inspector", "核查人姓名"),
        ("--note", "note", "核查说明（不符合时必填）")]),
    "inspect": ("inspection", None, [
        ("--type", "type", "巡检 / 抽检"),
        ("--inspectors", "inspectors", "检查人员（以逗号或顿号分隔）"),
        ("--projects", "projects", "检查的项目编号（以逗号分隔）"),
        ("--note", "note", "说明")]),
    "hazard": ("hazard", "project", [
        ("--description", "description", "隐患描述"),
        ("--deadline", "deadline", "整改期限（日期）"),
        ("--responsible", "responsible", "整改责任单位"),
        ("--note", "note", "说明")]),
    "rectify": ("rectified", "refers", [("--note", "note", "整改情况（销号须附证据 --evidence）")]),
    "complete": ("completed", "project", [("--note", "note", "说明")]),
    "accept": ("acceptance", "project", [
        ("--participants", "participants", "参加验收的单位和人员（以逗号或顿号分隔）"),
        ("--result", "result", "验收结论：合格 / 不合格"),
        ("--note", "note", "说明")]),
    "handover": ("handover", "project", [
        ("--to", "to", "移交对象：物业 / 社区 / 专营单位"),
        ("--unit", "unit", "接收单位名称"),
        ("--note", "note", "说明")]),
    "warranty": ("warranty", "project", [
        ("--months", "months", "保修期（月）"),
        ("--unit", "unit", "保修责任单位")]),
    "complaint": ("complaint", "project", [
        ("--subject", "subject", "投诉内容"),
        ("--from", "from", "投诉人或渠道")]),
    "close-complaint": ("complaint_closed", "refers", [("--result", "result", "办理结果")]),
}


def _day(value: str | None, option: str) -> dt.date:
    from generator.register.cli import _date
    day: dt.date = _date(value, option)
    return day


def _life(db_path: str | None) -> Life:
    from generator.life.record import Life
    return Life(db_path)


def _event_line(e: Event, en: bool) -> str:
    from generator.life.record import KINDS, STAGE_WORDS
    ev = "".join(f" [{x.name}]" for x in e.evidence)
    where = e.project or e.county
    if en:
        return f"#{e.id} {e.day} {where} {KINDS[e.kind][2]} {json.dumps(e.fields, ensure_ascii=False)} by {e.recorded_by}{ev}"
    return (f"#{e.id} {e.day} {where} {STAGE_WORDS[e.stage]}·{e.kind_words} "
            f"{json.dumps(e.fields, ensure_ascii=False)} 记录人{e.recorded_by}{ev}")


@click.group("project")
def project() -> None:
    """项目全过程记录：征求意见、开工认定核查、巡检与整改、完工、竣工验收、移交、保修。

    Each project's life on the record (by 项目编号, in the register's database): consultations, 开工认定
    declared and verified, inspections and 整改, completion, acceptance, handover, warranty, complaints.
    """


def _make_event_command(name: str, kind: str, arg: str | None, opts: list[tuple[str, str, str]]) -> click.Command:
    def command(db_path: str | None, policy_ref: str, day: str, by: str, county: str | None,
                evidence: tuple[str, ...], lang: str, target: str | int | None = None, **values: Any) -> None:
        fields = {key: values[key.replace("-", "_")] for _, key, _ in opts
                  if values.get(key.replace("-", "_")) is not None}
        kw: dict[str, Any] = {}
        if arg == "project":
            kw["project"] = target
        elif arg == "refers":
            kw["refers_to"] = int(target) if target is not None else None
        if kind == "hazard":
            kw["refers_to"] = values.get("inspection")
        e = _life(db_path).record(kind, day=_day(day, "--day"), by=by, county=county, fields=fields,
                                  evidence=list(evidence), policy=policy_ref, **kw)
        en = lang == "en"
        click.echo(("recorded " if en else "已记录 ") + _event_line(e, en))

    command.__doc__ = f"记录：{__import__('generator.life.record', fromlist=['KINDS']).KINDS[kind][1]}"
    fn: Callable[..., None] = command
    for flag, key, help_ in reversed(opts):
        fn = click.option(flag, key.replace("-", "_"), default=None, help=help_)(fn)
    if kind == "hazard":
        fn = click.option("--inspection", "inspection", type=int, required=True,
                          help="发现隐患的检查记录编号（gaizao project inspect 的 #编号）")(fn)
    fn = click.option("--evidence", "evidence", multiple=True, type=click.Path(dir_okay=False),
                      help="证据文件（照片 JPEG/PNG、扫描件 PDF、合同 DOCX；可多次给出）")(fn)
    fn = click.option("--county", default=None, help="县（市、区）")(fn)
    fn = click.option("--by", required=True, help="记录人")(fn)
    fn = click.option("--day", required=True, help="发生日期（如 2023-05-20）")(fn)
    if arg == "project":
        fn = click.argument("target", metavar="项目编号")(fn)
    elif arg == "refers":
        fn = click.argument("target", metavar="记录编号", type=int)(fn)
    fn = lang_option(db_option(policy_option(fn)))
    return project.command(name)(handle_errors(fn))


for _name, (_kind, _arg, _opts) in EVENT_COMMANDS.items():
    _make_event_command(_name, _kind, _arg, _opts)


@project.command("show")
@click.argument("pid", metavar="项目编号")
@click.option("--as-of", "as_of", default=None, help="截至日期（默认今天）")
@format_option("text", "json")
@db_option
@lang_option
@handle_errors
def show(pid: str, as_of: str | None, fmt: str, db_path: str | None, lang: str) -> None:
    """一个项目的全过程：列入它的报送与各阶段记录。"""
    from generator.life.record import STAGE_WORDS
    pl = _life(db_path).project(pid, until=_day(as_of, "--as-of") if as_of else None)
    en = lang == "en"
    if fmt == "json":
        click.echo(json.dumps({"project": pl.project, "county": pl.county, "community": pl.community,
                               "stage": pl.stage, "listed_by": [{**li.__dict__, "received": li.received.isoformat()}
                                                                for li in pl.listings],
                               "events": [e.to_dict() for e in pl.events]}, ensure_ascii=False, indent=2))
        return
    from generator.safetext import terminal
    click.echo(terminal(f"{pl.project} {pl.community or ''} {pl.county} "
                        + (f"stage: {pl.stage}" if en else f"当前阶段：{STAGE_WORDS[pl.stage]}")))
    for li in pl.listings:
        click.echo(terminal(f"  {'listed by' if en else '列入报送'} #{li.submission_id} v{li.version} {li.received}"
                            f" 开工{li.actual_start or '—'} 完工{li.actual_end or '—'}"))
    for e in pl.events:
        click.echo(terminal("  " + _event_line(e, en)))


@project.command("evidence")
@click.argument("event_id", type=int, metavar="记录编号")
@click.option("--seq", default=1, show_default=True, help="第几个证据文件")
@click.option("-o", "--output", "output_file", type=click.Path(dir_okay=False), required=True, help="写出到文件")
@db_option
@lang_option
@handle_errors
def evidence_cmd(event_id: int, seq: int, output_file: str, db_path: str | None, lang: str) -> None:
    """取出一条记录的证据文件（按原样字节）。"""
    from generator.fileio import atomic_write_bytes
    name, data = _life(db_path).evidence_bytes(event_id, seq - 1)
    path = atomic_write_bytes(output_file, data)
    click.echo(f"{name} -> {path}")


@project.command("decisions")
@click.option("--county", required=True, help="县（市、区）")
@click.option("--as-of", "as_of", default=None, help="截至日期（默认今天）")
@format_option("text", "json")
@db_option
@policy_option
@lang_option
@handle_errors
def decisions_cmd(county: str, as_of: str | None, fmt: str, policy_ref: str, db_path: str | None,
                  lang: str) -> None:
    """开工认定：每个项目已认定、不予认定、待核查或未申报，及原因。"""
    from generator.life.start import decisions
    from generator.policy import load_policy
    from generator.register import db
    from generator.safetext import terminal
    lp = load_policy(policy_ref)
    day = _day(as_of, "--as-of")
    with db.opened(_life(db_path).path, create=False) as conn:
        ds = decisions(conn, lp, county, day)
    if fmt == "json":
        click.echo(json.dumps([{**d.__dict__, "decided_on": d.decided_on.isoformat() if d.decided_on else None}
                               for d in ds], ensure_ascii=False, indent=2))
        return
    en_state = {"已认定": "recognised", "不予认定": "refused", "待核查": "awaiting inspection", "未申报": "not declared"}
    for d in ds:
        state = en_state[d.state] if lang == "en" else d.state
        click.echo(terminal(f"{d.project} {d.community} {state}" + (f"：{'；'.join(d.reasons)}" if d.reasons else "")))


def _policy_and_day(policy_ref: str, as_of: str | None) -> tuple[LoadedPolicy, dt.date]:
    from generator.policy import load_policy
    return load_policy(policy_ref), _day(as_of, "--as-of")


@project.command("documents")
@click.option("--as-of", "as_of", default=None, help="截至日期（默认今天）")
@click.option("-o", "--output", "output_dir", type=click.Path(file_okay=False), required=True, help="输出文件夹")
@click.option("--county", "counties", multiple=True, help="只为这些县（市、区）生成（可多次给出）")
@click.option("--date", "doc_date", default=None, help="成文日期（不给则留空由办公室填写）")
@click.option("--no-pdf", is_flag=True, help="只生成 DOCX")
@db_option
@policy_option
@lang_option
@handle_errors
def documents_cmd(as_of: str | None, output_dir: str, counties: tuple[str, ...], doc_date: str | None, no_pdf: bool,
                  db_path: str | None, policy_ref: str, lang: str) -> None:
    """每个县（市、区）的开工认定结果函，以及有未销号隐患时的整改通知书（DOCX 和 PDF）。"""
    lp, day = _policy_and_day(policy_ref, as_of)
    from generator.life.documents import write_documents
    from pathlib import Path
    paths = write_documents(_life(db_path).path, lp, day, Path(output_dir), pdf=not no_pdf, counties=list(counties),
                            date=_day(doc_date, "--date") if doc_date else None)
    for p in paths:
        click.echo(str(p))


@project.command("hazards")
@click.option("--as-of", "as_of", default=None, help="截至日期（默认今天）")
@click.option("--county", default=None, help="只列这个县（市、区）")
@format_option("text", "json")
@click.option("-o", "--output", "output_path", default=None, type=click.Path(dir_okay=False),
              help="写入此文件（--format json 时即 render acceptance --hazards 读取的文件）/ write to this file")
@db_option
@policy_option
@lang_option
@handle_errors
def hazards_cmd(as_of: str | None, county: str | None, fmt: str, output_path: str | None, db_path: str | None,
                policy_ref: str, lang: str) -> None:
    """质量安全隐患：各县（市、区）巡检抽检次数、隐患、已销号、未销号和逾期数，及每处隐患。"""
    from generator.life.quality import OVERDUE, by_county, hazards, visits
    from generator.register import db
    from generator.safetext import terminal
    lp, day = _policy_and_day(policy_ref, as_of)
    with db.opened(_life(db_path).path, create=False) as conn:
        rows = [q for q in by_county(conn, lp, day) if county in (None, q.county)]
        hs = hazards(conn, day, county)
        visited = visits(conn, day, county)
    if fmt == "json":
        # "cell", "open", "overdue", "inspected": what the city acceptance form prints (render acceptance --hazards)
        text = json.dumps({"as_of": day.isoformat(), "counties": [{**q.__dict__, "cell": q.cell()} for q in rows],
                           "inspected": visited,
                           "hazards": [{**h.__dict__, "found": h.found.isoformat(),
                                        "deadline": h.deadline.isoformat(),
                                        "closed": h.closed.isoformat() if h.closed else None,
                                        "status": h.status(day), "open": h.is_open(day),
                                        "overdue": h.status(day) == OVERDUE} for h in hs]},
                          ensure_ascii=False, indent=2)
    else:
        text = "\n".join([f"{q.county}：{q.cell()}" for q in rows]
                         + [f"  #{h.id} {h.project} {h.description} 期限{h.deadline} {h.responsible} {h.status(day)}"
                            for h in hs])
    if output_path:
        from generator.fileio import atomic_write_text
        atomic_write_text(output_path, text + "\n")
        click.echo(terminal(str(output_path)))
    elif fmt == "json":
        click.echo(text)
    else:
        click.echo(terminal(text))


@project.command("check", short_help="核对征求意见户数与同意率、完工与竣工验收、移交、保修、投诉（G101–G405）")
@click.option("--as-of", "as_of", default=None, help="截至日期（默认今天）")
@click.option("--county", default=None, help="只查这个县（市、区）")
@click.option("--accepted-only", is_flag=True,
              help="全部完工只计竣工验收合格的项目（政策未规定，由发文单位决定）")
@format_option("text", "json")
@db_option
@policy_option
@lang_option
@handle_errors
def check_cmd(as_of: str | None, county: str | None, accepted_only: bool, fmt: str, db_path: str | None,
              policy_ref: str, lang: str) -> None:
    """核对全过程记录：征求意见户数与同意率（G101–G104）、完工与竣工验收、移交、保修、投诉（G401–G405）。

    Exit 1 when an error is found."""
    from generator.findings import Report, print_report
    from generator.life import completion, consult
    from generator.life.start import declarations
    from generator.register import Register, db
    from generator.safetext import terminal
    lp, day = _policy_and_day(policy_ref, as_of)
    names = [c.name for c in lp.policy.counties if county in (None, c.name)]
    found, counts = [], []
    with db.opened(_life(db_path).path, create=False) as conn:
        for name in names:
            started = set(declarations(conn, day, name))
            started |= {r[0] for r in conn.execute(
                "SELECT p.project FROM projects p WHERE p.submission_id = ? AND p.actual_start <= ?",
                (_latest(conn, day, name), day.isoformat()))}
            typed = consult.workbook_consent(Register(_life(db_path).path), lp, name, day) \
                if consult.consent_states(conn, lp, name, day) else {}
            found += consult.findings(conn, lp, name, day, started, typed)
            found += completion.findings(conn, lp, name, day)
            sts = completion.states(conn, name, day)
            if sts:
                n, label = completion.completed_count(sts, accepted_only)
                counts.append((name, n, len(sts), label))
    report = Report(found)
    if fmt == "json":
        click.echo(json.dumps({"as_of": day.isoformat(), "completed": [
            {"county": c, "completed": n, "projects": t, "counted": label} for c, n, t, label in counts],
            "findings": [f.to_dict(lang) for f in found]}, ensure_ascii=False, indent=2))
    else:
        for c, n, t, label in counts:
            click.echo(terminal(f"{c} 完工 {n}/{t}（{label}）"))
        print_report(report, lang=lang)
    raise SystemExit(1 if any(f.severity.value == "error" for f in found) else 0)


def _latest(conn: sqlite3.Connection, day: dt.date, county: str) -> int:
    from generator.register.series import latest_ids
    return latest_ids(conn, day).get(county, -1)


@project.command("works")
@click.option("--as-of", "as_of", default=None, help="截至日期（默认今天）")
@click.option("--xlsx", "xlsx_out", type=click.Path(dir_okay=False), default=None, help="同时写出改造内容分类汇总表（XLSX）")
@format_option("text", "json")
@db_option
@policy_option
@lang_option
@handle_errors
def works_cmd(as_of: str | None, xlsx_out: str | None, fmt: str, db_path: str | None, policy_ref: str,
              lang: str) -> None:
    """改造内容分类：各县（市、区）含优先改造的老旧管线（按种类）、建筑节能、无障碍、适老适儿的项目数。"""
    from generator.life.works import by_county, table
    from generator.register import Register
    from generator.safetext import terminal
    lp, day = _policy_and_day(policy_ref, as_of)
    plans = Register(_life(db_path).path).plans_as_of(day, lp)
    rows = by_county(plans, lp)
    if xlsx_out:
        from generator.life.works import write_xlsx
        from generator.render.checklists import plan_is_sample
        write_xlsx(rows, lp, xlsx_out, sample=any(plan_is_sample(pl) for pl in plans.values()))
    if fmt == "json":
        click.echo(json.dumps([r.__dict__ for r in rows], ensure_ascii=False, indent=2))
        return
    kw = table(lp)
    for r in rows:
        parts = "，".join(f"{w}{r.by_work[w]}" for w in kw if r.by_work[w])
        click.echo(terminal(f"{r.county}：{r.projects}个项目，含优先改造管线{r.with_pipeline}个（{parts}）；"
                            f"未含优先改造内容{len(r.without_priority)}个"
                            + (f"（{'、'.join(r.without_priority[:10])}{'…' if len(r.without_priority) > 10 else ''}）"
                               if r.without_priority else "")))


@project.command("sample", hidden=True)
@db_option
@policy_option
@lang_option
@handle_errors
def sample_cmd(db_path: str | None, policy_ref: str, lang: str) -> None:
    """（gaizao build 用）向示例登记库写入项目全过程示例记录（示例数据）。"""
    from generator.life.sample import record_sample
    from generator.policy import load_policy
    n = record_sample(_life(db_path).path, load_policy(policy_ref))
    click.echo(f"recorded {n} sample event(s) (示例数据)" if lang == "en" else f"已写入项目全过程示例记录{n}条（示例数据）")


@project.command("liaison")
@click.option("--county", "counties", multiple=True, help="县（市、区）（可多次给出；不给则为已报送的全部）")
@click.option("--as-of", "as_of", default=None, help="截至日期（默认今天）")
@click.option("-o", "--output", "output_dir", type=click.Path(file_okay=False), required=True, help="输出文件夹")
@click.option("--no-pdf", is_flag=True, help="只生成 DOCX")
@db_option
@policy_option
@lang_option
@handle_errors
def liaison_cmd(counties: tuple[str, ...], as_of: str | None, output_dir: str, no_pdf: bool, db_path: str | None,
                policy_ref: str, lang: str) -> None:
    """联系点：县（市、区）的联系点情况报告（基本情况、推进措施、拟打造特色和亮点）和市级联系点条件核查表。"""
    from generator.life.liaison import write_liaison
    from generator.register import db
    lp, day = _policy_and_day(policy_ref, as_of)
    path = _life(db_path).path
    if not counties:
        with db.opened(path, create=False) as conn:
            sent = {r[0] for r in conn.execute("SELECT DISTINCT county FROM submissions WHERE received <= ?",
                                               (day.isoformat(),))}
        counties = tuple(c.name for c in lp.policy.counties if c.name in sent)
    for county in counties:
        for p in write_liaison(path, lp, county, day, output_dir, pdf=not no_pdf):
            click.echo(str(p))


@project.command("list")
@click.option("--county", required=True, help="县（市、区）")
@click.option("--as-of", "as_of", default=None, help="截至日期（默认今天）")
@format_option("text", "json")
@db_option
@lang_option
@handle_errors
def list_cmd(county: str, as_of: str | None, fmt: str, db_path: str | None, lang: str) -> None:
    """一个县（市、区）的项目（最近一次报送的项目清单）：当前阶段和各类记录数。"""
    from generator.life.record import STAGE_WORDS, project_life
    from generator.register import db
    from generator.register.series import latest_ids
    from generator.safetext import terminal
    day = _day(as_of, "--as-of")
    with db.opened(_life(db_path).path, create=False) as conn:
        sid = latest_ids(conn, day).get(county)
        if sid is None:
            from generator.errors import UsageError
            raise UsageError(f"截至{day.isoformat()}登记库中没有“{county}”的报送",
                             f"no submission of {county!r} received by {day.isoformat()}")
        pids = [r[0] for r in conn.execute("SELECT project FROM projects WHERE submission_id = ? AND project IS NOT NULL "
                                           "ORDER BY row", (sid,))]
        lives = [project_life(conn, pid, day) for pid in pids]
    rows = [{"project": pl.project, "community": pl.community, "stage": pl.stage, "stage_words": STAGE_WORDS[pl.stage],
             "events": len(pl.events), "evidence": sum(len(e.evidence) for e in pl.events)} for pl in lives]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    en = lang == "en"
    for r in rows:
        click.echo(terminal(f"{r['project']} {r['community'] or ''} "
                            + (f"{r['stage']} events {r['events']} files {r['evidence']}" if en else
                               f"{r['stage_words']} 记录{r['events']}条 证据{r['evidence']}个")))
