from __future__ import annotations

from datetime import date
from typing import Any

from kpi_cli.findings import Severity
from kpi_cli.rules import pivot_deadline
from tests.conftest import context, make_config, monthly_frame

# Leads per month Jan..Oct: 50 a month, 60 in October, against a target of 100.
FRAME = monthly_frame({"leads": [50] * 9 + [60], "revenue": [0] * 10})


def _findings(as_of: date, frame: Any = FRAME, **kpi: Any) -> list[pivot_deadline.Finding]:
    base = {"id": "leads", "metric": "leads", "target": 100, "owner": "Tanaka", "review_by": "2026-09-30"}
    config = make_config(kpis=[{**base, **kpi}])
    return pivot_deadline.evaluate(context(config, frame, as_of))


def test_within_warn_days_warns_naming_owner() -> None:
    [finding] = _findings(date(2026, 9, 20))  # 10 days before, warn_days 14
    assert finding.severity is Severity.WARN
    assert finding.evidence["days_left"] == 10
    assert "Tanaka decides whether to pivot" in finding.message


def test_before_warn_window_no_finding() -> None:
    assert _findings(date(2026, 9, 15)) == []  # 15 days before, warn_days 14
    assert len(_findings(date(2026, 9, 16))) == 1  # 14 days before


def test_passed_and_not_met_requires_pivot() -> None:
    [finding] = _findings(date(2026, 10, 5))
    assert finding.severity is Severity.FAIL
    assert finding.code == "pivot_deadline.overdue"
    assert finding.evidence["days_overdue"] == 5
    assert "pivot required" in finding.message and "Tanaka" in finding.message


def test_passed_and_met_at_the_review_date_is_silent() -> None:
    # September (the review month) reached 150 >= 100; a weak October does not reopen the pivot
    frame = monthly_frame({"leads": [50] * 8 + [150, 40], "revenue": [0] * 10})
    assert _findings(date(2026, 10, 31), frame) == []


def test_missed_at_the_review_date_stays_due_until_decided() -> None:
    # September missed (50 < 100): a recovery in October does not replace the decision that was due
    frame = monthly_frame({"leads": [50] * 9 + [150], "revenue": [0] * 10})
    [finding] = _findings(date(2026, 10, 31), frame)
    assert finding.code == "pivot_deadline.overdue"  # no escalate_to set: it stays with the owner
    assert (finding.evidence["actual"], finding.evidence["period"]) == (50, "2026-09")


def test_review_long_past_with_no_recent_data_reads_the_review_period() -> None:
    # As of January nothing was exported since October; the verdict comes from September's 50
    [finding] = _findings(date(2027, 1, 15))
    assert "with the KPI at 50 (2026-09) against target 100" in finding.message


def test_escalates_after_grace_days() -> None:
    [early] = _findings(date(2026, 10, 7), escalate_to="Sato", grace_days=7)
    assert early.code == "pivot_deadline.overdue" and early.evidence["escalate_to"] is None
    [late] = _findings(date(2026, 10, 8), escalate_to="Sato", grace_days=7)
    assert late.code == "pivot_deadline.escalated" and "escalate to Sato" in late.message


def _with_decision(decision: dict[str, Any], as_of: date) -> list[pivot_deadline.Finding]:
    config = make_config(
        kpis=[
            {"id": "leads", "metric": "leads", "target": 100, "owner": "Tanaka", "review_by": "2026-09-30"}
        ],
        decisions=[{"kpi": "leads", **decision}],
    )
    return pivot_deadline.evaluate(context(config, FRAME, as_of))


def test_recorded_pivot_ends_the_alarm() -> None:
    [finding] = _with_decision(
        {"date": "2026-10-02", "decision": "move budget to webinars"}, date(2026, 10, 5)
    )
    assert finding.severity is Severity.INFO and finding.code == "pivot_deadline.decided"


def test_recorded_pivot_with_new_review_date_starts_next_cycle() -> None:
    decision = {
        "date": "2026-10-02",
        "decision": "new target",
        "new_target": 55,
        "new_review_by": "2026-12-31",
    }
    assert _with_decision(decision, date(2026, 10, 31)) == []  # 60 >= 55 and the next review is far off
    [due] = _with_decision(decision, date(2026, 12, 20))
    assert due.code == "pivot_deadline.due" and due.evidence["review_by"] == "2026-12-31"
