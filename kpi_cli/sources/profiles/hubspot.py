"""HubSpot contacts export: one row per contact, one date column per lifecycle stage reached.

Each stage date becomes one event row dated that day, so `leads` in October counts the contacts
that became leads in October. Marketing-qualified leads count as `inquiries` and sales-qualified
leads as `appointments` (the stage where sales takes the contact on). The record id is kept as
`contact`, so the funnel can also be read as cohorts (who of October's leads became a deal, when).
"""

from __future__ import annotations

from kpi_cli.sources.profile import Profile

# HubSpot's current labels are `Date entered "Lead (Lifecycle Stage Pipeline)"` (property
# hs_v2_date_entered_lead), beside the older `Became a Lead Date`: both are read; when a file has
# both for one stage, the older label wins and the other is listed as unmapped.

PROFILE = Profile(
    name="hubspot",
    title="HubSpot contacts export (lifecycle stage dates become funnel counts)",
    events={
        "leads": ("became a lead date", 'date entered "lead (lifecycle stage pipeline)"', "リードになった日"),
        "inquiries": (
            "became a marketing qualified lead date",
            'date entered "marketing qualified lead (lifecycle stage pipeline)"',
            "マーケティングクオリファイドリードになった日",
        ),
        "appointments": (
            "became a sales qualified lead date",
            'date entered "sales qualified lead (lifecycle stage pipeline)"',
            "セールスクオリファイドリードになった日",
        ),
        "opportunities": (
            "became an opportunity date",
            'date entered "opportunity (lifecycle stage pipeline)"',
            "商談になった日",
        ),
        "customers": (
            "became a customer date",
            'date entered "customer (lifecycle stage pipeline)"',
            "顧客になった日",
        ),
    },
    dimensions={
        "channel": ("original source", "original traffic source", "オリジナルソース"),
        "contact": ("record id", "contact id", "レコードid"),
    },
    detect=(
        ("record id", "became a lead date"),
        ("became a lead date", "lifecycle stage"),
        ("record id", 'date entered "lead (lifecycle stage pipeline)"'),
    ),
)
