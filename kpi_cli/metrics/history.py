"""A metric per period as plain arrays, its pandas Series built only when something reads one.

Under `--by campaign` every KPI has a view per campaign (40,000 on the benchmark), and a Series
per view cost ~75 us to build (most of it pandas' name setter probing the PeriodIndex), 3 s of
CPU, while the rules that run on every view (drop, freshness, threshold) read floats by position.
A History holds the floats (NaN where nothing was measured) and their periods' ordinals; the
periods themselves, their days and the Series come on demand.
"""

from __future__ import annotations

import math
from datetime import date
from functools import lru_cache
from typing import Any

from kpi_cli.lazy_pandas import np, pd
from kpi_cli.metrics import periods


class History:
    """Values per period, in period order. `index` (and `series`, when given) hold the periods
    (and the Series) this history is the first `len(values)` entries of, so that cutting a history
    at a period copies no pandas object until the Series is asked for."""

    __slots__ = ("_days", "_index", "_name", "_periods", "_series", "freq", "ordinals", "values")

    def __init__(
        self,
        values: np.ndarray,
        ordinals: np.ndarray,
        freq: Any,
        *,
        index: pd.PeriodIndex,
        series: pd.Series | None = None,
        name: object = None,
    ) -> None:
        self.values = values
        self.ordinals = ordinals
        self.freq = freq
        self._index = index
        self._series = series
        self._name = name
        self._periods: tuple[pd.Period, ...] | None = None
        self._days: tuple[float, ...] | None = None

    @classmethod
    def of_series(cls, series: pd.Series) -> History:
        """A Period-indexed series (sorted first if it is not in order), kept as the Series."""
        if not series.index.is_monotonic_increasing:
            series = series.sort_index()
        index = series.index if isinstance(series.index, pd.PeriodIndex) else pd.PeriodIndex(series.index)
        return cls(float_values(series), index.asi8, index.freq, index=index, series=series)

    def __len__(self) -> int:
        return len(self.values)

    @property
    def series(self) -> pd.Series:
        """The history as the Series pandas code reads (`Dataset.series`, cut at the period)."""
        count = len(self.values)
        if self._series is not None:
            return self._series if len(self._series) == count else self._series.iloc[:count]
        return pd.Series(self.values, index=self.index, name=self._name)

    @property
    def index(self) -> pd.PeriodIndex:
        return self._index if len(self._index) == len(self.values) else self._index[: len(self.values)]

    def up_to(self, period: pd.Period) -> History:
        """The periods up to and including `period`; itself when nothing comes after (the usual case)."""
        ordinals = self.ordinals
        if not len(ordinals) or int(ordinals[-1]) <= period.ordinal:  # no search for the usual case
            return self
        end = int(np.searchsorted(ordinals, period.ordinal, side="right"))
        if end == len(self.values):
            return self
        return History(
            self.values[:end],
            self.ordinals[:end],
            self.freq,
            index=self._index,
            series=self._series,
            name=self._name,
        )

    def last_at(self, period: pd.Period) -> float | None:
        """The value of `period` if it is the last period held (a history cut by `up_to`), else None."""
        if not len(self.ordinals) or int(self.ordinals[-1]) != period.ordinal:
            return None
        value = float(self.values[-1])
        return None if math.isnan(value) else value

    def at(self, period: pd.Period) -> float | None:
        """`series.get(period)` as a float, None where the period is absent or has no data."""
        found = np.flatnonzero(self.ordinals == period.ordinal)
        if not len(found):
            return None
        value = float(self.values[found[0]])
        return None if math.isnan(value) else value

    def period(self, position: int) -> pd.Period:
        """The Period at `position`, without PeriodIndex.__getitem__ (~15 us a call)."""
        if self._periods is None:
            self._periods = _periods(self.ordinals, self.freq)
        return self._periods[position]

    def days(self, position: int) -> float:
        """The days of the period at `position` (its exposure: February 28 or 29)."""
        return self.day_counts()[position]

    def day_counts(self) -> tuple[float, ...]:
        """Every period's days, in order (one call where a rule reads several positions' days)."""
        if self._days is None:
            self._days = _days(self.ordinals, self.freq)
        return self._days

    def running_last(self, as_of: date) -> bool:
        """Whether the last period is still running at as_of (its partial number reads as a fall)."""
        count = len(self.ordinals)
        return bool(count) and _running(int(self.ordinals[count - 1]), self.freq, as_of)


def float_values(series: pd.Series) -> np.ndarray:
    """The values as floats with NaN for missing; a float64 series as it is (a third of the time)."""
    if series.dtype == np.float64:
        return series.to_numpy()
    return series.to_numpy(dtype="float64", na_value=np.nan)


@lru_cache(maxsize=4096)
def _running(ordinal: int, freq: Any, as_of: date) -> bool:
    """Asked of every view of a `--by` review (40,000), all ending in the same few periods."""
    return periods.in_progress(periods.of_ordinal(ordinal, freq), as_of)


def _periods(ordinals: np.ndarray, freq: Any) -> tuple[pd.Period, ...]:
    """The Periods of these ordinals; a run without gaps (every part of a split) shares one tuple."""
    if len(ordinals) and int(ordinals[-1]) - int(ordinals[0]) == len(ordinals) - 1:
        return _run(int(ordinals[0]), len(ordinals), freq)
    return tuple(periods.of_ordinal(o, freq) for o in ordinals.tolist())


@lru_cache(maxsize=4096)
def _run(first: int, count: int, freq: Any) -> tuple[pd.Period, ...]:
    return tuple(periods.of_ordinal(first + i, freq) for i in range(count))


def _days(ordinals: np.ndarray, freq: Any) -> tuple[float, ...]:
    if len(ordinals) and int(ordinals[-1]) - int(ordinals[0]) == len(ordinals) - 1:
        return _run_days(int(ordinals[0]), len(ordinals), freq)
    return tuple(float(periods.days_in(p)) for p in _periods(ordinals, freq))


@lru_cache(maxsize=4096)
def _run_days(first: int, count: int, freq: Any) -> tuple[float, ...]:
    return tuple(float(periods.days_in(p)) for p in _run(first, count, freq))
