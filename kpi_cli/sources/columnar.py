"""The columnar read path: a large text export scanned and summed by DuckDB (issue 12).

kpi's own sniffing reads the first lines as today (encoding, delimiter, preamble, header rows,
profile, column mapping); DuckDB then scans only the body, reads only the columns the review needs,
and returns one row per date x the dimensions the review groups by, with the sums of every metric.
Everything after reading works on that aggregate: a 10M-row file comes back as a few hundred rows.

The result must be what the pandas reader (reader.py + frame.py) gives, so this path decides less
and checks more: the date, dimension and summary-row decisions are made by the same Python
functions on the few distinct values DuckDB returns (dates_from_text, null_cells,
non_data.non_data_checks), and whenever the file holds something only the pandas reader reads or
names (an unreadable or negative cell, an undated row, quoted line breaks, a profile with per-row
logic) `read` returns None and the caller reads the file the old way. Errors are rare; this path
is for clean files.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpi_cli.errors import DataError
from kpi_cli.files import check_regular_file
from kpi_cli.lazy_pandas import pd
from kpi_cli.sources import (
    body,
    columnar_cells,
    columnar_frame,
    columnar_months,
    columnar_skipped,
    columnar_sql,
    columnar_text,
    columnar_unread,
    frame,
    timed,
)
from kpi_cli.sources import encoding as encodings
from kpi_cli.sources.canonical import DATE_END, DIMENSIONS, METRICS
from kpi_cli.sources.columnar_skipped import skipped_lines as _skipped_lines  # a name tests spy on
from kpi_cli.sources.grain import ALWAYS_GROUPED as ALWAYS_GROUPED  # re-exported: streamed.py reads it here
from kpi_cli.sources.non_data import label_positions, name_columns
from kpi_cli.sources.prefetch import connection_opened, stop_if_abandoned
from kpi_cli.sources.profile import Alias, Profile
from kpi_cli.sources.reader import (
    DELIMITERS,
    MAX_COLUMNS,
    MAX_TEXT_BYTES,
    _find_header,
    _header_and_preamble,
    _sniff_rows,
)

# Below this size the pandas reader is as fast as importing DuckDB and planning the scan (about
# 0.3 s here), and it keeps every row; above it the pandas reader costs ~10 µs and ~800 bytes a row.
MIN_BYTES = 32 << 20
# DuckDB's own memory (the scan buffers and the hash table of groups), whatever its number of
# threads (one a core): a 10M-row file stays near 300 MB with Python, pandas and the imports.
MEMORY_LIMIT = "256MB"
# A metric cell DuckDB's DOUBLE parser and the pandas reader read alike (values._all_plain).
_PLAIN = re.compile(columnar_cells.PLAIN_NUMBER)

Mapper = Callable[[list[str]], tuple[Profile, frame.ColumnMap]]
LineEndsLater = Callable[[], encodings.LineEnds | None]
ScanStarting = Callable[[], None]


@dataclass(frozen=True)
class Read:
    """What either read path gives `read_export`: the header, how the file was read, the frame."""

    headers: list[str]
    encoding: str
    delimiter: str
    profile: Profile
    mapping: frame.ColumnMap
    built: frame.Built


class _Fallback(Exception):
    """The file needs the pandas reader: a cell to name, or a layout this path does not read."""


def wanted(path: Path, dimensions: Collection[str] | None) -> bool:
    """The one place the read path is chosen: DuckDB for a large text file read as an aggregate.

    Only a caller that works on sums by day and dimension can take an aggregate (a review passes
    the dimensions it uses; `inspect` the day alone, as it shows data rows, sums and the date
    range); small files read faster without DuckDB's start-up.
    """
    if dimensions is None:
        return False
    try:
        return path.is_file() and path.stat().st_size >= MIN_BYTES
    except OSError:
        return False


def read(
    path: Path,
    known: Sequence[Alias],
    forced: str | None,
    mapped: Mapper,
    dimensions: Collection[str],
    unmapped_sums: bool = False,
) -> Read | None:
    """The export aggregated by DuckDB, or None when the pandas reader must read it.

    `unmapped_sums`: the unread columns summed over the data rows too (`inspect`, `validate`).
    """
    outcome = _read_file(path, known, forced, mapped, dimensions, unmapped_sums)
    stop_if_abandoned()  # a read the command gave up (prefetch.py) goes no further
    return outcome


def _read_file(
    path: Path,
    known: Sequence[Alias],
    forced: str | None,
    mapped: Mapper,
    dimensions: Collection[str],
    unmapped_sums: bool,
) -> Read | None:
    import duckdb

    failed = (DataError, _Fallback, columnar_frame.UnreadKey, duckdb.Error, UnicodeError)

    def scanned(
        scan_path: Path, text: body.Text, encoding: str, line_ends: LineEndsLater, starting: ScanStarting
    ) -> Read | None:
        try:
            return _read(
                scan_path, text, encoding, known, mapped, dimensions, unmapped_sums, line_ends, starting
            )
        except failed:
            return None  # the pandas reader reads the file, or names what is wrong with it

    try:
        check_regular_file(path, DataError, "file", MAX_TEXT_BYTES)
        if forced is None and encodings.starts_as_utf8(path):
            with columnar_text.checked_beside(path) as check:
                text = body.text_source(path, columnar_text.UTF8)
                outcome = scanned(path, text, "utf-8", check.line_ends, check.start)
                found = check.found()
            if found == columnar_text.UTF8:
                return outcome
        found, line_ends = encodings.detect_counting_lines(path, forced)
        with columnar_text.utf8(path, found) as (scan_path, text):
            return scanned(scan_path, text, found.name, lambda: line_ends, lambda: None)
    except failed:
        return None


def _read(
    scan_path: Path,
    text: body.Text,
    encoding: str,
    known: Sequence[Alias],
    mapped: Mapper,
    dimensions: Collection[str],
    unmapped_sums: bool,
    line_ends: LineEndsLater,
    starting: ScanStarting,
) -> Read:
    """`line_ends`: the file's LF bytes when the encoding check counted them (plain UTF-8), asked
    for only once DuckDB has scanned (the check may run beside the scan); `starting` is called
    when the Python work before the scan is done (the check waits for it: columnar_text)."""
    if text.newline != b"\n":
        raise _Fallback("CR-only line ends")
    head, offsets = body.head_lines(text)
    hint = re.match(r'^"?sep=(.)"?\s*$', head[0], re.IGNORECASE) if head else None
    candidates = {d: _sniff_rows(head, d) for d in ((hint.group(1),) if hint else DELIMITERS)}
    header = _find_header(candidates, known)
    rows = candidates[header.key]
    headers, body_index, preamble = _header_and_preamble(rows, header.index)
    # DuckDB skips lines, not records: every record above the body must be one line.
    if header.key not in DELIMITERS or len(headers) > MAX_COLUMNS or body_index >= len(rows):
        raise _Fallback("layout")
    body_line = rows[body_index][0]
    if body_line != body_index + 1:
        raise _Fallback("a record above the body spans lines")
    profile, mapping = mapped(headers)
    _check_supported(profile, mapping)
    sample = [f for _, f in rows[body_index:]]
    scan = _scan(headers, header.key, body_line, profile, mapping, dimensions, sample)
    if unmapped_sums:
        scan = columnar_sql.Scan(**{**scan.__dict__, "unread": columnar_unread.summable(headers, mapping)})
    request = None if unmapped_sums else columnar_months.requested(dimensions, mapping.columns, scan, sample)
    starting()
    found = None
    if request is not None:  # a `--by` review's views read the dimension by month only (grain.py)
        by_day = _scan(headers, header.key, body_line, profile, mapping, request.daily, sample)
        if not _suspect_labels(sample, by_day):
            found = columnar_months.scanned(
                lambda sql: _fetched_alone(sql, scan_path), by_day, request.monthly
            )
        scan = by_day if found is not None else scan
    months = None
    if found is not None:
        groups, months = found
    else:  # the scan as it ran: the second scan for the skipped lines reads its columns alike
        groups, scan = _grouped(scan_path, scan, sample)
    counted = line_ends()
    if counted is None:
        newlines, ends_with_newline = text.lines_from(offsets[body_line - 1])
    else:  # the lines above the body end in one LF each
        newlines, ends_with_newline = counted.count - (body_line - 1), counted.ends_with_newline
    if int(groups["n_rows"].sum()) != newlines + (0 if ends_with_newline else 1):
        raise _Fallback("quoted line breaks or blank lines in the body")
    reasons = columnar_skipped.reasons(groups, scan, headers, profile, mapping)
    data = groups[reasons.isna().to_numpy()]
    if data["bad"].any():
        raise _Fallback("a cell the pandas reader names")
    unmapped = columnar_unread.unmapped(headers, mapping, data, scan.unread)
    if unmapped is None:
        raise _Fallback("an unread cell only the pandas reader reads")
    skipped_groups = groups[reasons.notna().to_numpy()]
    expected = int(skipped_groups["n_rows"].sum())
    skipped = (
        columnar_skipped.skipped_in_sample(rows[body_index:], scan, headers, profile, mapping)
        if expected
        else []
    )
    if len(skipped) != expected:
        skipped = _skipped_lines(
            scan_path, scan, headers, profile, mapping, body_line, skipped_groups, connect=_connect
        )
    if len(skipped) != expected:
        raise _Fallback("the skipped rows are not where the groups say")
    data_rows = int(data["n_rows"].sum())
    built = frame.Built(
        columnar_frame.canonical(data, scan.date_end is not None, list(scan.grain), list(scan.metrics)),
        sorted([*preamble, *skipped], key=lambda s: s.line),
        [],
        unmapped,
        data_rows,
        by_month=columnar_months.by_month(request, months, list(scan.metrics), data_rows),
    )
    return Read(headers, encoding, header.key, profile, mapping, built)


def _check_supported(profile: Profile, mapping: frame.ColumnMap) -> None:
    """Profiles whose rows need per-row logic (stage dates, Results, net followers...) fall back."""
    per_row = (
        profile.events
        or mapping.results is not None
        or mapping.subtract
        or profile.count_rows_as
        or profile.yearless_dates
        or any(m in mapping.columns for m in profile.cumulative)
    )
    if per_row or "date" not in mapping.columns:
        raise _Fallback("per-row profile")


def _scan(
    headers: list[str],
    delimiter: str,
    body_line: int,
    profile: Profile,
    mapping: frame.ColumnMap,
    dimensions: Collection[str],
    sample: list[list[str]],
) -> columnar_sql.Scan:
    columns = mapping.columns
    metrics = {m: columns[m] for m in METRICS if m in columns}
    typed = frozenset(p for p in metrics.values() if _plain_in_sample(sample, p))
    return columnar_sql.Scan(
        width=len(headers),
        skip=body_line - 1,
        delimiter=delimiter,
        date=columns["date"],
        date_end=columns.get(DATE_END),
        grain={
            d: columns[d] for d in DIMENSIONS[1:] if d in columns and (d in dimensions or d in ALWAYS_GROUPED)
        },
        metrics=metrics,
        typed=typed,
        labels=label_positions(mapping),
        blank_names=list(name_columns(headers, profile, mapping)),
        timed=_timed_in_sample(
            sample, [columns["date"], *([columns[DATE_END]] if DATE_END in columns else [])]
        ),
    )


def _timed_in_sample(sample: list[list[str]], positions: list[int]) -> bool:
    """A date cell of the first rows has a time of day: the scan groups by its day key (timed.py)."""
    return any(timed.timed(row[p]) for row in sample for p in positions if p < len(row))


def _plain_in_sample(sample: list[list[str]], position: int) -> bool:
    """The column holds plain numbers in the first rows: DuckDB can type it at the scan."""
    cells = [row[position] for row in sample if position < len(row) and row[position] != ""]
    return bool(cells) and all(_PLAIN.fullmatch(cell) for cell in cells)


def _connect() -> Any:
    import duckdb

    connection = duckdb.connect()
    connection_opened(connection)  # a read started early (prefetch.py): scanning, interruptible
    connection.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    connection.execute("SET preserve_insertion_order = false")
    # DuckDB draws a progress bar on stdout for a scan past 2 s: it would corrupt `--format json`.
    connection.execute("SET enable_progress_bar = false")
    spill = str(Path(tempfile.gettempdir()) / "kpi-duckdb").replace("'", "''")
    connection.execute(f"SET temp_directory = '{spill}'")  # never a .tmp folder in the user's cwd
    return connection


def _grouped(
    scan_path: Path, scan: columnar_sql.Scan, sample: list[list[str]]
) -> tuple[pd.DataFrame, columnar_sql.Scan]:
    """The grouped scan and the Scan it ran: a metric the sample showed plain but that is not
    everywhere is re-read as text, and so must the second scan for the skipped lines read it (a
    summary row past the sample writing `1,770` where the rows write `1770` handed the file back).

    A file whose first rows hold no summary label is scanned first without a look at each row for
    a summary word (`columnar_sql.by_labels`: only the blank test of the name columns, where a file
    has them, stays on each row); only if a label or date in it could make a row a candidate is it
    scanned again, with that look. A summary row at the end (Google Ads) costs that second scan.
    """
    import duckdb

    connection = _connect()
    try:
        if not _suspect_labels(sample, scan):
            distinct = _fetched(connection, columnar_sql.by_labels(scan), scan_path)
            if not distinct["suspect"].any():
                return distinct, scan
        return _fetched(connection, columnar_sql.grouped(scan), scan_path), scan
    except duckdb.ConversionException:
        if not scan.typed:
            raise
    finally:
        connection.close()
    return _grouped(scan_path, columnar_sql.Scan(**{**scan.__dict__, "typed": frozenset()}), sample)


def _fetched_alone(sql: str, scan_path: Path) -> pd.DataFrame:
    """One query's rows on a connection of its own."""
    connection = _connect()
    try:
        return _fetched(connection, sql, scan_path)
    finally:
        connection.close()


def _fetched(connection: Any, sql: str, scan_path: Path) -> pd.DataFrame:
    """The query's rows through Arrow (columnar_frame.fetched: key cells decoded once each)."""
    relation = connection.sql(sql, params=[str(scan_path)])
    # `to_arrow_table` is DuckDB 1.4's name; 1.1-1.3 (pyproject allows them) call it `fetch_arrow_table`.
    fetch = getattr(relation, "to_arrow_table", None) or relation.fetch_arrow_table
    return columnar_frame.fetched(fetch())


def _suspect_labels(sample: list[list[str]], scan: columnar_sql.Scan) -> bool:
    """A label in the first rows holds a part of a summary word (the same test as the SQL's)."""
    labels = [p for p in scan.labels if p != scan.date]
    cells = (row[p] for row in sample for p in labels if p < len(row))
    return any(part in cell for cell in cells for part in columnar_sql.SUMMARY_PARTS)
