"""`--by campaign` judges each campaign exactly as a review of that campaign's rows alone would.

The grouped path (one split, monthly sums from one grouped pass, each part's rows taken only when
read, each source's newest date remembered across views) must not change a single figure. The
reference is the plain review run once per campaign on a frame holding only its rows, with the
campaign's target equal to the KPI's, so every view and every per-KPI finding must agree.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest

from kpi_cli.config.models import Config
from kpi_cli.findings import Finding
from kpi_cli.metrics.dataset import Dataset
from kpi_cli.metrics.formulas import Catalog
from kpi_cli.review import build_context, evaluate_rules
from kpi_cli.rules.exposure import newest_dates
from tests.config_with import config_with

AS_OF = date(2026, 11, 20)
CAMPAIGNS = ("alpha", "beta", "gamma", "delta")
OVERALL_ONLY = ("lint", "pivot_deadline")  # rules about the config's KPIs, never per value


def rows() -> pd.DataFrame:
    """Every campaign has a row every day (so the newest data date is the same for each); beta's
    leads fall to a third in November and gamma stops reporting clicks after July."""
    rng = np.random.default_rng(12)
    days = pd.date_range("2026-01-01", AS_OF.isoformat(), freq="D")
    parts = []
    for i, name in enumerate(CAMPAIGNS):
        leads = rng.poisson(20 + 5 * i, len(days)).astype(float)
        if name == "beta":
            leads[days >= "2026-11-01"] = rng.poisson(7, int((days >= "2026-11-01").sum()))
        clicks = rng.poisson(300, len(days)).astype(float)
        if name == "gamma":
            clicks[days >= "2026-08-01"] = np.nan
        cost = rng.integers(1_000, 5_000, len(days)).astype(float)
        parts.append(
            pd.DataFrame(
                {
                    "date": days,
                    "campaign": pd.array([name] * len(days), dtype="string"),
                    "leads": leads,
                    "clicks": clicks,
                    "cost": cost,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def config(targets: dict[str, float]) -> Config:
    kpis = [
        {"id": "leads", "metric": "leads", "target": 800, "primary": True},
        {"id": "clicks", "metric": "clicks", "target": 9_000},
        {"id": "cpl", "metric": "cpl", "target": 200, "direction": "down"},
    ]
    for kpi in kpis:
        kpi["segment_targets"] = dict.fromkeys(targets, kpi["target"])
    return config_with("by", kpis, metrics={"cpl": "cost / leads"})


def _key(finding: Finding) -> tuple[Any, ...]:
    return (
        finding.rule,
        finding.code,
        finding.severity,
        finding.kpi,
        repr(finding.says),
        repr(finding.evidence),
    )


def test_every_campaign_view_and_finding_equals_the_review_of_its_rows_alone() -> None:
    frame, catalog = rows(), Catalog({"cpl": "cost / leads"})
    grouped = build_context(config(dict.fromkeys(CAMPAIGNS, 0)), catalog, frame, AS_OF, by="campaign")
    grouped_findings = evaluate_rules(grouped)
    found_somewhere = 0
    for name in CAMPAIGNS:
        alone = build_context(config({}), catalog, frame[frame["campaign"] == name], AS_OF)
        for view in alone.kpis:
            by_view = next(v for v in grouped.kpis if v.kpi.id == view.kpi.id and v.segment == name)
            assert by_view.progress == view.progress, (name, view.kpi.id)
            pd.testing.assert_series_equal(by_view.history, view.history, check_names=False)
        per_view = [f for f in evaluate_rules(alone) if f.kpi is not None and f.rule not in OVERALL_ONLY]
        expected = sorted(_key(f) for f in per_view)
        actual = sorted(_key(f) for f in grouped_findings if f.segment == name)
        assert actual == expected, name
        found_somewhere += len(expected)
    # The comparison is not vacuous: beta's November fall and gamma's missing clicks are found.
    codes = {(f.segment, f.rule) for f in grouped_findings}
    assert ("beta", "drop") in codes and ("gamma", "freshness") in codes
    assert found_somewhere >= 2


def test_a_sources_newest_date_is_remembered_per_object_not_per_value() -> None:
    """Two frames with the same shape but different dates: each keeps its own answer."""
    early = rows()
    late = early.assign(date=early["date"] + pd.Timedelta(days=3))
    assert newest_dates([], early, AS_OF) == [AS_OF]
    assert newest_dates([], early[early["date"] < "2026-11-10"], AS_OF) == [date(2026, 11, 9)]
    assert newest_dates([], late, date(2026, 11, 5)) == [date(2026, 11, 5)]
    assert newest_dates([], late, date(2026, 1, 2)) == []  # late's first row is 4 January


@pytest.mark.parametrize("dtype", ["float64", "int64"])
def test_each_parts_monthly_sums_equal_its_own_groupby(dtype: str) -> None:
    """Built from arrays (floats) or by pandas per part (any other dtype): the same frames as
    summing each campaign's rows alone, gaps (gamma's missing clicks, months without rows) included."""
    frame = rows()
    frame = frame[~((frame["campaign"] == "delta") & (frame["date"].dt.month.isin([3, 4])))]
    if dtype == "int64":
        frame = frame.assign(leads=frame["leads"].astype("int64"))
    data = Dataset.build(frame, Catalog({}), AS_OF)
    for name, part in data.split("campaign").items():
        alone = Dataset.build(frame[frame["campaign"] == name], Catalog({}), AS_OF)
        pd.testing.assert_frame_equal(part.sums("month"), alone.sums("month"))
    assert data.split("campaign")["delta"].sums("month").loc["2026-03"].isna().all()
