"""X: legacy tweet activity (English, Japanese), account overview and content exports."""

import pytest

from kpi_cli.errors import DataError
from kpi_cli.sources import read_export


def test_tweet_activity_english(inspect):
    report = inspect("x/tweet_activity_metrics_acme_20261001_20261007_en.csv")
    assert (report["platform"], report["encoding"], report["rows"]) == ("x", "utf-8", 5)
    assert report["date_range"] == ["2026-10-01", "2026-10-06"]
    assert report["metrics"] == {
        "impressions": 8400,
        "engagements": 491,
        "likes": 297,
        "comments": 26,
        "shares": 30,
        "link_clicks": 66,
        "video_views": 420,
        "followers": 11,
    }
    assert report["skipped"] == []


def test_tweet_activity_japanese_headers_utf8_bom(inspect):
    report = inspect("x/tweet_activity_metrics_acme_jp.csv")
    assert (report["platform"], report["encoding"], report["rows"]) == ("x", "utf-8-sig", 4)
    assert report["columns"]["impressions"] == "インプレッション"
    assert report["metrics"] == {
        "impressions": 7000,
        "engagements": 340,
        "likes": 210,
        "comments": 18,
        "shares": 26,
        "link_clicks": 46,
        "video_views": 550,
        "followers": 11,
    }
    assert report["date_range"] == ["2026-10-01", "2026-10-07"]


def test_account_overview_followers_are_net_of_unfollows(inspect):
    report = inspect("x/account_overview_analytics.csv")
    assert (report["platform"], report["rows"]) == ("x", 5)
    assert report["date_range"] == ["2026-09-02", "2026-09-06"]
    assert report["metrics"] == {
        "impressions": 6000,
        "engagements": 373,
        "likes": 135,
        "comments": 22,
        "shares": 26,
        "saves": 16,
        "video_views": 185,
        "followers": 32,
    }


def test_content_export_with_abbreviated_counts(inspect):
    report = inspect("x/account_analytics_content.csv")
    assert (report["platform"], report["rows"]) == ("x", 4)
    assert report["date_range"] == ["2026-02-16", "2026-02-20"]
    assert report["metrics"] == {
        "impressions": 4980,
        "engagements": 318,
        "likes": 143,
        "comments": 19,
        "shares": 18,
        "saves": 12,
        "link_clicks": 39,
        "followers": 11,
    }


def test_headers_match_case_insensitively(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(
        "TWEET ID,Tweet Permalink,Time,IMPRESSIONS\n1,https://x.com/a/1,2026-10-01 09:00 +0000,5\n"
    )
    assert read_export(path).platform == "x"


def test_engagement_rate_is_never_mapped(fixtures):
    export = read_export(fixtures / "x/tweet_activity_metrics_acme_20261001_20261007_en.csv")
    assert "engagement rate" in [u.header for u in export.unmapped]
    assert "engagement rate" not in export.columns.values()


def test_missing_date_column_names_it_and_lists_present_columns(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Tweet id,Tweet permalink,impressions\n1,https://x.com/a/1,5\n")
    with pytest.raises(DataError) as error:
        read_export(path)
    message = str(error.value)
    assert "missing date column 'time'" in message
    assert message.endswith("columns present: Tweet id, Tweet permalink, impressions")
