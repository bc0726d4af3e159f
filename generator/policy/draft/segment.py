"""The parts of a published text, each paragraph with the clause id policy.yaml's ``clause:`` will name.

A notice with its plan (GB/T 9704 layout: 版头 … 文号 … 标题 … 主送 … 正文 … 成文日期, then the plan's title,
preamble, parts 一、 and items （一）, then 附件) becomes text.yaml's notice / plan / attachments; a report or an
excerpt without that layout becomes a plan whose first line is its title and whose paragraphs are its 前言.
Clause ids are those ``generator.policy.text`` gives when it renders text.yaml, so ``policy check`` (P160) finds
each quote in the same clause.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from generator.policy.cnfmt import NUMERAL_CHARS as NUM

SECTION = re.compile(rf"^([{NUM}]+)、\s*(.*)$")
SUBCLAUSE = re.compile(rf"^（([{NUM}]+)）\s*(.*)$")
DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[［(（]((?:19|20)\d\d)[〕\]］)）]\d+号$")
DATE_LINE = re.compile(r"^((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日$")
BANNER = re.compile(r"^(.{2,40}?)文件$")
NOTICE_TITLE = re.compile(r"关于.{2,80}(通知|决定|意见|批复|函)$")
IMPRINT = re.compile(r"^(抄送|主办|承办)[：:]|\d{4}年\d{1,2}月\d{1,2}日\s*印\s*发$")   # 版记 lines
ATTACHMENT = re.compile(r"^附\s*件\s*(\d*)\s*[：:]?\s*(.*)$")
# words of a plan title (方案, 计划 …): the line after the 成文日期 that names the plan
PLAN_TITLE_WORDS = ("方案", "计划", "意见", "办法", "要点", "安排", "任务")


@dataclass
class Part:
    cid: str                   # clause id as text.py renders it
    paragraphs: list[str]

    @property
    def text(self) -> str:
        return "".join(self.paragraphs)


@dataclass
class Segmented:
    text: dict[str, Any]                                  # text.yaml as data
    parts: list[Part] = field(default_factory=list)
    notice: dict[str, Any] = field(default_factory=dict)  # banner, doc_number, title, addressee, date as printed
    plan_title: str = ""
    imprint: list[str] = field(default_factory=list)   # 版记 lines (抄送, …印发), not clauses


def _heading_split(rest: str) -> tuple[str, str]:
    """（一）制定工作实施方案。各县… → ("制定工作实施方案。", "各县…"); no run-in heading → ("", rest)."""
    m = re.match(r"^(.{2,30}?。)(.*)$", rest)
    if m and "，" not in m.group(1):
        return m.group(1), m.group(2)
    return "", rest


def _join_titles(paras: list[str]) -> list[str]:
    """A title printed on two or three centred lines is one paragraph; a 版头 drawn out of reading order (a PDF's
    text layer may give it after the 成文日期) goes back to the top."""
    paras = list(paras)
    for k in range(min(12, len(paras))):
        for span in (3, 2):
            pieces = paras[k:k + span]
            if len(pieces) < span or any(len(x) > 40 or x.endswith(_END + ("：", ":")) for x in pieces):
                continue
            joined = "".join(pieces)
            if NOTICE_TITLE.search(joined) and not NOTICE_TITLE.search(pieces[0]) and "关于" in joined:
                paras[k:k + span] = [joined]
                break
    date_at = next((k for k, x in enumerate(paras[:20]) if DATE_LINE.match(x)), None)
    if date_at is not None and date_at + 2 < len(paras):
        a, b = paras[date_at + 1], paras[date_at + 2]
        if BANNER.match(a) and date_at + 3 < len(paras):          # the 版头 drawn after the date
            paras.insert(0, paras.pop(date_at + 1))
            date_at += 1
            a, b = paras[date_at + 1], paras[date_at + 2]
        if len(a) <= 30 and len(b) <= 30 and not a.endswith(PLAN_TITLE_WORDS) and b.endswith(PLAN_TITLE_WORDS) \
                and not SECTION.match(b):
            paras[date_at + 1:date_at + 3] = [a + b]
    return paras


def segment(paras: list[str]) -> Segmented:
    paras = _join_titles(paras)
    i = 0
    n = len(paras)
    notice: dict[str, Any] = {}
    text: dict[str, Any] = {}
    # -- notice header: banner, 文号, title, addressee, body, (signature), date ------------------------------
    head = paras[:6]
    banner_at = next((k for k, p in enumerate(head) if BANNER.match(p) and len(p) <= 40), None)
    number_at = next((k for k, p in enumerate(head) if DOC_NUMBER.match(p)), None)
    title_at = next((k for k, p in enumerate(paras[:8]) if NOTICE_TITLE.search(p) and len(p) <= 90), None)
    if title_at is not None and (banner_at is not None or number_at is not None):
        notice["banner"] = paras[banner_at] if banner_at is not None else ""
        notice["doc_number"] = paras[number_at] if number_at is not None else ""
        notice["title"] = paras[title_at]
        i = title_at + 1
        notice["addressee"] = ""
        if i < n and paras[i].endswith(("：", ":")) and len(paras[i]) <= 120:
            notice["addressee"] = paras[i]
            i += 1
        body: list[str] = []
        signature = ""
        while i < n and not DATE_LINE.match(paras[i]):
            body.append(paras[i])
            i += 1
        if i < n:
            notice["date"] = paras[i]
            i += 1
        else:                                     # no 成文日期 line: not a notice after all
            notice, i = {}, 0
        if notice:
            if body and len(body[-1]) <= 40 and not body[-1].endswith(_END) and len(body) > 1:
                signature = body.pop()
            notice["body"] = body
            notice["signature"] = signature
    parts: list[Part] = []
    if notice:
        text["notice"] = dict(notice)
        for key, cid in (("banner", "版头"), ("doc_number", "发文字号"), ("title", "标题"), ("addressee", "主送")):
            parts.append(Part(cid, [notice[key]]))
        parts.append(Part("通知", list(notice["body"])))
        parts.append(Part("署名", [notice["signature"]]))
        parts.append(Part("成文日期", [notice["date"]]))
    # -- the plan: title, preamble, parts, items; then attachments ---------------------------------------------
    plan_title = ""
    if i < n and not SECTION.match(paras[i]) and not ATTACHMENT.match(paras[i]) and len(paras[i]) <= 60 \
            and not paras[i].endswith(_END):
        plan_title = paras[i]
        i += 1
    preamble: list[str] = []
    sections: list[dict[str, Any]] = []
    attachments: list[dict[str, Any]] = []
    note = None
    used: set[str] = set()
    cur: dict[str, Any] | None = None
    imprint: list[str] = []
    while i < n:
        p = paras[i]
        i += 1
        if IMPRINT.search(p):        # 版记 (抄送, 印发机关和印发日期): not a clause of the plan, kept apart
            imprint.append(p)
            continue
        a = ATTACHMENT.match(p)
        if a and (not a.group(2) or len(p) <= 60):
            if a.group(2) and note is None and not attachments:
                note = p                          # 附件：… (the 附件说明 line of the plan)
                continue
            label = f"附件{a.group(1)}"
            aid = label
            title = a.group(2)
            if not title and i < n:
                title = paras[i]
                i += 1
            attachments.append({"id": aid, "label": label, "title": title, "paragraphs": []})
            cur = None
            continue
        if attachments:
            attachments[-1]["paragraphs"].append(p)
            continue
        s = SECTION.match(p)
        if s and s.group(1) not in used and len(s.group(2)) <= 40:
            used.add(s.group(1))
            heading, rest = s.group(2), ""
            if "。" in heading[:-1]:
                heading, rest = heading.split("。", 1)
            cur = {"id": s.group(1), "number": s.group(1), "heading": heading, "paragraphs": [], "clauses": []}
            if rest:
                cur["paragraphs"].append(rest)
            sections.append(cur)
            continue
        c = SUBCLAUSE.match(p)
        if c and cur is not None:
            cid = f"{cur['id']}（{c.group(1)}）"
            if all(x["id"] != cid for x in cur["clauses"]):
                heading, rest = _heading_split(c.group(2))
                cur["clauses"].append({"id": cid, "number": f"（{c.group(1)}）", "heading": heading, "text": rest})
                continue
        if cur is None:
            preamble.append(p)
        elif cur["clauses"]:
            cur["clauses"][-1]["text"] += p        # a paragraph after an item belongs to it
        else:
            cur["paragraphs"].append(p)
    if not plan_title and not notice and preamble and len(preamble[0]) <= 60 and not preamble[0].endswith(_END):
        plan_title = preamble.pop(0)              # a report's headline
    plan: dict[str, Any] = {"title": plan_title or "", "preamble": preamble, "sections": sections}
    if note:
        plan["attachment_note"] = note
    text["plan_title"] = plan_title or notice.get("title", "")
    text["plan"] = plan
    if attachments:
        text["attachments"] = attachments
    parts.append(Part("方案标题", [plan["title"]]))
    if preamble:
        parts.append(Part("前言", preamble))
    for sec in sections:
        parts.append(Part(sec["id"], sec["paragraphs"]))
        for sub in sec["clauses"]:
            parts.append(Part(sub["id"], [sub["text"]]))      # text.py's clause text: the words after its heading
    if note:
        parts.append(Part("附件说明", [note]))
    for att in attachments:
        parts.append(Part(att["id"], [att["title"]]))
        for k, x in enumerate(att["paragraphs"]):
            parts.append(Part(f"{att['id']}.{k + 1}", [x]))
    seg = Segmented(text, parts, notice, plan_title)
    seg.imprint = imprint
    return seg


_END = ("。", "；", "！", "？")
