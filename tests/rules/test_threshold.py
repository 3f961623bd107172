from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest

from kpi_cli.findings import Finding, Severity
from kpi_cli.rules import threshold
from tests.conftest import context, make_config, monthly_frame

AS_OF = date(2026, 4, 30)  # April complete and reviewed
METRICS = {"cpa": "cost / customers"}
CPA_BOUNDS = {"warn": {"max": 120}, "fail": {"max": 150}}


def _cpa(cost: float, customers: float, **config: Any) -> list[Finding]:
    kpi = {
        "id": "cpa",
        "metric": "cpa",
        "target": 100,
        "direction": "down",
        "rules": {"threshold": CPA_BOUNDS},
    }
    built = make_config(kpis=[kpi], metrics=METRICS, **config)
    frame = monthly_frame({"cost": [cost], "customers": [customers], "revenue": [1.0]}, first="2026-04")
    return threshold.evaluate(context(built, frame, AS_OF))


def test_ratio_between_warn_and_fail_is_warn() -> None:
    [finding] = _cpa(1300, 10)  # 130 > warn max 120, <= fail max 150
    assert finding.severity is Severity.WARN
    assert finding.code == "threshold.max"
    assert finding.evidence["value"] == pytest.approx(130)
    assert finding.evidence["limit"] == 120
    assert finding.evidence["projected"] is False
    assert finding.message == "cpa (2026-04): 130 is above the warn maximum 120"


def test_fail_wins_over_warn() -> None:
    [finding] = _cpa(1600, 10)  # 160 breaks both; the fail bound is reported
    assert finding.severity is Severity.FAIL
    assert finding.evidence["limit"] == 150


def test_within_bounds_gives_no_finding() -> None:
    assert _cpa(1000, 10) == []


def test_zero_denominator_gives_no_finding() -> None:
    assert _cpa(1000, 0) == []  # CPA with no customers is undefined, not infinite


def test_no_bounds_configured_gives_nothing() -> None:
    built = make_config(kpis=[{"id": "leads", "metric": "leads", "target": 100}])
    frame = monthly_frame({"leads": [1.0], "revenue": [1.0]}, first="2026-04")
    assert threshold.evaluate(context(built, frame, AS_OF)) == []


def _daily(start: str, end: str, **per_day: float) -> pd.DataFrame:
    days = pd.date_range(start, end, freq="D")
    return pd.DataFrame({"date": days, **{k: [v] * len(days) for k, v in per_day.items()}})


def _leads_running(per_day: float, bounds: dict[str, Any]) -> list[Finding]:
    built = make_config(
        kpis=[{"id": "leads", "metric": "leads", "target": 100}], defaults={"threshold": bounds}
    )
    frame = _daily("2026-11-01", "2026-11-10", leads=per_day, revenue=1.0)
    return threshold.evaluate(context(built, frame, date(2026, 11, 10)))


def test_running_period_flow_is_compared_pro_rata() -> None:
    # 2 a day for Nov 1..10 = 20 in 10/30 of November: on pace for 20 / (1/3) = 60 < warn min 90
    [finding] = _leads_running(2, {"warn": {"min": 90}})
    assert finding.severity is Severity.WARN
    assert finding.code == "threshold.min"
    ev = finding.evidence
    assert ev["actual"] == 20
    assert ev["value"] == pytest.approx(60)
    assert ev["projected"] is True and ev["in_progress"] is True
    assert "on pace for 60 (20 in 33% of the period), below the warn minimum 90" in finding.message
    assert finding.action == "needs 70 more leads by 30 Nov 2026 to reach 90"


def test_running_period_on_pace_is_not_flagged_though_partial_is_below() -> None:
    # 4 a day: 40 so far is below 90, but on pace for 120
    assert _leads_running(4, {"warn": {"min": 90}}) == []


def test_complete_period_flow_is_compared_as_is() -> None:
    built = make_config(
        kpis=[
            {"id": "leads", "metric": "leads", "target": 100, "rules": {"threshold": {"fail": {"min": 50}}}}
        ]
    )
    frame = monthly_frame({"leads": [40.0], "revenue": [1.0]}, first="2026-04")
    [finding] = threshold.evaluate(context(built, frame, AS_OF))
    assert finding.severity is Severity.FAIL
    assert finding.evidence["value"] == 40 and finding.evidence["projected"] is False


def test_direction_down_flow_ceiling_in_running_period() -> None:
    # unsubscribes 3 a day for 10 days = 30: on pace for 90 > fail max 60
    built = make_config(
        kpis=[{"id": "u", "metric": "unsubscribes", "target": 10, "direction": "down"}],
        defaults={"threshold": {"fail": {"max": 60}}},
    )
    frame = _daily("2026-11-01", "2026-11-10", unsubscribes=3, revenue=1.0)
    [finding] = threshold.evaluate(context(built, frame, date(2026, 11, 10)))
    assert finding.severity is Severity.FAIL
    assert finding.evidence["value"] == pytest.approx(90)
    assert finding.action == "at most 30 more unsubscribes by 30 Nov 2026 keeps it under 60"
