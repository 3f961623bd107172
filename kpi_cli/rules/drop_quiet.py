"""drop's first look at every view of a KPI at once: the views it cannot flag (issue 12).

Under `--by campaign` each KPI has a view per campaign (10,000 on the benchmark), and drop's
per-view work (the baseline window, the run-rate check, the sustained test's inputs) cost ~30 us
a view in Python although most views are quiet. This pass takes a group of views that share a
KPI's settings and reviewed period, lays their histories side by side (one row per view, the
reviewed period in the last column) and marks, with numpy, the views whose answer is None
whatever the test would say:

- `judge`: the window is empty (no figure for the period or no baseline period with data), or
  the count or money total moves less than `warn` the bad way (`below_warn`). The run rate is
  computed with the very float operations `below_warn` does, in the same order (IEEE arithmetic
  is the same in numpy and in Python), so the comparison with `warn` is the same bit for bit.
  The views that move more are tested, all at once (drop_quiet_p): a count or money total whose
  p clears `alpha` is marked too, so only the views drop reports reach the per-view test.
- `sustained`: the counts' sustained test has fewer than two periods before the recent ones, a
  negative value, or a move under half of `warn` by more than `_MARGIN`, or its p (drop_quiet_p)
  clears `sustained_alpha`. numpy's log and its sums may differ from libm's in the last bits, so
  only a move or a p that is clearly on the quiet side is marked; one near the edge is left to
  the exact per-view test.

A view the pass cannot lay out (a history with gaps in its periods, one that does not end at
the reviewed period, a hand-made view) is left to the per-view path, as is every group smaller
than `_LEAST_GROUP` views. `tests/rules/test_drop_quiet.py` checks on seeded random campaigns
that drop finds the same with and without this pass.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from kpi_cli.assess import KpiView
from kpi_cli.lazy_pandas import np
from kpi_cli.metrics import periods
from kpi_cli.metrics.formulas import Catalog
from kpi_cli.rules.drop_baseline import HISTORY_PERIODS, coverage_of
from kpi_cli.rules.drop_quiet_p import Laid, amounts_quiet, clears, counts_quiet, sustained_p
from kpi_cli.sources.canonical import MONEY

_LEAST_GROUP = 32  # below this, numpy's fixed cost is more than the per-view work it saves
# The sustained move must be this far under half of `warn` (relative change, e.g. 0.1 - 1e-9)
# to be marked: far above the few ulps numpy's log and sums may differ by from the exact test's.
_MARGIN = 1e-9
_OFFSET = 0.5  # stats.shift's log(y + 1/2)


class Planned(NamedTuple):
    """A view drop will judge, with its settings and the KPI's sources' newest dates (a named
    tuple: one per view, and a frozen dataclass costs ~2 us to make)."""

    view: KpiView
    settings: Any  # DropSettings (drop.py imports this module)
    newest: list[date]


@dataclass(frozen=True)
class Quiet:
    """What the pass proved for one view: the judged finding and the sustained one are None."""

    judge: bool = False
    sustained: bool = False


_UNKNOWN = Quiet()
# The four answers, shared: a frozen dataclass per view cost ~2 us, 40,000 times.
_ANSWERS = {(j, s): Quiet(j, s) for j in (False, True) for s in (False, True)}


def quiet_views(planned: Sequence[Planned], catalog: Catalog) -> list[Quiet]:
    """One Quiet per planned view, in order; `_UNKNOWN` for the views left to the per-view path."""
    found = [_UNKNOWN] * len(planned)
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, item in enumerate(planned):
        view = item.view
        if view.data is None or view.data.catalog is not catalog or not _laid_out(view):
            continue
        # The period by its ordinal and kind (a Period's hash costs ~1 us a view); the settings and
        # the newest dates by identity: every view of a KPI shares them (drop.evaluate), and equal
        # objects that are not the same would only split a group.
        period = (view.period.ordinal, view.kpi.period)
        key = (id(item.settings), view.kpi.metric, period, view.as_of, id(item.newest))
        groups.setdefault(key, []).append(i)
    for members in groups.values():
        if len(members) >= _LEAST_GROUP:
            for i, quiet in zip(members, _group([planned[i] for i in members], catalog), strict=True):
                found[i] = quiet
    return found


def _laid_out(view: KpiView) -> bool:
    """A history of consecutive periods that ends at the reviewed one (every part of a split)."""
    ordinals = view.trail.ordinals
    count = len(ordinals)
    return (
        bool(count)
        and int(ordinals[-1]) == view.period.ordinal
        and int(ordinals[0]) == view.period.ordinal - count + 1
    )


def _group(items: list[Planned], catalog: Catalog) -> list[Quiet]:
    first = items[0]
    settings, view0 = first.settings, first.view
    metric, period, as_of = view0.kpi.metric, view0.period, view0.as_of
    width = max(len(item.view.trail.ordinals) for item in items)
    grid = np.full((len(items), width), np.nan)
    longest = items[0].view.trail
    for row, item in enumerate(items):
        values = item.view.trail.values
        grid[row, width - len(values) :] = values
        if len(values) == width:
            longest = item.view.trail
    days = np.asarray(longest.day_counts(), dtype=np.float64)
    up = np.asarray([item.view.kpi.direction == "up" for item in items])
    judge = _judge_quiet(grid, days, up, settings, period, as_of, first.newest, catalog, metric)
    sustained = _sustained_quiet(grid, days, up, settings, period, as_of, catalog, metric)
    return [_ANSWERS[pair] for pair in zip(judge.tolist(), sustained.tolist(), strict=True)]


def _judge_quiet(
    grid: np.ndarray,
    days: np.ndarray,
    up: np.ndarray,
    settings: Any,
    period: Any,
    as_of: date,
    newest: list[date],
    catalog: Catalog,
    metric: str,
) -> np.ndarray:
    """drop_baseline.window is None, or below_warn holds (the same floats, in the same order)."""
    rows, width = grid.shape
    covered = coverage_of(period, tuple(newest), as_of)
    if covered.days == 0:
        return np.ones(rows, dtype=bool)  # window() is None for every view
    current = grid[:, width - 1]
    size = 1 if settings.baseline == "previous" else settings.window
    total, exposure = np.zeros(rows), np.zeros(rows)
    baseline = np.zeros((rows, width - 1), dtype=bool)  # the window's baseline cells with data
    for column in range(max(width - 1 - size, 0), width - 1):  # window's baseline, oldest first
        value = grid[:, column]
        present = baseline[:, column] = ~np.isnan(value)
        total = np.where(present, total + value, total)  # sum(frame.values): in order, from 0
        exposure = np.where(present, exposure + days[column], exposure)  # sum(frame.baseline_days)
    chosen = baseline.any(axis=1)
    empty: np.ndarray = np.isnan(current) | ~chosen
    if catalog.proportion(metric) is not None or not catalog.additive(metric):
        return empty  # below_warn answers False for shares and ratios
    with np.errstate(divide="ignore", invalid="ignore"):
        now = current / covered.days
        rate0 = total / exposure
        rate, per_period = now * covered.period_days, rate0 * covered.period_days
        change = np.where(per_period == 0, np.where(rate > 0, math.inf, 0.0), rate / per_period - 1)
    adverse = np.where(up, -change, change)
    below = chosen & (total > 0) & (adverse < settings.warn)
    quiet: np.ndarray = empty | below
    # The rest move more than `warn`: their test's p, for all of them at once (drop_quiet_p).
    laid = Laid(grid, days, up)
    test = amounts_quiet if catalog.columns(metric) & MONEY else counts_quiet
    tested: np.ndarray = quiet | test(laid, baseline, covered.days, HISTORY_PERIODS, settings.alpha)
    return tested


def _sustained_quiet(
    grid: np.ndarray,
    days: np.ndarray,
    up: np.ndarray,
    settings: Any,
    period: Any,
    as_of: date,
    catalog: Catalog,
    metric: str,
) -> np.ndarray:
    """drop._sustained is None: not a count, too few periods, a negative value, or a small move."""
    rows, width = grid.shape
    if (
        catalog.columns(metric) & MONEY
        or not catalog.additive(metric)
        or catalog.proportion(metric) is not None
    ):
        return np.ones(rows, dtype=bool)
    end = width - 1 if periods.in_progress(period, as_of) else width  # complete periods only
    complete, complete_days = grid[:, :end], days[:end]
    present = ~np.isnan(complete)
    from_right = np.cumsum(present[:, ::-1], axis=1)[:, ::-1]  # periods with data at or after
    count = np.minimum(present.sum(axis=1), HISTORY_PERIODS + settings.sustained_periods)
    n = np.minimum(settings.sustained_periods, count)
    kept = present & (from_right <= count[:, None])
    recent = present & (from_right <= n[:, None])
    before = kept & ~recent
    too_few = (count - n) < 2
    negative = (kept & (np.where(present, complete, 0.0) < 0)).any(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log(np.where(kept & ~negative[:, None], complete, 0.0) + _OFFSET) - np.log(complete_days)
        r_mean = np.where(recent, logs, 0.0).sum(axis=1) / n
        q_mean = np.where(before, logs, 0.0).sum(axis=1) / (count - n)
        change = np.exp(r_mean) / np.exp(q_mean) - 1
    adverse = np.where(up, -change, change)
    small = adverse < settings.warn / 2 - _MARGIN  # NaN compares False: left to the exact test
    quiet: np.ndarray = too_few | negative | small
    # The larger moves: the shift test's p itself (drop_quiet_p), against `sustained_alpha`.
    p = sustained_p(logs, recent, before, np.where(kept, complete, 0.0), up)
    tested: np.ndarray = quiet | (~negative & clears(p, settings.sustained_alpha))
    return tested
