"""Sources: every export, whatever its platform, becomes one canonical frame (see canonical.py).

`read_export` decodes the file, finds its header under any preamble, picks the platform profile
(named, or detected from the header), drops and records every non-data line, and converts whole
columns at once. Anything it cannot read raises DataError naming the file and, where there is
one, the line, column and value.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from kpi_cli.errors import DataError
from kpi_cli.sources.canonical import METRICS
from kpi_cli.sources.export import Export, Skipped, Unmapped
from kpi_cli.sources.profile import Alias, Profile, headers_known_by
from kpi_cli.sources.profiles import available

if TYPE_CHECKING:
    import pandas as pd

    from kpi_cli.sources import frame
    from kpi_cli.sources.period import Span


def read_export(
    path: Path,
    *,
    platform: str = "auto",
    columns: Mapping[str, str] | None = None,
    encoding: str | None = None,
    profiles_dir: Path | None = None,
    events: Mapping[str, str] | None = None,
    year: int | None = None,
    unmapped_sums: bool = True,
    totals_range: Span | None = None,
    dimensions: Collection[str] | None = None,
    split: str | None = None,
) -> Export:
    """Read one export file into the canonical frame. Raises DataError on anything unreadable.

    `profiles_dir` is where user-defined profiles are looked up (see profiles/user_defined.py);
    `events` is a source's `events:` map (GA4 event name → canonical metric). `unmapped_sums`
    sums the columns kpi does not read (for `inspect` and `validate`'s advice); a review skips it.
    `totals_range` is the source's `period:` (or `start:`/`end:`): the range a report of totals
    without a date column or a stated range totals (see period.py).
    `dimensions`: a caller that only sums by day and these dimensions (a review) may get the frame
    aggregated to that grain (columnar.py reads large files so); None keeps one row per file row.
    `split`: the source's `split:` (kpi_cli.spans). A large file read in blocks and aggregated has
    its rows across months split by day there, as spans.placed would split the whole read's rows.
    """
    # Here, not at the top: `kpi platforms` imports this package for its profiles, without pandas.
    from kpi_cli.sources import columnar, detect, frame, period, reader, streamed, titled

    path = Path(path)
    overrides = dict(columns or {})
    for event, metric in (events or {}).items():
        if metric not in METRICS:
            raise DataError.said("error.events.metric", path=str(path), event=event, metric=metric)
    profiles = available(profiles_dir)
    candidates = profiles if platform == "auto" else [detect.named(platform, profiles, path)]
    known = _known_headers(candidates, overrides)

    def mapped(headers: list[str]) -> tuple[Profile, frame.ColumnMap]:
        """The columnar path's mapping: only for a file with its own date column, one metric per
        column; anything else (a report of totals, a per-metric download titled above its header)
        is refused here, so that the pandas reader below reads it (columnar.read hands back)."""
        profile = _detected(headers, profiles, overrides, path) if platform == "auto" else candidates[0]
        mapping = frame.resolve(profile, headers, overrides, path, events, year)
        if profile.titled or "date" not in mapping.columns:
            raise DataError(f"{path}: read by the pandas reader")
        frame.require(profile, mapping, headers, path)
        return profile, mapping

    def resolved(table: reader.Table) -> tuple[Profile, frame.ColumnMap]:
        """The row-by-row reader's profile and mapping (a titled download's figure column mapped)."""
        profile = _detected(table.headers, profiles, overrides, path) if platform == "auto" else candidates[0]
        mapping = frame.resolve(profile, table.headers, overrides, path, events, year)
        return profile, titled.mapped(table, profile, mapping, path)

    read = None
    if totals_range is None and columnar.wanted(path, dimensions):
        read = columnar.read(path, known, encoding, mapped, dimensions or (), unmapped_sums)
    columnar_read = read is not None
    if read is not None:
        columns_read = _columns_read(read.headers, read.mapping, read.built.frame)
    if read is None and streamed.wanted(path):  # a large file the columnar path hands back
        blocks = streamed.read(
            path, known, encoding, resolved, totals_range, unmapped_sums, dimensions, split
        )
        if blocks is not None:
            headers = blocks.table.headers
            table, mapping, built = blocks.table, blocks.mapping, blocks.built
            read = columnar.Read(headers, table.encoding, table.delimiter, blocks.profile, mapping, built)
            columns_read = _columns_read(table.headers, mapping, built.frame)
            columnar_read = blocks.aggregated  # summed by day and dimension, as columnar.py does
    if read is None:  # every other file, and one whose streamed read raised: the whole read names it
        table = reader.read_table(path, known, encoding)
        headers = table.headers
        profile, mapping = resolved(table)
        table, mapping = period.dated(table, profile, mapping, path, totals_range)
        frame.require(profile, mapping, table.headers, path)
        built = frame.build(table, profile, mapping, path, unmapped_sums=unmapped_sums)
        read = columnar.Read(headers, table.encoding, table.delimiter, profile, mapping, built)
        columns_read = _columns_read(table.headers, mapping, built.frame)
    return Export(
        path=path,
        platform=read.profile.name,
        encoding=read.encoding,
        delimiter=read.delimiter,
        frame=read.built.frame,
        columns=columns_read,
        skipped=read.built.skipped,
        unmapped=read.built.unmapped,
        unread=read.built.unread,
        warnings=detect.near_matches(read.headers, read.profile, profiles, path),
        data_rows=read.built.data_rows,
        aggregated=columnar_read,
        canonical_rows=read.built.canonical_rows,
        by_month=read.built.by_month,
    )


def _known_headers(profiles: list[Profile], overrides: Mapping[str, str]) -> list[Alias]:
    """Every header any candidate profile (or the `columns:` map) names: how the header row is found."""
    return [*headers_known_by(profiles), *(Alias(h) for h in overrides.values())]


def _detected(
    headers: list[str], profiles: list[Profile], overrides: Mapping[str, str], path: Path
) -> Profile:
    """The profile the header names; with a `columns:` map a file no profile claims is `generic`."""
    from kpi_cli.sources import detect

    try:
        return detect.detected(headers, profiles, path)
    except DataError:
        if not overrides:
            raise
        return detect.named("generic", profiles, path)


def _columns_read(headers: list[str], mapping: frame.ColumnMap, built: pd.DataFrame) -> dict[str, str]:
    """Canonical name → the header it was read from; `Results (by Result indicator)` for Meta's."""
    columns = {name: headers[position] for name, position in mapping.columns.items()}
    if mapping.results is not None:
        value, indicator = (headers[p] for p in mapping.results)
        for metric in (m for m in METRICS if m in built.columns and m not in columns):
            columns[metric] = f"{value} (by {indicator})"
    return columns


__all__ = ["Export", "Skipped", "Unmapped", "read_export"]
