from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest
from scipy import stats

from kpi_cli.findings import Finding, Severity
from kpi_cli.rules import stalled
from tests.conftest import context, make_config, monthly_frame

AS_OF = date(2026, 6, 10)  # June is running; Jan..May are complete


def _findings(leads: list[float | None], as_of: date = AS_OF, **kpi: object) -> list[Finding]:
    config = make_config(kpis=[{"id": "leads", "metric": "leads", "target": 1000, **kpi}])
    frame = monthly_frame({"leads": leads, "revenue": [1.0] * len(leads)})
    return stalled.evaluate(context(config, frame, as_of))


def _p_not_improving(values: list[float], margin: float = 0.06, counts: bool = True, sign: int = 1) -> float:
    """The test worked out with scipy's regression: slope of log(y + 1/2) on time, its standard
    error from the residuals or, if larger, from Poisson counting noise (var log y ~ 1/y), then
    the one-sided t test of "improves by >= margin a period" on n - 2 degrees of freedom."""
    offset = 0.5 if counts else 0.0
    y = np.log(np.array(values) + offset)
    fit = stats.linregress(np.arange(len(values)), y)
    sxx = float(np.sum((np.arange(len(values)) - (len(values) - 1) / 2) ** 2))
    residual_var = fit.stderr**2 * sxx
    counting_var = float(np.mean(1 / (np.array(values) + 0.5))) if counts else 0.0
    se = math.sqrt(max(residual_var, counting_var) / sxx)
    return float(stats.t.cdf((sign * fit.slope - math.log(1 + margin)) / se, len(values) - 2))


def test_a_flat_count_below_target_is_stalled() -> None:
    months = [600.0, 620.0, 610.0, 600.0, 610.0]
    [finding] = _findings([*months, 10])
    assert finding.severity is Severity.WARN and finding.code == "stalled"
    assert finding.evidence["values"] == months
    assert finding.evidence["periods"] == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]
    # counting noise (1/610 on the log scale) exceeds these months' residual spread here
    expected = _p_not_improving(months)
    assert expected < 0.05
    assert finding.evidence["p_value"] == pytest.approx(expected, rel=1e-9)
    slope = stats.linregress(range(5), np.log(np.array(months) + 0.5)).slope
    assert finding.evidence["change_per_period"] == pytest.approx(math.expm1(slope))


def test_the_running_period_is_left_out() -> None:
    # June's 10 in 10 days is not a fall, and would be a fall if counted
    [finding] = _findings([600, 620, 610, 600, 610, 10])
    assert "2026-06" not in finding.evidence["periods"]


def test_a_kpi_growing_ten_percent_a_month_is_not_stalled() -> None:
    assert _findings([500 * 1.1**i for i in range(5)] + [10]) == []


def test_a_small_flat_count_cannot_be_told_from_growth() -> None:
    # 6 a month: counting noise alone leaves the slope's se at sqrt(1/6.5/10) = 0.12 a period,
    # so "improving 6 % a month" cannot be ruled out; the old rule called this stalled
    months = [6.0, 6.0, 7.0, 6.0, 6.0]
    assert _p_not_improving(months) > 0.05
    assert _findings([*months, 1]) == []


def test_a_kpi_at_target_is_not_stalled() -> None:
    assert _findings([1000, 1010, 1000, 1000, 1010, 300]) == []


def test_too_few_periods_is_info_not_alarm() -> None:
    [finding] = _findings([None, None, None, 600, 610, 10])
    assert finding.severity is Severity.INFO
    assert finding.code == "stalled.too_few_periods"
    assert finding.evidence == {"periods_available": 2, "periods_needed": 4}


def test_only_the_periods_after_a_gap_count() -> None:
    # March has no data: the window starts in April, two periods, too few to judge
    [finding] = _findings([600, 610, None, 600, 610, 10])
    assert finding.evidence == {"periods_available": 2, "periods_needed": 4}


def test_no_recent_data_is_left_to_freshness() -> None:
    assert _findings([600, 610, 600, 600, None, None]) == []


def test_periods_is_the_most_looked_at_and_old_configs_still_load() -> None:
    # `periods: 3, min_change: 0.1` was the old default written out: it still loads, 3 is read as
    # the minimum of 4, and min_change is now a margin per period
    months = [300.0, 600.0, 620.0, 610.0, 600.0, 610.0]
    [finding] = _findings(
        [*months, 10], as_of=date(2026, 7, 10), rules={"stalled": {"periods": 3, "min_change": 0.1}}
    )
    assert finding.evidence["values"] == months[-4:]
    assert finding.evidence["min_change"] == 0.1
    assert finding.evidence["p_value"] == pytest.approx(_p_not_improving(months[-4:], margin=0.1))
    # the default looks at all six: the jump from 300 is a trend up, not a stall
    assert _findings([*months, 10], as_of=date(2026, 7, 10)) == []


def test_direction_down_kpi_above_its_ceiling_can_stall() -> None:
    # unsubscribes-like count with a ceiling of 500: flat around 800 is not improving (falling)
    months = [800.0, 810.0, 800.0, 805.0, 800.0]
    [finding] = _findings([*months, 80], target=500, direction="down")
    assert finding.kpi == "leads"
    assert finding.evidence["p_value"] == pytest.approx(_p_not_improving(months, sign=-1), rel=1e-9)


def test_money_has_no_counting_floor() -> None:
    # revenue is money, not a count: the se comes from the residuals alone, on log(y)
    config = make_config(kpis=[{"id": "rev", "metric": "revenue", "target": 1000}])
    months = [600.0, 630.0, 590.0, 610.0, 600.0]
    frame = monthly_frame({"leads": [1.0] * 6, "revenue": [*months, 10]})
    [finding] = stalled.evaluate(context(config, frame, AS_OF))
    expected = _p_not_improving(months, counts=False)
    assert finding.evidence["p_value"] == pytest.approx(expected, rel=1e-9)
    assert expected != pytest.approx(_p_not_improving(months))  # the floor would have mattered
