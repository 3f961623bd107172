"""A Meta Ads Manager download's date range read from its file name (issue 10).

Evidence for the naming convention: names of real "Export table data" downloads quoted in public
repositories, found in the public code index (`find_string "Campaigns-Jan-1-"`):
- `HP-Cookers-ADs-Campaigns-Jan-1-2026-Jul-11-2026.csv` and `...-Jul-12-2026-Aug-28-2026.csv`,
  listed in a report table as Meta campaign-level files with the date ranges 2026-01-01 - 2026-07-11
  and 2026-07-12 - 2026-08-28 (the name's range is the data's);
- `Tallow-ourn-Ad-Account-Campaigns-Jan-1-2026-Aug-24-2026_8d75.csv` (an upload's suffix after it);
- `Naked-Tech-Ads-Campaigns-28-Jun-2026-27-Jul-2026.csv` (day first, a non-US locale).
The file contents below use the header of tests/sources/test_period_totals.py; GUESS: the figures.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kpi_cli.errors import DataError
from kpi_cli.sources import read_export
from kpi_cli.sources.period import Span
from kpi_cli.sources.period_name import SAID_BY, in_name
from kpi_cli.spans import placed

NO_DATES = "Campaign name,Impressions,Amount spent (JPY)\nAutumn,1000,5000\nWinter,500,2500\n"


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [
        ("HP-Cookers-ADs-Campaigns-Jan-1-2026-Jul-11-2026.csv", date(2026, 1, 1), date(2026, 7, 11)),
        (
            "Tallow-ourn-Ad-Account-Campaigns-Jan-1-2026-Aug-24-2026_8d75.csv",
            date(2026, 1, 1),
            date(2026, 8, 24),
        ),
        ("Naked-Tech-Ads-Campaigns-28-Jun-2026-27-Jul-2026.csv", date(2026, 6, 28), date(2026, 7, 27)),
        ("Shop-Campaigns-Oct-1-2026-Oct-31-2026 (1).csv", date(2026, 10, 1), date(2026, 10, 31)),
    ],
)
def test_the_range_in_real_meta_download_names(name: str, first: date, last: date) -> None:
    assert in_name(Path(name), "meta_ads") == Span(first, last, SAID_BY)


@pytest.mark.parametrize(
    "name",
    [
        "Shop-Campaigns-Feb-30-2026-Mar-31-2026.csv",  # no 30 February
        "Shop-Campaigns-Oct-31-2026-Oct-1-2026.csv",  # backwards
        "meta-campaigns.csv",
        "Shop-Campaigns-Oct-1-20261-Oct-31-2026.csv",  # a longer number is not a year
    ],
)
def test_names_without_a_range_are_not_read(name: str) -> None:
    assert in_name(Path(name), "meta_ads") is None


def test_only_a_platform_that_names_its_downloads_so_is_read() -> None:
    assert in_name(Path("Shop-Campaigns-Oct-1-2026-Oct-31-2026.csv"), "google_ads") is None


def test_a_meta_file_without_date_columns_totals_the_range_in_its_name(tmp_path: Path) -> None:
    path = tmp_path / "Shop-Campaigns-Oct-1-2026-Oct-31-2026.csv"
    path.write_text(NO_DATES, encoding="utf-8")
    frame = placed("meta", read_export(path, platform="meta_ads"), None).frame
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-10-01", "2026-10-01"]
    assert frame["date_end"].dt.strftime("%Y-%m-%d").tolist() == ["2026-10-31", "2026-10-31"]
    assert frame["cost"].sum() == 7500.0


def test_a_name_across_months_is_refused_unless_prorata(tmp_path: Path) -> None:
    path = tmp_path / "Shop-Campaigns-Sep-21-2026-Oct-10-2026.csv"
    path.write_text(NO_DATES, encoding="utf-8")
    with pytest.raises(DataError, match="across months"):
        placed("meta", read_export(path, platform="meta_ads"), None)
    frame = placed("meta", read_export(path, platform="meta_ads"), "prorata").frame
    # 20 days; 7,500 spread: 10 days (21-30 Sep) = 3,750 in September.
    assert frame[frame["date"] < "2026-10-01"]["cost"].sum() == pytest.approx(3750.0)


def test_a_source_range_contradicting_the_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "Shop-Campaigns-Oct-1-2026-Oct-31-2026.csv"
    path.write_text(NO_DATES, encoding="utf-8")
    september = Span(date(2026, 9, 1), date(2026, 9, 30), "`period: 2026-09`")
    with pytest.raises(DataError) as error:
        read_export(path, platform="meta_ads", totals_range=september)
    assert str(error.value) == (
        f"{path}: its name says it totals 2026-10-01 to 2026-10-31, but its source says "
        "`period: 2026-09` (2026-09-01 to 2026-09-30); remove the key from the source, or point "
        "the source at the file of that range"
    )


def test_rows_outside_the_named_range_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "Shop-Campaigns-Oct-1-2026-Oct-31-2026.csv"
    path.write_text(
        "Reporting starts,Reporting ends,Campaign name,Amount spent (JPY)\n2026-09-01,2026-09-30,A,100\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as error:
        placed("meta", read_export(path), None)
    assert str(error.value) == (
        f"{path}: its name says it totals 2026-10-01 to 2026-10-31, but its rows run 2026-09-01 to "
        "2026-09-30; rename the file or export it again for the range its name says"
    )


def test_rows_inside_the_named_range_are_read_as_they_are(tmp_path: Path) -> None:
    path = tmp_path / "Shop-Campaigns-Oct-1-2026-Oct-31-2026.csv"
    path.write_text(
        "Reporting starts,Reporting ends,Day,Campaign name,Amount spent (JPY)\n"
        "2026-10-01,2026-10-31,2026-10-01,A,100\n2026-10-01,2026-10-31,2026-10-31,A,50\n",
        encoding="utf-8",
    )
    assert placed("meta", read_export(path), None).frame["cost"].sum() == 150.0
