"""Readable rules: what each parameter looks like in a published plan or report.

Every rule is a regular expression or a word list below, applied to one clause's text at a time; what it reads is a
``Found`` carrying the exact words (``quote``) and the clause they are in. What a rule sees but cannot settle
(片区 instead of 小区, a share without 按户数/按项目, a fraction, 万个) becomes a ``Question`` with its words, never a
guessed value. Figures in a sentence that reports progress (截至…, 累计, 超额完成…) are kept apart as ``reported``,
unless the figure itself is marked as the target (任务为…, 省定…的目标任务).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from generator.policy.draft.segment import DATE_LINE, DOC_NUMBER, Part, Segmented

# -- word lists ----------------------------------------------------------------------------------------------------
# the end of a unit's name, and the level it gives (…省 province; …市/州/盟 city; …县/区/旗 county)
UNIT_SUFFIX = r"(?:特别行政区|自治区|自治州|自治县|经济技术开发区|高新技术产业开发区|开发区|示范区|高新区|新区|市区|省|市|州|盟|县|区|旗)"
LEVEL_BY_SUFFIX = [("自治区", "province"), ("省", "province"), ("自治州", "city"), ("市区", "city"), ("市", "city"),
                   ("州", "city"), ("盟", "city"), ("县", "county"), ("区", "county"), ("旗", "county")]
# words before a unit's name that are not part of it
LEAD_WORDS = ("其中", "今年", "以", "明年", "日前", "近日", "据悉", "记者从", "从", "在", "据", "对", "由", "全", "另外", "此外",
              "以及", "和", "及", "、")
NOT_UNITS = ("我省", "我市", "我区", "我县", "全省", "全市", "全区", "全县", "本市", "本省", "各市", "各区", "各县", "城区",
             "省辖市", "地级市", "县级市", "设区市", "直辖市", "小区", "片区", "社区", "园区", "街区", "住宅区", "中心城区", "主城区", "老城区", "辖区", "地区", "市区内")
# words that look like a name with a unit's suffix but name no unit (城市更新 is not a city called 城)
NOT_NAMES = ("城市", "省市", "县市", "市县", "区县", "县区", "市区", "城区", "该市", "该县", "该区", "该省", "两区", "三区")
# provinces named without 省/自治区 in reports (河北积极开展…): the short name and the full one
PROVINCES = {x[:2] if not x.startswith(("黑龙江", "内蒙古")) else x[:3]: x for x in (
    "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省",
    "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省",
    "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区")}
# the level a text says of itself without its name (该省城镇老旧小区…, 全县): to confirm a name read from the body
SELF_LEVEL = {"province": r"[全我该本]省", "city": r"[全我该本]市", "county": r"[全我该本](?:县|区|旗)"}
# a page's 公开目录 lines (government sites print them above the text): who published it, its number
META_ISSUER = re.compile(r"发布机构[:：]?([\u4e00-\u9fff]{2,30}?(?:局|厅|委|委员会|办公室|办公厅|政府办|人民政府|政府))")
META_NUMBER = re.compile(r"^(?:文件编号|发文字号|文号)[:：]?")
# words that are never part of a place name (超额完成省定… is not a unit called 超额完成省)
VERB_WORDS = re.compile(r"完成|超额|改造|涉及|实施|开工|新增|计划|任务|目标|惠及|共有|全部|推进|纳入|确定|要求|投资|预计|"
                        r"安排|建成|列入|抓住|累计|共计|项目|小区|居民|群众")
# words of an organ, never of a place's name (区住建委将会同区财政局…)
ORGAN_WORDS = re.compile(r"住建|住房|政府|财政|发展改革|[委局厅]")   # (公安县 is a county: not 公安)
# the day a page was published (发布日期:2023-01-11, 日期:2022-01-27, 2022-04-20 21:49:42 来源): figures of an
# earlier year in it are results, not targets
PUBLISHED = re.compile(r"(?:发布日期|发布时间|日期|生成日期)?[:：]?\s*((?:19|20)\d\d)[-/年.](\d{1,2})[-/月.](\d{1,2})")
YEAR_OF = re.compile(r"((?:19|20)\d\d)年(?!底?(?:以前|之前|前)建成|底前建成)")
# organs that issue plans (after the unit's name, or with 省/市/县 alone: 省住建厅)
ORGANS = (r"(?:住房和城乡建设厅|住房和城乡建设局|住房城乡建设厅|住房城乡建设局|住房和城乡建设委员会|住房城乡建设委员会|"
          r"住房城乡建设委|住房和城乡建设委|住建厅|住建局|住建委|城乡建设局|建委|人民政府办公厅|"
          r"人民政府办公室|政府办公厅|政府办公室|人民政府|政府|[\u4e00-\u9fff]{2,20}?(?:指挥部办公室|领导小组办公室|办公室))")
# a sentence that reports what was done rather than what is to be done
REPORTED_CUES = re.compile(r"截至|截止|累计|[一二三四五六七八九十两\d]+年来|已完成|已开工|已改造|已完工|已经完成|已经开工|均已|已全部开工|已全部完工|正式开工|共完成|超额完成|完成年度目标任务的|圆满完成|以来|"
                           r"在建项目|竣工项目|开工率|焕新颜|实际完成|分别完成|目前|同比")
# a figure marked as the target even inside a report
TARGET_CUES = re.compile(r"任务为|目标为|目标任务|省定|市定|下达|计划改造|计划(?!投资)|任务是|将(?:投资|改造|实施)?|拟")
# figures of other things that sit next to renovation figures (养老设施的平方米, 停车位, 棚改套数, 投资)
OTHER_THINGS = re.compile(r"养老|托育|停车|充电|棚改|安置|电梯|人口|投资|资金|亿元|万元|服务设施|绿化|道路|管网|公里|米(?!²)")

NUMBER = r"(\d+(?:\.\d+)?)"
QNUM = r"(?<![\d.])(\d+(?:\.\d+)?)"        # a figure of a quantity: not the tail of a number whose digits were lost
APPROX = r"(?:余|多)?"                       # 770余栋, 33000余户, 76万余平方米: 余/多 between the figure and its unit
# a year that is a plan's year, not a year of construction (2000年以前建成, 2000年底前建成)
PLAN_YEAR = re.compile(r"(?<![自从\d\-—–~])((?:19|20)\d\d)年(?!底?(?:以前|之前|前)建成|底前建成|[^，,。；;]{0,12}以来)")
QUANTITIES: list[tuple[str, re.Pattern[str], int | tuple[int, ...], int | None]] = [
    # (quantity, pattern, group of the number, group of 万): a pattern is read at one place of a clause
    ("households", re.compile(QNUM + r"\s*" + APPROX + r"(万)?" + APPROX + r"户(?![籍型外口])"), 1, 2),
    # 楼栋数20712个: the count of buildings written with 个
    ("buildings", re.compile(r"(?<![\d.])(\d+)\s*" + APPROX + r"(?:栋|幢)|楼栋数?(?:为|共)?(\d+)个"), (1, 2), None),
    ("area", re.compile(QNUM + r"\s*" + APPROX + r"(万)?" + APPROX + r"(?:平方米|㎡|平米|m²|m2)"), 1, 2),
    # 8个列入住建部试点的老旧小区: a short qualifier ending in 的 may stand between the count and 小区
    ("communities", re.compile(r"(?<![\d.])(\d+)\s*个(?:[^，,。；;\d个]{1,10}的)?(?:城镇)?(?:老旧)?(?:住宅)?小区|"
                               r"(?:老旧)?小区(?:共|共计|总计|为)?(?:不少于|不低于|至少|超过|约)?(\d+)个(?!片区|街区)"), (1, 2), None),
    ("projects", re.compile(r"(?<![\d.])(\d+)\s*个(?:改造)?项目|项目(?:不少于|不低于|至少|超过|约)?(\d+)个"), (1, 2), None),
]
BARE_COUNT = re.compile(r"^(\d+)个$")
SCOPE = re.compile(r"中心城区|主城区|市辖区|(?<![各全])城区(?!内)")   # a target for part of the unit                                       # 阜阳市区7个 (the noun said before)
DISTRICTS = re.compile(r"(\d+(?:\.\d+)?)\s*(万)?个(?:老旧)?(片区|街区)")
TEN_THOUSANDS_OF = re.compile(r"(\d+(?:\.\d+)?)万个(?:城镇)?(?:老旧)?(小区|项目)|(?:老旧)?(小区|项目)(\d+(?:\.\d+)?)万个")
MONEY = re.compile(r"([\u4e00-\u9fff]{2,14}?资金)(?:达到|为|共|约)?(\d+(?:\.\d+)?)(亿元|万元)")
MONEY_VERB = re.compile(r"^.*(?:争取到|争取|获得|筹集|拨付|落实|到位)")
# a count without its noun after a verb (新开工49个、…; 并已开工2041个): the noun is the 小区/项目 said before
BARE_AFTER_VERB = re.compile(r"(?:新开工|开工|改造|实施|完工|竣工|完成)(\d+)个(?![\u4e00-\u9fff])")
AT_LEAST = re.compile(r"(不少于|不低于|至少|力争|以上|超过)")

DATE = re.compile(r"(?:((?:19|20)\d\d)年)?(\d{1,2})月(?:(\d{1,2})日|(底|末))?(?:前|之前|以前)?|"
                  r"((?:19|20)\d\d)年(?:底|末)(?:前)?")
STARTED = re.compile(r"(?<!具备)开工(?!条件)")          # 12月底具备开工条件 is readiness, not the start
COMPLETED = re.compile(r"完工|竣工|完成改造|改造完成|基本完成|全部完成|完成")
DEADLINE_WORDS = re.compile(r"方案|报送|上报|报至|报市|名单|联系点|报告|制定|编制|申报|摸底|确定")
SHARE = re.compile(r"(\d+(?:\.\d+)?)%")
ALL = re.compile(r"全部|全面")
BASIS = re.compile(r"按(户数|项目数?|小区数?)|(户数|项目|小区)开工率")   # 项目开工率达到60%: by projects
CONSENT = re.compile(r"(\d+(?:\.\d+)?)%(以上|及以上)?的?(?:居民|业主|住户)(?:书面)?同意|"
                     r"(?:居民|业主)同意率(?:达到|不低于|在)?(\d+(?:\.\d+)?)%(以上)?")
CONSENT_FRACTION = re.compile(r"(三分之二|2/3|四分之三|3/4|过半数|半数)以上的?(?:居民|业主|住户)")
QUOTA = re.compile(r"((?:[\u4e00-\u9fff]{2,10}?" + UNIT_SUFFIX + r"、)*[\u4e00-\u9fff]{2,10}?" + UNIT_SUFFIX +
                   r")(?:各)?(?:要|需|应|须)?(?:确定|设立|选定|打造|建设)(\d+)个(?:城镇老旧小区改造)?(联系点|试点)")
FUNDING_ENUM = re.compile(r"通过(.{4,80}?)等(?:多种|多)?渠道")
FUNDING_SUBSIDY = re.compile(r"争取(?:\d{4}年度?)?((?:中央|省|市|县)[、和及]?(?:省|市|县)?(?:级)?(?:预算内)?(?:财政)?(?:补助|专项|奖补)资金)")
FUNDING_SOCIAL = re.compile(r"(社会(?:力量|资本)出资(?:参与)?)")
ELIGIBLE = re.compile(r"(\d{4})年(?:底)?(?:以前|之前|前)建成")
ELIGIBLE_BAND = re.compile(r"(\d{4})(?:年)?\s*(?:-|—|－|至|到)\s*(\d{4})年(?:底前)?建成")
START_CRITERIA_TITLE = re.compile(r"开工(?:认定)?标准")
ITEM_NUMBER = re.compile(r"^\s*(\d+)\s*[.、．]\s*")


@dataclass
class Found:
    key: str                  # where it goes: document.issuer, city_target.households, counties[东安区].area …
    value: Any                # as printed (37.86 with unit 万户; a date; a share 0.7)
    quote: str                # the exact words
    clause: str               # the clause id they are in
    unit: str | None = None   # 万户, ㎡ … when not the default
    comparator: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)   # milestone/deadline fields, consent subjects …
    note: str | None = None


@dataclass
class Question:
    key: str                  # what it is about
    text: str                 # the question, one line, Chinese
    quote: str | None = None  # the words that raised it
    clause: str | None = None
    value: Any = None         # what was read (partly), for the person


@dataclass
class Reading:
    found: list[Found] = field(default_factory=list)
    reported: list[Found] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)

    def get(self, key: str) -> Found | None:
        return next((f for f in self.found if f.key == key), None)

    def ask(self, key: str, text: str, quote: str | None = None, clause: str | None = None, value: Any = None) -> None:
        if not any(q.key == key and q.text == text for q in self.questions):
            self.questions.append(Question(key, text, quote, clause, value))


# -- helpers -------------------------------------------------------------------------------------------------------
def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) split after 。；！？ (a quote never runs across two sentences)."""
    out, start = [], 0
    for m in re.finditer(r"[。；;！？!?]", text):
        out.append((start, text[start:m.end()]))
        start = m.end()
    if start < len(text):
        out.append((start, text[start:]))
    return out


def commas(sentence: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for m in re.finditer(r"[，,：:]", sentence):
        out.append((start, sentence[start:m.start()]))
        start = m.end()
    out.append((start, sentence[start:]))
    return out


def unit_clauses(sentence: str) -> list[tuple[int, str]]:
    """Comma clauses, and within one a list of units (甲市改造300个、乙市改造900个) split at each 、 before a name."""
    out = []
    for off, c in commas(sentence):
        start = 0
        for m in re.finditer("、", c):
            if unit_name(c[m.end():]) and start < m.start() and re.search(r"\d", c[start:m.start()]):
                out.append((off + start, c[start:m.start()]))
                start = m.end()
        out.append((off + start, c[start:]))
    return out


def _strip_end(s: str) -> str:
    return s.rstrip("，,。；;：: ")


def unit_name(s: str) -> str | None:
    """The unit's name at the start of ``s`` (阜阳市区7个 → 阜阳市区, 其中，禹州市改造… → 禹州市), or None."""
    s = s.lstrip("，,、：: ")
    for w in LEAD_WORDS:
        if s.startswith(w) and len(s) > len(w) + 1:
            s = s[len(w):].lstrip("，,、：: ")
    m = re.match(r"([\u4e00-\u9fff]{1,10}?" + UNIT_SUFFIX + r")(?![\u4e00-\u9fff]{0,1}(?:小区|片区|社区))", s)
    if not m:
        return None
    name = m.group(1)
    rest = s[m.end():]
    # the shortest name is not always the name: 禹州|市, 阜阳市|区 (a 市区 of a city) — extend by a following suffix
    while rest[:1] in ("市", "区", "县", "旗") and not re.match(r"^.(?:小区|片区|社区|内)", rest) and \
            not (rest[:1] == "区" and name.endswith("区")):
        name, rest = name + rest[0], rest[1:]
    if any(name.endswith(x) or name == x for x in NOT_UNITS) or len(name) < 2 or name in NOT_NAMES:
        return None
    # 宁波市江北区人民政府办公室: a county-level name right after its city's is the unit (the city is its parent)
    below = re.match(r"([\u4e00-\u9fff]{1,4}?(?:自治县|区|县|旗))(?![\u4e00-\u9fff]{0,1}(?:小区|片区|社区))", rest)
    if name.endswith(("市", "州", "盟")) and below and not VERB_WORDS.search(below.group(1)) and \
            not re.match(r"人民|政府|住房|住建|城乡|市区", below.group(1)) and below.group(1) not in NOT_NAMES:
        name = below.group(1)
    if name[0] in "各全我本该其每" or VERB_WORDS.search(name) or "个" in name or ORGAN_WORDS.search(name):
        return None
    return name


def level_of_name(name: str) -> str | None:
    for suffix, level in LEVEL_BY_SUFFIX:
        if name.endswith(suffix):
            return level
    return None


def month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def parse_date(m: re.Match[str], year: int | None) -> tuple[dt.date | None, str]:
    """(date, precision) of a DATE match; None when its year is not known."""
    if m.group(5):
        return dt.date(int(m.group(5)), 12, 31), "month_end"
    y = int(m.group(1)) if m.group(1) else year
    if y is None:
        return None, "day"
    mon = int(m.group(2))
    if not 1 <= mon <= 12:
        return None, "day"
    if m.group(3):
        try:
            return dt.date(y, mon, int(m.group(3))), "day"
        except ValueError:
            return None, "day"
    return month_end(y, mon), "month_end"


def number(s: str) -> int | float:
    return float(s) if "." in s else int(s)


# -- the reader ----------------------------------------------------------------------------------------------------
class Reader:
    def __init__(self, seg: Segmented):
        self.seg = seg
        self.r = Reading()
        self.year: int | None = None
        self.unit: str | None = None          # the document's own unit (河南省, 许昌市)
        self.last_noun: str | None = None     # 小区 or 项目, said last in the clause (阜阳市区7个 counts it)
        self.header: dict[int, tuple[str, str | None, str]] | None = None   # column -> (quantity, unit, header words)
        self.prev_reported = False            # the sentence before reported progress (其中… continues it)
        self.published: int | None = None     # the year the page or notice is dated (发布日期, 成文日期)
        self.prev_end = ""

    def read(self) -> Reading:
        self.document()
        # a report's headline is read after its body: a figure it repeats is then known as reported or as a target
        order = [p for p in self.seg.parts if self.seg.notice or p.cid != "方案标题"] + \
            [p for p in self.seg.parts if not self.seg.notice and p.cid == "方案标题"]
        for whole in order:
            if whole.cid in ("版头", "发文字号", "标题", "主送", "署名", "成文日期"):
                continue
            self.last_noun = None
            self.prev_reported, self.prev_end = False, ""
            self.header = None
            for para in whole.paragraphs:      # a paragraph at a time: a sentence never runs into the next paragraph
                part = Part(whole.cid, [para])
                if "\t" in para:
                    self.table_row(part)
                    continue
                self.header = None
                self.quantities(part)
                self.dates(part)
                self.consent(part)
                self.quotas(part)
                self.funding(part)
                self.eligibility(part)
                self.start_condition_prose(part)
        self.start_criteria()
        self.cross_checks()
        return self.r

    # -- who, when, which unit -----------------------------------------------------------------------------------
    def document(self) -> None:
        r, n = self.r, self.seg.notice
        if n.get("banner"):
            m = re.match(r"^(.+?)文件$", n["banner"])
            if m:
                r.found.append(Found("document.issuer", m.group(1), n["banner"], "版头"))
        if not r.get("document.issuer") and n.get("title"):
            m = re.match(r"^(.{2,40}?)关于", n["title"])
            if m:
                r.found.append(Found("document.issuer", m.group(1), m.group(0), "标题"))
        if not r.get("document.issuer") and not n and self.seg.plan_title:
            m = re.match(r"^(.{2,40}?)关于", self.seg.plan_title)
            if m:
                r.found.append(Found("document.issuer", m.group(1), m.group(0), "方案标题"))
        if n.get("doc_number") and DOC_NUMBER.match(n["doc_number"]):
            # 文件编号北区政办发〔2020〕11号 (a page's 公开目录 line): the number without its label
            r.found.append(Found("document.doc_number", META_NUMBER.sub("", n["doc_number"]), n["doc_number"], "发文字号"))
        elif not n:                                   # a 文号 on its own line under the title
            for part in self.seg.parts[:3]:
                for para in part.paragraphs[:2]:
                    if DOC_NUMBER.match(para):
                        r.found.append(Found("document.doc_number", para, para, part.cid))
                        break
        if n.get("date"):
            m = DATE_LINE.match(n["date"])
            assert m is not None              # segment.py sets notice["date"] only to a line DATE_LINE matches
            try:
                d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                r.found.append(Found("document.issue_date", d, n["date"], "成文日期"))
            except ValueError:
                r.ask("document.issue_date", f"成文日期“{n['date']}”不是有效日期，请核对原文", n["date"], "成文日期")
        # a page's 公开目录 line: 发布机构临沂市住房和城乡建设局
        if not r.get("document.issuer"):
            for part in self.seg.parts[:3]:
                m = META_ISSUER.search(part.text)
                if m:
                    r.found.append(Found("document.issuer", m.group(1), m.group(0), part.cid))
                    break
        # an organ named in a report: 省住建厅《…》, 市政府办公室印发, 住房城乡建设委发布关于…《…》, …厅公布了…计划
        if not r.get("document.issuer"):
            organ = r"((?:[\u4e00-\u9fff]{2,8}?" + UNIT_SUFFIX + r")?(?:省|市|县|区)?" + ORGANS + r")"
            for part in self.seg.parts:
                m = re.search(organ + r"(?:印发|制定|出台|发布|下发|公布)?(?:了)?(?:关于[^《。]{0,30})?《", part.text)
                if m and re.search(r"方案|计划|通知|意见", part.text[m.end():m.end() + 60]):
                    r.found.append(Found("document.issuer", m.group(1), m.group(1), part.cid))
                    break
                m = re.search(organ + r"(?:公布|印发|发布)了?[^，,。；;《]{0,30}?(?:计划|方案)", part.text)
                if m:
                    r.found.append(Found("document.issuer", m.group(1), m.group(1), part.cid))
                    break
        # the year the text is dated: the notice's 成文日期, else a page's date line near the top
        dated = DATE_LINE.match(n.get("date") or "")
        if dated:
            self.published = int(dated.group(1))
        else:
            for para in [x for part in self.seg.parts for x in part.paragraphs][:4]:
                m = re.search(r"(?:发布日期|发布时间|日期|生成日期|^)[:：]?\s*((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})",
                              para)
                if m:
                    self.published = int(m.group(1))
                    break
        # plan year: the first year in the titles (notice title, plan title, headline)
        for cid, t in (("方案标题", self.seg.plan_title), ("标题", n.get("title", ""))):
            m = re.search(PLAN_YEAR, t or "")
            if m:
                self.year = int(m.group(1))
                r.found.append(Found("document.plan_year", self.year, t, cid))
                break
        if self.year is None:                      # a report: the year its target sentence names
            self.plan_year_of_report(targets_only=True)
        if self.year is None:
            self.plan_year_of_report(targets_only=False)
        # the unit: from the issuer, else from the titles, else the first unit a sentence begins with
        cands: list[tuple[str, str, str]] = []
        iss = r.get("document.issuer")
        if iss:
            cands.append((iss.value, iss.quote, iss.clause))
        for cid, t in (("方案标题", self.seg.plan_title), ("标题", n.get("title", ""))):
            if t:
                cands.append((re.sub(r"^关于印发", "", t), t, cid))
        for part in self.seg.parts[:3] if not n else []:
            cands.append((part.text[:40], part.text[:40], part.cid))
        for text, quote, cid in cands:
            name = unit_name(re.sub(r"^(?:(?:19|20)\d\d年[，,]?)", "", text))
            if name:
                self.unit = name
                r.found.append(Found("document.city", name, quote, cid))
                break
        if self.unit is None:
            self.unit_from_body()
        f = r.get("document.city")
        if f is not None and not f.value.endswith(("省", "市", "县", "区", "旗", "盟", "自治州")):
            full = next((p for p in self.seg.parts if f.value + "市" in p.text), None)   # 赣州 → 赣州市 where the text says so
            if full is not None:
                k = full.text.find(f.value + "市")
                self.unit = f.value + "市"
                r.found[r.found.index(f)] = Found("document.city", self.unit, full.text[k:k + len(self.unit)], full.cid)
        if self.unit is not None and level_of_name(self.unit):
            f = r.get("document.city")
            assert f is not None              # recorded in the loop above together with self.unit
            r.found.append(Found("level", level_of_name(self.unit), f.quote, f.clause))
        else:                        # 全省/我省 say the level without the name
            for part in self.seg.parts:
                m = re.search(r"(?:我|全)(省|市|县|区)", part.text)
                if m:
                    r.found.append(Found("level", {"省": "province", "市": "city", "县": "county", "区": "county"}[
                        m.group(1)], m.group(0), part.cid))
                    break
        if self.unit is not None and level_of_name(self.unit) == "city":     # 长葛市 is a county-level city
            for part in self.seg.parts:
                m = re.search(r"各乡镇|乡镇（街道）|各街道|\d*个?镇[（(]街道[）)]", part.text)
                if m and not re.search(r"各县|县（市、区）|各区", part.text):
                    # 溧阳市 …分布于2个镇(街道): a county-level city is likely; the level is asked, not drafted
                    r.found = [f for f in r.found if f.key != "level"]
                    r.ask("level", f"{self.unit}的下级单位是乡镇（街道）（“{m.group(0)}”）：如为县级市，请写 level: county，"
                          "否则写 level: city", m.group(0), part.cid)
                    break
        if self.unit is None:       # 我省/全省: the level is said, the name is not
            for part in self.seg.parts:
                m = re.search(r"(我|全)(省|市|县|区)", part.text)
                if m:
                    r.ask("document.city", f"原文只说“{m.group(0)}”，未写明单位名称：请填写 document.city",
                          m.group(0), part.cid)
                    break
        if r.get("document.plan_year") is None:
            r.ask("document.plan_year", "原文未写明计划年度：请填写 document.plan_year")
        if r.get("document.city") is None and not any(q.key == "document.city" for q in r.questions):
            r.ask("document.city", "原文未写明本级单位（省、市、县、区）：请填写 document.city")
        if r.get("document.issuer") is None:
            r.ask("document.issuer", "原文未写明发文机关：请填写 document.issuer（报道只写城市时，记城市并在 note 中说明）")
        if n and r.get("document.doc_number") is None:
            r.ask("document.doc_number", "通知版头中未读出发文字号：如原文有，请填写 document.doc_number")
        if not n:
            r.ask("document.doc_number", "原文不是带版头的通知（报道或摘录）：发文字号、成文日期未见；如有原件，请补写")

    def plan_year_of_report(self, targets_only: bool) -> None:
        """The year a report's sentences name with a target (2022年我区计划改造老旧小区72个) — with ``targets_only``
        only a clause holding a target word (计划, 将, 任务为…), so that the year in a meeting's name (2021年总结暨…)
        is not taken; else the first year of a sentence about renovation that is not a report of results."""
        r = self.r
        for part in self.seg.parts:
            prev_reported, prev_end = False, ""
            for _, s in sentences(part.text):
                # not a sentence of results (累计…; 其中2019年…; a list after ；): a year of work done
                reported = bool(REPORTED_CUES.search(s)) or (prev_reported and (s.startswith("其中") or
                                                                               prev_end in ("；", ";")))
                prev_reported, prev_end = reported, s[-1:]
                for m in PLAN_YEAR.finditer(s):
                    clause = re.split(r"[，,；;。]", s[m.start():])[0]
                    if reported and (not TARGET_CUES.search(clause) or s.startswith("其中")):
                        continue
                    if targets_only and not TARGET_CUES.search(clause):
                        continue
                    if re.search(r"改造|任务|目标|计划", s):
                        self.year = int(m.group(1))
                        r.found.append(Found("document.plan_year", self.year, _strip_end(clause), part.cid))
                        return
                    break

    def unit_from_body(self) -> None:
        """A report without a title naming its unit: the unit its sentences begin with (集贤县抢抓…, 记者从山西省住房和城乡
        建设厅获悉), taken only when one name is said at least twice, or said once while the text also speaks of itself at
        that level (该省, 全市); a province's short name (河北积极…) only with 全省/该省. Several names said once each (其中，
        孝南区80个、汉川市18个…) are the units below, never the text's own."""
        count: dict[str, list[tuple[str, str]]] = {}
        for part in self.seg.parts:
            for _off, sent in [x for para in part.paragraphs for x in sentences(para)]:
                for piece in re.split(r"[【】]", sent):
                    for _coff, c in commas(piece):
                        name = unit_name(c)
                        quote = name
                        if name is None:
                            short = re.match(r"^(?:" + "|".join(LEAD_WORDS) + r")?(" + "|".join(PROVINCES) +
                                             r")(?![\u4e00-\u9fff]{0,1}(?:省|自治区|市))", c.lstrip("，,、：: "))
                            if short:
                                name, quote = PROVINCES[short.group(1)], short.group(1)
                        if name and quote:
                            count.setdefault(name, []).append((quote, part.cid))
        if not count:
            return
        text = "".join(p.text for p in self.seg.parts)
        ranked = sorted(count.items(), key=lambda kv: -len(kv[1]))
        name, seen = ranked[0]
        level = level_of_name(name)
        says_level = bool(level and re.search(SELF_LEVEL[level], text))
        if len(ranked) > 1 and len(ranked[1][1]) == len(seen):
            return                                  # two names said as often: which is the text's own is not known
        if len(seen) >= 2 and (len(ranked) == 1 or says_level or len(seen) > len(ranked[1][1])) or \
                (len(seen) == 1 and len(ranked) == 1 and says_level):
            self.unit = name
            self.r.found.append(Found("document.city", name, seen[0][0], seen[0][1]))
            if seen[0][0] != name:            # 河北 → 河北省: the full name is the dictionary's, not the text's words
                self.r.ask("document.city", f"原文只写“{seen[0][0]}”，草稿按省名表写为“{name}”：请确认", seen[0][0],
                           seen[0][1], name)

    # -- totals and the breakdown ------------------------------------------------------------------------------------
    def quantities(self, part: Part) -> None:
        text = part.text
        if "\t" in text:
            return
        for off, s in sentences(text):
            # 其中… and a list after ；: the figures are of the same kind as the sentence before (累计… ；其中2019年…)
            reported = bool(REPORTED_CUES.search(s)) or (self.prev_reported and (
                s.startswith("其中") or self.prev_end in ("；", ";")))
            self.prev_reported, self.prev_end = reported, s[-1:]
            mode_reported = reported
            owner = None                       # a lower unit the figures of this sentence belong to
            owner_start = 0
            for coff, c in unit_clauses(s):
                name = unit_name(c)
                if name and name != self.unit and not (self.unit and name in self.unit) and \
                        self.level() == "province" and level_of_name(name) == "county":
                    # 以历下区最多，为56525户 in a province's text: a district of one of its cities, not a unit below
                    self.r.ask("counties", f"“{name}”是下两级的单位（本文为省级）：其数字未记入 counties", _strip_end(c),
                               part.cid)
                    owner, owner_start = "\x00", coff
                elif name and name != self.unit and not (self.unit and name in self.unit):
                    owner, owner_start = name, coff + c.find(name)
                elif name and (name == self.unit or (self.unit and name in self.unit)):
                    owner, owner_start = None, coff
                if reported and TARGET_CUES.search(c) and not REPORTED_CUES.search(c):
                    mode_reported = False
                elif REPORTED_CUES.search(c):
                    mode_reported = True
                elif self.past(s[:coff + len(c)]) and not TARGET_CUES.search(c):
                    # 2019年至2021年全区共改造…239个 (the plan is 2022's); 2022年…完成18个 on a page of 2023-01-11
                    mode_reported = True
                for m in DISTRICTS.finditer(c):
                    self.r.ask("片区", f"原文按“{m.group(3)}”计（{m.group(0)}）：{m.group(3)}不是小区，也不一定是一个项目；"
                               "请确认是否记为项目数（projects）", _quote(s, coff + m.start(), coff + m.end()), part.cid)
                for m in MONEY.finditer(c):
                    name = MONEY_VERB.sub("", m.group(1))
                    name = name if len(name) > 2 else m.group(1)
                    amount = f"{name}{m.group(2)}{m.group(3)}"
                    self.r.ask("funding.amount", f"原文写了资金额“{amount}”：policy 不记资金额（资金渠道见 funding），列出供核对",
                               _strip_end(c[m.end() - len(amount):m.end()]), part.cid, amount)
                for m in TEN_THOUSANDS_OF.finditer(c):
                    self.r.ask("万个", f"原文以万个计（{m.group(0)}）：项目数、小区数以个计，请确认", m.group(0), part.cid,
                               f"{m.group(1) or m.group(4)}万个")
                spans: list[tuple[int, int]] = []
                for q, rx, g, g10k in QUANTITIES:
                    for m in rx.finditer(c):
                        gi = g if isinstance(g, int) else next(k for k in g if m.group(k))
                        if q in ("communities", "projects") and TEN_THOUSANDS_OF.search(c[max(0, m.start() - 6):m.end()]):
                            continue
                        if any(a <= m.start() < b for a, b in spans):
                            continue
                        spans.append((m.start(), m.end()))
                        val = number(m.group(gi))
                        wan = bool(g10k and m.group(g10k))
                        near = re.split(r"[、…]", c[max(0, m.start() - 8):m.start()])[-1]
                        # 养老服务设施2.34万平方米 is not the renovated area (a count of 小区/项目 names its own noun)
                        if OTHER_THINGS.search(near) and q not in ("communities", "projects"):
                            continue
                        if q in ("communities", "projects"):
                            self.last_noun = q
                        # 超额完成省定38万户的目标任务: the figure itself is named the target
                        marked = re.search(r"省定|市定|县定|任务为|目标为|下达", c[max(0, m.start() - 4):m.start()]) or \
                            c[m.end():m.end() + 6].startswith(("的目标", "的任务", "目标任务", "的年度目标"))
                        self._quantity(part, s, off, coff, m, q, val, wan, owner, owner_start,
                                       mode_reported and not marked)
                # 阜阳市区7个: a bare count after a unit's name counts the noun said before
                bare = re.search(r"(\d+)个$", _strip_end(c))
                noun = self.last_noun or _noun_before(text, off + coff)
                if bare and owner and noun and not spans and c.strip().startswith(owner):
                    self._add_quantity(part, noun, int(bare.group(1)), None, owner,
                                       _strip_end(c[c.find(owner):]), None, mode_reported, s, "")
                    continue
                # 城镇老旧小区改造新开工49个、…; 并已开工2041个: a count after a verb, its noun said before it
                for m in BARE_AFTER_VERB.finditer(c):
                    noun = _noun_before(text, off + coff + m.start())
                    if noun and not any(a <= m.start() < b for a, b in spans):
                        self._quantity(part, s, off, coff, m, noun, int(m.group(1)), False, owner, owner_start,
                                       mode_reported)

    def _quantity(self, part: Part, s: str, off: int, coff: int, m: re.Match[str], q: str, val: int | float, wan: bool,
                  owner: str | None, owner_start: int, mode_reported: bool) -> None:
        unit = None
        if q == "households" and wan:
            unit = "万户"
        if q == "area" and not wan:
            unit = "㎡"
        start = owner_start if owner else coff
        quote = _strip_end(s[start:coff + m.end()]).lstrip("，,：:、")
        after = s[coff + m.end():coff + m.end() + 3]
        before = s[max(0, coff + m.start() - 4):coff + m.start()] + m.group(0)[:m.group(0).find(m.group(1) or "") if
                                                                             m.group(1) else len(m.group(0))]
        comp = None
        cm = AT_LEAST.search(before) or (AT_LEAST.search(after) if after.startswith(("以上", "超过")) else None)
        if cm and cm.group(1) in ("不少于", "不低于", "至少", "以上", "超过"):
            comp = "不少于"
            if cm.group(1) == "以上" and after.startswith("以上"):
                quote = quote + "以上"
        approx = "约" in before[-2:] or "近" in before[-1:] or "多" in after[:1] or "余" in after[:1]
        note = "原文为约数（约/近/多/余）。" if approx else ""
        lead = s[:coff + m.start()]
        stage = re.search(r"(新开工|续建|完成)[^，,；;。]*$", lead)
        scope = SCOPE.search(s[:coff + m.end()])
        extra = {k: v for k, v in (("stage", stage.group(1) if stage else None),
                                   ("scope", scope.group(0) if scope and not owner else None)) if v}
        self._add_quantity(part, q, val, unit, owner, quote, comp, mode_reported, s, note, extra)

    def past(self, upto: str) -> bool:
        """The figures ``upto`` ends with belong to a year before the plan's, or before the page was published."""
        years = [int(y) for y in YEAR_OF.findall(upto)]
        if not years:
            return False
        y = years[-1]
        return bool((self.year and y < self.year) or (self.published and y < self.published))

    def units_said(self) -> tuple[int, str, str]:
        """How many units below the text says it covers (公布了16市…), the first such count, with its words and
        clause; (0, "", "") when it says none."""
        for p in self.seg.parts:
            m = UNITS_SAID.search(p.text)
            if m:
                return int(m.group(1)), m.group(0), p.cid
        return 0, "", ""

    def level(self) -> str | None:
        f = self.r.get("level")
        return f.value if f is not None else None

    def _add_quantity(self, part: Part, q: str, val: int | float, unit: str | None, owner: str | None, quote: str,
                      comp: str | None, reported: bool, sentence: str, note: str,
                      extra: dict[str, Any] | None = None) -> None:
        if owner == "\x00":                  # figures of a unit two levels down: not drafted (asked above)
            return
        key = (f"counties[{owner}]" if owner else "city_target") + "." + q
        # a report's headline repeating a figure its body reports (山西开工…改造900个 / 截至7月底，已开工900个小区)
        if part.cid == "方案标题" and any(x.key == "reported." + key and x.value == val for x in self.r.reported):
            reported = True
        key = (f"counties[{owner}]" if owner else "city_target") + "." + q
        f = Found(key, val, quote, part.cid, unit=unit, comparator=comp, note=note or None, extra=dict(extra or {}))
        if reported:
            f.key = "reported." + key
            self.r.reported.append(f)
            return
        prev = self.r.get(key)
        if prev is not None:
            a, b = prev.extra.get("stage"), f.extra.get("stage")
            if a and b and a != b:            # 完成26万户 and 新开工37.86万户: two targets, each with its stage
                if not any(x.key == "other." + key and x.extra.get("stage") == b for x in self.r.found):
                    self.r.found.append(Found("other." + key, val, quote, part.cid, unit=unit, comparator=comp,
                                              note=note or None, extra=f.extra))
                    self.r.ask(key, f"原文有两个口径（{a}{_shown(prev)}、{b}{_shown(f)}）：草稿把前者记为目标，后者记入 "
                               "other_targets；请确认哪一个用于汇总核对", quote, part.cid)
                return
            if prev.value != val or prev.unit != unit:
                self.r.ask(key, f"原文对同一数量给出两个数（{_shown(prev)}、{_shown(f)}）：草稿取第一个，请确认哪一个是目标"
                           "（如一为完成、一为新开工，或一为续建）", quote, part.cid, _shown(f))
            return
        if isinstance(val, float) and unit is None and q in ("households",):
            self.r.ask(key, f"户数{val}带小数但未以万户计：请核对原文", quote, part.cid, val)
            return
        self.r.found.append(f)

    # -- tables (DOCX, HTML): a header row names the columns, each row a unit ---------------------------------------
    TOTAL_ROW = re.compile(r"^(合计|总计|小计|全市|全省|全县|全区|总数|合\s*计)$")

    def table_row(self, part: Part) -> None:
        row = part.paragraphs[0]
        cells = [c.strip() for c in row.split("\t")]
        numeric = [re.fullmatch(NUMBER, c) is not None for c in cells]
        if not any(numeric):
            cols = {}
            for k, h in enumerate(cells):
                q = ("households" if "户" in h else "communities" if "小区" in h else "projects" if "项目" in h else
                     "buildings" if re.search("栋|幢", h) else "area" if "面积" in h else None)
                if q:
                    unit = ("万户" if q == "households" and "万户" in h else "㎡" if q == "area" and re.search(
                        r"(?<!万)(平方米|㎡)", h) else None)
                    cols[k] = (q, unit, h)
            self.header = cols or None
            if cols and any(q == "area" and "万" not in h and unit is None for q, unit, h in cols.values()):
                self.r.ask("area", f"表头“{row}”未写面积单位：草稿按万㎡读，请核对", row, part.cid)
            return
        if not self.header:
            self.r.ask("table", f"表格行“{row}”没有可识别的表头（小区、项目、户、栋、面积）：请补写", row, part.cid)
            return
        name = cells[0]
        owner = None if self.TOTAL_ROW.match(name) or name == self.unit else (unit_name(name) or name)
        for k, (q, unit, h) in self.header.items():
            if k < len(cells) and numeric[k]:
                val = number(cells[k])
                self._add_quantity(part, q, val, unit, owner, row, None, False, row, f"表格列“{h}”。")

    # -- milestones and deadlines -----------------------------------------------------------------------------------
    def dates(self, part: Part) -> None:
        for _off, s in sentences(part.text):
            every = re.search(r"每月(\d{1,2})日(?:前|之前)", s)
            if every:
                self.r.ask("deadlines", f"按月重复的期限“{every.group(0)}”：deadlines 只记单个日期，请确认如何记录",
                           _strip_end(s[every.start():every.start() + 30].split("(")[0].split("（")[0]), part.cid, {})
            found = list(DATE.finditer(s))
            # 3月25日、6月25日、9月25日前: dates listed with 、 share the 前 (and the action) of the last one
            bound = [_is_deadline_date(s, m) for m in found]
            for k in range(len(found) - 2, -1, -1):
                if s[found[k].end():found[k + 1].start()] in ("、", "和", "及") and bound[k + 1]:
                    bound[k] = True
            ms = [m for m, b in zip(found, bound) if b]
            year = self.year
            for k, m in enumerate(ms):
                if m.group(1):
                    year = int(m.group(1))
                d, precision = parse_date(m, year)
                j = k                              # a date listed before another takes the action of the last one
                while j + 1 < len(ms) and s[ms[j].end():ms[j + 1].start()] in ("、", "和", "及"):
                    j += 1
                end = ms[j + 1].start() if j + 1 < len(ms) else len(s)
                action = s[ms[j].end():end]
                # the comma-clause holding the date (subject before it: 各县的年度实施方案要于…前完成)
                cstart = max(s.rfind(x, 0, m.start()) for x in "，,：:") + 1
                cend_m = re.search(r"[，,；;。]", s[m.end():])
                cend = m.end() + cend_m.start() if cend_m else len(s)
                clause_text = s[cstart:cend]
                is_deadline = bool(DEADLINE_WORDS.search(clause_text + action[:40])) and not re.search(
                    r"开工|完工|竣工|完成改造(?!方案)", action[:30])
                if not is_deadline and any(rx.search(action) for _, rx, _, _ in QUANTITIES):
                    continue           # 到2023年底完成…项目265个: the date of the total target, not a phase
                if d is None:
                    act = re.split(r"[，,；;。]", action)[0]
                    measure = "started" if STARTED.search(act) else "completed" if COMPLETED.search(act) else None
                    self.r.ask("milestones" if measure and not is_deadline else "deadlines",
                               f"“{_strip_end(s[m.start():m.end() + len(act)])}”：日期没有年份，且原文未写明计划年度，请补写",
                               _strip_end(s[m.start():m.end() + len(act)]), part.cid,
                               {"month": int(m.group(2)), "measure": measure} if measure else {"month": int(m.group(2))})
                    continue
                if is_deadline:
                    self._deadline(part, s, m, d, precision, cstart, cend, action)
                else:               # not 6月底，…均已经完成100% (what was done), unless named the target (目标任务是)
                    said = clause_text + re.split(r"[；;。]", action)[0][:30]
                    if not REPORTED_CUES.search(said) or TARGET_CUES.search(said):
                        self._milestone(part, s, m, d, precision, action)

    def _milestone(self, part: Part, s: str, m: re.Match[str], d: dt.date, precision: str, action: str) -> None:
        act = re.split(r"[；;。]", action)[0]
        started = STARTED.search(act)
        completed = COMPLETED.search(act)
        if not started and not completed:
            return
        measure = "started" if started and (not completed or started.start() < completed.start()) else "completed"
        hit = started if measure == "started" else completed
        assert hit is not None                 # one of the two matched (returned above otherwise)
        head = act[:hit.end() + 12]
        share_m = SHARE.search(head)
        share = float(share_m.group(1)) / 100 if share_m else (1.0 if ALL.search(act[:hit.end() + 2]) else None)
        basis_m = BASIS.search(act)
        basis = None
        if basis_m:
            basis = "households" if (basis_m.group(1) or basis_m.group(2)) == "户数" else "projects"
        elif share == 1.0:                  # 全部: by projects and by households are the same
            basis = "projects"
        basis_end = (basis_m.end() + 1 if basis_m.end() + 1 <= len(act) and act[basis_m.end():basis_m.end() + 1] in "）)"
                     else basis_m.end()) if basis_m else 0
        endpos = m.end() + max(basis_end, hit.end(), share_m.end() if share_m else 0)
        quote = _strip_end(s[m.start():endpos])
        label_m = re.search(r"(全部|全面|基本)?(?:开工改造|开工|完工|竣工|完成改造|改造完成|完成)(?:\d+(?:\.\d+)?%)?", act)
        label = label_m.group(0) if label_m else ("开工" if measure == "started" else "完工")
        if share_m and share_m.group(0) not in label:
            label += share_m.group(0)
        if basis_m:
            label += f"（{basis_m.group(0)}）"
        note = "原文为“力争”，是争取的目标而非硬性时限。" if "力争" in s[max(0, m.start() - 4):m.start() + len(m.group(0)) + 4] + act[:4] else None
        value = {"date": d, "precision": precision, "measure": measure, "share": share, "basis": basis, "label": label}
        if share is None or basis is None:
            missing = "比例（全部？百分之几？）" if share is None else "口径（按户数还是按项目）"
            self.r.ask("milestones", f"阶段节点“{quote}”：原文未写明{missing}，请补写后记入 milestones", quote, part.cid,
                       value)
            return
        self.r.found.append(Found("milestones", value, quote, part.cid, extra=value, note=note))

    def _deadline(self, part: Part, s: str, m: re.Match[str], d: dt.date, precision: str, cstart: int, cend: int,
                  action: str) -> None:
        quote = _strip_end(s[cstart:cend]).lstrip("，,：:、")
        if m.group(0) not in quote:
            quote = _strip_end(s[m.start():cend])
        label = re.sub(r"(?:要|应|须|需)?(?:于|在)?$", "", s[cstart:m.start()]) + re.sub(r"^前|^之前", "", action.split("，")[0].split("；")[0].split("。")[0])
        label = _strip_end(label).lstrip("，,：:、") or quote
        who = re.match(r"(各县（市、区）|各地|各市|各县|各区|各县（市）|各省辖市)", label)
        value = {"date": d, "precision": precision, "label": label, "who": who.group(1) if who else None}
        self.r.found.append(Found("deadlines", value, quote, part.cid, extra=value))

    # -- consent, quotas, funding, scope ------------------------------------------------------------------------------
    def consent(self, part: Part) -> None:
        for _off, s in sentences(part.text):
            m = CONSENT.search(s)
            if m:
                pct = m.group(1) or m.group(3)
                above = m.group(2) or m.group(4)
                cstart = max(s.rfind(x, 0, m.start()) for x in "，,：:；") + 1
                tail = re.split(r"[，。；,;]", s[m.end():])[0]
                quote = _strip_end(s[cstart:m.end() + len(tail)])
                subj_m = re.match(r"(.{2,30}?)(?:完成征求|须经|应经|经|需经|要经)", s[cstart:m.start()])
                subjects = [x for x in re.split(r"和|、|及", subj_m.group(1)) if x] if subj_m else []
                value = {"threshold": float(pct) / 100, "inclusive": bool(above) or "以上" in s[m.start():m.end() + 2],
                         "subjects": subjects}
                if not above:
                    self.r.ask("consent.inclusive", f"同意比例“{m.group(0)}”未写“以上”：是否含本数？", quote, part.cid)
                if not subjects:
                    self.r.ask("consent.subjects", f"同意比例“{m.group(0)}”：原文未写明对什么同意（改造方案？物业管理模式？）",
                               quote, part.cid)
                if self.r.get("consent") is None:
                    self.r.found.append(Found("consent", value, quote, part.cid, extra=value))
            f = CONSENT_FRACTION.search(s)
            if f:
                self.r.ask("consent.threshold", f"同意比例以分数写为“{f.group(0)}”：请确认记为多少（threshold 以 0–1 计）",
                           _strip_end(s[max(s.rfind('，', 0, f.start()), 0):f.end() + 4]).lstrip("，"), part.cid,
                           f.group(1))

    def quotas(self, part: Part) -> None:
        for _off, s in sentences(part.text):
            for _coff, c in commas(s):
                m = QUOTA.search(c)
                if not m:
                    continue
                names = [unit_name(x) or x for x in m.group(1).split("、")]
                quote = _strip_end(c[m.start():m.end()])
                if m.group(3) == "试点":
                    self.r.ask("pilot", f"试点数量“{quote}”：schema 只有联系点数量（liaison_quota），请确认如何记录",
                               quote, part.cid, int(m.group(2)))
                    continue
                for name in names:
                    self.r.found.append(Found(f"counties[{name}].liaison_quota", int(m.group(2)), quote, part.cid))
        # the liaison points' criteria and report (五（五）: 联系点应…等条件；将联系点…报送)
        t = part.text
        crit = re.search(r"联系点应(.{4,120}?)等(?:方面|条件)", t)
        rep = re.search(r"将联系点(.{2,60}?)(?:报送|上报|报)", t)
        if crit is not None or rep is not None:
            self.r.found.append(Found("liaison_points", {
                "criteria": crit.group(1).split("、") if crit is not None else [],
                "report_contents": rep.group(1).split("、") if rep is not None else []},
                crit.group(0) if crit is not None else rep.group(0) if rep is not None else "", part.cid))

    def funding(self, part: Part) -> None:
        t = part.text
        names: list[tuple[str, str]] = []
        for m in FUNDING_SUBSIDY.finditer(t):
            names.append((m.group(1), m.group(0)))
        for m in FUNDING_ENUM.finditer(t):
            for x in m.group(1).split("、"):
                if x:
                    names.append((x, x))
        for m in FUNDING_SOCIAL.finditer(t):
            names.append((m.group(1), m.group(1)))
        if names:
            enum = FUNDING_ENUM.search(t)
            quote = enum.group(0) if enum else names[0][1]
            self.r.found.append(Found("funding", names, quote, part.cid))

    def eligibility(self, part: Part) -> None:
        t = part.text
        m = ELIGIBLE.search(t)
        b = ELIGIBLE_BAND.search(t)
        if m and self.r.get("eligibility") is None:
            value = {"built_by": int(m.group(1))}
            quote = m.group(0)
            if b:
                value["band_to"] = int(b.group(2))
                self.r.found.append(Found("eligibility.band", int(b.group(2)), b.group(0), part.cid))
            self.r.found.append(Found("eligibility", value, quote, part.cid, extra=value))
        elif b and self.r.get("eligibility.band") is None:
            self.r.found.append(Found("eligibility.band", int(b.group(2)), b.group(0), part.cid))
            self.r.ask("eligibility", f"原文写了可纳入的建成年份段“{b.group(0)}”，但未见基本范围（如2000年底前建成）：请补写",
                       b.group(0), part.cid)

    def start_condition_prose(self, part: Part) -> None:
        for _off, s in sentences(part.text):
            m = re.search(r"(?:未|没有|不具备)[^，,。；;]{2,30}?的?[，,]?不得(?:擅自)?开工", s)
            if m:
                self.r.ask("start_criteria", f"开工条件写在正文中（“{m.group(0)}”）：请确认是否列为开工认定标准（start_criteria）",
                           m.group(0), part.cid, m.group(0))

    def start_criteria(self) -> None:
        for a in self.seg.text.get("attachments", []):
            if not START_CRITERIA_TITLE.search(a["title"]):
                continue
            items = []
            for k, p in enumerate(a["paragraphs"]):
                im = ITEM_NUMBER.match(p)
                body = _strip_end(p[im.end():] if im else p)
                label = re.split(r"[（(，,；;]", body)[0]
                items.append({"id": int(im.group(1)) if im else k + 1, "label": label, "text": body,
                              "clause": f"{a['id']}.{k + 1}"})
            if items:
                self.r.found.append(Found("start_criteria", {"title": a["title"], "items": items}, a["title"], a["id"]))

    # -- what does not add up ------------------------------------------------------------------------------------
    def cross_checks(self) -> None:
        r = self.r
        if not any(f.key.startswith("city_target.") for f in r.found):
            r.ask("city_target", "原文中未读出本级总目标（项目、小区、户、栋、面积）：如原文有，请补写 city_target")
        counties = {f.key.split("]")[0][9:] for f in r.found if f.key.startswith("counties[") and not
                    f.key.endswith("liaison_quota")}
        if not counties:
            r.ask("counties", "原文中未读出分解到下级单位的任务：如原文只写总数，写 counties: [] 并加 counties_complete: false")
        quants = {f.key.rsplit(".", 1)[1] for f in r.found if f.key.startswith("counties[")}
        total_q = {f.key.rsplit(".", 1)[1] for f in r.found if f.key.startswith("city_target.")}
        if "projects" in total_q and "communities" in quants and "projects" not in quants:
            r.ask("项目=小区", "总数按项目计而分解按小区计：原文的项目与小区是否一一对应（项目 = 小区）？请确认后统一口径")
        from decimal import Decimal
        size = {"万户": 10000, "万㎡": 10000, "㎡": 1, None: 1}
        for q in sorted(total_q & quants):
            total = next(f for f in r.found if f.key == f"city_target.{q}")
            parts = [f for f in r.found if f.key.startswith("counties[") and f.key.endswith("." + q)]
            with_target = {f.key.split("]")[0] for f in r.found if f.key.startswith("counties[") and not
                           f.key.endswith("liaison_quota")}
            if len(parts) < len(with_target):
                continue                   # some unit does not publish this quantity: no sum to compare

            def base(f: Found, q: str = q) -> tuple[Decimal, Decimal]:
                u = f.unit or ("万㎡" if q == "area" else None)
                d = Decimal(str(f.value))
                exp = d.as_tuple().exponent
                places = -exp if isinstance(exp, int) and exp < 0 else 0
                slack = Decimal(size[u]) * Decimal(10) ** -places / 2 if (u is not None or places) else Decimal(0)
                return d * size[u], slack
            tv, ts = base(total)
            sums = [base(f) for f in parts]
            sv, ss = sum((x for x, _ in sums), Decimal(0)), sum((sl for _, sl in sums), Decimal(0))
            said, words, cid = self.units_said()
            if abs(sv - tv) > ts + ss and total.comparator is None and said > len(with_target):
                # 公布了16市…计划 and then 具体来看，青岛市…济南市…: examples, not the whole breakdown
                if r.get("counties_complete") is None:
                    r.found.append(Found("counties_complete", False, words, cid))
                r.ask("counties_complete", f"原文称{said}个下级单位（“{words}”），只分列了{len(with_target)}个：草稿写 "
                      "counties_complete: false，不与总数相加核对；如原文另有全表，请补全", words, cid)
                break
            if abs(sv - tv) > ts + ss and total.comparator is None:
                tu = size[total.unit or ("万㎡" if q == "area" else None)]
                diff = (sv - tv) / tu
                r.found.append(Found("disagreement", {"quantity": q, "difference": f"{diff.normalize():+f}"},
                                     total.quote, total.clause))
                r.ask(f"sum.{q}", f"下级单位的{q}之和（{sv.normalize():f}）与总数“{total.quote}”不符：两者均照原文写入（policy check 会报"
                      "出来）；请核对原文，确属原文如此时记为已知的不一致", total.quote, total.clause)
        if not any(f.key == "milestones" for f in r.found) and not any(q.key == "milestones" for q in r.questions):
            r.ask("milestones", "原文中未读出阶段节点（如“6月底前全部开工”）：如原文有，请补写 milestones")
        if r.get("consent") is None and not any(q.key.startswith("consent") for q in r.questions):
            r.ask("consent", "原文中未读出居民同意比例：如原文有（如“80%以上居民同意”），请补写 consent")
        for f in r.reported:
            r.ask("reported", f"进度（报告）数字“{f.quote}”未作为目标记入：如它其实是目标，请移入 city_target/counties",
                  f.quote, f.clause, f.value)


UNITS_SAID = re.compile(r"(\d+)个?(?:市|地市|设区市|省辖市|县（市、区）|县\(市、区\)|区（市）|区\(市\)|区县|县区|县市区)(?![\u4e00-\u9fff]?小区)")


def _is_deadline_date(s: str, m: re.Match[str]) -> bool:
    """A date that bounds something (…前, …底, …日): not "分别于7月和12月组织" (a month of an event)."""
    g = m.group(0)
    if re.search(r"截至|截止", s[max(0, m.start() - 3):m.start()]):
        return False
    # 7月份，…目标任务是：项目开工率达到60%以上 (a month's target)
    month_target = s[m.end():m.end() + 1] == "份" and bool(re.search(r"目标|任务", s[m.end():m.end() + 20]))
    return bool(m.group(5) or m.group(4)) or g.endswith(("前",)) or month_target


def _noun_before(text: str, pos: int) -> str | None:
    """communities or projects: the last 小区/项目 said before ``pos`` in the paragraph (改造个老旧小区…其中，孝南区80个)."""
    said = re.findall(r"小区|项目", text[:pos])
    return None if not said else "communities" if said[-1] == "小区" else "projects"


def _quote(s: str, a: int, b: int) -> str:
    return s[max(0, a):b]


def _shown(f: Found) -> str:
    q = f.key.rsplit(".", 1)[-1]
    unit = f.unit or {"households": "户", "area": "万㎡"}.get(q, "")
    return f"{f.value:g}{unit}" if isinstance(f.value, (int, float)) else str(f.value)


def read(seg: Segmented) -> Reading:
    return Reader(seg).read()
