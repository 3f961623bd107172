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


def test_the_wired_stalled_rule_leaves_growth_alone_and_finds_flat_kpis() -> None:
    # Through the app: the old rule (last N=3 periods, Kendall + 10 % change) fired on 6.6 % of
    # KPIs growing 6 % a month and on 33.9 % of flat ones at half target; 2,000 runs of the
    # rewired rule give 1.9 % and 58.8 %. Binomial se at 150 runs: 1.8 pp and 4.0 pp.
    from benchmarks.calibration import judge_app

    assert rates(BY_NAME["growth"], judge_app, 150, seed=5)["stalled"][0] <= 0.07
    assert rates(BY_NAME["flat_half_400"], judge_app, 150, seed=6)["stalled"][0] >= 0.45


def test_the_funnel_rarely_flags_stages_at_their_benchmark_and_finds_a_real_shortfall() -> None:
    # 400 runs each in the harness: 1.8-2.8 % flagged at benchmark; a stage at 70 % of its
    # benchmark at 1,000 leads a month flagged 99.8 % (the old rule: any conversion under its
    # benchmark, about half of all months, whatever the noise)
    from benchmarks.calibration import FUNNEL_SCENARIOS, funnel_rates

    by_name = {s.name: s for s in FUNNEL_SCENARIOS}
    assert funnel_rates(by_name["at_benchmark"], 120, seed=7)[0] <= 0.07
    assert funnel_rates(by_name["stage_at_70%"], 60, seed=8)[0] >= 0.9
