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


def test_japanese_report_total_rows_are_summaries_not_dates(inspect):
    """Japanese UI: `合計: アカウント` / `合計: 検索` rows at the bottom, in the `日` column.

    Layout: the `合計: アカウント` footer and Japanese headers (`表示回数`, `クリック数`, `費用`,
    `コンバージョン`) as quoted in public projects' Google Ads CSV import tests (found through the
    code search, repository names not given); the title and date-range preamble as in the English
    fixture. GUESS: the `コンバージョン値` header and the figures.
    """
    report = inspect("google_ads/campaign_report_ja.csv")
    assert (report["platform"], report["rows"]) == ("google_ads", 4)
    assert report["date_range"] == ["2026-10-01", "2026-10-02"]
    # By hand: impressions 1,200 + 3,000 + 1,100 + 2,900; cost 9,000 + 12,500 + 8,800 + 11,700.
    assert report["metrics"] == {
        "impressions": 8200,
        "clicks": 465,
        "cost": 42000,
        "conversions": 10,
        "revenue": 97000,
    }
    assert report["skipped"] == [
        {"line": 1, "reason": "preamble before the header"},
        {"line": 2, "reason": "preamble before the header"},
        {"line": 8, "reason": "summary row"},
        {"line": 9, "reason": "summary row"},
    ]
