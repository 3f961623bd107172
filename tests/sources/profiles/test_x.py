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


def test_by_day_export_is_x_not_generic(inspect):
    """A real by-day export: the first 5 days of debruine/30DCC-2022
    `data/tweets/daily_tweet_activity_metrics_LisaDeBruine_20210801_20210901_en.csv`
    (commit fc5a73f), copied unchanged otherwise.

    `generic` used to claim it (it has a `Date` column) and read only impressions, engagements
    and likes.
    """
    report = inspect("x/daily_tweet_activity_metrics_LisaDeBruine_20210801_20210901_en.csv")
    assert (report["platform"], report["rows"]) == ("x", 5)
    assert report["date_range"] == ["2021-08-01", "2021-08-05"]
    # By hand from the file: impressions 1088 + 1244 + 3974 + 22394 + 23340; replies
    # 0 + 2 + 5 + 15 + 16; retweets 5 + 15; url clicks 2 + 45 + 97; media views 2 + 2 + 25 + 710 + 1187.
    assert report["metrics"] == {
        "impressions": 52040,
        "engagements": 3449,
        "likes": 234,
        "comments": 38,
        "shares": 20,
        "link_clicks": 144,
        "video_views": 1926,
        "followers": 0,
    }
    assert report["warnings"] == []


def test_older_tweet_activity_favorites_column_is_likes(tmp_path):
    """Header as quoted in a public Rails project's spec of its tweet-activity parser (code
    search; repository name not given): `..."retweets","replies","favorites","user profile
    clicks",...`. GUESS: the figures."""
    path = tmp_path / "tweet_activity_metrics_acme_20150101_20150201_en.csv"
    path.write_text(
        '"Tweet id","Tweet permalink","Tweet text","time","impressions","engagements",'
        '"engagement rate","retweets","replies","favorites","url clicks"\n'
        '"1","https://twitter.com/acme/status/1","a","2015-01-05 10:00 +0000","100.0","9.0","0.09","1.0","2.0","3.0","1.0"\n'
        '"2","https://twitter.com/acme/status/2","b","2015-01-06 10:00 +0000","200.0","8.0","0.04","0.0","1.0","4.0","0.0"\n',
        encoding="utf-8",
    )
    export = read_export(path)
    assert (export.platform, export.columns["likes"]) == ("x", "favorites")
    assert export.frame["likes"].sum() == 7  # 3 + 4


def test_file_named_like_an_x_export_with_unknown_headers_warns(tmp_path):
    path = tmp_path / "daily_tweet_activity_metrics_acme_20261001_20261101_en.csv"
    path.write_text("date,impressions\n2026-10-01,100\n", encoding="utf-8")
    export = read_export(path)
    assert export.platform == "generic"
    assert export.warnings == [
        "daily_tweet_activity_metrics_acme_20261001_20261101_en.csv is named like a x export but its "
        "headers are not a x layout kpi knows; read as generic"
    ]


def test_japanese_by_day_export_is_x_guess(tmp_path):
    """GUESS: no Japanese `daily_tweet_activity_metrics_*_ja.csv` was found anywhere. `日付` and
    `ツイート公開数` are guessed; the other headers are those of the Japanese tweet activity
    export (tweet_activity_metrics_acme_jp.csv). The figures are made up."""
    path = tmp_path / "daily_tweet_activity_metrics_acme_20261001_20261101_ja.csv"
    path.write_text(
        '"日付","ツイート公開数","インプレッション","エンゲージメント","エンゲージメント率","リツイート","返信",'
        '"いいね","URLクリック数","フォローしている","メディアの再生数"\n'
        '"2026-10-01","2","1500","60","0.04","3","2","40","5","1","120"\n'
        '"2026-10-02","0","900","20","0.022","1","0","12","2","0","30"\n',
        encoding="utf-8",
    )
    export = read_export(path)
    assert export.platform == "x"
    sums = export.frame.drop(columns="date").sum().to_dict()
    assert sums == {
        "impressions": 2400.0,
        "engagements": 80.0,
        "likes": 52.0,
        "comments": 2.0,
        "shares": 4.0,
        "link_clicks": 7.0,
        "video_views": 150.0,
        "followers": 1.0,
    }
