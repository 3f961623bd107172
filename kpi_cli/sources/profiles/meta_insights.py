"""Meta Business Suite Insights downloads, one metric per file (Facebook Page and Instagram).

Layout (second-hand: described the same way by several public projects that ingest them, none
checked in a real file): UTF-16 LE with BOM, `sep=,`, the metric's name as a title line, then
`"Date","Primary"` and one row per day (`"2025-08-01T00:00:00","20"`; days without activity may
be missing). The title picks the metric (titled.py). Titles quoted by those projects: `Facebook
follows`, `Instagram follows`, `Content interactions`, `Facebook link clicks`, `Views`, `Viewers`
and `Facebook visits` (page visits: no canonical metric, so refused with how to map it).
"""

from __future__ import annotations

from kpi_cli.sources.profile import Profile
from kpi_cli.sources.titled import TitledValues

PROFILE = Profile(
    name="meta_insights",
    title="Meta Business Suite Insights download, one metric per file (Facebook, Instagram)",
    date=("date",),
    titled=TitledValues(
        value=("primary",),
        titles={
            "Facebook follows": "followers",
            "Instagram follows": "followers",
            "Content interactions": "engagements",
            "Facebook link clicks": "link_clicks",
            "Views": "impressions",  # Meta's `Views` replaced impressions (as in the post exports)
            "Viewers": "reach",  # accounts that viewed: Meta's replacement for reach
        },
    ),
    detect=(("date", "primary"),),
)
