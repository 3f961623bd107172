"""Forecast with a real prediction interval: level + slope + the period's own noise.

An ordinary least-squares line through the complete periods, on the log scale (growth is
multiplicative: 6 % a month is a straight line in logs, and the noise of a count grows with its
level) with log(y + 1/2) so that a zero month stays finite. The prediction interval for the value
h periods after the last one is the textbook one,
    point +- t(df = n - 2) * s * sqrt(1 + 1/n + (x0 - mean x)^2 / Sxx),
which holds the level's error, the slope's error and the next period's noise; a straight
(unlogged) line was measured as the alternative and covered worse on growing series
(benchmarks/calibration.py prints both). Back-transformed with exp(.) - 1/2, floored at 0.

Verdict: with fewer than MIN_PERIODS complete periods the forecast is information only. Then the
probability of a miss, P(next value on the wrong side of the target) from the same t predictive:
warn when it exceeds 85 %, fail when it exceeds 98 %. (At 80 % a KPI exactly on target with
15 % noise was warned 16 % of the time at 6 months of history; measured by the harness.)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from kpi_cli.stats.compare import Direction
from kpi_cli.stats.distributions import t_cdf, t_ppf

MIN_PERIODS = 5
WINDOW = 6
WARN_ABOVE = 0.85
FAIL_ABOVE = 0.98
_OFFSET = 0.5  # log(y + 1/2): a month with no events stays on the scale


class Scale(StrEnum):
    LOG = "log"
    LINEAR = "linear"


class Verdict(StrEnum):
    INFO = "info"  # too few periods to judge
    FAIL = "fail"
    WARN = "warn"
    OK = "ok"


@dataclass(frozen=True)
class Prediction:
    point: float
    low: float
    high: float
    level: float
    scale: Scale
    center: float  # on the fitted scale
    spread: float  # t scale of the predictive on the fitted scale
    df: float

    def probability_below(self, value: float) -> float:
        """P(the predicted period comes in below value)."""
        x = _forward(value, self.scale)
        if x is None:
            return 0.0
        return t_cdf((x - self.center) / self.spread, self.df)


def _forward(value: float, scale: Scale) -> float | None:
    if scale is Scale.LINEAR:
        return value
    return math.log(value + _OFFSET) if value + _OFFSET > 0 else None


def _back(value: float, scale: Scale) -> float:
    return value if scale is Scale.LINEAR else max(math.exp(value) - _OFFSET, 0.0)


def predict(
    values: Sequence[float],
    steps: int = 1,
    level: float = 0.90,
    scale: Scale = Scale.LOG,
    window: int = WINDOW,
) -> Prediction:
    """Prediction interval for the value `steps` periods after the last of `values` (>= 3).

    Only the last `window` periods are fitted: a line through a year of seasonal months misses
    the current part of the season (coverage 83 % at 12 months against 87 % with 6).
    """
    values = list(values)[-window:]
    n = len(values)
    if n < 3:
        raise ValueError("a trend with its noise needs at least 3 periods")
    if scale is Scale.LOG and min(values) < 0:
        scale = Scale.LINEAR  # a net count that went negative has no log scale
    y = [_forward(v, scale) or 0.0 for v in values]
    xbar, ybar = (n - 1) / 2, sum(y) / n
    sxx = sum((i - xbar) ** 2 for i in range(n))
    slope = sum((i - xbar) * (v - ybar) for i, v in enumerate(y)) / sxx
    residuals = [v - ybar - slope * (i - xbar) for i, v in enumerate(y)]
    s = math.sqrt(sum(r * r for r in residuals) / (n - 2))
    x0 = n - 1 + steps
    center = ybar + slope * (x0 - xbar)
    spread = s * math.sqrt(1 + 1 / n + (x0 - xbar) ** 2 / sxx)
    spread = max(spread, 1e-12)
    q = t_ppf(0.5 + level / 2, n - 2)
    low, high = _back(center - q * spread, scale), _back(center + q * spread, scale)
    return Prediction(_back(center, scale), low, high, level, scale, center, spread, float(n - 2))


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    miss_probability: float | None
    prediction: Prediction | None


def judge(
    values: Sequence[float],
    target: float,
    direction: Direction = Direction.UP,
    steps: int = 1,
    level: float = 0.90,
    min_periods: int = MIN_PERIODS,
) -> Outcome:
    """Will the period `steps` after the last complete one miss the target?"""
    if len(values) < max(min_periods, 3):
        return Outcome(Verdict.INFO, None, predict(values, steps, level) if len(values) >= 3 else None)
    prediction = predict(values, steps, level)
    below = prediction.probability_below(target)
    miss = below if direction is Direction.UP else 1 - below
    if miss > FAIL_ABOVE:
        return Outcome(Verdict.FAIL, miss, prediction)
    return Outcome(Verdict.WARN if miss > WARN_ABOVE else Verdict.OK, miss, prediction)
