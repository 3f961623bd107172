"""Calendar periods (month, ISO week, day) and how much of one has elapsed at --as-of."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

from kpi_cli.errors import UsageError
from kpi_cli.lazy_pandas import pd
from kpi_cli.untrusted import one_line

FREQ = {"month": "M", "week": "W-SUN", "day": "D"}
# Campaign reviews live in this range; outside it pandas' Period arithmetic misbehaves
# (`0001-01` crashed) and any such date is a typo.
MIN_YEAR, MAX_YEAR = 1900, 2200
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_WEEK = re.compile(r"(\d{4})-W(\d{1,2})", re.IGNORECASE)


class PeriodError(UsageError):
    """A period or date that cannot be reviewed; neutral wording, the command names its flag."""


def period_of(day: date, period: str) -> pd.Period:
    return pd.Period(day, freq=FREQ[period])


# Cached: a Period's start_time/end_time builds Timestamps (~50 us), and `--by` with 10,000
# campaigns asks for the same few periods' bounds half a million times (23 s of a 5-minute run).
def first_day(p: pd.Period) -> date:
    return _first_day(p)


def last_day(p: pd.Period) -> date:
    return _last_day(p)


@lru_cache(maxsize=4096)
def _first_day(p: pd.Period) -> date:
    return p.start_time.date()


@lru_cache(maxsize=4096)
def _last_day(p: pd.Period) -> date:
    return p.end_time.date()


@lru_cache(maxsize=65536)
def of_ordinal(ordinal: int, freq: Any) -> pd.Period:  # Any: a pandas DateOffset
    """The Period of this ordinal, one object per (ordinal, freq) however often it is asked."""
    return pd.Period(ordinal=ordinal, freq=freq)


def days_in(p: pd.Period) -> int:
    return _days_in(p)


@lru_cache(maxsize=4096)  # every drop and pace judgement asks it of each history period
def _days_in(p: pd.Period) -> int:
    return (last_day(p) - first_day(p)).days + 1


def elapsed_fraction(p: pd.Period, as_of: date) -> float:
    """Share of the period's days up to and including as_of: 1.0 for a period already over."""
    done = (min(as_of, last_day(p)) - first_day(p)).days + 1
    return max(0.0, min(1.0, done / days_in(p)))


def in_progress(p: pd.Period, as_of: date) -> bool:
    return first_day(p) <= as_of < last_day(p)


def span_fraction(start: date, end: date, as_of: date) -> float:
    """Share of the days from start to end (inclusive) elapsed by as_of."""
    total = (end - start).days + 1
    done = (min(as_of, end) - start).days + 1
    return max(0.0, min(1.0, done / total))


def periods_between(start: date, end: date, period: str) -> pd.PeriodIndex:
    return pd.period_range(period_of(start, period), period_of(end, period), freq=FREQ[period])


def check_year(day: date) -> date:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise PeriodError(f"{day.isoformat()} is outside the years {MIN_YEAR}-{MAX_YEAR}")
    return day


def parse_month(text: str) -> pd.Period:
    """`2026-10` (the review is monthly). A week such as `2026-W43` is refused by name: the
    review's month arithmetic cannot mix it in, and it used to crash with IncompatibleFrequency."""
    shown = one_line(text, 40)
    value = text.strip()
    if _WEEK.fullmatch(value):
        raise PeriodError(f"'{shown}' is a week; the review is monthly: give a month (YYYY-MM, e.g. 2026-10)")
    month = _MONTH.fullmatch(value)
    if month is None:
        raise PeriodError(f"cannot read '{shown}' as a month (YYYY-MM, e.g. 2026-10)")
    year, number = int(month.group(1)), int(month.group(2))
    if not 1 <= number <= 12:
        raise PeriodError(f"'{shown}' has no month {number} (YYYY-MM, e.g. 2026-10)")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"'{shown}' is outside the years {MIN_YEAR}-{MAX_YEAR}")
    return pd.Period(year=year, month=number, freq=FREQ["month"])


def parse_period(text: str, period: str) -> pd.Period:
    """The month under review, `2026-10` (the only period the review takes)."""
    if period != "month":
        raise PeriodError(f"only a month can be reviewed, not a {period}")
    return parse_month(text)


def check_has_data(month: pd.Period, first: date | None) -> None:
    """A month before the first row has nothing to review; say where the data starts."""
    if first is None:
        raise PeriodError(f"{label(month)} has no data: no source has any dated rows")
    if last_day(month) < first:
        raise PeriodError(f"{label(month)} is before the data, which starts {first.isoformat()}")


def label(p: pd.Period) -> str:
    return _label(p)


@lru_cache(maxsize=4096)  # str(Period) costs ~10 us; `--by` labels the same few periods 100,000 times
def _label(p: pd.Period) -> str:
    if p.freqstr.startswith("W"):
        year, week, _ = first_day(p).isocalendar()
        return f"{year}-W{week:02d}"
    return str(p)
