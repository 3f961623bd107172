def test_instagram_post_export(inspect):
    report = inspect("instagram/instagram_posts.csv")
    assert (report["platform"], report["rows"]) == ("instagram", 4)
    assert report["date_range"] == ["2026-10-01", "2026-10-07"]
    assert report["metrics"] == {
        "impressions": 25300,
        "reach": 19850,
        "likes": 1730,
        "comments": 116,
        "shares": 106,
        "saves": 317,
        "video_views": 22500,
        "followers": 41,
    }
