"""Klaviyo campaign export: one row per campaign send; the channel is Email or SMS."""

from __future__ import annotations

from kpi_cli.sources.profile import Profile

PROFILE = Profile(
    name="klaviyo",
    title="Klaviyo campaign export",
    date=("send time", "send date"),
    dimensions={"campaign": ("campaign name",), "channel": ("campaign channel",)},
    metrics={
        "recipients": ("total recipients",),
        "delivered": ("successful deliveries",),
        "opens": ("unique opens",),
        "email_clicks": ("unique clicks",),
        "unsubscribes": ("unsubscribes",),
        "bounces": ("bounces",),
        "conversions": ("unique placed order",),
        "revenue": ("revenue",),
    },
    detect=(("campaign name", "send time", "total recipients"), ("spam complaints", "unique placed order")),
)
