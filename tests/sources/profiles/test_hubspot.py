from kpi_cli.sources import read_export


def test_lifecycle_stage_dates_become_funnel_counts(inspect):
    report = inspect("hubspot/all-contacts.csv")
    # 6 contacts (data rows); 13 stage dates among them (events), counted by hand from the file.
    assert (report["platform"], report["rows"], report["events"]) == ("hubspot", 6, 13)
    assert report["date_range"] == ["2026-09-20", "2026-10-20"]
    assert report["metrics"] == {
        "leads": 5,
        "inquiries": 3,
        "appointments": 2,
        "opportunities": 2,
        "customers": 1,
    }
    assert report["skipped"] == [{"line": 6, "reason": "reached none of the mapped stages"}]


def test_each_stage_is_counted_in_the_month_it_was_reached(fixtures):
    frame = read_export(fixtures / "hubspot/all-contacts.csv").frame
    by_month = frame.groupby(frame["date"].dt.strftime("%Y-%m"))[["leads", "inquiries"]].sum()
    assert by_month.to_dict() == {
        "leads": {"2026-09": 1.0, "2026-10": 4.0},
        "inquiries": {"2026-09": 1.0, "2026-10": 2.0},
    }


def test_current_date_entered_stage_labels(tmp_path):
    """Labels from HubSpot's contact property list (`Date entered "Lead (Lifecycle Stage
    Pipeline)"`, internal name hs_v2_date_entered_lead), as reproduced in a public repository's
    property reference found with the code search (repository name not given). GUESS: that an
    export writes them with the record id first, and the figures."""
    path = tmp_path / "hubspot-crm-exports-all-contacts-2026-11-01.csv"
    path.write_text(
        'Record ID,Email,Date entered "Lead (Lifecycle Stage Pipeline)",'
        'Date entered "Marketing Qualified Lead (Lifecycle Stage Pipeline)",'
        'Date entered "Customer (Lifecycle Stage Pipeline)"\n'
        "1,a@example.jp,2026-10-01 09:00,2026-10-03 10:00,2026-11-02 12:00\n"
        "2,b@example.jp,2026-10-05 09:00,,\n"
        "3,c@example.jp,,,\n",
        encoding="utf-8",
    )
    export = read_export(path)
    assert (export.platform, export.data_rows, export.rows) == ("hubspot", 3, 4)
    frame = export.frame
    by_month = frame.groupby(frame["date"].dt.strftime("%Y-%m"))[["leads", "inquiries", "customers"]].sum()
    # By hand: leads on Oct 1 and Oct 5; the MQL on Oct 3; the customer on Nov 2.
    assert by_month.to_dict() == {
        "leads": {"2026-10": 2.0, "2026-11": 0.0},
        "inquiries": {"2026-10": 1.0, "2026-11": 0.0},
        "customers": {"2026-10": 0.0, "2026-11": 1.0},
    }
    assert [(s.line, s.reason) for s in export.skipped] == [(4, "reached none of the mapped stages")]
