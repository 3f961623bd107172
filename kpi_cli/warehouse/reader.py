"""Read an event-level or warehouse source into the canonical frame (see sources/canonical.py)."""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kpi_cli.errors import DataError
from kpi_cli.untrusted import one_line
from kpi_cli.warehouse import engines, expression
from kpi_cli.warehouse.models import EventsSource, Shape, WarehouseSource
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
    table, url = engines.open_table(spec, base_dir, os.environ if env is None else env)
    try:  # building the expression type-checks it: a struct where text belongs fails here
        aggregation = expression.aggregate(table, spec, shape, dimensions)
        # Arrow, not Ibis' own pandas conversion: the canonical frame is built column by column below.
        result = aggregation.expr.to_pyarrow()
        unknown_rows = 0
        if expression.UNKNOWN in result.column_names:
            unknown_rows = int(pc.sum(result[expression.UNKNOWN]).as_py() or 0)
        unknown: dict[str, int] = {}
        if unknown_rows:
            named = expression.unknown_events(aggregation).to_pyarrow().to_pylist()
            unknown = {_label(r["event"]): int(r["rows"]) for r in named}
    except engines.engine_errors() as exc:
        raise engines.engine_error(spec, exc, url) from None
    frame = canonical_frame(result, aggregation.dimensions, aggregation.metrics, spec.name)
    return WarehouseRead(frame, unknown, unknown_rows)


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
