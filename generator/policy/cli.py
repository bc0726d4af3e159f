"""``gaizao policy list | show | check``."""
from __future__ import annotations

import json

import click

from generator.options import handle_errors, json_option, lang_option, strict_option


@click.group()
def policy():
    """政策：列出、查看、检查。 List, show and check policies.

    REF 可以是编号（xuchang/2023）、任意位置的政策文件或文件夹，或 编号@git修订（xuchang/2023@HEAD~1）。
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
            lp = load_policy(pid)
            p = lp.policy
            rows.append({"id": p.id, "version": p.version, "status": p.status, "kind": p.kind, "title": p.title,
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
            t.add_row(r["id"], r["version"], r["status"] + (f"（{r['label']}）" if r["label"] else ""), r["kind"],
                      r["title"], r["supersedes"] or "", r["hash"][:12])
    Console(highlight=False).print(t)


@policy.command("show")
@click.argument("ref")
@json_option
@lang_option
@handle_errors
def show_cmd(ref: str, as_json: bool, lang: str):
    """每个参数及其出处条款，以及政策编号、版本和内容哈希。"""
    from generator.policy.loader import load_policy
    from generator.policy.params import iter_parameters

    lp = load_policy(ref)
    p = lp.policy
    params = []
    for prm in iter_parameters(p):
        file, line = lp.locate(prm.loc)
        params.append({"path": prm.path, "value": prm.value, "unit": prm.unit,
                       "clause": prm.clause, "clause_title": lp.text.display(prm.clause) if prm.clause else None,
                       "quote": prm.quote, "file": file, "line": line,
                       "erratum": prm.erratum.model_dump() if prm.erratum else None})
    head = {"id": p.id, "version": p.version, "status": p.status, "kind": p.kind, "title": p.title,
            "label": p.label, "supersedes": p.supersedes, "sources": p.sources, "hash": lp.content_hash,
            "origin": lp.origin}
    if as_json:
        from generator.findings import jsonable
        out = dict(head, parameters=jsonable(params), policy=p.model_dump(mode="json", exclude={"text"}))
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    en = lang == "en"
    click.echo(f"{p.id}  {'version' if en else '版本'} {p.version}  {p.status}{('（' + p.label + '）') if p.label else ''}"
               f"  {'hash' if en else '内容哈希'} {lp.content_hash}")
    click.echo(p.title)
    if p.supersedes:
        click.echo(("supersedes " if en else "替代：") + p.supersedes)
    for s in p.sources:
        click.echo(("source: " if en else "来源：") + s)
    from rich.console import Console
    from rich.table import Table

    t = Table(show_lines=False, expand=False)
    t.add_column("parameter" if en else "参数")
    t.add_column("value" if en else "值")
    t.add_column("clause" if en else "条款")
    for row in params:
        v = row["value"]
        if v is None:
            shown = "—（原文未给出）" if not en else "— (not in the source)"
        elif isinstance(v, list):
            shown = "、".join(x if isinstance(x, str) else _doc_ref(x) for x in v)
        else:
            shown = str(v)
        if row["erratum"]:
            shown += f"  ［勘误：{row['erratum']['corrected']}］" if not en else f"  [erratum: {row['erratum']['corrected']}]"
        t.add_row(row["path"], shown, row["clause_title"] or "")
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
        report = check_policy(load_policy(ref))
    except PolicyInvalidError as exc:   # schema problems are findings too: all of them, with file and line
        report = Report(exc.findings, subject={"policy": ref})
    if as_json:
        click.echo(report.to_json(lang))
    else:
        click.echo(format_list(report, lang))
    raise SystemExit(report.exit_code(strict))


def _doc_ref(x) -> str:
    if isinstance(x, dict) and {"title", "number"} <= set(x):
        return f"《{x['title']}》（{x['number']}）"
    return json.dumps(x, ensure_ascii=False, default=str)
