from kpi_cli.sources import read_export


def test_lifecycle_stage_dates_become_funnel_counts(inspect):
    report = inspect("hubspot/all-contacts.csv")
    assert (report["platform"], report["rows"]) == ("hubspot", 13)
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
