import math

from kpi_cli.sources import read_export


def test_campaign_export(inspect):
    report = inspect("klaviyo/campaigns.csv")
    assert (report["platform"], report["rows"]) == ("klaviyo", 5)
    assert report["date_range"] == ["2026-10-02", "2026-10-16"]
    assert report["metrics"] == {
        "conversions": 112,
        "revenue": 13041.5,
        "recipients": 12920,
        "delivered": 12810,
        "opens": 5010,
        "email_clicks": 963,
        "unsubscribes": 43,
        "bounces": 110,
    }


def test_sms_opens_are_not_measured_rather_than_zero(fixtures):
    frame = read_export(fixtures / "klaviyo/campaigns.csv").frame
    sms = frame[frame["channel"] == "SMS"]
    assert len(sms) == 2
    assert all(math.isnan(v) for v in sms["opens"])
