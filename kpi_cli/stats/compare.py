"""Has this period moved the bad way against its baseline, beyond the KPI's own noise?

One test for every kind of KPI, on the scale that suits it:
- counts: per-day rates, days as exposure (February's 28 days against January's 31);
- shares (CTR, CVR): the proportion, counting noise p(1-p)/n at the pooled rate;
- money ratios (CPA, ROAS): the log of the ratio, counting noise from the count that drives it
  (delta method: var log(cost/customers) ~ 1/customers);
- money totals: per-day amounts with quasi-Poisson variance.
The statistic is (current - baseline mean) / se with se^2 = sampling variances + tau^2 (1 + 1/B),
referred to a t distribution with Satterthwaite degrees of freedom (B baseline periods). Counts
also take the exact conditional Poisson test with day exposures and keep the larger p, so small
counts are judged exactly and large ones with their overdispersion.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from kpi_cli.stats.distributions import binomtest_p, norm_sf, t_sf
from kpi_cli.stats.noise import Noise, Observation, between_periods, quasi_poisson_phi, satterthwaite_df


class Direction(StrEnum):
    """Which way is good for the KPI."""

    UP = "up"
    DOWN = "down"


@dataclass(frozen=True)
class Comparison:
    current: float  # on the compared scale: per day, share, or the ratio itself
    baseline: float
    relative_change: float  # current / baseline - 1
    p_value: float  # one-sided, towards the bad direction
    se: float
    df: float
    test: str

    def significant(self, alpha: float) -> bool:
        return self.p_value < alpha


def _t_p(statistic: float, df: float, direction: Direction) -> float:
    """One-sided p that the move is bad: a fall for UP, a rise for DOWN."""
    bad = -statistic if direction is Direction.UP else statistic
    return t_sf(bad, df) if math.isfinite(df) else norm_sf(bad)


def _random_level(
    current: Observation, baseline: Sequence[Observation], noise: Noise, direction: Direction
) -> tuple[float, float, float, float]:
    """(baseline mean, se, df, p) of the random-level test."""
    b = len(baseline)
    mean = sum(o.value for o in baseline) / b
    sampling = current.sampling_var + sum(o.sampling_var for o in baseline) / b**2
    level = noise.between * (1 + 1 / b)
    se = math.sqrt(sampling + level)
    df = satterthwaite_df([(sampling, math.inf), (level, noise.df)])
    if se == 0:
        return (
            mean,
            0.0,
            df,
            0.5 if current.value == mean else float(_bad(current.value - mean, direction) < 0),
        )
    return mean, se, df, _t_p((current.value - mean) / se, df, direction)


def _bad(difference: float, direction: Direction) -> float:
    return -difference if direction is Direction.UP else difference


def compare_counts(
    current: float,
    current_days: float,
    baseline: Sequence[float],
    baseline_days: Sequence[float],
    direction: Direction,
    history: Sequence[float] | None = None,
    history_days: Sequence[float] | None = None,
) -> Comparison | None:
    """Counts as per-day rates; `history` (complete periods, default the baseline) gives the noise.

    Fractional counts (Google Ads' 0.3 conversions) are used as they are in the random-level test
    and rounded to whole events for the exact Poisson test.

    A baseline with no events: for `direction: up` there is no fall to judge (None); for
    `direction: down` a rise from nothing (unsubscribes 0 -> 50) is judged by the exact test
    alone, with relative_change = inf (the rule words it as "from 0", not as a percentage).
    """
    if len(baseline) != len(baseline_days) or not baseline or current_days <= 0:
        raise ValueError("a baseline period each with its days, and a positive current exposure")
    history, history_days = (baseline, baseline_days) if history is None else (history, history_days or [])
    total, exposure = sum(baseline), sum(baseline_days)
    if total <= 0:
        return _rise_from_nothing(current, current_days, exposure) if direction is Direction.DOWN else None
    pooled = (total + current) / (exposure + current_days)  # the common rate under "no change"
    hist_rate = sum(history) / sum(history_days) if history else pooled
    noise = between_periods(
        [Observation(y / d, hist_rate / d) for y, d in zip(history, history_days, strict=True)]
    )
    now = Observation(current / current_days, pooled / current_days)
    base = [Observation(y / d, pooled / d) for y, d in zip(baseline, baseline_days, strict=True)]
    _mean, se, df, p_level = _random_level(now, base, noise, direction)
    k, n = round(current), round(current) + round(total)
    share = current_days / (current_days + exposure)
    side = "less" if direction is Direction.UP else "greater"
    p_exact = binomtest_p(k, n, share, side) if n > 0 else 1.0
    p = max(p_level, p_exact)
    rate0 = total / exposure
    return Comparison(
        now.value, rate0, now.value / rate0 - 1, p, se, df, "counts per day: random level, exact Poisson"
    )


def _rise_from_nothing(current: float, current_days: float, exposure: float) -> Comparison | None:
    """Exact conditional test of k events now against none in the baseline: p = share^k."""
    k = round(current)
    if k <= 0:
        return None
    share = current_days / (current_days + exposure)
    p = binomtest_p(k, k, share, "greater")
    return Comparison(
        current / current_days, 0.0, math.inf, p, math.nan, math.inf, "exact Poisson, zero baseline"
    )


def compare_shares(
    hits: float,
    trials: float,
    baseline_hits: Sequence[float],
    baseline_trials: Sequence[float],
    direction: Direction,
    history_hits: Sequence[float] | None = None,
    history_trials: Sequence[float] | None = None,
) -> Comparison | None:
    """A proportion (CTR) with Laney-style between-period variance; None without trials or hits."""
    if history_hits is None:
        history_hits, history_trials = baseline_hits, baseline_trials
    history_trials = history_trials or []
    if trials <= 0 or sum(baseline_trials) <= 0 or sum(baseline_hits) <= 0:
        return None
    pooled = (hits + sum(baseline_hits)) / (trials + sum(baseline_trials))
    hist_p = sum(history_hits) / sum(history_trials) if sum(history_trials) > 0 else pooled
    noise = between_periods(
        [
            Observation(h / t, hist_p * (1 - hist_p) / t)
            for h, t in zip(history_hits, history_trials, strict=True)
            if t > 0
        ]
    )
    now = Observation(hits / trials, pooled * (1 - pooled) / trials)
    base = [
        Observation(h / t, pooled * (1 - pooled) / t)
        for h, t in zip(baseline_hits, baseline_trials, strict=True)
        if t > 0
    ]
    mean, se, df, p = _random_level(now, base, noise, direction)
    if mean <= 0:
        return None
    return Comparison(now.value, mean, now.value / mean - 1, p, se, df, "share: random level (Laney p')")


def compare_ratios(
    numerator: float,
    denominator: float,
    baseline: Sequence[tuple[float, float]],
    direction: Direction,
    history: Sequence[tuple[float, float]] | None = None,
    counted: tuple[bool, bool] = (False, True),
) -> Comparison | None:
    """A money ratio (CPA = cost/customers, ROAS = revenue/cost) on the log scale.

    `counted` says which of (numerator, denominator) are event counts: each contributes 1/count
    to the variance of log(ratio) (delta method); money contributes only through tau^2. Periods
    whose ratio is undefined (a zero on either side) are left out.
    """
    history = baseline if history is None else history

    def observe(num: float, den: float) -> Observation | None:
        if num <= 0 or den <= 0:
            return None
        var = (1 / num if counted[0] else 0.0) + (1 / den if counted[1] else 0.0)
        return Observation(math.log(num / den), var)

    now = observe(numerator, denominator)
    base = [o for n, d in baseline if (o := observe(n, d)) is not None]
    past = [o for n, d in history if (o := observe(n, d)) is not None]
    if now is None or not base:
        return None
    mean, se, df, p = _random_level(now, base, between_periods(past), direction)
    ratio, ratio0 = math.exp(now.value), math.exp(mean)
    return Comparison(ratio, ratio0, ratio / ratio0 - 1, p, se, df, "log ratio: delta method, random level")


def compare_amounts(
    current: float,
    current_days: float,
    baseline: Sequence[float],
    baseline_days: Sequence[float],
    direction: Direction,
    history: Sequence[float] | None = None,
    history_days: Sequence[float] | None = None,
) -> Comparison | None:
    """Money totals (revenue) per day, quasi-Poisson: variance phi * rate / days, phi from history."""
    history, history_days = (baseline, baseline_days) if history is None else (history, history_days or [])
    total, exposure = sum(baseline), sum(baseline_days)
    if total <= 0 or current_days <= 0 or current < 0:
        return None
    noise = quasi_poisson_phi(history, history_days)
    if noise.periods < 2:  # phi in currency units cannot be assumed: no test without history
        return None
    rate0, now = total / exposure, current / current_days
    pooled = (total + current) / (exposure + current_days)
    se = math.sqrt(noise.between * pooled * (1 / current_days + 1 / exposure))
    p = _t_p((now - rate0) / se, noise.df, direction)
    return Comparison(now, rate0, now / rate0 - 1, p, se, noise.df, "amount per day: quasi-Poisson")
