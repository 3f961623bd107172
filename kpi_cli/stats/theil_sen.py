"""Theil–Sen slope with Sen's (1968) confidence interval, as `scipy.stats.theilslopes` computes it.

Written out (numpy and scipy.special's normal quantile) so that the forecast_span rule does not
import scipy.stats (~0.9 s on every check, issue 12); the same steps in the same order as scipy
1.17's `theilslopes(method="separate")`, pinned against it in tests/stats/test_distributions.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from kpi_cli.lazy_pandas import np
from kpi_cli.stats.distributions import norm_ppf


@dataclass(frozen=True)
class TheilSen:
    slope: float
    intercept: float
    low_slope: float
    high_slope: float


def _tie_sizes(values: np.ndarray) -> list[int]:
    """How many times each value that repeats occurs (scipy's `_find_repeats` counts)."""
    _, counts = np.unique(values, return_counts=True)
    return [int(c) for c in counts if c > 1]


def _ties_term(sizes: list[int]) -> int:
    return sum(k * (k - 1) * (2 * k + 5) for k in sizes)


def theil_sen(y: list[float], x: list[float], confidence: float) -> TheilSen:
    ys, xs = np.asarray(y, dtype=float), np.asarray(x, dtype=float)
    if len(xs) != len(ys) or len(xs) < 2:
        raise ValueError("x and y of the same length, at least 2")
    deltax = xs[:, np.newaxis] - xs
    deltay = ys[:, np.newaxis] - ys
    slopes = deltay[deltax > 0] / deltax[deltax > 0]
    slopes.sort()
    slope = float(np.median(slopes))
    intercept = float(np.median(ys) - slope * np.median(xs))
    alpha = 1.0 - confidence if confidence > 0.5 else confidence
    z = norm_ppf(alpha / 2.0)
    nt, ny = len(slopes), len(ys)
    ties = _ties_term(_tie_sizes(xs)) + _ties_term(_tie_sizes(ys))
    sigsq = 1 / 18.0 * (ny * (ny - 1) * (2 * ny + 5) - ties)  # as scipy writes it: the same float
    try:
        sigma = float(np.sqrt(sigsq))
        upper = min(int(np.round((nt - z * sigma) / 2.0)), len(slopes) - 1)
        lower = max(int(np.round((nt + z * sigma) / 2.0)) - 1, 0)
        low, high = float(slopes[lower]), float(slopes[upper])
    except (ValueError, IndexError):
        low, high = float("nan"), float("nan")
    return TheilSen(slope, intercept, low, high)
