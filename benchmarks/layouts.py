"""The benchmark files' layouts, shared by the generator and the reference engines.

Kept free of heavy imports: a reference engine's timed process imports this and its own engine
only, so DuckDB's and polars' times do not carry pandas' import.
"""

from __future__ import annotations

AS_OF = "2026-12-31"  # every row is on or before it: kpi cuts nothing, December is a complete month
REVIEWED_MONTH = "2026-12"
PLAIN_METRICS = (
    "impressions",
    "reach",
    "clicks",
    "cost",
    "leads",
    "inquiries",
    "customers",
    "revenue",
    "conversions",
)
# Copied from benchmarks/read_export.py (the layout that benchmark already measures).
META_HEADER = (
    "Reporting starts,Reporting ends,Campaign name,Ad set name,Reach,Impressions,Frequency,"
    'Link clicks,Clicks (all),CTR (all),Amount spent (JPY),"Cost per 1,000 People Reached (JPY)",Leads,Purchases'
)
# What kpi's meta_ads profile maps from META_HEADER: canonical metric -> header.
META_METRICS = {
    "reach": "Reach",
    "impressions": "Impressions",
    "link_clicks": "Link clicks",
    "clicks": "Clicks (all)",
    "cost": "Amount spent (JPY)",
    "leads": "Leads",
    "conversions": "Purchases",
}
CAMPAIGN_METRICS = ("impressions", "clicks", "cost", "revenue")
EVENT_METRICS = ("revenue", "cost")
EVENTS = ("impression", "click", "lead", "closed")
EVENT_SHARES = (0.80, 0.15, 0.04, 0.01)
# kind -> the canonical metrics its config has one KPI for (so `kpi check --format json` reports them)
KPI_METRICS = {
    "plain": PLAIN_METRICS,
    "meta": tuple(META_METRICS),
    "campaigns": CAMPAIGN_METRICS,
    "events": EVENT_METRICS,
}
