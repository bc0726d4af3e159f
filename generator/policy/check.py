"""``gaizao policy check``: every finding about a policy, errors and warnings, never only the first.

Each check is a small function ``(LoadedPolicy, Ctx) -> findings``, listed in CHECKS with its code.
Codes and their meanings: ``generator/policy/codes.py`` (listed in docs/policy-schema.md, generated).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
import re
from pathlib import Path
from dataclasses import dataclass, replace

from generator.findings import Finding, Report, Severity
from generator.policy import cnfmt
from generator.policy.goals import goal
from generator.policy.loader import LoadedPolicy
from generator.policy.model import QUANTITY_LABELS, QUANTITY_UNITS
from generator.policy.params import human_path, iter_parameters, numeric_leaves
from generator.policy.wording import LEVEL_NAMES, lower_unit, lower_units, policy_scope

DOC_NUMBER = re.compile(r"^\S+〔(19|20)\d{2}〕[1-9]\d*号$")


_cn_seq = cnfmt.cn_ordinal           # section numbering: the one home of Chinese numerals


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


@dataclass
class Ctx:
    lp: LoadedPolicy

    @property
    def p(self):
        return self.lp.policy

    def f(self, code: str, sev: Severity, zh: str, en: str, *, loc: tuple = (), clause: str | None = None,
          **kw) -> Finding:
        file, line = self.lp.locate(loc) if loc else (None, None)
        text = self.lp.text
        return Finding(code, sev, zh, en, clause=text.display(clause) if clause else None, file=file, line=line,
                       path=human_path(self.lp.policy, loc) if loc else None, **kw)


# -- targets ---------------------------------------------------------------------------------------
def check_target_sums(c: Ctx):
    """District figures against the city total, quantity by quantity, within the published precision: a sum
    of rounded figures may miss the total by the half-units of every rounded figure; a 不少于 total is met
    by a larger sum, a 不超过 total by a smaller one. A quantity a district does not publish is not summed
    (the sum is then partial and not checked)."""
    p = c.p
    if p.city_target is None or p.counties_complete is False:    # a partial list is not summed (P105)
        return
    ct = p.city_target
    counted = p.counties_with_target
    for field in QUANTITY_UNITS:
        code = {"projects": "P101", "households": "P102"}.get(field, "P104")
        total = goal(ct, field)
        vals = [(x.name, x.target) for x in counted if getattr(x.target, field) is not None]
        if not total.published or not vals or len(vals) < len(counted):
            continue
        s = sum(t.base(field) for _, t in vals)
        # a sum of rounded figures may also be off by the half-unit of each district's figure
        delta = replace(total, slack=total.slack + sum(t.slack(field) for _, t in vals)).gap(s)
        known = next((d for d in p.disagreements or [] if d.quantity == field), None)
        if delta is None:
            if known is not None:
                yield c.f("P107", Severity.ERROR, f"disagreements 记有{QUANTITY_LABELS[field]}不一致，但下级单位之和与总数相符",
                          f"a disagreement of {field} is recorded, but the units add up to the total",
                          loc=("disagreements", p.disagreements.index(known)), clause=known.clause)
            continue
        cmp = total.comparator
        unit = ct.unit(field)
        size = QUANTITY_UNITS[field][unit]
        shown_s = cnfmt.decimal_text(s / size)
        label = QUANTITY_LABELS[field]
        parts = "＋".join(f"{n}{t.shown(field)}" for n, t in vals)
        zh = (f"{lower_units(p.unit_level)}{label}之和为{shown_s}{unit}（{parts}），与{policy_scope(p)}总数"
              f"{total.text()}不符"
              f"（差{'+' if delta > 0 else '-'}{cnfmt.decimal_text(abs(delta) / size)}{unit}）")
        en = (f"county {field} add up to {shown_s} {unit} ({', '.join(f'{n} {t.shown(field)}' for n, t in vals)}) "
              f"but the city total is {'' if cmp == 'exactly' else cmp + ' '}{total.shown} "
              f"(difference {'+' if delta > 0 else '-'}{cnfmt.decimal_text(abs(delta) / size)} {unit})")
        if known is not None:        # published as published: a recorded disagreement is said, not an error
            recorded = Decimal(known.difference) * size
            if abs(recorded - delta) <= total.slack + sum(t.slack(field) for _, t in vals):
                yield c.f("P106", Severity.WARNING, "原文如此（已记录的不一致）：" + zh, "as published (a recorded "
                          "disagreement): " + en, loc=("disagreements", p.disagreements.index(known)),
                          clause=known.clause, value=cnfmt.decimal_value(s / size), expected=getattr(ct, field))
            else:
                yield c.f("P107", Severity.ERROR, f"disagreements 所记差额{known.difference}{unit}与数字不符：" + zh,
                          f"the recorded difference {known.difference} {unit} does not match: " + en,
                          loc=("disagreements", p.disagreements.index(known), "difference"), clause=known.clause)
            continue
        yield c.f(code, Severity.ERROR, zh, en, loc=("city_target", field), clause=ct.clause,
                  value=cnfmt.decimal_value(s / size), expected=getattr(ct, field),
                  extra={"counties": {n: getattr(t, field) for n, t in vals}})


def check_county_names(c: Ctx):
    seen = set()
    for i, county in enumerate(c.p.counties):
        if county.name in seen:
            yield c.f("P103", Severity.ERROR, f"{lower_unit(c.p.unit_level)}“{county.name}”重复出现", f"county '{county.name}' is listed twice",
                      loc=("counties", i, "name"), county=county.name, value=county.name)
        seen.add(county.name)


# -- milestones and deadlines ---------------------------------------------------------------------------
def check_milestones(c: Ctx):
    p = c.p
    ms = p.milestones
    ids = [m.id for m in ms]
    for i, m in enumerate(ms):
        if ids.count(m.id) > 1 and ids.index(m.id) != i:
            yield c.f("P113", Severity.ERROR, f"阶段节点编号“{m.id}”重复", f"duplicate milestone id '{m.id}'",
                      loc=("milestones", i, "id"), clause=m.clause)
        if m.date.year != p.year:
            yield c.f("P111", Severity.ERROR, f"阶段节点“{m.label}”的日期{cnfmt.cn_date(m.date)}不在计划年度{p.year}年内",
                      f"milestone '{m.id}' date {m.date} is outside the plan year {p.year}",
                      loc=("milestones", i, "date"), clause=m.clause, value=m.date)
        if not 0 < m.share <= 1:
            yield c.f("P150", Severity.ERROR, f"阶段节点“{m.label}”的比例{m.share}不在(0, 1]范围内",
                      f"milestone '{m.id}' share {m.share} is not in (0, 1]", loc=("milestones", i, "share"),
                      clause=m.clause, value=m.share)
    for i, m in enumerate(ms):   # a label like 完成改造70% must follow the share it names
        shown = re.findall(r"\d+(?:\.\d+)?%", m.label)
        if shown and cnfmt.pct(m.share) not in shown:
            yield c.f("P114", Severity.ERROR, f"阶段节点名称“{m.label}”中的比例与 share {cnfmt.pct(m.share)} 不一致",
                      f"milestone label '{m.label}' disagrees with its share {cnfmt.pct(m.share)}",
                      loc=("milestones", i, "label"), clause=m.clause, value=m.label, expected=cnfmt.pct(m.share))
    for i in range(1, len(ms)):
        prev, cur = ms[i - 1], ms[i]
        if cur.date < prev.date:
            yield c.f("P110", Severity.ERROR,
                      f"阶段节点顺序错误：“{cur.label}”（{cnfmt.cn_date(cur.date)}）早于其前一节点“{prev.label}”"
                      f"（{cnfmt.cn_date(prev.date)}）",
                      f"milestones out of order: '{cur.id}' ({cur.date}) comes before the preceding '{prev.id}' ({prev.date})",
                      loc=("milestones", i, "date"), clause=cur.clause, value=cur.date, expected=f">= {prev.date}")
    # the same measure must not ask for less later (e.g. 70 % completed in October, 100 % in December)
    ordered = sorted(enumerate(ms), key=lambda t: t[1].date)
    for a_i, (_ia, a) in enumerate(ordered):
        for ib, b in ordered[a_i + 1:]:
            if a.measure == b.measure and b.date > a.date and b.share < a.share and a.basis == b.basis:
                yield c.f("P112", Severity.ERROR,
                          f"“{b.label}”（{cnfmt.cn_date(b.date)}）要求的比例{cnfmt.pct(b.share)}小于更早节点“{a.label}”的"
                          f"{cnfmt.pct(a.share)}", f"'{b.id}' asks for {b.share:.0%}, less than the earlier '{a.id}' ({a.share:.0%})",
                          loc=("milestones", ib, "share"), clause=b.clause)


def check_deadlines(c: Ctx):
    p = c.p
    issue = p.document.issue_date.value if p.document.issue_date else None
    ids = [d.id for d in p.deadlines]
    for i, d in enumerate(p.deadlines):
        if ids.count(d.id) > 1 and ids.index(d.id) != i:
            yield c.f("P113", Severity.ERROR, f"期限编号“{d.id}”重复", f"duplicate deadline id '{d.id}'",
                      loc=("deadlines", i, "id"), clause=d.clause)
        if issue is not None and d.date < issue:
            printed = cnfmt.printed_date(d.date, d.precision)
            zh = f"期限“{d.label}”印为{printed}，早于成文日期{cnfmt.cn_date(issue)}"
            en = f"deadline '{d.id}' is printed as {d.date}, before the issue date {issue}"
            hint = None
            if d.erratum is not None:
                zh += f"；已记录勘误：应为{cnfmt.printed_date(d.erratum.corrected, d.precision)}（{d.erratum.note}）"
                en += f"; erratum recorded: {d.erratum.corrected} ({d.erratum.note_en or d.erratum.note})"
            else:
                hint = "保留印发值，并在 erratum 中记录更正值 / keep the printed value and record the correction in `erratum`"
            yield c.f("P130", Severity.WARNING, zh, en, loc=("deadlines", i, "date"), clause=d.clause, value=d.date,
                      expected=d.erratum.corrected if d.erratum else f">= {issue}", hint=hint)
        elif d.date.year > p.year:
            yield c.f("P131", Severity.WARNING, f"期限“{d.label}”（{cnfmt.cn_date(d.date)}）晚于计划年度",
                      f"deadline '{d.id}' ({d.date}) is after the plan year", loc=("deadlines", i, "date"),
                      clause=d.clause, value=d.date)
    lpt = p.liaison_points
    if lpt is not None and p.deadline(lpt.report_deadline) is None:
        yield c.f("P132", Severity.ERROR, f"联系点报送期限引用了不存在的期限“{lpt.report_deadline}”",
                  f"liaison report deadline refers to unknown deadline '{lpt.report_deadline}'",
                  loc=("liaison_points", "report_deadline"), clause=lpt.clause)


# -- liaison points, thresholds ----------------------------------------------------------------------
def check_liaison_quotas(c: Ctx):
    p = c.p
    if p.liaison_points is None:          # no liaison-point provision: no quota is owed
        return
    for i, county in enumerate(p.counties):
        if county.target is not None and county.liaison_quota is None:
            yield c.f("P120", Severity.ERROR, f"“{county.name}”有改造任务，但没有联系点数量",
                      f"'{county.name}' has a target but no liaison-point quota", loc=("counties", i),
                      clause="五（五）" if c.lp.text.get("五（五）") else None, county=county.name)
        q = county.liaison_quota
        if q is not None and q.value < 0:
            yield c.f("P150", Severity.ERROR, f"“{county.name}”联系点数量{q.value}为负数", f"negative quota for {county.name}",
                      loc=("counties", i, "liaison_quota", "value"), clause=q.clause, county=county.name)
        elif (q is not None and county.target is not None and county.target.projects is not None
              and q.value > county.target.projects):
            yield c.f("P121", Severity.WARNING,
                      f"“{county.name}”联系点数量{q.value}个多于其改造项目数{county.target.projects}个",
                      f"'{county.name}' liaison quota {q.value} exceeds its {county.target.projects} projects",
                      loc=("counties", i, "liaison_quota", "value"), clause=q.clause, county=county.name)


def check_thresholds(c: Ctx):
    p = c.p
    if p.consent is not None and not 0 < p.consent.threshold <= 1:
        yield c.f("P150", Severity.ERROR, f"居民同意率门槛{p.consent.threshold}不在(0, 1]范围内（80%应写作0.8）",
                  f"consent threshold {p.consent.threshold} is not in (0, 1] (write 80 % as 0.8)",
                  loc=("consent", "threshold"), clause=p.consent.clause, value=p.consent.threshold)
    insp = p.inspections
    if insp is not None:
        n = len(p.counties_with_target)
        ex = insp.excellent_count.value
        if not 0 <= ex <= n:
            yield c.f("P150", Severity.ERROR, f"优秀{lower_unit(p.unit_level)}数量{ex}不在0至{n}（有任务的单位数）之间",
                      f"{ex} excellent counties is not between 0 and {n}", loc=("inspections", "excellent_count", "value"),
                      clause=insp.excellent_count.clause, value=ex)
        if insp.weights is None:
            yield c.f("P190", Severity.INFO,
                      "原文仅称“综合权重”，未给出年中、年终检查验收的权重：权重留空，评比排名需先提供权重（--weights 或新版本政策）",
                      "the source names a weighted combination but gives no weights: left absent; ranking needs weights",
                      loc=("inspections",), clause=insp.clause)
        else:
            rounds = {r.id for r in insp.rounds}
            unknown = set(insp.weights) - rounds
            total = sum(insp.weights.values())
            if unknown or abs(total - 1) > 1e-9 or any(w < 0 for w in insp.weights.values()):
                yield c.f("P150", Severity.ERROR, f"检查验收权重须为各轮次（{'、'.join(sorted(rounds))}）的非负数且合计为1，现为{insp.weights}",
                          f"inspection weights must be non-negative, keyed by round ({', '.join(sorted(rounds))}) and sum to 1",
                          loc=("inspections", "weights"), clause=insp.clause, value=insp.weights)
    sc = p.start_criteria
    if sc is not None:
        ids = [it.id for it in sc.items]
        if ids != list(range(1, len(ids) + 1)):
            yield c.f("P151", Severity.WARNING, f"开工认定标准编号应为1至{len(ids)}连续，现为{ids}",
                      f"start criteria should be numbered 1..{len(ids)}, found {ids}", loc=("start_criteria", "items"),
                      clause=sc.clause)


# -- text: numbering and provenance -----------------------------------------------------------------
def check_numbering(c: Ctx):
    t = c.p.text
    if t is None or t.plan is None:
        return
    expected = 1
    for si, s in enumerate(t.plan.sections):
        want = _cn_seq(expected)
        if s.number != want:
            zh = f"部分序号不连续：应为“{want}、”，印为“{s.number}、{s.heading}”"
            en = f"section numbering skips: expected '{want}', printed '{s.number}' ({s.heading})"
            if s.erratum is not None and s.erratum.field == "number":
                zh += f"；已记录勘误：应为“{s.erratum.corrected}、{s.heading}”（{s.erratum.note}）"
                en += f"; erratum recorded: '{s.erratum.corrected}' ({s.erratum.note_en or s.erratum.note})"
            yield c.f("P140", Severity.WARNING, zh, en, loc=("text", "plan", "sections", si, "number"), clause=s.id,
                      value=s.number, expected=want)
            typed = cnfmt.ordinal_value(s.number)
            if typed is not None:
                expected = typed
        expected += 1
        for ci, cl in enumerate(s.clauses):
            want_c = f"（{_cn_seq(ci + 1)}）"
            if cl.number != want_c:
                yield c.f("P140", Severity.WARNING, f"“{s.number}”部分下的条目序号不连续：应为{want_c}，印为{cl.number}",
                          f"clause numbering under '{s.number}' skips: expected {want_c}, printed {cl.number}",
                          loc=("text", "plan", "sections", si, "clauses", ci, "number"), clause=cl.id,
                          value=cl.number, expected=want_c)


# 《按照……办法》: the title marks belong around the document's name, not the preposition that cites it
MISPLACED_TITLE = re.compile(r"《(按照|根据|依据|依照)([^》]*)》")


def check_title_marks(c: Ctx):
    t = c.p.text
    if t is None or t.plan is None:
        return
    for si, s in enumerate(t.plan.sections):
        for ci, cl in enumerate(s.clauses):
            printed = c.lp.text.get(cl.id)
            if printed is None:
                continue
            loc = ("text", "plan", "sections", si, "clauses", ci, "text")
            err = cl.erratum if (cl.erratum is not None and cl.erratum.field == "text") else None
            for m in MISPLACED_TITLE.finditer(printed.text):
                want = f"{m.group(1)}《{m.group(2)}》"
                zh = f"书名号位置错误：印为“{m.group(0)}”，“{m.group(1)}”不属于文件名称，应为“{want}”"
                en = f"title marks misplaced: printed “{m.group(0)}”; {m.group(1)} is not part of the title: “{want}”"
                hint = None
                if err is not None:
                    zh += f"；已记录勘误（{err.note}）"
                    en += f"; erratum recorded ({err.note_en or err.note})"
                else:
                    hint = ("保留原文，并在该条款的 erratum（field: text）中记录更正 / keep the printed text and record "
                            "the correction in the clause's `erratum` (field: text)")
                yield c.f("P141", Severity.WARNING, zh, en, loc=loc, clause=cl.id, value=m.group(0), expected=want,
                          hint=hint)
            if err is not None:
                for words in dict(err.corrected or {}):
                    if words not in printed.text:
                        yield c.f("P141", Severity.ERROR, f"勘误记录的原文“{words}”不在条款“{printed.display}”中",
                                  f"the erratum's printed words “{words}” are not in clause {cl.id}",
                                  loc=loc[:-1] + ("erratum",), clause=cl.id, value=words)


def check_text_renders(c: Ctx):
    for cid, src, err in c.lp.text.problems:
        yield c.f("P170", Severity.ERROR, f"条款“{cid}”的文本无法生成：{err}", f"clause '{cid}' text cannot be rendered: {err}",
                  loc=("text",) + tuple(src))


def check_provenance(c: Ctx):
    text = c.lp.text
    if not text.clauses:      # no source text (said by check_policy: 无正文): each value is still in its own quote
        for prm in iter_parameters(c.p):
            if prm.quote and not _inherited(c.lp, prm.loc):
                yield from _value_in_quote(c, prm)
        yield from _draft_questions(c)
        return
    yield from _draft_questions(c)
    seen: set[tuple] = set()
    for prm in iter_parameters(c.p):
        if prm.clause is None or _inherited(c.lp, prm.loc):     # checked against the parent's own text
            continue
        clause = text.get(prm.clause)
        key = (prm.clause, prm.quote)
        if clause is None:
            if (prm.clause, None) not in seen:
                seen.add((prm.clause, None))
                yield c.f("P162", Severity.ERROR, f"参数“{prm.path}”标注的条款“{prm.clause}”在正文中不存在",
                          f"parameter '{prm.path}' names clause '{prm.clause}', which is not in the text",
                          loc=prm.clause_loc or prm.loc, value=prm.clause)
            continue
        if prm.quote and key not in seen:
            seen.add(key)
            if _norm(prm.quote) not in _norm(clause.text if clause.kind != "section" else "".join(clause.lines())):
                yield c.f("P160", Severity.ERROR, f"出处引文不在条款“{clause.display}”中：“{prm.quote}”",
                          f"the quoted passage is not in clause {prm.clause}: “{prm.quote}”",
                          loc=prm.quote_loc or prm.loc,
                          clause=prm.clause, value=prm.quote, expected=clause.text[:120])
        if prm.quote:
            yield from _value_in_quote(c, prm)


def _value_in_quote(c: Ctx, prm):
    """P161: every number and date of a parameter is printed in its own quote (67.13 under "67.12万户" is not)."""
    q = _norm(prm.quote)
    if prm.path.startswith("milestones[") and prm.path.endswith(".share") and prm.value == 1.0 and "%" not in q:
        return        # "5月底开工" names no share: the whole (a person's reading; `policy draft` asks instead)
    quantity = prm.path.rsplit(".", 1)[-1] in QUANTITY_UNITS        # 0.85万户 is a figure, not a share (85%)
    for v in numeric_leaves(prm.value):
        forms = cnfmt.value_forms(v) + ([f"{v:g}"] if quantity and isinstance(v, float) else [])
        if not any(_norm(form) in q for form in forms):
            shown = cnfmt.cn_date(v) if hasattr(v, "isoformat") else v
            yield c.f("P161", Severity.ERROR, f"参数“{prm.path}”的值{shown}不在其出处引文中：“{prm.quote}”",
                      f"value {v} of '{prm.path}' is not in its quote: “{prm.quote}”", loc=prm.loc,
                      clause=prm.clause, value=v, expected=prm.quote)


def _draft_questions(c: Ctx):
    """P164: a draft of `gaizao policy draft` says what is left to confirm: its label 草稿 (every value still to be
    compared with the source) and each open question of its questions.yaml, at its line."""
    from generator.policy.draft.confirm import open_questions
    yield from open_questions(c.lp)


def check_document(c: Ctx):
    d = c.p.document
    if d.doc_number is not None:
        num = d.doc_number.value
        if not DOC_NUMBER.match(str(num)):
            yield c.f("P180", Severity.ERROR, f"发文字号“{num}”不符合 GB/T 9704 格式（机关代字〔年份〕序号号，六角括号，不编虚位）",
                      f"document number '{num}' is not in GB/T 9704 form (code〔year〕N号)",
                      loc=("document", "doc_number", "value"), clause=d.doc_number.clause, value=num)
        elif d.issue_date is not None:
            ym = re.search(r"〔(\d{4})〕", num)
            assert ym is not None                     # DOC_NUMBER matched, and it requires 〔YYYY〕
            year = int(ym.group(1))
            if year != d.issue_date.value.year:
                yield c.f("P181", Severity.WARNING, f"发文字号年份{year}与成文日期年份{d.issue_date.value.year}不同",
                          f"document number year {year} differs from the issue date year",
                          loc=("document", "doc_number", "value"), clause=d.doc_number.clause)


def check_completeness(c: Ctx):
    """What a policy states is optional (documents follow what is present: Policy.provisions); what is required
    follows from what is there: a policy carrying its notice text (text.notice) is an issued document, so it
    has a 发文字号 and a 成文日期. No list of 许昌's sections is demanded of anyone."""
    p = c.p
    if p.derived_kind != "full":
        return
    for name in ("doc_number", "issue_date"):
        if getattr(p.document, name) is None:
            yield c.f("P200", Severity.ERROR, f"政策含通知正文（text.notice），但缺少 document.{name}",
                      f"the policy has its notice text (text.notice) but no document.{name}", loc=("document",))


def check_versioning(c: Ctx):
    """Issued policies are immutable: an amendment or next year is a new folder that names what it supersedes."""
    from generator.policy.loader import list_ids, load_issued_lock

    p = c.p
    lp = c.lp
    loaded_by_id = lp.root is not None and "@" not in lp.ref
    if p.status == "issued" and loaded_by_id:
        locked = load_issued_lock(lp.root).get(p.id)     # the lock of the folder the policy was found in
        if locked is None:
            yield c.f("P210", Severity.WARNING, f"已印发政策 {p.id} 未登记在 policies/issued.lock 中",
                      f"issued policy {p.id} is not registered in policies/issued.lock", loc=("status",))
        elif locked.get("sha256") != lp.content_hash or str(locked.get("version")) != p.version:
            yield c.f("P210", Severity.ERROR,
                      f"已印发政策 {p.id} 的内容与登记不符（policies/issued.lock）：已印发的政策不得原地修改，"
                      f"请另建新版本并写明 supersedes",
                      f"issued policy {p.id} differs from its registered hash: never edit an issued policy in place; "
                      f"make a new version with `supersedes`", loc=("version",), value=lp.content_hash,
                      expected=locked.get("sha256"))
    if p.supersedes:
        from generator.policy.inherit import resolve_ref

        from generator.policy.loader import _parent_roots, within

        target = p.supersedes.split("@")[0]
        base = lp.docs["policy"].name if "policy" in lp.docs else None
        found = resolve_ref(target, base)
        # a path counts only inside the policy folders (the same confinement as parent:): nothing else is probed
        inside = base is not None and ":" not in base.split("/")[0] and within(Path(found), _parent_roots(base, None))
        if target not in list_ids() and not (inside and Path(found).exists()):
            yield c.f("P211", Severity.WARNING, f"supersedes 指向的政策“{p.supersedes}”不存在",
                      f"supersedes names '{p.supersedes}', which does not exist", loc=("supersedes",))


# -- levels: partial lists, inheritance from a parent ---------------------------------------------------------
def check_partial_level(c: Ctx):
    p = c.p
    if p.counties_complete is False:
        n = len(p.counties_with_target)
        zh = (f"原文只列出部分下级单位（{n}个有任务）：允许，不与{policy_scope(p)}总数相加核对" if n else
              f"原文未公布{lower_units(p.unit_level)}的任务：不分解、不核对")
        en = (f"the source lists only some of the units below ({n} with a target): allowed, not summed against "
              "the total" if n else "the source does not publish the units' targets: nothing to add up")
        yield c.f("P105", Severity.INFO, zh, en, loc=("counties_complete",))


def check_inheritance(c: Ctx):
    from generator.policy.inherit import ancestors, compare, granted, level_rank

    lp, p = c.lp, c.p
    if lp.parent is None:
        if p.exceptions:
            yield c.f("P225", Severity.WARNING, "写了 exceptions（对上级的例外），但没有 parent（上级政策）",
                      "exceptions are given but there is no parent", loc=("exceptions",))
        return
    pp = lp.parent.policy
    if level_rank(pp.unit_level) <= level_rank(p.unit_level):
        yield c.f("P226", Severity.ERROR,
                  f"上级政策 {pp.id}（{pp.document.city.value}，{LEVEL_NAMES[pp.unit_level]}级）不高于本政策"
                  f"（{p.document.city.value}，{LEVEL_NAMES[p.unit_level]}级）", f"the parent {pp.id} "
                  f"({pp.unit_level}) is not above this policy ({p.unit_level})", loc=("parent",), value=pp.id)
    if pp.year != p.year:
        yield c.f("P242", Severity.WARNING, f"上级政策 {pp.id} 是{pp.year}年度的，本政策是{p.year}年度",
                  f"the parent {pp.id} is for {pp.year}, this policy for {p.year}", loc=("parent",), value=pp.id)
    city = str(p.document.city.value)
    if pp.county(city) is None:
        listed = bool(pp.counties) and pp.counties_complete is not False
        yield c.f("P227", Severity.WARNING if listed else Severity.INFO,
                  (f"上级政策 {pp.id} 列出的下级单位中没有“{city}”" if listed else
                   f"上级政策 {pp.id} 未公布{city}的任务（{'只列出部分下级单位' if pp.counties else '未分解到下级单位'}）："
                   f"本级目标无法与上级分解核对"),
                  (f"the parent {pp.id} does not list '{city}'" if listed else
                   f"the parent {pp.id} does not publish a target for '{city}': not compared"), loc=("parent",))
    for loc in sorted(lp.inherited, key=lambda t: tuple(map(str, t))):
        path = human_path(p, loc)
        file, line = lp.locate(loc)
        what = _summary(_at(p, loc))
        yield Finding("P220", Severity.INFO, f"“{path}”继承自上级政策 {pp.id}{'：' + what if what else ''}",
                      f"'{path}' is inherited from {pp.id}", file=file, line=line, path=path)
    cited = {e.parameter: (i, e) for i, e in enumerate(p.exceptions)}
    loosened = set()
    # tighten-only through every level: against the parent (all differences said) and each ancestor above it
    # (only what is looser than it: a city's granted exception gives its counties nothing)
    for depth, anc in enumerate(ancestors(lp)):
        aid = anc.policy.id
        for d in compare(lp, anc):
            if depth and d.kind != "loosened":
                continue
            if d.kind == "tightened":
                yield c.f("P221", Severity.INFO, f"收紧（严于上级 {aid}）：{d.zh}", f"tighter than {aid}: {d.en}",
                          loc=d.loc, value=d.value, expected=d.parent_value)
            elif d.kind == "loosened":
                loosened.add(d.path)
                hit, grant = cited.get(d.path), granted(anc.policy, d.path)
                if hit is not None and grant is not None:
                    i, e = hit
                    yield c.f("P223", Severity.WARNING, f"放宽了上级 {aid} 的要求（已注明例外，上级准许）：{d.zh}；依据："
                              f"“{e.quote or ''}”；上级准许：“{grant.quote or grant.clause}”",
                              f"looser than {aid} by a cited exception the parent grants: {d.en}",
                              loc=("exceptions", i), clause=e.clause, value=d.value, expected=d.parent_value)
                elif hit is not None:
                    yield c.f("P222", Severity.ERROR, f"放宽了上级 {aid} 的要求：{d.zh}；exceptions 注明了例外，但上级 {aid} "
                              f"没有准许下级放宽“{d.path}”（上级政策的 grants 中须有此参数及其原文）",
                              f"looser than {aid}: {d.en}; the exception is cited but {aid} does not grant "
                              f"'{d.path}' (its `grants` must name it with its own clause and quote)",
                              loc=d.loc, value=d.value, expected=d.parent_value)
                else:
                    yield c.f("P222", Severity.ERROR, f"放宽了上级 {aid} 的要求：{d.zh}；如确属本级原文的例外，须上级准许"
                              f"（上级 grants 列出“{d.path}”），并在本级 exceptions 中写明参数、条款（clause）和原文（quote）",
                              f"looser than {aid}: {d.en}; an exception needs the parent's leave ('{d.path}' in its "
                              "`grants`) and this policy's `exceptions` entry with clause and quote",
                              loc=d.loc, value=d.value, expected=d.parent_value)
            else:
                yield c.f("P224", Severity.INFO, f"{d.zh}（无法判断宽严，请核对）", f"{d.en} (not comparable; check it)",
                          loc=d.loc)
    for name, (i, e) in cited.items():
        if name not in loosened:
            yield c.f("P225", Severity.WARNING, f"exceptions 所列参数“{name}”并未比上级宽松（或不存在）：例外多余",
                      f"exception names '{name}', which is not looser than the parent (or does not exist)",
                      loc=("exceptions", i, "parameter"), value=name)
        elif not (e.quote or "").strip():
            yield c.f("P225", Severity.ERROR, f"例外“{name}”没有本级原文（quote）：放宽须有本级文件的明文依据",
                      f"exception '{name}' has no quote of this policy's own text", loc=("exceptions", i))


def check_grants(c: Ctx):
    """A leave to loosen (grants) is the policy's own words: it carries its quote."""
    for i, g in enumerate(c.p.grants):
        if not (g.quote or "").strip():
            yield c.f("P228", Severity.ERROR, f"准许下级放宽“{g.parameter}”没有本级原文（quote）：准许须有本级文件的明文",
                      f"the grant for '{g.parameter}' has no quote of this policy's own text", loc=("grants", i))


def _inherited(lp, loc: tuple) -> bool:
    from generator.policy.inherit import inherited_from
    return inherited_from(lp, loc) is not None


def _at(obj, loc: tuple):
    for part in loc:
        obj = obj[part] if isinstance(part, int) else getattr(obj, part, None)
    return obj


def _summary(obj) -> str:
    """A record in a few words: 完成改造70%（按户数），12月底前; 居民同意率80%以上."""
    from generator.policy.model import Consent, Deadline, Milestone, StartCriterion

    if isinstance(obj, (Milestone, Deadline)):
        return f"{obj.label}，{cnfmt.printed_date(obj.date, obj.precision)}"
    if isinstance(obj, Consent):
        return f"居民同意率{cnfmt.pct(obj.threshold)}{'以上' if obj.inclusive else ''}（{'、'.join(obj.subjects)}）"
    if isinstance(obj, StartCriterion):
        return obj.label
    return ""


def _short(v) -> str:
    text = "、".join(map(str, v)) if isinstance(v, list) else str(v)
    return text if len(text) <= 60 else text[:59] + "…"


# -- copy-safety: what belongs to another city or year -------------------------------------------------------
_YEAR_IN = re.compile(r"〔((?:19|20)\d{2})〕|^((?:19|20)\d{2})年")


def _stem(name: str) -> str:
    """许昌市 -> 许昌, 河南省 -> 河南: how the name also appears inside longer names (许昌市百城办, 豫 aside)."""
    return re.sub(r"(市|省|自治区|县|区)$", "", name) or name


def _other_units(lp) -> dict[str, str]:
    """Names of the units of the other known policies (stem -> full name) that this policy should not carry:
    its own unit, its parents' and its own lower units are excluded; a province counts only when this policy's
    parents name a different province (a city may cite its province without saying so in `parent`)."""
    from generator.policy.loader import list_ids, policy_roots

    p = lp.policy
    own = {str(p.document.city.value)} | {c.name for c in p.counties}
    ancestors, a = [], lp.parent
    while a is not None:
        ancestors.append(a.policy)
        own.add(str(a.policy.document.city.value))
        a = a.parent
    has_province = any(x.unit_level == "province" for x in ancestors)
    out: dict[str, str] = {}
    from generator.policy.wording import level_of
    for pid in list_ids():
        f = next((r / pid / "policy.yaml" for r in policy_roots() if (r / pid / "policy.yaml").exists()), None)
        city = _city_of(f)
        if city is None:           # an unreadable neighbour is its own problem, not this policy's
            continue
        if any(city == o or _stem(city) in o for o in own):
            continue
        if level_of(city) == "province" and not has_province:
            continue
        out[_stem(city)] = city
    return out


def _city_of(f) -> str | None:
    """document.city of a policy file, read quickly (libyaml when present: the 许昌 files are long)."""
    import yaml
    try:
        data = yaml.load(f.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        return str((data.get("document") or {})["city"]["value"])
    except Exception:
        return None


def check_copy_safety(c: Ctx):
    """A policy started as a copy of another city's keeps that city's issuer, errata, title or cited documents:
    each is flagged where it is, as not belonging to this policy's own unit and year."""
    lp, p = c.lp, c.p
    city, year = str(p.document.city.value), p.year
    m = re.search(r"/((?:19|20)\d{2})", p.id)
    if m and int(m.group(1)) != year:
        yield c.f("P243", Severity.ERROR, f"编号“{p.id}”的年度{m.group(1)}与计划年度{year}不同",
                  f"the id {p.id} says {m.group(1)} but the plan year is {year}", loc=("document", "plan_year", "value"),
                  value=year, expected=int(m.group(1)))
    others = _other_units(lp)

    def foreign(text: str) -> list[str]:
        return sorted({full for stem, full in others.items() if stem and stem in (text or "")})

    d = p.document
    places: list[tuple[tuple[str, ...], str, str]] = [(("title",), p.title, "标题")]
    for key, word in (("issuer", "发文机关"), ("issuer_short", "发文机关简称"), ("doc_number", "发文字号")):
        prm = getattr(d, key)
        if prm is not None:
            places.append((("document", key, "value"), str(prm.value), word))
    for loc, text, word in places:
        for name in foreign(text):
            yield c.f("P240", Severity.ERROR, f"{word}“{text}”属于{name}，不属于本政策的{city}（像是从{name}的政策复制而来）",
                      f"the {loc[-2] if loc[-1] == 'value' else loc[-1]} '{text}' belongs to {name}, not {city} "
                      "(copied from its policy?)", loc=loc, value=text)
    if d.parents is not None:
        for i, ref in enumerate(d.parents.value):
            years = [int(y) for pair in _YEAR_IN.findall(ref.number) + _YEAR_IN.findall(ref.title) for y in pair if y]
            later = [y for y in years if y > year]
            names = foreign(ref.issuer + ref.title)
            if later or names:
                why = (f"是{later[0]}年的文件，晚于本政策的{year}年度" if later else f"属于{'、'.join(names)}")
                yield c.f("P242", Severity.ERROR, f"依据文件《{ref.title}》（{ref.number}）{why}",
                          f"the cited document {ref.number} " + (f"is of {later[0]}, after the plan year {year}" if later
                                                                 else f"belongs to {', '.join(names)}"),
                          loc=("document", "parents", "value", i), value=ref.number)
    issue = d.issue_date.value if d.issue_date else None
    for prm in iter_parameters(p):
        e = prm.erratum
        if e is None or _inherited(lp, prm.loc):
            continue
        names = foreign(f"{e.note}{e.corrected}")
        wrong_year = isinstance(e.corrected, dt.date) and e.corrected.year != year
        printed_fine = (isinstance(prm.value, dt.date) and prm.value.year == year
                        and (issue is None or prm.value >= issue))
        if names or wrong_year or printed_fine:
            why = (f"提到{'、'.join(names)}" if names else
                   f"更正后的日期{cnfmt.cn_date(e.corrected)}不在本政策的{year}年度" if wrong_year else
                   f"印发值{cnfmt.cn_date(prm.value)}在本年度内、不早于成文日期，并无明显错误")
            yield c.f("P241", Severity.ERROR, f"“{prm.path}”的勘误不属于本政策：{why}（勘误是原文的错误，不能从别的政策照抄）",
                      f"the erratum of '{prm.path}' does not belong to this policy (copied from another?)",
                      loc=prm.loc[:-1] + ("erratum",), value=e.note)
    seen = set()
    for cl in lp.text.clauses:
        text = "".join(cl.paragraphs) + (cl.heading or "")
        if cl.erratum is not None:
            text += f"{cl.erratum.note}{cl.erratum.corrected}"
        for name in foreign(text):
            if (cl.id, name) in seen:
                continue
            seen.add((cl.id, name))
            yield c.f("P244", Severity.ERROR, f"条款“{cl.display}”提到{name}，而本政策是{city}的",
                      f"clause {cl.id} names {name}, but this policy is {city}'s", loc=("text",) + tuple(cl.src),
                      clause=cl.id, value=name)


CHECKS = [check_versioning, check_inheritance, check_grants, check_partial_level, check_completeness, check_document, check_target_sums, check_county_names, check_milestones,
          check_deadlines, check_liaison_quotas, check_thresholds, check_numbering, check_title_marks, check_text_renders,
          check_provenance, check_copy_safety]


NO_SOURCE_TEXT = "无正文：引文未核对（没有原文 text.yaml，或其中没有正文；只核对了每个值是否在其引文中）"
NO_SOURCE_TEXT_EN = "no source text: quotes not verified (no text.yaml; only each value against its own quote)"


def check_policy(lp: LoadedPolicy) -> Report:
    """Run every check; a check that fails unexpectedly does not stop the others."""
    report = Report(subject={"policy": lp.policy.id, "version": lp.policy.version, "hash": lp.content_hash,
                             "origin": lp.origin})
    if not lp.text.clauses:     # quotes could not be compared with a source text: said with every report
        report.subject["source_text"] = NO_SOURCE_TEXT
    c = Ctx(lp)
    for check in CHECKS:
        report.extend(check(c))
    return report
