"""``gaizao project``: each project's life on the record, a thin click layer over generator.life."""
from __future__ import annotations

import json

import click

from generator.options import db_option, format_option, handle_errors, lang_option, policy_option

# command -> (event kind, positional argument: "project" | "refers" | None, [(option, field, help)])
EVENT_COMMANDS: dict[str, tuple[str, str | None, list[tuple[str, str, str]]]] = {
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


def _day(value: str | None, option: str):
    from generator.register.cli import _date
    return _date(value, option)


def _life(db_path):
    from generator.life.record import Life
    return Life(db_path)


def _event_line(e, en: bool) -> str:
    from generator.life.record import KINDS, STAGE_WORDS
    ev = "".join(f" [{x.name}]" for x in e.evidence)
    where = e.project or e.county
    if en:
        return f"#{e.id} {e.day} {where} {KINDS[e.kind][2]} {json.dumps(e.fields, ensure_ascii=False)} by {e.recorded_by}{ev}"
    return (f"#{e.id} {e.day} {where} {STAGE_WORDS[e.stage]}·{e.kind_words} "
            f"{json.dumps(e.fields, ensure_ascii=False)} 记录人{e.recorded_by}{ev}")


@click.group("project")
def project():
    """项目全过程记录：征求意见、开工认定核查、巡检与整改、完工、竣工验收、移交、保修。

    Each project's life on the record (by 项目编号, in the register's database): consultations, 开工认定
    declared and verified, inspections and 整改, completion, acceptance, handover, warranty, complaints.
    """


def _make_event_command(name: str, kind: str, arg: str | None, opts: list[tuple[str, str, str]]):
    def command(db_path, policy_ref, day, by, county, evidence, lang, target=None, **values):
        from generator.life.record import KINDS
        fields = {key: values[key.replace("-", "_")] for _, key, _ in opts
                  if values.get(key.replace("-", "_")) is not None}
        kw = {}
        if arg == "project":
            kw["project"] = target
        elif arg == "refers":
            kw["refers_to"] = int(target)
        if kind == "hazard":
            kw["refers_to"] = values.get("inspection")
        e = _life(db_path).record(kind, day=_day(day, "--day"), by=by, county=county, fields=fields,
                                  evidence=list(evidence), policy=policy_ref, **kw)
        en = lang == "en"
        click.echo(("recorded " if en else "已记录 ") + _event_line(e, en))

    command.__doc__ = f"记录：{__import__('generator.life.record', fromlist=['KINDS']).KINDS[kind][1]}"
    fn = command
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
def show(pid, as_of, fmt, db_path, lang):
    """一个项目的全过程：列入它的报送与各阶段记录。"""
    from generator.life.record import STAGE_WORDS
    pl = _life(db_path).project(pid, until=_day(as_of, "--as-of") if as_of else None)
    en = lang == "en"
    if fmt == "json":
        click.echo(json.dumps({"project": pl.project, "county": pl.county, "community": pl.community,
                               "stage": pl.stage, "listed_by": [{**l.__dict__, "received": l.received.isoformat()}
                                                                for l in pl.listings],
                               "events": [e.to_dict() for e in pl.events]}, ensure_ascii=False, indent=2))
        return
    from generator.safetext import terminal
    click.echo(terminal(f"{pl.project} {pl.community or ''} {pl.county} "
                        + (f"stage: {pl.stage}" if en else f"当前阶段：{STAGE_WORDS[pl.stage]}")))
    for l in pl.listings:
        click.echo(terminal(f"  {'listed by' if en else '列入报送'} #{l.submission_id} v{l.version} {l.received}"
                            f" 开工{l.actual_start or '—'} 完工{l.actual_end or '—'}"))
    for e in pl.events:
        click.echo(terminal("  " + _event_line(e, en)))


@project.command("evidence")
@click.argument("event_id", type=int, metavar="记录编号")
@click.option("--seq", default=1, show_default=True, help="第几个证据文件")
@click.option("-o", "--output", "output_file", type=click.Path(dir_okay=False), required=True, help="写出到文件")
@db_option
@lang_option
@handle_errors
def evidence_cmd(event_id, seq, output_file, db_path, lang):
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
def decisions_cmd(county, as_of, fmt, policy_ref, db_path, lang):
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
    for d in ds:
        click.echo(terminal(f"{d.project} {d.community} {d.state}" + (f"：{'；'.join(d.reasons)}" if d.reasons else "")))
