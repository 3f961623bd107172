"""drop's window and sustained inputs by position (issue 12) equal the label-slicing code they replace.

The reference functions below are the pandas code drop used before (git 2101645,
rules/drop_baseline.window and rules/drop._sustained's slicing), kept here as the oracle; both
are run on 3,000 seeded random histories with gaps (NaN), missing periods, unsorted indexes,
a running period and every baseline mode, and must give the same periods and the same floats.
"""

from __future__ import annotations

import math
from datetime import date
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest

from kpi_cli.metrics import periods
from kpi_cli.rules.drop_baseline import HISTORY_PERIODS, complete_tail, window
from kpi_cli.rules.exposure import period_coverage


def _at(series: pd.Series, period: pd.Period) -> float:
    value = series.get(period)
    return math.nan if value is None or pd.isna(value) else float(value)


def _reference_window(view: Any, mode: str, size: int) -> tuple[Any, ...] | None:
    history, period = view.history.sort_index(), view.period
    current = _at(history, period)
    before = history.loc[: period - 1]
    wanted = before.tail(1) if mode == "previous" else before.tail(size)
    baseline = [p for p in wanted.index if not math.isnan(_at(wanted, p))]
    if math.isnan(current) or not baseline:
        return None
    values = [_at(history, p) for p in baseline]
    if period_coverage(period, [view.as_of], view.as_of).days == 0:
        return None
    noise = before.dropna().tail(HISTORY_PERIODS)
    return baseline, current, values, list(noise.index), [float(v) for v in noise]


def _reference_complete_tail(view: Any, count: int) -> tuple[list[pd.Period], list[float]]:
    history = view.history.sort_index()
    if len(history) and periods.in_progress(history.index[-1], view.as_of):
        history = history.iloc[:-1]
    kept = history.dropna().tail(count)
    return list(kept.index), [float(v) for v in kept]


def _random_view(rng: np.random.Generator) -> SimpleNamespace:
    months = pd.period_range("2024-01", periods=int(rng.integers(1, 30)), freq="M")
    keep = rng.random(len(months)) > 0.15  # missing periods: gaps in the index itself
    keep[-1] = True
    index = months[keep]
    values = rng.gamma(2.0, 300.0, len(index)).round(int(rng.integers(0, 3)))
    values[rng.random(len(index)) < 0.15] = np.nan  # periods present without data
    series = pd.Series(values, index=index)
    if rng.random() < 0.2:
        series = series.iloc[rng.permutation(len(series))]  # an index out of order
    period = index[-1] if rng.random() < 0.85 else index[int(rng.integers(0, len(index)))]
    series = series[series.index <= period]  # a view's history ends at its period
    day = int(rng.integers(1, 29)) if rng.random() < 0.5 else periods.days_in(period)
    as_of = date(period.year, period.month, day)
    return SimpleNamespace(history=series, period=period, as_of=as_of)


@pytest.mark.parametrize("seed", range(6))
def test_window_and_complete_tail_equal_the_label_slicing_code(seed: int) -> None:
    rng = np.random.default_rng(seed)
    compared = found = 0
    for _ in range(500):
        view = _random_view(rng)
        mode = "previous" if rng.random() < 0.3 else "trailing"
        size = int(rng.integers(1, 6))
        mine, theirs = window(view, mode, size), _reference_window(view, mode, size)  # type: ignore[arg-type]
        if theirs is None:
            assert mine is None
        else:
            assert mine is not None
            got = (mine.baseline, mine.current, mine.values, mine.history_periods, mine.history)
            assert got == theirs
            # each period's exposure, counted from its own calendar (February 28 or 29 days)
            assert mine.baseline_days == [float(p.days_in_month) for p in theirs[0]]
            assert mine.history_days == [float(p.days_in_month) for p in theirs[3]]
            found += 1
        count = int(rng.integers(1, 16))
        assert complete_tail(view, count) == _reference_complete_tail(view, count)  # type: ignore[arg-type]
        compared += 1
    assert compared == 500 and found > 200  # most random histories do have a window to compare


def test_window_of_an_empty_history_is_none() -> None:
    view = SimpleNamespace(
        history=pd.Series([], dtype=float, index=pd.PeriodIndex([], freq="M")),
        period=pd.Period("2026-03", "M"),
        as_of=date(2026, 3, 31),
    )
    assert window(view, "trailing", 3) is None  # type: ignore[arg-type]
    assert complete_tail(view, 4) == ([], [])  # type: ignore[arg-type]
