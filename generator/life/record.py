"""Each project's life on the record: the one library the CLI and the web page write it through.

    from generator.life import Life
    life = Life("gaizao.db")                       # the register's database (same file, its own tables)
    ev = life.record("verify", project="YZ-001", day=date(2023, 5, 20), by="王检查",
                     fields={"criterion": 3, "verdict": "符合", "note": "公示栏在小区东门"},
                     evidence=["公示照片.jpg"])
    life.events(project="YZ-001"); life.project("YZ-001")

A project is known by its 项目编号 as the county's submissions list it (the register's ``projects`` rows):
an event for a 项目编号 no submission listed is refused, and the county is the one whose submissions list
it. Events are append-only (the schema's triggers refuse UPDATE and DELETE): a wrong record is corrected
by a later event (a new verdict for the same criterion, a new consultation of the same subject); the latest
by its day (then by the order recorded) is the one that counts.

No click, no global state: each call opens its own connection (db.opened), so one ``Life`` may be shared
by the threads of a web server.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union, cast

from generator.errors import InputError, UsageError
from generator.life import evidence as ev_mod
from generator.register import db, store

if TYPE_CHECKING:
    from generator.policy.loader import LoadedPolicy
    from generator.register.pg import PgUrl

# where a register is (generator.register.db.target, untyped there): a file, or a PostgreSQL server; and what
# may name one (a path or a postgresql:// URL as typed, or a Store already)
Store = Union[Path, "PgUrl"]
Where = Union[str, "os.PathLike[str]", "PgUrl"]
_target = cast("Callable[[Where], Store]", db.target)
_default_path = cast("Callable[[], Store]", db.default_path)
# a connection for one call (db.opened): sqlite3's, or the PostgreSQL adapter's with the same methods
_opened = cast("Callable[..., AbstractContextManager[Any]]", db.opened)

# the stages of the issue, in order: 入库/计划 → 方案与征求意见 → 开工认定 → 施工 → 完工 → 竣工验收 → 移交 → 保修
STAGES: list[tuple[str, str, str]] = [
    ("plan", "入库/计划", "listed in a plan"),
    ("consultation", "方案与征求意见", "plan and consultation"),
    ("start", "开工认定", "start of works recognised"),
    ("construction", "施工", "construction"),
    ("completion", "完工", "completed"),
    ("acceptance", "竣工验收", "final acceptance"),
    ("handover", "移交", "handover"),
    ("warranty", "保修", "warranty"),
]
STAGE_WORDS = {k: zh for k, zh, _ in STAGES}

CONSULT_SUBJECTS = ("改造方案", "物业管理模式")      # 三（二）: the policy's consent.subjects when it has them
CONSULT_METHODS = ("会议", "入户", "表决")
VERDICTS = ("符合", "不符合")
INSPECTION_TYPES = ("巡检", "抽检")
ACCEPTANCE_RESULTS = ("合格", "不合格")
HANDOVER_TO = ("物业", "社区", "专营单位")

# kind -> (stage, 中文, english, project-level?, what it refers to)
KINDS: dict[str, tuple[str, str, str, bool, str | None]] = {
    "liaison_check": ("plan", "联系点条件核查", "liaison point condition checked", True, None),
    "consultation": ("consultation", "征求意见", "consultation", True, None),
    "declare": ("start", "开工条件申报", "criterion declared", True, None),
    "verify": ("start", "开工条件核查", "criterion verified", True, None),
    "inspection": ("construction", "巡检抽检", "inspection", False, None),
    "hazard": ("construction", "质量安全隐患", "hazard", True, "inspection"),
    "rectified": ("construction", "整改销号", "hazard closed", True, "hazard"),
    "completed": ("completion", "完工", "completed", True, None),
    "acceptance": ("acceptance", "竣工验收", "final acceptance", True, None),
    "handover": ("handover", "移交", "handover", True, None),
    "warranty": ("warranty", "保修", "warranty", True, None),
    "complaint": ("warranty", "投诉", "complaint", True, None),
    "complaint_closed": ("warranty", "投诉办结", "complaint closed", True, "complaint"),
}
# a 销号 and a verdict of 不符合 without a word or a file cannot be checked later: evidence / note required
NEEDS_EVIDENCE = {"rectified"}
# who records what (the web page passes the account's role; the CLI is the office's own tool and passes none):
# the county declares, consults, reports completion, closes its hazards and answers complaints; the city verifies,
# inspects, finds hazards, accepts and checks liaison points.
CITY_KINDS = {"verify", "inspection", "hazard", "acceptance", "liaison_check"}
COUNTY_KINDS = set(KINDS) - CITY_KINDS


@dataclass
class EvidenceRef:
    seq: int
    name: str
    type: str
    sha256: str
    size: int


@dataclass
class Event:
    id: int
    project: str | None
    county: str
    stage: str
    kind: str
    day: dt.date
    recorded_at: str
    recorded_by: str
    refers_to: int | None
    fields: dict[str, Any]
    evidence: list[EvidenceRef] = field(default_factory=list)

    @property
    def kind_words(self) -> str:
        return KINDS[self.kind][1]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "project": self.project, "county": self.county, "stage": self.stage,
                "stage_words": STAGE_WORDS[self.stage], "kind": self.kind, "kind_words": self.kind_words,
                "day": self.day.isoformat(), "recorded_at": self.recorded_at, "recorded_by": self.recorded_by,
                "refers_to": self.refers_to, "fields": self.fields,
                "evidence": [e.__dict__ for e in self.evidence]}


@dataclass
class Listing:
    """A submission that listed the project."""
    submission_id: int
    county: str
    version: int
    received: dt.date
    community: str | None
    households: int | None
    actual_start: str | None
    actual_end: str | None


@dataclass
class ProjectLife:
    project: str
    county: str
    community: str | None
    listings: list[Listing]
    events: list[Event]

    @property
    def stage(self) -> str:
        """The furthest stage the record shows (入库/计划 when only listed)."""
        order = [k for k, _, _ in STAGES]
        reached = {e.stage for e in self.events}
        last = self.listings[-1] if self.listings else None
        if last and last.actual_start:
            reached.add("construction")
        if last and last.actual_end:
            reached.add("completion")
        return max(reached | {"plan"}, key=order.index)


def _date(value: object, what: str, what_en: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise UsageError(f"{what}应为日期（如 2023-05-20），不是“{value}”",
                         f"{what_en} must be a date like 2023-05-20, not {value!r}") from None


MAX_TEXT = 2000          # characters of a note or description: a paragraph, not a file


def _clean(value: object) -> str:
    """Typed text as stored and printed later: XML-illegal characters (a DOCX cannot hold them) removed."""
    from generator.safetext import clean
    text: str = cast("Callable[[str], str]", clean)(str(value))
    return text.strip()


def _text(fields: dict[str, Any], key: str, zh: str, en: str, *, required: bool = True) -> str | None:
    v = fields.get(key)
    v = None if v is None else _clean(v)
    if v and len(v) > MAX_TEXT:
        raise UsageError(f"{zh}超过{MAX_TEXT}字，请精简（详细材料作为证据文件上传）",
                         f"{en} is longer than {MAX_TEXT} characters")
    if required and not v:
        raise UsageError(f"请填写{zh}", f"{en} is required")
    return v or None


def _choice(fields: dict[str, Any], key: str, options: Sequence[str], zh: str, en: str) -> str:
    v = _text(fields, key, zh, en)          # required: never None
    if v is None or v not in options:
        raise UsageError(f"{zh}应为{'、'.join(options)}之一，不是“{v}”", f"{en} must be one of {', '.join(options)}, not {v!r}")
    return v


def _count(fields: dict[str, Any], key: str, zh: str, en: str) -> int:
    v = fields.get(key)
    try:
        n = int(str(v).strip())
        if str(n) != str(v).strip() or n < 0:
            raise ValueError
    except (TypeError, ValueError):
        raise UsageError(f"{zh}应为非负整数，不是“{v}”", f"{en} must be a whole number, not {v!r}") from None
    return n


def _names(fields: dict[str, Any], key: str, zh: str, en: str) -> list[str]:
    v = fields.get(key) or []
    if isinstance(v, str):
        v = [x for x in (s.strip() for s in v.replace("，", ",").replace("、", ",").split(",")) if x]
    v = [_clean(x) for x in v if _clean(x)]
    if any(len(x) > 200 for x in v):
        raise UsageError(f"{zh}中有一项超过200字", f"an item of {en} is longer than 200 characters")
    if not v:
        raise UsageError(f"请填写{zh}", f"{en} is required")
    return v


def share_value(value: object) -> float | None:
    """A typed consent share: 0.8, "80%", "80.0 %", 80 (a percent above 1) -> 0.8."""
    if value is None or value == "":
        return None
    s = str(value).strip().replace("％", "%")
    try:
        if s.endswith("%"):
            return float(s[:-1].strip()) / 100
        f = float(s)
    except ValueError:
        raise UsageError(f"填报的同意率应为百分数（如 80%），不是“{value}”",
                         f"typed consent must be a percentage like 80%, not {value!r}") from None
    return f / 100 if f > 1 else f


def clean_fields(kind: str, fields: dict[str, Any], day: dt.date, lp: LoadedPolicy | None = None) -> dict[str, Any]:
    """The kind's fields checked and normalised (what is stored as the event's body)."""
    f = dict(fields or {})
    out: dict[str, Any]
    p = lp.policy if lp is not None else None
    if kind == "consultation":
        subjects = tuple(p.consent.subjects) if p is not None and p.consent else CONSULT_SUBJECTS
        out = {"subject": _choice(f, "subject", subjects, "征求意见事项", "subject"),
               "method": _choice(f, "method", CONSULT_METHODS, "征求意见方式", "method"),
               "start": _date(f.get("start") or day, "征求意见开始日期", "start").isoformat(),
               "end": day.isoformat(),
               "asked": _count(f, "asked", "征求意见户数", "households asked"),
               "agreed": _count(f, "agreed", "同意户数", "households agreeing")}
        if out["asked"] == 0:
            raise UsageError("征求意见户数不能为0", "households asked must be positive")
        if out["agreed"] > out["asked"]:
            raise UsageError(f"同意户数{out['agreed']}多于征求意见户数{out['asked']}",
                             f"{out['agreed']} agreeing is more than the {out['asked']} asked")
        if out["start"] > out["end"]:
            raise UsageError("征求意见开始日期晚于结束日期", "the consultation starts after it ends")
        if f.get("typed") not in (None, ""):
            out["typed"] = str(f["typed"]).strip()
            share_value(out["typed"])
        return out
    if kind in ("declare", "verify"):
        crit = _count(f, "criterion", "开工认定条件序号", "criterion number")
        if p is not None and not p.has_start_criteria:
            raise UsageError("本政策没有开工认定标准，无从申报或核查", "the policy states no start criteria")
        ids = [c.id for c in p.start_criteria.items] if p is not None and p.start_criteria is not None else None
        if ids is not None and crit not in ids:
            raise UsageError(f"政策的开工认定标准没有第{crit}条（有：{'、'.join(map(str, ids))}）",
                             f"the policy's start criteria have no number {crit}")
        out = {"criterion": crit, "note": _text(f, "note", "说明", "note", required=False)}
        if kind == "verify":
            out["verdict"] = _choice(f, "verdict", VERDICTS, "核查结论", "verdict")
            out["inspector"] = _text(f, "inspector", "核查人", "inspector")
            if out["verdict"] == "不符合" and not out["note"]:
                raise UsageError("核查结论为不符合时请写明原因（--note）", "say why a criterion is not met (--note)")
        return out
    if kind == "liaison_check":
        if p is not None and not p.liaison_points:
            raise UsageError("本政策未规定联系点", "the policy names no liaison points")
        conditions = list(p.liaison_points.criteria) if p is not None and p.liaison_points is not None else None
        n = _count(f, "condition", "联系点条件序号", "condition number")
        if conditions is not None and not 1 <= n <= len(conditions):
            raise UsageError(f"政策的联系点条件没有第{n}条（共{len(conditions)}条：{'、'.join(conditions)}）",
                             f"the policy's liaison conditions have no number {n}")
        out = {"condition": n, "verdict": _choice(f, "verdict", VERDICTS, "核查结论", "verdict"),
               "inspector": _text(f, "inspector", "核查人", "inspector"),
               "note": _text(f, "note", "说明", "note", required=False)}
        if out["verdict"] == "不符合" and not out["note"]:
            raise UsageError("核查结论为不符合时请写明原因（--note）", "say why a condition is not met (--note)")
        return out
    if kind == "inspection":
        return {"type": _choice(f, "type", INSPECTION_TYPES, "检查类型", "inspection type"),
                "inspectors": _names(f, "inspectors", "检查人员", "inspectors"),
                "projects": _names(f, "projects", "检查项目", "projects inspected"),
                "note": _text(f, "note", "说明", "note", required=False)}
    if kind == "hazard":
        deadline = _date(f.get("deadline"), "整改期限", "deadline")
        if deadline < day:
            raise UsageError(f"整改期限{deadline.isoformat()}早于发现日期{day.isoformat()}",
                             "the deadline is before the day the hazard was found")
        return {"description": _text(f, "description", "隐患描述", "description"),
                "deadline": deadline.isoformat(),
                "responsible": _text(f, "responsible", "整改责任单位", "responsible unit"),
                "note": _text(f, "note", "说明", "note", required=False)}
    if kind in ("rectified", "complaint_closed", "completed"):
        key = "result" if kind == "complaint_closed" else "note"
        return {key: _text(f, key, "办理结果" if kind == "complaint_closed" else "说明", key, required=kind != "completed")}
    if kind == "acceptance":
        return {"participants": _names(f, "participants", "参加验收单位和人员", "participants"),
                "result": _choice(f, "result", ACCEPTANCE_RESULTS, "验收结论", "result"),
                "note": _text(f, "note", "说明", "note", required=False)}
    if kind == "handover":
        return {"to": _choice(f, "to", HANDOVER_TO, "移交对象", "handed over to"),
                "unit": _text(f, "unit", "接收单位名称", "receiving unit"),
                "note": _text(f, "note", "说明", "note", required=False)}
    if kind == "warranty":
        months = _count(f, "months", "保修期（月）", "warranty months")
        if months == 0:
            raise UsageError("保修期应大于0个月", "the warranty must be at least a month")
        return {"months": months, "unit": _text(f, "unit", "保修责任单位", "warranty unit", required=False)}
    if kind == "complaint":
        return {"subject": _text(f, "subject", "投诉内容", "complaint"),
                "from": _text(f, "from", "投诉人或渠道", "from", required=False)}
    raise UsageError(f"未知的记录类型“{kind}”（可用：{'、'.join(KINDS)}）", f"unknown event kind {kind!r}")


class Life:
    """The life records in the register at ``path`` (default ``$GAIZAO_DB`` or ``./gaizao.db``)."""

    def __init__(self, path: Where | None = None):
        self.path: Store = _target(path) if path is not None else _default_path()

    def _open(self) -> AbstractContextManager[Any]:
        # the projects are the register's: a life without a register has no project to attach to
        return _opened(self.path, create=False)

    # -- writing ----------------------------------------------------------------------------------
    def record(self, kind: str, *, day: dt.date, by: str, project: str | None = None, county: str | None = None,
               fields: dict[str, Any] | None = None, evidence: Iterable[Any] = (), refers_to: int | None = None,
               policy: LoadedPolicy | str | os.PathLike[str] | None = None,
               today: dt.date | None = None, role: str | None = None, own_county: str | None = None) -> Event:
        """Record one event; ``evidence`` is paths or (name, bytes) pairs, each checked by content
        (life.evidence) before anything is written. One transaction: all or nothing.

        ``role`` ("county" / "city" / "admin", the web account's) limits the kinds: a county does not verify its own
        criteria nor find its own hazards; ``own_county`` (a county account's) limits the projects to its own."""
        if kind not in KINDS:
            raise UsageError(f"未知的记录类型“{kind}”（可用：{'、'.join(KINDS)}）", f"unknown event kind {kind!r}")
        if role == "county" and kind in CITY_KINDS:
            raise UsageError(f"{KINDS[kind][1]}由市级记录，下级单位账号不能记录",
                             f"{KINDS[kind][2]} is recorded by the city, not by a county account")
        if role == "city" and kind in COUNTY_KINDS - {"completed"}:
            raise UsageError(f"{KINDS[kind][1]}由下级单位记录", f"{KINDS[kind][2]} is recorded by the county")
        if role == "county" and not own_county:
            raise UsageError("下级单位账号须给出所属县（市、区）", "a county account needs its county")
        if own_county:
            county = county or own_county
            if county != own_county:
                raise UsageError(f"只能记录本单位（{own_county}）的项目", f"only {own_county}'s projects can be recorded")
        by = _clean(by or "")
        if not by or len(by) > 200:
            raise UsageError("请注明记录人（--by，200字以内）", "say who records it (--by, at most 200 characters)")
        day = _date(day, "日期", "day")
        today = today or dt.date.today()
        if day > today:
            raise UsageError(f"日期{day.isoformat()}在今天（{today.isoformat()}）之后：只记录已发生的事",
                             f"{day.isoformat()} is in the future: only what happened is recorded")
        stage, _, _, per_project, needs_ref = KINDS[kind]
        lp = _policy(policy) if policy is not None else None
        body = clean_fields(kind, fields or {}, day, lp)
        evidence = list(evidence)
        if len(evidence) > ev_mod.MAX_FILES:
            raise UsageError(f"一条记录最多附{ev_mod.MAX_FILES}个证据文件（给出了{len(evidence)}个）",
                             f"at most {ev_mod.MAX_FILES} evidence files per record ({len(evidence)} given)")
        files, total = [], 0
        for x in evidence:                      # one at a time: the total is bounded before the next is read
            files.append(_evidence(x))
            total += files[-1].size
            if total > ev_mod.MAX_TOTAL:
                raise UsageError(f"一条记录的证据文件合计超过{ev_mod.MAX_TOTAL // (1024 * 1024)} MB",
                                 f"the evidence of one record exceeds {ev_mod.MAX_TOTAL // (1024 * 1024)} MB in all")
        if kind in NEEDS_EVIDENCE and not files:
            raise UsageError("销号须附整改后的证据（照片或验收单，--evidence）",
                             "closing a hazard needs evidence of the repair (--evidence)")
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        with self._open() as conn:
            with db.transaction(conn):
                if per_project and not project and needs_ref and refers_to is not None:
                    ref = _event(conn, refers_to)     # a 销号 or a reply: the project of what it closes
                    project = ref.project if ref is not None and ref.kind != "inspection" else None
                if per_project:
                    if not project:
                        raise UsageError("请给出项目编号", "give the 项目编号")
                    county = _county_of_project(conn, str(project).strip(), county)
                    project = str(project).strip()
                else:
                    project = None
                    county = _known_county(conn, county)
                    for pid in body.get("projects", []):
                        _county_of_project(conn, pid, county)
                if needs_ref:
                    ref = _event(conn, refers_to) if refers_to is not None else None
                    if ref is None or ref.kind != needs_ref:
                        raise UsageError(f"请给出所指的{KINDS[needs_ref][1]}记录编号（其“#编号”）",
                                         f"give the number of the {KINDS[needs_ref][2]} this refers to")
                    if needs_ref == "inspection" and project not in ref.fields.get("projects", []):
                        raise UsageError(f"检查记录 {ref.id} 未包括项目“{project}”", f"inspection #{ref.id} did not cover {project}")
                    if needs_ref != "inspection" and ref.project != project:
                        raise UsageError(f"记录 {ref.id} 属于项目“{ref.project}”，不是“{project}”",
                                         f"event #{ref.id} is of project {ref.project}, not {project}")
                    if ref.day > day:
                        raise UsageError(f"日期早于所指记录 {ref.id} 的日期{ref.day.isoformat()}",
                                         f"the day is before event #{ref.id}")
                    if needs_ref in ("hazard", "complaint") and _closed(conn, ref.id):
                        raise UsageError(f"记录 {ref.id} 已经办结（销号）", f"event #{ref.id} is already closed")
                elif refers_to is not None:
                    raise UsageError("此类记录不指向其他记录（不用 --refers-to）", "this kind refers to no other event")
                cur = conn.execute(
                    "INSERT INTO life_events(project, county, stage, kind, day, recorded_at, recorded_by, refers_to, body) "
                    "VALUES (?,?,?,?,?,?,?,?,?)",
                    (project, county, stage, kind, day.isoformat(), now, str(by).strip(), refers_to,
                     json.dumps(body, ensure_ascii=False, sort_keys=True)))
                eid = cur.lastrowid
                names: set[str] = set()
                for seq, e in enumerate(files):
                    digest = store.put(conn, e.data)
                    name = _unique(e.name, names)
                    conn.execute("INSERT INTO life_evidence(event_id, seq, name, type, sha256, size) VALUES (?,?,?,?,?,?)",
                                 (eid, seq, name, e.type, digest, e.size))
            ev = _event(conn, eid)
        assert ev is not None                 # the row was inserted in this transaction
        return ev

    # -- reading ----------------------------------------------------------------------------------
    def events(self, *, project: str | None = None, county: str | None = None, kind: str | None = None,
               until: dt.date | None = None) -> list[Event]:
        with self._open() as conn:
            return events(conn, project=project, county=county, kind=kind, until=until)

    def event(self, eid: int) -> Event:
        with self._open() as conn:
            e = _event(conn, eid)
        if e is None:
            raise UsageError(f"没有编号为 {eid} 的记录", f"no event #{eid}")
        return e

    def evidence_bytes(self, eid: int, seq: int = 0) -> tuple[str, bytes]:
        e = self.event(eid)
        ref = next((x for x in e.evidence if x.seq == seq), None)
        if ref is None:
            raise UsageError(f"记录 {eid} 没有第{seq + 1}个证据文件", f"event #{eid} has no evidence #{seq}")
        with self._open() as conn:
            data = store.get(conn, ref.sha256)
        if data is None:
            raise UsageError(f"记录 {eid} 的证据文件 {ref.name} 在登记簿中缺失（{ref.sha256[:12]}…），请从备份恢复",
                             f"evidence {ref.name} of event #{eid} is missing from the register; restore a backup")
        return ref.name, data

    def project(self, pid: str, *, until: dt.date | None = None) -> ProjectLife:
        with self._open() as conn:
            return project_life(conn, pid, until)


# -- helpers over a connection (also for other libraries: register/year, reports) ---------------------
def _policy(policy: LoadedPolicy | str | os.PathLike[str]) -> LoadedPolicy:
    if hasattr(policy, "policy") and hasattr(policy, "manifest"):
        return cast("LoadedPolicy", policy)
    from generator.policy import load_policy
    return load_policy(policy)


def _evidence(x: Any) -> ev_mod.Evidence:
    if isinstance(x, ev_mod.Evidence):
        return x
    if isinstance(x, tuple):
        name, data = x
        return ev_mod.check(bytes(data), str(name))
    return ev_mod.read(x)


def _unique(name: str, taken: set[str]) -> str:
    out, n = name, 2
    while out in taken:
        stem, dot, ext = name.rpartition(".")
        out = f"{stem}-{n}.{ext}" if dot else f"{name}-{n}"
        n += 1
    taken.add(out)
    return out


def listings(conn: Any, pid: str, until: dt.date | None = None) -> list[Listing]:
    """The submissions that listed ``pid`` (received on or before ``until``), leaving out those withdrawn (撤回)
    by then (``until`` None: withdrawn at all): a withdrawn submission is kept but never counted, so it neither
    makes a project known nor gives its county, its stage or its reported dates (register/withdrawn.py)."""
    from generator.register.withdrawn import withdrawals
    sql = ("SELECT s.id, s.county, s.version, s.received, p.community, p.households, p.actual_start, p.actual_end "
           "FROM projects p JOIN submissions s ON s.id = p.submission_id WHERE p.project = ?")
    args: list[Any] = [pid]
    if until is not None:
        sql += " AND s.received <= ?"
        args.append(until.isoformat())
    gone = withdrawals(conn, until)
    return [Listing(r[0], r[1], r[2], dt.date.fromisoformat(r[3]), *r[4:])
            for r in conn.execute(sql + " ORDER BY s.received, s.id", args) if r[0] not in gone]


def _county_of_project(conn: Any, pid: str, county: str | None) -> str:
    found = sorted({x.county for x in listings(conn, pid)})
    if not found:
        raise InputError(f"项目编号“{pid}”不在任何已登记报送的项目清单中（先登记含该项目的报送）",
                         f"project {pid!r} is listed by no recorded submission", location=f"项目 {pid}")
    if county:
        if county not in found:
            raise InputError(f"项目“{pid}”由{'、'.join(found)}报送，不是“{county}”",
                             f"project {pid!r} is {', '.join(found)}'s, not {county!r}'s", location=f"项目 {pid}")
        return county
    if len(found) > 1:
        raise UsageError(f"项目编号“{pid}”出现在{'、'.join(found)}的报送中，请用 --county 指明",
                         f"project {pid!r} is listed by several counties: give --county")
    return found[0]


def _known_county(conn: Any, county: str | None) -> str:
    if not county:
        raise UsageError("请给出县（市、区）（--county）", "give the county (--county)")
    known = {r[0] for r in conn.execute("SELECT DISTINCT county FROM submissions")}
    if county not in known:
        raise InputError(f"登记库中没有“{county}”的报送" + (f"（已有：{'、'.join(sorted(known))}）" if known else ""),
                         f"no submission of {county!r} in the register", location=county)
    return county


def _closed(conn: Any, eid: int) -> bool:
    return conn.execute("SELECT 1 FROM life_events WHERE refers_to = ? AND kind IN ('rectified', 'complaint_closed')",
                        (eid,)).fetchone() is not None


def _row_event(conn: Any, r: Any) -> Event:
    ev = [EvidenceRef(*x) for x in conn.execute(
        "SELECT seq, name, type, sha256, size FROM life_evidence WHERE event_id = ? ORDER BY seq", (r["id"],))]
    return Event(r["id"], r["project"], r["county"], r["stage"], r["kind"], dt.date.fromisoformat(r["day"]),
                 r["recorded_at"], r["recorded_by"], r["refers_to"], json.loads(r["body"]), ev)


def _event(conn: Any, eid: int) -> Event | None:
    r = conn.execute("SELECT * FROM life_events WHERE id = ?", (int(eid),)).fetchone()
    return None if r is None else _row_event(conn, r)


def events(conn: Any, *, project: str | None = None, county: str | None = None,
           kind: str | Sequence[str] | None = None, until: dt.date | None = None) -> list[Event]:
    """Events in the order they happened (day, then recorded)."""
    sql, args = "SELECT * FROM life_events WHERE 1=1", []
    for col, v in (("project", project), ("county", county)):
        if v is not None:
            sql += f" AND {col} = ?"
            args.append(v)
    if kind is not None:
        kinds = [kind] if isinstance(kind, str) else list(kind)
        sql += f" AND kind IN ({','.join('?' * len(kinds))})"
        args += kinds
    if until is not None:
        sql += " AND day <= ?"
        args.append(until.isoformat())
    return [_row_event(conn, r) for r in conn.execute(sql + " ORDER BY day, id", args)]


def has_life(conn: Any) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'life_events'").fetchone() is not None


def project_life(conn: Any, pid: str, until: dt.date | None = None) -> ProjectLife:
    ls = listings(conn, pid, until)
    if not ls:
        raise InputError(f"项目编号“{pid}”不在任何已登记报送的项目清单中", f"project {pid!r} is listed by no submission",
                         location=f"项目 {pid}")
    evs = events(conn, project=pid, until=until)
    inspections = [e for e in events(conn, county=ls[-1].county, kind="inspection", until=until)
                   if pid in e.fields.get("projects", [])]
    evs = sorted(evs + inspections, key=lambda e: (e.day, e.id))
    return ProjectLife(pid, ls[-1].county, ls[-1].community, ls, evs)
