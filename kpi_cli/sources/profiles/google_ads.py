"""Google Ads reports: `CSV (Excel)` downloads are UTF-16LE, tab separated, with the report name
and date range above the header and `Total: ...` rows at the bottom; nulls are written ` --`.
"""

from __future__ import annotations

from kpi_cli.sources.profile import Profile

PROFILE = Profile(
    name="google_ads",
    title="Google Ads report",
    date=("day", "date", "日", "日付"),
    dimensions={"campaign": ("campaign", "キャンペーン")},
    metrics={
        "impressions": ("impr.", "impressions", "表示回数"),
        "clicks": ("clicks", "クリック数"),
        "cost": ("cost", "費用"),
        "conversions": ("conversions", "コンバージョン"),
        "revenue": ("conv. value", "conversion value", "コンバージョン値"),
        "video_views": ("views", "視聴回数"),
    },
    detect=(
        ("impr.", "cost"),
        ("campaign", "conv. value"),
        ("表示回数", "費用", "コンバージョン"),
    ),
)
