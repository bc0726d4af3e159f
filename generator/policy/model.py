"""The policy schema (pydantic v2, strict key whitelist).

A policy is one city's renovation plan for one year as data: who issued it, the targets per
county, milestones, deadlines, rules, inspections, liaison points, funding channels and
reporting duties, plus the clause text of the notice and plan (``text``), in which every number,
date and name is a reference to a parameter.

Provenance: every parameter record carries ``clause`` (the clause id it comes from, e.g. "二",
"三（一）", "附件.4") and ``quote`` (the words of that clause it was read from). ``gaizao policy
check`` proves that each quote is in its clause and that each number of the record is in its quote.

Errata: a value printed wrong in the source keeps its printed value; ``erratum`` records the evident
correction, which documents rendered with ``--corrected`` use.

Unknown keys are errors (``extra="forbid"``) so a misspelt key can never be silently ignored.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.config import JsonDict


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Erratum(Strict):
    """An evident error of the printed source: the printed value stays, the correction is recorded."""

    field: str = "value"                 # which field of the record is wrong as printed
    corrected: Any  # the corrected value (a date, a number, or for field text {printed words: corrected words})
    note: str                            # why the correction is evident (Chinese)
    note_en: str = ""                      # the note in English (--lang en)


class Sourced(Strict):
    """Provenance carried by every parameter record."""

    clause: str                          # clause id, see text.yaml (二, 三（一）, 附件.4, 版头 ...)
    quote: Optional[str] = None          # the words of the clause the value was read from
    note: Optional[str] = None             # a remark on the record (Chinese): a caveat, what the source leaves open
    erratum: Optional[Erratum] = None      # the source printed this wrong: the evident correction (see Erratum)


class Param(Sourced):
    """A single value with its provenance (OpenFisca-style parameter)."""

    value: Any                             # the value as printed (text, number, date or list)
    unit: Optional[str] = None           # 个, 户, share (0-1), date, 万元 ...


class Flag(Sourced):
    """A yes/no the source states, with its words (项目即小区)."""

    value: bool                            # what the source states: true (项目即小区) or false


class DocRef(Strict):
    issuer: str                            # issuing body of the cited document
    title: str                             # its title, without 《》
    number: str                            # its 发文字号 (豫建城建〔2023〕17号)


class ParentDocs(Sourced):
    value: list[DocRef]                    # the documents the plan cites as its basis


class Document(Strict):
    """Identity of the issued document."""

    issuer: Param                        # 发文机关全称
    issuer_short: Optional[Param] = None  # 规范简称 used in the text (市百城办)
    doc_number: Optional[Param] = None   # 发文字号 许百城提质办〔2023〕3号 (required for kind=full, see check)
    addressees: Optional[Param] = None   # 主送机关 (list)
    issue_date: Optional[Param] = None   # 成文日期 (required for kind=full, see check)
    city: Param                          # 许昌市
    plan_year: Param                     # 2023
    parents: Optional[ParentDocs] = None  # documents the plan implements


# Fields added after policies were issued are hashed only when a policy sets them, so a new optional
# field leaves every issued policy's content hash (policies/issued.lock) unchanged.
HASH_IF_SET: JsonDict = {"hash_if_set": True}

from generator.policy.quantities import QUANTITY_LABELS, QUANTITY_UNITS  # noqa: E402 (the one home, no pydantic)
Comparator = Literal["exactly", "不少于", "不超过"]


class Target(Sourced):
    """A target as published: each quantity optional (absent = not published, distinct from 0), in the unit
    the source prints (``units``), to the decimals it prints (``precision``), exact or a bound (``comparator``)."""

    # unit as published, by quantity (default: 个, 个, 户, 栋, 万㎡); declared first: the values are read in it
    units: Optional[dict[str, str]] = Field(default=None, json_schema_extra=HASH_IF_SET)
    projects: Optional[int] = Field(default=None, ge=0)     # 改造老旧小区（项目）个数
    households: Optional[int | float] = Field(default=None, ge=0)   # 涉及居民户数 (户, or 万户 with decimals)
    communities: Optional[int] = Field(default=None, ge=0, json_schema_extra=HASH_IF_SET)   # 小区个数
    buildings: Optional[int] = Field(default=None, ge=0, json_schema_extra=HASH_IF_SET)     # 楼栋（栋）
    area: Optional[int | float] = Field(default=None, ge=0, json_schema_extra=HASH_IF_SET)  # 建筑面积（万㎡）
    # decimals as published, by quantity (default: the decimals of the value; say it when it ends in 0)
    precision: Optional[dict[str, int]] = Field(default=None, json_schema_extra=HASH_IF_SET)
    # exactly (default) | 不少于 | 不超过: one for the whole target, or by quantity
    comparator: Optional[Comparator | dict[str, Comparator]] = Field(default=None, json_schema_extra=HASH_IF_SET)
    # the part of the unit the target covers, as the source names it (中心城区, 市区); absent: the whole unit
    scope: Optional[str] = Field(default=None, json_schema_extra={**HASH_IF_SET, "label": ["范围", "scope", None]})
    # what the figures count, when the source says it: 新开工 | 续建 | 完成 (absent: not said)
    stage: Optional[Literal["新开工", "续建", "完成"]] = Field(default=None, json_schema_extra={
        **HASH_IF_SET, "label": ["口径", "stage", None]})

    @field_validator("units")
    @classmethod
    def _units(cls, v):
        for q, u in (v or {}).items():
            if q not in QUANTITY_UNITS:
                raise ValueError(f"“{q}”不是目标数量（可用：{'、'.join(QUANTITY_UNITS)}）")
            if u not in QUANTITY_UNITS[q]:
                raise ValueError(f"{QUANTITY_LABELS[q]}的单位“{u}”不可用（可用：{'、'.join(QUANTITY_UNITS[q])}）")
        return v

    @field_validator("precision", "comparator")
    @classmethod
    def _keys(cls, v):
        for q in (v if isinstance(v, dict) else {}):
            if q not in QUANTITY_UNITS:
                raise ValueError(f"“{q}”不是目标数量（可用：{'、'.join(QUANTITY_UNITS)}）")
        return v

    @field_validator("households", "area")
    @classmethod
    def _whole_counts(cls, v, info):
        q = info.field_name
        unit = ((info.data.get("units") or {}).get(q)) or next(iter(QUANTITY_UNITS[q]))
        if isinstance(v, float) and QUANTITY_UNITS[q][unit] == 1 and not v.is_integer():
            raise ValueError(f"{QUANTITY_LABELS[q]}{v:g}{unit}不是整数；按原文以{'万户' if q == 'households' else '万㎡'}"
                             f"计时请在 units 中写明（如 units: {{{q}: {'万户' if q == 'households' else '万㎡'}}}）")
        return v

    # -- reading a quantity as published ------------------------------------------------------
    def unit(self, q: str) -> str:
        return (self.units or {}).get(q) or next(iter(QUANTITY_UNITS[q]))

    def decimals(self, q: str) -> int:
        if self.precision and q in self.precision:
            return self.precision[q]
        v = getattr(self, q)
        if isinstance(v, float) and not v.is_integer():
            exponent = Decimal(repr(v)).as_tuple().exponent        # 1e-05 too, not only 67.13
            return max(0, -exponent) if isinstance(exponent, int) else 0
        return 0

    def comparator_of(self, q: str) -> str:
        c = self.comparator
        if isinstance(c, dict):
            return c.get(q, "exactly")
        return c or "exactly"

    def base(self, q: str) -> Optional[Decimal]:
        """The value in the base unit (户, ㎡, 个, 栋), or None when not published."""
        v = getattr(self, q)
        if v is None:
            return None
        return Decimal(str(v)) * QUANTITY_UNITS[q][self.unit(q)]

    def slack(self, q: str) -> Decimal:
        """Half a unit of the last published place, in the base unit: 0 for an exact count (户, 个, 栋),
        50户 for 67.13万户; an area is always a rounded measure."""
        size = QUANTITY_UNITS[q][self.unit(q)]
        d = self.decimals(q)
        if size == 1 and d == 0 and q != "area":
            return Decimal(0)
        return Decimal(size) * Decimal(10) ** -d / 2

    def shown(self, q: str) -> str:
        """67.13万户, 1200栋 — the value as the source prints it."""
        v = getattr(self, q)
        return f"{v:.{self.decimals(q)}f}{self.unit(q)}" if v is not None else ""


class Quota(Sourced):
    value: int                             # a count (个)


class County(Strict):
    """A county-level unit (县、市、区) of the city; it is named once, here."""

    name: str                              # the unit's name as the source prints it (魏都区, 国家许昌经济技术开发区)
    target: Optional[Target] = None          # absent: a unit without a target this year
    liaison_quota: Optional[Quota] = None    # 联系点 number
    renamed_from: Optional[str] = None       # lets a diff show a rename instead of remove + add
    # further targets of the unit that count another stage (续建 besides 新开工), each with its stage; never summed
    other_targets: list[Target] = Field(default=[], json_schema_extra={**HASH_IF_SET,
                                                                       "label": ["其他口径的目标", "other targets", None]})


class Reported(Target):
    """A figure the source reports (done or under way, 截至…), not a target: kept with its words, never summed or
    judged as a target."""

    # the unit below it concerns (a county's name); absent: the whole unit
    of: Optional[str] = Field(default=None, json_schema_extra={"label": ["所指单位", "unit", None]})
    # the date it is reported at (截至10月底), when the source gives it
    as_of: Optional[dt.date] = Field(default=None, json_schema_extra={"label": ["截至日期", "as of", "date"]})


class Disagreement(Sourced):
    """Published figures that disagree, kept as published: the units' figures of ``quantity`` add up to the total
    plus ``difference``. ``clause``/``quote`` are the total's words; the units' figures carry their own."""

    # the quantity that disagrees
    quantity: Literal["projects", "communities", "households", "buildings", "area"] = Field(
        json_schema_extra={"label": ["不一致的数量", "quantity", None]})
    # the units' sum minus the total, in the total's unit, as a signed number (+2, -0.01): derived, not printed
    difference: str = Field(json_schema_extra={"label": ["差额", "difference", None]})

    @field_validator("difference")
    @classmethod
    def _signed_number(cls, v: str) -> str:
        try:
            Decimal(str(v))
        except Exception:
            raise ValueError(f"“{v}”不是带符号的数（如 +2、-0.01）") from None
        return str(v)


class Milestone(Sourced):
    """A phase milestone: by ``date``, ``share`` of the plan's ``basis`` must be ``measure``."""

    id: str                                # stable id other parts refer to (all_started, completed_70, all_completed)
    label: str                             # how the source names it (全部开工, 完成改造70%)
    date: dt.date                          # by when (the last day of the month for 6月底前)
    precision: Literal["day", "month_end"] = "day"   # "6月底前" is printed as a month end
    measure: Literal["started", "completed"]  # started 开工 | completed 完工
    basis: Literal["projects", "households"]  # counted by projects 项目 | households 户数
    share: float                           # share of the basis that must be reached (70% is 0.7, 全部 is 1.0)


class Deadline(Sourced):
    id: str                                # stable id (county_plan, renovation_plans, liaison_report)
    label: str                             # what is due, as the source says it
    date: dt.date                          # by when
    precision: Literal["day", "month_end"] = "day"  # day | month_end (月底前)
    who: Optional[str] = None              # who must deliver (各县（市、区）)


class Consent(Sourced):
    threshold: float                      # share of residents, 0-1
    inclusive: bool = True                # "80%以上" includes 80 %
    subjects: list[str]                   # what they consent to (改造方案, 物业管理模式)


def labelled(zh: str, en: str, unit: Optional[str] = None, **extra) -> JsonDict:
    """Field metadata naming a key for people (the diff's subjects: 改造范围由…调整为…): declared with the field,
    so a new parameter needs no entry in a separate name list."""
    return {"label": [zh, en, unit], **extra}


class Eligibility(Sourced):
    """改造范围 by year built (国办发〔2020〕23号: "重点改造2000年底前建成的老旧小区"); some cities add a later band
    (驻马店 2021: "可以适当支持2001-2005年建成的")."""

    # last year of construction in the scope: 2000 means 建成于2000年底前 (2000 included)
    built_by: int = Field(ge=1900, le=2100, json_schema_extra=labelled("建成年份上限", "built by (year)", "year"))
    # a later band that may be included (2005: 2001年至2005年建成的可适当纳入); absent: no band
    band_to: Optional[int] = Field(default=None, ge=1900, le=2100,
                                   json_schema_extra=labelled("可适当纳入的建成年份上限", "band up to (year)", "year"))
    band_rule: Optional[str] = Field(default=None, json_schema_extra=labelled("可适当纳入的条件", "band condition"))  # 可适当纳入 as the clause words it


class PlanContentItem(Strict):
    key: str                              # field/key name in the county workbook (基本信息)
    phrase: str                           # the words of the clause (明确目标任务)


class PlanContents(Sourced):
    items: list[PlanContentItem]           # the contents, each a workbook key and the clause's phrase


class ProjectField(Strict):
    name: str                             # as the clause says it
    group: Literal["content", "responsibility"]  # content 改造内容 | responsibility 责任分工
    columns: list[str] = []               # workbook columns that carry it (empty: derived, e.g. 资金来源)


class ProjectFields(Sourced):
    items: list[ProjectField]              # the fields, each with the workbook columns that carry it


class PriorityWorks(Sourced):
    principle: str                        # 应改尽改
    pipelines: list[str]                  # 电力、供水 ... 老旧管线 with safety risks
    others: list[str]                      # other priority works named by the clause


class StartCriterion(Sourced):
    id: int                                # its number, 1..n
    label: str                            # short label for columns and forms
    text: str                             # the criterion as printed (may reference parameters)


class StartCriteria(Strict):
    title: str                             # title of the criteria list (the attachment's title)
    clause: str = "附件"                     # clause id of the list (附件)
    items: list[StartCriterion]            # the numbered criteria


class InspectionRound(Strict):
    id: str                               # mid-year | year-end
    name: str                             # 年中 | 年终
    month: int = Field(ge=1, le=12)        # month of the round


class Inspections(Sourced):
    rounds: list[InspectionRound]          # the inspection rounds (年中, 年终)
    basis: str                            # 自查自评
    method: str                           # the assessment rules named by the source
    weights: Optional[dict[str, float]] = None   # by round id; the 2023 source gives none
    excellent_count: Quota                 # how many counties are named 优秀
    guidance_units: list[str] = []         # units that guide and inspect (市直相关单位)


class LiaisonPoints(Sourced):
    criteria: list[str]                    # what makes a project a liaison point
    report_contents: list[str]             # what the liaison report states
    report_deadline: str                  # id of a deadline


class FundingChannel(Strict):
    key: str                               # stable id of the channel
    name: str                             # also the workbook column (name + （万元）)
    quote: str                             # the words of the clause naming it


class Funding(Sourced):
    unit: str = "万元"                       # money unit of the workbook columns
    channels: list[FundingChannel]         # the channels, in the order of the clause


class Duty(Strict):
    key: str                               # stable id of the duty
    text: str                              # the duty in a few words
    quote: str                             # the words of the clause


class Reporting(Sourced):
    duties: list[Duty]                     # the duties, each with its quote


# -- clause text (text.yaml) -----------------------------------------------------------------
class NoticeText(Strict):
    banner: str                            # 版头: issuing body + 文件
    doc_number: str                        # 发文字号 line
    title: str                             # the notice's title
    addressee: str                         # 主送机关 line
    body: list[str]                        # paragraphs of the notice
    signature: str                         # 发文机关署名
    date: str                              # 成文日期 as printed


class SubClauseText(Strict):
    id: str                                # clause id (三（二）)
    number: str                          # （一）
    heading: str                         # run-in heading, ends with 。
    text: str                              # the clause's words after its heading (may reference parameters)
    erratum: Optional[Erratum] = None      # a printed wording error (field text: {printed: corrected})


class SectionText(Strict):
    id: str                                # clause id (一, 二 …) that policy.yaml's clause: refers to
    number: str                          # 一
    heading: str                           # heading of the part
    paragraphs: list[str] = []             # paragraphs of the part before its sub-clauses
    clauses: list[SubClauseText] = []      # sub-clauses （一）（二）…
    erratum: Optional[Erratum] = None      # a printed error of the part (field number: a skipped 四)


class PlanText(Strict):
    title: str                             # the plan's title as printed
    preamble: list[str] = []               # paragraphs before part 一
    sections: list[SectionText]            # the numbered parts (一、二、…)
    attachment_note: Optional[str] = None  # 附件说明 line


class AttachmentText(Strict):
    id: str                                # clause id of the attachment (附件)
    label: str                           # 附件 / 附件1
    title: str                             # its title
    items_from: Optional[Literal["start_criteria"]] = None   # numbered items from a parameter list
    paragraphs: list[str] = []             # its paragraphs (clause ids 附件.1, 附件.2 …)


class TextModel(Strict):
    plan_title: str                        # the plan's title (may reference parameters: {{ plan_year }})
    notice: Optional[NoticeText] = None    # the covering notice (版头 … 成文日期), when the plan is issued with one
    plan: Optional[PlanText] = None        # the plan: title, preamble, numbered sections
    attachments: list[AttachmentText] = []  # attachments (附件), in order



class Loosening(Sourced):
    """A child policy's explicit, cited exception to its parent: ``parameter`` (a path as ``policy check`` prints
    it, e.g. ``consent.threshold`` or ``milestones[all_started].date``) may be looser than the parent's because the
    child's own text says so (``clause`` and ``quote`` of the child's text)."""

    # the parameter loosened, as policy check prints its path (consent.threshold, milestones[all_started].date)
    parameter: str


class Grant(Sourced):
    """A parent's leave for the levels below to loosen one of its rules: without it no exception of a lower
    policy is valid (P222). ``parameter`` as policy check prints it; a section or record covers what is in it
    (``consent`` covers consent.threshold, ``milestones[all_started]`` its date and share). ``clause`` and
    ``quote`` are this policy's own words allowing it (各地可结合实际适当调整…)."""

    # the parameter the levels below may loosen, as policy check prints it (consent.threshold, milestones[all_started])
    parameter: str


Level = Literal["province", "city", "county"]


class Policy(Strict):
    """One version of one city's renovation policy."""

    id: str                                # city/year in pinyin, e.g. xuchang/2023 (a draft: xuchang/2024-draft)
    version: str                           # semantic version of this encoding
    # issued 已印发 (then registered in policies/issued.lock and never edited) | draft | sample 示例
    status: Literal["issued", "draft", "sample"]
    # optional and descriptive only: what a document shows follows what the policy has (``provisions``),
    # never this word; "targets" for a target table, "full" for a notice with its plan
    kind: Optional[Literal["full", "targets"]] = Field(default=None, json_schema_extra=HASH_IF_SET)
    title: str                             # short human title
    supersedes: Optional[str] = None       # id@version this one replaces (amendment or next year)
    label: Optional[str] = None            # e.g. 示例草案, printed on every document of a draft
    sources: list[str] = []                # where the values come from (publication, reprint ...)
    # the policy of the level above (an id such as henan/2022, or a path): what this one does not restate is
    # inherited from it (merge rule in docs/policy.md); it may tighten, loosen only by a cited exception
    parent: Optional[str] = Field(default=None, json_schema_extra=HASH_IF_SET)
    # province | city | county; default from the name of document.city (…省 province, …县/区/旗 county, else city)
    level: Optional[Level] = Field(default=None, json_schema_extra=HASH_IF_SET)
    # false: the source lists only some of the units below (a province naming some cities): not summed, said
    counties_complete: Optional[bool] = Field(default=None, json_schema_extra=HASH_IF_SET)
    # loosenings of the parent's rules this policy's own text makes, each cited (Loosening)
    exceptions: list[Loosening] = Field(default=[], json_schema_extra=HASH_IF_SET)
    # what this policy's own text lets the levels below loosen, each cited (Grant); an exception needs one
    grants: list[Grant] = Field(default=[], json_schema_extra=HASH_IF_SET)
    document: Document                     # who issued it, for which unit and year
    city_target: Optional[Target] = None   # the unit's whole target (全市/全省/全县), as published
    # further targets of the whole unit that count another stage (完成 besides 新开工), each with its stage; not summed
    other_targets: Optional[list[Target]] = Field(default=None, json_schema_extra={
        **HASH_IF_SET, "label": ["其他口径的目标", "other targets", None]})
    # figures the source reports (done, under way) as distinct from targets: never summed or judged (Reported)
    reported: Optional[list[Reported]] = Field(default=None, json_schema_extra={
        **HASH_IF_SET, "label": ["报告数（非目标）", "reported figures", None]})
    # published figures that disagree (a total and its breakdown), kept as published and named (Disagreement)
    disagreements: Optional[list[Disagreement]] = Field(default=None, json_schema_extra={
        **HASH_IF_SET, "label": ["原文不一致", "disagreements", None]})
    counties: list[County]  # the units one level down (a city's 县市区, a province's cities), each named once
    # how the source names the units one level down (青岛: 区市; a 区's plan: 街道), cited; absent: by the level
    # (县（市、区） under a city, 市 under a province; generator/policy/wording.py)
    lower_unit: Optional[Param] = Field(default=None, json_schema_extra={
        **HASH_IF_SET, **labelled("下级单位称谓", "word for the units below")})
    # 项目 = 小区, declared once and cited: a target the source states in 小区 is checked as a count of projects
    project_is_community: Optional[Flag] = Field(default=None, json_schema_extra={
        **HASH_IF_SET, **labelled("项目即小区", "a project is one community")})
    milestones: list[Milestone] = []       # phase milestones by date (开工, 完成70%, 全部完工)
    deadlines: list[Deadline] = []         # deadlines for documents and reports
    consent: Optional[Consent] = None      # residents' consent required before work starts
    # 改造范围: the years of construction a project may have (2000年底前建成, and a 2001–2005 band)
    eligibility: Optional[Eligibility] = Field(default=None, json_schema_extra={**HASH_IF_SET,
                                                                               **labelled("改造范围", "eligibility")})
    plan_contents: Optional[PlanContents] = None  # what each county's 实施方案 must state
    project_fields: Optional[ProjectFields] = None  # what each project must state (content, responsibilities)
    priority_works: Optional[PriorityWorks] = None  # what is renovated first (应改尽改: pipelines with safety risks ...)
    start_criteria: Optional[StartCriteria] = None  # the criteria a project must meet to count as started (开工认定标准)
    inspections: Optional[Inspections] = None  # mid-year and year-end inspections and the ranking of counties
    liaison_points: Optional[LiaisonPoints] = None  # 联系点: which projects, what to report, by when
    funding: Optional[Funding] = None      # funding channels (each a workbook column in 万元)
    reporting: Optional[Reporting] = None  # reporting duties (信息报送)
    text: Optional[TextModel] = None       # clause text (text.yaml)

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if "/" not in v or v.startswith("/") or ".." in v:
            raise ValueError("编号应为 城市/年度（小写拼音/四位年份），如 xuchang/2023")
        return v

    # -- lookups used by validators, renderers and the diff -------------------------------
    def county(self, name: str) -> County | None:
        return next((c for c in self.counties if c.name == name), None)

    def milestone(self, mid: str) -> Milestone | None:
        return next((m for m in self.milestones if m.id == mid), None)

    def deadline(self, did: str) -> Deadline | None:
        return next((d for d in self.deadlines if d.id == did), None)

    @property
    def provisions(self) -> list[str]:
        """The optional provisions this policy states (consent, liaison_points, start_criteria ...), in schema order:
        every consumer shows or checks a provision only when it is here."""
        skip = {"document", "counties", "text", "exceptions", "grants"}
        return [n for n in type(self).model_fields if n not in skip and _holds_records(getattr(self, n))]

    @property
    def has_start_criteria(self) -> bool:
        """开工认定标准 stated with at least one criterion: checklists, 开工认定 tables and the plan's
        start sentence exist only then (one test for every consumer)."""
        return self.start_criteria is not None and bool(self.start_criteria.items)

    @property
    def derived_kind(self) -> str:
        """full: the policy carries its notice text (a 文号 and 成文日期 then belong to it); targets otherwise."""
        return "full" if self.text is not None and self.text.notice is not None else "targets"

    @property
    def counties_with_target(self) -> list[County]:
        return [c for c in self.counties if c.target is not None]

    @property
    def year(self) -> int:
        return int(self.document.plan_year.value)

    @property
    def unit_level(self) -> str:
        """province, city or county: as declared, else from the unit's name."""
        from generator.policy.wording import level_of
        return self.level or level_of(str(self.document.city.value))

    @property
    def year_end(self) -> dt.date:
        return dt.date(self.year, 12, 31)


def _holds_records(v) -> bool:
    return isinstance(v, BaseModel) or (isinstance(v, list) and bool(v) and isinstance(v[0], BaseModel))


def content_data(model: BaseModel) -> dict:
    """The JSON form of a model for its content hash: fields marked HASH_IF_SET count only when set."""
    return _prune(model, model.model_dump(mode="json"))


def _prune(m, d):
    if isinstance(m, BaseModel) and isinstance(d, dict):
        for name, f in type(m).model_fields.items():
            if (f.json_schema_extra or {}).get("hash_if_set") and name not in m.model_fields_set:
                d.pop(name, None)
            elif name in d:
                _prune(getattr(m, name), d[name])
    elif isinstance(m, (list, tuple)) and isinstance(d, list):
        for x, y in zip(m, d):
            _prune(x, y)
    elif isinstance(m, dict) and isinstance(d, dict):
        for k, v in m.items():
            if k in d:
                _prune(v, d[k])
    return d
