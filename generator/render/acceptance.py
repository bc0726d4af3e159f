"""``gaizao render acceptance REF --round mid-year|year-end``: the July / December inspection forms.

Per county two forms with different owners: the county's 自查自评表 (the basis the policy names: its own
score, opinion and the signature of the county's responsible official) and the city's 市级检查验收表 (the
inspection team's boxes). Both show what the county reported in its workbook AS OF the data cut-off
(the inspection date, ``--as-of``; by default the last day of the round's month): a start or completion
dated after it is not shown as done, so the July and December forms differ. Nothing is judged in advance:
符合/不符合, 达到/未达到, scores and conclusions are empty boxes for whoever signs the form.

One layout per form: the .docx template (scripts/build_acceptance_templates.py) is filled with docxtpl and
the PDF is that filled document printed by LibreOffice (generator.render.office_pdf), so an edited Word
template passed with ``--templates`` reaches both outputs.

Given scores, a city summary ranks the counties with generator.render.ranking (ties shared, the policy's
number of excellent counties never exceeded: a tie at the cut-off is printed as 待研究确定). The 年中
summary ranks mid-year scores only; the 年终 one combines the rounds by weight, which the 2023 source does
not give: without weights (policy or ``--weights``) it is refused.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any


from generator.errors import UsageError
from generator.policy import goals
from generator.policy.wording import lower_unit, policy_scope
from generator.render.ranking import (SCALE_NOTE, find_round, load_scores, parse_weights, rank,
                                      refusal_without_weights)

FORMS = {"self": "acceptance/county_self_check", "city": "acceptance/city_inspection"}
SUMMARY_TEMPLATE = "acceptance/summary"
__all__ = ["find_round", "parse_weights", "render_acceptance"]


# -- computed content --------------------------------------------------------------------------------
def round_end(lp, rnd) -> dt.date:
    year = lp.policy.year
    nxt = dt.date(year + (rnd.month == 12), rnd.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def parse_as_of(text: str | None, lp, rnd) -> dt.date:
    """The data cut-off: ``--as-of`` (the inspection date), else the last day of the round's month."""
    if not text:
        return round_end(lp, rnd)
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--as-of 应为日期，如 {lp.policy.year}-07-15，而不是“{text}”",
                         f"--as-of must be a date like {lp.policy.year}-07-15, not {text!r}") from None


@dataclass
class CountyRows:
    name: str
    rows: list             # project contexts (forms_context.project_context)
    has_plan: bool


def _done(value, cutoff: dt.date) -> dt.date | None:
    """A reported date counts only when it is a date on or before the cut-off."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return value if isinstance(value, dt.date) and value <= cutoff else None


def milestone_lines(lp, rnd, county, group: CountyRows, cutoff: dt.date | None = None) -> list[dict]:
    """Each milestone: due date, and what the workbook reports by then (no verdict: 达到 is the signer's box)."""
    from generator.policy import cnfmt
    cutoff = cutoff or round_end(lp, rnd)
    out = []
    target = county.target
    for m in lp.policy.milestones:
        due = cnfmt.printed_date(m.date, m.precision)
        if m.date > cutoff:
            out.append({"label": m.label, "due": due, "reported": "本轮未到期", "due_now": False})
            continue
        key = "actual_start" if m.measure == "started" else "actual_end"
        if not group.has_plan or not group.rows:
            out.append({"label": m.label, "due": due, "reported": "未提供进度（待填）", "due_now": True})
            continue
        done = [r for r in group.rows if _done(r[key], m.date)]
        # the target in 个 / 户 (1.3万户 is 13000户); the listed rows when it is not published or absent
        published = goals.goal(target, m.basis).as_int()
        if m.basis == "projects":
            num = len(done)
            den = published or len(group.rows)
            unit = "个"
        else:
            num = sum(int(r["households"] or 0) for r in done)
            den = published or sum(int(r["households"] or 0) for r in group.rows)
            unit = "户"
        share = num / den if den else 0.0
        verb = "已开工" if m.measure == "started" else "已完工"
        need = math.ceil(m.share * den - 1e-9)
        out.append({"label": m.label, "due": due, "due_now": True,
                    "reported": f"{verb}{num}/{den}{unit}（{cnfmt.pct(round(share, 4))}，须≥{need}{unit}）"})
    return out


def _cn(d) -> str:
    from generator.policy import cnfmt
    return cnfmt.cn_date(d) if isinstance(d, dt.date) else ""


def table_rows(group: CountyRows, county, cutoff: dt.date | None = None) -> list[dict]:
    """One row per project as reported, cut at ``cutoff``; no plan: blank rows, one per target project."""
    if not group.rows:
        n = goals.goal(county.target, "projects").as_int() or 0
        return [{"no": i + 1, "id": "", "name": "", "households": "", "start": "", "completion": "",
                 "remark": ""} for i in range(n)]
    cutoff = cutoff or dt.date.max
    out = []
    for i, r in enumerate(group.rows, 1):
        start, end = _done(r["actual_start"], cutoff), _done(r["actual_end"], cutoff)
        out.append({"no": i, "id": r["id"], "name": r["name"], "households": r["households"],
                    "start": _cn(start) if start else "未开工",
                    "completion": _cn(end) if end else "未完工",
                    "remark": "联系点" if r["liaison"] == "是" else ""})
    return out


def _issuer(lp) -> str:
    return lp.policy.document.issuer.value


def weights_text(lp, weights: dict | None, source: str | None, only=None) -> str:
    """How the weights print on a form: the values only (a leader signs it), or "" when none are given.
    Never an option name: this goes into documents."""
    ins = lp.policy.inspections
    # no provenance remark and no clause in a form a leader signs (issue 21.1): the values only; without
    # weights the line is left out (the ranking refuses, docs/forms.md)
    if not weights:
        return ""
    rounds = [only] if only is not None else ins.rounds
    return "权重：" + "，".join(f"{r.name} {weights[r.id]:g}" for r in rounds)


RUBRIC_KEYS = {"name": ("项目", "评分项目", "item", "name"), "points": ("分值", "points"),
               "standard": ("标准", "评分标准", "standard", "criteria")}


def load_rubric(path) -> list[dict]:
    """The office's 评分细则 (YAML/JSON): a list of {项目, 分值[, 标准]} under 评分细则 (or the list alone). The
    points are the form's 0–100 scale, so they must add up to 100. Nothing is ever assumed: no file, no rubric."""

    from generator.errors import InputError
    where = str(path)
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gbk")
        except UnicodeDecodeError:
            raise InputError("评分细则文件不是 UTF-8 或 GBK 文本", "the rubric file is not UTF-8 or GBK text",
                             location=where) from None
    from generator.policy.yamlsrc import parse_yaml      # bounded, located; a date that does not exist stays text
    data = parse_yaml(text, where, InputError).data
    if isinstance(data, dict):
        data = data.get("评分细则", data.get("rubric"))
    if not isinstance(data, list) or not data:
        raise InputError("评分细则应为列表：- {项目: …, 分值: …, 标准: …}",
                         "the rubric must be a list of {item, points[, standard]}", location=where)
    items: list[dict[str, Any]] = []
    for i, raw in enumerate(data, 1):
        if not isinstance(raw, dict):
            raise InputError(f"第{i}项不是“项目、分值”的记录", f"entry {i} is not an item with points", location=where)
        get = {k: next((raw[a] for a in aliases if a in raw), None) for k, aliases in RUBRIC_KEYS.items()}
        name, points = str(get["name"] or "").strip(), get["points"]
        if not name:
            raise InputError(f"第{i}项缺少评分项目", f"entry {i} has no item name", location=where)
        if isinstance(points, bool) or not isinstance(points, (int, float)) or not math.isfinite(points) or points <= 0:
            raise InputError(f"“{name}”的分值“{points}”不是正数", f"points of {name!r} must be a positive number: {points!r}",
                             location=where)
        items.append({"name": name, "points": f"{points:g}", "value": float(points),
                      "standard": str(get["standard"] or "").strip()})
    total = sum(x["value"] for x in items)
    if abs(total - 100) > 1e-9:
        raise InputError(f"评分细则各项分值合计{total:g}分，应为100分（检查验收表按百分制评分）",
                         f"the rubric's points add up to {total:g}, not 100 (the forms score out of 100)", location=where)
    return items


def load_quality(path) -> dict[str, dict]:
    """The recorded inspections and hazards (``gaizao project hazards --as-of D --format json``, issue 20.4) as
    {county: {"cell": the county's sentence, "as_of": D, "projects": {项目编号: the project's open/closed hazards}}}
    for the city form's 质量安全 column: what the record says, printed for the inspectors, never a verdict."""
    import json

    from generator.errors import InputError
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
        counties = {c["county"]: c for c in data["counties"]}
        hazards = list(data.get("hazards", []))
        as_of = str(data["as_of"])
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"质量安全记录文件无法读取（应为 gaizao project hazards --format json 的输出）：{exc}",
                         f"hazards file unreadable (expected the output of gaizao project hazards --format json): {exc}",
                         location=str(path)) from None
    try:
        # 项目编号 -> inspections that visited it (a file of an older gaizao has none: then unknown, None)
        inspected = {str(k): int(v) for k, v in data["inspected"].items()} if "inspected" in data else None
    except (AttributeError, ValueError, TypeError) as exc:
        raise InputError(f"质量安全记录文件的 inspected 项无法读取：{exc}", f"hazards file: bad 'inspected': {exc}",
                         location=str(path)) from None
    out: dict[str, dict] = {}
    for name, c in counties.items():
        mine = [h for h in hazards if h.get("county") == name]
        per: dict[str, list[dict]] = {}
        for h in mine:
            per.setdefault(str(h.get("project")), []).append(h)
        projects = {}
        for pid, hs in per.items():
            open_ = sum(bool(h.get("open")) for h in hs)
            late = sum(bool(h.get("overdue")) for h in hs)
            projects[pid] = (f"隐患{len(hs)}处，未销号{open_}处" + (f"（逾期{late}处）" if late else "")
                             if open_ else f"隐患{len(hs)}处，已销号")
        out[name] = {"cell": str(c.get("cell") or ""), "as_of": as_of, "projects": projects,
                     "inspected": inspected, "inspections": int(c.get("inspections") or 0)}
    return out


NO_RECORD = "未录入巡检记录"           # no inspection recorded of the project (as of the record's day)
NOT_ATTACHED = "未附巡检记录"          # the form was made without the record (render acceptance without --hazards)


def quality_cell(q: dict | None, pid: str) -> str:
    """The city form's 质量安全 cell of one project: what the record holds, never a verdict (no 合格). Hazards found:
    how many, open, overdue; visited and none found: "巡检N次，未记录隐患"; not visited: 未录入巡检记录; a form made
    without the record says so (未附巡检记录) rather than claim there is none."""
    if q is None:
        return NOT_ATTACHED
    if pid in q["projects"]:
        return q["projects"][pid]
    inspected = q.get("inspected")
    if inspected is None:                       # a record without the visits: only hazards are known
        return "无隐患记录" if q.get("inspections") else NO_RECORD
    n = inspected.get(pid, 0)
    return f"巡检{n}次，未记录隐患" if n else NO_RECORD


def county_context(lp, pctx: dict, rnd, county, group: CountyRows, weights, form: str, m: dict,
                   cutoff: dt.date | None = None, weights_source: str | None = None, rubric: list | None = None,
                   quality: dict | None = None) -> dict:
    """``quality``: this county's entry of ``load_quality`` (city form only): each row's ``quality`` and a line
    under the table say what the record holds; without it the column is the inspectors' to fill."""
    from generator.render.base import manifest_text
    ins = lp.policy.inspections
    cutoff = cutoff or round_end(lp, rnd)
    rows = table_rows(group, county, cutoff)
    q = quality if form == "city" and quality else None
    for r in rows:       # the city form's 质量安全 cell (blank rows of a county without a plan stay blank)
        r["quality"] = quality_cell(q, str(r["id"])) if form == "city" and r["id"] else ""
    households = sum(int(r["households"]) for r in rows if str(r["households"]).isdigit())
    first_ms = lp.policy.milestones[0] if lp.policy.milestones else None
    city = form == "city"
    organ = pctx["level_organ"]                            # 市级 (许昌), 省级 (河南省)
    below, own = pctx["lower_organ"], pctx["lower_self"]     # 县级 / 本县 (许昌), 市级 / 本市 (河南省)
    return {**pctx, "round": {"id": rnd.id, "name": rnd.name, "month": rnd.month},
            "form_title": f"{organ}检查验收表" if city else f"{ins.basis}表",
            # the target as published (only its published quantities; 1.3万户 stays 1.3万户)
            "county": {"name": county.name, "target": goals.phrase(county.target) or "本年度无目标任务"},
            "inspections_clause": lp.text.display(ins.clause),
            "round_period": f"{lp.policy.year}年{rnd.month}月",
            "cutoff": _cn(cutoff),
            "reported_heading": f"{below}填报" if city else f"{own}填报",
            "target_clause": lp.text.display(county.target.clause) if county.target else "",
            "milestone_clause": lp.text.display(first_ms.clause) if first_ms else "",
            "milestones": milestone_lines(lp, rnd, county, group, cutoff),
            "weight_text": weights_text(lp, weights, weights_source, only=rnd),
            "rows": rows, "totals": {"households": households}, "repeat_header": False,
            "rubric": rubric or [], "rubric_total": f"{sum(x['value'] for x in rubric or []):g}",
            "note": (f"注：开工、完工日期为{below}填报，截至{_cn(cutoff)}；核查情况、质量安全、资料档案、得分由{organ}检查验收组"
                     f"现场核查后填写。{SCALE_NOTE}。"
                     + (f"质量安全巡检抽检记录（截至{_cn(dt.date.fromisoformat(q['as_of']))}）：{q['cell']}。" if q else "")
                     if city else
                     f"注：开工、完工日期按{own}工作簿填报，截至{_cn(cutoff)}；自评得分、自评意见由{own}填写。{SCALE_NOTE}。"),
            "signature_line": (f"{organ}检查验收组组长（签字）：　　　　　　　　组员（签字）：" if city
                               else f"{below}负责人（签字）：　　　　　　　　填报人：　　　　　　　　联系电话："),
            "manifest": manifest_text({**m, "county": county.name, "round": rnd.id, "form": form,
                                       "as_of": cutoff.isoformat()})}


def _total(x) -> str:
    """Two decimals, more only when needed to tell totals apart exactly."""
    d = Decimal(x.numerator) / Decimal(x.denominator)
    two = d.quantize(Decimal("0.01"))
    return f"{two}" if two == d else f"{d.quantize(Decimal('0.000001')).normalize()}"


def summary_context(lp, pctx: dict, ranking, rnd=None) -> dict:
    """The summary sheet's fields from a generator.render.ranking.Ranking."""
    ins = lp.policy.inspections
    rnd = rnd or ins.rounds[-1]
    final = ranking.excellent_count is not None
    clause = lp.text.display(ins.clause)
    rows = []
    for i, r in enumerate(ranking.rows, 1):
        rows.append({"no": i, "county": r.county, "rank": r.rank, "total": _total(r.total),
                     "scores_text": "；".join(f"{x.name} {r.scores[x.id]:g}" for x in ranking.rounds),
                     "grade": "优秀" if r.excellent else ("待研究确定" if r.decision_needed else "")})
    names = "、".join(x.name for x in ins.rounds)
    notes = [f"注：1. {SCALE_NOTE}；名次相同者并列，其后名次顺延。"]
    if final:
        notes.append(f"2. 按{names}检查验收情况综合权重，评选出{ins.excellent_count.value}个优秀{lower_unit(lp.policy.unit_level)}。")
        if ranking.decision_needed:
            tie_rank = next(r.rank for r in ranking.rows if r.decision_needed)
            places = ins.excellent_count.value - sum(1 for r in ranking.rows if r.excellent)
            notes.append(f"3. {'、'.join(ranking.decision_needed)}综合得分相同，并列第{tie_rank}名，"
                         f"超出剩余{places}个优秀名额，待{_issuer(lp)}研究确定。")
        basis = "综合得分＝" + "＋".join(f"{x.name}得分×{ranking.weights[x.id]:g}" for x in ranking.rounds)
    else:
        notes.append(f"2. 本表仅列{rnd.name}检查验收得分，不评定优秀；优秀{lower_unit(lp.policy.unit_level)}按{names}检查验收情况综合权重评定。")
        basis = f"{rnd.name}检查验收得分排名"
    return {**pctx, "round": {"id": rnd.id, "name": rnd.name, "month": rnd.month},
            "ranking": rows, "excellent_count": ins.excellent_count.value, "inspections_clause": clause,
            "basis_text": basis,
            "weights_text": "",          # the weights print once, in basis_text (综合得分＝…)
            "scores_heading": "各轮得分" if final else f"{rnd.name}得分",
            "total_heading": "综合得分" if final else "得分",
            "notes": notes, "issuer": _issuer(lp), "manifest": "", "repeat_header": False}


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


def _without_note(text: str, ctx: dict) -> str:
    """A page's text without the form's 注 (which may quote the probe's words, e.g. a record 截至 the cut-off), so
    the probe is looked for in the column headings only."""
    import re
    note = re.sub(r"\s+", "", str(ctx.get("note") or ""))
    return text.replace(note, "") if note else text


def fill_and_print(jobs, stamp: str, pdf: bool = True) -> tuple[dict[Path, bytes], dict[Path, bytes]]:
    """Fill each job (docx path, template, context, core properties, header probe) and print them in one
    LibreOffice batch. The last rows travel with the signatures in a tail table; when they open a page (the
    probe, text printed only in the column headings, is missing from the last page), that document alone is
    filled again with ``repeat_header`` and printed again (one more batch for all such), so the headings are
    on every page. Returns the DOCX and the PDF of each form as it is to be written."""
    docs = {path: tpl.render(ctx, core) for path, tpl, ctx, core, _ in jobs}
    if not pdf:
        return docs, {}
    from generator.render.office_pdf import docx_to_pdf, last_page_text
    printed = dict(docx_to_pdf([(data, path.with_suffix(".pdf")) for path, data in docs.items()], stamp, "检查验收表"))
    # only the forms whose tail opened a page are filled and printed a second time (bench/bench_acceptance.py)
    again = [(path, tpl.render({**ctx, "repeat_header": True}, core)) for path, tpl, ctx, core, probe in jobs
             if probe and probe not in _without_note(last_page_text(printed[path.with_suffix(".pdf")]), ctx)]
    if again:
        docs.update(again)
        printed.update(docx_to_pdf([(data, path.with_suffix(".pdf")) for path, data in again], stamp, "检查验收表"))
    return docs, printed


def acceptance_documents(lp, round_ref: str, *, counties: list[str] | None = None, plans=(),
                         weights_text: str | None = None, scores_path: str | None = None, pdf: bool = True,
                         as_of: str | None = None, rubric_path: str | None = None,
                         hazards_path: str | None = None) -> list:
    """The context builder: per county its 自查自评表 and 市级检查验收表, and the summary when scores are given,
    each a Document (its template, context, core properties and the header probe of its second printing).
    ``hazards_path``: the recorded inspections and hazards (``load_quality``) for the city form."""
    from generator.fileio import output_stem, sha256_bytes, sha256_file
    from generator.render.base import manifest
    from generator.render.checklists import document_date, plan_is_sample
    from generator.render.forms_context import policy_context
    from generator.render.forms_templates import core_properties_xml
    from generator.render.pipeline import Document

    if lp.policy.inspections is None:
        raise UsageError("该政策没有检查验收规定", "this policy has no inspections")
    rnd = find_round(lp.policy, round_ref)
    cutoff = parse_as_of(as_of, lp, rnd)
    rubric = load_rubric(rubric_path) if rubric_path else None
    quality = load_quality(hazards_path) if hazards_path else {}
    weights, wsource = parse_weights(weights_text, lp.policy)
    scores = load_scores(scores_path, lp.policy) if scores_path else None
    final = rnd.id == lp.policy.inspections.rounds[-1].id
    ranking = None
    if scores is not None:
        if final and weights is None:
            raise refusal_without_weights(lp.policy, lp.text.display(lp.policy.inspections.clause))
        ranking = rank(lp.policy, scores, weights, rnd.id, weights_source=wsource)
    if pdf:
        from generator.render.office_pdf import require_soffice
        require_soffice("检查验收表")           # refuse before writing anything

    from generator.ledger.reader import read_plan
    plan_objs = [read_plan(p, lp) for p in plans]
    input_hash = sha256_bytes("".join(sha256_file(p) for p in plans).encode()) if plans else None
    m = manifest(lp, input_hash=input_hash, document="检查验收表")
    groups = group_projects(lp, plan_objs)
    pctx = policy_context(lp)
    pctx["sample"] = any(plan_is_sample(p) for p in plan_objs)
    chosen = [lp.policy.county(n) for n in counties] if counties else lp.policy.counties_with_target
    issuer, date = _issuer(lp), document_date(lp)
    docs = []
    taken: dict = {}                                             # one folder: names never collide (fileio)

    def form(stem: str, rel: str, ctx: dict, core: bytes, probe: str) -> Document:
        name = output_stem(stem, taken=taken)                   # the name LibreOffice prints it under, too
        return Document(name, {"template": rel + ".docx", "ctx": ctx, "core": core, "probe": probe}, title=stem,
                        sample=bool(ctx.get("sample")), author=issuer)

    for county in chosen:
        group = groups.get(county.name, CountyRows(county.name, [], bool(plans)))
        for kind, rel in FORMS.items():
            ctx = county_context(lp, pctx, rnd, county, group, weights, kind, m, cutoff, wsource, rubric,
                                 quality.get(county.name))
            stem = f"{county.name}_{rnd.name}{ctx['form_title']}"
            core = core_properties_xml(stem, issuer, date, {**m, "county": county.name, "round": rnd.id})
            docs.append(form(stem, rel, ctx, core, f"（截至{ctx['cutoff']}）"))   # printed in the column headings only
    if ranking is not None:
        ctx = summary_context(lp, {**pctx, "sample": False}, ranking, rnd)
        stem = f"{policy_scope(lp.policy)}{rnd.name}检查验收汇总表"
        docs.append(form(stem, SUMMARY_TEMPLATE, ctx, core_properties_xml(stem, issuer, date, m),
                         ctx["scores_heading"]))
    return docs


def _render_forms(jobs: list, formats: tuple[str, ...]) -> list[dict[str, bytes]]:
    """The forms of one call filled and printed together (one LibreOffice batch, a second one for the forms whose
    tail opened a page: fill_and_print)."""
    from generator.render.checklists import document_date
    env = jobs[0][1]
    filled = [(Path(doc.stem + ".docx"), env.templates.docx(doc.context["template"]), doc.context["ctx"],
               doc.context["core"], doc.context["probe"]) for doc, _ in jobs]
    docs, printed = fill_and_print(filled, document_date(env.lp).strftime("%Y%m%d"), "pdf" in formats)
    out = []
    for path, *_ in filled:
        made = {"docx": docs[path]} if "docx" in formats else {}
        if "pdf" in formats:
            made["pdf"] = printed[path.with_suffix(".pdf")]
        out.append(made)
    return out


def _kind():
    from functools import partial

    from generator.render.pipeline import Builder, DocumentKind, Inputs, register

    def documents(lp, inputs: Inputs) -> list:
        assert inputs.round is not None                         # the pipeline refuses a missing --round first
        return acceptance_documents(lp, inputs.round, counties=[inputs.county] if inputs.county else None,
                                    plans=inputs.plans, weights_text=inputs.weights,
                                    scores_path=str(inputs.scores) if inputs.scores else None,
                                    as_of=inputs.as_of.isoformat() if inputs.as_of else None)

    def one(doc, env, fmt: str) -> bytes:
        return _render_forms([(doc, env)], (fmt,))[0][fmt]

    return register(DocumentKind(
        "acceptance", "检查验收表", "inspection forms", documents,
        Builder(docx=partial(one, fmt="docx"), pdf=partial(one, fmt="pdf"), batch=_render_forms, normalised=True),
        needs=("round",), built_by="render acceptance",
        help="年中/年终检查验收表：各下级单位的自查自评表与市级检查验收表（给出 --scores 时另有汇总排名表）；"
             "--plan 填入项目与节点完成情况"))


KIND = _kind()


def render_acceptance(lp, round_ref: str, out_dir, *, counties: list[str] | None = None, plans=(),
                      weights_text: str | None = None, scores_path: str | None = None, templates=None,
                      pdf: bool = True, as_of: str | None = None, rubric_path: str | None = None,
                      hazards_path: str | None = None) -> list[Path]:
    """Library entry point: write the forms (and the summary when scores are given); returns paths. Through the
    document pipeline (the kind acceptance): all filled and printed, then each file written atomically."""
    from generator.render import pipeline
    from generator.render.forms_templates import TemplateSet

    docs = acceptance_documents(lp, round_ref, counties=counties, plans=plans, weights_text=weights_text,
                                scores_path=scores_path, pdf=pdf, as_of=as_of, rubric_path=rubric_path,
                                hazards_path=hazards_path)
    files = pipeline.render([(KIND, d) for d in docs], lp, out_dir, ("docx", "pdf") if pdf else ("docx",),
                            templates=templates or TemplateSet())
    # as before: every DOCX, then every PDF
    files.sort(key=lambda f: f[0].suffix != ".docx")
    return pipeline.save(files)
