def test_dates_export_with_percent_ctr(inspect):
    report = inspect("search_console/Dates.csv")
    assert (report["platform"], report["rows"]) == ("search_console", 7)
    assert report["date_range"] == ["2026-10-01", "2026-10-07"]
    assert report["metrics"] == {"impressions": 1510, "clicks": 170}
