"""Calendar periods (month, ISO week, day) and how much of one has elapsed at --as-of."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from kpi_cli.errors import UsageError

FREQ = {"month": "M", "week": "W-SUN", "day": "D"}


def period_of(day: date, period: str) -> pd.Period:
    return pd.Period(day, freq=FREQ[period])


def first_day(p: pd.Period) -> date:
    return p.start_time.date()


def last_day(p: pd.Period) -> date:
    return p.end_time.date()


def days_in(p: pd.Period) -> int:
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


def parse_period(text: str, period: str) -> pd.Period:
    """`2026-10` for a month, `2026-W43` for an ISO week, `2026-10-03` for a day."""
    week = re.fullmatch(r"(\d{4})-W(\d{1,2})", text.strip())
    try:
        if week:
            monday = date.fromisocalendar(int(week.group(1)), int(week.group(2)), 1)
            return period_of(monday, "week")
        return pd.Period(text.strip(), freq=FREQ[period])
    except ValueError:
        raise UsageError(f"--period: cannot read '{text}' as a {period} (e.g. 2026-10, 2026-W43)") from None


def label(p: pd.Period) -> str:
    if p.freqstr.startswith("W"):
        year, week, _ = first_day(p).isocalendar()
        return f"{year}-W{week:02d}"
    return str(p)
