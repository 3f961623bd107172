"""LinkedIn Page analytics: an .xlsx workbook (content `Metrics` sheet, `New followers` sheet).

Totals (organic + sponsored) are preferred over the organic-only columns when both exist.
"""

from __future__ import annotations

from kpi_cli.sources.profile import Profile

PROFILE = Profile(
    name="linkedin",
    title="LinkedIn Page analytics workbook (content metrics, new followers)",
    date=("date",),
    metrics={
        "impressions": ("impressions (total)", "impressions (organic)"),
        "reach": ("unique impressions (organic)",),
        "clicks": ("clicks (total)", "clicks (organic)"),
        "likes": ("reactions (total)", "reactions (organic)"),
        "comments": ("comments (total)", "comments (organic)"),
        "shares": ("reposts (total)", "reposts (organic)", "shares (total)"),
        "followers": ("total followers",),
    },
    detect=(
        ("impressions (organic)", "impressions (sponsored)"),
        ("sponsored followers", "organic followers"),
    ),
)
