"""``gaizao render acceptance REF --round mid-year|year-end``: the July / December inspection forms.

Per county: the county's self-check table (自查自评, the basis the policy names) and the city
inspection table, one row per project (start, completion, quality and safety, records, score).
Given plans with progress, each milestone due by the round is computed (started / completed share
against the county's target, as the milestone defines it). Given scores, a city summary ranks the
counties and marks the policy's number of excellent ones — but only with weights: the 2023 source
gives none (inspections.weights is null), so without ``--weights`` a ranking is refused.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import click

from generator.errors import InputError, UsageError
from generator.options import handle_errors, lang_option, output_dir_option

FORMS = {"self": "acceptance/county_self_check", "city": "acceptance/city_inspection"}
HTML_TEMPLATE = "acceptance/acceptance.html"
SUMMARY_TEMPLATE = "acceptance/summary"
CSS_TEMPLATE = "acceptance/acceptance.css"


# -- inputs: round, weights, scores ----------------------------------------------------------------
def find_round(lp, ref: str):
    """A round by id (mid-year) or name (年中)."""
    rounds = lp.policy.inspections.rounds if lp.policy.inspections else []
    for r in rounds:
        if ref in (r.id, r.name):
            return r
    ids = "、".join(f"{r.id}（{r.name}）" for r in rounds) or "无"
    raise UsageError(f"未知的检查轮次“{ref}”；政策规定的轮次：{ids}", f"unknown round {ref!r}; the policy's rounds: {ids}")


def parse_weights(text: str | None, lp) -> dict[str, float] | None:
    """``mid-year=0.4,year-end=0.6`` or a YAML file {mid-year: 0.4, ...}; round names also accepted."""
    if not text:
        w = lp.policy.inspections.weights if lp.policy.inspections else None
        return dict(w) if w else None
    path = Path(text)
    if path.is_file():
        import yaml
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise InputError(f"权重文件无法解析：{exc}", f"cannot parse the weights file: {exc}", location=text)
        if not isinstance(raw, dict):
            raise InputError("权重文件应为“轮次: 权重”的映射", "the weights file must map round to weight", location=text)
        pairs = list(raw.items())
    else:
        pairs = []
        for part in text.replace("，", ",").split(","):
            key, sep, val = part.partition("=")
            if not sep:
                raise UsageError(f"权重格式应为 轮次=权重（如 mid-year=0.4,year-end=0.6），而不是“{part}”",
                                 f"weights look like mid-year=0.4,year-end=0.6, not {part!r}")
            pairs.append((key.strip(), val.strip()))
    weights = {}
    for key, val in pairs:
        r = find_round(lp, str(key))
        try:
            weights[r.id] = float(val)
        except (TypeError, ValueError):
            raise UsageError(f"{key} 的权重“{val}”不是数字", f"weight {val!r} of {key} is not a number")
        if weights[r.id] < 0:
            raise UsageError(f"{key} 的权重不能为负数", f"weight of {key} must not be negative")
    missing = [r.name for r in lp.policy.inspections.rounds if r.id not in weights]
    if missing:
        raise UsageError(f"缺少以下轮次的权重：{'、'.join(missing)}", f"weights missing for: {', '.join(missing)}")
    return weights


def parse_scores(path: str | None, lp) -> dict[str, dict[str, float]] | None:
    """YAML {round: {county: score}} (round id or name)."""
    if not path:
        return None
    import yaml
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"得分文件无法读取：{exc}", f"cannot read the scores file: {exc}", location=str(path))
    if not isinstance(raw, dict):
        raise InputError("得分文件应为“轮次: {县（市、区）: 得分}”", "scores must map round -> {county: score}",
                         location=str(path))
    out: dict[str, dict[str, float]] = {}
    for rkey, table in raw.items():
        r = find_round(lp, str(rkey))
        if not isinstance(table, dict):
            raise InputError(f"{rkey}：应为“县（市、区）: 得分”", f"{rkey}: expected county: score", location=str(path))
        for county, score in table.items():
            if lp.policy.county(str(county)) is None:
                raise InputError(f"{rkey}：政策中没有“{county}”", f"{rkey}: no county {county!r} in the policy",
                                 location=str(path))
            try:
                out.setdefault(r.id, {})[str(county)] = float(score)
            except (TypeError, ValueError):
                raise InputError(f"{rkey} {county}：得分“{score}”不是数字", f"{rkey} {county}: score {score!r} is not a number",
                                 location=str(path))
    return out


def refuse_without_weights(lp) -> UsageError:
    clause = lp.text.display(lp.policy.inspections.clause)
    names = "、".join(r.name for r in lp.policy.inspections.rounds)
    example = ",".join(f"{r.id}=…" for r in lp.policy.inspections.rounds)
    return UsageError(
        f"无法排名：政策（{clause}）要求按{names}检查验收情况“综合权重”评选，但未给出权重。"
        f"请用 --weights 提供（如 {example}），或使用给出权重的政策版本。",
        f"cannot rank: the policy ({clause}) weighs the {len(lp.policy.inspections.rounds)} rounds but gives no weights; "
        f"pass --weights (e.g. {example}) or use a policy version that has them.")


# -- computed content --------------------------------------------------------------------------------
def round_end(lp, rnd) -> dt.date:
    year = lp.policy.year
    nxt = dt.date(year + (rnd.month == 12), rnd.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


@dataclass
class CountyRows:
    name: str
    rows: list             # project contexts (forms_context.project_context)
    has_plan: bool


def milestone_lines(lp, rnd, county, group: CountyRows) -> list[dict]:
    """Each milestone: due date, and whether the county attained it (when a plan with progress is given)."""
    from generator.policy import cnfmt
    out = []
    end = round_end(lp, rnd)
    target = county.target
    for m in lp.policy.milestones:
        due = cnfmt.printed_date(m.date, m.precision)
        if m.date > end:
            out.append({"label": m.label, "due": due, "attainment": "：本轮未到期", "met": None})
            continue
        key = "actual_start" if m.measure == "started" else "actual_end"
        if not group.has_plan or not any(r[key] for r in group.rows):
            out.append({"label": m.label, "due": due, "attainment": "：未提供进度（待填）", "met": None})
            continue
        done = [r for r in group.rows if isinstance(r[key], dt.date) and r[key] <= m.date]
        if m.basis == "projects":
            num = len(done)
            den = (target.projects if target and target.projects else len(group.rows))
            unit = "个"
        else:
            num = sum(int(r["households"] or 0) for r in done)
            den = (target.households if target and target.households else
                   sum(int(r["households"] or 0) for r in group.rows))
            unit = "户"
        share = num / den if den else 0.0
        met = share + 1e-9 >= m.share
        verb = "已开工" if m.measure == "started" else "已完工"
        need = math.ceil(m.share * den - 1e-9)
        out.append({"label": m.label, "due": due, "met": met,
                    "attainment": f"：{verb}{num}/{den}{unit}（{cnfmt.pct(round(share, 4))}，须≥{need}{unit}），"
                                  f"{'达到' if met else '未达到'}"})
    return out


def _cn(d) -> str:
    from generator.policy import cnfmt
    return cnfmt.cn_date(d) if isinstance(d, dt.date) else ""


def table_rows(group: CountyRows, county) -> list[dict]:
    if not group.rows:   # no plan: blank rows, one per target project, to fill by hand
        n = county.target.projects if county.target and county.target.projects else 0
        return [{"no": i + 1, "id": "", "name": "", "households": "", "start": "", "completion": "", "score": "",
                 "remark": ""} for i in range(n)]
    out = []
    for i, r in enumerate(group.rows, 1):
        # two lines: the newline becomes a line break in DOCX (docxtpl) and in HTML (white-space: pre-line)
        start = f"计划{_cn(r['planned_start'])}\n" + (f"实际{_cn(r['actual_start'])}" if r["actual_start"] else "未开工")
        end = f"计划{_cn(r['planned_end'])}\n" + (f"实际{_cn(r['actual_end'])}" if r["actual_end"] else "未完工")
        out.append({"no": i, "id": r["id"], "name": r["name"], "households": r["households"], "start": start,
                    "completion": end, "score": "", "remark": "联系点" if r["liaison"] == "是" else ""})
    return out


def rank(lp, scores: dict, weights: dict) -> list[dict]:
    """Counties by weighted score, best first; ties share a rank; the top excellent_count are 优秀."""
    rounds = lp.policy.inspections.rounds
    n_excellent = lp.policy.inspections.excellent_count.value
    rows = []
    for c in lp.policy.counties_with_target:
        missing = [r.name for r in rounds if c.name not in scores.get(r.id, {})]
        if missing:
            raise InputError(f"{c.name} 缺少{'、'.join(missing)}得分，无法排名",
                             f"{c.name} has no score for {', '.join(missing)}; cannot rank")
        per = [scores[r.id][c.name] for r in rounds]
        total = sum(weights[r.id] * s for r, s in zip(rounds, per))
        rows.append({"county": c.name, "scores": per, "total_value": round(total, 4),
                     "scores_text": "；".join(f"{r.name} {s:g}" for r, s in zip(rounds, per))})
    rows.sort(key=lambda x: -x["total_value"])
    for i, row in enumerate(rows):
        row["rank"] = 1 + sum(1 for o in rows if o["total_value"] > row["total_value"])
        row["total"] = f"{row['total_value']:.2f}"
        row["grade"] = "优秀" if row["rank"] <= n_excellent else ""
    return rows


def summary_context(lp, pctx: dict, ranking: list[dict], weights: dict) -> dict:
    ins = lp.policy.inspections
    return {**pctx, "ranking": ranking, "rounds": [{"id": r.id, "name": r.name} for r in ins.rounds],
            "excellent_count": ins.excellent_count.value, "inspections_clause": lp.text.display(ins.clause),
            "weights_text": "权重：" + "，".join(f"{r.name} {weights[r.id]:g}" for r in ins.rounds)
                            + ("（由 --weights 提供，政策未规定）" if not ins.weights else ""),
            "manifest": ""}


# -- rendering -------------------------------------------------------------------------------------
def group_projects(lp, plans: list) -> dict[str, CountyRows]:
    from generator.render.forms_context import policy_context, project_context
    pctx = policy_context(lp)
    groups: dict[str, CountyRows] = {}
    for plan in plans:
        for row in plan.projects:
            p = project_context(row, lp, pctx, county=plan.county)
            groups.setdefault(p["county"], CountyRows(p["county"], [], True)).rows.append(p)
    return groups


def county_context(lp, pctx: dict, rnd, county, group: CountyRows, weights, form: str, m: dict) -> dict:
    from generator.render.base import manifest_text
    ins = lp.policy.inspections
    rows = table_rows(group, county)
    households = sum(int(r["households"]) for r in rows if str(r["households"]).isdigit())
    first_ms = lp.policy.milestones[0] if lp.policy.milestones else None
    return {**pctx, "round": {"id": rnd.id, "name": rnd.name, "month": rnd.month},
            "form_title": f"{ins.basis}表" if form == "self" else "市级检查验收表",
            "county": {"name": county.name,
                       "projects": county.target.projects if county.target else "",
                       "households": county.target.households if county.target else ""},
            "inspections_clause": lp.text.display(ins.clause),
            "round_period": f"{lp.policy.year}年{rnd.month}月",
            "target_clause": lp.text.display(county.target.clause) if county.target else "",
            "milestone_clause": lp.text.display(first_ms.clause) if first_ms else "",
            "milestones": milestone_lines(lp, rnd, county, group),
            "weight": (f"{weights[rnd.id]:g}" if weights else None),
            "rows": rows, "totals": {"households": households},
            "signature_line": ("县（市、区）负责人（签字）：　　　　　　　　（单位盖章）" if form == "self"
                               else "市级检查验收组组长（签字）：　　　　　　　　组员（签字）："),
            "manifest": manifest_text({**m, "county": county.name, "round": rnd.id, "form": form})}


def render_acceptance(lp, round_ref: str, out_dir, *, counties: list[str] | None = None, plans=(),
                      weights_text: str | None = None, scores_path: str | None = None, templates=None,
                      pdf: bool = True) -> list[Path]:
    """Library entry point: write the forms (and the summary when scores are given); returns paths."""
    from generator.fileio import atomic_write_bytes, safe_join, sha256_bytes, sha256_file
    from generator.render.base import manifest
    from generator.render.checklists import document_date, plan_is_sample
    from generator.render.forms_context import policy_context
    from generator.render.forms_templates import TemplateSet, core_properties_xml, render_html

    if lp.policy.inspections is None:
        raise UsageError("该政策没有检查验收规定", "this policy has no inspections")
    rnd = find_round(lp, round_ref)
    weights = parse_weights(weights_text, lp)
    scores = parse_scores(scores_path, lp)
    if scores is not None and weights is None:
        raise refuse_without_weights(lp)
    templates = templates or TemplateSet()
    out_dir = Path(out_dir)

    from generator.ledger.reader import read_plan
    plan_objs = [read_plan(p, lp) for p in plans]
    input_hash = sha256_bytes("".join(sha256_file(p) for p in plans).encode()) if plans else None
    m = manifest(lp, input_hash=input_hash, document="检查验收表")
    groups = group_projects(lp, plan_objs)
    pctx = policy_context(lp)
    pctx["sample"] = any(plan_is_sample(p) for p in plan_objs)
    chosen = [lp.policy.county(n) for n in counties] if counties else lp.policy.counties_with_target
    issuer, date = lp.policy.document.issuer.value, document_date(lp)
    css = templates.text(CSS_TEMPLATE)
    html_tpl = templates.html(HTML_TEMPLATE)
    written: list[Path] = []
    htmls: list[tuple[Path, str]] = []
    for county in chosen:
        group = groups.get(county.name, CountyRows(county.name, [], bool(plans)))
        for form, rel in FORMS.items():
            ctx = county_context(lp, pctx, rnd, county, group, weights, form, m)
            stem = f"{county.name}_{rnd.name}{ctx['form_title']}"
            path = safe_join(out_dir, stem + ".docx")
            core = core_properties_xml(stem, issuer, date, {**m, "county": county.name, "round": rnd.id})
            atomic_write_bytes(path, templates.docx(rel + ".docx").render(ctx, core))
            written.append(path)
            if pdf:
                htmls.append((safe_join(out_dir, stem + ".pdf"), render_html(html_tpl, ctx, HTML_TEMPLATE)))
    if scores is not None:
        ctx = summary_context(lp, pctx, rank(lp, scores, weights), weights)
        stem = f"全市{rnd.name}检查验收汇总表"
        path = safe_join(out_dir, stem + ".docx")
        atomic_write_bytes(path, templates.docx(SUMMARY_TEMPLATE + ".docx").render(
            ctx, core_properties_xml(stem, issuer, date, m)))
        written.append(path)
        if pdf:
            htmls.append((safe_join(out_dir, stem + ".pdf"),
                          render_html(templates.html(SUMMARY_TEMPLATE + ".html"), ctx, SUMMARY_TEMPLATE + ".html")))
    if htmls:
        from generator.render.base import html_to_pdf
        for path, html in htmls:      # a handful of documents: no pool needed
            atomic_write_bytes(path, html_to_pdf(html, css))
            written.append(path)
    return written


@click.command("acceptance")
@click.argument("policy_ref", metavar="REF")
@click.option("--round", "round_ref", required=True, help="检查轮次 mid-year|year-end（或 年中|年终）/ inspection round.")
@click.option("--county", "county_name", default=None, help="县（市、区）名称 / one county.")
@click.option("--all", "all_counties", is_flag=True, help="全部县（市、区）/ every county.")
@click.option("--plan", "plans", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="县级工作簿（可多次）：填入项目并计算节点完成情况 / county workbook(s) with progress.")
@click.option("--weights", default=None, help="各轮权重，如 mid-year=0.4,year-end=0.6，或 YAML 文件 / round weights.")
@click.option("--scores", "scores_path", default=None, type=click.Path(exists=True, dir_okay=False),
              help="各县（市、区）得分 YAML {轮次: {县: 分}}：生成全市汇总排名 / scores for the city ranking.")
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False), default=None,
              help="覆盖模板的文件夹 / folder of templates overriding the bundled ones.")
@output_dir_option
@lang_option
@handle_errors
def acceptance_cmd(policy_ref, round_ref, county_name, all_counties, plans, weights, scores_path, templates_dir,
                   output_dir, lang):
    """年中/年终检查验收表：县级自查自评表与市级检查验收表（DOCX + PDF）。 Inspection forms."""
    from generator.policy import load_policy
    from generator.render.county_plan import resolve_counties
    from generator.render.forms_templates import TemplateSet

    lp = load_policy(policy_ref)
    resolve_counties(lp, county_name, all_counties)      # --county xor --all, and a county the policy names
    written = render_acceptance(lp, round_ref, output_dir, counties=[county_name] if county_name else None,
                                plans=plans, weights_text=weights, scores_path=scores_path,
                                templates=TemplateSet(templates_dir))
    click.echo(f"wrote {len(written)} file(s) to {output_dir}" if lang == "en"
               else f"已生成检查验收表 {len(written)} 个文件 → {output_dir}")
