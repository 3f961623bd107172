import pytest

from kpi_cli.errors import DataError
from kpi_cli.sources import read_export


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


def test_events_report_through_the_sources_events_map(fixtures):
    """GUESS: the events report layout (`Event name,Date,Event count,...` under GA4's `#`
    preamble with `# Start date:`/`# End date:`), written from memory of the GA4 UI; the `#`
    preamble matches this suite's traffic-acquisition fixture."""
    path = fixtures / "ga4/events_by_date.csv"
    export = read_export(path, events={"generate_lead": "leads", "purchase": "customers"})
    frame = export.frame
    by_day = frame.groupby(frame["date"].dt.strftime("%Y-%m-%d"))[["leads", "customers"]].sum()
    # By hand: generate_lead 14 and 9, purchase 3 and 2; page_view is not mapped.
    assert by_day.to_dict() == {
        "leads": {"2026-10-01": 14.0, "2026-10-02": 9.0},
        "customers": {"2026-10-01": 3.0, "2026-10-02": 2.0},
    }
    assert [(u.line, u.reason) for u in export.unread] == [
        (10, "'Event count' 1200 with indicator 'page_view' not read: not in the source's `events:` map"),
        (13, "'Event count' 1100 with indicator 'page_view' not read: not in the source's `events:` map"),
    ]


def test_events_report_without_an_events_map_reads_no_event_counts(fixtures):
    export = read_export(fixtures / "ga4/events_by_date.csv")
    assert "leads" not in export.frame.columns
    assert "Event count" in [u.header for u in export.unmapped]


def test_events_map_to_a_non_canonical_metric_is_refused(fixtures):
    path = fixtures / "ga4/events_by_date.csv"
    with pytest.raises(
        DataError, match=r"`events:` maps 'generate_lead' to 'leeds', which is not a canonical metric"
    ):
        read_export(path, events={"generate_lead": "leeds"})
