"""Rows that total a date range: Meta `Reporting starts`/`Reporting ends` without a daily breakdown.

Layout: the header of this suite's Meta fixture (`Reporting starts,Reporting ends,Campaign name,
...,Amount spent (JPY)`), itself the layout quoted in public Meta import tests (a period report
`2026-07-01,2026-07-30,...` among them). GUESS: the figures.
"""

from datetime import date

import pytest

from kpi_cli.config.models import SourceConfig
from kpi_cli.errors import DataError
from kpi_cli.ingest import SourceSpan
from kpi_cli.sources import read_export
from kpi_cli.spans import placed

HEADER = "Reporting starts,Reporting ends,Campaign name,Impressions,Amount spent (JPY)\n"


def _read(tmp_path, rows, split=None):
    path = tmp_path / "meta-campaigns.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return placed("meta", read_export(path), split)


def test_a_monthly_total_counts_in_its_month_and_is_fresh_to_its_last_day(tmp_path):
    export = _read(tmp_path, "2026-10-01,2026-10-31,A,1000,5000\n2026-10-01,2026-10-31,B,500,2500\n")
    frame = export.frame
    assert frame.groupby(frame["date"].dt.strftime("%Y-%m"))["cost"].sum().to_dict() == {"2026-10": 7500.0}
    span = SourceSpan(SourceConfig(name="meta", path="meta-campaigns.csv"), [export])
    # Freshness from the span's end, not its first day (which raised a false "stale" warning).
    assert span.newest() == date(2026, 10, 31)
    assert span.newest(date(2026, 10, 20)) == date(2026, 10, 20)


def test_a_total_across_months_is_refused_with_what_to_re_export(tmp_path):
    with pytest.raises(DataError) as error:
        _read(tmp_path, "2026-09-21,2026-10-10,A,2000,2000\n")
    assert str(error.value) == (
        f"source 'meta': {tmp_path / 'meta-campaigns.csv'} has rows that total 2026-09-21 to "
        "2026-10-10, across months, which no month can count; re-export it broken down by day (or "
        "one file per month), or set `split: prorata` on the source to spread each total evenly "
        "over its days (estimated)"
    )


def test_split_prorata_spreads_a_total_over_its_days_marked_estimated(tmp_path):
    export = _read(tmp_path, "2026-09-21,2026-10-10,A,2000,2000\n2026-10-11,2026-10-11,A,7,7\n", "prorata")
    frame = export.frame
    # 20 days (21-30 Sep, 1-10 Oct), 100 a day: 1,000 in each month; the one-day row unchanged.
    by_month = frame.groupby(frame["date"].dt.strftime("%Y-%m"))["cost"].sum().to_dict()
    assert by_month == {"2026-09": 1000.0, "2026-10": 1007.0}
    assert len(frame) == 21
    assert frame["estimated"].sum() == 20


def test_with_a_day_column_the_rows_are_days_whatever_the_reports_range(tmp_path):
    path = tmp_path / "meta-daily.csv"
    path.write_text(
        "Reporting starts,Reporting ends,Day,Campaign name,Amount spent (JPY)\n"
        "2026-09-25,2026-10-05,2026-09-30,A,100\n2026-09-25,2026-10-05,2026-10-01,A,50\n",
        encoding="utf-8",
    )
    export = placed("meta", read_export(path), None)  # not refused: each row is one day
    assert "date_end" not in export.frame.columns
    frame = export.frame
    assert frame.groupby(frame["date"].dt.strftime("%Y-%m"))["cost"].sum().to_dict() == {
        "2026-09": 100.0,
        "2026-10": 50.0,
    }
