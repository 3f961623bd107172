"""Intervals for the figures a comparison ranks: shares, counts and money per count.

Ranking on raw rates rewards luck: 3 clicks out of 20 (15 %) beats 900 out of 12,000 (7.5 %),
yet the first could be anything from 5 % to 36 %. Each figure gets an interval, and groups are
ranked on its conservative end.

- A share of counts (CTR, conversion rate, engagement rate): the Wilson score interval, which
  stays inside [0, 1] and behaves for small counts. Written out (not scipy's binomtest) because
  exports carry fractional counts (Google Ads' 0.3 conversions) and the formula takes them.
- A count (conversions, purchases): the exact Poisson (Garwood) interval from chi-square
  quantiles.
- Money per count (CPA, CPL): the money is known exactly, the count is the random part, so the
  interval is the money over the count's Poisson interval; with no conversion the upper end is
  unbounded (None), not a number.
- Money over money with a count behind it (ROAS = revenue / cost, revenue coming from purchases):
  the ratio scaled by the purchase count's relative Poisson interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z_CACHE: dict[float, float] = {}


@dataclass(frozen=True)
class Estimate:
    """A figure with its interval; `low`/`high` None where the data cannot bound it."""

    value: float | None
    low: float | None
    high: float | None
    # What the figure rests on: the trials of a share, the events of a cost per event.
    basis: float = 0.0

    @property
    def known(self) -> bool:
        return self.value is not None


NONE = Estimate(None, None, None)


def _z(confidence: float) -> float:
    if confidence not in Z_CACHE:
        from scipy import stats  # on use: the rule registry imports this module when a config loads

        Z_CACHE[confidence] = float(stats.norm.ppf(0.5 + confidence / 2))
    return Z_CACHE[confidence]


def wilson(successes: float, trials: float, confidence: float = 0.95) -> Estimate:
    """The share successes / trials with its Wilson score interval."""
    if trials <= 0 or successes < 0 or successes > trials:
        return NONE
    z = _z(confidence)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return Estimate(p, max(0.0, centre - half), min(1.0, centre + half), trials)


def poisson(count: float, confidence: float = 0.95) -> Estimate:
    """An observed count with its exact (Garwood) interval for the Poisson mean."""
    if count < 0:
        return NONE
    from scipy import stats  # on use, as above

    alpha = 1 - confidence
    low = 0.0 if count == 0 else float(stats.chi2.ppf(alpha / 2, 2 * count)) / 2
    high = float(stats.chi2.ppf(1 - alpha / 2, 2 * count + 2)) / 2
    return Estimate(count, low, high, count)


def per_count(money: float, count: float, confidence: float = 0.95) -> Estimate:
    """Money per event (CPA): money / count, bounded by money over the count's Poisson interval."""
    if money < 0 or count < 0:
        return NONE
    events = poisson(count, confidence)
    assert events.low is not None and events.high is not None
    value = money / count if count > 0 else None
    high = money / events.low if events.low > 0 else None
    return Estimate(value, money / events.high, high, count)


def scaled_by_count(ratio: float, count: float, confidence: float = 0.95) -> Estimate:
    """A ratio (ROAS) whose numerator grows with a count: the count's relative interval applied."""
    if count <= 0:
        return Estimate(ratio, None, None, 0.0)
    events = poisson(count, confidence)
    assert events.low is not None and events.high is not None
    return Estimate(ratio, ratio * events.low / count, ratio * events.high / count, count)
