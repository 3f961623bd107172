import pytest

from kpi_cli.errors import DataError
from kpi_cli.sources import read_export


def test_content_export(inspect):
    report = inspect("tiktok/content.csv")
    assert (report["platform"], report["rows"]) == ("tiktok", 4)
    assert report["date_range"] == ["2026-10-01", "2026-10-06"]
    assert report["metrics"] == {"likes": 4642, "comments": 242, "shares": 120, "video_views": 72545}


def _overview(directory, name):
    """GUESS: the overview layout (quoted headers, `October 1` dates) as in this suite's earlier
    test, itself from memory of TikTok Studio's download."""
    path = directory / name
    path.write_text(
        '"Date","Video Views","Profile Views","Likes","Comments","Shares"\n'
        '"October 1","10","2","3","1","1"\n"October 2","20","4","5","0","2"\n'
    )
    return path


def test_overview_dates_without_a_year_are_refused_saying_the_year_is_missing(tmp_path):
    path = _overview(tmp_path, "Overview.csv")
    with pytest.raises(DataError) as error:
        read_export(path)
    assert str(error.value) == (
        f"{path}: column 'Date' has dates without a year ('October 1') and the year is missing: put it "
        "in the file name (e.g. Overview_2026.csv) or set `year:` on the source"
    )


def test_overview_year_from_the_file_name(tmp_path):
    export = read_export(_overview(tmp_path, "Overview_2026-10-01_2026-10-28.csv"))
    assert export.frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-10-01", "2026-10-02"]
    assert export.frame["video_views"].sum() == 30  # 10 + 20


def test_overview_year_from_the_source(tmp_path):
    export = read_export(_overview(tmp_path, "Overview.csv"), year=2025)
    assert export.frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-10-01", "2025-10-02"]
