"""One portable Ibis expression per source: rows -> one row per day and dimension, on the engine.

Ibis compiles the same expression to DuckDB, PostgreSQL, BigQuery and Snowflake SQL (struct field
access, `YYYYMMDD` text dates and date truncation differ per dialect; Ibis knows each), so the
aggregation runs where the data is and only the aggregated rows come back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir

from kpi_cli.errors import DataError
from kpi_cli.sources.canonical import METRICS
from kpi_cli.untrusted import excerpt
from kpi_cli.warehouse.models import (
    GROUP_DIMENSIONS,
    UNKNOWN_EVENTS,
    EventCount,
    Shape,
    TableSpec,
    distinct_column,
)

UNKNOWN = UNKNOWN_EVENTS


@dataclass(frozen=True)
class Aggregation:
    """The grouped expression and what it returns."""

    expr: ir.Table
    dimensions: list[str]
    metrics: list[str]
    event: ir.Column | None
    known_events: list[str]
    table: ir.Table


def column(table: ir.Table, name: str, source: str) -> ir.Column:
    """A column, or a field of a STRUCT column when the name is dotted (`ecommerce.purchase_revenue`)."""
    head, *fields = name.split(".")
    if head not in table.columns:
        raise DataError(f"source '{source}': the table has no column {excerpt(head)} (has {_listing(table)})")
    value: Any = table[head]
    for field in fields:
        kind = value.type()
        if not kind.is_struct() or field not in kind.names:
            raise DataError(f"source '{source}': {excerpt(name)} names no field of a STRUCT column")
        value = value[field]
    result: ir.Column = value
    return result


def _listing(table: ir.Table, limit: int = 12) -> str:
    names = list(table.columns)
    shown = ", ".join(excerpt(n, 30) for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _day(value: ir.Column, spec: TableSpec) -> ir.Column:
    """The date column as a DATE: a timestamp loses its time, text is parsed with `date_format`."""
    kind = value.type()
    if kind.is_date():
        return value
    if kind.is_timestamp():
        return value.date()
    if kind.is_integer() and spec.date_format:  # 20261101 stored as a number
        return value.cast("string").as_date(spec.date_format)
    if kind.is_string():
        return value.as_date(spec.date_format) if spec.date_format else value.cast("date")
    raise DataError(f"source '{spec.name}': the date column is {kind}, not a date, timestamp or text")


def _outside(event: ir.Column, known: list[str]) -> ir.BooleanValue:
    """True for an event value not in `known`, NULL included (SQL's `NULL IN (...)` is NULL)."""
    inside: ir.BooleanValue = event.isin(known).fill_null(False)
    return ~inside


def _where(spec: TableSpec, table: ir.Table, canonical: str) -> str | None:
    """The table column behind a canonical name: `columns:` first, else the same name."""
    if canonical in spec.columns:
        return spec.columns[canonical]
    return canonical if canonical in table.columns else None


def aggregate(
    table: ir.Table, spec: TableSpec, shape: Shape, dimensions: Collection[str] | None = None
) -> Aggregation:
    """Group by day and the dimensions present (only those in `dimensions` when given: the review's
    grain; grouping by an unused campaign id multiplies the rows that come back)."""
    date_column = _where(spec, table, "date")
    if date_column is None:
        raise DataError(f"source '{spec.name}': no `date` column (map one with `columns: {{date: ...}}`)")
    keys: dict[str, ir.Value] = {"date": _day(column(table, date_column, spec.name), spec)}
    grouped_by = []
    for dimension in GROUP_DIMENSIONS:
        name = _where(spec, table, dimension)
        if name is not None and (dimensions is None or dimension in dimensions):
            value = column(table, name, spec.name)
            if value.type().is_nested():  # DuckDB would print a STRUCT as text, BigQuery refuse it
                raise DataError(
                    f"source '{spec.name}': {excerpt(name)} ({dimension}) is a {value.type()}, not text"
                )
            keys[dimension] = value.cast("string")
            grouped_by.append(dimension)

    measures: dict[str, ir.Scalar] = {}
    event: ir.Column | None = None
    known: list[str] = []
    if shape is Shape.EVENTS:
        event = column(table, spec.event_column, spec.name).cast("string")
        counts = spec.event_counts()
        known = sorted(counts)
        measures.update(_event_measures(table, event, counts, spec.name))
        measures[UNKNOWN] = table.count(where=_outside(event, known)).cast("float64")
    for metric in METRICS:
        name = _where(spec, table, metric)
        if name is None:
            continue
        if metric in measures:
            raise DataError(f"source '{spec.name}': '{metric}' is both counted from events and a column")
        value = column(table, name, spec.name)
        if value.type().is_string():
            # A CSV with no rows, or only blank cells, sniffs as text: the engine converts, and a
            # cell that is not a number fails the query with the engine's message (a DataError).
            value = value.cast("float64")
        elif not value.type().is_numeric():
            raise DataError(f"source '{spec.name}': column {excerpt(name)} ({metric}) is not numeric")
        measures[metric] = value.sum().cast("float64")

    metrics = [m for m in METRICS if m in measures]
    expr = table.group_by(**keys).aggregate(**measures)
    return Aggregation(expr, grouped_by, metrics, event, known, table)


def _event_measures(
    table: ir.Table, event: ir.Column, counts: dict[str, EventCount], source: str
) -> dict[str, ir.Scalar]:
    """Per metric: the rows (or distinct values of a column) of the events that feed it.

    Two events may feed one metric; counted as distinct contacts, a contact who did both counts once.
    """
    by_metric: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for value, target in counts.items():
        by_metric[target.metric][target.count].append(value)
    measures: dict[str, ir.Scalar] = {}
    for metric, ways in by_metric.items():
        parts: list[ir.Scalar] = []
        for count, values in ways.items():
            chosen = event.isin(values)
            distinct = distinct_column(count)
            if distinct is None:
                parts.append(table.count(where=chosen))
            else:
                parts.append(column(table, distinct, source).nunique(where=chosen))
        total = parts[0]
        for part in parts[1:]:
            total = total + part
        measures[metric] = total.cast("float64")
    return measures


def unknown_events(aggregation: Aggregation, limit: int = 20) -> ir.Table:
    """The event values outside the `events:` map (NULL included), most frequent first."""
    assert aggregation.event is not None
    table, event = aggregation.table, aggregation.event
    unknown = table.filter(_outside(event, aggregation.known_events))
    grouped = unknown.group_by(event=event).aggregate(rows=unknown.count())
    return grouped.order_by([ibis.desc("rows"), "event"]).limit(limit)
