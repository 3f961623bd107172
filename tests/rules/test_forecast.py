from __future__ import annotations

import math
from datetime import date

import numpy as np
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


# Per-period KPIs: a least-squares line through log(y + 1/2) of the last 6 complete months and the
# textbook prediction interval; the reference below recomputes it with numpy.polyfit and scipy's t.
JULY = date(2026, 7, 10)  # July runs; Jan..Jun complete


def _reference(values: list[float], steps: int = 1) -> tuple[float, float, float]:
    """(center, spread, df) on the log scale, independently of kpi_cli.stats."""
    y = np.log(np.array(values) + 0.5)
    x = np.arange(len(y), dtype=float)
    slope, intercept = np.polyfit(x, y, 1)
    resid = y - (intercept + slope * x)
    n = len(y)
    s = math.sqrt(float(resid @ resid) / (n - 2))
    x0 = n - 1 + steps
    spread = s * math.sqrt(1 + 1 / n + (x0 - x.mean()) ** 2 / float(((x - x.mean()) ** 2).sum()))
    return float(intercept + slope * x0), spread, n - 2


FALLING = [100.0, 96.0, 89.0, 86.0, 79.0, 76.0]


def test_falling_kpi_projects_a_near_certain_miss() -> None:
    [finding] = _kpi_findings([*FALLING, None], as_of=JULY)
    center, spread, df = _reference(FALLING)
    assert finding.severity is Severity.FAIL and finding.code == "forecast.miss"
    ev = finding.evidence
    assert ev["projection"] == pytest.approx(math.exp(center) - 0.5)
    q = stats.t.ppf(0.95, df)
    assert ev["low"] == pytest.approx(math.exp(center - q * spread) - 0.5)
    assert ev["high"] == pytest.approx(math.exp(center + q * spread) - 0.5)
    assert ev["miss_probability"] == pytest.approx(stats.t.cdf((math.log(100.5) - center) / spread, df))
    assert ev["horizon"] == "2026-07" and ev["periods"][0] == "2026-01"
    assert "chance of a miss" in finding.message


def test_a_likely_but_not_certain_miss_is_warn() -> None:
    # target set where the reference predictive puts P(miss) at 92 %: between 85 % and 98 %
    center, spread, df = _reference(FALLING)
    target = math.exp(center + stats.t.ppf(0.92, df) * spread) - 0.5
    [finding] = _kpi_findings([*FALLING, None], as_of=JULY, target=target)
    assert finding.severity is Severity.WARN and finding.code == "forecast.at_risk"
    assert finding.evidence["miss_probability"] == pytest.approx(0.92)


def test_review_by_sets_the_horizon() -> None:
    [finding] = _kpi_findings([*FALLING, None], as_of=JULY, review_by="2026-09-15")
    center, _, _ = _reference(FALLING, steps=3)
    assert finding.evidence["horizon"] == "2026-09"
    assert finding.evidence["projection"] == pytest.approx(math.exp(center) - 0.5)


def test_kpi_on_target_with_ordinary_noise_gives_no_finding() -> None:
    assert _kpi_findings([100.0, 108.0, 94.0, 103.0, 97.0, 101.0, None], as_of=JULY) == []


def test_period_in_progress_is_not_fitted() -> None:
    # as_of July 20 keeps July's row (a partial 5) in the history; it must not drag the trend
    found = _kpi_findings([100.0, 108.0, 94.0, 103.0, 97.0, 101.0, 5.0], as_of=date(2026, 7, 20))
    assert found == []


def test_direction_down_rising_trend_misses() -> None:
    [finding] = _kpi_findings(
        [40.0, 50.0, 60.0, 70.0, 80.0, 90.0, None], as_of=JULY, metric="bounces", target=50, direction="down"
    )
    assert finding.severity is Severity.FAIL


def test_direction_down_falling_trend_is_healthy() -> None:
    found = _kpi_findings(
        [90.0, 80.0, 70.0, 60.0, 50.0, 40.0, None], as_of=JULY, metric="bounces", target=50, direction="down"
    )
    assert found == []


def test_fewer_than_five_complete_periods_is_info_not_alarm() -> None:
    # issue 9: with 3-4 months the range is too wide to judge; a clear fall is still only info
    [finding] = _kpi_findings([100.0, 90.0, 80.0, 70.0, None], target=1000)
    assert finding.severity is Severity.INFO
    assert finding.code == "forecast.too_few_periods"
    assert "too few periods to forecast" in finding.message
    assert finding.evidence == {"periods_available": 4, "periods_needed": 5}


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
