"""The canonical frame from the columnar path's groups (columnar.py): keys read by kpi's own parsers.

DuckDB returns one row per raw key (date cell, report-end cell, each dimension cell as written);
here each distinct cell is decoded once by the pandas reader's parsers, and groups whose keys read
alike (`2026-01-01` and `2026/1/1`, a candidate key) are summed again. A `--by campaign` read has
~900,000 groups but 365 dates and 10,000 names, so everything per row works on integer codes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kpi_cli.lazy_pandas import np, pd
from kpi_cli.sources.canonical import DATE_END
from kpi_cli.sources.dates import dates_from_text
from kpi_cli.sources.values import as_text, null_cells

if TYPE_CHECKING:
    import pyarrow as pa

KEY_PREFIX = "k_"  # the key columns of the grouped scan (columnar_sql._keys)


class UnreadKey(Exception):
    """A key cell only the pandas reader reads or names (columnar.py hands the file back)."""


@dataclass(frozen=True)
class _Decoded:
    """A key column decoded: the distinct cells' values, each row's code into them, and ranks.

    `ranks[code]` is the value's place among the distinct decoded values: equal values share a
    rank and a missing value ranks last, as pandas' sort and duplicate checks see them, so the
    ranks alone decide the order and the duplicates of the groups.
    """

    values: np.ndarray  # per distinct cell
    codes: np.ndarray  # per row
    ranks: np.ndarray  # per distinct cell
    distinct: int  # ranks run from 0 to distinct - 1

    def rows(self) -> np.ndarray:
        values: np.ndarray = self.values[self.codes]
        return values


def fetched(table: pa.Table) -> pd.DataFrame:
    """The scan's Arrow result as pandas, key columns as categoricals (dictionary-encoded in Arrow).

    A key repeats across groups (365 dates, 10,000 names over ~900,000 groups): encoded in Arrow,
    each distinct cell becomes one Python string, not each row's (`.df()` cost 0.4 s more CPU
    on that read).
    """
    import pyarrow as pa  # here: the columnar path imports this module before its scan starts

    for index, name in enumerate(table.column_names):
        column = table.column(index)
        if name.startswith(KEY_PREFIX) and pa.types.is_string(column.type):
            table = table.set_column(index, name, column.dictionary_encode())
    frame: pd.DataFrame = table.to_pandas()
    return frame


def canonical(data: pd.DataFrame, date_end: bool, grain: list[str], metrics: list[str]) -> pd.DataFrame:
    """The canonical frame: one row per date (x report end) x dimension values, sorted by them.

    When no two groups' keys read alike (a daily export grouped by campaign), the rows are only
    put in order, by their keys' ranks, and each column is taken from its distinct values: no
    per-row string work, and no groupby (it cost three times the sort).
    """
    dates = _decoded(data["k_date"], _dates)
    keys: dict[str, _Decoded] = {"date": dates}
    if date_end:
        ends = _decoded(data["k_end"], _date_ends)
        end_rows = ends.rows()
        filled: Any = np.where(np.isnat(end_rows), dates.rows(), end_rows)
        if (pd.Series(dates.rows()).dt.to_period("M") != pd.Series(filled).dt.to_period("M")).any():
            raise UnreadKey("rows across months (spans.placed names the first)")
        keys[DATE_END] = _ranked(filled, np.arange(len(filled)))
    for dimension in grain:
        keys[dimension] = _decoded(data[f"k_{dimension}"], _dimension)
    order = _order(list(keys.values()))
    if order is not None:
        columns: dict[str, Any] = {"date": dates.values[dates.codes[order]]}
        if date_end:
            columns[DATE_END] = keys[DATE_END].rows()[order]
        for dimension in grain:
            key = keys[dimension]
            columns[dimension] = _as_assigned(key.values).take(key.codes[order])
        for metric in metrics:
            columns[metric] = data[metric].to_numpy(dtype=np.float64, na_value=np.nan)[order]
        return pd.DataFrame(columns)
    rows = pd.DataFrame(
        {name: key.rows() for name, key in keys.items()}
        | {m: data[m].to_numpy(dtype=np.float64, na_value=np.nan) for m in metrics}
    )
    summed = rows.groupby(list(keys), dropna=False, sort=True)[metrics].sum(min_count=1).reset_index()
    for dimension in grain:  # groupby turns the dimensions' missing values into NaN
        summed[dimension] = summed[dimension].astype("string").to_numpy()
    return summed


def _order(keys: list[_Decoded]) -> np.ndarray | None:
    """The rows in the order of their keys' ranks; None when two rows' keys read alike."""
    sizes = [max(k.distinct, 1) for k in keys]
    if np.prod(np.array(sizes, dtype=np.float64)) >= 2.0**62:  # not one int64: let pandas decide
        return None
    combined = np.ravel_multi_index([k.ranks[k.codes] for k in keys], sizes)
    order = np.argsort(combined, kind="stable")
    ordered = combined[order]
    return None if bool((ordered[1:] == ordered[:-1]).any()) else order


def _as_assigned(values: np.ndarray) -> Any:
    """The dimension's distinct values as the array pandas makes of them when they are assigned
    to a frame column (the groupby path's last step), so that both paths give the same dtype."""
    holder = pd.DataFrame(index=pd.RangeIndex(len(values)))
    holder["values"] = values
    return holder["values"].array


def _decoded(raw: pd.Series, decode: Callable[[pd.Series], np.ndarray]) -> _Decoded:
    """`decode(raw)`, computed on the distinct cells (a missing cell is one of them), with ranks."""
    if isinstance(raw.dtype, pd.CategoricalDtype):
        # Only the cells these rows hold: a skipped row's key (a `Total` date) is never decoded.
        codes, used = pd.factorize(raw.cat.codes.to_numpy(dtype=np.int64))
        categories = raw.cat.categories.to_numpy(dtype=object)
        distinct = pd.Series([categories[c] if c >= 0 else None for c in used], dtype=object)
    else:
        codes, uniques = pd.factorize(raw, use_na_sentinel=False)
        distinct = pd.Series(uniques, dtype=object)
    return _ranked(decode(distinct), codes)


def _ranked(values: np.ndarray, codes: np.ndarray) -> _Decoded:
    """Each value's rank in sorted order (equal values alike, missing last), as pandas sorts them."""
    missing = np.asarray(pd.isna(values), dtype=bool)
    places, uniques = pd.factorize(pd.Series(values[~missing], dtype=values.dtype), sort=True)
    ranks = np.full(len(values), len(uniques), dtype=np.int64)
    ranks[~missing] = places
    return _Decoded(values, codes, ranks, len(uniques) + int(missing.any()))


def dimension_values(raw: pd.Series) -> np.ndarray:
    """Dimension cells as the day rows hold them (columnar_months reads a month's values so)."""
    return _dimension(raw)


def _dimension(raw: pd.Series) -> np.ndarray:
    """Dimension cells as the pandas reader keeps them: stripped, a null token missing."""
    text = as_text(raw.fillna(""))
    values: np.ndarray = (
        pd.Series(text.astype(object), dtype=object).mask(null_cells(text)).astype("string").to_numpy()
    )
    return values


def _date_ends(raw: pd.Series) -> np.ndarray:
    return _dates(raw, allow_missing=True)


def _dates(raw: pd.Series, *, allow_missing: bool = False) -> np.ndarray:
    values, bad = dates_from_text(as_text(raw.fillna("")))
    if bad.any() or (not allow_missing and np.isnat(values).any()):
        raise UnreadKey("an unreadable or missing date")
    return values
