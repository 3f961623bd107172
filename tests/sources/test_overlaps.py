"""Two sources feeding one metric on the same channel, segment and days (data for a lint warning)."""

from kpi_cli.config.models import SourceConfig
from kpi_cli.ingest import SourceSpan
from kpi_cli.overlaps import SharedFeed, shared_feeds
from kpi_cli.sources import read_export


def _span(tmp_path, name, text, **tags):
    path = tmp_path / f"{name}.csv"
    path.write_text(text, encoding="utf-8")
    return SourceSpan(SourceConfig(name=name, path=path.name, **tags), [read_export(path)])


POSTS = "date,impressions,likes\n2026-10-01,100,5\n2026-10-02,200,6\n2026-10-05,50,1\n"
OVERVIEW = "date,impressions\n2026-10-01,120\n2026-10-02,210\n2026-10-03,90\n"


def test_post_export_and_account_overview_of_one_channel_overlap_on_shared_days(tmp_path):
    posts = _span(tmp_path, "posts", POSTS, channel="x")
    overview = _span(tmp_path, "overview", OVERVIEW, channel="x")
    # Both have impressions on 1 and 2 October; only the posts have likes.
    assert shared_feeds([posts, overview]) == [SharedFeed("impressions", ("overview", "posts"), "x", None, 2)]


def test_different_channels_or_segments_do_not_overlap(tmp_path):
    posts = _span(tmp_path, "posts", POSTS, channel="x")
    overview = _span(tmp_path, "overview", OVERVIEW, channel="instagram")
    assert shared_feeds([posts, overview]) == []
