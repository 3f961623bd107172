"""Event-level and warehouse (`type: sql`) sources, aggregated on their own engine.

Importing this package is cheap: `models` needs only pydantic. `read`/`read_source` import DuckDB
and Ibis on first call, so `kpi --help` and `kpi validate` stay free of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

# The config package first: its models validate these sources, and these models build on its `Days`;
# entering through here without it would import config.models while this package's are half-made.
import kpi_cli.config  # noqa: F401  (isort: keep first)
from kpi_cli.warehouse.models import EventCount, EventsSource, Shape, Template, WarehouseSource

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping

    import pandas as pd

    from kpi_cli.warehouse.reader import WarehouseRead

__all__ = ["EventCount", "EventsSource", "Shape", "Template", "WarehouseSource", "read", "read_source"]


def read_source(
    spec: EventsSource | WarehouseSource,
    base_dir: Path,
    env: Mapping[str, str] | None = None,
    dimensions: Collection[str] | None = None,
) -> WarehouseRead:
    """The canonical frame and the unknown-event report; see `reader.read_source`."""
    from kpi_cli.warehouse import reader

    return reader.read_source(spec, base_dir, env, dimensions)


def read(
    spec: EventsSource | WarehouseSource,
    base_dir: Path,
    env: Mapping[str, str] | None = None,
    dimensions: Collection[str] | None = None,
) -> pd.DataFrame:
    """The canonical frame alone: one row per day and dimension, metrics as floats."""
    from kpi_cli.warehouse import reader

    return reader.read(spec, base_dir, env, dimensions)
