"""Where a source's table lives: local files or a `.duckdb` file in an embedded DuckDB, or a
warehouse named by a URL that only an environment variable holds.

The URL carries the password, so it is never in the YAML and never in an error: every message
that could quote it goes through `redact`.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from kpi_cli.errors import ConfigError, DataError
from kpi_cli.files import check_regular_file
from kpi_cli.untrusted import one_line
from kpi_cli.warehouse.models import (
    GROUP_DIMENSIONS,
    EventsSource,
    TableSpec,
    WarehouseSource,
    distinct_column,
)

if TYPE_CHECKING:
    import ibis.expr.types as ir

DUCKDB_FILES = (".duckdb", ".db", ".ddb")
CSV_FILES = (".csv", ".tsv", ".txt", ".csv.gz")
PARQUET_FILES = (".parquet", ".pq")
_USERINFO = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")
# Secrets some drivers take as query parameters (`?password=...`, Snowflake's `token=`).
_SECRET_PARAMETER = re.compile(r"(?i)\b(password|passwd|pwd|token|secret|private_key\w*)=[^&\s]+")
HIDDEN = "***"


def redact(text: str, url: str | None = None) -> str:
    """The text without the URL's password (also any `scheme://user:password@` it carries)."""
    if url:
        password = urlsplit(url).password
        if password:  # as written in the URL (percent-encoded) and as the driver decodes it
            for spelling in sorted({password, unquote(password)}, key=len, reverse=True):
                text = text.replace(spelling, HIDDEN)
    text = _SECRET_PARAMETER.sub(rf"\g<1>={HIDDEN}", text)
    return _USERINFO.sub(rf"\g<1>{HIDDEN}@", text)


def engine_error(spec: TableSpec, exc: BaseException, url: str | None = None) -> DataError:
    """An engine's complaint as one cleaned line, naming the source, never the password."""
    return DataError(f"source '{spec.name}': {one_line(redact(str(exc), url), 300)}")


def engine_errors() -> tuple[type[BaseException], ...]:
    """The exception types that mean bad data, a bad table or an unreachable server, not a bug."""
    import duckdb
    from ibis.common.exceptions import IbisError, TableNotFound

    # TableNotFound derives from Exception, not IbisError.
    kinds: list[type[BaseException]] = [duckdb.Error, IbisError, TableNotFound, OSError]
    try:
        import psycopg

        kinds.append(psycopg.Error)
    except ImportError:  # the PostgreSQL driver is optional
        pass
    return tuple(kinds)


def open_table(
    spec: EventsSource | WarehouseSource, base_dir: Path, env: Mapping[str, str]
) -> tuple[ir.Table, str | None]:
    """The source's table as an Ibis expression, and the URL used (to redact it from errors)."""
    # Here, not at the top: Ibis costs 0.3-0.9 s to import, and local CSV and Parquet files are
    # aggregated without it (local_sql.py); this module's file checks serve both paths.
    import ibis

    if isinstance(spec, WarehouseSource) and spec.url_env is not None:
        url = env.get(spec.url_env)
        if not url:
            raise ConfigError(f"source '{spec.name}': environment variable {spec.url_env} is not set")
        try:
            backend = ibis.connect(url)
            assert spec.table is not None  # the model requires a table with url_env
            return backend.table(spec.table, database=spec.database), url
        except engine_errors() as exc:
            raise engine_error(spec, exc, url) from None
        except Exception as exc:  # drivers raise their own types for a bad URL or a refused login
            raise engine_error(spec, exc, url) from None
    assert spec.path is not None
    files = local_files(spec, base_dir)
    try:
        return _local_table(spec, files), None
    except engine_errors() as exc:
        raise engine_error(spec, exc) from None


def local_files(spec: EventsSource | WarehouseSource, base_dir: Path) -> list[Path]:
    assert spec.path is not None
    pattern = base_dir / spec.path
    found = sorted(Path(p) for p in glob.glob(str(pattern))) if glob.has_magic(spec.path) else [pattern]
    if not found:
        raise DataError(f"source '{spec.name}': no file matches {pattern}")
    for path in found:
        check_regular_file(path, DataError, f"file of source '{spec.name}'")
    return found


def kind_of(path: Path) -> str:
    name = path.name.lower()
    for kind, endings in (("duckdb", DUCKDB_FILES), ("csv", CSV_FILES), ("parquet", PARQUET_FILES)):
        if name.endswith(endings):
            return kind
    return "unknown"


def _local_table(spec: EventsSource | WarehouseSource, files: list[Path]) -> ir.Table:
    import ibis

    kinds = {kind_of(p) for p in files}
    if len(kinds) != 1 or "unknown" in kinds:
        raise DataError(
            f"source '{spec.name}': expected CSV, Parquet or one DuckDB file, got {', '.join(p.name for p in files[:3])}"
        )
    kind = kinds.pop()
    if kind == "duckdb":
        if len(files) != 1 or not isinstance(spec, WarehouseSource) or spec.table is None:
            raise ConfigError(f"source '{spec.name}': a DuckDB file source needs `type: sql` and a `table`")
        backend = ibis.duckdb.connect(str(files[0]), read_only=True)
        return backend.table(spec.table, database=spec.database)
    local = ibis.duckdb.connect()
    paths = [str(p) for p in files]
    # Monthly files of one export may gain or lose a column: several files are matched by name
    # (for one file that option only costs: it slows DuckDB's parallel CSV scan).
    several: dict[str, Any] = {"union_by_name": True} if len(paths) > 1 else {}
    if kind == "parquet":
        return local.read_parquet(paths, **several)
    # Sniffed types would turn campaign `001` into the number 1 and differ from the same data in
    # Parquet: the text columns are read as text (named only if present, or DuckDB refuses).
    sniffed = local.read_csv(paths, **several)
    text = {c: "VARCHAR" for c in text_columns(spec) if c in sniffed.columns}
    return local.read_csv(paths, **several, **({"types": text} if text else {}))


def text_columns(spec: TableSpec) -> set[str]:
    names = {spec.columns.get(d, d) for d in GROUP_DIMENSIONS} | {spec.event_column}
    names |= {c for c in (distinct_column(e.count) for e in spec.event_counts().values()) if c}
    return {n.split(".")[0] for n in names}
