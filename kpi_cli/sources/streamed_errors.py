"""The line of the first unreadable date of a file read in blocks (streamed.py), read again in blocks.

The date format is decided over the whole column (date_codes.py), so a cell is known to be
unreadable only once every block is read, and by then its line is gone: the blocks keep codes,
not lines. The body is read a second time, block by block, looking for the unreadable values
only, and the message is the whole read's (frame.py's `Columns.dates`): the first such cell of
the first date column the whole read parses (the date, then the last day of the rows that have
a date; a stage export's stage columns in turn), in file order. The memory is one block's, where
reading the file whole again to name the cell peaked at ~1.5 GB on a 200 MB export (issue 7).

Why the dates come first, even after a figure failed in an earlier block: the whole read parses a
column at a time, the dates before any figure, so a bad date anywhere is what it names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from kpi_cli.errors import DataError
from kpi_cli.lazy_pandas import np
from kpi_cli.sources import frame, yearless
from kpi_cli.sources.canonical import DATE_END
from kpi_cli.sources.date_codes import DateCodes, ReadWhole
from kpi_cli.sources.profile import Profile
from kpi_cli.sources.reader import Table
from kpi_cli.sources.timed import day_keys
from kpi_cli.sources.values import null_cells


def first_unreadable_date(
    blocks: Iterable[Table],
    profile: Profile,
    mapping: frame.ColumnMap,
    path: Path,
    columns: Sequence[tuple[int, DateCodes]],
) -> DataError | None:
    """The whole read's error for the first unreadable date, None when every date reads.

    `columns`: (position, codes) of each date column, in the order the whole read parses them;
    `blocks` is only read when one of them has an unreadable value.
    """
    for position, codes in columns:
        unreadable = codes.unreadable()
        if len(unreadable):
            return _first_line(blocks, profile, mapping, path, position, codes)
    return None


def _first_line(
    blocks: Iterable[Table],
    profile: Profile,
    mapping: frame.ColumnMap,
    path: Path,
    position: int,
    codes: DateCodes,
) -> DataError:
    unreadable = codes.unreadable()
    # The last day is parsed on the rows that have a first day only (frame._dated_rows).
    dated_only = not profile.events and position == mapping.columns.get(DATE_END)
    for block in blocks:
        rows, _ = frame._data_rows(frame.Columns(block, path), profile, mapping)
        if dated_only:
            rows = rows.kept(~null_cells(rows.text(mapping.columns["date"])))
        text = rows.text(position)
        hit = np.isin(day_keys(text), unreadable)  # coded by day key (timed.py)
        if hit.any() and codes.month_days:  # yearless.dated's message, which names no line
            return yearless.refused(f"{path}: column '{block.headers[position]}'", str(text[hit][0]))
        if hit.any():
            try:
                rows._check(text, hit, position, "a date")
            except DataError as error:
                return error
    raise ReadWhole("an unreadable date not found again: the whole read names it")
