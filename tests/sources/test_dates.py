import pandas as pd
import pytest

from kpi_cli.sources.dates import to_dates


def iso(*cells: str) -> list[str | None]:
    parsed = to_dates(pd.Series(cells, dtype=object))
    return [None if pd.isna(v) else v.strftime("%Y-%m-%d") for v in parsed.values]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2026-10-03", "2026-10-03"),
        ("2026-10-03T22:00:00", "2026-10-03"),
        ("2026-10-03 22:00 +0000", "2026-10-03"),
        ("Sat, Sep 6, 2026", "2026-09-06"),
        ("Mon Feb 17 2026", "2026-02-17"),
        ("10/03/2026 09:03:47 AM", "2026-10-03"),
        ("Oct 06, 2026 09:30 am", "2026-10-06"),
        ("20261003", "2026-10-03"),
        ("2026年10月3日", "2026-10-03"),
        ("2026/10/03", "2026-10-03"),
        ("2026/10/03(土)", "2026-10-03"),
        ("October 1, 2026", "2026-10-01"),
    ],
)
def test_each_format_real_exports_write(cell, expected):
    assert iso(cell) == [expected]


def test_times_are_dropped_to_midnight_and_the_wall_date_is_kept():
    parsed = to_dates(pd.Series(["2026-10-03 23:59 +0900", "2026-10-04 00:01 +0000"], dtype=object))
    assert parsed.values.tolist() == [pd.Timestamp("2026-10-03"), pd.Timestamp("2026-10-04")]


def test_slashed_dates_are_month_first_unless_a_day_exceeds_12():
    assert iso("10/03/2026", "01/04/2026") == ["2026-10-03", "2026-01-04"]
    assert iso("13/10/2026", "01/10/2026") == ["2026-10-13", "2026-10-01"]


def test_japanese_dates_with_times():
    assert iso("2026年10月3日 12:00", "2026年10月13日") == ["2026-10-03", "2026-10-13"]


def test_nulls_are_not_dates_and_not_errors():
    parsed = to_dates(pd.Series(["2026-10-03", "--", ""], dtype=object))
    assert parsed.values.isna().tolist() == [False, True, True]
    assert not parsed.bad.any()


def test_an_unreadable_date_is_flagged():
    parsed = to_dates(pd.Series(["2026-10-01", "2026-10-02", "someday"], dtype=object))
    assert parsed.first_bad() == 2


def test_yearless_dates_are_unreadable_not_guessed():
    assert to_dates(pd.Series(["October 1", "October 2"], dtype=object)).bad.all()
