"""Which `--by` reviews may read the dimension by month only (review.months_suffice).

Each case changes one thing of a config whose views read only monthly sums; every change that
makes a view of a value read its days (a weekly or cumulative KPI, a `where:`), or makes a sum by
month differ from the day rows' (two sources, a source tagged with the value) must say no.
"""

from __future__ import annotations

from typing import Any

import pytest

from kpi_cli.config.models import Config
from kpi_cli.review import months_suffice


def config(**changes: Any) -> Config:
    kpi = {"id": "leads", "metric": "leads", "target": 10, "primary": True, **changes.pop("kpi", {})}
    document: dict[str, Any] = {
        "version": 1,
        "name": "m",
        "sources": [{"name": "s", "path": "x.csv"}],
        "kgi": {"name": "k", "metric": "leads", "target": 1, "start": "2026-01-01", "deadline": "2026-12-31"},
        "kpis": [kpi],
    }
    document.update(changes)
    return Config.model_validate(document)


def test_monthly_kpis_of_one_untagged_source_suffice() -> None:
    assert months_suffice(config(), "campaign")
    assert months_suffice(config(), "channel")


@pytest.mark.parametrize(
    ("by", "changes"),
    [
        ("campaign", {"kpi": {"period": "week"}}),
        ("campaign", {"kpi": {"cumulative": True}}),
        ("campaign", {"kpi": {"where": {"channel": "x"}}}),
        ("campaign", {"sources": [{"name": "s", "path": "x.csv"}, {"name": "t", "path": "y.csv"}]}),
        ("campaign", {"sources": [{"name": "s", "path": "x.csv", "campaign": "spring"}]}),
        ("influencer", {}),  # compare_flags reads influencers from the day rows
        ("segment", {"kpi": {"segments": ["a", "b"]}}),  # the segments' views are split by day
    ],
)
def test_a_view_that_reads_days_or_rows_summed_otherwise_does_not(by: str, changes: dict[str, Any]) -> None:
    assert not months_suffice(config(**changes), by)
