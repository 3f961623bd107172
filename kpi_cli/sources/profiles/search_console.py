"""Google Search Console performance export (`Dates.csv`): CTR is a percent string, position an
average; both are rates and stay unmapped.
"""

from __future__ import annotations

from kpi_cli.sources.profile import Profile

PROFILE = Profile(
    name="search_console",
    title="Google Search Console performance export (Dates.csv)",
    date=("date", "日付"),
    metrics={
        "clicks": ("clicks", "クリック数"),
        "impressions": ("impressions", "表示回数"),
    },
    detect=(
        ("clicks", "impressions", "ctr", "position"),
        ("クリック数", "表示回数", "ctr", "掲載順位"),
    ),
)
