from __future__ import annotations

import pandas as pd
import pytest

from kpi_cli.config.models import FunnelConfig
from kpi_cli.metrics.cohort import assess_cohort

FUNNEL = FunnelConfig.model_validate(
    {
        "stages": [
            {"name": "Clicks", "metric": "clicks"},
            {"name": "Leads", "metric": "leads"},
            {"name": "Deals", "metric": "opportunities"},
            {"name": "Won", "metric": "customers"},
        ]
    }
)


def _events(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """(contact, stage metric, date) -> canonical rows with a 1 in that stage's column."""
    frame = pd.DataFrame(rows, columns=["contact", "metric", "date"])
    frame["date"] = pd.to_datetime(frame["date"])
    for metric in ("leads", "opportunities", "customers"):
        frame[metric] = (frame["metric"] == metric).astype(float).where(frame["metric"] == metric)
    return frame.drop(columns="metric")


def test_cohort_follows_contacts_into_later_months() -> None:
    # October leads: a, b, c, d. a and b became deals in November, a won in December.
    # e became a lead in September and a deal in October: not in October's cohort.
    frame = _events(
        [
            ("a", "leads", "2026-10-03"),
            ("b", "leads", "2026-10-10"),
            ("c", "leads", "2026-10-20"),
            ("d", "leads", "2026-10-31"),
            ("e", "leads", "2026-09-28"),
            ("e", "opportunities", "2026-10-05"),
            ("a", "opportunities", "2026-11-02"),
            ("b", "opportunities", "2026-11-15"),
            ("a", "customers", "2026-12-01"),
        ]
    )
    view = assess_cohort(FUNNEL, frame, pd.Period("2026-10", "M"))
    assert view is not None
    assert (
        view.entry_stage == "Leads"
    )  # clicks carry no contact: the cohort starts at the first stage that does
    assert [(s.name, s.reached) for s in view.stages] == [("Leads", 4), ("Deals", 2), ("Won", 1)]
    assert [s.conversion for s in view.stages] == [None, pytest.approx(0.5), pytest.approx(0.5)]


def test_no_contact_column_means_no_cohort_view() -> None:
    frame = pd.DataFrame({"date": pd.to_datetime(["2026-10-01"]), "leads": [3.0], "opportunities": [1.0]})
    assert assess_cohort(FUNNEL, frame, pd.Period("2026-10", "M")) is None


def test_empty_cohort_has_no_conversions() -> None:
    frame = _events([("a", "leads", "2026-09-03"), ("a", "opportunities", "2026-10-03")])
    view = assess_cohort(FUNNEL, frame, pd.Period("2026-10", "M"))
    assert view is not None and view.size == 0
    assert [s.conversion for s in view.stages] == [None, None]
