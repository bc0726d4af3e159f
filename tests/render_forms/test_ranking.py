"""Ranking follows the policy or stops (generator.render.ranking): weights, scales, ties at the cut-off."""
import math

import pytest

from generator.errors import InputError, UsageError
from generator.render import ranking as R


@pytest.fixture(scope="module")
def pol():
    from generator.policy import load_policy
    return load_policy("xuchang/2023").policy


def ids(pol):
    return [r.id for r in pol.inspections.rounds]


def names(pol):
    return [c.name for c in pol.counties_with_target]


def table(pol, mid, end):
    m, e = ids(pol)
    return {m: dict(zip(names(pol), mid)), e: dict(zip(names(pol), end))}


@pytest.mark.parametrize("w", [(0.5, 0.6), (0.4, 0.5), (math.nan, 1.0), (math.inf, 0.0), (-0.2, 1.2),
                               (0.4, 0.6 + 1e-8)])
def test_weights_must_be_finite_non_negative_and_sum_to_one(pol, w):
    m, e = ids(pol)
    with pytest.raises(UsageError):
        R.check_weights({m: w[0], e: w[1]}, pol)


def test_weights_tolerance_is_1e_9(pol):
    m, e = ids(pol)
    assert R.WEIGHT_TOLERANCE == 1e-9
    R.check_weights({m: 0.4, e: 0.6 + 5e-10}, pol)             # inside the tolerance
    with pytest.raises(UsageError, match="1e-09"):
        R.check_weights({m: 0.4, e: 0.6 + 2e-9}, pol)           # just outside, and the message says so


def test_weights_text_nan_and_missing_round(pol):
    m, e = ids(pol)
    with pytest.raises(UsageError):
        R.parse_weights(f"{m}=nan,{e}=0.6", pol)
    with pytest.raises(UsageError, match="缺少"):
        R.parse_weights(f"{m}=1", pol)
    assert R.parse_weights(f"{m}=0.4,{e}=0.6", pol) == ({m: 0.4, e: 0.6}, "user")
    assert R.parse_weights(None, pol) == (None, None)            # 2023 gives none: absent, not invented


def test_competition_ranking_shares_ranks(pol):
    # 5 counties: 90, 80, 80, 70, 60 on both rounds -> ranks 1, 2, 2, 4, 5
    scores = table(pol, [90, 80, 80, 70, 60], [90, 80, 80, 70, 60])
    res = R.rank(pol, scores, {ids(pol)[0]: 0.5, ids(pol)[1]: 0.5})
    assert [r.rank for r in res.rows] == [1, 2, 2, 4, 5]


def test_tie_at_the_cut_off_needs_a_decision_never_four_excellent(pol):
    n = pol.inspections.excellent_count.value
    assert n == 3
    # third place shared by two counties: 2 excellent, 2 待研究确定, never 4 优秀
    scores = table(pol, [95, 90, 85, 85, 60], [95, 90, 85, 85, 60])
    res = R.rank(pol, scores, {ids(pol)[0]: 0.5, ids(pol)[1]: 0.5})
    assert sum(r.excellent for r in res.rows) == 2
    assert [r.county for r in res.rows if r.decision_needed] == res.decision_needed
    assert len(res.decision_needed) == 2
    assert [r.rank for r in res.rows][:4] == [1, 2, 3, 3]
    # no tie at the cut-off: exactly n excellent, nobody waits for a decision
    scores = table(pol, [95, 90, 85, 80, 80], [95, 90, 85, 80, 80])
    res = R.rank(pol, scores, {ids(pol)[0]: 0.5, ids(pol)[1]: 0.5})
    assert sum(r.excellent for r in res.rows) == n and not res.decision_needed


def test_ties_are_exact_not_float_noise(pol):
    m, e = ids(pol)
    w = {m: 0.1, e: 0.9}
    a, b = (0.7, 80.3), (80.3, 71.457)          # different floats, possibly equal decimals: computed exactly
    fa = 0.1 * a[0] + 0.9 * a[1]
    fb = 0.1 * b[0] + 0.9 * b[1]
    scores = table(pol, [a[0], b[0], 10, 10, 10], [a[1], b[1], 10, 10, 10])
    res = R.rank(pol, scores, w)
    ta, tb = (next(r.total for r in res.rows if r.county == names(pol)[i]) for i in (0, 1))
    from fractions import Fraction
    assert ta == Fraction("0.07") + Fraction("72.27") and tb == Fraction("8.03") + Fraction("64.3113")
    assert (ta > tb) == (Fraction(str(fa)) > Fraction(str(fb))) or ta == tb   # order follows exact decimals


def test_mid_year_summary_ranks_mid_year_scores_only(pol):
    m, e = ids(pol)
    scores = table(pol, [60, 70, 80, 90, 100], [100, 90, 80, 70, 60])
    res = R.rank(pol, scores, None, m)                             # no weights needed, no excellence decided
    assert [r.county for r in res.rows] == names(pol)[::-1]
    assert all(list(r.scores) == [m] for r in res.rows)
    assert res.excellent_count is None and not any(r.excellent for r in res.rows)
    with pytest.raises(UsageError, match="无法排名"):
        R.rank(pol, scores, None, e)                               # the year-end one needs weights


def test_scores_out_of_scale_refused_in_rank(pol):
    m, e = ids(pol)
    scores = table(pol, [60, 70, 80, 90, 140], [100, 90, 80, 70, 60])
    with pytest.raises(UsageError, match="140"):
        R.rank(pol, scores, None, m)


@pytest.mark.parametrize("bad, shown", [(".nan", "不是有限数"), (".inf", "不是有限数"), ("140", "超出0—100分"),
                                        ("-5", "超出0—100分"), ("八十", "不是数字")])
def test_score_file_rejects_with_file_line_and_field(tmp_path, pol, bad, shown):
    m, e = ids(pol)
    n = names(pol)
    text = f"{m}:\n  {n[0]}: 80\n  {n[1]}: {bad}\n"
    path = tmp_path / "scores.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        R.load_scores(path, pol)
    msg = exc.value.render("zh")
    assert f"{path}:3" in msg and f"{n[1]} 年中得分" in msg and shown in msg


def test_score_csv_in_gbk_with_row_numbers(tmp_path, pol):
    n = names(pol)
    rounds = pol.inspections.rounds
    lines = ["县（市、区）," + ",".join(r.name for r in rounds)] + [f"{c},{80 + i},{70 + i}" for i, c in enumerate(n)]
    good = tmp_path / "scores.csv"
    good.write_bytes("\n".join(lines).encode("gbk"))
    scores = R.load_scores(good, pol)
    assert scores[rounds[0].id][n[2]] == 82 and scores[rounds[1].id][n[4]] == 74
    lines[3] = f"{n[2]},nan,70"
    bad = tmp_path / "bad.csv"
    bad.write_bytes("\n".join(lines).encode("gbk"))
    with pytest.raises(InputError) as exc:
        R.load_scores(bad, pol)
    assert f"{bad}:4" in exc.value.render("zh") and n[2] in exc.value.render("zh")
