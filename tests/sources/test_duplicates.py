"""One source's files that repeat each other: counted once and reported, or refused on conflict."""

import shutil

import pytest

from kpi_cli.duplicates import deduplicated
from kpi_cli.errors import DataError
from kpi_cli.sources import read_export

EN = "Tweet id,Tweet permalink,Tweet text,time,impressions,engagements,likes\n"
JA = "ツイートID,ツイートの固定リンク,ツイート本文,時間,インプレッション,エンゲージメント,いいね\n"
TWEETS = (
    "1,https://twitter.com/acme/status/1,a,2026-10-01 09:00 +0000,100,10,5\n"
    "2,https://twitter.com/acme/status/2,b,2026-10-01 18:00 +0000,300,30,9\n"
    "3,https://twitter.com/acme/status/3,c,2026-10-02 09:00 +0000,200,20,7\n"
)


def test_the_same_file_twice_is_counted_once(tmp_path, fixtures):
    first = tmp_path / "tweets_a.csv"
    shutil.copy(fixtures / "x/tweet_activity_metrics_acme_20261001_20261007_en.csv", first)
    second = tmp_path / "tweets_b.csv"
    shutil.copy(first, second)
    result = deduplicated("x", [read_export(first), read_export(second)])
    assert [e.path.name for e in result.exports] == ["tweets_a.csv"]
    assert result.notes == ["source 'x': tweets_b.csv has the same content as tweets_a.csv; counted once"]


def test_english_and_japanese_exports_of_the_same_tweets_are_counted_once(tmp_path):
    """Header vocabularies from the English and Japanese tweet-activity fixtures of this suite."""
    (tmp_path / "tweets_en.csv").write_text(EN + TWEETS, encoding="utf-8")
    (tmp_path / "tweets_ja.csv").write_text(JA + TWEETS, encoding="utf-8")
    exports = [read_export(tmp_path / "tweets_en.csv"), read_export(tmp_path / "tweets_ja.csv")]
    result = deduplicated("x", exports)
    total = sum(e.frame["impressions"].sum() for e in result.exports)
    assert total == 600  # 100 + 300 + 200, not twice
    assert result.notes == [
        "source 'x': 3 row(s) of tweets_ja.csv repeat tweets_en.csv (same dates, dimensions and "
        "figures); counted once"
    ]


def test_overlapping_days_with_other_figures_are_refused_naming_both_files(tmp_path):
    (tmp_path / "early.csv").write_text(EN + TWEETS, encoding="utf-8")
    later = "4,https://twitter.com/acme/status/4,d,2026-10-02 09:00 +0000,250,20,7\n"
    (tmp_path / "late.csv").write_text(EN + later, encoding="utf-8")
    exports = [read_export(tmp_path / "early.csv"), read_export(tmp_path / "late.csv")]
    with pytest.raises(DataError) as error:
        deduplicated("x", exports)
    assert str(error.value) == (
        f"source 'x': {tmp_path / 'early.csv'} and {tmp_path / 'late.csv'} both have 2026-10-02 with "
        "different figures (impressions 200 against 250); keep one file, or re-export them without "
        "the overlapping days"
    )


def test_files_of_different_days_are_both_counted(tmp_path):
    (tmp_path / "early.csv").write_text(EN + TWEETS, encoding="utf-8")
    later = "4,https://twitter.com/acme/status/4,d,2026-10-03 09:00 +0000,250,20,7\n"
    (tmp_path / "late.csv").write_text(EN + later, encoding="utf-8")
    result = deduplicated("x", [read_export(tmp_path / "early.csv"), read_export(tmp_path / "late.csv")])
    assert sum(e.frame["impressions"].sum() for e in result.exports) == 850  # 600 + 250
    assert result.notes == []
