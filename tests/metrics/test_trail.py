"""History (issue 12): a view's floats by position give what pandas' label code gives on the Series.

The oracle is the pandas code assess and the rules used before (`series.loc[:period]`,
`series.get(period)`, the index's own Periods and `days_in_month`), on seeded random histories
with gaps, missing periods and running periods, monthly and weekly.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from kpi_cli.metrics import periods
from kpi_cli.metrics.history import History


def _random_series(rng: np.random.Generator, freq: str) -> pd.Series:
    every = pd.period_range("2024-01-01", periods=int(rng.integers(1, 30)), freq=freq)
    index = every[rng.random(len(every)) > 0.2] if rng.random() < 0.5 else every  # gaps in the index
    values = rng.gamma(2.0, 300.0, len(index))
    values[rng.random(len(index)) < 0.2] = np.nan
    return pd.Series(values, index=index, name="leads")


def _get(series: pd.Series, period: pd.Period) -> float | None:
    value = series.get(period)
    return None if value is None or pd.isna(value) else float(value)


@pytest.mark.parametrize("freq", ["M", "W-SUN"])
def test_history_by_position_equals_the_label_code(freq: str) -> None:
    rng = np.random.default_rng(7)
    for _ in range(300):
        series = _random_series(rng, freq)
        if not len(series):
            continue
        index = series.index
        period = index[int(rng.integers(0, len(index)))] + int(rng.integers(0, 2))  # maybe after the last
        cut = series.loc[:period]
        trail = History.of_series(series).up_to(period)
        pd.testing.assert_series_equal(trail.series, cut)
        assert list(trail.index) == list(cut.index)
        assert trail.last_at(period) == (_get(cut, period) if cut.index[-1] == period else None)
        probe = index[int(rng.integers(0, len(index)))] - int(rng.integers(0, 2))  # maybe absent
        assert trail.at(probe) == _get(cut, probe)
        assert [trail.period(i) for i in range(len(trail))] == list(cut.index)
        assert [trail.days(i) for i in range(len(trail))] == [float(periods.days_in(p)) for p in cut.index]
        day = periods.first_day(cut.index[-1]) if rng.random() < 0.5 else periods.last_day(cut.index[-1])
        assert trail.running_last(day) == periods.in_progress(cut.index[-1], day)


def test_an_unsorted_series_is_read_in_period_order() -> None:
    index = pd.PeriodIndex(["2026-03", "2026-01", "2026-02"], freq="M")
    trail = History.of_series(pd.Series([3.0, 1.0, math.nan], index=index))
    assert trail.ordinals.tolist() == [p.ordinal for p in sorted(index)]
    assert np.array_equal(trail.values, [1.0, math.nan, 3.0], equal_nan=True)
    assert trail.at(pd.Period("2026-02", "M")) is None  # present, no data
    assert trail.at(pd.Period("2026-04", "M")) is None  # absent
    assert trail.last_at(pd.Period("2026-03", "M")) == 3.0


def test_a_block_column_is_built_as_a_series_only_when_read() -> None:
    """The Series a part's history builds is `Dataset.series`' own: values, periods and name."""
    index = pd.period_range("2026-01", "2026-05", freq="M")
    values = np.arange(10, dtype=float).reshape(5, 2)
    trail = History(values[:, 1], index.asi8, index.freq, index=index, name="clicks")
    cut = trail.up_to(pd.Period("2026-03", "M"))
    assert cut is not trail and trail.up_to(pd.Period("2026-05", "M")) is trail
    expected = pd.Series([1.0, 3.0, 5.0], index=index[:3], name="clicks")
    pd.testing.assert_series_equal(cut.series, expected)
    assert cut.running_last(date(2026, 3, 31)) is False and cut.running_last(date(2026, 3, 30)) is True
    empty = History(np.array([]), np.array([], dtype=np.int64), index.freq, index=index[:0])
    assert empty.last_at(index[0]) is None and empty.running_last(date(2026, 1, 1)) is False
