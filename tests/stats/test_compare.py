from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from kpi_cli.stats.compare import Direction, compare_amounts, compare_counts, compare_ratios, compare_shares
from tests.stats.sim import monthly_counts


def test_february_against_january_uses_days() -> None:
    # 310 in January's 31 days = 10/day, 246 in February's 28 = 8.79/day. Conditional on the total
    # of 556 events, February's share under "same rate" is 28/59: the exact test gives p ~ 0.07,
    # where treating both months as equal exposure (share 1/2) gave p ~ 0.004.
    result = compare_counts(246, 28, [310], [31], Direction.UP)
    assert result is not None
    reference = stats.binomtest(246, 556, 28 / 59, alternative="less").pvalue
    assert result.p_value == pytest.approx(reference)
    assert result.p_value == pytest.approx(0.070, abs=0.001)
    assert stats.binomtest(246, 556, 0.5, alternative="less").pvalue < 0.005
    assert result.relative_change == pytest.approx((246 / 28) / 10 - 1)


def test_three_to_two_is_chance_and_zero_baseline_is_no_test() -> None:
    result = compare_counts(2, 30, [3], [30], Direction.UP)
    assert result is not None and result.p_value == pytest.approx(0.5)  # P(Bin(5,1/2) <= 2) = 16/32
    assert compare_counts(5, 30, [0], [30], Direction.UP) is None


def test_a_rise_from_zero_is_seen_for_direction_down() -> None:
    # Unsubscribes 0 in 30 days, then 50 in 30: under one common rate each event falls in the
    # current month with probability 1/2, so P(all 50 there) = 2^-50.
    rise = compare_counts(50, 30, [0], [30], Direction.DOWN)
    assert rise is not None and rise.p_value == pytest.approx(0.5**50)
    assert math.isinf(rise.relative_change)
    assert compare_counts(0, 30, [0], [30], Direction.DOWN) is None


def _false_alarms(mean: float, runs: int, seed: int, history: int = 6) -> tuple[float, float]:
    """(share flagged by compare_counts, share flagged by the plain exact Poisson test) at alpha 0.05."""
    rng = np.random.default_rng(seed)
    ours = plain = 0
    for _ in range(runs):
        y = monthly_counts(rng, mean, history + 1)
        days = [30.0] * history
        result = compare_counts(float(y[-1]), 30.0, [float(y[-2])], [30.0], Direction.UP, list(y[:-1]), days)
        ours += result is not None and result.p_value < 0.05
        total = int(y[-1] + y[-2])
        plain += total > 0 and stats.binomtest(int(y[-1]), total, 0.5, alternative="less").pvalue < 0.05
    return ours / runs, plain / runs


def test_overdispersed_flat_counts_do_not_cry_wolf() -> None:
    # 15 % month-to-month noise at 600/month: Poisson alone flags ~ a third of no-change months
    # (sd of the difference ~ sqrt(2 (600 + 90^2)) = 132 against sqrt(1200) = 35 assumed).
    ours, plain = _false_alarms(600, 400, seed=1)
    assert plain > 0.25
    assert ours <= 0.08


def test_small_counts_stay_calibrated() -> None:
    ours, _ = _false_alarms(3, 400, seed=2)
    assert ours <= 0.06


def test_a_real_fall_at_400_is_found() -> None:
    # 8 % month-to-month noise (at 15 % a single month's 30 % fall is a 1.7-sigma event: no test
    # can find 90 % of them while flagging <= 5 % of ordinary months). Measured 0.84 at 500 runs.
    rng = np.random.default_rng(3)
    found = 0
    for _ in range(300):
        y = monthly_counts(rng, 400, 7, cv=0.08)
        y[-1] = rng.poisson(400 * 0.7 * rng.gamma(1 / 0.08**2, 0.08**2))
        r = compare_counts(
            float(y[-1]),
            30.0,
            [float(v) for v in y[-4:-1]],
            [30.0] * 3,
            Direction.UP,
            list(y[:-1]),
            [30.0] * 6,
        )
        found += r is not None and r.p_value < 0.05
    assert found / 300 >= 0.75


def test_shares_with_a_varying_rate_do_not_cry_wolf() -> None:
    # CTR around 2 % of 50,000 impressions with the rate itself varying 15 % month to month:
    # binomial noise alone (sd 0.06 pp) is far below the month-to-month sd of 0.3 pp.
    rng = np.random.default_rng(4)
    flagged = 0
    for _ in range(400):
        p = 0.02 * rng.gamma(1 / 0.15**2, 0.15**2, 7)
        hits = rng.binomial(50_000, p).astype(float)
        trials = [50_000.0] * 7
        r = compare_shares(
            hits[-1], 50_000, list(hits[-2:-1]), [50_000.0], Direction.UP, list(hits[:-1]), trials[:-1]
        )
        flagged += r is not None and r.p_value < 0.05
    assert flagged / 400 <= 0.08


def test_cpa_with_few_customers_is_judged_by_its_count() -> None:
    # CPA = cost / customers, 3..50 customers a month, cost flat with 10 % noise: no change at all.
    rng = np.random.default_rng(5)
    for mean in (3, 50):
        flagged = 0
        for _ in range(300):
            customers = np.maximum(monthly_counts(rng, mean, 7), 1)
            cost = 1000 * mean * rng.gamma(100, 0.01, 7)
            pairs = list(zip(cost.tolist(), customers.tolist(), strict=True))
            r = compare_ratios(pairs[-1][0], pairs[-1][1], pairs[-4:-1], Direction.DOWN, pairs[:-1])
            flagged += r is not None and r.p_value < 0.05
        assert flagged / 300 <= 0.08, mean


def test_ratio_delta_method_variance() -> None:
    # log(cost / customers) with customers counted: var = 1 / customers; no history -> normal.
    r = compare_ratios(2000.0, 10.0, [(1000.0, 10.0)], Direction.DOWN)
    assert r is not None
    z = math.log(2) / math.sqrt(1 / 10 + 1 / 10)
    assert r.p_value == pytest.approx(stats.norm.sf(z))
    assert r.relative_change == pytest.approx(1.0)


def test_amounts_need_history_and_use_quasi_poisson() -> None:
    assert compare_amounts(100.0, 30, [200.0], [30], Direction.UP) is None  # one period: no phi
    hist = [1000.0, 1300.0, 800.0, 1100.0]
    r = compare_amounts(500.0, 30, hist[-1:], [30], Direction.UP, hist, [30] * 4)
    assert r is not None
    rate = sum(hist) / 120
    phi = sum((a - rate * 30) ** 2 / (rate * 30) for a in hist) / 3
    pooled = (1100 + 500) / 60
    z = (500 / 30 - 1100 / 30) / math.sqrt(phi * pooled * (1 / 30 + 1 / 30))
    assert r.p_value == pytest.approx(stats.t.cdf(z, 3))
