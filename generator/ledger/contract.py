"""The county workbook contract (docs/ledger.md), derived from the policy.

Sheet names and the fixed structural headers (项目编号, 户数, 计划开工日期 ...) are the contract
itself; everything a policy decides comes from the policy: the 基本信息 keys of 三（一）
(``plan_contents``), the per-project columns (``project_fields``), one money column per funding
channel (``funding.channels``), one column per start-of-work criterion (``start_criteria``) and
the 联系点 report contents (``liaison_points.report_contents``). Change the policy and the template,
the reader and the validator follow.

Every column has a value kind (how ``values.parse`` reads it) and, where one applies, the clause
of the policy it serves.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:       # annotations only: the workbook reader imports this module before the policy model
    from generator.policy.model import Policy, StartCriterion

SHEET_INFO = "基本信息"
SHEET_PROJECTS = "项目清单"
SHEET_LIAISON = "联系点"
SHEET_GUIDE = "填表说明"            # written by the template, never read
SHEETS = (SHEET_INFO, SHEET_PROJECTS, SHEET_LIAISON)

INFO_KEY_HEADER = "项目"            # 基本信息 is a two-column table: 项目 | 内容
INFO_VALUE_HEADER = "内容"

# Value kinds understood by generator.ledger.values.parse
# a year built before this is read as a typing error (V002), not as a very old building: no policy sets it
EARLIEST_BUILT_YEAR = 1900
KINDS = ("int", "money", "area", "percent", "date", "yesno", "phone", "text", "textlist", "criterion")

# Structural column names (the contract of docs/ledger.md, not policy values).
COUNTY = "县（市、区）"
PROJECT_ID = "项目编号"
COMMUNITY = "小区名称"
BUILDINGS = "楼栋数"
HOUSEHOLDS = "户数"
AREA = "建筑面积"                   # its column reads 建筑面积（万㎡） or 建筑面积（㎡）: the policy's unit (area_column)
COST = "资金概算（万元）"
CONSENT = "居民同意率"
PROPERTY_MODEL = "物业管理模式"
PLANNED_START = "计划开工日期"
PLANNED_END = "计划完工日期"
IS_LIAISON = "是否联系点"
ADDRESS = "地址"
BUILT_YEAR = "建成年份"
ACTUAL_START = "实际开工日期"
ACTUAL_END = "实际完工日期"
REMARKS = "备注"
PHONE = "联系电话"
SUBMITTED = "报送日期"
LEAD_UNIT = "牵头单位"
CONTACT = "联系人"
WORKS = "改造内容"

# Kinds of the columns that project_fields may name (anything else is text).
_FIELD_KINDS = {WORKS: "textlist", COST: "money", PHONE: "phone"}


@dataclass(frozen=True)
class Column:
    name: str                     # canonical header text
    kind: str                     # one of KINDS
    required: bool = True
    clause: str | None = None     # policy clause id it serves (lp.text.display(clause) to cite)
    meaning: str = ""             # what to write (Chinese), for 填表说明 and docs
    group: str = ""               # funding | criterion | responsibility | content | ""
    key: str | int | None = None  # funding channel key or criterion id
    blank_is_zero: bool = False   # funding channels: the header is required, a blank cell counts as 0
    # whole-number columns ("int"): the least and greatest value that is not a typing error. A count may be 0
    # (0 elevators added) unless the column says otherwise; no hidden "at least 1" for every whole number.
    minimum: int | None = None
    maximum: int | None = None

    @property
    def least(self) -> int:
        return 0 if self.minimum is None else self.minimum

    @property
    def value_required(self) -> bool:
        """Must every row have a value here? (required header and a blank is not a value)"""
        return self.required and not self.blank_is_zero


@dataclass
class Contract:
    info: list[Column]                          # 基本信息 keys
    projects: list[Column]                      # 项目清单 columns, required first (in ledger.md order)
    liaison: list[Column]                       # 联系点 columns
    funding_columns: list[str] = field(default_factory=list)
    criterion_columns: dict[int, str] = field(default_factory=dict)
    counties: list[str] = field(default_factory=list)      # the policy's county names, for resolve_county

    @property
    def sheets(self) -> tuple[str, ...]:
        """The sheets a workbook of this policy has: 联系点 only when the policy has liaison points."""
        return SHEETS if self.liaison else (SHEET_INFO, SHEET_PROJECTS)

    @property
    def projects_sheet(self) -> str:
        """The sheet of one row per project (项目清单; a 月报's 项目进度: ledger/monthly.py)."""
        return SHEET_PROJECTS

    def columns(self, sheet: str) -> list[Column]:
        return {SHEET_INFO: self.info, SHEET_PROJECTS: self.projects, SHEET_LIAISON: self.liaison}[sheet]

    def required(self, sheet: str) -> list[Column]:
        return [c for c in self.columns(sheet) if c.required]

    def column(self, sheet: str, name: str) -> Column | None:
        return next((c for c in self.columns(sheet) if c.name == name), None)

    def lookup(self, sheet: str) -> dict[str, Column]:
        """normalised header text -> column, for tolerant header matching."""
        return {normalize_header(c.name): c for c in self.columns(sheet)}


def eligibility_text(e) -> str:
    """改造范围 as a rule: "2000年底前建成，2001年至2005年建成的可适当纳入"."""
    band = f"，{e.built_by + 1}年至{e.band_to}年建成的{e.band_rule or '可纳入'}" if e.band_to else ""
    return f"{e.built_by}年底前建成{band}"


def built_year_meaning(p: Policy) -> str:
    return f"建成年份；改造范围：{eligibility_text(p.eligibility)}" if p.eligibility else "建成年份"


def criterion_column(criterion: StartCriterion) -> str:
    """THE name of a start-of-work criterion's column (template, reader, validator, checklists)."""
    return f"开工条件{criterion.id}：{criterion.label}"


def funding_column(channel_name: str) -> str:
    """A funding channel's money column: 中央补助资金 -> 中央补助资金（万元）."""
    return f"{channel_name}（万元）"


_BRACKETS = str.maketrans({"[": "(", "]": ")", "【": "(", "】": ")", "〔": "(", "〕": ")"})
_SPACE = re.compile(r"\s+")


def normalize_header(text) -> str:
    """Header text as compared: NFKC (full-width brackets, digits, colon -> half-width), no spaces,
    no newlines, square brackets as parentheses, a trailing required-marker * dropped."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text)).translate(_BRACKETS)
    s = _SPACE.sub("", s)
    return s.rstrip("*")


# Traditional forms of characters found in county and district names (Taiwan/Hong Kong input methods, old
# stamps): enough for the names a policy lists, not a converter. Extend it when a policy adds a name.
_TRAD = str.maketrans("區縣鄉鎮長東陽開發經濟術範漢濱灣嶺峽門關廣寧鄭陳楊劉豐興雲龍衛馬",
                      "区县乡镇长东阳开发经济术范汉滨湾岭峡门关广宁郑陈杨刘丰兴云龙卫马")
COUNTY_SUFFIXES = "县市区"


def county_key(name) -> str:
    """A county name as compared: NFKC (full-width letters and spaces), no whitespace anywhere,
    traditional characters as simplified (魏都區 -> 魏都区)."""
    if name is None:
        return ""
    return "".join(unicodedata.normalize("NFKC", str(name)).split()).translate(_TRAD)


def resolve_county(name, counties: list[str]) -> str | None:
    """THE rule for a county name as a county typed it (docs/ledger.md, "County names"): the policy's
    name whose ``county_key`` equals the typed one's; else, without its suffix (魏都 for 魏都区), the one
    policy county that is the typed name plus 县/市/区 — only when exactly one is. Otherwise None: the
    name is not the policy's, and the validator says so (V101); nothing is guessed or dropped."""
    key = county_key(name)
    if not key:
        return None
    exact = [c for c in counties if county_key(c) == key]
    if len(exact) == 1:
        return exact[0]
    bare = [c for c in counties if (k := county_key(c))[:-1] == key and k[-1] in COUNTY_SUFFIXES]
    return bare[0] if len(bare) == 1 else None


def area_unit(policy) -> str | None:
    """The unit the policy states its area targets in (万㎡ or ㎡; the whole's first, then a county's), or None
    when no target states an area: the workbook then asks for none."""
    p: Policy = getattr(policy, "policy", policy)
    targets = ([p.city_target] if p.city_target is not None else []) + [c.target for c in p.counties if c.target]
    # getattr: the register's recorded facts (register/facts.py) stand in for a policy and carry no area
    return next((t.unit("area") for t in targets if getattr(t, "area", None) is not None), None)


def area_column(policy) -> str | None:
    """建筑面积（万㎡）: the header of the area column, in the policy's unit; None when the policy states no area."""
    unit = area_unit(policy)
    return f"{AREA}（{unit}）" if unit else None


def build_contract(policy) -> Contract:
    """The contract of ``policy`` (a Policy or a LoadedPolicy)."""
    p: Policy = getattr(policy, "policy", policy)
    target_clause = next((c.target.clause for c in p.counties if c.target), None)
    start = p.milestone("all_started")
    done = p.milestone("all_completed")
    plan_deadline = p.deadline("county_plan")
    consent_clause = p.consent.clause if p.consent else None
    fields_clause = p.project_fields.clause if p.project_fields else None
    funding_clause = p.funding.clause if p.funding else None
    liaison_clause = p.liaison_points.clause if p.liaison_points else None
    reporting_clause = p.reporting.clause if p.reporting else None
    from generator.policy import wording      # here: the workbook reader imports this module before any policy
    # the unit one level down as the policy's level names it: 县（市、区） under a city, 市 under a province
    unit, scope = wording.lower_unit(p), wording.policy_scope(p)

    info = [
        Column(COUNTY, "text", clause=target_clause, meaning=f"本{unit}名称，须为政策列明的{unit}"),
        Column(SUBMITTED, "date", clause=plan_deadline.clause if plan_deadline else None,
               meaning="年度实施方案报送日期"),
        Column(LEAD_UNIT, "text", meaning="牵头单位"),
        Column(CONTACT, "text", clause=reporting_clause, meaning="信息报送联系人（专人专责）"),
        Column(PHONE, "phone", clause=reporting_clause, meaning="联系人电话（座机带区号或11位手机号）"),
    ]
    if p.plan_contents:
        for item in p.plan_contents.items:
            info.append(Column(item.key, "text", clause=p.plan_contents.clause, meaning=f"实施方案须{item.phrase}"))
    info.append(Column(REMARKS, "text", required=False, meaning="备注"))

    funding_cols = [funding_column(ch.name) for ch in (p.funding.channels if p.funding else [])]
    projects = [
        Column(PROJECT_ID, "text", clause=fields_clause, meaning=f"项目编号，本{unit}内唯一"),
        Column(COMMUNITY, "text", clause=fields_clause, meaning="小区名称"),
        Column(BUILDINGS, "int", clause=fields_clause, meaning="楼栋数，整数且不小于1", minimum=1),
        Column(HOUSEHOLDS, "int", clause=target_clause, meaning="涉及居民户数，整数且不小于1；合计应等于目标户数", minimum=1),
    ]
    area = area_column(p)
    if area is not None:              # only a policy that states an area target asks for it (牡丹江 2022: 95.85万㎡)
        area_clause = next((c.target.clause for c in p.counties if c.target and c.target.area is not None),
                           p.city_target.clause if p.city_target is not None else None)
        projects.append(Column(area, "area", clause=area_clause, meaning=f"改造建筑面积（{area_unit(p)}）；合计应等于目标面积"))
    for pf in (p.project_fields.items if p.project_fields else []):
        if not pf.columns and funding_cols:          # 资金来源: one column per funding channel
            assert p.funding is not None              # funding_cols are made from its channels
            for ch, name in zip(p.funding.channels, funding_cols):
                projects.append(Column(name, "money", clause=funding_clause, group="funding", key=ch.key, blank_is_zero=True,
                                       meaning=f"资金来源：{ch.name}（万元，空白按0计）"))
        for name in pf.columns:
            projects.append(Column(name, _FIELD_KINDS.get(name, "text"), clause=fields_clause, group=pf.group,
                                   meaning=pf.name if (len(pf.columns) == 1 or pf.name == name) else pf.name + name))
    # a provision's columns only when the policy has it: a plan without a consent rule asks for no 同意率
    if p.consent is not None:
        projects += [
            Column(CONSENT, "percent", clause=consent_clause,
                   meaning=f"居民对{'和'.join(p.consent.subjects) or '改造方案'}的同意率"),
            Column(PROPERTY_MODEL, "text", clause=consent_clause, meaning="物业管理模式"),
        ]
    projects += [
        Column(PLANNED_START, "date", clause=start.clause if start else None, meaning="计划开工日期"),
        Column(PLANNED_END, "date", clause=done.clause if done else None, meaning="计划完工日期"),
    ]
    if p.liaison_points is not None:
        projects.append(Column(IS_LIAISON, "yesno", clause=liaison_clause, meaning=f"是否为本{unit}联系点（是/否）"))
    projects += [
        # optional
        Column(COUNTY, "text", required=False, clause=target_clause, meaning=f"{unit}（{scope}汇总表用）"),
        Column(ADDRESS, "text", required=False, meaning="小区地址"),
        Column(BUILT_YEAR, "int", required=p.eligibility is not None, meaning=built_year_meaning(p),
               clause=p.eligibility.clause if p.eligibility else None, minimum=EARLIEST_BUILT_YEAR, maximum=p.year),
        Column(ACTUAL_START, "date", required=False, clause=start.clause if start else None,
               meaning="实际开工日期（进度统计用）"),
        Column(ACTUAL_END, "date", required=False, clause=done.clause if done else None,
               meaning="实际完工日期（进度统计用）"),
    ]
    crit_cols: dict[int, str] = {}
    for c in (p.start_criteria.items if p.start_criteria else []):
        crit_cols[c.id] = criterion_column(c)
        projects.append(Column(crit_cols[c.id], "criterion", required=False, clause=c.clause, group="criterion",
                               key=c.id, meaning="开工认定标准：是/否，或达到该条件的日期"))
    projects.append(Column(REMARKS, "text", required=False, meaning="备注"))

    liaison: list[Column] = []
    if p.liaison_points is not None:
        liaison = [
            Column(PROJECT_ID, "text", clause=liaison_clause, meaning="项目编号，须为项目清单中标为联系点的项目"),
            Column(COMMUNITY, "text", clause=liaison_clause, meaning="小区名称"),
        ]
        for content in p.liaison_points.report_contents:
            liaison.append(Column(content, "text", clause=liaison_clause, meaning=content))
        report_deadline = p.deadline(p.liaison_points.report_deadline)
        liaison.append(Column(SUBMITTED, "date", clause=report_deadline.clause if report_deadline else liaison_clause,
                              meaning="联系点情况报送日期"))
    return Contract(info, projects, liaison, funding_cols, crit_cols, [c.name for c in p.counties])
