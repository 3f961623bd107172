"""Google Analytics 4 report downloads: a `#` comment block (property, date range) above the
table, dates as `20261003`, and a `Grand total` row. Sessions and users have no canonical
column; key events and revenue do.
"""

from __future__ import annotations

from kpi_cli.sources.profile import Profile, ResultColumns

PROFILE = Profile(
    name="ga4",
    title="Google Analytics 4 report export",
    date=("date", "日付"),
    dimensions={
        "channel": (
            "session primary channel group (default channel group)",
            "session default channel group",
            "first user primary channel group (default channel group)",
            "セッションのメインのチャネル グループ(デフォルト チャネル グループ)",
        ),
        "campaign": ("session campaign", "session manual campaign name", "セッションのキャンペーン"),
    },
    metrics={
        "conversions": ("key events", "conversions", "キーイベント", "コンバージョン"),
        "revenue": ("total revenue", "purchase revenue", "合計収益", "購入による収益"),
    },
    # Events report: one row per event name (per day with the Date dimension); with the source's
    # `events: {generate_lead: leads}` the named events' counts fill those metrics.
    results=ResultColumns(
        value=("event count", "イベント数"), indicator=("event name", "イベント名"), needs_map=True
    ),
    detect=(
        ("event name", "event count"),
        ("イベント名", "イベント数"),
        ("sessions", "engaged sessions"),
        ("sessions", "key events"),
        ("セッション", "エンゲージのあったセッション数"),
    ),
)
