"""Facebook Page posts: the Meta Business Suite post export, and the legacy Page Insights post
export whose second header row holds descriptions and the labels of repeated columns
(`Lifetime Post Stories by action type` over `like`, `comment`, `share`).
"""

from __future__ import annotations

from kpi_cli.sources.profile import Profile

PROFILE = Profile(
    name="facebook_page",
    title="Facebook Page / Meta Business Suite post export",
    date=("publish time", "posted", "公開時間", "投稿日時"),
    metrics={
        "impressions": ("impressions", "lifetime post total impressions", "インプレッション"),
        "reach": ("reach", "lifetime post total reach", "リーチ"),
        "engagements": (
            "reactions, comments and shares",
            "lifetime engaged users",
            "リアクション、コメント、シェア",
        ),
        "likes": ("reactions", "lifetime post stories by action type - like", "リアクション"),
        "comments": ("comments", "lifetime post stories by action type - comment", "コメント"),
        "shares": ("shares", "lifetime post stories by action type - share", "シェア"),
        "clicks": ("total clicks", "クリック数合計"),
        "link_clicks": ("link clicks", "lifetime post consumers by type - link clicks", "リンクのクリック"),
    },
    detect=(
        ("page id", "publish time"),
        ("page name", "publish time"),
        ("post id", "permalink", "posted", "lifetime post total reach"),
    ),
)
