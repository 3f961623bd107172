"""TikTok Studio analytics: the content export (one row per video) and the overview and
follower-history exports. The overview writes dates without a year (`October 1`): the year is
taken from the source's `year:` or from a year in the file name, and is never guessed.
"""

from __future__ import annotations

from kpi_cli.sources.profile import Profile

PROFILE = Profile(
    name="tiktok",
    title="TikTok Studio content, overview and follower exports",
    date=("post time", "date", "投稿日時", "日付"),
    metrics={
        "video_views": ("total views", "video views", "視聴数", "動画視聴数"),
        "likes": ("total likes", "likes", "いいね数"),
        "comments": ("total comments", "comments", "コメント数"),
        "shares": ("total shares", "shares", "シェア数"),
        "followers": ("difference in followers from previous day", "net followers"),
    },
    yearless_dates=True,
    detect=(
        ("video link", "post time"),
        ("video views", "profile views"),
        ("difference in followers from previous day",),
    ),
)
