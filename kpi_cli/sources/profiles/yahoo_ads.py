"""Yahoo! JAPAN Ads (Yahoo!広告) performance reports: CP932 CSV, a report title and period above the
header, and a `合計` row at the bottom.
"""

from __future__ import annotations

from kpi_cli.sources.profile import Profile

PROFILE = Profile(
    name="yahoo_ads",
    title="Yahoo!広告 (Yahoo! JAPAN Ads) report",
    date=("日", "日付", "日別", "day"),
    dimensions={"campaign": ("キャンペーン名", "campaign name")},
    metrics={
        "impressions": ("インプレッション数", "impressions"),
        "clicks": ("クリック数", "clicks"),
        "cost": ("コスト", "cost"),
        "conversions": ("コンバージョン数", "conversions"),
        "revenue": ("コンバージョンの価値", "コンバージョン値", "conversion value"),
    },
    detect=(("インプレッション数", "コスト"), ("キャンペーン名", "インプレッション数", "クリック率")),
)
