from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from kpi_cli.stats.compare import Direction
from kpi_cli.stats.forecast import Scale, Verdict, judge, predict
from tests.stats.sim import monthly_counts


def test_linear_interval_matches_the_regression_formula() -> None:
    values = [10.0, 14.0, 11.0, 17.0, 16.0]
    p = predict(values, steps=1, level=0.9, scale=Scale.LINEAR)
    fit = stats.linregress(range(5), values)
    residuals = np.array(values) - (fit.intercept + fit.slope * np.arange(5))
    s2 = float(residuals @ residuals) / 3
    x0 = 5
    # var = s^2 (1 + 1/n) + se(slope)^2 (x0 - xbar)^2
    se = math.sqrt(s2 * (1 + 1 / 5) + fit.stderr**2 * (x0 - 2) ** 2)
    point = fit.intercept + fit.slope * x0
    q = stats.t.ppf(0.95, 3)
    assert p.point == pytest.approx(point)
    assert (p.low, p.high) == pytest.approx((point - q * se, point + q * se))


@pytest.mark.parametrize(("months", "growth"), [(6, 0.0), (12, 0.0), (6, 0.06), (12, 0.06)])
def test_ninety_percent_range_covers_85_to_95_percent(months: int, growth: float) -> None:
    rng = np.random.default_rng(months * 100 + int(growth * 100))
    hits = 0
    runs = 400
    for i in range(runs):
        y = monthly_counts(rng, (3, 30, 400)[i % 3], months + 1, growth=growth)
        p = predict(list(y[:-1]))
        hits += p.low <= y[-1] <= p.high
    # binomial sd at 400 runs is 1.5 pp: 0.83..0.97 still fails the old 57-64 % slope-only range
    assert 0.83 <= hits / runs <= 0.97


def test_few_periods_are_information_only() -> None:
    outcome = judge([10.0, 9.0, 8.0, 7.0], target=100)
    assert outcome.verdict is Verdict.INFO
    assert judge([1.0, 2.0], target=5).prediction is None


def test_verdicts_follow_the_miss_probability() -> None:
    far = judge([100.0, 102.0, 98.0, 101.0, 99.0, 100.0], target=300)
    assert far.verdict is Verdict.FAIL and far.miss_probability is not None and far.miss_probability > 0.98
    near = judge([100.0, 102.0, 98.0, 101.0, 99.0, 100.0], target=100)
    assert near.verdict is Verdict.OK
    down = judge([100.0, 102.0, 98.0, 101.0, 99.0, 100.0], target=300, direction=Direction.DOWN)
    assert down.verdict is Verdict.OK and down.miss_probability is not None and down.miss_probability < 0.01
