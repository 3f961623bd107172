from __future__ import annotations

from datetime import date

import pytest

from kpi_cli.stats.exposure import coverage, days_between


def test_the_oldest_newest_date_sets_the_covered_days() -> None:
    # Ads exported through 18 Nov, the CRM through 20 Nov, reviewed on the 21st: 1..18 Nov = 18 days
    cov = coverage(
        date(2026, 11, 1), date(2026, 11, 30), [date(2026, 11, 18), date(2026, 11, 20)], date(2026, 11, 21)
    )
    assert (cov.days, cov.period_days, cov.through) == (18, 30, date(2026, 11, 18))
    assert cov.fraction == pytest.approx(18 / 30)
    assert cov.describe() == "through 18 Nov (18 of 30 days)"
    assert not cov.complete


def test_as_of_and_period_end_cap_the_coverage() -> None:
    oct_ = coverage(date(2026, 10, 1), date(2026, 10, 31), [date(2026, 11, 3)], date(2026, 11, 4))
    assert oct_.complete and oct_.days == 31
    early = coverage(date(2026, 11, 1), date(2026, 11, 30), [date(2026, 11, 25)], date(2026, 11, 10))
    assert early.days == 10  # data "from the future" of as_of is not counted


def test_no_covered_day() -> None:
    cov = coverage(date(2026, 11, 1), date(2026, 11, 30), [date(2026, 10, 31)])
    assert cov.days == 0 and cov.through is None
    assert cov.describe() == "no data yet (0 of 30 days)"
    assert coverage(date(2026, 11, 1), date(2026, 11, 30), []).days == 0


def test_days_between_counts_both_ends() -> None:
    assert days_between(date(2026, 2, 1), date(2026, 2, 28)) == 28
    with pytest.raises(ValueError):
        coverage(date(2026, 2, 2), date(2026, 2, 1), [])
