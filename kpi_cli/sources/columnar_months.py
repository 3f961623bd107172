"""One dimension summed by month beside the day groups, for a `--by` review (sources/grain.py).

The scan (columnar_sql.by_labels_and_months) groups the days without the dimension, as the plain
check does, and sums the dimension's values by month from the same pass. Its month is the day
key's first seven characters, and its `through` a comparison of day keys as text: both hold only
when every day key is an ISO date, which `day_groups` checks before anything is kept (the
caller then scans by day and dimension, as before). Each value is read as the day rows read a
dimension (columnar_frame.dimension_values: stripped, a null token left out), and values that read
alike are summed together.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from datetime import date
from typing import NamedTuple

from kpi_cli.lazy_pandas import np, pd
from kpi_cli.sources import columnar_frame, columnar_sql
from kpi_cli.sources.grain import ByMonth, Grain

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# What a timed ISO cell's day key is (columnar_sql._day_of keeps its first ten characters).
_ISO_START = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ].*)?")
MONTHS = 2  # the `label_set` of the month rows (columnar_sql._months)
_MONTH_COLUMNS = ("m_value", "m_month", "label_set")


class Request(NamedTuple):
    """A review's request for one dimension by month, as this file's scan takes it."""

    dimension: str
    monthly: columnar_sql.Monthly
    daily: frozenset[str]  # the dimensions the day groups keep
    through: date | None


def requested(
    dimensions: Collection[str], columns: Mapping[str, int], scan: columnar_sql.Scan, sample: list[list[str]]
) -> Request | None:
    """The dimension to sum by month and how, when the review asks for one and this scan can.

    Not for a report-end column (its rows may span days), a dimension the file lacks, or a file
    whose first rows' dates are not ISO (its day keys would not be months' prefixes).
    """
    if not isinstance(dimensions, Grain) or dimensions.monthly is None:
        return None
    position = columns.get(dimensions.monthly)
    if position is None or scan.date_end is not None or not columnar_sql.months_beside_days():
        return None
    dates = [row[scan.date] for row in sample if scan.date < len(row)]
    if not dates or not all(_ISO_START.fullmatch(cell) for cell in dates):
        return None
    through = None if dimensions.through is None else dimensions.through.isoformat()
    monthly = columnar_sql.Monthly(position, through)
    return Request(dimensions.monthly, monthly, dimensions.daily(), dimensions.through)


def scanned(
    fetch: Callable[[str], pd.DataFrame], scan: columnar_sql.Scan, monthly: columnar_sql.Monthly
) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The day groups and the month rows from one scan; None when the file needs each row looked
    at for a summary (a name column, a label or date anywhere that could make a row one), a typed
    metric is not plain everywhere, or the day keys are not all ISO: the caller then groups by day
    and dimension (columnar._grouped)."""
    import duckdb

    if scan.blank_names:
        return None
    try:
        both = fetch(columnar_sql.by_labels_and_months(scan, monthly))
    except duckdb.ConversionException:
        return None
    return None if both["suspect"].any() else day_groups(both)


def day_groups(both: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The day groups and the month rows of one result; None unless every day key is ISO."""
    months = both["label_set"].to_numpy() == MONTHS
    days = both[~months].drop(columns=list(_MONTH_COLUMNS)).reset_index(drop=True)
    keys = days["k_date"]
    texts = keys.cat.categories if isinstance(keys.dtype, pd.CategoricalDtype) else keys.dropna().unique()
    if keys.isna().any() or not all(isinstance(t, str) and ISO_DAY.fullmatch(t) for t in texts):
        return None
    return days, both[months].reset_index(drop=True)


def by_month(
    request: Request | None, rows: pd.DataFrame | None, metrics: list[str], data_rows: int
) -> ByMonth | None:
    """The month rows as the review's table (None without them): values decoded, sorted by value
    and month.

    Rows dated after `through` came in a month of their own (NULL, dropped here), so that every
    value's cells were looked at for a summary word. Keyed by integers (the value's rank among
    the sorted values, the month's ordinal): grouping 120,000 rows by text and date cost ~0.3 s.
    """
    if request is None or rows is None:
        return None
    dimension, through = request.dimension, request.through
    if int(rows["n_rows"].sum()) != data_rows:
        raise columnar_frame.UnreadKey("the months do not hold the day groups' rows")
    rows = rows[rows["m_month"].notna().to_numpy()]
    codes, distinct = pd.factorize(rows["m_value"], use_na_sentinel=False)
    decoded = columnar_frame.dimension_values(pd.Series(distinct, dtype=object))
    missing = np.asarray(pd.isna(decoded), dtype=bool)
    ranks, names = pd.factorize(pd.Series(decoded[~missing], dtype=object), sort=True)
    rank_of = np.full(len(decoded), -1, dtype=np.int64)
    rank_of[~missing] = ranks
    row_ranks = rank_of[codes] if len(codes) else np.zeros(0, dtype=np.int64)
    months = rows["m_month"].to_numpy(dtype=object).astype("datetime64[M]")
    kept = row_ranks >= 0  # a value that reads as none (a null token) is in no part
    ordinals = months.astype(np.int64)[kept]
    first = int(ordinals.min()) if len(ordinals) else 0
    keys = row_ranks[kept] * (int(ordinals.max()) - first + 1 if len(ordinals) else 1) + (ordinals - first)
    order = np.argsort(keys, kind="stable")
    sums = {m: rows[m].to_numpy(dtype=np.float64, na_value=np.nan)[kept][order] for m in metrics}
    table = pd.DataFrame(
        {
            dimension: pd.array(np.asarray(names, dtype=object)[row_ranks[kept][order]], dtype="string"),
            "date": months[kept][order].astype("datetime64[ns]"),
        }
        # + 0.0: what pandas' sum of a group of one gives (-0.0 becomes 0.0, as the day rows' sum)
        | {m: values + 0.0 for m, values in sums.items()}
    )
    ordered = keys[order]
    if len(ordered) > 1 and bool((ordered[1:] == ordered[:-1]).any()):
        # Values that read alike (` A` and `A`) in one month: summed together.
        table = table.groupby([dimension, "date"], sort=True)[metrics].sum(min_count=1).reset_index()
        table[dimension] = table[dimension].astype("string")
    return ByMonth(dimension, table, through)
