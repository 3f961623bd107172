def test_campaign_report(inspect):
    report = inspect("mailchimp/campaigns.csv")
    assert (report["platform"], report["rows"]) == ("mailchimp", 4)
    assert report["date_range"] == ["2026-10-06", "2026-10-29"]
    assert report["metrics"] == {
        "recipients": 6310,
        "delivered": 6233,
        "opens": 2800,
        "email_clicks": 517,
        "unsubscribes": 19,
        "bounces": 77,
    }


def test_audience_export_counts_one_lead_per_subscriber(inspect):
    report = inspect("mailchimp/subscribed_members_export.csv")
    assert (report["platform"], report["rows"]) == ("mailchimp_audience", 5)
    assert report["date_range"] == ["2026-10-01", "2026-10-07"]
    assert report["metrics"] == {"leads": 5}


def test_campaign_report_with_ecommerce_reads_orders_and_revenue(inspect):
    """Layout, second-hand: the full campaign report header with the e-commerce columns (`Total
    Orders`, `Total Gross Sales`, `Total Revenue`, then `Analytics ROI` ... `Average Value`,
    written `n/a` without analytics) as quoted in public Mailchimp import tests. GUESS: figures."""
    report = inspect("mailchimp/campaigns_ecommerce.csv")
    assert (report["platform"], report["rows"]) == ("mailchimp", 3)
    assert report["columns"]["conversions"] == "Total Orders"
    assert report["columns"]["revenue"] == "Total Revenue"
    # 14 + 31 + 0 orders; 121,800 + 279,500 + 0 revenue (not the gross sales, left unread).
    assert report["metrics"]["conversions"] == 45
    assert report["metrics"]["revenue"] == 401300
    unread = {u["header"]: u["sum"] for u in report["unmapped"]}
    assert unread["Total Gross Sales"] == 424400  # 128,400 + 296,000
    assert unread["Analytics ROI"] is None  # all `n/a`
