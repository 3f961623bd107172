"""Date-time cells keyed by their day, so that an export timed to the second has a key per day.

The date reader drops the time of day (dates.py), but it reads a column whole: the format is the
first in `dates.FORMATS` that reads every cell. An event export timed to the second has a distinct
cell on nearly every row; grouped (columnar_sql) or coded (date_codes) as written, a 225 MB file
kept 2.6M keys and peaked at 3 GB (issue 7). So a timed cell is keyed by its day before it is
grouped or coded, and the distinct keys are parsed as the cells would have been.

A key must be read by every format exactly as the cell is, or a column that the whole read refuses
would pass (cut to `25/10/2026`, a day-first `25/10/2026 09:00:00 AM` is read by `%d/%m/%Y`; whole,
no format reads it), and a column mixing `10/03/2026` and `10/03/2026 09:15` (refused whole: no one
format reads both) would be read. So the time is not cut off: it is replaced by one fixed time of
the same shape (`10/03/2026 09:03:47 AM` -> `10/03/2026 12:00:00 AM`). Every format in FORMATS
ends with its time, if any; a format of another shape reads neither the cell nor the key (the
colons and the AM/PM do not fit), and a format of the same shape reads both, to the same day,
because both times are valid in it. The shapes are derived from FORMATS (`SHAPES`), and
tests/sources/test_timed_keys.py checks the claim over every format, cell by cell.

A naive ISO date-time (`2026-10-03 09:15:00`, `2026-10-03T09:15:00.5`) is keyed by its first ten
characters instead: ISO8601 reads both, and no other format reads a dashed date
(dates.ISO_DATE_TIME).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kpi_cli.lazy_pandas import np, pd
from kpi_cli.sources.dates import FORMATS, ISO_DATE_TIME
from kpi_cli.sources.values import TEXT

# What each time directive in FORMATS reads, narrowed to valid values written in ASCII digits, and
# the value a key holds instead. The patterns are a subset of what pandas reads (it also takes a
# one-digit minute, a second of 60 or 61, full-width digits): such a cell is not
# keyed and is grouped as written, which is always right, only larger. RE2 (DuckDB) and Python's
# `re` read these patterns alike.
_DIRECTIVES = {
    "%H": ("(?:[01]?[0-9]|2[0-3])", "00"),
    "%I": ("(?:0?[1-9]|1[0-2])", "12"),
    "%M": ("[0-5][0-9]", "00"),
    "%S": ("[0-5][0-9]", "00"),
    "%p": ("[AaPp][Mm]", "AM"),  # pandas reads am/pm in any case
}
# Literal characters between time directives in FORMATS.
_LITERALS = {":": ":", " ": " "}
_FIRST_TIME_DIRECTIVE = re.compile("%[HI]")
_PART = re.compile("%.|.")


@dataclass(frozen=True)
class TimeShape:
    """The time part of some formats in FORMATS and how a cell written with it is keyed."""

    written: str  # as in the formats: `%I:%M:%S %p`
    pattern: str  # the whole cell: the date as written (group 1), one space, a valid time
    key_time: str  # the fixed time the key holds: `12:00:00 AM`

    def key(self, day: str) -> str:
        return f"{day} {self.key_time}"


def _shape(time_part: str) -> TimeShape:
    patterns, key = [], []
    for part in _PART.findall(time_part):
        if part in _DIRECTIVES:
            pattern, value = _DIRECTIVES[part]
        elif part in _LITERALS:
            pattern = value = _LITERALS[part]
        else:  # a new format in FORMATS with a time this table does not know: add it here
            raise ValueError(f"dates.FORMATS: no day key for {part!r} in {time_part!r}")
        patterns.append(pattern)
        key.append(value)
    return TimeShape(time_part, f"(.+) {''.join(patterns)}", "".join(key))


def _time_parts(formats: tuple[str, ...]) -> dict[str, str]:
    """Each date-time format in `formats` -> its time part (from the first hour directive on)."""
    parts = {}
    for written in formats:
        if (hour := _FIRST_TIME_DIRECTIVE.search(written)) is not None:
            if written[hour.start() - 1] != " ":
                raise ValueError(f"dates.FORMATS: {written!r} has no space before its time")
            parts[written] = written[hour.start() :]
    return parts


# Each date-time format of FORMATS -> the shape of its time; SHAPES: the distinct shapes, in order.
TIMED_FORMATS: dict[str, TimeShape] = {
    written: _shape(time_part) for written, time_part in _time_parts(FORMATS).items()
}
SHAPES: tuple[TimeShape, ...] = tuple({shape.written: shape for shape in TIMED_FORMATS.values()}.values())
_COMPILED = [(re.compile(shape.pattern), shape) for shape in SHAPES]
_ISO = re.compile(ISO_DATE_TIME)


def day_keys(text: np.ndarray) -> np.ndarray:
    """Each date cell as its day key (see the module's docstring); any other cell as written."""
    with_colon = np.flatnonzero(np.strings.find(text, ":") >= 0)  # every time has one; most dates none
    if not len(with_colon):
        return text
    cells = pd.Series(text[with_colon].astype(object), dtype=object)
    keys = cells.map(lambda cell: _key_of(cell) or cell)
    changed = (keys != cells).to_numpy(dtype=bool)
    if not changed.any():
        return text
    keyed = text.copy()
    keyed[with_colon[changed]] = np.asarray(keys[changed].tolist(), dtype=TEXT)
    return keyed


def timed(cell: str) -> bool:
    """The cell is keyed by its day (columnar.py asks it of the sample's dates)."""
    return _key_of(cell) is not None


def _key_of(cell: str) -> str | None:
    if _ISO.fullmatch(cell):
        return cell[:10]
    for pattern, shape in _COMPILED:
        if (match := pattern.fullmatch(cell)) is not None:
            return shape.key(match.group(1))
    return None
