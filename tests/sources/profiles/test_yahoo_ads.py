def test_cp932_report_with_title_period_and_total(inspect):
    report = inspect("yahoo_ads/campaign_report.csv")
    assert (report["platform"], report["encoding"], report["rows"]) == ("yahoo_ads", "cp932", 5)
    assert report["date_range"] == ["2026-10-01", "2026-10-03"]
    assert report["metrics"] == {
        "impressions": 9550,
        "clicks": 876,
        "cost": 84820,
        "conversions": 20,
        "revenue": 158000,
    }
    assert report["skipped"] == [
        {"line": 1, "reason": "preamble before the header"},
        {"line": 2, "reason": "preamble before the header"},
        {"line": 9, "reason": "summary row"},
    ]
