from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from kpi_cli.config.models import Config
from kpi_cli.findings import Finding, Severity
from kpi_cli.ingest import SourceSpan, combine
from kpi_cli.metrics.formulas import Catalog
from kpi_cli.review import build_context
from kpi_cli.rules import freshness, stalled
from kpi_cli.sources import Export
from tests.conftest import context, make_config, monthly_frame

AS_OF = date(2026, 11, 20)


def _export(name: str, last: str | None, first: str = "2026-11-01") -> Export:
    days = pd.date_range(first, last, freq="D") if last else pd.DatetimeIndex([])
    frame = pd.DataFrame({"date": days, "leads": [1.0] * len(days), "revenue": [1.0] * len(days)})
    return Export(
        path=Path(f"exports/{name}"), platform="generic", encoding="utf-8", delimiter=",", frame=frame
    )


def _run(sources: list[dict[str, Any]], exports: dict[str, list[Export]], **config: Any) -> list[Finding]:
    built = make_config(sources=sources, **config)
    spans = [SourceSpan(s, exports[s.name]) for s in built.sources]
    return _evaluate(built, spans)


def _evaluate(config: Config, spans: list[SourceSpan]) -> list[Finding]:
    ctx = build_context(config, Catalog(config.metrics), combine(spans), AS_OF, spans=spans)
    return freshness.evaluate(ctx)


def _source(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "path": f"{name}/*.csv", "platform": "generic", **extra}


def test_source_older_than_max_age_is_warned_with_its_files_and_newest_date() -> None:
    # newest row Nov 15: 5 days before Nov 20 > 3 (the default)
    [finding] = _run(
        [_source("crm")], {"crm": [_export("crm_a.csv", "2026-11-10"), _export("crm_b.csv", "2026-11-15")]}
    )
    assert finding.severity is Severity.WARN
    assert finding.code == "freshness.source"
    assert finding.evidence["source"] == "crm"
    assert finding.evidence["files"] == ["crm_a.csv", "crm_b.csv"]
    assert finding.evidence["newest"] == "2026-11-15"
    assert finding.evidence["age_days"] == 5
    assert finding.evidence["max_age"] == 3
    assert (
        "crm" in finding.message
        and "crm_a.csv, crm_b.csv" in finding.message
        and "15 Nov 2026" in finding.message
    )


def test_fresh_source_gives_no_finding() -> None:
    assert _run([_source("crm")], {"crm": [_export("crm.csv", "2026-11-17")]}) == []  # 3 days: allowed


def test_source_max_age_wins_over_defaults() -> None:
    sources = [_source("weekly", max_age="1w"), _source("daily")]
    exports = {"weekly": [_export("w.csv", "2026-11-15")], "daily": [_export("d.csv", "2026-11-15")]}
    found = _run(sources, exports, defaults={"freshness": {"max_age": 2}})
    assert [f.evidence["source"] for f in found] == ["daily"]  # 5 days: past 2 for daily, within 7 for weekly
    assert found[0].evidence["max_age"] == 2


def test_source_without_rows_is_warned() -> None:
    exports = {"crm": [_export("crm.csv", "2026-11-19")], "ads": [_export("ads.csv", None)]}
    [finding] = _run([_source("crm"), _source("ads")], exports)
    assert finding.severity is Severity.WARN
    assert finding.code == "freshness.no_rows"
    assert finding.evidence["files"] == ["ads.csv"]


def test_rows_after_as_of_do_not_count_as_fresh() -> None:
    # the export runs to Nov 30 but the review is as of Nov 20: rows Nov 1..12 and 25..30 only
    export = _export("crm.csv", "2026-11-30")
    frame = export.frame[(export.frame["date"] <= "2026-11-12") | (export.frame["date"] >= "2026-11-25")]
    [finding] = _run(
        [_source("crm")],
        {"crm": [Export(path=export.path, platform="generic", encoding="utf-8", delimiter=",", frame=frame)]},
    )
    assert finding.evidence["newest"] == "2026-11-12"


def test_disabled_in_defaults_gives_nothing_for_sources() -> None:
    found = _run(
        [_source("crm")],
        {"crm": [_export("crm.csv", "2026-11-01")]},
        defaults={"freshness": {"enabled": False}},
    )
    assert found == []


def _kpi_stale(leads: list[float | None]) -> tuple[list[Finding], list[Finding]]:
    config = make_config(kpis=[{"id": "leads", "metric": "leads", "target": 100}])
    frame = monthly_frame({"leads": leads, "revenue": [1.0] * len(leads)})
    ctx = context(config, frame, date(2026, 6, 10))  # June running; Jan..May complete
    return [f for f in freshness.evaluate(ctx) if f.kpi], stalled.evaluate(ctx)


def test_kpi_without_data_for_n_periods_is_stale_data_not_a_stall() -> None:
    # Jan..Feb measured, Mar..May (the last 3 complete periods) not
    found, stalls = _kpi_stale([50, 50, None, None, None, None])
    [finding] = found
    assert finding.severity is Severity.WARN
    assert finding.code == "freshness.kpi_stale"
    assert "stale data" in finding.message
    assert finding.evidence["periods_without_data"] == ["2026-03", "2026-04", "2026-05"]
    assert finding.evidence["last_with_data"] == "2026-02"
    assert stalls == []


def test_kpi_with_recent_data_is_not_stale() -> None:
    found, _ = _kpi_stale([50, 50, None, None, 60, None])
    assert found == []


def test_kpi_never_measured_is_not_stale() -> None:
    found, _ = _kpi_stale([None, None, None, None, None, 5])
    assert found == []
