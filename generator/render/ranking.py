"""Ranking of the counties by their inspection scores, as 三（五） asks, or a clear refusal.

A library function, no rendering: ``rank(policy, scores, weights, round_id)`` returns ranked rows with
shared ranks and a decision-needed flag; the summary sheet (generator.render.acceptance) and any later
通报 print them. What the policy decides and what it leaves open:

- The policy names the rounds and the number of excellent counties (inspections.excellent_count), and
  says the rounds are combined by weight ("综合权重") but gives no weights in 2023: weights come from
  the policy when it has them, otherwise from the user (the city office decides), and are checked:
  finite, non-negative, summing to 1 within WEIGHT_TOLERANCE.
- The policy gives no score scale. The forms print 得分 on a hundred-point scale (FORM_SCALE); that is a
  form convention, not policy, and scores outside it are refused rather than silently ranked.
- A summary of an earlier round (年中) ranks that round's own scores only; excellence is decided on the
  combined score of the last round (年终), where a tie at the cut-off is shown as needing a decision
  (待研究确定) and never turns the policy's 3 into 4. Tied counties share a rank (1, 2, 2, 4).

Totals are computed with exact fractions of the decimal inputs, so 0.4×80 + 0.6×90 ties with
0.4×90 + 0.6×83.333… only when they are really equal, never by float noise.
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from generator.errors import InputError, UsageError
from generator.safetext import inbound_text

WEIGHT_TOLERANCE = 1e-9
# The forms' printed scale (得分, 百分制). The policy names no scale: a form convention, said so on the sheet.
FORM_SCALE = (0.0, 100.0)
# printed on forms and 通报: the scale only (the policy gives none; that it is the forms' convention is
# said in docs/forms.md, never in a document a leader signs)
SCALE_NOTE = "得分按百分制（0—100分）"
SCALE_NOTE_EN = "scores on a 0-100 scale"


class RankingError(UsageError):
    """Ranking cannot follow the policy with these inputs (exit 2)."""


@dataclass
class RankedRow:
    county: str
    scores: dict[str, float]          # round id -> score, only the rounds this ranking uses
    total: Fraction                   # weighted total (or the round's own score)
    rank: int                         # competition ranking: ties share a rank, the next rank skips
    excellent: bool = False           # within the policy's excellent_count, no tie at the cut-off
    decision_needed: bool = False     # tied at the cut-off: 待研究确定

    @property
    def total_value(self) -> float:
        return float(self.total)


@dataclass
class Ranking:
    rows: list[RankedRow]
    rounds: list                      # the InspectionRound records used, in policy order
    weights: dict[str, float] | None  # None when one round's own scores are ranked
    weights_source: str | None        # "policy" | "user" | None
    excellent_count: int | None       # None: this ranking decides no excellence (an earlier round)
    scale: tuple[float, float] = FORM_SCALE
    decision_needed: list[str] = field(default_factory=list)   # counties tied at the cut-off


# -- inputs ------------------------------------------------------------------------------------------
def find_round(policy, ref: str):
    """A round by id (mid-year) or name (年中)."""
    policy = getattr(policy, "policy", policy)          # a LoadedPolicy works too
    rounds = policy.inspections.rounds if policy.inspections else []
    for r in rounds:
        if str(ref).strip() in (r.id, r.name):
            return r
    ids = "、".join(f"{r.id}（{r.name}）" for r in rounds) or "无"
    raise UsageError(f"未知的检查轮次“{ref}”；政策规定的轮次：{ids}", f"unknown round {ref!r}; the policy's rounds: {ids}")


def score_scale(policy) -> tuple[float, float]:
    """The policy's score scale when a policy version records one (inspections.score_scale), else the form's."""
    scale = getattr(policy.inspections, "score_scale", None) if policy.inspections else None
    if scale:
        return float(scale[0]), float(scale[1])
    return FORM_SCALE


def _number(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip().replace("，", "").replace(",", ""))
    except ValueError:
        return None


def check_weights(weights: dict[str, float], policy, where: str = "权重") -> dict[str, float]:
    """Weights for every round, finite, non-negative, summing to 1 (within WEIGHT_TOLERANCE)."""
    rounds = policy.inspections.rounds
    for r in rounds:
        if r.id not in weights:
            raise RankingError(f"{where}：缺少{r.name}的权重", f"{where}: no weight for {r.id}")
    for r in rounds:
        w = weights[r.id]
        if not math.isfinite(w):
            raise RankingError(f"{where}：{r.name}的权重“{w}”不是有限数", f"{where}: weight of {r.id} is not finite ({w})")
        if w < 0:
            raise RankingError(f"{where}：{r.name}的权重不能为负数（{w:g}）", f"{where}: weight of {r.id} is negative ({w:g})")
    total = sum((Fraction(repr(weights[r.id])) for r in rounds), Fraction(0))
    if abs(total - 1) > WEIGHT_TOLERANCE:
        shown = "＋".join(f"{weights[r.id]:g}" for r in rounds)
        raise RankingError(f"{where}：各轮权重之和须为1（允许误差{WEIGHT_TOLERANCE:g}），现为 {shown} = {float(total):g}",
                           f"{where}: the weights must sum to 1 (tolerance {WEIGHT_TOLERANCE:g}); "
                           f"{shown} = {float(total):g}")
    return {r.id: float(weights[r.id]) for r in rounds}


def parse_weights(text: str | None, policy) -> tuple[dict[str, float] | None, str | None]:
    """(weights, source): the policy's own weights, else ``mid-year=0.4,year-end=0.6`` or a YAML file
    {mid-year: 0.4, ...} (round names also accepted). Returns (None, None) when there are none."""
    if not text:
        w = policy.inspections.weights if policy.inspections else None
        return (check_weights(dict(w), policy, "政策中的权重"), "policy") if w else (None, None)
    path = Path(text)
    if path.is_file():
        doc = _read_yaml(path)
        if not isinstance(doc.data, dict):
            raise InputError("权重文件应为“轮次: 权重”的映射", "the weights file must map round to weight", location=text)
        pairs = [(k, v, f"{text}:{doc.line_of((k,))}") for k, v in doc.data.items()]
    else:
        pairs = []
        for part in text.replace("，", ",").split(","):
            key, sep, val = part.partition("=")
            if not sep:
                raise UsageError(f"权重格式应为 轮次=权重（如 mid-year=0.4,year-end=0.6），而不是“{part}”",
                                 f"weights look like mid-year=0.4,year-end=0.6, not {part!r}")
            pairs.append((key.strip(), val.strip(), "权重"))
    if policy.inspections is None:
        raise RankingError("该政策没有检查验收规定，不能给出各轮权重", "this policy has no inspections: no round takes a weight")
    weights: dict[str, float] = {}
    given: dict[str, str] = {}
    for key, val, where in pairs:
        r = find_round(policy, str(key))
        if r.id in given:                 # never the last one silently: 优秀 would rest on weights nobody chose
            first = given[r.id]
            same = f"，“{first}”与“{key}”是同一轮次（{r.id}，{r.name}）" if str(first).strip() != str(key).strip() else ""
            raise RankingError(f"{where}：{r.name}的权重给了两次（{first}={weights[r.id]:g}，{key}={val}）{same}；"
                               "每一轮只能给一个权重",
                               f"{where}: the weight of {r.id} is given twice ({first}={weights[r.id]:g}, {key}={val}); "
                               "give each round one weight")
        num = _number(val)
        if num is None:
            raise RankingError(f"{where}：{key} 的权重“{val}”不是数字", f"{where}: weight {val!r} of {key} is not a number")
        weights[r.id], given[r.id] = num, key
    return check_weights(weights, policy, text if path.is_file() else "权重"), "user"


def _read_yaml(path: Path):
    """A weights or scores file as data with lines: size-bounded, UTF-8/UTF-16/GBK (yamlsrc.read_text)."""
    from generator.policy.yamlsrc import parse_yaml, read_text
    return parse_yaml(read_text(path), str(path), InputError)


def load_scores(path: str | Path, policy) -> dict[str, dict[str, float]]:
    """Scores {round id: {county: score}} from a YAML/JSON file {轮次: {县（市、区）: 得分}} or a CSV table
    (first column the unit, one column per round, by name or id); UTF-8 or GBK. Every score must be a
    finite number inside the scale (score_scale); an error names the file, line and field, and the units as the
    policy's level names them (县（市、区） in a city's, 市 in a province's)."""
    from generator.policy.wording import lower_unit, policy_level
    path = Path(path)
    unit = lower_unit(policy_level(policy))
    shown = str(path)
    lo, hi = score_scale(policy)
    out: dict[str, dict[str, float]] = {}
    first_at: dict[tuple[str, str], str] = {}      # (round id, county) -> where it was given first

    def round_at(rkey, where):
        try:
            return find_round(policy, inbound_text(str(rkey)))
        except UsageError as exc:       # named where it is: the column or key of the file
            raise InputError(exc.message, exc.message_en, location=where) from None

    def put(rkey, county, raw, where):
        r = round_at(rkey, where)
        county = inbound_text(str(county)).strip()
        if policy.county(county) is None:
            raise InputError(f"{r.name}：政策中没有“{county}”", f"{r.id}: no county {county!r} in the policy",
                             location=where)
        field_zh, field_en = f"{county} {r.name}得分", f"{county} {r.id} score"
        if (r.id, county) in first_at:   # a blank given first counts too: which of the two would be meant?
            raise InputError(f"{field_zh}重复（先见于 {first_at[r.id, county]}）",
                             f"{field_en} given twice (first at {first_at[r.id, county]})", location=where)
        first_at[r.id, county] = where
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return                      # blank: not scored (rank() says which county lacks a score)
        num = _number(raw)
        if num is None:
            raise InputError(f"{field_zh}“{raw}”不是数字", f"{field_en} {raw!r} is not a number", location=where)
        if not math.isfinite(num):
            raise InputError(f"{field_zh}“{raw}”不是有限数", f"{field_en} {raw!r} is not finite", location=where)
        if not lo <= num <= hi:
            raise InputError(f"{field_zh} {num:g} 超出{lo:g}—{hi:g}分", f"{field_en} {num:g} outside {lo:g}-{hi:g}",
                             location=where)
        out.setdefault(r.id, {})[county] = num

    if path.suffix.lower() == ".csv":
        from generator.policy.yamlsrc import read_text
        text = read_text(path, shown)
        rows = list(csv.reader(io.StringIO(text)))
        if not rows:
            raise InputError("得分表为空", "the scores table is empty", location=shown)
        header = [h.strip() for h in rows[0]]
        for line, cells in enumerate(rows[1:], 2):
            if not any(c.strip() for c in cells):
                continue
            if any(c.strip() for c in cells[len(header):]):      # never dropped without a word
                raise InputError(f"第{line}行比表头多出数据（表头{len(header)}列）",
                                 f"line {line} has more cells than the header ({len(header)} columns)",
                                 location=f"{shown}:{line}")
            for col, raw in list(zip(header, cells))[1:]:
                put(col, cells[0], raw, f"{shown}:{line} {col}")
        return out
    doc = _read_yaml(path)
    if not isinstance(doc.data, dict):
        raise InputError(f"得分文件应为“轮次: {{{unit}: 得分}}”", "scores must map round -> {county: score}",
                         location=f"{shown}:{doc.line_of(()) or 1}")
    for rkey, table in doc.data.items():
        round_at(rkey, f"{shown}:{doc.line_of((rkey,))}")
        if not isinstance(table, dict):
            raise InputError(f"{rkey}：应为“{unit}: 得分”", f"{rkey}: expected county: score",
                             location=f"{shown}:{doc.line_of((rkey,))}")
        for county, raw in table.items():
            put(rkey, county, raw, f"{shown}:{doc.line_of((rkey, county))}")
    return out


# -- the ranking -------------------------------------------------------------------------------------
def refusal_without_weights(policy, clause_text: str) -> RankingError:
    from generator.policy.wording import level_organ, policy_level
    names = "、".join(r.name for r in policy.inspections.rounds)
    return RankingError(
        f"无法排名：政策（{clause_text}）要求按{names}检查验收情况“综合权重”评选，但未给出权重；"
        f"须由{level_organ(policy_level(policy))}确定权重后提供（--weights），或使用给出权重的政策版本。",
        f"cannot rank: the policy ({clause_text}) combines the {names} rounds by weight but gives no weights; "
        f"pass --weights as decided by the city office, or use a policy version that has them.")


def rank(policy, scores: dict[str, dict[str, float]], weights: dict[str, float] | None = None,
         round_id: str | None = None, *, weights_source: str | None = None, clause_text: str = "") -> Ranking:
    """Rank the counties that have a target.

    ``round_id`` None or the last round: the combined score of all rounds (weights required, checked) and the
    policy's excellent counties, a tie at the cut-off flagged. An earlier round: that round's scores only.
    """
    policy = getattr(policy, "policy", policy)          # a LoadedPolicy works too
    ins = policy.inspections
    rounds = list(ins.rounds)
    final = round_id is None or round_id == rounds[-1].id
    if final:
        if weights is None:
            raise refusal_without_weights(policy, clause_text or ins.clause)
        weights = check_weights(weights, policy)
        used = rounds
    else:
        assert round_id is not None               # not the final round: a round was named
        used = [find_round(policy, round_id)]
        weights = None
    lo, hi = score_scale(policy)
    rows: list[RankedRow] = []
    for c in policy.counties_with_target:
        missing = [r.name for r in used if c.name not in scores.get(r.id, {})]
        if missing:
            raise RankingError(f"{c.name} 缺少{'、'.join(missing)}得分，无法排名",
                               f"{c.name} has no score for {', '.join(missing)}; cannot rank")
        per = {r.id: float(scores[r.id][c.name]) for r in used}
        for r in used:
            s = per[r.id]
            if not (math.isfinite(s) and lo <= s <= hi):
                raise RankingError(f"{c.name} {r.name}得分 {s:g} 不是{lo:g}—{hi:g}分之间的有限数",
                                   f"{c.name} {r.id} score {s:g} is not a finite number within {lo:g}-{hi:g}")
        if weights is None:
            total = Fraction(repr(per[used[0].id]))
        else:
            total = sum((Fraction(repr(weights[r.id])) * Fraction(repr(per[r.id])) for r in used), Fraction(0))
        rows.append(RankedRow(c.name, per, total, 0))
    rows.sort(key=lambda x: -x.total)        # stable: ties keep the policy's county order
    for row in rows:
        row.rank = 1 + sum(1 for o in rows if o.total > row.total)
    n = ins.excellent_count.value if final else None
    tied: list[str] = []
    if n is not None and rows:
        if len(rows) <= n:
            cut = None
        else:
            cut = rows[n - 1].total               # the n-th best total
        for row in rows:
            if cut is None or row.total > cut:
                row.excellent = True
            elif row.total == cut:
                at_or_above = sum(1 for o in rows if o.total >= cut)
                if at_or_above <= n:
                    row.excellent = True
                else:                             # more counties than places share the cut-off score
                    row.decision_needed = True
                    tied.append(row.county)
    return Ranking(rows, used, weights, weights_source if weights else None, n, (lo, hi), tied)
