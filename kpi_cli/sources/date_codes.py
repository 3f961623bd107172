"""A date column numbered by distinct value across blocks of rows (streamed.py, streamed_stages.py).

The date format is the first that reads every value of the column (dates.py): a block of
`03/10/2026`-only dates would read month-first where the file needs day-first. So blocks keep
their date cells as codes into the file's distinct values, parsed once when every block is read.
"""

from __future__ import annotations

import numpy as np

from kpi_cli.sources.dates import dates_from_text
from kpi_cli.sources.values import null_cells

# A date column with more distinct values than this (timestamps to the second on every row) is
# read whole: the table of distinct values would cost more than the blocks save.
MAX_DISTINCT_DATES = 1_000_000


class ReadWhole(Exception):
    """The file is read whole: a layout or profile this path does not stream, or an error to name."""


class DateCodes:
    """Each distinct cell of a date column numbered once for the whole file."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def of(self, text: np.ndarray) -> np.ndarray:
        """The code of each cell (-1 for a null cell)."""
        codes = np.full(len(text), -1, dtype=np.int32)
        present = ~null_cells(text)
        distinct, index = np.unique(text[present], return_inverse=True)
        numbered = [self.numbers.setdefault(str(value), len(self.numbers)) for value in distinct]
        if len(self.numbers) > MAX_DISTINCT_DATES:
            raise ReadWhole("too many distinct dates")
        codes[present] = np.asarray(numbered, dtype=np.int32)[index.reshape(-1)]
        return codes

    def dates(self, codes: np.ndarray) -> np.ndarray:
        """The codes as dates, every distinct value parsed as the whole column would be."""
        distinct = np.array(list(self.numbers), dtype=np.dtypes.StringDType())
        values, bad = dates_from_text(distinct)
        if bad.any():
            raise ReadWhole("an unreadable date: the whole read names the first")
        dates = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[ns]")
        known = codes >= 0
        dates[known] = values[codes[known]]
        return dates
