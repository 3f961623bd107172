from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from scipy import stats

from kpi_cli.findings import Finding, Severity
from kpi_cli.rules import forecast
from tests.conftest import context, make_config, monthly_frame

AS_OF = date(2026, 5, 10)  # May is running (its row on the 15th is cut); Jan..Apr are complete


def _kpi_findings(values: list[float | None], as_of: date = AS_OF, **kpi: object) -> list[Finding]:
    spec = {"id": "leads", "metric": "leads", "target": 100, **kpi}
    config = make_config(kpis=[spec])
    frame = monthly_frame({str(spec["metric"]): values, "revenue": [100.0] * len(values)})
    return [f for f in forecast.evaluate(context(config, frame, as_of)) if f.kpi is not None]


def _kgi_findings(revenue: list[float | None], target: float) -> list[Finding]:
    kgi = {
        "name": "Revenue",
        "metric": "revenue",
        "target": target,
        "start": "2026-01-01",
        "deadline": "2026-12-31",
    }
    config = make_config(kgi=kgi)
    frame = monthly_frame({"revenue": revenue, "leads": [100.0] * len(revenue)})
    return [f for f in forecast.evaluate(context(config, frame, AS_OF)) if f.kpi is None]


# Jan..Apr = 100, 90, 95, 80. Pairwise slopes: -10, -2.5, -6.67, +5, -5, -15;
# sorted -15, -10, -6.67, -5, -2.5, 5 -> median (-6.67 - 5) / 2 = -5.833.
# Intercept = median y - slope * median x = 92.5 + 5.833 * 1.5 = 101.25.
# review_by in June -> x = 5: point 101.25 - 5.833 * 5 = 72.08.
# With 4 points the 90% slope interval is the full range of pairwise slopes, -15..5 (checked below);
# pivoted on (1.5, 92.5): low 92.5 - 15 * 3.5 = 40, high 92.5 + 5 * 3.5 = 110.
FALLING = [100.0, 90.0, 95.0, 80.0, None]


def test_slope_interval_is_the_pairwise_range_for_four_points() -> None:
    result = stats.theilslopes([100, 90, 95, 80], [0, 1, 2, 3], 0.9)
    assert (result.low_slope, result.high_slope) == (-15, 5)


def test_point_misses_but_optimistic_bound_reaches_target_is_warn() -> None:
    [finding] = _kpi_findings(FALLING, review_by="2026-06-15")
    assert finding.severity is Severity.WARN
    assert finding.code == "forecast.at_risk"
    ev = finding.evidence
    assert ev["slope"] == pytest.approx(-35 / 6)
    assert ev["intercept"] == pytest.approx(101.25)
    assert ev["projection"] == pytest.approx(101.25 - 35 / 6 * 5)
    assert (ev["low"], ev["high"]) == (pytest.approx(40), pytest.approx(110))
    assert ev["periods"] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert ev["horizon"] == "2026-06"
    assert ev["target"] == 100
    assert "projects 72.1 for 2026-06" in finding.message


def test_even_optimistic_bound_misses_is_fail() -> None:
    [finding] = _kpi_findings(FALLING, review_by="2026-06-15", target=120)  # high 110 < 120
    assert finding.severity is Severity.FAIL
    assert finding.code == "forecast.miss"
    assert "120" in finding.message and finding.action is not None


def test_without_review_by_the_next_period_is_projected() -> None:
    # Apr is the last complete period -> May, x = 4: 101.25 - 5.833 * 4 = 77.92
    [finding] = _kpi_findings(FALLING)
    assert finding.evidence["horizon"] == "2026-05"
    assert finding.evidence["projection"] == pytest.approx(101.25 - 35 / 6 * 4)


def test_healthy_trend_gives_no_finding() -> None:
    assert _kpi_findings([80.0, 90.0, 100.0, 110.0, None], review_by="2026-06-15") == []


def test_period_in_progress_is_not_fitted() -> None:
    # as_of May 20 keeps May's row (a partial 5) in the history; it must not drag the trend
    findings = _kpi_findings([80.0, 90.0, 100.0, 110.0, 5.0], as_of=date(2026, 5, 20), review_by="2026-06-15")
    assert findings == []


def test_direction_down_rising_trend_misses() -> None:
    # bounces 40, 50, 60, 70: every pairwise slope is 10, so low = high = point; May (x=4) = 80 > 50
    [finding] = _kpi_findings([40.0, 50.0, 60.0, 70.0, None], metric="bounces", target=50, direction="down")
    assert finding.severity is Severity.FAIL
    assert finding.evidence["projection"] == pytest.approx(80)
    assert finding.evidence["low"] == finding.evidence["high"] == pytest.approx(80)


def test_direction_down_falling_trend_is_healthy() -> None:
    assert _kpi_findings([70.0, 60.0, 50.0, 40.0, None], metric="bounces", target=50, direction="down") == []


def test_too_few_periods_is_info_not_alarm() -> None:
    [finding] = _kpi_findings([None, None, 30.0, 40.0, None], target=1000)
    assert finding.severity is Severity.INFO
    assert finding.code == "forecast.too_few_periods"
    assert "too few periods to forecast" in finding.message
    assert finding.evidence == {"periods_available": 2, "periods_needed": 3}


def test_min_periods_setting_is_read() -> None:
    [finding] = _kpi_findings(
        [None, None, 30.0, 40.0, None], target=1000, rules={"forecast": {"min_periods": 2}}
    )
    assert finding.severity is Severity.FAIL  # 2 points: slope 10, May = 50 << 1000


def test_kpi_without_target_is_skipped() -> None:
    config = make_config(kpis=[{"id": "leads", "metric": "leads", "target": 100, "segments": ["a"]}])
    frame = monthly_frame({"leads": [100.0, 90.0, 95.0, 80.0], "revenue": [1.0] * 4}, segment="a")
    found = forecast.evaluate(context(config, frame, AS_OF))
    assert [f.segment for f in found if f.kpi] == [None]  # segment 'a' has no segment target


# KGI revenue Jan..Apr = 50, 70, 60, 80 (actual to May 10 = 260: May's row is on the 15th).
# Pairwise slopes 20, 5, 10, -10, 5, 20 -> median 7.5; intercept 65 - 7.5 * 1.5 = 53.75.
# Still to come: May 11..31 = 21/31 of May (x=4) and Jun..Dec whole (x=5..11).
#   point: 260 + 83.75 * 21/31 + (7 * 53.75 + 7.5 * 56) = 260 + 56.73 + 796.25 = 1112.98
#   high (slope 20 through (1.5, 65)): 260 + 115 * 21/31 + (7 * 65 + 20 * 45.5) = 1702.90
#   low (slope -10): May 40 * 21/31 = 27.10; Jun..Dec 30, 20, 10, 0, then -10, -20, -30 floored
#   at 0 (revenue was never negative) = 60 -> 260 + 27.10 + 60 = 347.10
KGI_POINT = 260 + 83.75 * 21 / 31 + 796.25
KGI_HIGH = 260 + 115 * 21 / 31 + 1365
KGI_LOW = 260 + 40 * 21 / 31 + 60
REVENUE = [50.0, 70.0, 60.0, 80.0, None]


def test_kgi_on_course_gives_no_finding() -> None:
    assert _kgi_findings(REVENUE, target=1000) == []


def test_kgi_projected_miss_within_range_is_warn() -> None:
    [finding] = _kgi_findings(REVENUE, target=1200)
    assert finding.severity is Severity.WARN
    assert finding.code == "forecast.kgi.at_risk"
    ev = finding.evidence
    assert ev["actual_to_date"] == 260
    assert ev["projection"] == pytest.approx(KGI_POINT)
    assert ev["high"] == pytest.approx(KGI_HIGH)
    assert ev["low"] == pytest.approx(KGI_LOW)
    assert ev["remaining_periods"][0] == "2026-05" and ev["remaining_shares"][0] == pytest.approx(21 / 31)
    assert ev["horizon"] == "2026-12-31"


def test_kgi_miss_beyond_range_is_fail() -> None:
    [finding] = _kgi_findings(REVENUE, target=2000)
    assert finding.severity is Severity.FAIL
    assert finding.code == "forecast.kgi.miss"
    # gap 2000 - 1112.98 = 887.02 over the 235 days May 11..Dec 31
    assert finding.action is not None and "887" in finding.action and "3.8 a day" in finding.action


def test_kgi_with_too_few_months_is_info() -> None:
    [finding] = _kgi_findings([None, None, 60.0, 80.0, None], target=2000)
    assert finding.severity is Severity.INFO and finding.code == "forecast.too_few_periods"


def test_cumulative_kpi_is_projected_to_its_deadline() -> None:
    # leads 10, 20, 30, 40 (slope 10 exactly): 100 so far, May 50 * 21/31, Jun 60 (deadline Jun 30)
    spec = {"id": "leads", "metric": "leads", "target": 500, "cumulative": True, "deadline": "2026-06-30"}
    config = make_config(kpis=[spec])
    frame = monthly_frame({"leads": [10.0, 20.0, 30.0, 40.0, None], "revenue": [1.0] * 5})
    [finding] = [f for f in forecast.evaluate(context(config, frame, AS_OF)) if f.kpi]
    assert finding.severity is Severity.FAIL
    assert finding.evidence["projection"] == pytest.approx(100 + 50 * 21 / 31 + 60)


def test_running_period_counts_what_is_already_measured() -> None:
    # Jan..May flat at 100 (Theil–Sen slope 0, bounds 0): the trend says 100 a month.
    # June runs: 60 counted by June 10 (10 of 30 days), so 60 + 100 * 20/30 = 126.67 is projected,
    # below the 150 target even at the optimistic end.
    frame = monthly_frame({"leads": [100, 100, 100, 100, 100], "revenue": [0] * 5})
    june = pd.DataFrame({"date": [pd.Timestamp("2026-06-05")], "leads": [60.0], "revenue": [0.0]})
    config = make_config(kpis=[{"id": "leads", "metric": "leads", "target": 150, "review_by": "2026-06-30"}])
    ctx = context(config, pd.concat([frame, june], ignore_index=True), date(2026, 6, 10))
    [finding] = [f for f in forecast.evaluate(ctx) if f.kpi == "leads"]
    assert finding.severity is Severity.FAIL
    assert finding.evidence["so_far"] == 60
    assert finding.evidence["projection"] == pytest.approx(60 + 100 * 20 / 30)
    assert finding.message.startswith("leads: 60 so far plus the trend of 5 complete periods")
