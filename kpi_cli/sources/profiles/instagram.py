"""Instagram posts as exported from Meta Business Suite (one row per post, lifetime metrics)."""

from __future__ import annotations

from kpi_cli.sources.profile import Profile

PROFILE = Profile(
    name="instagram",
    title="Instagram post export (Meta Business Suite)",
    date=("publish time", "公開時間"),
    metrics={
        "impressions": ("impressions", "views", "インプレッション", "閲覧数"),
        "reach": ("reach", "リーチ"),
        "likes": ("likes", "いいね！", "いいね"),
        "comments": ("comments", "コメント"),
        "shares": ("shares", "シェア"),
        "saves": ("saves", "保存"),
        "followers": ("follows", "フォロー"),
        "video_views": ("plays", "再生"),
    },
    detect=(("account username", "publish time"), ("instagram account id", "publish time")),
)
