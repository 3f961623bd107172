from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from kpi_cli.stats.compare import Direction
from kpi_cli.stats.pace import PaceStatus, outlook, shortfall_p, status
from tests.stats.sim import monthly_counts


def test_probability_without_history_matches_a_gamma_poisson_simulation() -> None:
    # 10 events in 10 of 30 days, target 30. Jeffreys prior: lambda ~ Gamma(10.5, rate 10);
    # the other 20 days bring Poisson(20 lambda). Monte Carlo of that model as the reference.
    got = outlook(10, 10, 30, 30)
    rng = np.random.default_rng(0)
    lam = rng.gamma(10.5, 1 / 10, 400_000)
    reference = float(np.mean(10 + rng.poisson(20 * lam) >= 30))
    assert got.probability == pytest.approx(reference, abs=0.004)
    assert got.expected_total == pytest.approx(10 + 10.5 / 10 * 20)


def test_down_direction_and_edges() -> None:
    done = outlook(31, 10, 30, 30)
    assert done.probability == 1.0 and done.status is PaceStatus.ON_TRACK
    over = outlook(31, 10, 30, 30, Direction.DOWN)
    # 31 by day 10 against 10 expected: Poisson(10) P(Y >= 31) is far below 2 %
    assert over.probability == 0.0 and over.status is PaceStatus.OFF_TRACK
    full = outlook(29, 30, 30, 30)  # period over, short by one
    assert full.probability == 0.0
    with pytest.raises(ValueError):
        outlook(1, 31, 30, 3)


def test_small_counts_are_judged_as_counts() -> None:
    # A 3-a-month KPI with nothing by day 10: expected 1, Poisson P(Y <= 0) = e^-1 = 0.37, on track.
    o = outlook(0, 10, 30, 3)
    assert o.p_value == pytest.approx(math.exp(-1))
    assert o.status is PaceStatus.ON_TRACK


def test_history_noise_widens_the_judgement() -> None:
    # 480 by day 30 of a 600 target is -20 %: Poisson says impossible (p ~ 1e-8), but with months
    # of 450..750 (cv ~ 0.2) it is an ordinary low month. NB reference with the same cv by hand:
    history = [450.0, 750.0, 600.0, 520.0, 680.0, 600.0]
    plain = shortfall_p(480, 30, 30, 600)
    noisy = shortfall_p(480, 30, 30, 600, Direction.UP, history, [30.0] * 6)
    assert plain == pytest.approx(stats.poisson.cdf(480, 600))
    m = 600 / 30
    spread = float(np.var(np.array(history) / 30, ddof=1)) - m / 30
    cv = math.sqrt(spread * 5 / 3) / m  # 5 df: variance inflated by 5 / (5 - 2)
    shape = 1 / cv**2
    assert noisy == pytest.approx(stats.nbinom.cdf(480, shape, shape / (shape + 600)))
    assert noisy > 0.1 > 1e-6 > plain


def test_status_thresholds() -> None:
    assert status(0.5) is PaceStatus.ON_TRACK and status(0.05) is PaceStatus.AT_RISK
    assert status(0.01) is PaceStatus.OFF_TRACK
    assert PaceStatus.AT_RISK == "at_risk"  # the words metrics.progress uses


@pytest.mark.parametrize("mean", [3, 30, 600])
def test_on_target_with_15_percent_noise_is_rarely_at_risk(mean: int) -> None:
    # Target = the true monthly mean; six complete months of history; data one day behind as_of.
    rng = np.random.default_rng(mean)
    off = risk = runs = 0
    for _ in range(150):
        y = monthly_counts(rng, mean, 7)
        daily = rng.multinomial(int(y[-1]), [1 / 30] * 30)
        for as_of in (5, 15, 25):
            covered = as_of - 1
            o = outlook(
                float(daily[:covered].sum()), covered, 30, mean, Direction.UP, list(y[:-1]), [30.0] * 6
            )
            off += o.status is PaceStatus.OFF_TRACK
            risk += o.status is not PaceStatus.ON_TRACK
            runs += 1
    assert off / runs <= 0.05
    assert risk / runs <= 0.15


def test_a_real_shortfall_is_seen() -> None:
    # Running at half the usual 600/month by day 20: the target is out of reach.
    o = outlook(200, 20, 30, 600, Direction.UP, [600.0] * 3 + [560.0, 640.0, 610.0], [30.0] * 6)
    assert o.status is PaceStatus.OFF_TRACK
