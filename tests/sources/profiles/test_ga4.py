def test_report_with_comment_block_and_grand_total(inspect):
    report = inspect("ga4/traffic_acquisition_session_primary_channel_group.csv")
    assert (report["platform"], report["rows"]) == ("ga4", 6)
    assert report["columns"]["channel"] == "Session primary channel group (Default channel group)"
    assert report["date_range"] == ["2026-10-01", "2026-10-03"]
    assert report["metrics"] == {"conversions": 57, "revenue": 412000}
    comments = [{"line": n, "reason": "comment before the header"} for n in range(1, 9)]
    assert report["skipped"] == [
        *comments,
        {"line": 9, "reason": "blank line before the header"},
        {"line": 11, "reason": "summary row"},
    ]


def test_channels_are_kept_per_row(fixtures):
    from kpi_cli.sources import read_export

    frame = read_export(fixtures / "ga4/traffic_acquisition_session_primary_channel_group.csv").frame
    by_channel = frame.groupby("channel")["conversions"].sum().to_dict()
    assert by_channel == {"Direct": 5.0, "Email": 7.0, "Organic Search": 33.0, "Paid Search": 12.0}
