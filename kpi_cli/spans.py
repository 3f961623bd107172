"""Rows that total a date range (`date` .. `date_end`), placed in review periods.

A monthly Meta report's row counts in its month. A row across months (a lifetime report from
15 September to 14 October) cannot be put in either month without guessing, so it is refused
with what to re-export, unless the source says `split: prorata`: then each such row becomes one
row per day with its figures divided evenly, and an `estimated` column marks them.
"""

from __future__ import annotations

from dataclasses import replace

from kpi_cli.errors import DataError
from kpi_cli.lazy_pandas import np, pd
from kpi_cli.sources import Export, period_name
from kpi_cli.sources.canonical import DATE_END, METRICS

PRORATA = "prorata"
ESTIMATED = "estimated"


def placed(source: str, export: Export, split: str | None) -> Export:
    """The export with its multi-month rows refused, or split by day under `split: prorata`."""
    frame = export.frame
    period_name.check_rows(export.path, export.platform, frame)
    if DATE_END not in frame.columns or frame.empty:
        return export
    across = frame["date"].dt.to_period("M") != frame[DATE_END].dt.to_period("M")
    if not across.any():
        return export
    if split != PRORATA:
        first = frame[across].iloc[0]
        raise DataError(
            f"source '{source}': {export.path} has rows that total {_day(first['date'])} to "
            f"{_day(first[DATE_END])}, across months, which no month can count; re-export it "
            "broken down by day (or one file per month), or set `split: prorata` on the source "
            "to spread each total evenly over its days (estimated)"
        )
    return replace(export, frame=_by_day(frame))


def _by_day(frame: pd.DataFrame) -> pd.DataFrame:
    """Each multi-day row as one row per day, figures divided by its number of days."""
    days = (frame[DATE_END] - frame["date"]).dt.days.to_numpy() + 1
    repeated = frame.loc[frame.index.repeat(days)].copy()
    offsets = np.concatenate([np.arange(n) for n in days])
    repeated["date"] = repeated["date"] + pd.to_timedelta(offsets, unit="D")
    repeated[DATE_END] = repeated["date"]
    counts = np.repeat(days, days).astype(float)
    for metric in (m for m in METRICS if m in repeated.columns):
        repeated[metric] = repeated[metric] / counts
    repeated[ESTIMATED] = np.repeat(days > 1, days)
    return repeated.reset_index(drop=True)


def _day(value: pd.Timestamp) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d")
