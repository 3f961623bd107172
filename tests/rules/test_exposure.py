"""Which sources' newest dates bound a running period's exposure."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from kpi_cli.config.models import SourceConfig
from kpi_cli.ingest import SourceSpan
from kpi_cli.rules.exposure import newest_dates
from kpi_cli.sources.export import Export


def _span(name: str, last: str, metric: str) -> SourceSpan:
    frame = pd.DataFrame({"date": pd.to_datetime(["2026-11-01", last]), metric: [1.0, 2.0]})
    export = Export(Path(f"{name}.csv"), "generic", "utf-8", ",", frame)
    return SourceSpan(SourceConfig(name=name, path=f"{name}.csv"), [export])


def test_only_the_sources_a_kpi_reads_bound_its_days() -> None:
    spans = [
        _span("instagram", "2026-11-20", "followers"),
        _span("instagram_family", "2026-11-19", "followers"),  # a second account, a day behind
        _span("line", "2026-11-02", "recipients"),  # stale, and no followers in it
    ]
    as_of, frame = date(2026, 11, 21), pd.DataFrame()
    assert newest_dates(spans, frame, as_of, ["followers"]) == [date(2026, 11, 20), date(2026, 11, 19)]
    # `where: {source: instagram}`: the family account's lag is not this KPI's
    assert newest_dates(spans, frame, as_of, ["followers"], {"source": "instagram"}) == [date(2026, 11, 20)]
    assert newest_dates(spans, frame, as_of, ["followers"], {"source": ["instagram_family"]}) == [
        date(2026, 11, 19)
    ]
