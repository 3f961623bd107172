"""Mailchimp: the campaign report export (one row per campaign, dated by its send date) and the
audience export (one row per subscriber: one lead on the day the subscription was confirmed).
"""

from __future__ import annotations

from kpi_cli.sources.profile import Profile

CAMPAIGNS = Profile(
    name="mailchimp",
    title="Mailchimp campaign report export",
    date=("send date",),
    dimensions={"campaign": ("title", "campaign title")},
    metrics={
        "recipients": ("total recipients",),
        "delivered": ("successful deliveries",),
        "bounces": ("total bounces",),
        "opens": ("unique opens",),
        "email_clicks": ("unique clicks",),
        "unsubscribes": ("unsubscribes",),
        # With a connected store the export carries `Total Orders`, `Total Gross Sales` and `Total
        # Revenue` (0 without one). Orders are conversions, as Klaviyo's `Unique Placed Order`.
        "conversions": ("total orders",),
        "revenue": ("total revenue",),
    },
    detect=(("send date", "total recipients", "successful deliveries"), ("times forwarded",)),
)

AUDIENCE = Profile(
    name="mailchimp_audience",
    title="Mailchimp audience export (one lead per subscriber, by confirm date)",
    date=("confirm_time", "optin_time"),
    count_rows_as="leads",
    detect=(("email address", "member_rating", "optin_time"),),
)
