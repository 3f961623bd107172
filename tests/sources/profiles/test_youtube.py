from kpi_cli.sources import read_export


def test_table_data_with_total_row_first(inspect):
    report = inspect("youtube/Table data.csv")
    assert (report["platform"], report["rows"]) == ("youtube", 5)
    assert report["date_range"] == ["2026-10-01", "2026-10-05"]
    assert report["metrics"] == {"impressions": 61204, "video_views": 5321, "followers": 37}
    assert report["skipped"] == [{"line": 2, "reason": "summary row"}]


def test_rates_and_durations_stay_unmapped(fixtures):
    export = read_export(fixtures / "youtube/Table data.csv")
    assert export.unmapped == [
        "Watch time (hours)",
        "Impressions click-through rate (%)",
        "Average view duration",
    ]
