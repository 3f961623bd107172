"""`sustained_shift(..., least_adverse=x)` returns exactly the full test's result, or None where
the full result moved the bad way by less than x (issue 12: drop skips those tails under `--by`).

The oracle is the same function without the option, on seeded random inputs: counts from 0 to
thousands, steps both ways, both directions, thresholds around the moves.
"""

from __future__ import annotations

import numpy as np
import pytest

from kpi_cli.stats.compare import Direction
from kpi_cli.stats.shift import sustained_shift


@pytest.mark.parametrize("seed", range(3))
def test_least_adverse_keeps_every_result_it_does_not_drop(seed: int) -> None:
    rng = np.random.default_rng(seed)
    dropped = kept = 0
    for _ in range(2000):
        level = float(rng.choice([0.0, 0.4, 5.0, 60.0, 3000.0]))
        step = float(rng.choice([0.5, 0.9, 1.0, 1.1, 1.6]))
        b, m = int(rng.integers(1, 13)), int(rng.integers(1, 4))
        before = [float(v) for v in rng.poisson(level, b)]
        recent = [float(v) for v in rng.poisson(level * step, m)]
        before_days = [float(d) for d in rng.choice([28, 30, 31], b)]
        recent_days = [float(d) for d in rng.choice([28, 30, 31], m)]
        direction = Direction.UP if rng.random() < 0.6 else Direction.DOWN
        least = float(rng.choice([0.0, 0.05, 0.1, 0.2]))
        full = sustained_shift(recent, recent_days, before, before_days, direction)
        quick = sustained_shift(recent, recent_days, before, before_days, direction, least_adverse=least)
        if full is None:
            assert quick is None
            continue
        adverse = -full.relative_change if direction is Direction.UP else full.relative_change
        if adverse < least:
            assert quick is None
            dropped += 1
        else:
            assert quick == full  # every float the same, bit for bit
            kept += 1
    assert dropped > 100 and kept > 100  # both branches exercised


def test_a_fall_at_the_threshold_is_kept() -> None:
    # 100 a month (30 days) before, 80 after: change 80.5/100.5 - 1 = -0.199 (log(y + 1/2) scale).
    found = sustained_shift([80.0, 80.0], [30.0, 30.0], [100.0] * 4, [30.0] * 4, Direction.UP)
    assert found is not None
    assert found.relative_change == pytest.approx(80.5 / 100.5 - 1, rel=1e-12)
    at = -found.relative_change
    assert (
        sustained_shift([80.0] * 2, [30.0] * 2, [100.0] * 4, [30.0] * 4, Direction.UP, least_adverse=at)
        == found
    )
    assert (
        sustained_shift(
            [80.0] * 2, [30.0] * 2, [100.0] * 4, [30.0] * 4, Direction.UP, least_adverse=at + 1e-9
        )
        is None
    )
