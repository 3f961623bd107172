"""Vectorised date reading: one explicit format per column, the first that reads every value.

A column is parsed with a handful of `pd.to_datetime(format=...)` calls, never cell by cell. The
formats are tried in order on a sample first, so that a 100,000-row column costs one or two full
parses. Month-first (`10/03/2026` = October 3) is tried before day-first because the platforms
that write slashed dates (HubSpot, Meta, LinkedIn) write them US style; Japanese exports write
`2026/10/03` or `2026年10月3日`, which are unambiguous.

Times and UTC offsets are dropped: a row belongs to the calendar day written in the export (the
platform's reporting time zone), which is the day its dashboard shows.
"""

from __future__ import annotations

import warnings

from kpi_cli.lazy_pandas import np, pd
from kpi_cli.sources.values import Parsed, as_text, null_cells

FORMATS = (
    "ISO8601",  # 2026-10-03, 2026-10-03T22:00:00, 20261003, 2026-10-03 22:00 +0000
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%a, %b %d, %Y",  # Sat, Sep 6, 2026
    "%a %b %d %Y",  # Mon Feb 17 2026
    "%a %b %d %Y %H:%M:%S",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d, %Y %I:%M %p",  # Oct 06, 2026 09:30 am
    "%b %d, %Y %H:%M",
    "%m/%d/%Y",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",  # 10/03/2026 09:03:47 AM
    "%d/%m/%Y",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d.%m.%Y",
    "%d %b %Y",
    "%d %B %Y",
)
# A naive ISO date-time with a valid time of day. The reader drops the time, and for such a cell
# the day it reads is the one it reads from the cell's first ten characters: both parse with
# ISO8601 (no other format reads a dashed date), both fail on an impossible date. So an export
# timed to the second, a distinct value on nearly every row, is keyed by its day (timed.py) when
# it is grouped (columnar_sql) or coded (date_codes). ASCII digits only: `\d` would take
# full-width ones too.
ISO_DATE_TIME = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,9})?)?"
)
_JAPANESE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_WEEKDAY_NOTE = r"\s*[(（][月火水木金土日][)）]"
_ZONE = r"\s*(?:[+-]\d{2}:?\d{2}|UTC|GMT|Z)$"
_SAMPLE = 20
# A marketing export dated outside these years is a misread cell (and beyond datetime64[ns]).
_FIRST_YEAR, _LAST_YEAR = 1900, 2200


def to_dates(raw: pd.Series) -> Parsed:
    """Dates at midnight (datetime64[ns]); nulls are NaT and not reported as unreadable."""
    values, bad = dates_from_text(as_text(raw))
    return Parsed(pd.Series(values, index=raw.index), pd.Series(bad, index=raw.index))


def dates_from_text(cells: np.ndarray, weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """`to_dates` on stripped text: datetime64[ns] values and the unreadable cells.

    `weights`: how many cells of the column each of `cells` stands for, when `cells` are its
    distinct values (date_codes.py). The format chosen is then the one the whole column gets:
    the first format that reads every value does not depend on how often each is written, but
    when none does, the one reading the most cells does.
    """
    present = ~null_cells(cells)
    text = pd.Series(cells[present].astype(object), dtype=object)
    parsed = _first_format(text)
    if parsed is None:
        parsed = _first_format(_normalised(text))
    if parsed is None:
        parsed = _best_effort(_normalised(text), None if weights is None else weights[present])
    values = np.full(len(cells), np.datetime64("NaT"), dtype="datetime64[ns]")
    values[present] = parsed.dt.normalize().to_numpy(dtype="datetime64[ns]")
    return values, np.isnat(values) & present


def _normalised(text: pd.Series) -> pd.Series:
    """`2026年10月3日` → `2026/10/3`, `2026/10/03(土)` → `2026/10/03`, trailing UTC offsets dropped."""
    text = text.str.replace(_JAPANESE, r"\1/\2/\3", regex=True)
    text = text.str.replace(_WEEKDAY_NOTE, "", regex=True)
    return text.str.replace(_ZONE, "", regex=True).str.strip()


def _first_format(text: pd.Series) -> pd.Series | None:
    """The column parsed with the first format that reads all of it, None if no format does."""
    sample = text.iloc[:_SAMPLE]
    for fmt in FORMATS:
        if _parse(sample, fmt).notna().all():
            full = _parse(text, fmt)
            if bool(full.notna().all()):
                return full
    return None


def _best_effort(text: pd.Series, weights: np.ndarray | None = None) -> pd.Series:
    """The format reading the most values, so that the error names a genuinely odd cell."""
    attempts = (_parse(text, fmt) for fmt in FORMATS)
    if weights is None:
        return max(attempts, key=lambda parsed: int(parsed.notna().sum()))
    return max(attempts, key=lambda parsed: int(weights[parsed.notna().to_numpy()].sum()))


def _parse(text: pd.Series, fmt: str) -> pd.Series:
    """Naive timestamps (wall time as written); unreadable values are NaT."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            parsed = pd.to_datetime(text, format=fmt, errors="coerce")
        except (ValueError, TypeError):
            return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        parsed = parsed.dt.tz_localize(None)
    plausible = (parsed.dt.year >= _FIRST_YEAR) & (parsed.dt.year <= _LAST_YEAR)
    return parsed.where(plausible).astype("datetime64[ns]")
