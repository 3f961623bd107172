def test_table_data_with_total_row_first(inspect):
    report = inspect("youtube/Table data.csv")
    assert (report["platform"], report["rows"]) == ("youtube", 5)
    assert report["date_range"] == ["2026-10-01", "2026-10-05"]
    assert report["metrics"] == {"impressions": 61204, "video_views": 5321, "followers": 37}
    assert report["skipped"] == [{"line": 2, "reason": "summary row"}]


def test_rates_and_durations_stay_unmapped_with_their_sums(inspect):
    report = inspect("youtube/Table data.csv")
    # By hand: watch time 60.1 + 80.2 + 75.4 + 99.3 + 97.8 = 412.8 (the Total row's figure); the
    # CTR percentages summed 4.8 + 5.1 + 5.0 + 5.3 + 4.6 = 24.8 (a sum of rates: shown, not used);
    # `0:04:26` durations are not numbers, so no sum.
    assert report["unmapped"] == [
        {"header": "Watch time (hours)", "sum": 412.8},
        {"header": "Impressions click-through rate (%)", "sum": 24.8},
        {"header": "Average view duration", "sum": None},
    ]


def test_content_export_video_without_publish_time_is_reported_not_taken_for_a_summary(inspect):
    """Advanced mode, Content tab: one row per video, `Total` row first.

    Layout: `Content,Video title,Video publish time,Duration,Views,Watch time (hours),Subscribers,
    Impressions,Impressions click-through rate (%)` with `Total,,,,...` on line 2, as quoted in
    several public projects' YouTube Studio import tests (code search, repository names not given).
    GUESS: an unlisted/never-published video has an empty publish time; the figures.
    """
    report = inspect("youtube/Content 2026-10-01_2026-10-31.csv")
    # 3 videos in the file; 2 dated rows counted.
    assert (report["platform"], report["rows"], report["events"]) == ("youtube", 3, 2)
    assert report["date_range"] == ["2026-10-02", "2026-10-05"]
    # By hand: views 1,200 + 600 dated; the undated 120 makes up the Total's 1,920.
    assert report["metrics"] == {"impressions": 24000, "video_views": 1800, "followers": 17}
    assert report["skipped"] == [
        {"line": 2, "reason": "summary row"},
        {
            "line": 5,
            "reason": "no date in 'Video publish time': not counted (a data row, not a summary; "
            "impressions 1400, video_views 120, followers 2)",
        },
    ]
