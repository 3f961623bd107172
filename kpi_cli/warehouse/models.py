"""The YAML keys of event-level and warehouse sources, as validated models.

Only pydantic is imported here: the config loader validates these models for `kpi validate` and
`kpi --help` must stay free of DuckDB and Ibis, which `warehouse.reader` imports on first use.

Both kinds describe a table whose rows map into the canonical vocabulary (canonical.py):

- `platform: events`: one row per event; each `events:` value names the canonical metric that
  counts its rows (or its distinct contacts), and numeric columns named like canonical metrics
  (`revenue`, `cost`) are summed.
- `platform: generic` (warehouse sources only): the table already has one column per canonical
  metric, summed.

Either way the engine aggregates to one row per day and dimension before anything reaches pandas.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from kpi_cli.config.base import Days
from kpi_cli.sources.canonical import METRICS

# Grouping by `contact` would return one row per contact and day: the opposite of aggregating.
GROUP_DIMENSIONS = ("campaign", "channel", "segment")
# The result column counting the rows whose event value the `events:` map does not name, counted in
# the same scan so that a second query (naming them) runs only when there are some.
UNKNOWN_EVENTS = "__kpi_unknown_events"
_COUNT = re.compile(r"^\s*(rows|distinct\s+(?P<column>\S+))\s*$")
# An env variable name: the URL itself (with its password) must never be written in the YAML.
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Shape(StrEnum):
    """How a table's rows become canonical metrics."""

    EVENTS = "events"
    GENERIC = "generic"


class Template(StrEnum):
    """Ready-made specifications for well-known warehouse schemas (see templates.py)."""

    GA4 = "ga4"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _count(value: object) -> object:
    """`rows` or `distinct COLUMN`, normalised to single spaces."""
    if isinstance(value, str):
        match = _COUNT.match(value)
        if not match:
            raise ValueError(f"count must be 'rows' or 'distinct COLUMN', not {value!r}")
        return f"distinct {match.group('column')}" if match.group("column") else "rows"
    return value


def distinct_column(count: str) -> str | None:
    """The column whose distinct values a `count` counts; None when it counts rows."""
    return count.split(" ", 1)[1] if count.startswith("distinct ") else None


CountSpec = Annotated[str, BeforeValidator(_count)]


def _metric(name: str) -> str:
    if name not in METRICS:
        raise ValueError(f"'{name}' is not a canonical metric")
    return name


class EventCount(Strict):
    """`lead: {metric: leads, count: distinct contact_id}`: one event's own way of counting."""

    metric: str
    count: CountSpec = "rows"

    @field_validator("metric")
    @classmethod
    def _canonical(cls, metric: str) -> str:
        return _metric(metric)


class TableSpec(Strict):
    """The keys shared by file-backed event sources and warehouse sources."""

    name: str
    # canonical name -> column in the table; a dotted name reads a STRUCT field (`ecommerce.purchase_revenue`).
    columns: dict[str, str] = Field(default_factory=dict)
    # strptime format for a date column stored as text (GA4's `event_date` is `%Y%m%d`).
    date_format: str | None = None
    event_column: str = "event"
    events: dict[str, str | EventCount] = Field(default_factory=dict)
    # Default counting for every event: `rows`, or `distinct contact_id` to count contacts.
    count: CountSpec = "rows"
    segment: str | None = None
    channel: str | None = None
    campaign: str | None = None
    max_age: Days | None = None

    @field_validator("columns")
    @classmethod
    def _canonical_keys(cls, columns: dict[str, str]) -> dict[str, str]:
        known = {"date", *GROUP_DIMENSIONS, *METRICS}
        for key in columns:
            if key not in known:
                raise ValueError(f"columns: '{key}' is neither 'date', a dimension nor a canonical metric")
        return columns

    @field_validator("events")
    @classmethod
    def _event_metrics(cls, events: dict[str, str | EventCount]) -> dict[str, str | EventCount]:
        for target in events.values():
            if isinstance(target, str):
                _metric(target)
        return events

    def event_counts(self) -> dict[str, EventCount]:
        """Each event value with its metric and its way of counting (the source's `count` by default)."""
        return {
            value: target if isinstance(target, EventCount) else EventCount(metric=target, count=self.count)
            for value, target in self.events.items()
        }


class EventsSource(TableSpec):
    """`platform: events` over CSV or Parquet files (a glob relative to the config)."""

    path: str
    platform: Literal[Shape.EVENTS]

    @model_validator(mode="after")
    def _has_events(self) -> EventsSource:
        if not self.events:
            raise ValueError("platform: events needs an `events:` map (event value -> canonical metric)")
        return self


class WarehouseSource(TableSpec):
    """`type: sql`: a table aggregated by its own engine.

    `url_env` names the environment variable holding the connection URL (`postgresql://...`,
    `duckdb:///file.duckdb`, `bigquery://project/dataset`, `snowflake://...`); without it the
    table is read by an embedded DuckDB from `path` (a `.duckdb` file, or Parquet/CSV files).
    """

    type: Literal["sql"]
    platform: Shape = Shape.GENERIC
    url_env: str | None = None
    path: str | None = None
    table: str | None = None
    # A schema/dataset qualifying `table` (`analytics_123456` in BigQuery).
    database: str | None = None
    template: Template | None = None

    @field_validator("url_env")
    @classmethod
    def _env_name(cls, value: str | None) -> str | None:
        if value is not None and not _ENV_NAME.match(value):
            raise ValueError("url_env names an environment variable (KPI_WAREHOUSE_URL), not a URL")
        return value

    @model_validator(mode="after")
    def _where_from(self) -> WarehouseSource:
        if (self.url_env is None) == (self.path is None):
            raise ValueError("a `type: sql` source needs exactly one of `url_env` or `path`")
        if self.url_env is not None and self.table is None and self.template is None:
            raise ValueError("a `type: sql` source with `url_env` needs a `table`")
        if self.platform is Shape.EVENTS and not self.events and self.template is None:
            raise ValueError("platform: events needs an `events:` map (event value -> canonical metric)")
        return self
