"""How much of a figure rests on prorated rows (`split: prorata`, kpi_cli.spans).

A lifetime report split by days gives each month a share of the total by the calendar, not by what
happened: every KPI, KGI and finding built on such rows says so, with the share of the figure that
came from them (issue 10).
"""

from __future__ import annotations

from kpi_cli.lazy_pandas import pd
from kpi_cli.spans import ESTIMATED


def estimated_shares(frame: pd.DataFrame, columns: list[str], keys: pd.Series) -> pd.Series:
    """Per key (a period), the largest share of an input column's sum that came from estimated rows.

    NaN where no estimated row with a value in one of `columns` falls in that key; 0.0 where some
    did but the column sums to nothing (the figure still rests on them). The largest share over the
    inputs, because a rate is as estimated as its most estimated part (cost per lead with all the
    cost prorated and the leads counted is an estimate).
    """
    if ESTIMATED not in frame.columns or not columns or frame.empty:
        return pd.Series(dtype=float)
    values = frame[columns].astype(float)
    feeds = frame[ESTIMATED].eq(True) & values.notna().any(axis=1)
    if not feeds.any():
        return pd.Series(dtype=float)
    magnitude = values.abs()
    whole = magnitude.groupby(keys).sum(min_count=1)
    part = magnitude[feeds].groupby(keys[feeds]).sum(min_count=1).reindex(whole.index)
    ratio = part.div(whole.where(whole != 0))
    ratio = ratio.mask(part.notna() & ratio.isna(), 0.0)
    return ratio.max(axis=1)
