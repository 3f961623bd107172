def test_utf16_tab_separated_report_with_totals_at_the_bottom(inspect):
    report = inspect("google_ads/campaign_report.csv")
    assert (report["platform"], report["encoding"], report["delimiter"], report["rows"]) == (
        "google_ads",
        "utf-16",
        "\t",
        6,
    )
    assert report["date_range"] == ["2026-10-01", "2026-10-03"]
    assert report["metrics"] == {
        "impressions": 10750,
        "clicks": 935,
        "cost": 64980,
        "conversions": 33,
        "revenue": 324500,
    }
    assert report["skipped"] == [
        {"line": 1, "reason": "preamble before the header"},
        {"line": 2, "reason": "preamble before the header"},
        {"line": 10, "reason": "summary row"},
        {"line": 11, "reason": "summary row"},
        {"line": 12, "reason": "summary row"},
    ]
