"""Meta Business Suite Insights downloads, one metric per file (sources/titled.py).

Layout, second-hand: public projects that ingest these files describe them the same way (none
checks in a real download): UTF-16 LE with BOM, `sep=,`, the metric's name on line 2
(`"Facebook follows"`, `"Instagram follows"`, `"Content interactions"`, `"Facebook link clicks"`,
`"Views"`, `"Viewers"`, `"Facebook visits"`), `"Date","Primary"` on line 3, then
`"2025-08-01T00:00:00","20"` rows, only on days with activity. GUESS: the figures. The fixtures
are written by make_binary_fixtures.py.
"""

import pytest

from kpi_cli.errors import DataError
from kpi_cli.sources import read_export


def test_the_title_line_names_the_metric_of_the_primary_column(inspect):
    report = inspect("meta_insights/Follows.csv")
    assert (report["platform"], report["encoding"], report["delimiter"], report["rows"]) == (
        "meta_insights",
        "utf-16",
        ",",
        4,
    )
    assert report["columns"] == {"date": "Date", "followers": "Primary"}
    assert report["metrics"] == {"followers": 40}  # 12 + 7 + 21 + 0; 3 October has no row
    assert report["date_range"] == ["2026-10-01", "2026-10-05"]
    assert report["skipped"] == [
        {"line": 1, "reason": "delimiter hint (sep=)"},
        {"line": 2, "reason": "preamble before the header"},
    ]
    assert report["unmapped"] == []


def test_content_interactions_are_engagements(inspect):
    report = inspect("meta_insights/Interactions.csv")
    assert report["metrics"] == {"engagements": 1150}  # 340 + 512 + 298


def test_a_title_with_no_metric_is_refused_with_how_to_map_it(fixtures):
    path = fixtures / "meta_insights/Visits.csv"
    with pytest.raises(DataError) as error:
        read_export(path)
    assert str(error.value) == (
        f"{path}:2: a download of 'Facebook visits', which kpi has no metric for (it reads Facebook "
        "follows (followers), Instagram follows (followers), Content interactions (engagements), Facebook "
        "link clicks (link_clicks), Views (impressions), Viewers (reach)); map its figures yourself with "
        "`columns: {<metric>: Primary}` on the source"
    )


def test_the_sources_columns_map_reads_a_title_kpi_does_not_know(fixtures):
    export = read_export(fixtures / "meta_insights/Visits.csv", columns={"clicks": "Primary"})
    assert export.platform == "meta_insights"
    assert export.frame["clicks"].tolist() == [1200.0]
