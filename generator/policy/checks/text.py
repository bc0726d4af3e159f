"""The clause text and its quotes: section numbering (P140), title marks (P141), clauses that render (P170),
every quote in its clause and every value in its quote (P160–P162)."""
from __future__ import annotations

import re

from generator.findings import Severity
from generator.policy import cnfmt
from generator.policy.checks.base import Ctx, inherited, norm
from generator.policy.model import QUANTITY_UNITS
from generator.policy.params import iter_parameters, numeric_leaves



def check_numbering(c: Ctx):
    t = c.p.text
    if t is None or t.plan is None:
        return
    expected = 1
    for si, s in enumerate(t.plan.sections):
        want = cnfmt.cn_ordinal(expected)
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
            want_c = f"（{cnfmt.cn_ordinal(ci + 1)}）"
            if cl.number != want_c:
                yield c.f("P140", Severity.WARNING, f"“{s.number}”部分下的条目序号不连续：应为{want_c}，印为{cl.number}",
                          f"clause numbering under '{s.number}' skips: expected {want_c}, printed {cl.number}",
                          loc=("text", "plan", "sections", si, "clauses", ci, "number"), clause=cl.id,
                          value=cl.number, expected=want_c)


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
            if prm.quote and not inherited(c.lp, prm.loc):
                yield from _value_in_quote(c, prm)
        return
    seen: set[tuple] = set()
    for prm in iter_parameters(c.p):
        if prm.clause is None or inherited(c.lp, prm.loc):     # checked against the parent's own text
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
            if norm(prm.quote) not in norm(clause.text if clause.kind != "section" else "".join(clause.lines())):
                yield c.f("P160", Severity.ERROR, f"出处引文不在条款“{clause.display}”中：“{prm.quote}”",
                          f"the quoted passage is not in clause {prm.clause}: “{prm.quote}”",
                          loc=prm.quote_loc or prm.loc,
                          clause=prm.clause, value=prm.quote, expected=clause.text[:120])
        if prm.quote:
            yield from _value_in_quote(c, prm)


def _value_in_quote(c: Ctx, prm):
    """P161: every number and date of a parameter is printed in its own quote (67.13 under "67.12万户" is not)."""
    q = norm(prm.quote)
    if prm.path.startswith("milestones[") and prm.path.endswith(".share") and prm.value == 1.0 and "%" not in q:
        return        # "5月底开工" names no share: the whole (a person's reading; `policy draft` asks instead)
    quantity = prm.path.rsplit(".", 1)[-1] in QUANTITY_UNITS        # 0.85万户 is a figure, not a share (85%)
    for v in numeric_leaves(prm.value):
        forms = cnfmt.value_forms(v) + ([f"{v:g}"] if quantity and isinstance(v, float) else [])
        if not any(norm(form) in q for form in forms):
            shown = cnfmt.cn_date(v) if hasattr(v, "isoformat") else v
            yield c.f("P161", Severity.ERROR, f"参数“{prm.path}”的值{shown}不在其出处引文中：“{prm.quote}”",
                      f"value {v} of '{prm.path}' is not in its quote: “{prm.quote}”", loc=prm.loc,
                      clause=prm.clause, value=v, expected=prm.quote)

