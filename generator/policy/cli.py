"""``gaizao policy list | show | check``."""
from __future__ import annotations

import json
import re

import click

from generator.options import handle_errors, json_option, lang_option, strict_option


@click.group()
def policy():
    """政策：列出、查看、检查、新建。 List, show, check and start policies.

    REF 可以是编号（xuchang/2023）、任意位置的政策文件或文件夹，或 编号@git修订（xuchang/2023@HEAD~1）。
    编号依次在当前文件夹的 policies/、环境变量 GAIZAO_POLICIES 所列文件夹（以 : 分隔）、内置 policies/ 中查找。
    """


@policy.command("list")
@json_option
@lang_option
@handle_errors
def list_cmd(as_json: bool, lang: str):
    """列出 policies/ 下的全部政策（编号、版本、状态、标题、所替代版本）。"""
    from generator.errors import GaizaoError
    from generator.policy.loader import list_ids, load_policy

    rows = []
    for pid in list_ids():
        try:
            lp = load_policy(pid, verify=False)     # a listing, not a judgement: hashes shown
            p = lp.policy
            rows.append({"id": p.id, "version": p.version, "status": p.status, "kind": p.derived_kind, "title": p.title,
                         "label": p.label, "supersedes": p.supersedes, "hash": lp.content_hash})
        except GaizaoError as exc:
            rows.append({"id": pid, "error": exc.render(lang)})
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    t = Table(show_lines=False)
    for h in (("编号", "id"), ("版本", "version"), ("状态", "status"), ("类型", "kind"), ("标题", "title"),
              ("替代", "supersedes"), ("内容哈希", "hash")):
        t.add_column(h[1] if lang == "en" else h[0])
    for r in rows:
        if "error" in r:
            t.add_row(r["id"], "", "[red]无法读取[/]", "", r["error"], "", "")
        else:
            t.add_row(r["id"], r["version"], (r["status"] or "") + (f"（{r['label']}）" if r["label"] else ""),
                      r["kind"], r["title"], r["supersedes"] or "", (r["hash"] or "")[:12])
    Console(highlight=False).print(t)


@policy.command("show")
@click.argument("ref")
@json_option
@lang_option
@handle_errors
def show_cmd(ref: str, as_json: bool, lang: str):
    """每个参数及其出处条款，以及政策编号、版本和内容哈希。"""
    from generator.errors import PolicyInvalidError
    from generator.policy.inherit import inherited_from
    from generator.policy.loader import load_policy
    from generator.policy.params import iter_parameters

    try:
        lp = load_policy(ref, verify=False)      # shows its hash; check says whether it matches the lock
    except PolicyInvalidError as exc:         # a draft still being confirmed: its parameters as written, and the errors
        from generator.policy.draft.confirm import lenient
        raw = lenient(ref)
        if raw is None:
            raise
        _show_lenient(raw, exc, as_json, lang)
        return
    p = lp.policy
    params = []
    for prm in iter_parameters(p):
        file, line = lp.locate(prm.loc)
        params.append({"path": prm.path, "value": prm.value, "unit": prm.unit,
                       "clause": prm.clause, "clause_title": lp.text.display(prm.clause) if prm.clause else None,
                       "quote": prm.quote, "file": file, "line": line, "inherited_from": inherited_from(lp, prm.loc),
                       "erratum": prm.erratum.model_dump() if prm.erratum else None})
    head = {"id": p.id, "version": p.version, "status": p.status, "kind": p.derived_kind, "title": p.title,
            "label": p.label, "supersedes": p.supersedes, "parent": p.parent, "sources": p.sources, "hash": lp.content_hash,
            "origin": lp.origin}
    if as_json:
        from generator.findings import jsonable
        out = dict(head, parameters=jsonable(params), policy=p.model_dump(mode="json", exclude={"text"}))
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    en = lang == "en"
    click.echo(f"{p.id}  {'version' if en else '版本'} {p.version}  {p.status}{('（' + p.label + '）') if p.label else ''}"
               f"  {'hash' if en else '内容哈希'} {lp.content_hash}")
    from generator.findings import shown as cell
    from generator.safetext import terminal     # policy strings may hold escape sequences ("\e" in YAML)
    click.echo(terminal(p.title))
    if p.supersedes:
        click.echo(terminal(("supersedes " if en else "替代：") + p.supersedes))
    if p.parent:
        click.echo(terminal(("parent " if en else "上级政策：") + p.parent))
    for s in p.sources:
        click.echo(terminal(("source: " if en else "来源：") + s))
    from rich.console import Console
    from rich.table import Table

    t = Table(show_lines=False, expand=False)
    t.add_column("parameter" if en else "参数")
    t.add_column("value" if en else "值")
    t.add_column("clause" if en else "条款")
    from generator.policy.model import QUANTITY_UNITS
    units = {u for per_quantity in QUANTITY_UNITS.values() for u in per_quantity}
    for row in params:
        v = row["value"]
        if v is None:
            shown = "—（原文未给出）" if not en else "— (not in the source)"
        elif isinstance(v, list):
            shown = "、".join(x if isinstance(x, str) else _doc_ref(x) for x in v)
        else:
            shown = str(v) + (row["unit"] if row["unit"] in units else "")
        if row["erratum"]:
            shown += f"  ［勘误：{row['erratum']['corrected']}］" if not en else f"  [erratum: {row['erratum']['corrected']}]"
        where = row["clause_title"] or ""
        if row["inherited_from"]:
            where += f" (from {row['inherited_from']})" if en else f"（继承自 {row['inherited_from']}）"
        t.add_row(cell(row["path"]), cell(shown), cell(where))
    Console(highlight=False, width=max(120, Console().width)).print(t)


@policy.command("check")
@click.argument("ref")
@json_option
@strict_option
@lang_option
@handle_errors
def check_cmd(ref: str, as_json: bool, strict: bool, lang: str):
    """检查政策：收集全部错误与警告（每项含代码、条款与说明）。

    退出码：0 无错误（可有警告）；1 有错误（--strict 时警告亦然）；2 无法读取政策。
    """
    from generator.errors import PolicyInvalidError
    from generator.findings import Report, format_list
    from generator.policy.check import check_policy
    from generator.policy.loader import load_policy

    try:
        report = check_policy(load_policy(ref, verify=False))     # a mismatch with the lock is P210
    except PolicyInvalidError as exc:   # schema problems are findings too: all of them, with file and line
        report = Report(exc.findings, subject={"policy": ref})
        from generator.policy.draft.confirm import lenient_questions
        report.extend(lenient_questions(ref))      # a draft: what is left to confirm, even before it loads
    if as_json:
        click.echo(report.to_json(lang))
    else:
        if report.subject.get("source_text"):       # 无正文：引文未核对
            from generator.policy.check import NO_SOURCE_TEXT, NO_SOURCE_TEXT_EN
            click.echo(NO_SOURCE_TEXT_EN if lang == "en" else NO_SOURCE_TEXT)
        click.echo(format_list(report, lang))
    raise SystemExit(report.exit_code(strict))


@policy.command("lock")
@click.argument("ref")
@click.option("--force", is_flag=True,
              help="改写已登记的不同哈希（仅限不改变内容的迁移，须在提交说明中写明）/ replace a different registered hash.")
@lang_option
@handle_errors
def lock_cmd(ref: str, force: bool, lang: str):
    """把已印发政策（status: issued）的版本和内容哈希写入 issued.lock（原子写入），代替手工编辑。

    Register an issued policy's version and content hash in its issued.lock. The policy must pass
    ``policy check`` without errors; a different hash already registered for the id is replaced only with
    --force (an issued policy is never edited: make a new version). Exit 0 written or unchanged, 2 refused.
    """
    from generator.errors import UsageError
    from generator.policy.check import check_policy
    from generator.policy.loader import lock_for, load_policy, write_lock

    en = lang == "en"
    lp = load_policy(ref, verify=False)
    p = lp.policy
    if p.status != "issued":
        raise UsageError(f"政策 {p.id} 的状态是 {p.status}，不是已印发（issued）：草案和示例不登记",
                         f"policy {p.id} is {p.status}, not issued: drafts and samples are not registered")
    from generator.findings import Severity
    errors = [f for f in check_policy(lp).findings if f.severity == Severity.ERROR and f.code != "P210"]
    if errors:
        raise UsageError(f"政策 {p.id} 有 {len(errors)} 项错误（首项 {errors[0].code}：{errors[0].message}），"
                         f"未登记；请先运行 gaizao policy check {ref}",
                         f"policy {p.id} has {len(errors)} error(s) (first {errors[0].code}: {errors[0].message_en}); "
                         f"not registered: run gaizao policy check {ref}")
    lock, entry = lock_for(lp)
    if entry is not None and str(entry.get("sha256")) != lp.content_hash and not force:
        raise UsageError(f"{lock} 已登记 {p.id}（版本{entry.get('version')}，哈希{str(entry.get('sha256'))[:12]}），"
                         f"与此处（版本{p.version}，哈希{lp.content_hash[:12]}）不同：已印发的政策不得修改，请另建新版本"
                         f"（supersedes）；仅当内容未变（如结构迁移）时用 --force，并在提交说明中写明",
                         f"{lock} registers {p.id} with another hash ({str(entry.get('sha256'))[:12]}; here "
                         f"{lp.content_hash[:12]}): an issued policy is never edited, make a new version; --force only "
                         "for a change that does not alter the content, said in the commit")
    path, how = write_lock(lp, lock)
    words = {"added": ("已登记", "registered"), "updated": ("已更新", "updated"), "unchanged": ("已登记过，未改动",
                                                                                          "already registered")}[how]
    click.echo(f"{words[1]}: {p.id} version {p.version} sha256 {lp.content_hash} in {path}" if en else
               f"{words[0]}：{p.id} 版本{p.version} 哈希{lp.content_hash}，{path}")


@policy.command("schema")
@handle_errors
def schema_cmd():
    """打印政策文件结构说明（每个键的含义、单位、示例）和全部检查代码（即 docs/policy-schema.md）。"""
    from generator.policy.schemadoc import render
    click.echo(render(), nl=False)


_NEW_ID = re.compile(r"(?P<city>[a-z][a-z0-9_-]*)/(?P<year>(19|20)\d\d)(-[a-z0-9]+)?")

SKELETON = """\
# {pid}: {city_name}{year}年老旧小区改造计划 — 由 `gaizao policy new` 生成的空白骨架。
# 只写原文写明的内容：原文没有的，就不写（不要照抄别的城市的政策）。每个数字都要写明出处 clause
# （原文中的位置，如“二”“附件1”“目标任务”）和 quote（原文的原话）。写完后运行：
#   gaizao policy check {pid}
# 字段说明见 docs/policy.md（“目标数量”一节：单位、小数位、不少于/不超过）。
id: {pid}
version: "0.1.0"
status: draft              # draft 草案 | issued 已印发（印发后登记到 policies/issued.lock，不再原地修改）
kind: targets              # targets：只有目标表；完整的通知与方案（正文 text.yaml）写 full
title: {city_name}{year}年老旧小区改造计划（目标数）
{supersedes}sources:
  - 待填写：原文出处（文件名称、文号或网址），以及是否已与官方原文核对

document:
  issuer:
    value: {city_name}          # 发文机关全称（原文未写明时只记城市，并在 note 中说明）
    clause: 目标任务
    note: 待核对：原文的发文机关。
  city:
    value: {city_name}
    clause: 目标任务
  plan_year:
    value: {year}
    clause: 目标任务

# {scope}目标。每个数量都可以不写：不写表示“原文未公布”，与 0 不同。
# city_target:
#   projects: 0            # 项目（个）
#   communities: 0         # 小区（个）
#   households: 0          # 户（原文以万户计时写 67.13，并在 units 中写 households: 万户）
#   buildings: 0           # 楼栋（栋）
#   area: 0.0              # 建筑面积（默认单位万㎡）
#   units: {{households: 万户}}       # 只写与默认单位（个、个、户、栋、万㎡）不同的
#   precision: {{area: 2}}            # 原文的小数位数，末位为 0 时必须写（如 31.40万㎡）
#   comparator: 不少于               # exactly（默认）| 不少于 | 不超过，或按数量写 {{households: 不少于}}
#   clause: 目标任务
#   quote: 原文原话

# 下级单位（{lower}）：名称只在这里写一次；原文未分别公布时留空列表。
counties: []
#   - name: 某某区
#     target: {{projects: 0, households: 0, clause: 目标任务, quote: 原文原话}}
"""


TEXT_SKELETON = """\
# {pid} 的原文（text.yaml）。把公开发布的原文逐段粘贴到 plan 下（或用 `gaizao policy draft 原文文件 -o 文件夹` 自动生成
# 本文件和一份草稿）。有了原文，`policy check` 逐条核对每个 quote 是否在所标条款中（P160）；没有原文时它说
# “无正文：引文未核对”，只核对每个值是否在其引文中（P161）。
plan_title: {title}
# plan:
#   title: 原文标题
#   preamble: [原文第一段]                  # 条款编号“前言”
#   sections:
#     - id: 目标任务                         # policy.yaml 中 clause: 目标任务 指向这里
#       number: 一
#       heading: 目标任务
#       paragraphs: [原文原话]
"""


@policy.command("new")
@click.argument("pid", metavar="CITY/YEAR")
@click.option("--name", "city_name", default=None, help="城市全称（如 德州市），缺省时先写编号中的城市名，待改。")
@click.option("--supersedes", default=None, help="所替代的版本（编号@版本，如 dezhou/2022@1.0.0）。")
@lang_option
@handle_errors
def new_cmd(pid: str, city_name: str | None, supersedes: str | None, lang: str):
    """在当前文件夹的 policies/CITY/YEAR/ 下写一个空白的目标表政策骨架（带注释，不是许昌的副本）。"""
    from pathlib import Path

    from generator.errors import UsageError
    from generator.fileio import atomic_write_text

    m = _NEW_ID.fullmatch(pid)
    if not m:
        raise UsageError(f"编号“{pid}”应为 城市/年度（小写拼音/四位年份，如 dezhou/2022 或 dezhou/2024-draft）",
                         f"id '{pid}' must be city/year (lower-case pinyin / four-digit year, e.g. dezhou/2022)")
    if supersedes:
        from generator.policy.loader import load_policy
        old = load_policy(supersedes.split("@")[0], verify=False)
        supersedes = supersedes if "@" in supersedes else f"{old.policy.id}@{old.policy.version}"
    folder = Path("policies") / pid
    target = folder / "policy.yaml"
    if target.exists():
        raise UsageError("政策已存在，未改动；换一个编号或直接编辑该文件", "the policy exists and was left unchanged; "
                         "choose another id or edit that file", location=str(target))
    from generator.policy.wording import level_of, lower_units, scope_word
    name = city_name or m.group("city")
    text = SKELETON.format(pid=pid, year=m.group("year"), city_name=name, scope=scope_word(name),
                           lower=lower_units(level_of(name)).lstrip("各"),
                           supersedes=f"supersedes: {supersedes}\n" if supersedes else "")
    atomic_write_text(target, text)
    if not (folder / "text.yaml").exists():        # where the source text goes; until it is there: 无正文
        atomic_write_text(folder / "text.yaml", TEXT_SKELETON.format(pid=pid, title=f"{name}{m.group('year')}年老旧小区改造计划"))
    click.echo(f"wrote {target}; next: gaizao policy check {pid}" if lang == "en"
               else f"已写入 {target}；下一步：gaizao policy check {pid}")


def _doc_ref(x) -> str:
    if isinstance(x, dict) and {"title", "number"} <= set(x):
        return f"《{x['title']}》（{x['number']}）"
    return json.dumps(x, ensure_ascii=False, default=str)


@policy.command("draft")
@click.argument("source", metavar="SOURCE")
@click.option("-o", "--output", "out", required=True, help="草稿文件夹（如 policies/zhoukou/2022）；已有政策文件时不改动。")
@click.option("--id", "pid", default=None, help="政策编号（城市/年度）；缺省时取自文件夹（…/zhoukou/2022 → zhoukou/2022）。")
@json_option
@lang_option
@handle_errors
def draft_cmd(source: str, out: str, pid: str | None, as_json: bool, lang: str):
    """从公开发布的方案、通知或报道（TXT、DOCX、有文字层的 PDF、另存的 HTML）摘录一份政策草稿。

    写出 policy.yaml（标“草稿”，每个值附原文原话与条款）、text.yaml（原文）和 questions.yaml（读不出、需要人来回答的问题，
    一行一个，从不猜测）。不联网，不用模型：规则见 generator/policy/draft/rules.py。
    """
    from pathlib import Path

    from generator.policy.draft import draft_file
    from generator.policy.draft.write import default_id, write_draft

    d = draft_file(source, pid or "draft/draft")
    if not pid:
        year = d.policy.get("document", {}).get("plan_year", {}).get("value")
        d.policy["id"] = default_id(Path(out), year)
    files = write_draft(d, out)
    drafted = [v for v in d.values() if v["status"] == "drafted"]
    if as_json:
        click.echo(json.dumps({"id": d.policy["id"], "files": [str(f) for f in files], "values": drafted,
                               "reported": [v for v in d.values() if v["status"] == "reported"],
                               "questions": [q.__dict__ for q in d.questions]}, ensure_ascii=False, indent=2,
                              default=str))
        return
    en = lang == "en"
    from generator.safetext import terminal
    click.echo(terminal(f"wrote {out}: {len(drafted)} value(s), each with its quote; {len(d.questions)} question(s) in "
                        f"questions.yaml" if en else
                        f"已写入 {out}：摘录 {len(drafted)} 项（每项附原文原话），{len(d.questions)} 个问题待回答（questions.yaml）"))
    for q in d.questions:
        click.echo(terminal(f"  ? {q.text}" + (f"  〔{q.quote}〕" if q.quote else "")))
    click.echo(f"next: gaizao policy check {out}" if en else f"下一步：gaizao policy check {out}")


def _show_lenient(raw: dict, exc, as_json: bool, lang: str) -> None:
    """policy show of a draft that the schema does not accept yet: what it holds, and why it is not valid."""
    from generator.findings import format_list, Report
    en = lang == "en"
    if as_json:
        click.echo(json.dumps(dict(raw, errors=[f.to_dict(lang) for f in exc.findings]), ensure_ascii=False, indent=2,
                              default=str))
        return
    click.echo(f"{raw['id']}  {raw['status']}（{raw['label'] or ''}）  " + (
        "draft, not valid yet: parameters as written" if en else "草稿，尚不符合结构：按所写列出参数"))
    for row in raw["parameters"]:
        click.echo(f"  {row['path']} = {row['value']}  〔{row['clause'] or '—'}〕")
    for q in raw["questions"]:
        click.echo(("  to confirm: " if en else "  待确认：") + str(q.get("question", "")))
    click.echo(format_list(Report(exc.findings), lang))
