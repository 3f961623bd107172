"""Facebook Page posts: Business Suite export, and the legacy export with two header rows."""


def test_business_suite_post_export(inspect):
    report = inspect("facebook_page/posts_business_suite.csv")
    assert (report["platform"], report["rows"]) == ("facebook_page", 4)
    assert report["columns"]["engagements"] == "Reactions, comments and shares"
    assert report["date_range"] == ["2026-10-01", "2026-10-06"]
    assert report["metrics"] == {
        "impressions": 17400,
        "reach": 14450,
        "engagements": 802,
        "likes": 605,
        "comments": 127,
        "shares": 70,
        "clicks": 1065,
        "link_clicks": 450,
    }


def test_legacy_insights_export_with_two_header_rows(inspect):
    report = inspect("facebook_page/page_posts_legacy_insights.csv")
    assert (report["platform"], report["rows"]) == ("facebook_page", 3)
    assert report["date_range"] == ["2026-10-03", "2026-10-08"]
    assert report["metrics"] == {
        "impressions": 4440,
        "reach": 3700,
        "engagements": 245,
        "likes": 163,
        "comments": 19,
        "shares": 13,
        "link_clicks": 90,
    }
    assert report["skipped"] == [{"line": 2, "reason": "second header row"}]
