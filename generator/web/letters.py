"""The web's two 公文 as kinds of the document pipeline (generator/render/pipeline.py): the 回执 a county downloads
for a submission (when it was received, which file, where it stands) and the 反馈意见函 the city returns a
submission with (its reasons first, then the findings the county can correct; stored with the review,
web/workflow.py). Both PDF on the 公文 layout without the manifest in their properties, as the web has always
handed them out. Free of Flask, so that the command layer finds them (web/kinds/): gaizao render doc receipt|letter
--db FILE [--county C].

The state of a submission in the web's workflow (``web_reviews``, append-only: its latest row) is read here too,
for the 回执 and for the reasons of a returned submission.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.register import db

if TYPE_CHECKING:
    from generator.render.official import Official
    from generator.render.pipeline import Document

ACTIONS = {"withdrawn": "已撤回", "received": "已接收，审核中", "accepted": "审核通过", "returned": "已退回"}
WAITING = "已报送，待接收"


@dataclass
class Review:
    id: int
    submission_id: int
    action: str
    at: str
    by: str
    reasons: str | None
    letter_name: str | None
    letter_sha256: str | None

    @property
    def label(self) -> str:
        return ACTIONS[self.action]


def _review(row) -> Review:
    return Review(**{k: row[k] for k in ("id", "submission_id", "action", "at", "by", "reasons", "letter_name",
                                         "letter_sha256")})


def states(path, ids=None) -> dict[int, Review]:
    """The latest review row of each submission (of ``ids`` when given); a submission without one waits."""
    with db.opened(path, create=True) as conn:
        rows = conn.execute("SELECT r.* FROM web_reviews r JOIN (SELECT submission_id, MAX(id) AS id FROM web_reviews "
                            "GROUP BY submission_id) m ON m.id = r.id").fetchall()
    out = {r["submission_id"]: _review(r) for r in rows}
    if ids is not None:
        wanted = set(ids)
        out = {k: v for k, v in out.items() if k in wanted}
    return out


# -- the 回执 ------------------------------------------------------------------------------------------------------
def receipt(lp, sub, state: str) -> Official:
    """回执: the city's acknowledgement that it received the county's file — when, which file (sha256), and
    where it stands (``state``: the label of its review state, WAITING without one)."""
    from generator.policy.cnfmt import cn_date
    from generator.reports.fankui import addressee_for
    from generator.render.official import Official, Table, banner_of, date_text, issuer_of, label_of, office
    kind = sub.kind or "报送"
    rows = [["报送单位", sub.county], ["报送类别", kind + (f"（{sub.period}）" if sub.period else "")],
            ["版本", f"第{sub.version}版"], ["文件名", sub.file_name], ["收到日期", cn_date(sub.received)],
            ["登记时间", _beijing(sub.recorded_at)], ["文件校验值（SHA-256）", sub.sha256],
            ["检查结果", f"错误{sub.errors}个，警告{sub.warnings}个"], ["当前状态", state]]
    blocks = [f"你单位报送的材料已于{cn_date(sub.received)}收到，登记如下。文件校验值可用于核对所报送文件未被改动"
              "（Windows：certutil -hashfile 文件名 SHA256）。", Table(["项目", "内容"], rows, [30, 70])]
    if kind == "试填报":
        blocks.append("本件为试填报，仅作检查，不计入报送和进度。")
    issuer = issuer_of(lp)        # the blank field where the plan names no issuer (never the city's name)
    return Official(banner_of(lp, letter=True), "", f"{sub.county}报送材料回执", addressee_for(lp, sub.county), blocks,
                    office(lp), date_text(sub.received), label_of(lp, sub.sample), issuer, f"回执·{sub.county}",
                    sub.received, letter=True)


def _beijing(ts: str) -> str:
    from generator.web.views_filters import when
    return when(ts)


def receipt_document(lp, sub, state: str) -> Document:
    from generator.render.pipeline import Document
    return Document(f"回执（{sub.county}第{sub.version}版）", receipt(lp, sub, state), f"{sub.county}报送材料回执",
                    bool(sub.sample), author=sub.county)


def _receipts(lp, inputs) -> list[Document]:
    """The 回执 of every submission of the register (--db; of --county's), in its web state as of now."""
    reg, subs = _submissions(inputs)
    st = states(reg.path, [s.id for s in subs])
    return [receipt_document(lp, s, st[s.id].label if s.id in st else WAITING) for s in subs]


# -- the 反馈意见函 of a submission ---------------------------------------------------------------------------------
def feedback(reg, lp, sub, reasons: str | None, day: dt.date | None) -> Official:
    """The 反馈意见函 of a submission (reports/fankui.py's letter): the findings recorded for it that the county can
    correct (not the facts of receipt), with the city's ``reasons`` for returning it first."""
    from generator.findings import Severity
    from generator.register.api import RECEIPT_CODES
    from generator.reports.fankui import fankui
    found = [f for f in reg.findings(sub.id) if f.code not in RECEIPT_CODES
             and f.severity in (Severity.ERROR, Severity.WARNING)]
    doc = fankui(lp, sub.county, found, file_name=sub.file_name, received=sub.received, sample=sub.sample, date=day)
    if reasons:
        doc.blocks.insert(0, f"经审核，{reasons.strip()}")
    return doc


def letter_document(reg, lp, sub, reasons: str | None, day: dt.date | None) -> Document:
    from generator.render.pipeline import Document
    doc = feedback(reg, lp, sub, reasons, day)
    return Document(f"反馈意见函（{sub.county}第{sub.version}版）", doc, doc.title.replace("\n", ""), bool(sub.sample),
                    author=doc.author)


def _letters(lp, inputs) -> list[Document]:
    """The 反馈意见函 of every submission of the register (--db; of --county's): a returned one with the reasons and
    the day of its return, any other dated --date (blank by default) without reasons."""
    reg, subs = _submissions(inputs)
    st = states(reg.path, [s.id for s in subs])
    out = []
    for s in subs:
        r = st.get(s.id)
        returned = r is not None and r.action == "returned"
        out.append(letter_document(reg, lp, s, r.reasons if r is not None and returned else None,
                                   dt.date.fromisoformat(r.at[:10]) if r is not None and returned else inputs.date))
    return out


def _submissions(inputs):
    from generator.register import Register
    reg = Register(inputs.db)
    return reg, reg.submissions(inputs.county)


def _kinds():
    from generator.render.official import OfficialLayout
    from generator.render.pipeline import DocumentKind, register
    layout = OfficialLayout(formats=("pdf",), manifest=False)
    receipt_kind = register(DocumentKind(
        "receipt", "回执", "receipt", _receipts, layout, needs=("db",),
        help="每份报送一份：收到日期、文件名、文件校验值与当前状态（网页下载的回执，PDF）"))
    letter_kind = register(DocumentKind(
        "letter", "报送反馈意见函", "feedback letter on a submission", _letters, layout, needs=("db",),
        help="每份报送一份：登记时记录的须改正、请核实的问题，退回的附退回理由（网页退回时的反馈意见函，PDF）"))
    return receipt_kind, letter_kind


RECEIPT, LETTER = _kinds()
