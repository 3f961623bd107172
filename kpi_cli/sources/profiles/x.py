"""X (Twitter): the legacy tweet activity export (English and Japanese) and the newer account
analytics overview (one row per day) and content (one row per post) exports.

`followers` is net: `New follows` minus `Unfollows` where the overview has both. The legacy
by-day export (`daily_tweet_activity_metrics_*`, `Date,Tweets published,impressions,...`) is the
account's day totals; older tweet activity exports call likes `favorites`.
"""

from __future__ import annotations

from kpi_cli.sources.profile import Profile

PROFILE = Profile(
    name="x",
    title="X (Twitter) tweet activity, account overview and content exports",
    date=("time", "date", "時間", "日付", "post time", "created at"),
    metrics={
        "impressions": ("impressions", "インプレッション", "インプレッション数"),
        "engagements": ("engagements", "エンゲージメント", "エンゲージメント数"),
        "likes": ("likes", "favorites", "いいね", "いいね数"),
        "comments": ("replies", "返信", "返信数"),
        "shares": ("reposts", "retweets", "リポスト", "リツイート"),
        "saves": ("bookmarks", "ブックマーク"),
        "link_clicks": ("url clicks", "urlクリック数", "urlのクリック数"),
        "video_views": ("video views", "media views", "メディアの再生数", "動画の再生数"),
        "followers": ("new follows", "follows", "フォローしている", "フォロー", "新しいフォロー"),
    },
    subtract={"followers": ("unfollows", "フォロー解除")},
    detect=(
        ("tweet id", "tweet permalink"),
        ("ツイートid", "ツイートの固定リンク"),
        ("date", "impressions", "new follows", "unfollows"),
        ("post id", "post text", "impressions"),
        ("post link", "impressions", "bookmarks"),
        # The legacy by-day export (`daily_tweet_activity_metrics_*`): one row per day.
        ("date", "tweets published", "impressions"),
        ("日付", "ツイート公開数", "インプレッション"),  # GUESS: Japanese by-day header, no evidence
    ),
    file_names=("daily_tweet_activity_metrics_*", "tweet_activity_metrics_*", "account_overview_analytics*"),
)
