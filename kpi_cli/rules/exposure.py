"""How many days of a period the data covers: the exposure every statistical rule judges on.

`--as-of` is not a fully exported day: ad platforms and CRMs deliver yesterday's numbers today, or
later. A running period is therefore judged on the days up to the newest data date every source
has reached (stats.exposure.coverage), never pro rata to as_of; a review built without sources
(the calibration harness, hand-made contexts) falls back to the newest row of the data.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

from kpi_cli.ingest import SourceSpan
from kpi_cli.lazy_pandas import pd
from kpi_cli.metrics import periods
from kpi_cli.stats.exposure import Coverage, coverage

T = TypeVar("T")


def newest_dates(
    spans: Sequence[SourceSpan],
    frame: pd.DataFrame,
    as_of: date,
    columns: Iterable[str] | None = None,
    where: Mapping[Any, str | list[str]] | None = None,
) -> list[date]:
    """The newest data date of each source feeding `columns` (on or before as_of); of the rows without sources.

    Only the sources that carry the KPI's columns count, and of those only the ones its `where:`
    selects: a stale LINE export must not shorten the days an ads KPI is judged on, nor a second
    Instagram account the days of a KPI read from the first (freshness reports the stale source).
    """
    wanted = set(columns) if columns is not None else None
    named = (where or {}).get("source")
    chosen = None if named is None else ({named} if isinstance(named, str) else set(named))
    feeding = [
        s
        for s in spans
        if (wanted is None or _metrics_of(s) & wanted) and (chosen is None or s.config.name in chosen)
    ]
    newest = [d for span in feeding if (d := _newest_of(span, as_of)) is not None]
    if newest:
        return newest
    last = _remembered(frame, as_of, lambda: _newest_row(frame, as_of))
    return [] if last is None else [last]


def _metrics_of(span: SourceSpan) -> set[str]:
    return _remembered(span, "metrics", lambda: span.metrics)


def _newest_of(span: SourceSpan, as_of: date) -> date | None:
    return _remembered(span, as_of, lambda: span.newest(as_of))


def _newest_row(frame: pd.DataFrame, as_of: date) -> date | None:
    if len(frame) == 0 or "date" not in frame.columns:
        return None
    last = frame.loc[frame["date"] <= pd.Timestamp(as_of), "date"].max()
    return None if pd.isna(last) else pd.Timestamp(last).date()


# Each source's newest date (and the columns it carries), kept per (object, as_of). Every view of
# a KPI asks the same sources: with `--by campaign` and 10,000 campaigns, 40,000 views each scanned
# every row's dates again (130 s of a 5-minute run). Keyed by identity, since spans and frames are
# not hashable; the weak reference proves the cached answer belongs to this very object (an id can
# be reused after it is freed) and lets a finished review's data go.
_REMEMBERED: dict[tuple[int, object], tuple[weakref.ref[object], Any]] = {}
_LIMIT = 4096


def _remembered(owner: object, key: object, compute: Callable[[], T]) -> T:
    slot = (id(owner), key)
    hit = _REMEMBERED.get(slot)
    if hit is not None and hit[0]() is owner:
        remembered: T = hit[1]
        return remembered
    if len(_REMEMBERED) >= _LIMIT:
        _REMEMBERED.clear()
    value = compute()
    _REMEMBERED[slot] = (weakref.ref(owner), value)
    return value


def period_coverage(period: pd.Period, newest: Sequence[date], as_of: date) -> Coverage:
    """The period as covered by the data; a period over at as_of counts whole (its data is final)."""
    first, last = periods.first_day(period), periods.last_day(period)
    if not periods.in_progress(period, as_of):
        return coverage(first, last, [last], as_of) if as_of >= last else coverage(first, last, newest, as_of)
    return coverage(first, last, newest, as_of)


def history_days(index: Sequence[pd.Period]) -> list[float]:
    """Each complete period's exposure in days (February against January: 28 against 31)."""
    return [float(periods.days_in(p)) for p in index]
