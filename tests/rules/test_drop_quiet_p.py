"""drop_quiet_p's p-values, a whole group at once, against stats.compare's and stats.shift's own.

The reference is the per-view test drop runs (compare_counts, compare_amounts, sustained_shift),
called row by row on lists built here from the grid by plain Python (the periods with data
before the reviewed one, its baseline window, the last 12 for the noise), on seeded random
groups: overdispersed counts from 0 to thousands, months without data, zero months, negative
values (net counts), money totals, `up` and `down`, finished and running months, windows of 1 to
6 periods. Every p computed by the group pass must be the per-view p (to 1e-9 relative: the sums
are in the same order, numpy's log may differ in the last bit), and every row it leaves out must
be one the per-view test answers None for or drop sends elsewhere; most rows must be computed.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from kpi_cli.rules.drop_quiet_p import Laid, amounts_p, clears, counts_p, sustained_p
from kpi_cli.stats.compare import Direction, compare_amounts, compare_counts
from kpi_cli.stats.shift import sustained_shift

MONTHS = pd.period_range("2025-11", "2026-12", freq="M")
DAYS = np.asarray([p.days_in_month for p in MONTHS], dtype=np.float64)
HISTORY = 12


def _group(seed: int, rows: int = 400, money: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Random histories (rows x 14 months) and directions."""
    rng = np.random.default_rng(seed)
    level = rng.choice([0.0, 0.5, 3.0, 20.0, 150.0, 4000.0], size=rows)[:, None]
    noise = rng.gamma(4.0, 0.25, size=(rows, len(MONTHS)))  # ~50 % month-to-month spread
    grid = rng.poisson(level * noise).astype(np.float64)
    if money:
        grid = grid * rng.uniform(80, 1200, size=grid.shape)
    grid[rng.random(grid.shape) < 0.08] = np.nan  # months without data
    grid[rng.random(rows) < 0.03, rng.integers(0, len(MONTHS))] = -2.0  # a net count or a refund
    grid[rng.random(rows) < 0.05, -1] = np.nan  # no figure for the reviewed month
    return grid, rng.random(rows) < 0.6


def _baseline_mask(grid: np.ndarray, size: int) -> np.ndarray:
    width = grid.shape[1]
    mask = np.zeros((grid.shape[0], width - 1), dtype=bool)
    start = max(width - 1 - size, 0)
    mask[:, start:] = ~np.isnan(grid[:, start : width - 1])
    return mask


def _lists(row: np.ndarray, size: int) -> tuple[list[float], list[float], list[float], list[float]]:
    """The baseline and history as drop_baseline.Window hands them to the test, by plain Python."""
    before = [i for i in range(len(row) - 1) if not math.isnan(row[i])]
    chosen = [i for i in before if i >= len(row) - 1 - size]
    past = before[-HISTORY:]
    return (
        [float(row[i]) for i in chosen],
        [float(DAYS[i]) for i in chosen],
        [float(row[i]) for i in past],
        [float(DAYS[i]) for i in past],
    )


@pytest.mark.parametrize(("seed", "size", "covered"), [(1, 3, 31), (2, 1, 17), (3, 6, 31), (4, 3, 5)])
def test_count_p_is_compare_counts_p(seed: int, size: int, covered: int) -> None:
    grid, up = _group(seed)
    p, no_events = counts_p(Laid(grid, DAYS, up), _baseline_mask(grid, size), covered, HISTORY)
    computed = 0
    for i, row in enumerate(grid):
        base, base_days, hist, hist_days = _lists(row, size)
        current = float(row[-1])
        if math.isnan(current) or not base or min(current, *base, *hist) < 0:
            assert math.isnan(p[i]) and not no_events[i]  # no window, or drop's _amount path
            continue
        direction = Direction.UP if up[i] else Direction.DOWN
        found = compare_counts(current, covered, base, base_days, direction, hist, hist_days)
        if found is None:
            assert no_events[i] and math.isnan(p[i])
        elif math.isnan(p[i]):
            assert found.se == 0 or not math.isfinite(found.relative_change)  # left to the view
        else:
            computed += 1
            assert p[i] == pytest.approx(found.p_value, rel=1e-9, abs=1e-300)
    # The others: no figure now (5 %), a negative cell (3 %), no events at all (a sixth: None).
    assert computed > 0.55 * len(grid)


@pytest.mark.parametrize(("seed", "size", "covered"), [(11, 3, 31), (12, 1, 20), (13, 6, 31)])
def test_amount_p_is_compare_amounts_p(seed: int, size: int, covered: int) -> None:
    grid, up = _group(seed, money=True)
    p, none = amounts_p(Laid(grid, DAYS, up), _baseline_mask(grid, size), covered, HISTORY)
    computed, answered_none = 0, 0
    for i, row in enumerate(grid):
        base, base_days, hist, hist_days = _lists(row, size)
        current = float(row[-1])
        if math.isnan(current) or not base:
            assert math.isnan(p[i]) and not none[i]
            continue
        direction = Direction.UP if up[i] else Direction.DOWN
        found = compare_amounts(current, covered, base, base_days, direction, hist, hist_days)
        if found is None:
            assert none[i] and math.isnan(p[i])
            answered_none += 1
        else:
            assert not none[i]
            computed += 1
            assert p[i] == pytest.approx(found.p_value, rel=1e-9, abs=1e-300)
    # The others: no figure now, no baseline in a 1-period window, no money at all (a sixth: None).
    assert computed > 0.55 * len(grid) and answered_none > 0.1 * len(grid)


@pytest.mark.parametrize(("seed", "recent_n"), [(21, 2), (22, 1), (23, 3)])
def test_sustained_p_is_sustained_shifts_p(seed: int, recent_n: int) -> None:
    grid, up = _group(seed)
    grid = np.abs(grid)  # drop_quiet marks negative rows before this test
    present = ~np.isnan(grid)
    from_right = np.cumsum(present[:, ::-1], axis=1)[:, ::-1]
    count = np.minimum(present.sum(axis=1), HISTORY + recent_n)
    n = np.minimum(recent_n, count)
    kept = present & (from_right <= count[:, None])
    recent = present & (from_right <= n[:, None])
    before = kept & ~recent
    logs = np.log(np.where(kept, grid, 0.0) + 0.5) - np.log(DAYS)
    p = sustained_p(logs, recent, before, np.where(kept, grid, 0.0), up)
    computed = 0
    for i, row in enumerate(grid):
        cells = [j for j in range(len(row)) if not math.isnan(row[j])][-(HISTORY + recent_n) :]
        take = min(recent_n, len(cells))
        late, early = cells[len(cells) - take :], cells[: len(cells) - take]
        direction = Direction.UP if up[i] else Direction.DOWN
        found = sustained_shift(
            [row[j] for j in late],
            [DAYS[j] for j in late],
            [row[j] for j in early],
            [DAYS[j] for j in early],
            direction,
        )
        if found is None:
            assert math.isnan(p[i])
        else:
            computed += 1
            assert p[i] == pytest.approx(found.p_value, rel=1e-9, abs=1e-300)
    assert computed > 0.8 * len(grid)


def test_a_p_must_clear_alpha_with_room_to_spare() -> None:
    # 0.05 itself, and a p a millionth above it, are left to the per-view test; NaN always is.
    p = np.asarray([0.0499, 0.05, 0.05 * (1 + 1e-7), 0.05 * (1 + 2e-6), 0.9, np.nan])
    assert clears(p, 0.05).tolist() == [False, False, False, True, True, False]
