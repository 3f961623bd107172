"""Pace with uncertainty: is the period running short of its target beyond the KPI's own noise?

A month that happens to run 10 % low will end below target, and saying so on the 25th is true
but not news: a KPI exactly on target misses half its months. So the status asks a different
question, "is the pace so far consistent with the target, given how much this KPI's months vary?":
the count so far y over the covered e of D days is compared with the target's share T e / D under
a negative binomial (gamma-Poisson) whose level varies month to month with the coefficient of
variation c estimated from the KPI's complete periods (c = tau / mean, tau from noise.py; c = 0,
plain Poisson, without history). The one-sided p = P(Y <= y) (P(Y >= y) for `direction: down`)
gives the status: off track below `off_track` (2 %), at risk below `at_risk` (10 %). Small counts
are thereby judged as counts: 1 deal by the 10th of a 3-a-month KPI is not "33 % of pace".

The probability of still reaching the target is reported alongside, from the posterior of the
daily rate lambda ~ Gamma(a + y, b + e) (prior from history: mean m, variance
tau^2 (1 + 1/n) + m / history days; Jeffreys' Gamma(1/2, 0) without) and the NB number of
events the remaining r days bring. It is what the owner wants to know; it does not set the status.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from kpi_cli.stats.compare import Direction
from kpi_cli.stats.distributions import nbinom_cdf, nbinom_sf, poisson_cdf, poisson_sf
from kpi_cli.stats.noise import Observation, between_periods

AT_RISK_BELOW = 0.10
OFF_TRACK_BELOW = 0.02


class PaceStatus(StrEnum):
    """The same words as metrics.progress uses, so a rule can compare either."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


@dataclass(frozen=True)
class Outlook:
    probability: float  # of ending the period on the right side of the target
    expected_total: float  # actual + expected rest of the period
    p_value: float  # of a pace this short (or long, for `down`) if the KPI were on target
    status: PaceStatus


def rate_prior(history: Sequence[float], history_days: Sequence[float]) -> tuple[float, float]:
    """Gamma (shape, rate) for the daily rate from complete periods; Jeffreys' (1/2, 0) without."""
    exposure = sum(history_days)
    if len(history) < 2 or exposure <= 0 or sum(history) <= 0:
        return 0.5, 0.0
    m = sum(history) / exposure
    noise = between_periods([Observation(y / d, m / d) for y, d in zip(history, history_days, strict=True)])
    variance = noise.between * (1 + 1 / len(history)) + m / exposure
    return m * m / variance, m / variance


def outlook(
    actual: float,
    covered_days: int,
    period_days: int,
    target: float,
    direction: Direction = Direction.UP,
    history: Sequence[float] = (),
    history_days: Sequence[float] = (),
    at_risk_below: float = AT_RISK_BELOW,
    off_track_below: float = OFF_TRACK_BELOW,
) -> Outlook:
    """Probability that actual (counted over covered_days) ends the period at or beyond target.

    Counts may be fractional (conversions credited in parts): the NB is evaluated at the whole
    number of further events needed, rounded up (rounded down for `direction: down`).
    """
    if not 0 <= covered_days <= period_days or period_days <= 0:
        raise ValueError(f"covered days {covered_days} outside a period of {period_days}")
    shape, rate = rate_prior(history, history_days)
    shape, rate = shape + max(actual, 0.0), rate + covered_days
    remaining = period_days - covered_days
    p_short = shortfall_p(actual, covered_days, period_days, target, direction, history, history_days)
    if rate <= 0:  # no history and no day covered yet: nothing to judge by
        return Outlook(0.5, actual, 1.0, PaceStatus.ON_TRACK)
    p = rate / (rate + remaining)
    future = remaining > 0 and shape > 0  # the further events: NB(shape, p)
    expected = actual + (shape / rate) * remaining
    gap = target - actual
    if direction is Direction.UP:
        needed = math.ceil(gap - 1e-9)
        prob = 1.0 if needed <= 0 else (nbinom_sf(needed - 1, shape, p) if future else 0.0)
    else:
        allowed = math.floor(gap + 1e-9)
        prob = 0.0 if allowed < 0 else (nbinom_cdf(allowed, shape, p) if future else 1.0)
    return Outlook(prob, expected, p_short, status(p_short, at_risk_below, off_track_below))


def level_cv(history: Sequence[float], history_days: Sequence[float]) -> float:
    """Month-to-month coefficient of variation of the level beyond counting noise (0 without history)."""
    exposure = sum(history_days)
    if len(history) < 2 or exposure <= 0 or sum(history) <= 0:
        return 0.0
    m = sum(history) / exposure
    noise = between_periods([Observation(y / d, m / d) for y, d in zip(history, history_days, strict=True)])
    # A variance estimated from df periods is itself uncertain: a t with df degrees of freedom has
    # variance df / (df - 2) times the normal's, so the plug-in cv^2 is inflated by that much (by 3
    # for df <= 3). Without it, 6 months of history left 6 % of on-target months off track.
    inflation = noise.df / (noise.df - 2) if noise.df > 3 else 3.0
    return math.sqrt(noise.between * inflation) / m


def shortfall_p(
    actual: float,
    covered_days: int,
    period_days: int,
    target: float,
    direction: Direction = Direction.UP,
    history: Sequence[float] = (),
    history_days: Sequence[float] = (),
) -> float:
    """One-sided p of the count so far if the KPI were exactly on target (see the module text)."""
    expected = target * covered_days / period_days
    if expected <= 0:
        return 1.0
    cv = level_cv(history, history_days)
    if cv > 0:  # NB with mean `expected` and level variance (cv * expected)^2
        shape = 1 / cv**2
        p = shape / (shape + expected)
        if direction is Direction.UP:
            return nbinom_cdf(math.floor(actual + 1e-9), shape, p)
        return nbinom_sf(math.ceil(actual - 1e-9) - 1, shape, p)
    if direction is Direction.UP:
        return poisson_cdf(math.floor(actual + 1e-9), expected)
    return poisson_sf(math.ceil(actual - 1e-9) - 1, expected)


def status(
    probability: float, at_risk_below: float = AT_RISK_BELOW, off_track_below: float = OFF_TRACK_BELOW
) -> PaceStatus:
    if probability < off_track_below:
        return PaceStatus.OFF_TRACK
    return PaceStatus.AT_RISK if probability < at_risk_below else PaceStatus.ON_TRACK
