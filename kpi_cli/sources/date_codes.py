"""A date column numbered by distinct value across blocks of rows (streamed.py, streamed_stages.py).

The date format is the first that reads every value of the column (dates.py): a block of
`03/10/2026`-only dates would read month-first where the file needs day-first. So blocks keep
their date cells as codes into the file's distinct values, parsed once when every block is read.
How many cells each value stands for is counted too: when no format reads every value, the one
reading the most cells decides which cells are unreadable, as it does for the whole column.
"""

from __future__ import annotations

from collections.abc import Callable

from kpi_cli.lazy_pandas import np
from kpi_cli.sources.dates import dates_from_text
from kpi_cli.sources.distinct import unique_text
from kpi_cli.sources.timed import day_keys
from kpi_cli.sources.values import TEXT, null_cells

# A date column with more distinct values than this (timestamps to the second on every row) is
# read whole: the table of distinct values would cost more than the blocks save.
MAX_DISTINCT_DATES = 1_000_000


class ReadWhole(Exception):
    """The file is read whole: a layout or profile this path does not stream."""


# Distinct values and how many cells each stands for -> their dates and which are unreadable.
# (A string: evaluated, `np.ndarray` would import numpy with this module; kpi_cli.lazy_pandas.)
Parser = Callable[["np.ndarray", "np.ndarray"], tuple["np.ndarray", "np.ndarray"]]


class DateCodes:
    """Each distinct cell of a date column numbered once for the whole file."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        # dates.py's formats; yearless.py's months and days once the column is known to be such
        self.parser: Parser = dates_from_text
        # the first cell that is not empty, in file order (yearless.year_for's example)
        self.first: str | None = None
        self.month_days = False  # parsed by yearless.py: its own message for an unreadable cell
        self._cells = np.zeros(0, dtype=np.int64)  # per code: how many cells hold the value
        self._parsed: tuple[np.ndarray, np.ndarray] | None = None

    def of(self, text: np.ndarray) -> np.ndarray:
        """The code of each cell (-1 for a null cell)."""
        codes = np.full(len(text), -1, dtype=np.int32)
        if self.first is None and (filled := text[np.strings.str_len(text) > 0]).size:
            self.first = str(filled[0])
        text = day_keys(text)  # timed cells by day: 2.6M distinct values of a timed export -> 365
        present = ~null_cells(text)
        distinct, index, cells = unique_text(text[present])
        numbered = np.asarray(
            [self.numbers.setdefault(str(value), len(self.numbers)) for value in distinct], dtype=np.int32
        )
        if len(self.numbers) > MAX_DISTINCT_DATES:
            raise ReadWhole("too many distinct dates")
        self._cells = np.concatenate([self._cells, np.zeros(len(self.numbers) - len(self._cells), np.int64)])
        np.add.at(self._cells, numbered, cells)
        self._parsed = None
        codes[present] = numbered[index]
        return codes

    def _parse(self) -> tuple[np.ndarray, np.ndarray]:
        """Every distinct value parsed as the whole column would be: the values, the unreadable."""
        if self._parsed is None:
            self._parsed = self.parser(self.distinct(), self._cells)
        return self._parsed

    def distinct(self) -> np.ndarray:
        """The distinct values, in code order."""
        return np.array(list(self.numbers), dtype=TEXT)

    def parse_as(self, parser: Parser) -> None:
        self.parser, self._parsed = parser, None

    def unreadable(self) -> np.ndarray:
        """The distinct values the whole column's format cannot read (empty when it reads all)."""
        bad = self._parse()[1]
        unreadable: np.ndarray = self.distinct()[bad]
        return unreadable

    def dates(self, codes: np.ndarray) -> np.ndarray:
        """The codes as dates (streamed.py names an unreadable value's line before this is called)."""
        values, bad = self._parse()
        if bad.any():
            raise ReadWhole("an unreadable date: streamed.py names its first line before it asks")
        dates = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[ns]")
        known = codes >= 0
        dates[known] = values[codes[known]]
        return dates
