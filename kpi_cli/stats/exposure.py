"""Exposure in days: a running period counts only the days its sources actually cover.

`as_of` is not a fully exported day: ad platforms and CRMs deliver yesterday's numbers today, or
later. So the days judged are those up to the newest data date that EVERY source has reached (a
source still one day behind would otherwise read as a fall on that day).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Coverage:
    """How much of one period the data covers: `days` of `period_days`, through `through`."""

    first: date
    last: date
    through: date | None  # None: no day of the period is covered yet
    days: int
    period_days: int

    @property
    def fraction(self) -> float:
        return self.days / self.period_days

    @property
    def complete(self) -> bool:
        return self.days == self.period_days

    def describe(self) -> str:
        """Evidence wording, e.g. 'through 19 Nov (18 of 30 days)'."""
        if self.through is None:
            return f"no data yet (0 of {self.period_days} days)"
        return f"through {self.through.day} {self.through:%b} ({self.days} of {self.period_days} days)"


def coverage(first: date, last: date, newest: Iterable[date], as_of: date | None = None) -> Coverage:
    """The period first..last as covered by sources whose newest data dates are `newest`.

    The covered end is the OLDEST of the sources' newest dates (every source must have reached a
    day for it to count), never after as_of and never after the period's last day.
    """
    if last < first:
        raise ValueError(f"period ends {last} before it starts {first}")
    newest_dates = list(newest)
    period_days = (last - first).days + 1
    if not newest_dates:
        return Coverage(first, last, None, 0, period_days)
    end = min(newest_dates)
    if as_of is not None:
        end = min(end, as_of)
    end = min(end, last)
    if end < first:
        return Coverage(first, last, None, 0, period_days)
    return Coverage(first, last, end, (end - first).days + 1, period_days)


def days_between(first: date, last: date) -> int:
    """Days from first to last, both included: a complete period's exposure."""
    return (last - first).days + 1
