"""Clause text: renders text.yaml against the policy's parameters.

The result is a list of ``Clause`` objects in reading order (notice, then plan, then attachments),
each with its id (what ``clause:`` in policy.yaml refers to), its printed number and heading and its
paragraphs. Renderers lay these out; the provenance check searches quotes in them; the diff aligns
them between versions.

``corrected=True`` applies every recorded erratum (a printed wrong date, a skipped section number).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby

from pydantic import BaseModel

from generator.policy import cnfmt
from generator.policy.model import Erratum, Param, ParentDocs, Policy, Quota


@dataclass
class Clause:
    id: str
    part: str                     # notice | plan | attachment
    kind: str                     # banner, doc_number, title, addressee, body, signature, date, plan_title,
                                  # preamble, section, clause, attachment_note, attachment_label,
                                  # attachment_title, item
    paragraphs: list[str] = field(default_factory=list)
    number: str | None = None     # 一 / （一） / 1
    heading: str | None = None
    level: int = 0                # 1: 一、 2: （一）
    erratum: Erratum | None = None
    src: tuple = ()               # path in text.yaml, for line numbers

    @property
    def display(self) -> str:
        """How a person cites it: 二、目标任务; 三（一）制定工作实施方案; 附件 第4条."""
        if self.kind == "section":
            return f"{self.number}、{self.heading}"
        if self.kind == "clause":
            return f"{self.id}{(self.heading or '').rstrip('。')}"
        if self.kind == "item":
            base, _, n = self.id.partition(".")
            return f"{base} 第{n}条"
        return self.id

    @property
    def text(self) -> str:
        return "".join(self.paragraphs)

    def lines(self) -> list[str]:
        """The clause as printed lines (heading included)."""
        if self.kind == "section":
            return [f"{self.number}、{self.heading}", *self.paragraphs]
        if self.kind == "clause":
            return [f"{self.number}{self.heading}{self.text}"]
        return list(self.paragraphs)


@dataclass
class PolicyText:
    clauses: list[Clause]
    corrected: bool = False
    problems: list[tuple[str, tuple, str]] = field(default_factory=list)   # (clause id, src path, error)

    def __post_init__(self):
        self.by_id = {c.id: c for c in self.clauses}

    def get(self, cid: str) -> Clause | None:
        return self.by_id.get(cid)

    def part(self, name: str) -> list[Clause]:
        return [c for c in self.clauses if c.part == name]

    def plain(self) -> str:
        """The whole document as plain text, one printed paragraph a line."""
        return "\n".join(line for c in self.clauses for line in c.lines())

    def display(self, cid: str) -> str:
        c = self.by_id.get(cid)
        return c.display if c else cid


# -- context: parameters as plain values ---------------------------------------------------------
def _unwrap(obj, corrected: bool):
    if isinstance(obj, BaseModel):
        err = getattr(obj, "erratum", None)
        if isinstance(obj, (Param, Quota, ParentDocs)):
            if corrected and err is not None and err.field == "value":
                return err.corrected
            return _unwrap(obj.value, corrected)
        d = {name: _unwrap(getattr(obj, name), corrected) for name in type(obj).model_fields}
        if corrected and err is not None and err.field in d:
            d[err.field] = err.corrected
        return d
    if isinstance(obj, list):
        return [_unwrap(x, corrected) for x in obj]
    if isinstance(obj, dict):
        return {k: _unwrap(v, corrected) for k, v in obj.items()}
    return obj


def _quota_groups(counties):
    """Counties grouped by liaison quota, smallest first, keeping table order within a group."""
    with_q = [c for c in counties if c.get("liaison_quota") is not None]
    ordered = sorted(with_q, key=lambda c: c["liaison_quota"])
    return [(q, [c["name"] for c in grp]) for q, grp in groupby(ordered, key=lambda c: c["liaison_quota"])]


@lru_cache(maxsize=1)
def environment():
    from generator.sandbox import TEXT_MAX_STEPS, new_environment

    # text.yaml is data: sandboxed (generator/sandbox.py), plain text out (no autoescape), a clause's budget
    return new_environment(max_steps=TEXT_MAX_STEPS, filters=dict(
        cn_date=cnfmt.cn_date, cn_month_end=cnfmt.cn_month_end, month_end=cnfmt.month_end, pct=cnfmt.pct,
        cn_count=cnfmt.cn_count, basis_cn=cnfmt.basis_cn, quota_groups=_quota_groups, printed_date=cnfmt.printed_date))


def render_string(template: str, ctx: dict) -> str:
    return environment().from_string(template).render(ctx)


def parameter_sections() -> list[str]:
    """Every field of the Policy model that holds parameter records (a model, or a list of models), except the
    document (its fields are top-level names) and the text itself: read from the schema, so a new section is a
    name clause text can use without being listed anywhere."""
    import typing

    from pydantic import BaseModel

    def holds_model(tp) -> bool:
        if isinstance(tp, type):
            return issubclass(tp, BaseModel)
        return any(holds_model(a) for a in typing.get_args(tp))

    return [n for n, f in Policy.model_fields.items() if n not in ("document", "text") and holds_model(f.annotation)]


def context(policy: Policy, corrected: bool = False) -> dict:
    """The names a clause template can use: document fields at top level, lists by id."""
    ctx: dict = {}
    ctx.update(_unwrap(policy.document, corrected))
    for name in parameter_sections():
        ctx[name] = _unwrap(getattr(policy, name), corrected)
    ctx["milestone"] = {m["id"]: m for m in _unwrap(policy.milestones, corrected)}
    ctx["deadline"] = {d["id"]: d for d in _unwrap(policy.deadlines, corrected)}
    ctx["milestones"] = list(ctx["milestone"].values())
    ctx["deadlines"] = list(ctx["deadline"].values())
    # a draft or sample without its own label still says so on every form (a local change is never silent)
    ctx["policy"] = {"id": policy.id, "version": policy.version, "status": policy.status,
                     "label": policy.label or {"draft": "草案", "sample": "示例"}.get(policy.status)}
    if ctx.get("start_criteria"):
        for item in ctx["start_criteria"]["items"]:
            item["text"] = render_string(item["text"], ctx)
    if policy.text is not None:
        ctx["plan_title"] = render_string(policy.text.plan_title, ctx)
    else:
        ctx["plan_title"] = policy.title
    return ctx


# -- rendering ----------------------------------------------------------------------------------
def render_text(policy: Policy, corrected: bool = False) -> PolicyText:
    """All clauses of the policy's text. Template problems are collected, not raised."""
    problems: list[tuple[str, tuple, str]] = []
    clauses: list[Clause] = []
    t = policy.text
    if t is None:
        return PolicyText([], corrected, problems)
    try:
        ctx = context(policy, corrected)
    except Exception as exc:  # a broken criterion text or plan title
        problems.append(("附件", ("plan_title",), _explain(exc)))
        return PolicyText([], corrected, problems)

    def r(cid: str, src: tuple, template: str) -> str:
        try:
            return render_string(template, ctx)
        except Exception as exc:
            problems.append((cid, src, _explain(exc)))
            return template

    n = t.notice
    if n is not None:
        for kind, cid in (("banner", "版头"), ("doc_number", "发文字号"), ("title", "标题"), ("addressee", "主送")):
            clauses.append(Clause(cid, "notice", kind, [r(cid, ("notice", kind), getattr(n, kind))], src=("notice", kind)))
        clauses.append(Clause("通知", "notice", "body",
                              [r("通知", ("notice", "body", i), p) for i, p in enumerate(n.body)], src=("notice", "body")))
        clauses.append(Clause("署名", "notice", "signature", [r("署名", ("notice", "signature"), n.signature)],
                              src=("notice", "signature")))
        clauses.append(Clause("成文日期", "notice", "date", [r("成文日期", ("notice", "date"), n.date)], src=("notice", "date")))
    p = t.plan
    if p is not None:
        clauses.append(Clause("方案标题", "plan", "plan_title", [r("方案标题", ("plan", "title"), p.title)], src=("plan", "title")))
        if p.preamble:
            clauses.append(Clause("前言", "plan", "preamble",
                                  [r("前言", ("plan", "preamble", i), x) for i, x in enumerate(p.preamble)],
                                  src=("plan", "preamble")))
        for si, s in enumerate(p.sections):
            src: tuple[str | int, ...] = ("plan", "sections", si)
            number = s.erratum.corrected if (corrected and s.erratum and s.erratum.field == "number") else s.number
            clauses.append(Clause(s.id, "plan", "section",
                                  [r(s.id, src + ("paragraphs", i), x) for i, x in enumerate(s.paragraphs)],
                                  number=number, heading=s.heading, level=1, erratum=s.erratum, src=src))
            for ci, c in enumerate(s.clauses):
                csrc = src + ("clauses", ci)
                body = r(c.id, csrc + ("text",), c.text)
                if corrected and c.erratum is not None and c.erratum.field == "text":
                    body = apply_text_erratum(body, c.erratum)
                clauses.append(Clause(c.id, "plan", "clause", [body], number=c.number,
                                      heading=c.heading, level=2, erratum=c.erratum, src=csrc))
        if p.attachment_note:
            clauses.append(Clause("附件说明", "plan", "attachment_note",
                                  [r("附件说明", ("plan", "attachment_note"), p.attachment_note)],
                                  src=("plan", "attachment_note")))
    for ai, a in enumerate(t.attachments):
        src = ("attachments", ai)
        clauses.append(Clause(f"{a.id}标识", "attachment", "attachment_label", [a.label], src=src))
        clauses.append(Clause(a.id, "attachment", "attachment_title", [r(a.id, src + ("title",), a.title)], src=src))
        for i, x in enumerate(a.paragraphs):
            clauses.append(Clause(f"{a.id}.{i + 1}", "attachment", "item", [r(a.id, src + ("paragraphs", i), x)], src=src))
        if a.items_from == "start_criteria" and ctx.get("start_criteria"):
            items = ctx["start_criteria"]["items"]
            for i, it in enumerate(items):
                end = "。" if i == len(items) - 1 else "；"
                clauses.append(Clause(f"{a.id}.{it['id']}", "attachment", "item", [f"{it['id']}. {it['text']}{end}"],
                                      number=str(it["id"]), src=src))
    return PolicyText(clauses, corrected, problems)


def apply_text_erratum(text: str, erratum: Erratum) -> str:
    """A wording erratum (``field: text``) maps printed words to their correction, e.g. {"《按照": "按照《"}."""
    for printed, fixed in dict(erratum.corrected).items():
        text = text.replace(printed, fixed)
    return text


def _explain(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"
