"""The life of a submission after it was sent (a 填报系统's workflow): the county withdraws it before the
city received it; the city receives it, accepts it (通过) or returns it (退回) with its reasons and the
反馈意见函; the county gets a 回执. Kept in the register's ``web_reviews`` table, append-only: a submission's
state is its latest row."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint

from generator.register import db

bp = Blueprint("workflow", __name__)

ACTIONS = {"withdrawn": "已撤回", "received": "已接收（审核中）", "accepted": "审核通过", "returned": "已退回"}


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


def states(path, ids=None) -> dict[int, Review]:
    """The latest review row of each submission (of ``ids`` when given)."""
    with db.opened(path, create=True) as conn:
        rows = conn.execute("SELECT r.* FROM web_reviews r JOIN (SELECT submission_id, MAX(id) AS id FROM web_reviews "
                            "GROUP BY submission_id) m ON m.id = r.id").fetchall()
    out = {r["submission_id"]: Review(**{k: r[k] for k in r.keys()}) for r in rows}
    if ids is not None:
        wanted = set(ids)
        out = {k: v for k, v in out.items() if k in wanted}
    return out
