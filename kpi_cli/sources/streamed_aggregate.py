"""A file read in blocks (streamed.py) summed by day and dimension, for a caller that sums so (a review).

Each block is summed by date code x the grain as it is read, and the sums summed again once the
codes are dates: the columnar path's aggregate (columnar.py's `_frame`), from the same rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kpi_cli.sources import frame
from kpi_cli.sources.canonical import DATE_END, DIMENSIONS
from kpi_cli.sources.date_codes import DateCodes, ReadWhole


def summed_block(
    labels: dict[str, np.ndarray], figures: pd.DataFrame, mapping: frame.ColumnMap, grain: list[str]
) -> pd.DataFrame:
    """A block's rows summed by date code (and last day's code) x grain."""
    keys = ["date", *([DATE_END] if DATE_END in mapping.columns else []), *grain]
    rows = pd.DataFrame({key: labels[key] for key in keys})
    for name in figures.columns:
        rows[name] = figures[name].to_numpy()
    summed: pd.DataFrame = (
        rows.groupby(keys, dropna=False, sort=False)[list(figures.columns)].sum(min_count=1).reset_index()
    )
    return summed


def aggregate(
    parts: list[pd.DataFrame],
    names: list[str],
    starts: DateCodes,
    ends: DateCodes,
    mapping: frame.ColumnMap,
    grain: list[str],
) -> pd.DataFrame:
    """The blocks' sums summed again by date and grain: columnar.py's `_frame`, from the same rows.

    Two spellings of one day (`2026-10-01`, `2026-10-01 09:00`) have two codes: the rows are
    summed again once the codes are dates. A row across months is read whole (spans.placed names
    the first such row of the file).
    """
    rows = pd.concat(parts, ignore_index=True, sort=False)
    parts.clear()
    dates = starts.dates(rows["date"].to_numpy())
    columns: dict[str, object] = {"date": dates}
    if DATE_END in mapping.columns:
        last_days = ends.dates(rows[DATE_END].to_numpy())
        last_days = np.where(np.isnat(last_days), dates, last_days)
        _within_months(dates, last_days)
        columns[DATE_END] = last_days
    return _summed(columns, rows, grain, names)


def rows_aggregate(rows: pd.DataFrame, grain: list[str]) -> pd.DataFrame:
    """Rows whose running totals are differenced already (streamed._joined) summed as `aggregate`
    sums the blocks' sums: a block's sum of running totals could not be differenced."""
    names = [c for c in rows.columns if c not in ("date", DATE_END, *DIMENSIONS)]
    columns: dict[str, object] = {"date": rows["date"].to_numpy()}
    if DATE_END in rows.columns:
        _within_months(rows["date"].to_numpy(), rows[DATE_END].to_numpy())
        columns[DATE_END] = rows[DATE_END].to_numpy()
    return _summed(columns, rows, grain, names)


def events_aggregate(events: pd.DataFrame, grain: list[str], names: list[str]) -> pd.DataFrame:
    """A stage export's events summed as `aggregate` sums other rows (no last day there)."""
    return _summed({"date": events["date"].to_numpy()}, events, grain, names)


def _within_months(first_days: np.ndarray, last_days: np.ndarray) -> None:
    """A row across months is read whole (spans.placed names the first such row of the file)."""
    first, last = pd.Series(first_days).dt.to_period("M"), pd.Series(last_days).dt.to_period("M")
    if (first != last).any():
        raise ReadWhole("rows across months")


def _summed(
    columns: dict[str, object], rows: pd.DataFrame, grain: list[str], names: list[str]
) -> pd.DataFrame:
    """`columns` (the dates) with the rows' grain as text and their figures as floats, regrouped.

    A figure no row of the file held (a metric absent from every block) is NaN: not measured.
    """
    for dimension in grain:
        columns[dimension] = rows[dimension].astype("string").to_numpy()
    for name in names:
        columns[name] = rows[name].to_numpy(dtype=np.float64, na_value=np.nan) if name in rows else np.nan
    return regrouped(pd.DataFrame(columns), grain, names)


def regrouped(keyed: pd.DataFrame, grain: list[str], names: list[str]) -> pd.DataFrame:
    """Rows summed by date (and last day) and grain: the columnar path's aggregate."""
    keys = [c for c in ("date", DATE_END, *grain) if c in keyed.columns]
    summed = keyed.groupby(keys, dropna=False, sort=True)[names].sum(min_count=1).reset_index()
    for dimension in grain:  # groupby turns the dimensions' missing values into NaN
        summed[dimension] = summed[dimension].astype("string").to_numpy()
    return summed
