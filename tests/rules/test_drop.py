from __future__ import annotations

from datetime import date
from typing import Any

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
    [finding] = _leads([None, None, 100, 50])
    assert finding.severity is Severity.FAIL  # a 50 % fall >= fail 0.40
    assert finding.code == "drop.count"
    ev = finding.evidence
    assert ev["p_value"] == pytest.approx(stats.binomtest(50, 150, 0.5, alternative="less").pvalue)
    assert ev["relative_change"] == pytest.approx(-0.5)
    assert ev["baseline_periods"] == ["2026-03"]
    assert ev["in_progress"] is False
    assert "50 against 100 in 2026-03 (-50%" in finding.message


def test_moderate_significant_drop_is_warn() -> None:
    # 100 -> 70: -30 % is between warn 0.20 and fail 0.40; P(X <= 70 | Bin(170, 1/2)) = 0.013 < 0.05
    [finding] = _leads([None, None, 100, 70])
    assert finding.severity is Severity.WARN
    assert finding.evidence["p_value"] == pytest.approx(0.012922, abs=1e-6)


def test_significant_but_small_fall_is_not_flagged() -> None:
    # 1000 -> 900: p is tiny but -10 % is below warn 0.20
    assert _leads([None, None, 1000, 900]) == []


def test_trailing_baseline_is_the_mean_of_the_window() -> None:
    # Jan..Mar 100, 120, 110: mean 110; April 60 is -45 %; exposures 1 vs 3 -> p0 = 1/4
    [finding] = _leads([100, 120, 110, 60], rules={"drop": {"baseline": "trailing", "window": 3}})
    assert finding.severity is Severity.FAIL
    ev = finding.evidence
    assert ev["baseline"] == pytest.approx(110)
    assert ev["baseline_periods"] == ["2026-01", "2026-02", "2026-03"]
    assert ev["p_value"] == pytest.approx(stats.binomtest(60, 390, 0.25, alternative="less").pvalue)
    assert "the 2026-01..2026-03 average" in finding.message


def test_period_in_progress_is_compared_pro_rata() -> None:
    # Oct: 10 a day = 310. Nov 1..10: 5 a day = 50, 10/30 of November elapsed.
    # Run rate 50 / (1/3) = 150 against 310: -51.6 %. Exposures 1/3 and 1 -> p0 = (1/3) / (4/3) = 1/4.
    frame = pd.concat(
        [_daily("2026-10-01", "2026-10-31", leads=10), _daily("2026-11-01", "2026-11-10", leads=5)]
    )
    [finding] = _findings({}, {"metric": "leads"}, as_of=date(2026, 11, 10), frame=frame.assign(revenue=1.0))
    ev = finding.evidence
    assert ev["in_progress"] is True
    assert ev["elapsed"] == pytest.approx(1 / 3)
    assert ev["run_rate"] == pytest.approx(150)
    assert ev["relative_change"] == pytest.approx(150 / 310 - 1)
    assert ev["p_value"] == pytest.approx(stats.binomtest(50, 360, 0.25, alternative="less").pvalue)
    assert finding.severity is Severity.FAIL
    assert "50 so far against 103 expected pro rata" in finding.message  # 310 / 3 = 103.3
    assert finding.action == "needs 260 more leads by 30 Nov 2026 to match 2026-10"


def test_period_in_progress_on_pace_is_not_a_drop() -> None:
    # Nov 1..10 at 10 a day = 100, run rate 300 against 310: -3 %
    frame = pd.concat(
        [_daily("2026-10-01", "2026-10-31", leads=10), _daily("2026-11-01", "2026-11-10", leads=10)]
    )
    assert _findings({}, {"metric": "leads"}, as_of=date(2026, 11, 10), frame=frame.assign(revenue=1.0)) == []


def test_direction_down_count_flags_a_rise() -> None:
    # unsubscribes 10 -> 30: +200 %; P(X >= 30 | Bin(40, 1/2)) is tiny
    [finding] = _findings(
        {"unsubscribes": [None, None, 10, 30]}, {"metric": "unsubscribes", "direction": "down"}
    )
    assert finding.severity is Severity.FAIL
    assert finding.evidence["p_value"] == pytest.approx(
        stats.binomtest(30, 40, 0.5, alternative="greater").pvalue
    )
    assert finding.evidence["test"] == "exact Poisson, one-sided greater"


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


def test_rate_drop_beyond_the_wilson_interval_is_flagged() -> None:
    # 200 / 10,000 = 2 % -> 100 / 10,000 = 1 %; Wilson 95 % interval of 1 % is about 0.82 %..1.21 % < 2 %
    values: dict[str, list[float | None]] = {"impressions": [10000.0] * 4, "clicks": [200.0, 200, 200, 100]}
    [finding] = _findings(values, CTR, metrics=METRICS)
    ci = stats.binomtest(100, 10000).proportion_ci(confidence_level=0.95, method="wilson")
    assert finding.code == "drop.rate"
    assert finding.severity is Severity.FAIL
    assert finding.evidence["interval"] == [pytest.approx(ci.low), pytest.approx(ci.high)]
    assert finding.evidence["baseline"] == pytest.approx(0.02)
    assert "1.00% (95% interval 0.82%–1.21%) against 2.00% in 2026-03" in finding.message


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
    baseline_zero: dict[str, list[float | None]] = {
        "impressions": [100.0, 100, 0, 100],
        "clicks": [5.0, 5, 0, 0],
    }
    assert _findings(baseline_zero, CTR, metrics=METRICS) == []


def test_rate_rising_from_zero_gives_no_finding() -> None:
    # 0 % -> 5 % on a `down` rate: a relative move from nothing is undefined
    values: dict[str, list[float | None]] = {"impressions": [100.0] * 4, "clicks": [0.0, 0, 0, 5]}
    assert _findings(values, {**CTR, "direction": "down"}, metrics=METRICS) == []


def test_rate_is_judged_per_segment_on_that_segment_counts() -> None:
    # a: 200 -> 100 clicks on 10,000 impressions (-50 %); b: steady 200.
    # Overall 400 / 20,000 = 2 % -> 300 / 20,000 = 1.5 % (-25 %), Wilson upper ~1.68 % < 2 %: warn.
    a = monthly_frame({"impressions": [10000.0] * 4, "clicks": [200.0, 200, 200, 100]}, segment="a")
    b = monthly_frame({"impressions": [10000.0] * 4, "clicks": [200.0] * 4}, segment="b")
    frame = pd.concat([a, b], ignore_index=True).assign(revenue=1.0)
    found = _findings({}, {**CTR, "segments": ["a", "b"]}, frame=frame, metrics=METRICS)
    assert [(f.segment, f.severity) for f in found] == [(None, Severity.WARN), ("a", Severity.FAIL)]
    assert found[1].evidence["counts"] == [100, 10000]


# --- other ratios and money --------------------------------------------------------------------------


def test_cpa_rise_is_the_bad_move_for_a_down_kpi() -> None:
    # 1,000 / 10 = 100 -> 1,500 / 10 = 150: +50 % >= fail 0.40
    values: dict[str, list[float | None]] = {
        "cost": [None, None, 1000.0, 1500],
        "customers": [None, None, 10.0, 10],
    }
    [finding] = _findings(values, {"metric": "cpa", "direction": "down"}, metrics=METRICS)
    assert finding.code == "drop.ratio"
    assert finding.severity is Severity.FAIL
    assert finding.evidence["relative_change"] == pytest.approx(0.5)
    assert finding.evidence["p_value"] is None


def test_cpa_falling_is_good() -> None:
    values: dict[str, list[float | None]] = {
        "cost": [None, None, 1500.0, 1000],
        "customers": [None, None, 10.0, 10],
    }
    assert _findings(values, {"metric": "cpa", "direction": "down"}, metrics=METRICS) == []


def test_trailing_ratio_baseline_is_pooled_not_averaged() -> None:
    # Jan..Mar cost 1000, 300, 1000 over 10, 1, 10 customers: pooled 2300 / 21 = 109.5
    # (the mean of the monthly CPAs, 166.7, would hide the rise). April 1400 / 10 = 140: +27.8 % -> warn
    values: dict[str, list[float | None]] = {
        "cost": [1000.0, 300, 1000, 1400],
        "customers": [10.0, 1, 10, 10],
    }
    kpi = {"metric": "cpa", "direction": "down", "rules": {"drop": {"baseline": "trailing"}}}
    [finding] = _findings(values, kpi, metrics=METRICS)
    assert finding.severity is Severity.WARN
    assert finding.evidence["baseline"] == pytest.approx(2300 / 21)


def test_money_total_is_judged_on_relative_change_alone() -> None:
    [finding] = _findings({"revenue": [None, None, 1000.0, 500]}, {"metric": "revenue"})
    assert finding.code == "drop.amount" and finding.severity is Severity.FAIL
    assert finding.evidence["p_value"] is None


def test_net_count_gone_negative_is_judged_on_relative_change() -> None:
    # net new followers 100 -> -20: no Poisson model for a negative count; -120 % on the move alone
    [finding] = _findings({"followers": [None, None, 100.0, -20]}, {"metric": "followers"})
    assert finding.code == "drop.amount" and finding.severity is Severity.FAIL
    assert finding.evidence["relative_change"] == pytest.approx(-1.2)


def test_disabled_rule_gives_nothing() -> None:
    assert _leads([None, None, 100, 50], rules={"drop": {"enabled": False}}) == []


def test_ratio_early_in_a_running_period_is_not_judged() -> None:
    # CPA 100 in October (1000 / 10); November 1..5 (5 of 30 days) has 600 / 2 = 300: +200 %,
    # but a sixth of a month is below min_elapsed 0.25: no sampling model can tell noise from a move.
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-10-15", "2026-11-03"]),
            "cost": [1000.0, 600.0],
            "customers": [10.0, 2.0],
            "revenue": [0.0, 0.0],
        }
    )
    config = make_config(
        kpis=[{"id": "cpa", "metric": "cpa", "target": 120, "direction": "down"}],
        metrics={"cpa": "cost / customers"},
    )
    assert drop.evaluate(context(config, frame, date(2026, 11, 5))) == []
    [late] = drop.evaluate(context(config, frame, date(2026, 11, 10)))  # a third of November elapsed
    assert late.code == "drop.ratio" and late.evidence["relative_change"] == pytest.approx(2.0)
