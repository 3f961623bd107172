"""HubSpot contacts export: one row per contact, one date column per lifecycle stage reached.

Each stage date becomes one event row dated that day, so `leads` in October counts the contacts
that became leads in October. Marketing-qualified leads count as `inquiries` and sales-qualified
leads as `appointments` (the stage where sales takes the contact on). The record id is kept as
`contact`, so the funnel can also be read as cohorts (who of October's leads became a deal, when).
"""

from __future__ import annotations

from kpi_cli.sources.profile import Profile

PROFILE = Profile(
    name="hubspot",
    title="HubSpot contacts export (lifecycle stage dates become funnel counts)",
    events={
        "leads": ("became a lead date", "リードになった日"),
        "inquiries": (
            "became a marketing qualified lead date",
            "マーケティングクオリファイドリードになった日",
        ),
        "appointments": ("became a sales qualified lead date", "セールスクオリファイドリードになった日"),
        "opportunities": ("became an opportunity date", "商談になった日"),
        "customers": ("became a customer date", "顧客になった日"),
    },
    dimensions={
        "channel": ("original source", "original traffic source", "オリジナルソース"),
        "contact": ("record id", "contact id", "レコードid"),
    },
    detect=(("record id", "became a lead date"), ("became a lead date", "lifecycle stage")),
)
