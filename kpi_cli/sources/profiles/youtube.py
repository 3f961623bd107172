"""YouTube Studio advanced-mode export (`Table data.csv`): a `Total` row comes first.

`Subscribers` there is already net (gained minus lost). Watch time and durations are not
canonical metrics and stay unmapped.
"""

from __future__ import annotations

from kpi_cli.sources.profile import Profile

PROFILE = Profile(
    name="youtube",
    title="YouTube Studio analytics table data",
    date=("date", "video publish time", "日付", "動画公開時刻"),
    metrics={
        "video_views": ("views", "視聴回数"),
        "impressions": ("impressions", "インプレッション数"),
        "followers": ("subscribers", "チャンネル登録者"),
        "likes": ("likes", "高評価数"),
        "comments": ("comments added", "追加したコメント"),
        "shares": ("shares", "共有"),
    },
    detect=(
        ("watch time (hours)",),
        ("impressions click-through rate (%)",),
        ("総再生時間(単位: 時間)",),
    ),
)
