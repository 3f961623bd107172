"""Dates written without a year (TikTok Studio's overview export: `October 1`).

The year is never guessed from today's date: a file read a year later would land in the wrong
year. It comes from the source's `year:` or from a year in the file name
(`Overview_2026-10-01_2026-10-28.csv`); without either the read stops and says so.
"""

from __future__ import annotations

import re
from pathlib import Path

from kpi_cli.errors import DataError
from kpi_cli.lazy_pandas import np, pd
from kpi_cli.sources.values import null_cells

_MONTH_DAY = r"[A-Za-z]+\.? \d{1,2}"
_YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


def applies(text: np.ndarray) -> bool:
    """Every filled cell is `Month day` (so a dated file is never touched)."""
    filled = text[~null_cells(text)]
    if not len(filled):
        return False
    return bool(pd.Series(filled.astype(object), dtype=object).str.fullmatch(_MONTH_DAY).all())


def year_for(path: Path, configured: int | None, header: str, text: np.ndarray) -> int:
    if configured is not None:
        return configured
    years = set(_YEAR_IN_NAME.findall(path.name))
    if len(years) == 1:
        return int(years.pop())
    example = next(str(t) for t in text if str(t))
    raise DataError(
        f"{path}: column '{header}' has dates without a year ('{example}') and the year is missing: "
        "put it in the file name (e.g. Overview_2026.csv) or set `year:` on the source"
    )


def dated(text: np.ndarray, year: int, where: str) -> np.ndarray:
    """The cells as datetime64 in `year`; empty cells NaT."""
    values, bad = month_days(text, year)
    if bad.any():
        raise refused(where, str(text[bad][0]))
    return values


def month_days(text: np.ndarray, year: int) -> tuple[np.ndarray, np.ndarray]:
    """The cells as datetime64 in `year` (empty cells NaT) and the unreadable ones, cell by cell:
    a file read in blocks parses its distinct values with it (streamed.py)."""
    cells = pd.Series(text.astype(object), dtype=object).mask(null_cells(text))
    parsed = pd.to_datetime(
        cells.str.replace(".", "", regex=False) + f" {year}", format="%B %d %Y", errors="coerce"
    )
    short = pd.to_datetime(
        cells.str.replace(".", "", regex=False) + f" {year}", format="%b %d %Y", errors="coerce"
    )
    values = parsed.fillna(short)
    bad = values.isna() & cells.notna()
    return values.to_numpy(dtype="datetime64[ns]"), bad.to_numpy(dtype=bool)


def refused(where: str, cell: str) -> DataError:
    return DataError(f"{where}: cannot read '{cell}' as a month and day")
