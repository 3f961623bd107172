"""A KPI's period-to-period noise, estimated from its own complete periods.

Two models, both checked by simulation in tests/stats and benchmarks/calibration.py:

- Random level (counts, shares, log ratios): each period's true level varies around the mean with
  variance `between` (tau^2), and each observed value adds counting noise with a known sampling
  variance (Poisson lambda/days for a count per day, p(1-p)/n for a share). tau^2 is the method of
  moments estimate max(0, s^2 - mean sampling variance): never below pure counting noise, so two or
  three quiet months cannot make the noise look smaller than Poisson.
- Quasi-Poisson (money totals): variance = phi * mean, phi from the Pearson statistic, floored at 1.

Either estimate comes with its degrees of freedom (periods - 1): with few periods the tests use a
t reference, which widens their intervals instead of trusting a noisy variance.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple


class Observation(NamedTuple):
    """One period's value on the scale compared, and its variance from counting alone.

    A named tuple, not a frozen dataclass: drop builds ~16 per tested view, ~110,000 under
    `--by campaign`, and a frozen dataclass's __init__ costs ~1 us each (a tuple's ~0.2 us)."""

    value: float
    sampling_var: float


@dataclass(frozen=True)
class Noise:
    """Between-period variance of the level (tau^2) and the degrees of freedom behind it."""

    between: float
    df: float  # math.inf when the variance is known (no history: counting noise only)
    periods: int

    @property
    def from_history(self) -> bool:
        return self.periods >= 2


NO_HISTORY = Noise(0.0, math.inf, 0)


def between_periods(history: Sequence[Observation]) -> Noise:
    """Method-of-moments tau^2 from complete periods; counting noise only with fewer than two."""
    n = len(history)
    if n < 2:
        return Noise(0.0, math.inf, n)
    mean = sum(o.value for o in history) / n
    spread = sum((o.value - mean) ** 2 for o in history) / (n - 1)
    counting = sum(o.sampling_var for o in history) / n
    return Noise(max(0.0, spread - counting), float(n - 1), n)


def quasi_poisson_phi(amounts: Sequence[float], days: Sequence[float]) -> Noise:
    """Pearson dispersion phi of flows (variance = phi * mean * days), never below 1 (Poisson).

    Returned as Noise(between=phi, ...): for money totals the whole variance scales with phi.
    """
    n = len(amounts)
    if n != len(days):
        raise ValueError("amounts and days differ in length")
    total, exposure = sum(amounts), sum(days)
    if n < 2 or total <= 0 or exposure <= 0:
        return Noise(1.0, math.inf, n)
    rate = total / exposure
    pearson = sum((a - rate * d) ** 2 / (rate * d) for a, d in zip(amounts, days, strict=True))
    return Noise(max(1.0, pearson / (n - 1)), float(n - 1), n)


def satterthwaite_df(parts: Sequence[tuple[float, float]]) -> float:
    """Degrees of freedom of a sum of variance parts given as (variance, its df)."""
    total = sum(v for v, _ in parts)
    denominator = sum(v * v / df for v, df in parts if v > 0 and math.isfinite(df))
    if total <= 0 or denominator <= 0:
        return math.inf
    return total * total / denominator
