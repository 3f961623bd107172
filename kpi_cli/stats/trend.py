"""Stalled as a question with an answer: can we rule out that the KPI is still improving?

A log-linear trend (log(y + 1/2) on period number, ordinary least squares) over the last
`max_periods` complete periods gives the relative change per period with its standard error,
from the residuals (the KPI's own noise) and never below the counting noise of a Poisson count
(mean 1/(y + 1/2) on the log scale). Two one-sided tests against a margin `margin` per period:

- not improving: H0 "improves by >= margin per period" rejected at alpha -> `stalled`;
- not falling:   H0 "falls by >= margin per period" rejected at alpha.
Both rejected is the classic equivalence (TOST) answer, `equivalent`.

Why the margin is per period and the rule fires on "not improving": over a window of months,
15 % month-to-month noise leaves the window's total change uncertain by about +-30 %, so an
equivalence within +-10 % of the window could never be shown; a falling KPI is drop's finding.
The margin is the growth that counts as progress: a KPI improving by exactly the margin is
called stalled at most alpha of the time (the test's size), faster growth less often. Measured
with 15 % noise, 8 complete months, alpha 0.05 (3,000 series each, this function alone; the app's
figures are in the README): margin 6 %/period fires on 2.4 % of KPIs growing 6 % a month at
volumes 3..600 (4.0 % at 600 a month) and on 60 % of flat ones at 400 a month (36 % over
volumes 3..600: at 3 or 10 a month counting noise hides a flat line). 5.5 % gave 2.0 % and 55 %.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from kpi_cli.stats.compare import Direction
from kpi_cli.stats.distributions import t_cdf, t_sf

MAX_PERIODS = 12
MARGIN = 0.06
MIN_PERIODS = 4
_OFFSET = 0.5


@dataclass(frozen=True)
class Stall:
    periods: int
    change_per_period: float  # relative, the good direction positive
    se: float  # of the log slope
    df: float
    p_not_improving: float
    p_not_falling: float
    margin: float
    alpha: float

    @property
    def stalled(self) -> bool:
        return self.p_not_improving < self.alpha

    @property
    def equivalent(self) -> bool:
        return max(self.p_not_improving, self.p_not_falling) < self.alpha

    def window_change(self) -> float:
        """The trend's relative change from the first to the last period of the window."""
        return (1 + self.change_per_period) ** (self.periods - 1) - 1


def stall(
    values: Sequence[float],
    direction: Direction = Direction.UP,
    margin: float = MARGIN,
    alpha: float = 0.05,
    max_periods: int = MAX_PERIODS,
    counts: bool = True,
) -> Stall | None:
    """None with fewer than MIN_PERIODS values or one the log scale cannot take.

    Counts are fitted as log(y + 1/2) (a month of 0 is a value); rates, ratios and money as
    log(y), so every value must be positive: the 1/2 would flatten a CTR of 0.02 into a line.
    """
    window = list(values)[-max_periods:]
    n = len(window)
    offset = _OFFSET if counts else 0.0
    if n < MIN_PERIODS or min(window) + offset <= 0 or min(window) < 0:
        return None
    y = [math.log(v + offset) for v in window]
    xbar, ybar = (n - 1) / 2, sum(y) / n
    sxx = sum((i - xbar) ** 2 for i in range(n))
    slope = sum((i - xbar) * (v - ybar) for i, v in enumerate(y)) / sxx
    residual = sum((v - ybar - slope * (i - xbar)) ** 2 for i, v in enumerate(y)) / (n - 2)
    if counts:  # never quieter than counting noise: var log(y) ~ 1 / y
        residual = max(residual, sum(1 / (v + _OFFSET) for v in window) / n)
    se, df = math.sqrt(residual / sxx), float(n - 2)
    good = slope if direction is Direction.UP else -slope
    bound = math.log1p(margin)
    p_not_improving = t_cdf((good - bound) / se, df) if se > 0 else float(good < bound)
    p_not_falling = t_sf((good + bound) / se, df) if se > 0 else float(good > -bound)
    return Stall(n, math.expm1(good), se, df, p_not_improving, p_not_falling, margin, alpha)
