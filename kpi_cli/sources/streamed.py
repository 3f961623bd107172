"""A large text export read by the row-by-row reader in blocks of rows (issue 7's memory bound).

The pandas reader (reader.py + frame.py) held the whole body as Arrow strings (about 260 MiB a
million rows) next to the frame built from it: a 200 MB export the DuckDB path hands back (Meta
`Results`, currency cells, quoted line breaks, blank lines...) peaked at 1.07-1.18 GiB. Here the
body is parsed `ROWS_PER_BLOCK` records at a time and each block goes through frame.py's own
steps (non-data rows, undated rows, dimensions, metrics, Results, unread sums), so only one
block's strings are alive at a time next to the compact frame.

Two things span blocks, and are kept whole across them:
- The date format is the first that reads every value of the column (dates.py): a block of
  `03/10/2026`-only dates would read month-first where the file needs day-first. Each block keeps
  its dates as codes into the file's distinct values, parsed once at the end as
  `distinct.dates_by_value` would parse the whole column (a null cell is undated whatever the
  format, so undated rows are still decided per block).
- The sums of unread columns (`inspect`, `validate`): the values are kept and summed once at the
  end, so the sum is bit for bit the whole read's.

A stage export (HubSpot's contacts: each stage date reached is an event) is read in blocks too,
its events made once every block is read (streamed_stages.py). So are the layouts whose rows
depend on the whole file:
- running totals (LINE's friends report), differenced in date order once the blocks are joined,
  as frame._dated_rows does, and only then summed for a review (a block's sum of running totals
  would be differenced wrongly);
- dates without a year (TikTok's overview): whether the column is `Month day` and its year are
  decided on the distinct dates (yearless.py's test holds for every cell exactly when it holds
  for every distinct one);
- reports of totals without a date column: period.py's range columns are added to each block;
- rows across months (a Meta report a week a row), summed by first and last day, then refused or
  split by day (`split: prorata`) on the sums (streamed_aggregate.py).
Workbooks and small files keep the whole read (`read` returns None), and so does a Meta export
whose row count Results may also fill.

A problem in the body is named by the blocks, at one block's memory (reading the file whole
again to name it peaked at ~1.5 GB on a 200 MB export):
- a parser error (extra fields, an unterminated quote) as the whole read names it: once a figure
  has failed the blocks read on, their dates only, because the whole read parses the body before
  it reads any cell;
- an unreadable date as the whole read names it (streamed_errors.py): it parses dates first;
- else a bad figure, the first in block order and within its block in the whole read's column
  order. The whole read names the first in column order, which may be on a later line (a bad
  `impressions` on line 900,000 before a bad `cost` on line 2): both are a real cell by
  file:line:col, and only the blocks keep the memory bound. Likewise a bad figure of an undated
  row, which the whole read checks before the last-day column, comes after a bad last day here.
A problem before the body (no profile matches, a column is missing) still hands the file back:
a titled download is mapped from its rows, which the blocks do not have yet.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kpi_cli import spans
from kpi_cli.errors import DataError
from kpi_cli.lazy_pandas import np, pd
from kpi_cli.sources import body, distinct, frame, period, reader, yearless
from kpi_cli.sources import streamed_aggregate as summed
from kpi_cli.sources.canonical import DATE_END, DIMENSIONS, METRICS
from kpi_cli.sources.date_codes import DateCodes, ReadWhole
from kpi_cli.sources.export import Skipped
from kpi_cli.sources.profile import Alias, Profile
from kpi_cli.sources.streamed_errors import first_unreadable_date
from kpi_cli.sources.streamed_stages import Stages
from kpi_cli.sources.streamed_unread import Sums, add_unread_values, unmapped

# Files this large are read in blocks; below, the whole read is as light and a little faster.
MIN_BYTES = 32 << 20
# Records parsed at a time: the C parser holds a Python str per cell of a block before Arrow
# takes them (~60 bytes a cell); 50,000 rows peaked 22 MiB under 200,000 on a 40 MB Meta export.
ROWS_PER_BLOCK = 50_000
Mapper = Callable[[reader.Table], tuple[Profile, frame.ColumnMap]]


def wanted(path: Path) -> bool:
    """A text export large enough for blocks to matter (workbooks are bounded in workbook.py)."""
    suffix = path.suffix.lower()
    if suffix in reader.EXCEL_SUFFIXES or suffix in reader.UNSUPPORTED_SUFFIXES:
        return False
    try:
        return path.is_file() and path.stat().st_size >= MIN_BYTES
    except OSError:
        return False


@dataclass(frozen=True)
class Streamed:
    """What the whole read's `read_table` + `frame.build` give `read_export`."""

    table: reader.Table  # the header, preamble and encoding; no body cells
    profile: Profile
    mapping: frame.ColumnMap
    built: frame.Built
    aggregated: bool  # summed by day and dimension (a review's), not one row per data row


def read(
    path: Path,
    known: Sequence[Alias],
    forced: str | None,
    mapper: Mapper,
    totals_range: period.Span | None,
    unmapped_sums: bool,
    dimensions: Collection[str] | None = None,
    split: str | None = None,
) -> Streamed | None:
    """The export read in blocks, or None when it must be read whole (see the module's doc).

    `dimensions` (a review's): each block is summed by day and those dimensions before it is kept,
    as the columnar path returns it (its grain, `columnar.ALWAYS_GROUPED` included); None keeps
    one row per data row. `split`: the source's (`prorata` splits the aggregate's rows across
    months by day, streamed_aggregate.py).
    """
    try:
        layout = reader.text_layout(path, known, forced)
        profile, columns = mapper(layout.table)
        if profile.count_rows_as and columns.results is not None:
            raise ReadWhole("a row count that Results may also fill: its column's place depends on the file")
        table, mapping = period.dated(layout.table, profile, columns, path, totals_range)
        frame.require(profile, mapping, table.headers, path)
        grain = None if dimensions is None else _grain(mapping, dimensions)
    except (DataError, ReadWhole, ValueError, pd.errors.ParserError):
        return None  # before the body: the whole read decides (a titled download maps from its rows)

    def ranged(block: reader.Table) -> reader.Table:
        """A report of totals: period.py's two columns of its range on each block (the same
        preamble and source say the same range)."""
        return (
            period.dated(block, profile, columns, path, totals_range)[0] if mapping is not columns else block
        )

    try:
        built = _build(layout, ranged, profile, mapping, path, unmapped_sums, grain, split)
    except (ReadWhole, ValueError, pd.errors.ParserError):
        return None
    return Streamed(table, profile, mapping, built, grain is not None)


@dataclass
class _Totals:
    """What the blocks add up to: the frame's blocks, the rows skipped, the unread columns' values."""

    # per block: the date codes (and the last day's) and dimension labels; the figures
    labels: list[dict[str, np.ndarray]] = field(default_factory=list)
    figures: list[pd.DataFrame] = field(default_factory=list)
    # per block, when the caller takes an aggregate: its sums by date code x grain
    summed: list[pd.DataFrame] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    undated: list[Skipped] = field(default_factory=list)
    unread: list[Skipped] = field(default_factory=list)
    data_rows: int = 0
    dated_rows: int = 0  # the canonical rows: data rows with a date
    sums: Sums = field(default_factory=dict)
    # per block, when the caller takes an aggregate with last days: its rows by first x last day
    spans: list[pd.Series] = field(default_factory=list)
    starts: DateCodes = field(default_factory=DateCodes)
    ends: DateCodes = field(default_factory=DateCodes)

    def forget_rows(self) -> None:
        """Once a block has failed only the dates are read on: the rows so far are freed."""
        self.labels.clear()
        self.figures.clear()
        self.summed.clear()
        self.spans.clear()
        self.sums.clear()


def _grain(mapping: frame.ColumnMap, dimensions: Collection[str]) -> list[str]:
    """The dimensions an aggregate keeps: columnar.py's `_scan` grain."""
    from kpi_cli.sources.columnar import ALWAYS_GROUPED

    wanted = {*dimensions, *ALWAYS_GROUPED}
    return [d for d in DIMENSIONS[1:] if d in mapping.columns and d in wanted]


def _build(
    layout: reader.TextLayout,
    ranged: Callable[[reader.Table], reader.Table],
    profile: Profile,
    mapping: frame.ColumnMap,
    path: Path,
    unmapped_sums: bool,
    grain: list[str] | None,
    split: str | None,
) -> frame.Built:
    table = layout.table
    totals = _Totals()
    stages = Stages.of(profile, mapping, grain) if profile.events else None
    failed: DataError | None = None
    # Running totals are differenced in date order over every row: summed once that is done.
    cumulative = any(m in mapping.columns for m in profile.cumulative)
    for block in map(ranged, tables(layout)):
        columns, skipped = frame._data_rows(frame.Columns(block, path), profile, mapping)
        codes = _coded(columns, mapping, totals, stages)
        if failed is not None:
            continue  # only the dates are read on: see streamed_errors
        try:
            _add_block(block, columns, skipped, codes, mapping, profile, totals, stages, unmapped_sums)
        except DataError as error:
            failed = error
            totals.forget_rows()
            continue
        if grain is not None and stages is None and not cumulative:
            labels = totals.labels.pop()
            if DATE_END in mapping.columns:  # the rows a split by day would make (split_rows)
                totals.spans.append(summed.span_counts(labels))
            totals.summed.append(summed.summed_block(labels, totals.figures.pop(), mapping, grain))
    if profile.yearless_dates and stages is None:
        _maybe_yearless(totals.starts, table.headers[mapping.columns["date"]], mapping, path)
    dates = [(mapping.columns[name], codes) for name, codes in _date_columns(mapping, totals, stages)]
    unreadable = first_unreadable_date(map(ranged, tables(layout)), profile, mapping, path, dates)
    if unreadable is not None:  # the whole read parses dates before it reads any figure
        raise unreadable
    if failed is not None:
        raise failed
    if stages is not None:
        if not totals.data_rows:
            raise ReadWhole("an empty body")
        events = stages.events()
        totals.dated_rows = len(events)
        result = events if grain is None else summed.events_aggregate(events, grain, stages.names)
    elif not totals.figures and not totals.summed:
        raise ReadWhole("an empty body")
    elif cumulative:
        result = _joined(totals, mapping, profile)
        result = result if grain is None else summed.rows_aggregate(result, grain)
    else:
        result = (
            _joined(totals, mapping, profile)
            if grain is None
            else summed.aggregate(
                totals.summed,
                _figure_order(totals.summed, mapping, profile),
                totals.starts,
                totals.ends,
                mapping,
                grain,
                split,
            )
        )
        if spans.ESTIMATED in result.columns:  # split by day: as many rows as the whole read's
            totals.dated_rows = summed.split_rows(totals.spans, totals.starts, totals.ends)
    return frame.Built(
        result,
        sorted([*table.skipped, *totals.skipped, *totals.undated], key=lambda s: s.line),
        totals.unread,
        unmapped(table.headers, mapping, totals.sums, unmapped_sums),
        totals.data_rows,
        None if grain is None else totals.dated_rows,
    )


def tables(layout: reader.TextLayout) -> Iterator[reader.Table]:
    """The body as tables of `ROWS_PER_BLOCK` records, line numbers carried across them."""
    table = layout.table
    width = len(table.headers)
    parts = body.blocks(layout.text, layout.offset, layout.body_line, table.delimiter, width, ROWS_PER_BLOCK)
    for cells, lines in parts:
        yield reader.Table(
            table.encoding, table.delimiter, table.headers, cells, lines, preamble=table.preamble
        )


def _maybe_yearless(starts: DateCodes, header: str, mapping: frame.ColumnMap, path: Path) -> None:
    """TikTok's overview (`October 1`): frame._dated_rows' test and year, on the distinct values.

    Every filled cell is `Month day` exactly when every distinct one is; the year comes from the
    source or the file name, else the whole read's error names the column's first filled cell.
    """
    if not yearless.applies(starts.distinct()):
        return
    first = np.array([starts.first or ""], dtype=starts.distinct().dtype)
    year = yearless.year_for(path, mapping.year, header, first)
    starts.parse_as(lambda text, cells: yearless.month_days(text, year))
    starts.month_days = True


def _coded(
    columns: frame.Columns, mapping: frame.ColumnMap, totals: _Totals, stages: Stages | None
) -> dict[str, np.ndarray]:
    """A block's date cells as codes (see `DateCodes`), before anything in it can fail: a stage
    export's stage columns; the date column, and the last day where the row has a first."""
    if stages is not None:
        return stages.coded(columns, mapping)
    starts = totals.starts.of(columns.text(mapping.columns["date"]))
    codes = {"date": starts}
    if DATE_END in mapping.columns:
        dated = starts >= 0
        ends = np.full(len(starts), -1, dtype=np.int32)
        ends[dated] = totals.ends.of(columns.text(mapping.columns[DATE_END])[dated])
        codes[DATE_END] = ends
    return codes


def _date_columns(
    mapping: frame.ColumnMap, totals: _Totals, stages: Stages | None
) -> list[tuple[str, DateCodes]]:
    """The date columns in the order the whole read parses them (frame.py)."""
    if stages is not None:
        return [(stage, stages.codes[stage]) for stage in stages.names]
    return [("date", totals.starts), *([(DATE_END, totals.ends)] if DATE_END in mapping.columns else [])]


def _add_block(
    table: reader.Table,
    columns: frame.Columns,
    skipped: list[Skipped],
    codes: dict[str, np.ndarray],
    mapping: frame.ColumnMap,
    profile: Profile,
    totals: _Totals,
    stages: Stages | None,
    unmapped_sums: bool,
) -> None:
    """frame.build on one block's data rows (`columns`), its dates as `codes`: `_stage_events`
    for a stage export, `_dated_rows` for any other."""
    totals.skipped += skipped
    totals.data_rows += len(columns)
    if stages is not None:
        totals.skipped += stages.add(columns, mapping, codes)
    else:
        _add_dated_rows(columns, codes, profile, mapping, totals)
    if unmapped_sums:
        add_unread_values(table.headers, mapping, columns, totals.sums)


def _add_dated_rows(
    columns: frame.Columns,
    codes: dict[str, np.ndarray],
    profile: Profile,
    mapping: frame.ColumnMap,
    totals: _Totals,
) -> None:
    """frame.build's `_dated_rows` on one block's data rows."""
    rows = columns
    starts = codes["date"]
    frame._keep_labels_as_text(rows, mapping)
    undated = starts < 0
    if undated.any():
        totals.undated += frame._undated(rows, mapping, undated)
        rows, starts = rows.kept(~undated), starts[~undated]
    totals.dated_rows += len(rows)
    labels: dict[str, np.ndarray] = {"date": starts}
    if DATE_END in mapping.columns:
        labels[DATE_END] = codes[DATE_END][~undated]
    for dimension in (d for d in DIMENSIONS[1:] if d in mapping.columns):
        labels[dimension] = distinct.labels(rows.text(mapping.columns[dimension]))
    rows.forget_text()
    figures = pd.DataFrame(index=pd.RangeIndex(len(rows)))
    for metric in (m for m in METRICS if m in mapping.columns):
        figures[metric] = frame._metric(rows, mapping, metric)
        frame._release(rows, mapping, metric)
    totals.unread += frame._add_results(figures, rows, mapping)
    if profile.count_rows_as:
        figures[profile.count_rows_as] = 1.0
    totals.labels.append(labels)
    totals.figures.append(figures)


def _joined(totals: _Totals, mapping: frame.ColumnMap, profile: Profile) -> pd.DataFrame:
    """The blocks as one frame, built column by column as `frame._dated_rows` builds it.

    The same arrays assigned in the same order give the same dtypes (a dimension column is `str`,
    or object when every value is missing, as pandas infers it from the whole column). A block
    without a row of some Results metric lacks its column: NaN there, as `results.split` fills
    it. Each block's column is freed once joined.
    """
    joined = pd.DataFrame({"date": totals.starts.dates(_popped(totals.labels, "date"))})
    if DATE_END in mapping.columns:
        ends = totals.ends.dates(_popped(totals.labels, DATE_END))
        joined[DATE_END] = np.where(np.isnat(ends), joined["date"].to_numpy(), ends)
    for dimension in (d for d in DIMENSIONS[1:] if d in mapping.columns):
        joined[dimension] = _popped(totals.labels, dimension)
    for name in _figure_order(totals.figures, mapping, profile):
        pieces = [
            f.pop(name).to_numpy() if name in f.columns else np.full(len(f), np.nan) for f in totals.figures
        ]
        joined[name] = np.concatenate(pieces)
    for metric in (m for m in profile.cumulative if m in joined.columns):  # frame._dated_rows' last step
        joined[metric] = frame._changes(joined["date"], joined[metric])
    return joined


def _popped(blocks: list[dict[str, np.ndarray]], name: str) -> np.ndarray:
    return np.concatenate([block.pop(name) for block in blocks])


def _figure_order(figures: list[pd.DataFrame], mapping: frame.ColumnMap, profile: Profile) -> list[str]:
    """The mapped metrics, then Results' metrics sorted (results.split), then the row count."""
    mapped = [m for m in METRICS if m in mapping.columns]
    counted = [profile.count_rows_as] if profile.count_rows_as and profile.count_rows_as not in mapped else []
    seen = {name for f in figures for name in f.columns} - {"date", DATE_END, *DIMENSIONS}
    return mapped + sorted(seen - {*mapped, *counted}) + counted
