"""The calibration harness in small: the stats judges on a few hundred simulated KPIs.

Tolerances sit a few binomial standard errors above the harness's full-size figures (2,000
series) and well below what the current rules score (drop 16 %, pace 60 %, forecast 50 %
warn-or-fail on on-target KPIs), so a broken implementation fails here.
"""

from __future__ import annotations

import pytest

from benchmarks.calibration import SCENARIOS, coverage, judge_stats, rates

RUNS = 240
BY_NAME = {s.name: s for s in SCENARIOS}


@pytest.fixture(scope="module")
def on_target() -> dict[str, tuple[float, float]]:
    return rates(BY_NAME["on_target"], judge_stats, RUNS, seed=1)


@pytest.mark.parametrize("rule", ["drop", "pace", "forecast"])
def test_on_target_kpis_rarely_warn_or_fail(on_target: dict[str, tuple[float, float]], rule: str) -> None:
    warn_or_fail, fail = on_target[rule]
    assert fail <= 0.06  # goal 5 %
    assert warn_or_fail <= 0.18  # goal 15 %; binomial se at 240 runs is 2.3 pp


def test_growing_kpis_are_neither_dropping_nor_stalled() -> None:
    found = rates(BY_NAME["growth"], judge_stats, RUNS, seed=2)
    assert found["drop"][0] <= 0.06
    assert found["stalled"][0] <= 0.07


def test_flat_kpis_at_half_target_are_stalled() -> None:
    assert rates(BY_NAME["flat_half_400"], judge_stats, RUNS, seed=3)["stalled"][0] >= 0.40


@pytest.mark.parametrize("months", [6, 12])
def test_forecast_range_coverage(months: int) -> None:
    assert 0.83 <= coverage(months + 1, "growth", RUNS, seed=months) <= 0.97


@pytest.fixture(scope="module")
def app_on_target() -> dict[str, tuple[float, float]]:
    from benchmarks.calibration import judge_app

    return rates(BY_NAME["on_target"], judge_app, 150, seed=4)


@pytest.mark.parametrize("rule", ["drop", "pace", "forecast"])
def test_the_wired_rules_rarely_alarm_on_target(
    app_on_target: dict[str, tuple[float, float]], rule: str
) -> None:
    # Through the app's evaluation entry point. The rules before issue 9's wiring scored pace 66 %,
    # forecast 53 %, drop 16 % warn-or-fail here; 1,000 runs of the wired rules give 6-11 %.
    warn_or_fail, fail = app_on_target[rule]
    assert fail <= 0.07
    assert warn_or_fail <= 0.19  # goal 15 %; binomial se at 150 runs is 2.9 pp
