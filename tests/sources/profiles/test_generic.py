import pytest

from kpi_cli.errors import DataError
from kpi_cli.sources import read_export


def test_columns_map_renames_any_layout(inspect):
    report = inspect("generic/renamed.csv", columns={"date": "Day", "leads": "Form fills", "cost": "Spend"})
    assert (report["platform"], report["rows"]) == ("generic", 3)
    assert report["columns"] == {"date": "Day", "leads": "Form fills", "cost": "Spend"}
    assert report["metrics"] == {"cost": 3300, "leads": 8}


def test_columns_map_overrides_a_platform_profile(inspect):
    report = inspect("search_console/Dates.csv", columns={"link_clicks": "Clicks"})
    assert report["platform"] == "search_console"
    assert report["metrics"] == {"impressions": 1510, "clicks": 170, "link_clicks": 170}


def test_columns_map_naming_an_absent_header(fixtures):
    with pytest.raises(
        DataError, match=r"missing column 'Signups' \(for leads\); columns present: Day, Form fills"
    ):
        read_export(fixtures / "generic/renamed.csv", columns={"date": "Day", "leads": "Signups"})


def test_columns_map_naming_an_unknown_canonical_name(fixtures):
    with pytest.raises(DataError, match="'signups', which is not a canonical name"):
        read_export(fixtures / "generic/renamed.csv", columns={"date": "Day", "signups": "Form fills"})
