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
