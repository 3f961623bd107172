"""Read an event-level or warehouse source into the canonical frame (see sources/canonical.py)."""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from kpi_cli.errors import DataError
from kpi_cli.lazy_pandas import pd
from kpi_cli.untrusted import one_line
from kpi_cli.warehouse import engines, local_sql
from kpi_cli.warehouse.models import UNKNOWN_EVENTS, EventsSource, Shape, WarehouseSource
from kpi_cli.warehouse.templates import apply_template


@dataclass(frozen=True)
class WarehouseRead:
    """The canonical frame, and the event values the `events:` map did not name (value -> rows)."""

    frame: pd.DataFrame
    unknown_events: dict[str, int] = field(default_factory=dict)
    # How many unknown rows there were in all (the named values are the most frequent 20).
    unknown_rows: int = 0


def read_source(
    spec: EventsSource | WarehouseSource,
    base_dir: Path,
    env: Mapping[str, str] | None = None,
    dimensions: Collection[str] | None = None,
) -> WarehouseRead:
    """Aggregate the source on its engine to one row per day and dimension, then build the frame.

    `dimensions` limits the grouping to the dimensions the review uses (default: every one of
    campaign, channel, segment the table has); `env` replaces os.environ for `url_env`.
    """
    if isinstance(spec, WarehouseSource):
        spec = apply_template(spec)
    shape = Shape.EVENTS if isinstance(spec, EventsSource) else spec.platform
    local = _read_local(spec, base_dir, shape, dimensions)
    if local is not None:
        result, grouped_by, metrics, named = (
            local.result,
            local.dimensions,
            local.metrics,
            local.unknown_events,
        )
    else:
        result, grouped_by, metrics, named = _read_with_ibis(spec, base_dir, env, shape, dimensions)
    unknown_rows = _unknown_rows(result)
    unknown = {_label(r["event"]): int(r["rows"]) for r in named} if unknown_rows else {}
    frame = canonical_frame(result, grouped_by, metrics, spec.name)
    return WarehouseRead(frame, unknown, unknown_rows)


def _read_local(
    spec: EventsSource | WarehouseSource, base_dir: Path, shape: Shape, dimensions: Collection[str] | None
) -> local_sql.LocalRead | None:
    """CSV or Parquet files on this machine, through DuckDB without Ibis (None: read by Ibis)."""
    if spec.path is None or (isinstance(spec, WarehouseSource) and spec.url_env is not None):
        return None
    files = engines.local_files(spec, base_dir)
    kinds = {engines.kind_of(p) for p in files}
    return local_sql.read(spec, files, kinds.pop(), shape, dimensions) if len(kinds) == 1 else None


_Aggregated = tuple[pa.Table, list[str], list[str], list[dict[str, Any]]]


def _read_with_ibis(
    spec: EventsSource | WarehouseSource,
    base_dir: Path,
    env: Mapping[str, str] | None,
    shape: Shape,
    dimensions: Collection[str] | None,
) -> _Aggregated:
    """One portable expression compiled for the source's engine (expression.py)."""
    from kpi_cli.warehouse import expression

    table, url = engines.open_table(spec, base_dir, os.environ if env is None else env)
    try:  # building the expression type-checks it: a struct where text belongs fails here
        aggregation = expression.aggregate(table, spec, shape, dimensions)
        # Arrow, not Ibis' own pandas conversion: the canonical frame is built column by column below.
        result = aggregation.expr.to_pyarrow()
        named: list[dict[str, Any]] = []
        if _unknown_rows(result):
            named = expression.unknown_events(aggregation).to_pyarrow().to_pylist()
    except engines.engine_errors() as exc:
        raise engines.engine_error(spec, exc, url) from None
    return result, aggregation.dimensions, aggregation.metrics, named


def _unknown_rows(result: pa.Table) -> int:
    if UNKNOWN_EVENTS not in result.column_names:
        return 0
    return int(pc.sum(result[UNKNOWN_EVENTS]).as_py() or 0)


def read(
    spec: EventsSource | WarehouseSource,
    base_dir: Path,
    env: Mapping[str, str] | None = None,
    dimensions: Collection[str] | None = None,
) -> pd.DataFrame:
    """The canonical frame alone (see `read_source` for the unknown-event report)."""
    return read_source(spec, base_dir, env, dimensions).frame


def _label(value: object) -> str:
    """An event value from the data: untrusted, so cleaned and cut before anyone prints it."""
    return "(empty)" if value is None else one_line(value, 60)


def canonical_frame(result: pa.Table, dimensions: list[str], metrics: list[str], source: str) -> pd.DataFrame:
    """Typed and ordered like every other source's frame: datetime64 date, text dimensions, floats."""
    missing = result["date"].null_count
    if missing:
        raise DataError(f"source '{source}': {missing} group(s) of rows have no date")
    dates = pd.to_datetime(result["date"].to_pandas()).astype("datetime64[ns]")
    frame = pd.DataFrame({"date": dates.to_numpy()})
    for dimension in dimensions:
        frame[dimension] = result[dimension].to_pandas().astype("string").to_numpy()
    for metric in metrics:
        frame[metric] = result[metric].to_numpy().astype("float64")
    order = ["date", *dimensions]
    return frame.sort_values(order, na_position="last", kind="stable").reset_index(drop=True)
