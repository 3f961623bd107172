"""The p-values of drop's tests for a group of laid-out views at once: the views no test can flag.

drop_quiet marks the views that move less than `warn`; on `--by campaign` (10,000 campaigns of
~8 rows a month) a third of the views still move more than that and each was tested one by one
(~50 us: the window, stats.compare's random-level and exact Poisson tests, the sustained t),
although nine in ten of them are ordinary noise. This computes those same tests for every row of
the group's grid with numpy:

- counts (compare_counts): the random-level t (Satterthwaite df) and the exact conditional
  Poisson test; the rule flags when the larger p is under `alpha`, so either p at or above it
  proves the view quiet;
- money totals (compare_amounts): the quasi-Poisson t;
- the sustained shift (stats.shift): the two-sample t on log rates, against `sustained_alpha`.

Each is the per-view arithmetic in the same order (sums accumulated left to right from 0, as
Python's `sum` does) through the same scipy.special ufuncs stats.distributions calls; numpy's
log may differ from libm's in the last bit, so a view is marked only when its p clears the level
by `_MARGIN` (relative): a p that close to alpha is left to the exact per-view test. A row the
test would treat otherwise (a negative count, a zero standard error, too little history) is
never marked here. `tests/rules/test_drop_quiet.py` checks drop finds the same with the pass on
and off, and `tests/rules/test_drop_quiet_p.py` each p against stats.compare's own.
"""

from __future__ import annotations

from typing import NamedTuple

from kpi_cli.lazy_pandas import np
from kpi_cli.lazy_scipy import special

_MARGIN = 1e-6  # relative: far above the few ulps numpy's log and libm's may differ by


class Laid(NamedTuple):
    """A group's histories side by side: one row per view, the reviewed period in the last column."""

    grid: np.ndarray  # NaN where a period has no data
    days: np.ndarray  # each column's days (its exposure)
    up: np.ndarray  # direction: up, per row


def _accumulate(values: np.ndarray, mask: np.ndarray, start: np.ndarray | None = None) -> np.ndarray:
    """Each row's sum of `values` where `mask`, column by column from 0 (or from `start`, a sum
    so far): the order Python's `sum` adds a list in."""
    total = np.zeros(values.shape[0]) if start is None else start
    for column in range(values.shape[1]):
        total = np.where(mask[:, column], total + values[:, column], total)
    return total


def _last(present: np.ndarray, count: int) -> np.ndarray:
    """The last `count` present cells of each row (drop_baseline's `_past`, `[-count:]`)."""
    from_right = np.cumsum(present[:, ::-1], axis=1)[:, ::-1]
    kept: np.ndarray = present & (from_right <= count)
    return kept


class _Cells(NamedTuple):
    current: np.ndarray  # the reviewed period's figure per row (NaN: none)
    values: np.ndarray  # the periods before it, 0 where a period has no data
    days: np.ndarray  # their days, one row per view
    history: np.ndarray  # the cells the noise is estimated from (drop_baseline `_past`)


def _cells(laid: Laid, history_periods: int) -> _Cells:
    """The grid split as both tests read it: the reviewed column and the periods before it."""
    width = laid.grid.shape[1]
    before = laid.grid[:, : width - 1]
    present = ~np.isnan(before)
    return _Cells(
        laid.grid[:, width - 1],
        np.where(present, before, 0.0),
        np.broadcast_to(laid.days[: width - 1], before.shape),
        _last(present, history_periods),
    )


def _t_p(statistic: np.ndarray, df: np.ndarray, up: np.ndarray) -> np.ndarray:
    """stats.compare._t_p: the one-sided p the move is bad, t where df is finite, else normal."""
    bad = np.where(up, -statistic, statistic)
    finite = np.isfinite(df)
    p: np.ndarray = np.where(finite, special.stdtr(np.where(finite, df, 1.0), -bad), special.ndtr(-bad))
    return p


def clears(p: np.ndarray, alpha: float) -> np.ndarray:
    """p at or above alpha with room to spare; NaN compares False (left to the exact test)."""
    cleared: np.ndarray = p >= alpha * (1 + _MARGIN)
    return cleared


def _between_periods(
    value: np.ndarray, sampling_var: np.ndarray, history: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """noise.between_periods per row on the history's cells: (tau^2, its df); (0, inf) under 2."""
    n = history.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = _accumulate(value, history) / n
        spread = _accumulate((value - mean[:, None]) ** 2, history) / (n - 1)
        counting = _accumulate(sampling_var, history) / n
    enough = n >= 2
    return np.where(enough, np.maximum(0.0, spread - counting), 0.0), np.where(enough, n - 1.0, np.inf)


def counts_quiet(
    laid: Laid, baseline: np.ndarray, covered_days: int, history_periods: int, alpha: float
) -> np.ndarray:
    """compare_counts answers None or a p of at least `alpha` (drop reports nothing), per row."""
    p, no_events = counts_p(laid, baseline, covered_days, history_periods)
    quiet: np.ndarray = clears(p, alpha) | no_events
    return quiet


def counts_p(
    laid: Laid, baseline: np.ndarray, covered_days: int, history_periods: int
) -> tuple[np.ndarray, np.ndarray]:
    """compare_counts' p per row (NaN where it is not computed here), and the rows it answers None.

    `baseline`: the cells of the window's baseline periods (present ones). The history is the
    last `history_periods` periods with data before the reviewed one (drop_baseline `_past`)."""
    up = laid.up
    current, values, wide, history = _cells(laid, history_periods)
    negative = (current < 0) | ((history | baseline) & (values < 0)).any(axis=1)  # a net count: _amount
    total, exposure = _accumulate(values, baseline), _accumulate(wide, baseline)
    hist_total, hist_exposure = _accumulate(values, history), _accumulate(wide, history)
    n_hist = history.sum(axis=1)
    b = baseline.sum(axis=1)
    cd = float(covered_days)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        pooled = (total + current) / (exposure + cd)
        hist_rate = np.where(n_hist > 0, hist_total / hist_exposure, pooled)
        per_day = values / wide
        between, noise_df = _between_periods(
            per_day, np.broadcast_to(hist_rate[:, None], wide.shape) / wide, history
        )
        # _random_level: the baseline's per-day values with the pooled rate's counting noise
        mean = _accumulate(per_day, baseline) / b
        sampling = (
            pooled / cd + _accumulate(np.broadcast_to(pooled[:, None], wide.shape) / wide, baseline) / b**2
        )
        level = between * (1 + 1 / b)
        se = np.sqrt(sampling + level)
        part = level * level / noise_df
        usable = (level > 0) & np.isfinite(noise_df)
        whole = sampling + level
        df = np.where(usable & (whole > 0) & (part > 0), whole * whole / np.where(usable, part, 1.0), np.inf)
        p_level = _t_p((current / cd - mean) / se, df, up)
        # the exact conditional Poisson test on whole events
        k = np.round(current)
        n = k + np.round(total)
        share = cd / (cd + exposure)
        p_exact = np.where(
            up,
            np.where(k >= n, 1.0, special._binom_cdf(np.maximum(k, 0), np.maximum(n, 1), share)),
            np.where(
                k - 1 < 0,
                1.0,
                np.where(k - 1 >= n, 0.0, special._binom_sf(np.maximum(k - 1, 0), np.maximum(n, 1), share)),
            ),
        )
        p_exact = np.where(n > 0, np.minimum(1.0, p_exact), 1.0)
    testable = ~negative & ~np.isnan(current) & (b > 0) & (total > 0) & (se > 0) & np.isfinite(se)
    p = np.where(testable, np.maximum(p_level, p_exact), np.nan)  # compare_counts keeps the larger
    # A baseline without events: no fall to judge (`up`), nor a rise without a whole event now
    # (compare_counts and its _rise_from_nothing answer None).
    no_events = ~negative & ~np.isnan(current) & (b > 0) & (total <= 0) & (up | (k <= 0))
    return p, no_events


def amounts_quiet(
    laid: Laid, baseline: np.ndarray, covered_days: int, history_periods: int, alpha: float
) -> np.ndarray:
    """compare_amounts answers None or a p of at least `alpha`, per row (quasi-Poisson t)."""
    p, none = amounts_p(laid, baseline, covered_days, history_periods)
    quiet: np.ndarray = none | clears(p, alpha)
    return quiet


def amounts_p(
    laid: Laid, baseline: np.ndarray, covered_days: int, history_periods: int
) -> tuple[np.ndarray, np.ndarray]:
    """compare_amounts' p per row (NaN where not computed here), and the rows it answers None."""
    up = laid.up
    current, values, wide, history = _cells(laid, history_periods)
    total, exposure = _accumulate(values, baseline), _accumulate(wide, baseline)
    hist_total, hist_exposure = _accumulate(values, history), _accumulate(wide, history)
    n_hist = history.sum(axis=1)
    cd = float(covered_days)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # noise.quasi_poisson_phi: Pearson's statistic at the history's rate, never below 1
        rate = hist_total / hist_exposure
        expected = np.broadcast_to(rate[:, None], wide.shape) * wide
        pearson = _accumulate((values - expected) ** 2 / expected, history)
        fitted = (n_hist >= 2) & (hist_total > 0) & (hist_exposure > 0)
        phi = np.where(fitted, np.maximum(1.0, pearson / (n_hist - 1)), 1.0)
        df = np.where(fitted, n_hist - 1.0, np.inf)
        rate0, now = total / exposure, current / cd
        pooled = (total + current) / (exposure + cd)
        se = np.sqrt(phi * pooled * (1 / cd + 1 / exposure))
        p = _t_p((now - rate0) / se, df, up)
    answered = ~np.isnan(current) & (baseline.sum(axis=1) > 0)
    none = answered & ((total <= 0) | (current < 0) | (n_hist < 2))  # compare_amounts returns None
    tested = answered & ~none & (se > 0) & np.isfinite(se)
    return np.where(tested, p, np.nan), none


def sustained_p(
    logs: np.ndarray, recent: np.ndarray, before: np.ndarray, kept_values: np.ndarray, up: np.ndarray
) -> np.ndarray:
    """stats.shift.sustained_shift's p per row, from drop_quiet's log rates and masks (NaN where
    it cannot be computed: too few periods, a zero variance).

    `logs`: log(y + 1/2) - log(days) per cell; `kept_values`: y where the cell is in either group."""
    m, b = recent.sum(axis=1), before.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        r_mean = _accumulate(logs, recent) / m
        q_mean = _accumulate(logs, before) / b
        df = m + b - 2.0
        squares = _accumulate((logs - r_mean[:, None]) ** 2, recent) + _accumulate(
            (logs - q_mean[:, None]) ** 2, before
        )
        pooled = squares / df
        inverse = 1 / (kept_values + 0.5)
        # (*recent, *before): the recent periods' terms first, then the earlier ones'
        counting = _accumulate(inverse, before, _accumulate(inverse, recent)) / (m + b)
        se = np.sqrt(np.maximum(pooled, counting) * (1 / m + 1 / b))
        bad = np.where(up, -(r_mean - q_mean) / se, (r_mean - q_mean) / se)
        p: np.ndarray = special.stdtr(df, -bad)
    return np.where((b >= 2) & (m >= 1) & (se > 0) & np.isfinite(se), p, np.nan)
