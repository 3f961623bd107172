import pytest

from kpi_cli.errors import DataError
from kpi_cli.sources import read_export


def test_content_export(inspect):
    report = inspect("tiktok/content.csv")
    assert (report["platform"], report["rows"]) == ("tiktok", 4)
    assert report["date_range"] == ["2026-10-01", "2026-10-06"]
    assert report["metrics"] == {"likes": 4642, "comments": 242, "shares": 120, "video_views": 72545}


def test_overview_dates_without_a_year_are_refused(tmp_path):
    path = tmp_path / "Overview.csv"
    path.write_text(
        '"Date","Video Views","Profile Views","Likes","Comments","Shares"\n"October 1","10","2","3","1","1"\n'
    )
    with pytest.raises(
        DataError, match=r"Overview\.csv:2:1: column 'Date': cannot read 'October 1' as a date"
    ):
        read_export(path)
