"""From a table of raw strings and a profile to the canonical frame (see canonical.py).

Non-data rows go first, each into `skipped` with its line and why; then whole columns are
converted (dates, dimensions, metrics). A cell that cannot be read stops the read with the file,
line, column and value, because a silently dropped or zeroed cell would make every rule lie.
Each column is turned into numpy text once (`Columns`) and every check and conversion works on
those arrays.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kpi_cli.errors import DataError, location
from kpi_cli.lazy_pandas import np, pd
from kpi_cli.sources import results, summary, yearless
from kpi_cli.sources.canonical import DATE_END, DIMENSIONS, METRICS, MONEY
from kpi_cli.sources.distinct import dates_by_value, labels
from kpi_cli.sources.export import Skipped, Unmapped
from kpi_cli.sources.grain import ByMonth
from kpi_cli.sources.listing import listed
from kpi_cli.sources.non_data import non_data_checks
from kpi_cli.sources.profile import Profile, first_match, normalise
from kpi_cli.sources.reader import Table
from kpi_cli.sources.unmapped import unmapped_columns
from kpi_cli.sources.values import as_text, numbers_from_text
from kpi_cli.untrusted import excerpt, one_line

# Metrics an export may write below zero: net follower change, and money (refunds, credits and
# invalid-click adjustments make cost or revenue negative in real Google and Meta exports). Every
# other metric counts people or events, and a negative one is a broken export (issue 7).
SIGNED_METRICS = frozenset({"followers"}) | MONEY


@dataclass(frozen=True)
class ColumnMap:
    """Canonical name → column position in the table, plus the gross-to-net columns to subtract."""

    columns: dict[str, int]
    subtract: dict[str, list[int]]
    # Meta's `Results` and its indicator column (value, indicator), see results.py.
    results: tuple[int, int] | None = None
    # The source's `events:` map (GA4 event name → canonical metric), when it has one.
    names: Mapping[str, str] | None = None
    # The source's `year:`, for dates written without one (TikTok's overview).
    year: int | None = None

    def used(self) -> set[int]:
        """Every position read into the frame (the rest is `unmapped`)."""
        extra = set(self.results or ())
        return set(self.columns.values()) | {p for ps in self.subtract.values() for p in ps} | extra


@dataclass(frozen=True)
class Built:
    frame: pd.DataFrame
    skipped: list[Skipped]
    # Cells of data rows left out of every metric, with why (unknown Meta result indicators).
    unread: list[Skipped]
    unmapped: list[Unmapped]
    # Rows of the file that are data (not blank, comment or summary), however many canonical rows
    # each gives (a HubSpot contact gives one per stage reached, an undated row none).
    data_rows: int
    # The canonical rows a frame summed by day stands for (streamed.py); None: one a frame row.
    canonical_rows: int | None = None
    # A `--by` review's dimension summed by month, left out of the frame (columnar.py, grain.py).
    by_month: ByMonth | None = None


class Columns:
    """The data rows of a table, each column as stripped numpy text converted on first use."""

    def __init__(self, table: Table, path: Path, keep: np.ndarray | None = None) -> None:
        self.table, self.path = table, path
        self.keep = np.ones(len(table.cells), dtype=bool) if keep is None else keep
        self.lines = table.lines[self.keep]
        self._text: dict[int, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.lines)

    def text(self, position: int) -> np.ndarray:
        if position not in self._text:
            self._text[position] = as_text(self.table.cells[position])
        text: np.ndarray = self._text[position][self.keep]
        return text

    def kept(self, keep: np.ndarray) -> Columns:
        """The same table restricted to the rows flagged in `keep` (aligned with the current rows)."""
        narrowed = self.keep.copy()
        narrowed[self.keep] = keep
        columns = Columns(self.table, self.path, narrowed)
        columns._text = self._text
        return columns

    def transient_text(self, position: int) -> np.ndarray:
        """The column's text without caching it: a metric column is read once, and keeping every
        column's text alive next to the table doubled the peak memory of a large export."""
        if position in self._text:
            return self.text(position)
        text: np.ndarray = as_text(self.table.cells[position])
        return text if self.keep.all() else text[self.keep]

    def forget_text(self) -> None:
        """Drop the cached text (converted again on a later use): a large export's memory bound."""
        self._text.clear()

    def drop_raw(self, position: int) -> None:
        """Free a column's raw cells once its text is cached (see _keep_labels_as_text)."""
        if position in self._text and position in self.table.cells.columns:
            del self.table.cells[position]

    def release(self, position: int) -> None:
        """Free a column's raw cells for good: `build` consumes its table (see _release)."""
        self._text.pop(position, None)
        if position in self.table.cells.columns:
            del self.table.cells[position]

    def dates(self, position: int) -> np.ndarray:
        text = self.text(position)
        values, bad = dates_by_value(text)
        self._check(text, bad, position, "a date")
        return values

    def _check(self, text: np.ndarray, bad: np.ndarray, position: int, kind: str) -> None:
        if bad.any():
            first = int(bad.argmax())
            raise DataError(f"{self.where(first, position)}: cannot read {excerpt(text[first])} as {kind}")

    def counts(self, position: int, metric: str) -> np.ndarray:
        """`numbers`, refusing overflow, and negatives unless the metric is a net change or money."""
        text = self.transient_text(position)
        values, bad = numbers_from_text(text)
        overflow = np.isinf(values)
        if overflow.any():
            first = int(overflow.argmax())
            if not bad[:first].any():
                raise DataError(
                    f"{self.where(first, position)}: {excerpt(text[first])} is out of range for a number "
                    "(it overflows to infinity)"
                )
        self._check(text, bad, position, "a number")
        if metric not in SIGNED_METRICS:
            negative = values < 0
            if negative.any():
                first = int(negative.argmax())
                raise DataError(
                    f"{self.where(first, position)}: {excerpt(text[first])} is negative, and {metric} is a "
                    f"count (only {', '.join(sorted(SIGNED_METRICS))} may be negative)"
                )
        return values

    def where(self, row: int, position: int) -> str:
        """`file:line:column: column 'Header'` for the cell at `row` (a kept row) and `position`."""
        header = excerpt(self.table.headers[position])
        return f"{location(self.path, int(self.lines[row]), position + 1)}: column {header}"


def resolve(
    profile: Profile,
    headers: list[str],
    overrides: Mapping[str, str],
    path: Path,
    events: Mapping[str, str] | None = None,
    year: int | None = None,
) -> ColumnMap:
    """Which column fills which canonical name; `overrides` (the source's `columns:`) win."""
    normalised = [normalise(h) for h in headers]
    columns: dict[str, int] = {}
    for canonical, aliases in profile.aliases().items():
        position = first_match(aliases, normalised)
        if position is not None and position not in columns.values():
            columns[canonical] = position
    for canonical, header in overrides.items():
        columns[canonical] = _override_position(canonical, header, normalised, headers, path)
    starts = {normalise(h) for h in profile.range_starts}
    if DATE_END in columns and ("date" not in columns or normalised[columns["date"]] not in starts):
        del columns[DATE_END]  # a daily breakdown: the rows are days, whatever the report's range
    subtract = {
        metric: [p for p in (first_match((a,), normalised) for a in aliases) if p is not None]
        for metric, aliases in profile.subtract.items()
        if metric in columns
    }
    results = profile.results.positions(headers) if profile.results else None
    if profile.results and profile.results.needs_map and not events:
        results = None
    return ColumnMap(columns, {m: p for m, p in subtract.items() if p}, results, events or None, year)


def _override_position(
    canonical: str, header: str, normalised: list[str], headers: list[str], path: Path
) -> int:
    if canonical not in (*DIMENSIONS, *METRICS):
        known = ", ".join((*DIMENSIONS, *METRICS))
        raise DataError(
            f"{path}: `columns:` names {excerpt(canonical)}, which is not a canonical name ({known})"
        )
    position = first_match((header,), normalised)
    if position is None:
        raise DataError(
            f"{path}: missing column '{one_line(header, 40)}' (for {canonical}); columns present: {listed(headers)}"
        )
    return position


def require(profile: Profile, mapping: ColumnMap, headers: list[str], path: Path) -> None:
    """A dated export needs its date column; a stage export needs at least one stage column."""
    present = listed(headers)
    if profile.events:
        if not any(m in mapping.columns for m in profile.events):
            wanted = " or ".join(f"'{aliases[0]}'" for aliases in profile.events.values())
            raise DataError(f"{path}: missing stage date column {wanted}; columns present: {present}")
    elif "date" not in mapping.columns:
        wanted = " or ".join(f"'{a}'" for a in profile.date) or "'date'"
        raise DataError(f"{path}: missing date column {wanted}; columns present: {present}")


def build(
    table: Table, profile: Profile, mapping: ColumnMap, path: Path, *, unmapped_sums: bool = True
) -> Built:
    columns, skipped = _data_rows(Columns(table, path), profile, mapping)
    unread: list[Skipped] = []
    if profile.events:
        frame, dropped = _stage_events(columns, profile, mapping)
    else:
        frame, dropped, unread = _dated_rows(columns, profile, mapping)
    skipped = sorted([*table.skipped, *skipped, *dropped], key=lambda s: s.line)
    return Built(
        frame.reset_index(drop=True),
        skipped,
        unread,
        unmapped_columns(table.headers, mapping.used(), columns.transient_text, sums=unmapped_sums),
        len(columns),
    )


# --- rows that are not data ----------------------------------------------------------------------


def _data_rows(columns: Columns, profile: Profile, mapping: ColumnMap) -> tuple[Columns, list[Skipped]]:
    size = len(columns)
    if size == 0 or not columns.table.headers:
        return columns, []
    rest_empty = summary.empty_after_first(columns.table.cells)
    return _drop(columns, non_data_checks(columns.text, rest_empty, columns.table.headers, profile, mapping))


def _drop(columns: Columns, checks: tuple[tuple[str, np.ndarray], ...]) -> tuple[Columns, list[Skipped]]:
    """Remove the rows each check flags, first reason wins; the loop runs over flagged rows only."""
    dropped = np.zeros(len(columns), dtype=bool)
    skipped: list[Skipped] = []
    for reason, mask in checks:
        hits = mask & ~dropped
        skipped += [Skipped(int(line), reason) for line in columns.lines[hits]]
        dropped |= hits
    return (columns.kept(~dropped) if dropped.any() else columns), skipped


# --- one row per export row --------------------------------------------------------------------


def _dated_rows(
    columns: Columns, profile: Profile, mapping: ColumnMap
) -> tuple[pd.DataFrame, list[Skipped], list[Skipped]]:
    position = mapping.columns["date"]
    text = columns.text(position)
    _keep_labels_as_text(columns, mapping)
    if profile.yearless_dates and yearless.applies(text):
        header = columns.table.headers[position]
        year = yearless.year_for(columns.path, mapping.year, header, text)
        dates = yearless.dated(text, year, f"{columns.path}: column '{header}'")
    else:
        dates = columns.dates(position)
    undated = np.isnat(dates)
    dropped = _undated(columns, mapping, undated) if undated.any() else []
    if undated.any():
        columns, dates = columns.kept(~undated), dates[~undated]
    frame = pd.DataFrame({"date": dates})
    if DATE_END in mapping.columns:
        ends = columns.dates(mapping.columns[DATE_END])
        frame[DATE_END] = np.where(np.isnat(ends), dates, ends)
    _add_dimensions(frame, columns, mapping)
    columns.forget_text()  # the date and dimensions are in the frame now
    for metric in (m for m in METRICS if m in mapping.columns):
        frame[metric] = _metric(columns, mapping, metric)
        _release(columns, mapping, metric)
    unread = _add_results(frame, columns, mapping)
    if profile.count_rows_as:
        frame[profile.count_rows_as] = 1.0
    for metric in (m for m in profile.cumulative if m in frame.columns):
        frame[metric] = _changes(frame["date"], frame[metric])
    return frame, dropped, unread


def _add_results(frame: pd.DataFrame, columns: Columns, mapping: ColumnMap) -> list[Skipped]:
    """Meta's `Results` into the metric each row's indicator names (see results.py)."""
    if mapping.results is None:
        return []
    value, indicator = mapping.results
    headers = columns.table.headers
    already = {m: headers[p] for m, p in mapping.columns.items() if m in METRICS}
    figures = results.split(
        columns.counts(value, "conversions"),
        columns.text(indicator),
        columns.lines,
        headers[value],
        already,
        mapping.names,
    )
    for metric, values in figures.metrics.items():
        frame[metric] = values
    return figures.unread


def _undated(columns: Columns, mapping: ColumnMap, undated: np.ndarray) -> list[Skipped]:
    """Data rows without a date (a YouTube video never published, with views): not a summary.

    They cannot be placed in a period, so they are not counted; each is reported with the figures
    left out, so the sums the user sees can be reconciled with the file.
    """
    header = columns.table.headers[mapping.columns["date"]]
    rows = columns.kept(undated)
    figures = {m: rows.counts(mapping.columns[m], m) for m in METRICS if m in mapping.columns}
    skipped = []
    for index, line in enumerate(rows.lines):
        left_out = ", ".join(
            f"{metric} {_figure(values[index])}"
            for metric, values in figures.items()
            if not np.isnan(values[index])
        )
        reason = f"no date in '{header}': not counted (a data row, not a summary"
        skipped.append(Skipped(int(line), reason + (f"; {left_out})" if left_out else ")")))
    return skipped


def _figure(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _changes(dates: pd.Series, totals: pd.Series) -> pd.Series:
    """Running totals as the change since the previous date; the earliest date is not measured."""
    order = dates.sort_values(kind="stable").index
    return totals.loc[order].diff().reindex(totals.index)


def _keep_labels_as_text(columns: Columns, mapping: ColumnMap) -> None:
    """The date and dimension columns are read from their text from here on: free their raw cells.

    Not a position a metric, Meta's Results or a report's last day still reads raw (a `columns:`
    map may name one column twice). About 190 MB of a 200 MB export's peak.
    """
    later = {p for m, p in mapping.columns.items() if m not in DIMENSIONS} | set(mapping.results or ())
    later |= {p for ps in mapping.subtract.values() for p in ps}
    for dimension in (d for d in DIMENSIONS if d in mapping.columns):
        position = mapping.columns[dimension]
        if position not in later:
            columns.text(position)  # cached for good: the raw cells go
            columns.drop_raw(position)


def _release(columns: Columns, mapping: ColumnMap, metric: str) -> None:
    """Free a metric's raw cells once read, unless another mapping entry still reads them.

    The raw table is most of a large export's memory (about 270 MB a million rows): the float64
    values take less than the strings they came from, so the peak no longer grows with each metric.
    """
    others = {p for m, p in mapping.columns.items() if m != metric} | set(mapping.results or ())
    others |= {p for m, ps in mapping.subtract.items() if m != metric for p in ps}
    for position in {mapping.columns[metric], *mapping.subtract.get(metric, [])} - others:
        columns.release(position)


def _metric(columns: Columns, mapping: ColumnMap, metric: str) -> np.ndarray:
    """The metric as float64; gross minus the columns to subtract (net followers)."""
    values = columns.counts(mapping.columns[metric], metric)
    for position in mapping.subtract.get(metric, []):
        values = values - columns.counts(position, "unfollows")
    return values


def _add_dimensions(frame: pd.DataFrame, columns: Columns, mapping: ColumnMap) -> None:
    for dimension in DIMENSIONS[1:]:
        if dimension in mapping.columns:
            frame[dimension] = labels(columns.text(mapping.columns[dimension]))


# --- one row per stage reached (HubSpot) ---------------------------------------------------------


def _stage_events(
    columns: Columns, profile: Profile, mapping: ColumnMap
) -> tuple[pd.DataFrame, list[Skipped]]:
    """Each stage date is one event: a row dated that day with 1 in the stage's metric, 0 elsewhere.

    The other stages are 0, not NaN: the export does measure them, nobody reached them that day.
    """
    stages = [m for m in METRICS if m in profile.events and m in mapping.columns]
    parts, reached = [], np.zeros(len(columns), dtype=bool)
    for stage in stages:
        dates = columns.dates(mapping.columns[stage])
        hit = ~np.isnat(dates)
        reached |= hit
        part = pd.DataFrame({"date": dates[hit]})
        _add_dimensions(part, columns.kept(hit), mapping)
        for metric in stages:
            part[metric] = 1.0 if metric == stage else 0.0
        parts.append(part)
    dropped = [Skipped(int(line), "reached none of the mapped stages") for line in columns.lines[~reached]]
    return pd.concat(parts, ignore_index=True), dropped
