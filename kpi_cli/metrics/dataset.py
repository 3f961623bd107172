"""The canonical rows of every source, cut at --as-of, and the sums the rules read from them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kpi_cli.lazy_pandas import np, pd
from kpi_cli.metrics import periods
from kpi_cli.metrics.estimates import estimated_shares
from kpi_cli.metrics.formulas import Catalog
from kpi_cli.metrics.history import History
from kpi_cli.metrics.split_sums import SplitSums, ragged
from kpi_cli.sources.canonical import METRICS
from kpi_cli.sources.grain import ByMonth
from kpi_cli.spans import ESTIMATED

_ROWS = "rows"  # the cache key of a lazily taken part's rows


@dataclass(frozen=True)
class _Block:
    """A part's monthly sums as the split computed them: one float array, its months, its columns."""

    values: np.ndarray
    index: pd.PeriodIndex
    columns: list[str]
    # The index's ordinals and frequency, read once per index and shared by the blocks starting
    # in the same month: `PeriodIndex.asi8` costs ~2 us a call, and every view of a `--by` split
    # asks its block for a trail.
    ordinals: np.ndarray = field(repr=False, compare=False)
    freq: Any = field(repr=False, compare=False)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.values, index=self.index, columns=self.columns)

    def column(self, metric: str) -> pd.Series:
        """`frame()[metric]`, NaN throughout when the metric is no column (as Catalog.compute)."""
        if metric not in self.columns:
            return pd.Series(np.nan, index=self.index)
        return pd.Series(self.values[:, self.columns.index(metric)], index=self.index, name=metric)

    def trail(self, metric: str) -> History:
        """`column(metric)` as arrays, its Series built only if something reads it."""
        index = self.index
        if metric not in self.columns:
            return History(np.full(len(index), np.nan), self.ordinals, self.freq, index=index)
        values = self.values[:, self.columns.index(metric)]
        return History(values, self.ordinals, self.freq, index=index, name=metric)


@dataclass(frozen=True)
class Dataset:
    # The rows, or how to take them: a part of a split (one campaign of 10,000) takes its rows only
    # when something reads them; its monthly sums, which most rules read, come precomputed.
    _rows: pd.DataFrame | Callable[[], pd.DataFrame]
    catalog: Catalog
    as_of: date
    _cache: dict[object, pd.DataFrame] = field(default_factory=dict, compare=False, repr=False)
    _split_cache: dict[object, dict[str, Dataset]] = field(default_factory=dict, compare=False, repr=False)
    _blocks: dict[str, _Block] = field(default_factory=dict, compare=False, repr=False)
    # Each split's monthly sums of all its parts in one array, when built from arrays (split_sums).
    _split_sums: dict[str, SplitSums] = field(default_factory=dict, compare=False, repr=False)
    _values: dict[str, list[str]] = field(default_factory=dict, compare=False, repr=False)
    # False when no row is a prorated estimate (kpi_cli.spans): the parts of a `--by` split then
    # answer `estimated_share` without taking their rows.
    may_estimate: bool = field(default=True, compare=False)
    # A `--by` dimension's monthly sums read beside rows that leave it out (sources/grain.py): its
    # split is made from these, and its parts have monthly sums and no rows.
    by_month: ByMonth | None = field(default=None, compare=False, repr=False)

    @classmethod
    def build(
        cls, frame: pd.DataFrame, catalog: Catalog, as_of: date, by_month: ByMonth | None = None
    ) -> Dataset:
        """Rows dated after as_of are dropped so that a run with a given --as-of is reproducible.

        `by_month` was summed through the review's as_of when it was given (its `through`), else
        over every row, the review then being as of the newest: the same rows either way.
        """
        kept = frame[frame["date"] <= pd.Timestamp(as_of)] if len(frame) else frame
        estimates = ESTIMATED in kept.columns and bool(kept[ESTIMATED].eq(True).any())
        if by_month is not None and (
            estimates or (by_month.through != as_of if by_month.through else len(kept) != len(frame))
        ):
            raise RuntimeError("monthly sums read through another day than the review's as-of")
        return cls(kept.reset_index(drop=True), catalog, as_of, may_estimate=estimates, by_month=by_month)

    @property
    def frame(self) -> pd.DataFrame:
        rows = self._rows
        if isinstance(rows, pd.DataFrame):
            return rows
        if _ROWS not in self._cache:
            self._cache[_ROWS] = rows()
        return self._cache[_ROWS]

    def matching(self, where: Mapping[Any, str | list[str]]) -> Dataset:
        """Only the rows whose dimensions take the given values (a KPI read from one source, say).

        Without `by_month`: a review reads a dimension by month only when no `where:` is set
        (review.months_suffice)."""
        if not where:
            return self
        keep = pd.Series(True, index=self.frame.index)
        for dimension, wanted in where.items():
            values = [wanted] if isinstance(wanted, str) else wanted
            column = (
                self.frame[dimension]
                if dimension in self.frame.columns
                else pd.Series(pd.NA, index=keep.index)
            )
            keep &= column.isin(values).fillna(False).astype(bool)
        return Dataset(self.frame[keep], self.catalog, self.as_of, may_estimate=self.may_estimate)

    def split(self, dimension: str) -> dict[str, Dataset]:
        """One Dataset per value of the dimension, from one grouped pass over the rows.

        Filtering the whole frame once per value cost rows x values (10,000 campaigns on 1M rows
        did not finish in 10 minutes); grouping once and taking each value's rows costs rows +
        values. Kept per dimension, so every KPI without its own `where:` shares the split and
        each part's period sums.
        """
        key = ("split", dimension)
        if key not in self._split_cache:
            self._split_cache[key] = self._split(dimension)
        return self._split_cache[key]

    def split_sums(self, dimension: str) -> SplitSums | None:
        """The monthly sums of `split(dimension)`'s parts side by side; None when the split summed
        them per part (columns not all floats)."""
        self.split(dimension)
        return self._split_sums.get(dimension)

    def _split(self, dimension: str) -> dict[str, Dataset]:
        if self.by_month is not None and self.by_month.dimension == dimension:
            return self._split_rows(self.by_month.table, dimension, by_month=True)
        if dimension not in self.frame.columns or self.frame.empty:
            return {}
        return self._split_rows(self.frame, dimension, by_month=False)

    def _split_rows(self, frame: pd.DataFrame, dimension: str, *, by_month: bool) -> dict[str, Dataset]:
        """Split `frame`: the rows (each part takes its own on first use), or the dimension's
        monthly sums (a part then has its sums and no rows: summing a month's one row per value
        again gives its sum to the bit)."""
        if frame.empty:
            return {}
        column = frame[dimension].astype("string")
        # Each row's value as a code (values sorted; -1 for none), once for the rows and the sums:
        # pandas' grouping by the text hashed the 875,000 strings of the benchmark twice.
        codes, uniques = pd.factorize(column, sort=True)
        names = [str(value) for value in np.asarray(uniques, dtype=object).tolist()]
        if by_month:
            parts = {name: self._summed_part() for name in names}
        else:
            order = np.argsort(codes, kind="stable")  # each value's rows in row order, as `indices`
            counts = np.bincount(codes[codes >= 0], minlength=len(names))
            unnamed = len(codes) - int(counts.sum())  # rows without a value: first, left out
            rows = np.split(order[unnamed:], np.cumsum(counts)[:-1]) if names else []
            parts = {name: self._part(taken) for name, taken in zip(names, rows, strict=True)}
        self._monthly_sums_of(frame, dimension, parts, column, codes, names)
        return parts

    def _part(self, rows: np.ndarray) -> Dataset:
        """The rows at these positions, taken on first use: taking 10,000 parts' rows up front cost
        33 s of a 200,000-row `--by campaign` run whose rules read only the monthly sums."""
        frame = self.frame
        return Dataset(
            lambda: frame.take(rows).reset_index(drop=True),
            self.catalog,
            self.as_of,
            may_estimate=self.may_estimate,
        )

    def _summed_part(self) -> Dataset:
        """A part known by its monthly sums only (`by_month`): nothing may read its rows."""
        return Dataset(_no_day_rows, self.catalog, self.as_of, may_estimate=False)

    def _monthly_sums_of(
        self,
        frame: pd.DataFrame,
        dimension: str,
        parts: dict[str, Dataset],
        column: pd.Series,
        codes: np.ndarray,
        names: list[str],
    ) -> None:
        """Every part's monthly sums (the KGI and most KPIs read them) from one grouped sum, the
        same figures `_sums` gives each part alone: a groupby per part cost ~2 ms, 20 s for 10,000.

        Grouped by one integer per row (the value's code and the month), not by the text and a
        PeriodIndex: pandas sums each group's rows in row order either way, so the sums are the
        same to the bit, without hashing the text again or building a MultiIndex (~0.3 s of 1M rows)."""
        metrics = [m for m in METRICS if m in frame.columns]
        freq = periods.FREQ["month"]
        months = _month_ordinals(frame["date"])
        end = periods.period_of(self.as_of, "month")
        named = (codes >= 0) & (months != _NO_MONTH)  # a row without a date is in no month's sum
        if not metrics or not named.any() or any(frame[m].dtype != np.float64 for m in metrics):
            self._monthly_sums_by_text(parts, column, frame)
            return
        first = int(months[named].min())
        span = int(months[named].max()) - first + 1
        keys = np.where(named, codes.astype(np.int64) * span + (months - first), -1)
        grouped = frame[metrics].groupby(keys, sort=True).sum(min_count=1)
        kept = grouped.index.to_numpy() >= 0  # the rows without a value summed apart, dropped
        keys_of_row, rows = grouped.index.to_numpy()[kept], grouped.to_numpy()[kept]
        # The same frames as `_monthly_sums_by_text` builds, from arrays: per part, pandas'
        # droplevel and reindex cost ~1 ms, 10 s for 10,000 campaigns. Rows come sorted by value,
        # then month, and are scattered into one ragged array (split_sums). Each part keeps its
        # block of sums, a slice of it (a DataFrame is built only if something asks for one:
        # 10,000 of them cost ~1 s, and most rules read one column through `series`).
        code_of_row, month_of_row = keys_of_row // span, keys_of_row % span + first
        every = pd.period_range(periods.of_ordinal(min(first, end.ordinal), freq), end, freq=freq)
        flat, present, starts, offsets = ragged(
            code_of_row, month_of_row - every[0].ordinal, rows, len(every)
        )
        positions = {names[code]: position for position, code in enumerate(present.tolist())}
        sums = self._split_sums[dimension] = SplitSums(flat, metrics, every, starts, offsets, positions)
        ends = offsets.tolist()
        for (name, position), at in zip(positions.items(), starts.tolist(), strict=True):
            index, ordinals = sums.months_from(at)
            block = flat[ends[position] : ends[position + 1]]
            parts[name]._blocks["month"] = _Block(block, index, metrics, ordinals, every.freq)

    def _monthly_sums_by_text(
        self, parts: dict[str, Dataset], column: pd.Series, frame: pd.DataFrame | None = None
    ) -> None:
        """The monthly sums as frames, grouped by the text and the month (columns not all floats)."""
        frame = self.frame if frame is None else frame
        metrics = [m for m in METRICS if m in frame.columns]
        freq = periods.FREQ["month"]
        months = frame["date"].dt.to_period(freq)
        grouped = frame[metrics].groupby([column, months], sort=True, observed=True).sum(min_count=1)
        end = periods.period_of(self.as_of, "month")
        for value, block in grouped.groupby(level=0, sort=False):
            sums = block.droplevel(0)
            full = pd.period_range(min(sums.index.min(), end), end, freq=freq)
            parts[str(value)]._cache["month"] = sums.reindex(full)

    def empty(self) -> Dataset:
        """No rows, same columns: the part for a value a KPI lists but the data never shows."""
        return Dataset(self.frame.iloc[:0], self.catalog, self.as_of, may_estimate=False)

    def values(self, dimension: str) -> list[str]:
        """The dimension's values, sorted; kept, since every KPI of a `--by` review asks (1M rows each)."""
        by_month = self.by_month
        rows = by_month.table if by_month is not None and by_month.dimension == dimension else self.frame
        if dimension not in rows.columns:
            return []
        if dimension not in self._values:
            self._values[dimension] = sorted(str(v) for v in rows[dimension].dropna().unique())
        return list(self._values[dimension])

    def sums(self, period: str) -> pd.DataFrame:
        """Canonical columns summed per period, from the first period with data to as_of's period.

        `min_count=1` keeps a period where a metric was never measured as NaN instead of 0.
        """
        if period not in self._cache:
            block = self._block(period)
            self._cache[period] = block.frame() if block is not None else self._sums(period)
        return self._cache[period]

    def _block(self, period: str) -> _Block | None:
        """A part's sums per period as the split left them (monthly only; None elsewhere)."""
        return self._blocks.get(period)

    def _sums(self, period: str) -> pd.DataFrame:
        metrics = [m for m in METRICS if m in self.frame.columns]
        end = periods.period_of(self.as_of, period)
        if self.frame.empty:
            return pd.DataFrame(columns=metrics, index=pd.PeriodIndex([end], freq=periods.FREQ[period]))
        keys = self.frame["date"].dt.to_period(periods.FREQ[period])
        sums = self.frame[metrics].groupby(keys).sum(min_count=1)
        full = pd.period_range(min(sums.index.min(), end), end, freq=periods.FREQ[period])
        return sums.reindex(full)

    def series(self, metric: str, period: str) -> pd.Series:
        """The metric per period (derived metrics computed on the period's sums)."""
        block = self._block(period)
        if block is not None and period not in self._cache and metric not in self.catalog.formulas:
            return block.column(metric)  # what compute would take from sums(period), without the frame
        return self.catalog.compute(metric, self.sums(period))

    def trail(self, metric: str, period: str) -> History:
        """`series(metric, period)` as a History: a part of a `--by` split builds no Series for it."""
        block = self._block(period)
        if block is not None and period not in self._cache and metric not in self.catalog.formulas:
            return block.trail(metric)
        return History.of_series(self.catalog.compute(metric, self.sums(period)))

    def total(self, metric: str, start: date, end: date) -> float:
        """The metric over the days start..end (inclusive), NaN where nothing was measured."""
        inside = self.frame[
            (self.frame["date"] >= pd.Timestamp(start)) & (self.frame["date"] <= pd.Timestamp(end))
        ]
        columns = [c for c in self.catalog.columns(metric) if c in inside.columns]
        sums = inside[columns].sum(min_count=1).to_frame().T
        value = self.catalog.compute(metric, sums).iloc[0] if len(sums) else np.nan
        return float(value)

    def estimated_share(self, metric: str, period: str, key: pd.Period) -> float | None:
        """The share of the metric's period figure that comes from prorated rows, None if none does."""
        if not self.may_estimate:
            return None
        cache_key = ("estimated", metric, period)
        if cache_key not in self._cache:
            keys = self.frame["date"].dt.to_period(periods.FREQ[period])
            self._cache[cache_key] = estimated_shares(self.frame, self._inputs(metric), keys).to_frame()
        value = self._cache[cache_key].iloc[:, 0].get(key)
        return None if value is None or pd.isna(value) else float(value)

    def estimated_share_between(self, metric: str, start: date, end: date) -> float | None:
        """The same over the days start..end (a cumulative KPI, the KGI)."""
        if not self.may_estimate:
            return None
        dates = self.frame["date"]
        inside = self.frame[(dates >= pd.Timestamp(start)) & (dates <= pd.Timestamp(end))]
        keys = pd.Series(0, index=inside.index)
        value = estimated_shares(inside, self._inputs(metric), keys).get(0)
        return None if value is None or pd.isna(value) else float(value)

    def _inputs(self, metric: str) -> list[str]:
        return sorted(c for c in self.catalog.columns(metric) if c in self.frame.columns)

    def has_metric(self, metric: str) -> bool:
        return all(
            c in self.frame.columns and self.frame[c].notna().any() for c in self.catalog.columns(metric)
        )


def _no_day_rows() -> pd.DataFrame:
    raise RuntimeError("a part summed by month was asked for its rows (review.months_suffice)")


_NO_MONTH = -(2**63)  # np.iinfo(np.int64).min, NaT's ordinal as numpy and pandas give it


def _month_ordinals(dates: pd.Series) -> np.ndarray:
    """Each date's month as a monthly Period's ordinal (months since January 1970)."""
    if dates.dtype == "datetime64[ns]":  # numpy's month unit counts the same months, without Periods
        return dates.to_numpy().astype("datetime64[M]").astype(np.int64)
    return np.asarray(dates.dt.to_period(periods.FREQ["month"]).array.asi8, dtype=np.int64)
