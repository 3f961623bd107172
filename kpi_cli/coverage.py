"""Which days of a reviewed period each source covers: the data behind the coverage rule.

A source whose files end on the 10th passes every other check as the month's data, and the month
then looks like a collapse. Here each source's covered days are the union of its rows' days (a
period-total row covers `date` .. `date_end`); the days of the period it does not cover are its
gaps, and a source whose last covered day is before the period's end (or before `as_of` in a
running period) is short. The rule that turns this into findings comes with the rule registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kpi_cli.ingest import SourceSpan
from kpi_cli.lazy_pandas import np, pd
from kpi_cli.sources.canonical import DATE_END


@dataclass(frozen=True)
class Coverage:
    source: str
    start: date
    end: date
    covered: int  # days of start..end with at least one row
    gaps: list[tuple[date, date]]  # runs of uncovered days, inclusive
    last: date | None  # last covered day within start..end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def short(self) -> bool:
        """The source stops before the period's end (a file ending on the 10th)."""
        return self.last is None or self.last < self.end


def coverage(span: SourceSpan, start: date, end: date) -> Coverage:
    """The days of start..end (inclusive) the source's rows cover, and the gaps between them."""
    days = pd.date_range(start, end, freq="D")
    covered = pd.Series(False, index=days)
    for export in span.exports:
        frame = export.frame
        if "date" not in frame.columns or frame.empty:
            continue
        if DATE_END not in frame.columns:  # day rows: one vectorised membership test
            covered |= days.isin(frame["date"].dt.normalize().unique())
            continue
        covered |= _spanned(days, frame["date"], frame[DATE_END])
    return Coverage(
        span.config.name,
        start,
        end,
        int(covered.sum()),
        _runs(covered[~covered].index),
        covered[covered].index.max().date() if covered.any() else None,
    )


def _spanned(days: pd.DatetimeIndex, firsts: pd.Series, finals: pd.Series) -> np.ndarray:
    """Which of `days` (consecutive midnights) some row's `first` <= day <= `final` covers.

    Period-total rows have few distinct spans however many rows (a set of 1M tuples took 8 s);
    each span is marked as +1 at its first covered day and -1 after its last, and a running sum
    over the days counts the spans over each one: one pass, where a mask per span (a Meta export
    has one span a day) cost 0.3 s of the coverage rule on 365 spans.
    """
    spans = pd.DataFrame({"first": firsts, "last": finals}).drop_duplicates().dropna()
    origin = days.to_numpy(dtype="datetime64[ns]")[0]
    first = spans["first"].to_numpy(dtype="datetime64[ns]")
    last = spans["last"].to_numpy(dtype="datetime64[ns]")
    # Day offsets from the first day: a span from 10:00 covers the next midnight on (ceiling), a
    # span to 10:00 its own day's midnight (floor); integer division, exact at any distance.
    day = np.timedelta64(1, "D")
    lowest = np.clip(-((origin - first) // day), 0, len(days))
    beyond = np.clip((last - origin) // day + 1, 0, len(days))
    inside = lowest < beyond
    marks = np.zeros(len(days) + 1, dtype=np.int64)
    np.add.at(marks, lowest[inside], 1)
    np.add.at(marks, beyond[inside], -1)
    spanned: np.ndarray = np.cumsum(marks[:-1]) > 0
    return spanned


def _runs(missing: pd.Index) -> list[tuple[date, date]]:
    """Consecutive missing days as (first, last) runs."""
    runs: list[tuple[date, date]] = []
    for day in (pd.Timestamp(d).date() for d in missing):
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs
