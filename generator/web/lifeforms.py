"""The forms of a project's life on its web page (issue 20.1/20.3–20.5), beside declare/verify (projects.py).

Each form is one ``Life.record`` kind: the county records (征求意见, 整改销号, 完工, 移交, 保修, 投诉 and its 办结), the
city verifies (巡检抽检, 质量安全隐患, 竣工验收) — the library's own split (``record.CITY_KINDS``), so a county
account posting a city form is refused twice (403 here, and by the library). The fields are the library's
(``record.clean_fields``): the page adds nothing to what is checked, it only says where a refusal belongs
(``field_of``: the words of the library's message, most specific first) and keeps what was typed.

No Flask here: projects.py posts the forms; this module is what they are.
"""
from __future__ import annotations

from dataclasses import dataclass

from generator.life import record as R


@dataclass(frozen=True)
class Field:
    name: str                  # the form's field and the library's key ("day", "file", "refers_to": the record's own)
    label: str
    type: str = "text"         # text | date | number | select | radio | file | refers
    options: tuple[str, ...] = ()
    required: bool = True
    help: str = ""
    words: tuple[str, ...] = ()        # a refusal whose message holds one of these belongs here


@dataclass(frozen=True)
class Form:
    key: str                   # in the URL (/projects/<pid>/life/<key>) and error.form
    kind: str                  # the Life.record kind
    title: str
    button: str
    fields: tuple[Field, ...]
    intro: str = ""
    refers: str | None = None  # the kind of event a refers field lists (inspection, hazard, complaint)
    evidence: bool = True      # a file field (required when Field("file").required)
    section: str = ""

    @property
    def who(self) -> str:
        return "city" if self.kind in R.CITY_KINDS else "county"

    def roles(self) -> tuple[str, ...]:
        return ("city", "admin") if self.who == "city" else ("county",)


def _file(required: bool = False, label: str = "证据文件（照片、扫描件 PDF 或 Word 文档）") -> Field:
    return Field("file", label, "file", required=required, words=("证据", "文件"))


def _day(label: str) -> Field:
    return Field("day", label, "date", words=("日期",))


NOTE = Field("note", "说明（可选）", required=False, words=("说明",))

QUALITY, COMPLETION, CONSULT = "质量安全巡检与整改", "完工、竣工验收、移交、保修与投诉", "方案与征求意见"


def forms(subjects: tuple[str, ...] = R.CONSULT_SUBJECTS) -> dict[str, Form]:
    """The forms, in the order of the page; ``subjects``: the policy's consent subjects (consent.subjects)."""
    out = [
        Form("consult", "consultation", "记录征求意见", "记录征求意见", (
            Field("subject", "征求意见事项", "select", subjects, words=("征求意见事项",)),
            Field("method", "征求意见方式", "radio", R.CONSULT_METHODS, words=("征求意见方式",)),
            Field("start", "开始日期", "date", words=("开始日期",)),
            _day("结束日期"),
            Field("asked", "征求意见户数", "number", words=("征求意见户数", "征求意见户数不能")),
            Field("agreed", "同意户数", "number", words=("同意户数",)),
            Field("typed", "工作簿中填报的同意率（可选，如 80%）", required=False, words=("同意率",)),
            _file()),
            intro="同意率按同意户数÷征求意见户数计算，与政策的比例比对；填报的同意率与户数不符时在核对中列出。",
            section=CONSULT),
        Form("inspect", "inspection", "记录巡检抽检", "记录巡检抽检", (
            Field("type", "检查类型", "radio", R.INSPECTION_TYPES, words=("检查类型",)),
            _day("检查日期"),
            Field("inspectors", "检查人员（以逗号或顿号分隔）", words=("检查人员",)),
            Field("projects", "检查的项目编号（以逗号分隔；可加上同一报送单位的其他项目）",
                  words=("检查项目", "项目编号", "报送", "项目")),
            NOTE, _file()),
            intro="记录后，在下方“记录质量安全隐患”中逐处登记发现的隐患；未发现隐患的，不必登记。", section=QUALITY),
        Form("hazard", "hazard", "记录质量安全隐患", "记录隐患", (
            Field("refers_to", "所属巡检抽检", "refers", words=("所指", "检查记录", "记录编号", "早于所指")),
            _day("发现日期"),
            Field("description", "隐患描述", words=("隐患描述",)),
            Field("deadline", "整改期限", "date", words=("整改期限",)),
            Field("responsible", "整改责任单位", words=("整改责任单位",)),
            NOTE, _file()),
            refers="inspection", section=QUALITY),
        Form("rectify", "rectified", "整改销号", "销号", (
            Field("refers_to", "隐患", "refers", words=("所指", "记录编号", "已经办结", "早于所指")),
            _day("整改完成日期"),
            Field("note", "整改情况", words=("说明",)),
            Field("file", "整改后的照片或验收单（必填）", "file", required=True, words=("证据", "文件", "销号须附"))),
            intro="销号须附整改后的证据；以整改完成日期与整改期限比较，判定按期或逾期销号。",
            refers="hazard", section=QUALITY),
        Form("complete", "completed", "报告完工", "报告完工", (_day("完工日期"), NOTE, _file()),
             intro="完工日期以信息月报中的实际完工日期为准；此处记录完工的证明材料。", section=COMPLETION),
        Form("accept", "acceptance", "记录竣工验收", "记录竣工验收", (
            _day("验收日期"),
            Field("participants", "参加验收的单位和人员（以逗号或顿号分隔）", words=("参加验收",)),
            Field("result", "验收结论", "radio", R.ACCEPTANCE_RESULTS, words=("验收结论",)),
            NOTE, _file()), section=COMPLETION),
        Form("handover", "handover", "记录移交", "记录移交", (
            _day("移交日期"),
            Field("to", "移交对象", "radio", R.HANDOVER_TO, words=("移交对象",)),
            Field("unit", "接收单位名称", words=("接收单位",)),
            NOTE, _file()), section=COMPLETION),
        Form("warranty", "warranty", "记录保修", "记录保修", (
            _day("保修开始日期"),
            Field("months", "保修期（月）", "number", words=("保修期",)),
            Field("unit", "保修责任单位（可选）", required=False, words=("保修责任单位",)),
            _file()), section=COMPLETION),
        Form("complaint", "complaint", "登记投诉", "登记投诉", (
            _day("收到日期"),
            Field("subject", "投诉内容", words=("投诉内容",)),
            Field("from", "投诉人或渠道（可选）", required=False, words=("投诉人",)),
            _file()), section=COMPLETION),
        Form("close-complaint", "complaint_closed", "投诉办结", "办结", (
            Field("refers_to", "投诉", "refers", words=("所指", "记录编号", "已经办结", "早于所指")),
            _day("办结日期"),
            Field("result", "办理结果", words=("办理结果",)),
            _file()), refers="complaint", section=COMPLETION),
    ]
    return {f.key: f for f in out}


def field_of(form: Form, message: str, evidence_error: bool) -> str:
    """The field a refusal of the library belongs to: evidence refused by content at the file; else the field
    whose words the message holds, the longest words first (同意户数 before 户数, 整改期限 before 日期)."""
    if evidence_error:
        return "file"
    pairs = sorted(((w, f.name) for f in form.fields for w in f.words), key=lambda x: -len(x[0]))
    # "同意户数201多于征求意见户数200": the agreeing count is what is wrong
    if "多于" in message and any(f.name == "agreed" for f in form.fields):
        return "agreed"
    if "开始日期晚于" in message:
        return "start"
    for w, name in pairs:
        if w in message:
            return name
    if "之后" in message:                       # a day after today
        return "day"
    return "form"


def values(form: Form, posted) -> dict:
    """The library's fields of a posted form (day, file and refers_to are the record's own arguments)."""
    out = {}
    for f in form.fields:
        if f.name in ("day", "file", "refers_to"):
            continue
        v = (posted.get(f.name) or "").strip()
        out[f.name] = v if v or f.required else None
    return out


def open_events(events: list, kind: str, closing: str) -> list:
    """The events of ``kind`` no ``closing`` event refers to yet (hazards not closed, complaints not handled)."""
    closed = {e.refers_to for e in events if e.kind == closing}
    return [e for e in events if e.kind == kind and e.id not in closed]


def choices(form: Form, events: list, project: str) -> list[tuple[int, str]]:
    """What a refers field offers: (event id, how it reads)."""
    if form.refers == "inspection":
        return [(e.id, f"#{e.id} {e.day.isoformat()} {e.fields.get('type', '')}（{'、'.join(e.fields.get('inspectors', []))}）")
                for e in events if e.kind == "inspection" and project in e.fields.get("projects", [])]
    if form.refers == "hazard":
        return [(e.id, f"#{e.id} {e.fields.get('description', '')}（期限{e.fields.get('deadline', '')}）")
                for e in open_events(events, "hazard", "rectified")]
    if form.refers == "complaint":
        return [(e.id, f"#{e.id} {e.day.isoformat()} {e.fields.get('subject', '')}")
                for e in open_events(events, "complaint", "complaint_closed")]
    return []


def describe(e) -> str:
    """One line of what an event records, for the page's table (declare/verify print their own)."""
    f = e.fields
    if e.kind == "consultation":
        share = f"{f['agreed'] * 100 / f['asked']:.1f}%" if f.get("asked") else ""
        return (f"{f['subject']}，{f['method']}，{f['start']}至{f['end']}，征求{f['asked']}户，同意{f['agreed']}户（{share}）"
                + (f"，填报{f['typed']}" if f.get("typed") else ""))
    if e.kind == "inspection":
        return f"{f['type']}，检查人员{'、'.join(f['inspectors'])}，项目{'、'.join(f['projects'])}"
    if e.kind == "hazard":
        return f"{f['description']}，整改期限{f['deadline']}，责任单位{f['responsible']}（巡检抽检#{e.refers_to}）"
    if e.kind == "rectified":
        return f"隐患#{e.refers_to}：{f.get('note') or ''}"
    if e.kind == "acceptance":
        return f"{f['result']}，参加{'、'.join(f['participants'])}"
    if e.kind == "handover":
        return f"移交{f['to']}：{f['unit']}"
    if e.kind == "warranty":
        return f"保修{f['months']}个月" + (f"，{f['unit']}" if f.get("unit") else "")
    if e.kind == "complaint":
        return f"{f['subject']}" + (f"（{f['from']}）" if f.get("from") else "")
    if e.kind == "complaint_closed":
        return f"投诉#{e.refers_to}：{f.get('result') or ''}"
    return ""


__all__ = ["Field", "Form", "choices", "describe", "field_of", "forms", "open_events", "values"]
