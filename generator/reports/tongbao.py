"""进度通报 and 检查验收结果通报: GB/T 9704 documents the office signs, from plain data.

进度通报 (``progress_tongbao``): as of a date, each county's projects started and households completed
against its target (policy 二), and per milestone which counties met it (due) or are ahead / behind
(not yet due: ahead = already at the milestone's share; behind = below the city-wide share; no threshold
of our own). Input: ``ProgressLine`` rows — ``lines_from_progress`` converts ``validate.progress``'s result,
the register converts its own status the same way. Reporting duties (迟报/漏报/错报, duties.py) are
通报ed as 五（四） asks when a ``DutiesReport`` is given.

检查验收结果通报 (``results_tongbao``): the ranking of generator.render.ranking (engineer 8B's library:
ties share a rank; a tie at the cut-off for the policy's number of excellent counties needs a decision)
printed as a table; the excellent counties are named only as far as the ranking decides them. County
self-assessment scores (read back from the filled 自查自评表, see selfcheck.py) are shown beside the city's
but not weighed in: the policy gives no weight for them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.policy.wording import level_organ, lower_unit, lower_units
from generator.render.official import (Official, Table, banner_of, date_text, doc_number_field, issuer_of, label_of,
                                        office)

if TYPE_CHECKING:
    from generator.render.pipeline import Document


@dataclass
class MilestoneLine:
    reached: float                  # share reached (on the milestone's date when due, else as of now)
    due: bool
    met: bool | None                # None: not yet due
    changed: bool = False           # submissions received after the milestone's date changed its count
    pending: bool = False           # its date passed, its period's reports not yet due (not judged yet)
    late: bool = False              # judged on a report received after the due day (the office's rule)
    reached_now: float | None = None    # the same date as re-reported later (a rewrite), when it differs


@dataclass
class ProgressLine:
    county: str
    projects: int                   # target (basis of project shares)
    households: int
    started: int
    completed: int
    households_completed: int
    milestones: dict[str, MilestoneLine] = field(default_factory=dict)
    declared: int | None = None     # starts typed (recognised or not); None: not known (no register)
    unrecognised: list[dict] = field(default_factory=list)   # starts not recognised (开工认定), with why
    approved: bool | None = None    # the submission behind the figures was approved by the 单位领导


def lines_from_progress(result) -> tuple[list[ProgressLine], ProgressLine]:
    """(counties, city) from ``validate.progress.progress(...)``."""
    def one(c) -> ProgressLine:
        return ProgressLine(c.county, c.projects, c.households, c.started, c.completed, c.households_completed,
                            {m.id: MilestoneLine(m.share_reached, m.due, m.met) for m in c.milestones})
    return [one(c) for c in result.counties], one(result.city)


def lines_from_status(status) -> tuple[list[ProgressLine], ProgressLine]:
    """(counties, city) from the register's status as of a date (generator.register.series.Status): a due
    milestone as it was reported by its own date (``reached_then``), one to come as reported now."""
    def one(cs) -> ProgressLine:
        x = cs.line
        ms = {}
        for v in cs.verdicts:
            base = x.base(v.basis)
            if v.due:
                now = getattr(v, "reached_now", None)
                ms[v.id] = MilestoneLine((v.reached_then or 0) / base if base else 0.0, True, bool(v.met_then),
                                         bool(getattr(v, "changed_by", None)), late=bool(getattr(v, "late", False)),
                                         reached_now=(now / base if base and now is not None else None))
            else:
                ms[v.id] = MilestoneLine(x.share(v.measure, v.basis), False, None,
                                         pending=bool(getattr(v, "pending", False)))
        return ProgressLine(x.county, x.projects_target, x.households_target, x.started, x.completed,
                            x.households_completed, ms, getattr(x, "started_declared", None),
                            list(getattr(x, "unrecognised", []) or []), getattr(x, "approved", None))
    if not getattr(status.city.line, "partial", False):
        return [one(c) for c in status.counties], one(status.city)
    # not every county has reported: the bulletin speaks for those that have (合计), not for the city
    counties = [one(c) for c in status.counties if c.line.submission is not None]
    return counties, sum_of(counties, status.city.verdicts)


def sum_of(counties: list[ProgressLine], verdicts) -> ProgressLine:
    """合计 of the given counties: their targets and counts added, each milestone's share over their sum."""
    total = ProgressLine("合计", *(sum(getattr(c, f) for c in counties) for f in
                                  ("projects", "households", "started", "completed", "households_completed")))
    for v in verdicts:
        base = total.projects if v.basis == "projects" else total.households
        reached = sum(round(c.milestones[v.id].reached * (c.projects if v.basis == "projects" else c.households))
                      for c in counties if v.id in c.milestones)
        total.milestones[v.id] = MilestoneLine(reached / base if base else 0.0, v.due, None)
    return total


def _share(n: int, base: int) -> str:
    from generator.validate.facts import pct
    return pct(n / base) if base else "—"


def _addressee(lp) -> str:
    a = lp.policy.document.addressees
    return ("，".join(a.value) + "：") if a is not None else ""


def _basis(lp) -> str:
    from generator.policy.text import context
    p = lp.policy
    if p.text is None or p.text.notice is None:      # a target table: its document's title is not encoded
        return f"{p.year}年度改造计划"
    number = p.document.doc_number.value if p.document.doc_number else ""
    return f"《{context(p)['plan_title']}》" + (f"（{number}）" if number else "")


def progress_tongbao(lp, as_of: dt.date, counties: list[ProgressLine], city: ProgressLine, *,
                     duties=None, sample: bool = False, date: dt.date | None = None, quality=None) -> Official:
    """``quality``: per county the recorded inspections and hazards as of the day (the register snapshot's
    ``quality``: county, inspections, hazards, closed, open, overdue); a 质量安全 part only when one is
    recorded (三（四）), never made up."""
    from generator.policy.cnfmt import cn_date, pct, printed_date

    p = lp.policy
    year = p.year
    unit, units = _lower(p)
    blocks: list = [f"为加快推进{year}年城镇老旧小区改造工作，根据{_basis(lp)}要求，现将截至{cn_date(as_of)}"
                    f"{units}改造工作进展情况通报如下。"]
    blocks.append(("h1", "一、总体进展"))
    # the city's line only when every county is in (validate.progress names it 全市/全省…; else 合计 of those given)
    from generator.policy.wording import policy_scope
    whole = city.county == policy_scope(p)
    subject = city.county if whole else f"{'、'.join(c.county for c in counties)}合计"
    average = f"{subject}平均进度" if whole else f"所列{unit}平均进度"
    blocks.append(f"{subject}计划改造老旧小区{city.projects}个，涉及居民{city.households}户。"
                  f"截至{cn_date(as_of)}，已开工{city.started}个，占{_share(city.started, city.projects)}；"
                  f"已完工{city.completed}个，完工{city.households_completed}户，"
                  f"占{_share(city.households_completed, city.households)}。")
    rows = [[c.county, f"{c.projects}/{c.households}", str(c.started), _share(c.started, c.projects), str(c.completed),
             str(c.households_completed), _share(c.households_completed, c.households)] for c in counties]
    rows.append([city.county, f"{city.projects}/{city.households}", str(city.started), _share(city.started, city.projects),
                 str(city.completed), str(city.households_completed), _share(city.households_completed, city.households)])
    blocks.append(Table([unit, "目标任务（个/户）", "已开工（个）", "开工率", "已完工（个）", "完工户数",
                         "完工率（按户数）"], rows, [14, 20, 11, 11, 11, 11, 14]))
    blocks.extend(_recognition_paragraphs(counties, unit))
    # a targets-only plan states no 节点: the 通报 has no 节点 section then (issue 23.8), and later sections
    # are numbered on from what is there
    sections = iter("二三四五")
    milestone_head = len(blocks)
    for i, m in enumerate(p.milestones):
        when = printed_date(m.date, m.precision)
        head = f"（{_cn_number(i + 1)}）{m.label}（{when}前）。"
        states = [(c, s) for c in counties if (s := c.milestones.get(m.id)) is not None]
        if not states:
            continue
        due = any(s.due for _, s in states)
        if not due and any(s.pending for _, s in states):
            # the date has passed, the reports for its month are not yet due: judged when they are
            text = head + (f"{'、'.join(c.county for c, s in states if s.pending)}的{m.date.month}月信息月报"
                           f"尚未到报送期限，待报送后认定。")
            blocks.append(text)
            continue
        if due:
            # judged on each county's report for the milestone's month ("当期报告"); a later rewrite is named
            # apart ("其后重报"), never in the words of the on-time report
            judged = [(c, s) for c, s in states if s.due]
            met = [c.county for c, s in judged if s.met]
            missed = [f"{c.county}（{pct(round(s.reached, 4))}）" for c, s in judged if not s.met]
            # from the register the figures are each county's report for the month; from workbooks given on the
            # command line (no register: ``declared`` unknown) they are whatever those workbooks say
            from_register = any(c.declared is not None for c, _ in states)
            text = head + (f"据各{unit}{m.date.month}月信息月报，" if from_register else f"据各{unit}报送的情况，")
            if not missed and len(judged) == len(states):
                text += f"{units}均按期完成。"
            else:
                text += f"{'、'.join(met)}按期完成。" if met else ""
                text += f"{'、'.join(missed)}未完成节点目标（括号内为{when}完成比例，要求{pct(m.share)}）。" if missed else ""
            late = [c.county for c, s in judged if s.late]
            if late:
                text += f"其中{'、'.join(late)}的{m.date.month}月信息月报逾期报送，仍据以认定，迟报另行通报。"
            waiting = [c.county for c, s in states if not s.due]
            if waiting:
                text += f"{'、'.join(waiting)}的{m.date.month}月信息月报尚未到报送期限，待报送后认定。"
            changed = [(c, s) for c, s in judged if s.changed]
            if changed:
                text += ("以上按当期报告认定。其后重报改写了当期数据的：" + "、".join(
                    c.county + (f"（其后重报为{pct(round(s.reached_now, 4))}）" if s.reached_now is not None else "")
                    for c, s in changed) + "，列入错报核查。")
        else:
            city_share = city.milestones[m.id].reached if m.id in city.milestones else None
            ahead = [c.county for c, s in states if s.reached >= m.share - 1e-9]
            behind = [f"{c.county}（{pct(round(s.reached, 4))}）" for c, s in states
                      if s.reached < m.share - 1e-9 and city_share is not None and s.reached < city_share - 1e-9]
            text = head + f"该节点尚未到期，要求{pct(m.share)}。"
            if ahead:
                text += f"{'、'.join(ahead)}已提前达到。"
            if behind and city_share is not None:         # behind is empty without a city share
                text += f"{'、'.join(behind)}低于{average}（{pct(round(city_share, 4))}），进度滞后。"
        blocks.append(text)
    if len(blocks) > milestone_head:
        blocks.insert(milestone_head, ("h1", f"{next(sections)}、节点目标完成情况"))
    if duties is not None:
        blocks.append(("h1", f"{next(sections)}、信息报送情况"))
        blocks.extend(duties.paragraphs())
        if duties.table_rows():
            blocks.append(Table([unit, *duties.table_header()], duties.table_rows(), duties.widths()))
    if quality and any(q.inspections for q in quality):
        blocks.append(("h1", f"{next(sections)}、质量安全巡检情况"))
        blocks.extend(_quality_blocks(quality, as_of, unit))
    blocks.append(("h1", f"{next(sections)}、有关要求"))
    blocks.append(f"进度滞后的{unit}要对照{_basis(lp)}确定的目标任务{'和时间节点' if p.milestones else ''}，查找原因，"
                  "采取有效措施加快推进，确保按期完成年度任务。")
    issuer = issuer_of(lp)
    return Official(banner_of(lp), doc_number_field(lp), f"关于{year}年城镇老旧小区改造工作\n进展情况的通报",
                    _addressee(lp), blocks, issuer, date_text(date), label_of(lp, sample), issuer,
                    f"进度通报（截至{as_of.isoformat()}）", date)


def _recognition_paragraphs(counties: list[ProgressLine], unit: str) -> list[str]:
    """开工认定 (附件) beside the count: the starts typed but not recognised, per county with why; and which
    figures rest on submissions no 单位领导 approved (五（四）)."""
    out = []
    wrong = [c for c in counties if c.unrecognised]
    if any(c.declared is not None for c in counties):
        text = "表中“已开工”为符合开工认定标准的项目数。"
        if wrong:
            text += "以下项目填报已开工，但不符合开工认定标准，未计入：" + "；".join(
                f"{c.county}{len(c.unrecognised)}个（" + "，".join(
                    f"{u.get('community') or u.get('project')}：{u.get('why')}" for u in c.unrecognised[:5])
                + ("等" if len(c.unrecognised) > 5 else "") + "）" for c in wrong) + "。"
        out.append(text)
    unapproved = [c.county for c in counties if c.approved is False]
    if unapproved:
        out.append(f"{'、'.join(unapproved)}的数据所依据的报送尚未经单位领导审核并加盖单位印章，暂予计入，"
                   "待补齐审核手续后确认。")
    return out


def _quality_blocks(quality, as_of: dt.date, unit: str) -> list:
    """三（四）"及时消除质量安全隐患": the recorded inspections and hazards per county as of the day (a row each),
    the counties with hazards open past their 整改 deadline named."""
    from generator.policy.cnfmt import cn_date
    n = {f: sum(getattr(q, f) for q in quality) for f in ("inspections", "hazards", "closed", "open", "overdue")}
    text = (f"截至{cn_date(as_of)}，共记录质量安全巡检抽检{n['inspections']}次，发现隐患{n['hazards']}处，"
            f"已整改销号{n['closed']}处，未销号{n['open']}处")
    text += f"，其中逾期未销号{n['overdue']}处。" if n["overdue"] else "。"
    overdue = [q.county for q in quality if q.overdue]
    if overdue:
        text += f"{'、'.join(overdue)}存在超过整改期限未销号的隐患，要立即整改到位，并报送整改销号材料。"
    rows = [[q.county, str(q.inspections), str(q.hazards), str(q.closed), str(q.open), str(q.overdue)] for q in quality]
    rows.append(["合计", *(str(n[f]) for f in ("inspections", "hazards", "closed", "open", "overdue"))])
    return [text, Table([unit, "巡检抽检（次）", "发现隐患（处）", "已销号（处）", "未销号（处）", "其中逾期（处）"], rows,
                        [18, 16, 16, 14, 14, 14])]


def _lower(p) -> tuple[str, str]:
    """The units one level down as the policy's level names them: (县（市、区）, 各县（市、区）) for a city."""
    return lower_unit(p), lower_units(p)             # the policy's own word (区市) where it declares one


def _cn_number(n: int) -> str:
    from generator.policy.cnfmt import cn_ordinal         # the one home of numerals
    return cn_ordinal(n)


# -- 检查验收结果通报 --------------------------------------------------------------------------------------
def results_tongbao(lp, ranking, *, self_scores: dict[str, float] | None = None, sample: bool = False,
                    date: dt.date | None = None, decision=None) -> Official:
    """``ranking``: generator.render.ranking.Ranking. ``self_scores``: county -> 自评总分 (optional)."""
    from generator.render.ranking import SCALE_NOTE

    p = lp.policy
    ins = p.inspections
    year = p.year
    final = ranking.excellent_count is not None
    rounds = ranking.rounds
    round_names = "、".join(r.name for r in rounds)
    last = rounds[-1]
    unit, units = _lower(p)
    blocks: list = [f"根据{_basis(lp)}“{ins.quote}”的要求，"
                    f"{level_organ(p.unit_level)}检查验收组在{units}{ins.basis}基础上，对{year}年城镇老旧小区改造工作进行了"
                    f"{round_names}检查验收。现将结果通报如下。"]
    blocks.append(("h1", "一、检查验收得分"))
    header = ["名次", unit]
    if self_scores:
        header.append("自评得分")
    header += [f"{r.name}检查得分" for r in rounds]
    if ranking.weights:
        header.append("综合得分")
    if final:
        header.append("评定结果")
    rows = []
    for row in ranking.rows:
        values = [str(row.rank), row.county]
        if self_scores:
            s = self_scores.get(row.county)
            values.append(f"{s:g}" if s is not None else "未报")
        values += [f"{row.scores[r.id]:g}" for r in rounds]
        if ranking.weights:
            values.append(f"{float(row.total):.2f}".rstrip("0").rstrip("."))
        if final:
            chosen = decision is not None and row.county in decision.chosen        # the office's tie decision
            values.append("优秀" if row.excellent or chosen else
                          ("" if decision is not None else ("待研究确定" if row.decision_needed else "")))
        rows.append(values)
    blocks.append(Table(header, rows))
    notes = [SCALE_NOTE]
    if ranking.weights:
        # the weights' source is not printed: the 通报 is the office's own word (issue 21.1)
        notes.append("综合得分＝" + "＋".join(f"{r.name}得分×{ranking.weights[r.id]:g}" for r in rounds))
    if self_scores:
        notes.append(f"自评得分为{units}{ins.basis}结果，供参考，不计入综合得分")
    notes.append("得分相同者名次并列")
    blocks.append("注：" + "；".join(notes) + "。")
    if final:
        n = ranking.excellent_count
        blocks.append(("h1", "二、评定结果"))
        decided = [r.county for r in ranking.rows if r.excellent]
        tied = ranking.decision_needed
        if not tied:
            blocks.append(f"按照“{p.inspections.excellent_count.quote}”的要求，经综合评定，"
                          f"{'、'.join(decided)}为{year}年城镇老旧小区改造工作优秀{unit}，予以通报表扬。")
        else:
            left = n - len(decided)
            rank_at = min(r.rank for r in ranking.rows if r.decision_needed)
            text = f"按照“{p.inspections.excellent_count.quote}”的要求，"
            if decided:
                text += f"经综合评定，{'、'.join(decided)}为{year}年城镇老旧小区改造工作优秀{unit}。"
            if decision is None:
                text += (f"{'、'.join(tied)}综合得分相同，并列第{rank_at}名，剩余优秀名额{left}个，"
                         f"须由{office(lp)}研究确定，本通报暂不列出。")
            else:                          # who decided, when, whom (generator.reports.decisions): as recorded
                from generator.policy.cnfmt import cn_date
                text += (f"{'、'.join(tied)}综合得分相同，并列第{rank_at}名，剩余优秀名额{left}个，经{decision.who}"
                         f"于{cn_date(decision.when)}研究确定，{'、'.join(decision.chosen)}为{year}年城镇老旧小区改造工作"
                         f"优秀{unit}。综上，{'、'.join(decided + decision.chosen)}为{year}年城镇老旧小区改造工作优秀{unit}，"
                         "予以通报表扬。")
            blocks.append(text)
    else:
        blocks.append(f"本次为{last.name}检查验收，优秀{unit}在全年检查验收后按综合得分评定。")
    issuer = p.document.issuer.value
    kind = "检查验收结果" if final else f"{last.name}检查验收情况"
    return Official(banner_of(lp), doc_number_field(lp), f"关于{year}年城镇老旧小区改造工作\n{kind}的通报",
                    _addressee(lp), blocks, issuer, date_text(date), label_of(lp, sample), issuer,
                    f"{kind}通报", date)


# -- the 进度通报 as a kind of the document pipeline (generator/render/pipeline.py) --------------------------------
# context: the 公文 above; layout: the 公文's (DOCX on the GB/T 9704 base and PDF). gaizao report tongbao and the
# year's documents write it through KIND; gaizao render doc tongbao --plan F.xlsx... [--as-of] [--date] too.
def document(doc: Official, as_of: dt.date, sample: bool) -> Document:
    from generator.render.pipeline import Document
    return Document(f"进度通报（截至{as_of.isoformat()}）", doc, doc.title.replace("\n", ""), sample, author=doc.author)


def documents(lp, inputs) -> list:
    """One 进度通报 of the workbooks given, as of --as-of (default today)."""
    from generator.ledger.reader import read_plan
    from generator.render.checklists import plan_is_sample
    from generator.validate.progress import progress
    day = inputs.as_of or dt.date.today()
    plans = [read_plan(p, lp) for p in inputs.plans]
    counties, city = lines_from_progress(progress(plans, lp, day))
    sample = any(plan_is_sample(p) for p in plans)
    return [document(progress_tongbao(lp, day, counties, city, sample=sample, date=inputs.date), day, sample)]


def _build(lp, data) -> list[str] | str:
    return [x for s in data.samples for x in ("--plan", str(s))] if data.samples else "没有示例工作簿"


def _kind():
    from generator.render.official import OfficialLayout
    from generator.render.pipeline import DocumentKind, register
    return register(DocumentKind(
        "tongbao", "进度通报", "progress bulletin", documents, OfficialLayout(), needs=("plans",), build=_build,
        built_by="register documents", help="各下级单位改造进度的通报（GB/T 9704，文号留空）"))


KIND = _kind()


# -- the 检查验收结果通报 as a kind (results): the ranking from the office's scores (and weights where the policy
# states none); gaizao report results and the year's documents write it through RESULTS; gaizao render doc results
# --scores S.yaml [--weights mid-year=0.4,year-end=0.6] too. Never made by the build: scores are the office's.
def results_document(doc: Official, sample: bool) -> Document:
    from generator.render.pipeline import Document
    return Document(doc.subject, doc, doc.title.replace("\n", ""), sample, author=doc.author)


def results_documents(lp, inputs) -> list:
    from pathlib import Path

    from generator.ledger.samples import NOTE
    from generator.render.ranking import load_scores, parse_weights, rank
    assert inputs.scores is not None
    p = lp.policy
    scores = load_scores(inputs.scores, p)
    w, source = parse_weights(inputs.weights, p)
    ranking = rank(p, scores, w, None, weights_source=source, clause_text=lp.text.display(p.inspections.clause))
    sample = NOTE in Path(inputs.scores).read_bytes().decode("utf-8", "ignore")
    return [results_document(results_tongbao(lp, ranking, sample=sample, date=inputs.date), sample)]


def _results_kind():
    from generator.render.official import OfficialLayout
    from generator.render.pipeline import DocumentKind, register
    return register(DocumentKind(
        "results", "检查验收结果通报", "inspection results", results_documents, OfficialLayout(), needs=("scores",),
        help="年中、年终检查验收的综合排名与优秀单位（得分由发文机关给出；政策未规定权重时须给出 --weights）"))


RESULTS = _results_kind()
