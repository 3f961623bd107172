from __future__ import annotations

from datetime import date

import pytest
from scipy import stats

from kpi_cli.findings import Severity
from kpi_cli.rules import stalled
from tests.conftest import context, make_config, monthly_frame

AS_OF = date(2026, 6, 10)  # June is running; Jan..May are complete


def _findings(leads: list[float | None], **kpi: object) -> list[stalled.Finding]:
    config = make_config(kpis=[{"id": "leads", "metric": "leads", "target": 100, **kpi}])
    frame = monthly_frame({"leads": leads, "revenue": [0] * len(leads)})
    return stalled.evaluate(context(config, frame, AS_OF))


def test_flat_series_below_target_is_stalled() -> None:
    # Mar..May = 60, 62, 61: (61 - 60) / 60 = +1.7 % < 10 %, and no trend
    [finding] = _findings([40, 50, 60, 62, 61, 10])
    assert finding.severity is Severity.WARN
    assert finding.evidence["values"] == [60, 62, 61]
    assert finding.evidence["relative_change"] == pytest.approx(1 / 60)
    # exact Kendall on (0,1,2) vs (60,62,61): concordant 2, discordant 1 -> tau = 1/3, p = 1.0
    assert finding.evidence["kendall_tau"] == pytest.approx(1 / 3)
    assert finding.evidence["p_value"] == pytest.approx(1.0)
    assert finding.evidence["periods"] == ["2026-03", "2026-04", "2026-05"]


def test_running_period_is_left_out_of_the_window() -> None:
    # June (10) is in progress at as_of and must not count as a fall
    [finding] = _findings([40, 50, 60, 62, 61, 10])
    assert "2026-06" not in finding.evidence["periods"]


def test_moving_series_is_not_stalled() -> None:
    assert _findings([40, 50, 60, 70, 80, 10]) == []  # +33 % over Mar..May


def test_kpi_at_target_is_not_stalled() -> None:
    assert _findings([100, 101, 100, 100, 101, 100], target=90) == []


def test_significant_trend_with_small_change_is_not_stalled() -> None:
    # Five strictly rising months: exact Kendall p = 2/5! = 0.0167 < 0.05 even though +4 % < 10 %
    values = [100.0, 101.0, 102.0, 103.0, 104.0]
    expected = stats.kendalltau(range(5), values, method="exact").pvalue
    assert expected == pytest.approx(2 / 120)
    config_kpi = {"target": 200, "rules": {"stalled": {"periods": 5}}}
    assert _findings([*values, 1], **config_kpi) == []


def test_too_few_periods_is_info_not_alarm() -> None:
    [finding] = _findings([None, None, None, None, 61, 10])
    assert finding.severity is Severity.INFO
    assert finding.code == "stalled.too_few_periods"
    assert finding.evidence == {"periods_available": 1, "periods_needed": 3}


def test_no_recent_data_is_left_to_freshness() -> None:
    assert _findings([60, 61, 60, 60, None, None]) == []


def test_direction_down_kpi_not_at_target_can_stall() -> None:
    # CPA-like count with a ceiling of 50: 80, 81, 80 is above the ceiling and flat
    [finding] = _findings([80, 80, 80, 81, 80, 80], target=50, direction="down")
    assert finding.kpi == "leads"


def test_ties_fall_back_to_the_tie_corrected_test() -> None:
    tau, p = stalled.trend([5.0, 5.0, 5.0])
    assert (tau, p) == (0.0, 1.0)
    tau, p = stalled.trend([1.0, 2.0, 2.0, 3.0])
    expected = stats.kendalltau(range(4), [1, 2, 2, 3])
    assert (tau, p) == pytest.approx((expected.statistic, expected.pvalue))
