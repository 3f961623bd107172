"""coverage: missing days per daily-series source, prorated estimates, shared feeds; and the
freshness allowance of period-total sources and `max_age: 1m`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from kpi_cli.findings import Finding
from kpi_cli.ingest import SourceSpan, combine
from kpi_cli.metrics.formulas import Catalog
from kpi_cli.review import build_context
from kpi_cli.rules import coverage, freshness
from kpi_cli.sources import Export
from kpi_cli.sources.canonical import DATE_END
from tests.conftest import make_config

AS_OF = date(2026, 11, 20)  # October is the complete month reviewed below


def _export(name: str, days: pd.DatetimeIndex, **columns: Any) -> Export:
    frame = pd.DataFrame({"date": days, "leads": [1.0] * len(days), **columns})
    return Export(path=Path(name), platform="generic", encoding="utf-8", delimiter=",", frame=frame)


def _run(exports: dict[str, list[Export]], rule: Any = coverage, **source: Any) -> list[Finding]:
    config = make_config(sources=[{"name": n, "path": f"{n}.csv", **source} for n in exports])
    spans = [SourceSpan(s, exports[s.name]) for s in config.sources]
    ctx = build_context(config, Catalog({}), combine(spans), AS_OF, pd.Period("2026-10", "M"), spans=spans)
    return list(rule.evaluate(ctx))


def test_a_file_ending_on_the_10th_is_short_by_21_days() -> None:
    [finding] = _run({"crm": [_export("crm.csv", pd.date_range("2026-09-01", "2026-10-10"))]})
    assert finding.code == "coverage.short"
    # 11..31 October: 31 - 11 + 1 = 21 days
    assert finding.evidence["missing"] == [["2026-10-11", "2026-10-31"]]
    assert finding.evidence["missing_days"] == 21
    assert finding.message == (
        "source 'crm' stops on 10 Oct 2026: 11 Oct 2026..31 Oct 2026 are not covered (21 days), "
        "so the period's numbers from it are short"
    )


def test_a_hole_inside_the_month_is_a_gap_naming_the_days() -> None:
    days = pd.date_range("2026-08-01", "2026-10-31").difference(pd.date_range("2026-10-14", "2026-10-16"))
    [finding] = _run({"crm": [_export("crm.csv", days)]})
    assert finding.code == "coverage.gap"
    assert finding.evidence["missing"] == [["2026-10-14", "2026-10-16"]]
    assert finding.evidence["missing_days"] == 3
    assert "2026-10-14..2026-10-16" in finding.message


def test_a_per_post_export_with_rows_on_active_days_only_is_not_judged_day_by_day() -> None:
    # a post every third day: a third of the days have rows, far below the 95 % of a daily series
    assert _run({"posts": [_export("posts.csv", pd.date_range("2026-08-01", "2026-10-31", freq="3D"))]}) == []


def test_prorated_days_are_an_info_finding_marked_estimated() -> None:
    days = pd.date_range("2026-09-01", "2026-10-31")
    estimated = [d >= pd.Timestamp("2026-10-01") for d in days]
    [finding] = _run({"meta": [_export("meta.csv", days, estimated=estimated)]})
    assert finding.code == "coverage.estimated"
    assert finding.evidence == {
        "source": "meta",
        "estimated": True,
        "estimated_days": 31,
        "first": "2026-10-01",
        "last": "2026-10-31",
    }


def test_two_sources_feeding_leads_on_the_same_days_are_named_together() -> None:
    days = pd.date_range("2026-10-01", "2026-10-31")
    findings = _run({"ads": [_export("a.csv", days)], "crm": [_export("c.csv", days)]})
    [shared] = [f for f in findings if f.code == "coverage.shared_feed"]
    assert shared.evidence["sources"] == ["ads", "crm"]
    assert shared.evidence["metric"] == "leads"
    assert shared.evidence["days"] == 31
    assert "pick one of 'ads' and 'crm' for leads" in (shared.action or "")


def test_a_monthly_download_is_not_stale_within_the_next_month() -> None:
    # One row totalling October (31 days); on 20 November it is 20 days old: within 31, fresh.
    monthly = _export("m.csv", pd.DatetimeIndex(["2026-10-01"]), **{DATE_END: pd.to_datetime(["2026-10-31"])})
    assert _run({"meta": [monthly]}, rule=freshness) == []


def test_max_age_in_months_is_31_days_each() -> None:
    # Newest row 18 October: 33 days before 20 November; 1m = 31 days allows it no longer.
    old = _export("x.csv", pd.date_range("2026-10-01", "2026-10-18"))
    [finding] = _run({"x": [old]}, rule=freshness, max_age="1m")
    assert finding.evidence["max_age"] == 31 and finding.evidence["age_days"] == 33
    assert _run({"x": [old]}, rule=freshness, max_age="2m") == []
