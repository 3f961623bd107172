"""Choosing the profile: `platform: auto` from the header, or by name."""

import pytest

from kpi_cli.errors import DataError
from kpi_cli.sources import read_export

DETECTED = {
    "x/tweet_activity_metrics_acme_20261001_20261007_en.csv": "x",
    "x/tweet_activity_metrics_acme_jp.csv": "x",
    "x/account_overview_analytics.csv": "x",
    "x/account_analytics_content.csv": "x",
    "meta_ads/acme-campaigns-Oct-1-2026-Oct-3-2026.csv": "meta_ads",
    "facebook_page/posts_business_suite.csv": "facebook_page",
    "facebook_page/page_posts_legacy_insights.csv": "facebook_page",
    "instagram/instagram_posts.csv": "instagram",
    "youtube/Table data.csv": "youtube",
    "tiktok/content.csv": "tiktok",
    "linkedin/acme_content_1759276800000.xlsx": "linkedin",
    "google_ads/campaign_report.csv": "google_ads",
    "ga4/traffic_acquisition_session_primary_channel_group.csv": "ga4",
    "search_console/Dates.csv": "search_console",
    "mailchimp/campaigns.csv": "mailchimp",
    "mailchimp/subscribed_members_export.csv": "mailchimp_audience",
    "klaviyo/campaigns.csv": "klaviyo",
    "hubspot/all-contacts.csv": "hubspot",
    "line/message_report.csv": "line",
    "yahoo_ads/campaign_report.csv": "yahoo_ads",
    "generic/semicolon.csv": "generic",
}


@pytest.mark.parametrize(("relative", "platform"), DETECTED.items())
def test_every_fixture_is_detected_as_its_platform(fixtures, relative, platform):
    assert read_export(fixtures / relative).platform == platform


@pytest.mark.parametrize(("relative", "platform"), DETECTED.items())
def test_naming_the_platform_reads_the_same_rows(fixtures, relative, platform):
    named = read_export(fixtures / relative, platform=platform)
    detected = read_export(fixtures / relative)
    assert named.rows == detected.rows
    assert named.columns == detected.columns


def test_unknown_layout_names_the_closest_profiles_and_the_headers(tmp_path):
    path = tmp_path / "mystery.csv"
    path.write_text("Campaign,Impr.,Spend today\nA,10,5\n")
    with pytest.raises(DataError) as error:
        read_export(path)
    assert str(error.value) == (
        f"{path}: unknown export layout; closest profiles: google_ads, generic; "
        "headers seen: Campaign, Impr., Spend today"
    )


def test_unknown_layout_without_any_known_header(tmp_path):
    path = tmp_path / "mystery.csv"
    path.write_text("foo,bar\n1,2\n")
    with pytest.raises(DataError, match=r"no profile knows these headers .*; headers seen: foo, bar"):
        read_export(path)


def test_unknown_platform_name_suggests_the_closest(fixtures):
    with pytest.raises(DataError, match="unknown platform 'googel_ads'; did you mean 'google_ads'"):
        read_export(fixtures / "search_console/Dates.csv", platform="googel_ads")


def test_named_platform_missing_its_date_column(fixtures):
    with pytest.raises(DataError) as error:
        read_export(fixtures / "hubspot/all-contacts.csv", platform="meta_ads")
    assert "missing date column 'day' or 'date' or 'reporting starts'" in str(error.value)
    assert "columns present: Record ID, First Name" in str(error.value)
