"""The canonical vocabulary every source maps into, and the shape of the canonical frame.

A canonical frame has one row per export row: `date` (datetime64, midnight), the optional
dimensions `campaign`, `channel`, `segment`, `contact` (strings, NA where unknown) and one float column per
canonical metric the export carries. NaN means "not measured", never zero. Every metric is a flow
that can be summed over rows (`followers` is net new followers in the row); rates are never stored:
they are derived from their numerator and denominator.
"""

from __future__ import annotations

METRICS = (
    "impressions",
    "reach",
    "engagements",
    "likes",
    "comments",
    "shares",
    "saves",
    "clicks",
    "link_clicks",
    "video_views",
    "followers",
    "cost",
    "conversions",
    "leads",
    "inquiries",
    "appointments",
    "opportunities",
    "customers",
    "revenue",
    "recipients",
    "delivered",
    "opens",
    "email_clicks",
    "unsubscribes",
    "bounces",
)
# `contact` (a CRM record id) is only set by per-contact exports; it enables the cohort funnel view.
# `account` (the SNS account that posted) and `influencer` (whose audience a row reached) feed `kpi compare`.
DIMENSIONS = ("date", "campaign", "channel", "segment", "contact", "account", "influencer")
# A row that totals a date range (Meta's `Reporting starts`/`Reporting ends` without a daily
# breakdown) has `date` = the range's first day and `date_end` = its last (both inclusive).
DATE_END = "date_end"
MONEY = frozenset({"cost", "revenue"})
# Reach is de-duplicated per post or per day; summing it over rows overstates it, but it is the
# only aggregate exports allow, so it is summed and the caveat documented.
VANITY = frozenset({"followers", "likes"})
