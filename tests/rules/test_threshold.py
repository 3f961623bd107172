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
    # the projection's basis in the action too: (90 - 20) / the 20 days left, against 20 / 10 so far
    assert (
        finding.action
        == "needs 3.5 leads a day for the 20 days left to reach 90 by 30 Nov 2026 (so far 2 a day)"
    )
    assert ev["basis"] == "projected"


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
    # not "at most 30 more keeps it under 60" beside "on pace for 90": (60 - 30) / 20 days left
    assert finding.action == (
        "at most 1.5 unsubscribes a day for the 20 days left keeps it under 60 by 30 Nov 2026 (so far 3 a day)"
    )
    assert finding.evidence["basis"] == "projected"


def test_a_running_flow_already_past_its_ceiling_is_judged_as_it_stands() -> None:
    # 7 a day for 10 days = 70, already past the fail max 60 (on pace for 210): one finding on
    # the actual number, with no projection in its message and a stop-or-cap action
    built = make_config(
        kpis=[{"id": "u", "metric": "unsubscribes", "target": 10, "direction": "down"}],
        defaults={"threshold": {"warn": {"max": 40}, "fail": {"max": 60}}},
    )
    frame = _daily("2026-11-01", "2026-11-10", unsubscribes=7, revenue=1.0)
    [finding] = threshold.evaluate(context(built, frame, date(2026, 11, 10)))
    assert finding.severity is Severity.FAIL
    assert finding.evidence["basis"] == "actual" and finding.evidence["projected"] is False
    assert finding.evidence["value"] == 70
    assert "on pace" not in finding.message and "70 is above the fail maximum 60" in finding.message
    assert finding.action == "unsubscribes is already past 60 for the period: stop or cap it"


def test_a_running_flow_past_only_its_warn_ceiling_projects_to_a_fail() -> None:
    # 5 a day for 10 days = 50: past the warn max 40 as it stands, and on pace for 150 > fail 60.
    # The worse is the projected fail: one finding on that basis, its action a pace:
    # (60 - 50) / 20 days left = 0.5 a day
    built = make_config(
        kpis=[{"id": "u", "metric": "unsubscribes", "target": 10, "direction": "down"}],
        defaults={"threshold": {"warn": {"max": 40}, "fail": {"max": 60}}},
    )
    frame = _daily("2026-11-01", "2026-11-10", unsubscribes=5, revenue=1.0)
    [finding] = threshold.evaluate(context(built, frame, date(2026, 11, 10)))
    assert (finding.severity, finding.evidence["basis"]) == (Severity.FAIL, "projected")
    assert "on pace for 150" in finding.message
    assert finding.action == (
        "at most 0.5 unsubscribes a day for the 20 days left keeps it under 60 by 30 Nov 2026 (so far 5 a day)"
    )
