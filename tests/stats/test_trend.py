from __future__ import annotations

import numpy as np
import pytest

from kpi_cli.stats.compare import Direction
from kpi_cli.stats.trend import stall
from tests.stats.sim import monthly_counts


def _fires(rng: np.random.Generator, mean: float, months: int, growth: float, runs: int) -> float:
    fired = 0
    for _ in range(runs):
        s = stall(list(monthly_counts(rng, mean, months, growth=growth)))
        fired += s is not None and s.stalled
    return fired / runs


def test_growing_kpis_are_not_stalled() -> None:
    rng = np.random.default_rng(11)
    assert max(_fires(rng, m, 8, 0.06, 200) for m in (3, 30, 400)) <= 0.06


def test_flat_kpis_with_eight_months_are_stalled_at_volume() -> None:
    rng = np.random.default_rng(12)
    assert _fires(rng, 400, 8, 0.0, 300) >= 0.45


def test_exact_numbers_on_a_clean_series() -> None:
    s = stall([100.0, 100.0, 100.0, 100.0, 100.0], counts=False)
    assert s is not None and s.change_per_period == pytest.approx(0.0)
    # +20 % a period; the fit is on log(y + 1/2), hence the small tolerance
    rising = [100.0 * 1.2**i for i in range(6)]
    up = stall(rising, counts=False)
    assert up is not None and not up.stalled
    assert up.change_per_period == pytest.approx(0.2, abs=0.002)
    down = stall(rising, Direction.DOWN, counts=False)  # rising is the bad way: not improving
    assert down is not None and down.stalled and not down.equivalent
    assert down.change_per_period == pytest.approx(1 / 1.2 - 1, abs=0.002)
    assert stall([1.0, 2.0, 3.0]) is None  # too few periods
    assert stall([1.0, -2.0, 3.0, 4.0]) is None
