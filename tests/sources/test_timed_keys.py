"""Day keys (timed.py) read as the cells they stand for, over every format in dates.FORMATS.

The reference is the date reader itself on the whole cells: for every format of FORMATS, every
cell built here is parsed whole and as its key by every format (and after `_normalised`), and a
column of them by `dates_from_text`, which picks the first format reading all of it. The cells are
each format's own, and each format's date part with every time shape of FORMATS, so that a date
written in one format's order with another's time is there too: `25/10/2026 09:00:00 AM` (no
format reads it: FORMATS has no day-first AM/PM format) must stay refused, where cut to its day
`25/10/2026` it would be read.
"""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from kpi_cli.sources import timed
from kpi_cli.sources.dates import FORMATS, _normalised, _parse, dates_from_text
from kpi_cli.sources.timed import SHAPES, TIMED_FORMATS, day_keys
from kpi_cli.sources.values import TEXT

# 3 October reads as 10/03 month-first and 03/10 day-first (both exist); 25 October only one way.
DAYS = (datetime(2026, 10, 3), datetime(2026, 10, 25), datetime(2026, 2, 28), datetime(2026, 12, 31))
TIMES = ((0, 0, 0), (0, 5, 9), (9, 3, 47), (11, 59, 59), (12, 0, 0), (12, 30, 1), (13, 5, 2), (23, 59, 59))
_HOUR = re.compile("%[HI]")


def _date_part(written: str) -> str:
    """The format without its time: `%m/%d/%Y %I:%M %p` -> `%m/%d/%Y`."""
    if written == "ISO8601":
        return "%Y-%m-%d"
    hour = _HOUR.search(written)
    return written if hour is None else written[: hour.start() - 1]


def _cells(written: str) -> list[str]:
    """The format's own cells, and its date part with every time shape of FORMATS; hours with
    and without a leading zero, am/pm in both cases."""
    date_part = _date_part(written)
    layouts = {date_part, *(f"{date_part} {shape.written}" for shape in SHAPES)}
    if written == "ISO8601":
        layouts |= {"%Y%m%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y%m%d %H:%M"}
    else:
        layouts.add(written)
    cells = []
    for layout in sorted(layouts):
        for day in DAYS:
            for hour, minute, second in TIMES:
                cell = day.replace(hour=hour, minute=minute, second=second).strftime(layout)
                cells += [
                    cell,
                    re.sub(r" 0([0-9]):", r" \1:", cell),
                    cell.replace("AM", "am").replace("PM", "pm"),
                ]
    return list(dict.fromkeys(cells))


def _same(left: pd.Series, right: pd.Series) -> bool:
    """The same day, or unreadable both (the reader keeps the day: dates_from_text normalises)."""
    left, right = left.dt.normalize(), right.dt.normalize()
    return bool(((left == right) | (left.isna() & right.isna())).all())


def test_the_shapes_are_the_time_parts_of_formats() -> None:
    # By hand from dates.FORMATS: four ways of writing a time follow a date there.
    assert [shape.written for shape in SHAPES] == ["%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M:%S %p"]
    assert TIMED_FORMATS["%m/%d/%Y %I:%M:%S %p"].key("10/03/2026") == "10/03/2026 12:00:00 AM"
    assert TIMED_FORMATS["%a %b %d %Y %H:%M:%S"].key("Mon Feb 17 2026") == "Mon Feb 17 2026 00:00:00"
    assert set(TIMED_FORMATS) == {f for f in FORMATS if "%H" in f or "%I" in f}


def test_a_time_the_table_does_not_know_is_refused_at_import() -> None:
    with pytest.raises(ValueError, match="%f"):
        timed._shape("%H:%M:%S.%f")
    with pytest.raises(ValueError, match="no space"):
        timed._time_parts(("%Y/%m/%dT%H:%M",))


@pytest.mark.parametrize("written", FORMATS)
def test_every_format_reads_a_key_as_it_reads_its_cell(written: str) -> None:
    cells = _cells(written)
    keys = day_keys(np.array(cells, dtype=TEXT)).tolist()
    with_time = [cell for cell in cells if ":" in cell]
    assert with_time and all(timed.timed(cell) for cell in with_time)  # every one keyed
    assert len(set(keys)) < len(set(cells))
    whole, keyed = pd.Series(cells, dtype=object), pd.Series(keys, dtype=object)
    for reader in FORMATS:  # cell by cell, as written and normalised
        assert _same(_parse(whole, reader), _parse(keyed, reader)), reader
        assert _same(_parse(_normalised(whole), reader), _parse(_normalised(keyed), reader)), reader


@pytest.mark.parametrize("written", FORMATS)
def test_a_column_of_keys_reads_as_the_column_of_cells(written: str) -> None:
    """The column's format is chosen over all its cells: own cells, one date part with one time
    shape (day-first with AM/PM: refused), and dates alone mixed with timed ones."""
    cells = _cells(written)
    date_part = _date_part(written)
    columns = [cells, [c for c in cells if ":" not in c]]
    columns += [[c for c in cells if _shape_of(c) == shape.written] for shape in SHAPES]
    columns += [[c for c in cells if _shape_of(c) in (None, shape.written)] for shape in SHAPES]
    assert date_part  # the columns above hold the date part alone and with each time shape
    for column in (c for c in columns if c):
        text = np.array(column, dtype=TEXT)
        values, bad = dates_from_text(text)
        key_values, key_bad = dates_from_text(day_keys(text))
        assert np.array_equal(values, key_values, equal_nan=True), column[:3]
        assert np.array_equal(bad, key_bad), column[:3]


def _shape_of(cell: str) -> str | None:
    for shape in SHAPES:
        if re.fullmatch(shape.pattern, cell):
            return shape.written
    return None


def test_the_traps_by_hand() -> None:
    """Worked out by hand from FORMATS, not by the reader."""
    # No format reads a day-first date with AM/PM: refused whole and as keys.
    day_first = np.array(["25/10/2026 09:00:00 AM", "13/10/2026 01:15:00 PM"], dtype=TEXT)
    assert dates_from_text(day_keys(day_first))[1].tolist() == [True, True]
    # ... and where the day could be a month, the cell is month-first, as whole: 10 March.
    ambiguous = np.array(["03/10/2026 01:15:00 PM", "03/10/2026 11:00:00 AM"], dtype=TEXT)
    assert (
        dates_from_text(day_keys(ambiguous))[0].astype("datetime64[D]").astype(str).tolist()
        == ["2026-03-10"] * 2
    )
    # `10/03/2026` is read by %m/%d/%Y, `10/03/2026 09:15` by %m/%d/%Y %H:%M: no one format reads
    # both, so the whole read refuses the minority (the timed cell here); cut to its day, it passed.
    mixed = np.array(["10/03/2026", "10/04/2026", "10/03/2026 09:15"], dtype=TEXT)
    assert dates_from_text(day_keys(mixed))[1].tolist() == [False, False, True]
    # A US export timed to the second: October 3rd, month first.
    us = np.array(["10/03/2026 12:00:02 AM", "10/03/2026 11:59:59 PM", "10/25/2026 1:05:00 pm"], dtype=TEXT)
    values, bad = dates_from_text(day_keys(us))
    assert not bad.any()
    assert values.astype("datetime64[D]").astype(str).tolist() == ["2026-10-03", "2026-10-03", "2026-10-25"]
    assert len(set(day_keys(us).tolist())) == 2


@pytest.mark.parametrize(
    "cell",
    [
        "10/03/2026 13:05 PM",  # no such 12-hour time
        "10/03/2026 00:05:00 AM",
        "10/03/2026 24:00",
        "10/03/2026 09:60",
        "10/03/2026 09:15:60",  # pandas reads a leap second; not keyed, grouped as written
        "10/03/2026 9:5",  # pandas reads a one-digit minute; not keyed
        "10/03/2026 09:15 +0900",
        "10/03/2026 ０９:15",  # full-width digits
        "10/03/2026 09:15AM",
        "09:15",
    ],
)
def test_cells_that_are_not_keyed_stay_as_written(cell: str) -> None:
    assert day_keys(np.array([cell], dtype=TEXT)).tolist() == [cell]
    assert not timed.timed(cell)


def test_spaces_before_the_time_stay_with_the_date() -> None:
    # pandas reads any run of spaces where a format has one: the key keeps the cell's.
    assert day_keys(np.array(["10/03/2026  09:15"], dtype=TEXT)).tolist() == ["10/03/2026  00:00"]


def test_duckdb_keys_the_cells_as_python_does() -> None:
    """columnar_sql._day_of in DuckDB (RE2) against day_keys (Python's re), on every cell above."""
    import duckdb

    from kpi_cli.sources.columnar_sql import Scan, _day_of

    cells = sorted({cell for written in FORMATS for cell in _cells(written)})
    cells += [
        "2026-10-03T09:15:00.5",
        "2026-10-03 24:00",
        "10/03/2026 13:05 PM",
        "x 10:00",
        "10/03/2026  09:15",
        "",
        "10/03/2026 9:5",
    ]
    scan = Scan(1, 0, ",", 0, None, {}, {}, frozenset(), [0], [], timed=True)
    connection = duckdb.connect()
    rows = connection.execute(
        f"SELECT c0, {_day_of(scan, 0)} FROM (SELECT unnest(?) AS c0) ORDER BY c0", [cells]
    ).fetchall()
    assert dict(rows) == dict(zip(cells, day_keys(np.array(cells, dtype=TEXT)).tolist(), strict=True))
