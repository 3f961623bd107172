from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from kpi_cli.findings import Finding, Severity
from kpi_cli.rules import drop
from tests.conftest import context, make_config, monthly_frame

AS_OF = date(2026, 4, 30)  # April's last day: April is complete and is the reviewed period


def _findings(
    values: dict[str, list[float | None]],
    kpi: dict[str, Any],
    as_of: date = AS_OF,
    frame: pd.DataFrame | None = None,
    **config: Any,
) -> list[Finding]:
    spec = {"id": "k", "target": 1, **kpi}
    built = make_config(kpis=[spec], **config)
    if frame is None:
        size = len(next(iter(values.values())))
        frame = monthly_frame({**values, "revenue": values.get("revenue", [1.0] * size)}, first="2026-01")
    return drop.evaluate(context(built, frame, as_of))


def _leads(values: list[float | None], **kpi: Any) -> list[Finding]:
    return _findings({"leads": values}, {"metric": "leads", **kpi})


def _daily(start: str, end: str, **per_day: float) -> pd.DataFrame:
    days = pd.date_range(start, end, freq="D")
    return pd.DataFrame({"date": days, **{k: [v] * len(days) for k, v in per_day.items()}})


# --- counts ----------------------------------------------------------------------------------------


def test_three_to_two_is_not_a_drop() -> None:
    # A fall of 33 %, but P(X <= 2 | X ~ Bin(5, 1/2)) = (1 + 5 + 10) / 32 = 0.5: chance
    assert stats.binomtest(2, 5, 0.5, alternative="less").pvalue == pytest.approx(0.5)
    assert _leads([None, None, 3, 2]) == []


def test_real_drop_is_fail() -> None:
    # March 100 in 31 days, April 50 in 30 days: per day 1.667 against 3.226, -48.3 %.
    # One baseline period: no history to estimate noise from, so the exact conditional Poisson test
    # with day exposures decides (p = max of the two tests, so at least the exact one).
    [finding] = _leads([None, None, 100, 50])
    assert finding.severity is Severity.FAIL  # >= fail 0.40
    assert finding.code == "drop.count"
    ev = finding.evidence
    assert ev["p_value"] >= stats.binomtest(50, 150, 30 / 61, alternative="less").pvalue
    assert ev["p_value"] < 0.001
    assert ev["relative_change"] == pytest.approx(50 * 31 / (30 * 100) - 1)
    assert ev["baseline_periods"] == ["2026-03"]
    assert ev["in_progress"] is False
    assert ev["coverage"] == "through 30 Apr (30 of 30 days)"


def test_moderate_significant_drop_is_warn() -> None:
    # 100 -> 70: -27.7 % per day (70/30 against 100/31), between warn 0.20 and fail 0.40
    [finding] = _leads([None, None, 100, 70])
    assert finding.severity is Severity.WARN
    assert finding.evidence["relative_change"] == pytest.approx(70 * 31 / (30 * 100) - 1)
    assert stats.binomtest(70, 170, 30 / 61, alternative="less").pvalue <= finding.evidence["p_value"] < 0.05


def test_significant_but_small_fall_is_not_flagged() -> None:
    # 1000 -> 900: p is tiny but -10 % is below warn 0.20
    assert _leads([None, None, 1000, 900]) == []


def test_trailing_baseline_is_the_default_and_the_window_sets_the_noise() -> None:
    # Jan..Mar 100, 120, 110 (31, 28, 31 days = 330 in 90 days); April 60 in 30 days: -45.5 %.
    [finding] = _leads([100, 120, 110, 60])
    assert finding.severity is Severity.FAIL
    ev = finding.evidence
    assert ev["baseline"] == pytest.approx(330 / 90 * 30)  # per day, scaled to April's 30 days
    assert ev["baseline_periods"] == ["2026-01", "2026-02", "2026-03"]
    assert ev["relative_change"] == pytest.approx((60 / 30) / (330 / 90) - 1)
    assert ev["p_value"] >= stats.binomtest(60, 390, 30 / 120, alternative="less").pvalue
    assert "the 2026-01..2026-03 average" in finding.message


def test_february_is_not_a_drop_for_having_fewer_days() -> None:
    # issue 9: 310 in January (10 a day) -> 246 in February (8.8 a day) read as -21 %, p = 0.004
    # with periods as exposure; per day it is -12 %, below warn.
    assert _leads([310, 246], rules={"drop": {"baseline": "previous"}}) == []


def test_period_in_progress_is_compared_on_the_days_covered() -> None:
    # Oct: 10 a day = 310. Nov 1..10: 5 a day = 50 on the 10 days the data covers.
    # Per day 5 against 10: -50 %; scaled to November's 30 days, 150 against 300.
    frame = pd.concat(
        [_daily("2026-10-01", "2026-10-31", leads=10), _daily("2026-11-01", "2026-11-10", leads=5)]
    )
    [finding] = _findings({}, {"metric": "leads"}, as_of=date(2026, 11, 12), frame=frame.assign(revenue=1.0))
    ev = finding.evidence
    assert ev["in_progress"] is True
    assert ev["coverage"] == "through 10 Nov (10 of 30 days)"  # as_of the 12th, data through the 10th
    assert ev["run_rate"] == pytest.approx(150)
    assert ev["relative_change"] == pytest.approx(-0.5)
    assert ev["p_value"] >= stats.binomtest(50, 360, 10 / 41, alternative="less").pvalue
    assert finding.severity is Severity.FAIL


def test_period_in_progress_on_pace_is_not_a_drop() -> None:
    # Nov 1..10 at 10 a day = 100, run rate 300 against 310: -3 %
    frame = pd.concat(
        [_daily("2026-10-01", "2026-10-31", leads=10), _daily("2026-11-01", "2026-11-10", leads=10)]
    )
    assert _findings({}, {"metric": "leads"}, as_of=date(2026, 11, 10), frame=frame.assign(revenue=1.0)) == []


def test_direction_down_count_flags_a_rise() -> None:
    # unsubscribes 10 -> 30: per day +210 %; the exact test alone is already tiny
    [finding] = _findings(
        {"unsubscribes": [None, None, 10, 30]}, {"metric": "unsubscribes", "direction": "down"}
    )
    assert finding.severity is Severity.FAIL
    assert finding.evidence["p_value"] >= stats.binomtest(30, 40, 30 / 61, alternative="greater").pvalue
    assert finding.evidence["p_value"] < 0.01


def test_direction_down_rise_from_zero_is_flagged() -> None:
    # regression (issue 9): unsubscribes 0 -> 50 gave no finding (a zero baseline hid the rise).
    # Exact: all 50 events fell in April's 30 of 61 days: p = (30/61)^50.
    [finding] = _findings(
        {"unsubscribes": [None, None, 0, 50]}, {"metric": "unsubscribes", "direction": "down"}
    )
    assert finding.severity is Severity.FAIL
    assert finding.evidence["p_value"] == pytest.approx((30 / 61) ** 50)
    assert "a rise from 0" in finding.message


def test_direction_down_count_falling_is_good() -> None:
    assert (
        _findings({"unsubscribes": [None, None, 30, 10]}, {"metric": "unsubscribes", "direction": "down"})
        == []
    )


def test_zero_baseline_gives_no_finding() -> None:
    assert _leads([None, None, 0, 0]) == []
    assert _leads([None, None, 0, 5]) == []


def test_missing_current_period_gives_no_finding() -> None:
    assert _leads([None, 100, 100, None]) == []


# --- proportions -------------------------------------------------------------------------------------

CTR = {"metric": "ctr"}
METRICS = {"ctr": "clicks / impressions", "cpa": "cost / customers"}


def test_rate_drop_beyond_chance_is_flagged() -> None:
    # 200 / 10,000 = 2 % -> 100 / 10,000 = 1 %: pooled p = 700/40,000; se^2 = p(1-p)/10,000 (1 + 1/3)
    # with no between-month spread (Jan..Mar identical): z = -0.01 / se, one-sided normal p.
    values: dict[str, list[float | None]] = {"impressions": [10000.0] * 4, "clicks": [200.0, 200, 200, 100]}
    [finding] = _findings(values, CTR, metrics=METRICS)
    pooled = 700 / 40000
    se = (pooled * (1 - pooled) / 10000 * (1 + 1 / 3)) ** 0.5
    assert finding.code == "drop.rate"
    assert finding.severity is Severity.FAIL
    assert finding.evidence["p_value"] == pytest.approx(
        stats.t.cdf(-0.01 / se, 2), rel=1e-6
    ) or finding.evidence["p_value"] == pytest.approx(stats.norm.cdf(-0.01 / se), rel=1e-6)
    assert finding.evidence["baseline"] == pytest.approx(0.02)


def test_rate_drop_on_a_small_sample_is_not_flagged() -> None:
    # 2 / 50 = 4 % -> 1 / 50 = 2 %: -50 %, but the Wilson interval of 1/50 reaches 10.5 % > 4 %
    values: dict[str, list[float | None]] = {"impressions": [50.0] * 4, "clicks": [2.0, 2, 2, 1]}
    assert _findings(values, CTR, metrics=METRICS) == []


def test_zero_denominator_gives_no_finding() -> None:
    current_zero: dict[str, list[float | None]] = {
        "impressions": [100.0, 100, 100, 0],
        "clicks": [5.0, 5, 5, 0],
    }
    assert _findings(current_zero, CTR, metrics=METRICS) == []


def test_rate_rising_from_zero_gives_no_finding() -> None:
    # 0 % -> 5 % on a `down` rate: a relative move from nothing is undefined
    values: dict[str, list[float | None]] = {"impressions": [100.0] * 4, "clicks": [0.0, 0, 0, 5]}
    assert _findings(values, {**CTR, "direction": "down"}, metrics=METRICS) == []


def test_rate_is_judged_per_segment_on_that_segment_counts() -> None:
    # a: 200 -> 100 clicks on 10,000 impressions (-50 %); b: steady 200; overall -25 %.
    a = monthly_frame({"impressions": [10000.0] * 4, "clicks": [200.0, 200, 200, 100]}, segment="a")
    b = monthly_frame({"impressions": [10000.0] * 4, "clicks": [200.0] * 4}, segment="b")
    frame = pd.concat([a, b], ignore_index=True).assign(revenue=1.0)
    found = _findings({}, {**CTR, "segments": ["a", "b"]}, frame=frame, metrics=METRICS)
    assert [(f.segment, f.severity) for f in found] == [(None, Severity.WARN), ("a", Severity.FAIL)]
    assert found[1].evidence["current"] == pytest.approx(0.01)


# --- other ratios and money --------------------------------------------------------------------------


def test_cpa_rise_is_the_bad_move_for_a_down_kpi() -> None:
    # 1,000 / 10 = 100 -> 1,500 / 10 = 150: +50 %. Log ratio: var = 1/10 + 1/10 (customers counted),
    # z = log(1.5) / sqrt(0.2) = 0.91: with 10 customers a month a 50 % CPA rise is chance.
    values: dict[str, list[float | None]] = {
        "cost": [None, None, 1000.0, 1500],
        "customers": [None, None, 10.0, 10],
    }
    assert _findings(values, {"metric": "cpa", "direction": "down"}, metrics=METRICS) == []
    # 100 customers a month: var 0.02, z = 2.87, p = 0.002: fail
    values = {"cost": [None, None, 10000.0, 15000], "customers": [None, None, 100.0, 100]}
    [finding] = _findings(values, {"metric": "cpa", "direction": "down"}, metrics=METRICS)
    assert finding.code == "drop.ratio" and finding.severity is Severity.FAIL
    assert finding.evidence["relative_change"] == pytest.approx(0.5)
    assert finding.evidence["p_value"] == pytest.approx(stats.norm.sf(math.log(1.5) / math.sqrt(0.02)))


def test_cpa_falling_is_good() -> None:
    values: dict[str, list[float | None]] = {
        "cost": [None, None, 1500.0, 1000],
        "customers": [None, None, 10.0, 10],
    }
    assert _findings(values, {"metric": "cpa", "direction": "down"}, metrics=METRICS) == []


def test_trailing_ratio_baseline_is_the_geometric_mean_of_its_periods() -> None:
    # Jan..Mar CPA 100, 110, 90 on 100 customers each; April 14,000 / 100 = 140.
    # Baseline exp(mean log) = (100 * 110 * 90)^(1/3) = 99.7; +40.4 %.
    values: dict[str, list[float | None]] = {
        "cost": [10000.0, 11000, 9000, 14000],
        "customers": [100.0, 100, 100, 100],
    }
    [finding] = _findings(values, {"metric": "cpa", "direction": "down"}, metrics=METRICS)
    assert finding.evidence["baseline"] == pytest.approx((100 * 110 * 90) ** (1 / 3))


def test_money_total_without_history_is_not_judged() -> None:
    # revenue has no counting model: its noise must come from at least two complete periods
    assert _findings({"revenue": [None, None, 1000.0, 500]}, {"metric": "revenue"}) == []
    [finding] = _findings({"revenue": [1000.0, 1100, 1000, 400]}, {"metric": "revenue"})
    assert finding.code == "drop.amount" and finding.severity is Severity.FAIL


def test_net_count_gone_negative_is_judged_as_an_amount() -> None:
    # net new followers 100, 110, 100 -> -20: no Poisson model for a negative count, and an amount
    # needs a positive current total: no finding rather than a made-up test
    assert _findings({"followers": [100.0, 110, 100, -20]}, {"metric": "followers"}) == []


def test_disabled_rule_gives_nothing() -> None:
    assert _leads([None, None, 100, 50], rules={"drop": {"enabled": False}}) == []


def test_ratio_early_in_a_running_period_is_not_judged() -> None:
    # CPA 100 in Aug..Oct (10,000 / 100); November 1..5 has 6,000 / 20 = 300: +200 %,
    # but 5 of 30 days is below min_elapsed 0.25
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-08-15", "2026-09-15", "2026-10-15", "2026-11-03", "2026-11-05"]),
            "cost": [10000.0, 10000, 10000, 6000.0, 0.0],
            "customers": [100.0, 100, 100, 20.0, 0.0],
            "revenue": [0.0] * 5,
        }
    )
    config = make_config(
        kpis=[{"id": "cpa", "metric": "cpa", "target": 120, "direction": "down"}],
        metrics={"cpa": "cost / customers"},
    )
    assert drop.evaluate(context(config, frame, date(2026, 11, 5))) == []


def test_two_months_down_together_are_a_sustained_fall() -> None:
    # Jan..Jun 400 each (Jun..Jul as the reviewed pair): Jul 300 and Aug 290 alone are not conclusive
    # against a trailing window that already holds July, but together against Jan..Jun they are.
    # Reference: two-sample t on log(y + 1/2) - log(days), pooled variance floored at mean 1/(y+1/2).
    values = [400.0, 410, 395, 405, 390, 400, 300, 290, None]
    months = pd.period_range("2026-01", periods=8, freq="M")
    logs = np.log(np.array(values[:8]) + 0.5) - np.log([m.days_in_month for m in months])
    recent, before = logs[6:], logs[:6]
    pooled = (((recent - recent.mean()) ** 2).sum() + ((before - before.mean()) ** 2).sum()) / 6
    floor = np.mean(1 / (np.array(values[:8]) + 0.5))
    se = math.sqrt(max(pooled, floor) * (1 / 2 + 1 / 6))
    p = stats.t.cdf((recent.mean() - before.mean()) / se, 6)
    found = _findings({"leads": values}, {"metric": "leads", "target": 400}, as_of=date(2026, 9, 1))
    [finding] = [f for f in found if f.code == "drop.sustained"]
    assert finding.evidence["p_value"] == pytest.approx(p)
    assert finding.evidence["recent_periods"] == ["2026-07", "2026-08"]
    assert finding.severity is Severity.WARN  # -26 %: below fail 0.40


def test_a_sustained_fall_that_leaves_the_kpi_above_target_is_not_flagged() -> None:
    values = [400.0, 410, 395, 405, 390, 400, 300, 290, None]
    found = _findings({"leads": values}, {"metric": "leads", "target": 250}, as_of=date(2026, 9, 1))
    assert [f for f in found if f.code == "drop.sustained"] == []
