"""Event logs and `type: sql` sources in local CSV or Parquet files, aggregated by SQL written here.

Ibis (expression.py) compiles one portable expression to each engine's SQL and stays the path for
warehouses and `.duckdb` files. For local files its import and expression building were most of
kpi's fixed cost on an event log (0.3-0.9 s of a 1,000-row file's ~1.9 s; issue 12), for a query
that is one GROUP BY in DuckDB: this module writes that query itself, clause for clause the SQL Ibis
compiles for DuckDB (the same scan options, casts, `COUNT(*) FILTER`, time zone), so the numbers
are the engine's either way; only the unknown-event count may take a cheaper exact form
(`_unknown_measure`). tests/warehouse/test_local_sql.py runs both paths on the same files.

Anything not handled here exactly as Ibis handles it - a dotted (STRUCT field) name, a column type
outside the plain ones, a missing or clashing column, an engine error - returns None, and the Ibis
path reads the source and says what is wrong in its usual words.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from kpi_cli.sources.canonical import METRICS
from kpi_cli.warehouse.engines import text_columns
from kpi_cli.warehouse.models import (
    GROUP_DIMENSIONS,
    UNKNOWN_EVENTS,
    EventCount,
    EventsSource,
    Shape,
    TableSpec,
    WarehouseSource,
    distinct_column,
)

_INTEGER = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}
_FLOAT = {"FLOAT", "DOUBLE"}
_TIMESTAMP = {"TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP WITH TIME ZONE"}
# Types cast to text as dimensions or event values; a LIST, STRUCT, MAP (Ibis refuses them with a
# message) or anything rarer goes the Ibis way.
_SCALAR = _INTEGER | _FLOAT | _TIMESTAMP | {"VARCHAR", "DATE", "BOOLEAN"}
# How many event values outside the `events:` map are named (as in expression.unknown_events).
UNKNOWN_LISTED = 20


@dataclass(frozen=True)
class LocalRead:
    """The aggregated rows (as Ibis' `to_pyarrow` returns them) and the most frequent unknown events."""

    result: pa.Table
    dimensions: list[str]
    metrics: list[str]
    unknown_events: list[dict[str, Any]]


def read(
    spec: EventsSource | WarehouseSource,
    files: list[Path],
    kind: str,
    shape: Shape,
    dimensions: Collection[str] | None,
) -> LocalRead | None:
    """The source aggregated by DuckDB, or None where the Ibis path must read it (see the module)."""
    if kind not in ("csv", "parquet"):
        return None
    connection = duckdb.connect()
    try:
        connection.execute("SET TimeZone = 'UTC'")  # as Ibis' DuckDB backend does on connect
        scan, schema = _scan(connection, spec, [str(p) for p in files], kind)
        query = _Query.plan(spec, schema, shape, dimensions)
        if query is None:
            return None
        result = _arrow(connection, query.sql(scan))
        unknown: list[dict[str, Any]] = []
        if UNKNOWN_EVENTS in result.column_names and _any_unknown(result):
            unknown = _arrow(connection, query.unknown_sql(scan)).to_pylist()
        return LocalRead(result, query.dimensions, query.metrics, unknown)
    except duckdb.Error:
        return None  # the Ibis path runs the same query and reports the engine's complaint
    finally:
        connection.close()


def _arrow(connection: duckdb.DuckDBPyConnection, sql: str) -> pa.Table:
    # `execute`, not `connection.sql(...)`: a relation is bound when it is made and again when it
    # runs, and binding a CSV scan sniffs the file (~0.4 G instructions, ~50 ms, each time). DuckDB
    # warns that Arrow from `execute` copies the rows: here the few hundred aggregated ones (the
    # warning is silenced for this module's calls only, below).
    table: pa.Table = connection.execute(sql).to_arrow_table()
    return table


warnings.filterwarnings(
    "ignore", "Arrow output on a DB-API result", UserWarning, r"kpi_cli\.warehouse\.local_sql\Z"
)


def _any_unknown(result: pa.Table) -> bool:
    return any(v for v in result[UNKNOWN_EVENTS].to_pylist() if v)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _name(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _scan(
    connection: duckdb.DuckDBPyConnection, spec: TableSpec, paths: list[str], kind: str
) -> tuple[str, dict[str, str]]:
    """The table function reading the files, with the options engines._local_table gives Ibis,
    and its schema (column -> DuckDB type)."""
    listed = "[" + ", ".join(_literal(p) for p in paths) + "]"
    several = ["union_by_name = true"] if len(paths) > 1 else []
    if kind == "parquet":
        scan = f"read_parquet({', '.join([listed, *several])})"
        return scan, _schema(connection, scan)
    options = [listed, "header = true", "auto_detect = true", *several]
    sniffed = _schema(connection, f"read_csv({', '.join(options)})")
    # Text columns read as text, named only if present (see engines._local_table).
    text = [c for c in sorted(text_columns(spec)) if c in sniffed]
    if text:
        options.append("types = {" + ", ".join(f"{_literal(c)}: 'VARCHAR'" for c in text) + "}")
    # The schema with those columns as text, without sniffing the file a second time (a DESCRIBE
    # of a CSV scan samples the file: 43 ms on the 10M-row event benchmark, each time).
    return f"read_csv({', '.join(options)})", sniffed | dict.fromkeys(text, "VARCHAR")


def _schema(connection: duckdb.DuckDBPyConnection, scan: str) -> dict[str, str]:
    return {
        str(row[0]): str(row[1]) for row in connection.execute(f"DESCRIBE SELECT * FROM {scan}").fetchall()
    }


def _numeric(kind: str) -> bool:
    return kind in _INTEGER or kind in _FLOAT or kind.startswith("DECIMAL(")


@dataclass(frozen=True)
class _Query:
    keys: dict[str, str]  # output name -> SQL, in GROUP BY order
    measures: dict[str, str]
    dimensions: list[str]
    metrics: list[str]
    event: str | None
    known: list[str]

    @classmethod
    def plan(
        cls, spec: TableSpec, schema: Mapping[str, str], shape: Shape, dimensions: Collection[str] | None
    ) -> _Query | None:
        """expression.aggregate's choices, or None where it would raise or read a type differently."""

        def where(canonical: str) -> str | None:
            name = spec.columns.get(canonical, canonical)
            return name if name in schema else None

        def mapped_but_missing(canonical: str) -> bool:
            return canonical in spec.columns and spec.columns[canonical] not in schema

        if any("." in n for n in (*spec.columns.values(), spec.event_column)):
            return None
        date = where("date")
        if date is None:
            return None
        day = _day(_name(date), schema[date], spec.date_format)
        if day is None:
            return None
        keys = {"date": day}
        grouped_by = []
        for dimension in GROUP_DIMENSIONS:
            if mapped_but_missing(dimension):
                return None
            name = where(dimension)
            if name is not None and (dimensions is None or dimension in dimensions):
                if schema[name] not in _SCALAR:
                    return None
                keys[dimension] = f"CAST({_name(name)} AS VARCHAR)"
                grouped_by.append(dimension)
        measures: dict[str, str] = {}
        event: str | None = None
        known: list[str] = []
        if shape is Shape.EVENTS:
            if spec.event_column not in schema or schema[spec.event_column] not in _SCALAR:
                return None
            event = f"CAST({_name(spec.event_column)} AS VARCHAR)"
            counts = spec.event_counts()
            known = sorted(counts)
            if not known:
                return None
            event_measures = _event_measures(event, counts, schema)
            if event_measures is None:
                return None
            measures.update(event_measures.measures)
            measures[UNKNOWN_EVENTS] = _unknown_measure(event, known, event_measures.row_counts)
        for metric in METRICS:
            if mapped_but_missing(metric):
                return None
            name = where(metric)
            if name is None:
                continue
            if metric in measures:
                return None
            kind = schema[name]
            if kind == "VARCHAR":
                measures[metric] = f"CAST(SUM(CAST({_name(name)} AS DOUBLE)) AS DOUBLE)"
            elif _numeric(kind):
                measures[metric] = f"CAST(SUM({_name(name)}) AS DOUBLE)"
            else:
                return None
        metrics = [m for m in METRICS if m in measures]
        return cls(keys, measures, grouped_by, metrics, event, known)

    def sql(self, scan: str) -> str:
        columns = [f"{sql} AS {_name(name)}" for name, sql in {**self.keys, **self.measures}.items()]
        groups = ", ".join(str(i + 1) for i in range(len(self.keys)))
        return f"SELECT {', '.join(columns)} FROM {scan} GROUP BY {groups}"

    def unknown_sql(self, scan: str) -> str:
        """expression.unknown_events: the values outside the map (NULL included), most frequent first."""
        assert self.event is not None
        return (
            f'SELECT {self.event} AS "event", COUNT(*) AS "rows" FROM {scan} '
            f"WHERE {_outside(self.event, self.known)} GROUP BY 1 "
            f'ORDER BY "rows" DESC, "event" ASC LIMIT {UNKNOWN_LISTED}'
        )


def _day(column: str, kind: str, date_format: str | None) -> str | None:
    """expression._day in SQL; None where Ibis would refuse the type (its message says why)."""
    if kind == "DATE":
        return column
    if kind in _TIMESTAMP:
        return f"CAST({column} AS DATE)"
    if kind in _INTEGER and date_format:
        return f"CAST(STRPTIME(CAST({column} AS VARCHAR), {_literal(date_format)}) AS DATE)"
    if kind == "VARCHAR":
        if date_format:
            return f"CAST(STRPTIME({column}, {_literal(date_format)}) AS DATE)"
        return f"CAST({column} AS DATE)"
    return None


def _outside(event: str, known: list[str]) -> str:
    """An event value not in `known`, NULL included (`NULL IN (...)` is NULL)."""
    return f"NOT COALESCE({event} IN ({', '.join(_literal(v) for v in known)}), FALSE)"


@dataclass(frozen=True)
class _EventMeasures:
    measures: dict[str, str]  # metric -> SQL
    # Every part that counts rows (`COUNT(*) FILTER ...`), or None when some part counts distinct
    # values: each known event value is in exactly one part, so these sum to the known rows.
    row_counts: list[str] | None


def _event_measures(
    event: str, counts: Mapping[str, EventCount], schema: Mapping[str, str]
) -> _EventMeasures | None:
    """expression._event_measures: per metric, its events' rows or distinct values, summed."""
    by_metric: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for value, target in counts.items():
        by_metric[target.metric][target.count].append(value)
    measures: dict[str, str] = {}
    row_counts: list[str] | None = []
    for metric, ways in by_metric.items():
        parts = []
        for count, values in ways.items():
            chosen = f"{event} IN ({', '.join(_literal(v) for v in values)})"
            distinct = distinct_column(count)
            if distinct is None:
                parts.append(f"COUNT(*) FILTER (WHERE {chosen})")
                if row_counts is not None:
                    row_counts.append(parts[-1])
            elif "." in distinct or distinct not in schema or schema[distinct] not in _SCALAR:
                return None
            else:
                parts.append(f"COUNT(DISTINCT {_name(distinct)}) FILTER (WHERE {chosen})")
                row_counts = None
        measures[metric] = f"CAST({' + '.join(parts)} AS DOUBLE)"
    return _EventMeasures(measures, row_counts)


def _unknown_measure(event: str, known: list[str], row_counts: list[str] | None) -> str:
    """The rows whose event value the map does not name (NULL included), as Ibis counts them.

    When every event is counted by rows, that is all rows less the known rows the measures already
    count: DuckDB computes each identical aggregate once, so this costs one COUNT(*) where a filter
    of its own tested every row against every known value again (3 % of the 1M-row event scan's
    instructions, by callgrind). Integer arithmetic on the same rows: the same number exactly.
    """
    if row_counts:
        return f"CAST(COUNT(*) - ({' + '.join(row_counts)}) AS DOUBLE)"
    return f"CAST(COUNT(*) FILTER (WHERE {_outside(event, known)}) AS DOUBLE)"
