"""An event-level or `type: sql` source as one `Export`, so ingest, freshness and verify treat it
like any file export (source tags, newest date, missing-column messages)."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from kpi_cli.sources.export import Export
from kpi_cli.warehouse.models import EventsSource, Shape, WarehouseSource
from kpi_cli.warehouse.reader import read_source

# The names of the unknown event values a note lists (the reader keeps the 20 most frequent).
_NOTE_VALUES = 5


def table_export(
    spec: EventsSource | WarehouseSource, base_dir: Path, dimensions: Collection[str] | None
) -> tuple[Export, list[str]]:
    """The aggregated frame as an Export, and a note for event values the `events:` map leaves out."""
    read = read_source(spec, base_dir, dimensions=dimensions)
    shape = Shape.EVENTS if isinstance(spec, EventsSource) else spec.platform
    export = Export(
        path=_where(spec, base_dir),
        platform=shape.value if isinstance(spec, EventsSource) else f"sql/{shape.value}",
        encoding="",
        delimiter="",
        frame=read.frame,
        data_rows=len(read.frame),
    )
    notes = []
    if read.unknown_rows:
        named = ", ".join(
            f"{value} ({rows:,})" for value, rows in list(read.unknown_events.items())[:_NOTE_VALUES]
        )
        notes.append(
            f"source '{spec.name}': {read.unknown_rows:,} event row(s) whose value the `events:` map "
            f"does not name are not counted: {named}"
        )
    return export, notes


def _where(spec: EventsSource | WarehouseSource, base_dir: Path) -> Path:
    """The files, or (never the URL: it holds the password) the variable and table it was read from."""
    if spec.path is not None:
        return base_dir / spec.path
    assert isinstance(spec, WarehouseSource)
    return Path(f"${spec.url_env}") / (spec.table or f"template {spec.template}")
