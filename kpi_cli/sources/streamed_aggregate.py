"""A file read in blocks (streamed.py) summed by day and dimension, for a caller that sums so (a review).

Each block is summed by date code x the grain as it is read, and the sums summed again once the
codes are dates: the columnar path's aggregate (columnar.py's `_frame`), from the same rows.

Rows across months (a Meta report a week a row: 1 to 7 February, 29 January to 4 February) are
kept summed by their first and last day, so the blocks stay bounded; reading them whole peaked at
1.2 GB on a 206 MB file, and splitting the whole read's rows by day at 3.2 GB (issue 7). Then:
- under `split: prorata` each summed row is split by day as spans.placed splits a row of the
  whole read (its figures divided by its days, `estimated` where it spans more than one), a slice
  at a time, and the days summed again by day, grain and `estimated`: spans.placed then finds no
  row across months;
- else spans.placed refuses the file naming the first row of its frame across months; the row
  first in the file is put first (the blocks' sums keep their rows' order of first appearance,
  and a block's rows before its first row across months are not across months).
"""

from __future__ import annotations

import itertools

from kpi_cli import spans
from kpi_cli.lazy_pandas import np, pd
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


def span_counts(labels: dict[str, np.ndarray]) -> pd.Series:
    """A block's rows counted by first and last day code (one key: first << 32 | last + 1)."""
    keys = (labels["date"].astype(np.int64) << 32) | (labels[DATE_END].astype(np.int64) + 1)
    return pd.Series(keys).value_counts(sort=False)


def split_rows(counts: list[pd.Series], starts: DateCodes, ends: DateCodes) -> int:
    """The rows spans.placed would make of the file's rows split by day: each row's days, summed
    (an aggregate's `rows`, as the whole read's are the frame's rows once split)."""
    counted = pd.concat(counts).groupby(level=0).sum()
    keys = counted.index.to_numpy(dtype=np.int64)
    first_days = starts.dates((keys >> 32).astype(np.int32))
    last_days = ends.dates(((keys & 0xFFFFFFFF) - 1).astype(np.int32))
    last_days = np.where(np.isnat(last_days), first_days, last_days)
    days = (last_days - first_days).astype("timedelta64[D]").astype(np.int64) + 1
    return int((days * counted.to_numpy()).sum())


def aggregate(
    parts: list[pd.DataFrame],
    names: list[str],
    starts: DateCodes,
    ends: DateCodes,
    mapping: frame.ColumnMap,
    grain: list[str],
    split: str | None = None,
) -> pd.DataFrame:
    """The blocks' sums summed again by date and grain: columnar.py's `_frame`, from the same rows.

    Two spellings of one day (`2026-10-01`, `2026-10-01 09:00`) have two codes: the rows are
    summed again once the codes are dates. Rows across months: see the module's doc.
    """
    rows = pd.concat(parts, ignore_index=True, sort=False)
    parts.clear()
    dates = starts.dates(rows["date"].to_numpy())
    columns: dict[str, object] = {"date": dates}
    if DATE_END in mapping.columns:
        last_days = ends.dates(rows[DATE_END].to_numpy())
        last_days = np.where(np.isnat(last_days), dates, last_days)
        columns[DATE_END] = last_days
        across = _across_months(dates, last_days)
        if across.any():
            first = int(np.argmax(across))  # the first row across months in the file (module's doc)
            summed = _summed(columns, rows, grain, names)
            if split == spans.PRORATA:
                return _by_day(summed, grain, names)
            return _put_first(summed, dates[first], last_days[first])
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
    """Running totals across months are read whole (spans.placed names the first such row)."""
    if _across_months(first_days, last_days).any():
        raise ReadWhole("rows across months")


def _across_months(first_days: np.ndarray, last_days: np.ndarray) -> np.ndarray:
    """spans.placed's test: the first and last day in different months."""
    first, last = pd.Series(first_days).dt.to_period("M"), pd.Series(last_days).dt.to_period("M")
    return (first != last).to_numpy()


# Day rows made at a time when summed rows are split by day (~100 bytes each with ten figures):
# a slice of summed rows is cut where its rows' days reach this, whatever each row's length.
DAY_ROWS_AT_A_TIME = 1_000_000


def _by_day(summed: pd.DataFrame, grain: list[str], names: list[str]) -> pd.DataFrame:
    """spans.placed's split of each row by day, a slice of rows at a time, summed again by day,
    grain and `estimated`; that column last, as spans.placed appends it."""
    days = (summed[DATE_END] - summed["date"]).dt.days.to_numpy() + 1
    slices = np.cumsum(days) // DAY_ROWS_AT_A_TIME
    cuts = [0, *(np.flatnonzero(np.diff(slices)) + 1).tolist(), len(summed)]
    parts = [
        regrouped(spans._by_day(summed.iloc[start:stop]), grain, names)
        for start, stop in itertools.pairwise(cuts)
    ]
    split = regrouped(pd.concat(parts, ignore_index=True, sort=False), grain, names)
    return split[[c for c in split.columns if c != spans.ESTIMATED] + [spans.ESTIMATED]]


def _put_first(summed: pd.DataFrame, first_day: np.datetime64, last_day: np.datetime64) -> pd.DataFrame:
    """The summed rows with one of `first_day` .. `last_day` first: the row spans.placed names."""
    at = (summed["date"].to_numpy() == first_day) & (summed[DATE_END].to_numpy() == last_day)
    first = int(np.argmax(at))
    order = np.concatenate([[first], np.delete(np.arange(len(summed)), first)])
    reordered: pd.DataFrame = summed.take(order)
    return reordered.reset_index(drop=True)


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
    """Rows summed by date (and last day) and grain: the columnar path's aggregate (and by
    `estimated` when split by day)."""
    keys = [c for c in ("date", DATE_END, *grain, spans.ESTIMATED) if c in keyed.columns]
    summed = keyed.groupby(keys, dropna=False, sort=True)[names].sum(min_count=1).reset_index()
    for dimension in grain:  # groupby turns the dimensions' missing values into NaN
        summed[dimension] = summed[dimension].astype("string").to_numpy()
    return summed
