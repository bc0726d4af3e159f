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


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Erratum(Strict):
    """An evident error of the printed source: the printed value stays, the correction is recorded."""

    field: str = "value"                 # which field of the record is wrong as printed
    corrected: Any
    note: str                            # why the correction is evident (Chinese)
    note_en: str = ""


class Sourced(Strict):
    """Provenance carried by every parameter record."""

    clause: str                          # clause id, see text.yaml (二, 三（一）, 附件.4, 版头 ...)
    quote: Optional[str] = None          # the words of the clause the value was read from
    note: Optional[str] = None
    erratum: Optional[Erratum] = None


class Param(Sourced):
    """A single value with its provenance (OpenFisca-style parameter)."""

    value: Any
    unit: Optional[str] = None           # 个, 户, share (0-1), date, 万元 ...


class DocRef(Strict):
    issuer: str
    title: str
    number: str


class ParentDocs(Sourced):
    value: list[DocRef]


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
HASH_IF_SET = {"hash_if_set": True}

# quantity -> (units it may be published in, with their size in the base unit); the first is the default
QUANTITY_UNITS: dict[str, dict[str, int]] = {
    "projects": {"个": 1},
    "communities": {"个": 1},
    "households": {"户": 1, "万户": 10000},
    "buildings": {"栋": 1},
    "area": {"万㎡": 10000, "㎡": 1},
}
QUANTITY_LABELS = {"projects": "项目数", "communities": "小区数", "households": "户数", "buildings": "楼栋数",
                   "area": "建筑面积"}
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
            return max(0, -Decimal(repr(v)).as_tuple().exponent)     # 1e-05 too, not only 67.13
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
    value: int


class County(Strict):
    """A county-level unit (县、市、区) of the city; it is named once, here."""

    name: str
    target: Optional[Target] = None          # absent: a unit without a target this year
    liaison_quota: Optional[Quota] = None    # 联系点 number
    renamed_from: Optional[str] = None       # lets a diff show a rename instead of remove + add


class Milestone(Sourced):
    """A phase milestone: by ``date``, ``share`` of the plan's ``basis`` must be ``measure``."""

    id: str
    label: str
    date: dt.date
    precision: Literal["day", "month_end"] = "day"   # "6月底前" is printed as a month end
    measure: Literal["started", "completed"]
    basis: Literal["projects", "households"]
    share: float


class Deadline(Sourced):
    id: str
    label: str
    date: dt.date
    precision: Literal["day", "month_end"] = "day"
    who: Optional[str] = None


class Consent(Sourced):
    threshold: float                      # share of residents, 0-1
    inclusive: bool = True                # "80%以上" includes 80 %
    subjects: list[str]                   # what they consent to (改造方案, 物业管理模式)


class PlanContentItem(Strict):
    key: str                              # field/key name in the county workbook (基本信息)
    phrase: str                           # the words of the clause (明确目标任务)


class PlanContents(Sourced):
    items: list[PlanContentItem]


class ProjectField(Strict):
    name: str                             # as the clause says it
    group: Literal["content", "responsibility"]
    columns: list[str] = []               # workbook columns that carry it (empty: derived, e.g. 资金来源)


class ProjectFields(Sourced):
    items: list[ProjectField]


class PriorityWorks(Sourced):
    principle: str                        # 应改尽改
    pipelines: list[str]                  # 电力、供水 ... 老旧管线 with safety risks
    others: list[str]


class StartCriterion(Sourced):
    id: int
    label: str                            # short label for columns and forms
    text: str                             # the criterion as printed (may reference parameters)


class StartCriteria(Strict):
    title: str
    clause: str = "附件"
    items: list[StartCriterion]


class InspectionRound(Strict):
    id: str                               # mid-year | year-end
    name: str                             # 年中 | 年终
    month: int = Field(ge=1, le=12)


class Inspections(Sourced):
    rounds: list[InspectionRound]
    basis: str                            # 自查自评
    method: str                           # the assessment rules named by the source
    weights: Optional[dict[str, float]] = None   # by round id; the 2023 source gives none
    excellent_count: Quota
    guidance_units: list[str] = []


class LiaisonPoints(Sourced):
    criteria: list[str]
    report_contents: list[str]
    report_deadline: str                  # id of a deadline


class FundingChannel(Strict):
    key: str
    name: str                             # also the workbook column (name + （万元）)
    quote: str


class Funding(Sourced):
    unit: str = "万元"
    channels: list[FundingChannel]


class Duty(Strict):
    key: str
    text: str
    quote: str


class Reporting(Sourced):
    duties: list[Duty]


# -- clause text (text.yaml) -----------------------------------------------------------------
class NoticeText(Strict):
    banner: str
    doc_number: str
    title: str
    addressee: str
    body: list[str]
    signature: str
    date: str


class SubClauseText(Strict):
    id: str
    number: str                          # （一）
    heading: str                         # run-in heading, ends with 。
    text: str
    erratum: Optional[Erratum] = None


class SectionText(Strict):
    id: str
    number: str                          # 一
    heading: str
    paragraphs: list[str] = []
    clauses: list[SubClauseText] = []
    erratum: Optional[Erratum] = None


class PlanText(Strict):
    title: str
    preamble: list[str] = []
    sections: list[SectionText]
    attachment_note: Optional[str] = None


class AttachmentText(Strict):
    id: str
    label: str                           # 附件 / 附件1
    title: str
    items_from: Optional[Literal["start_criteria"]] = None   # numbered items from a parameter list
    paragraphs: list[str] = []


class TextModel(Strict):
    plan_title: str
    notice: Optional[NoticeText] = None
    plan: Optional[PlanText] = None
    attachments: list[AttachmentText] = []



class Loosening(Sourced):
    """A child policy's explicit, cited exception to its parent: ``parameter`` (a path as ``policy check`` prints
    it, e.g. ``consent.threshold`` or ``milestones[all_started].date``) may be looser than the parent's because the
    child's own text says so (``clause`` and ``quote`` of the child's text)."""

    parameter: str


Level = Literal["province", "city", "county"]


class Policy(Strict):
    """One version of one city's renovation policy."""

    id: str                                # xuchang/2023
    version: str                           # semantic version of this encoding
    status: Literal["issued", "draft", "sample"]
    kind: Literal["full", "targets"] = "full"   # "targets": only a target table (e.g. another city's published targets)
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
    exceptions: list[Loosening] = Field(default=[], json_schema_extra=HASH_IF_SET)
    document: Document
    city_target: Optional[Target] = None
    counties: list[County]
    milestones: list[Milestone] = []
    deadlines: list[Deadline] = []
    consent: Optional[Consent] = None
    plan_contents: Optional[PlanContents] = None
    project_fields: Optional[ProjectFields] = None
    priority_works: Optional[PriorityWorks] = None
    start_criteria: Optional[StartCriteria] = None
    inspections: Optional[Inspections] = None
    liaison_points: Optional[LiaisonPoints] = None
    funding: Optional[Funding] = None
    reporting: Optional[Reporting] = None
    text: Optional[TextModel] = None       # clause text (text.yaml)

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if "/" not in v or v.startswith("/") or ".." in v:
            raise ValueError("id must look like city/year, e.g. xuchang/2023")
        return v

    # -- lookups used by validators, renderers and the diff -------------------------------
    def county(self, name: str) -> County | None:
        return next((c for c in self.counties if c.name == name), None)

    def milestone(self, mid: str) -> Milestone | None:
        return next((m for m in self.milestones if m.id == mid), None)

    def deadline(self, did: str) -> Deadline | None:
        return next((d for d in self.deadlines if d.id == did), None)

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
