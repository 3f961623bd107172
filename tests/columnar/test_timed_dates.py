"""Dates written with a time of day: the scan groups by the day, the result is the pandas reader's.

An event-level export timed to the second has a distinct date value on nearly every row; grouped
as written, a 225 MB file made 2.6M groups and peaked at 2 GB (issue 7). The scan now groups an ISO
date-time by its first ten characters, which is the day the date reader keeps (it drops times,
dates.py). Every case here is compared with the pandas reader, which parses each cell whole.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kpi_cli.sources import Export, columnar
from tests.columnar.test_agreement import EVERY_DIMENSION, assert_same, both


@pytest.fixture(autouse=True)
def every_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)


def _export(tmp_path: Path, stamps: list[str]) -> Path:
    lines = ["date,campaign,impressions,cost"]
    lines += [f"{stamp},C{i % 2},{i + 1},{(i + 1) * 10}" for i, stamp in enumerate(stamps)]
    path = tmp_path / "events.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _seconds(day: int, count: int) -> list[str]:
    return [
        f"2026-10-{day:02d} {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(0, count * 7, 7)
    ]


def _us_seconds(day: int, count: int) -> list[str]:
    """`10/03/2026 12:00:02 AM`: a US export timed to the second (timed.py keys it by its day)."""
    stamps = []
    for s in range(0, count * 7, 7):
        hour = s // 3600
        stamps.append(
            f"10/{day:02d}/2026 {hour % 12 or 12:02d}:{s // 60 % 60:02d}:{s % 60:02d} {'AM' if hour < 12 else 'PM'}"
        )
    return stamps


@pytest.fixture
def groups(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many groups each scan returned."""
    counted: list[int] = []
    original = columnar._grouped

    def spy(*args, **options):  # type: ignore[no-untyped-def]
        result = original(*args, **options)
        counted.append(len(result[0]))  # (the groups, the Scan they were read with)
        return result

    monkeypatch.setattr(columnar, "_grouped", spy)
    return counted


@pytest.mark.parametrize("stamps_of", [_seconds, _us_seconds], ids=["iso", "us"])
def test_rows_timed_to_the_second_are_one_group_per_day(
    tmp_path: Path, groups: list[int], stamps_of: Callable[[int, int], list[str]]
) -> None:
    stamps = stamps_of(3, 40) + stamps_of(4, 25)
    slow, fast, taken = both(_export(tmp_path, stamps), EVERY_DIMENSION)
    assert taken and isinstance(fast, Export) and isinstance(slow, Export)
    assert_same(slow, fast, taken)
    # 2 days x 2 campaigns; grouped as written it was 65 (US dates do not cast in DuckDB, so every
    # row is a candidate row, grouped by its labels too: the date among them is keyed as well).
    assert groups == [4]
    # By hand: two days x two campaigns; impressions 1..65 in all, 1..40 on the 3rd.
    assert len(fast.frame) == 4
    by_day = fast.frame.groupby(fast.frame["date"].dt.day)["impressions"].sum()
    assert by_day.to_dict() == {3: sum(range(1, 41)), 4: sum(range(41, 66))}


@pytest.mark.parametrize(
    "odd",
    [
        "2026-10-05T08:15:00.250",  # T and fractions: the day part
        "2026-10-05",  # a date alone among timed rows
        "2026-10-05 24:00",  # not a valid time of day: grouped as written, read as the reader reads it
        "2026-10-05 08:15+09:00",  # an offset: grouped as written, the offset dropped by the reader
        "2026-02-30 10:00:00",  # an impossible day: the reader names it either way
        "10/05/2026 08:15",  # another format among ISO ones: no one format reads the column
    ],
)
def test_odd_cells_among_timed_rows_read_as_the_pandas_reader_reads_them(tmp_path: Path, odd: str) -> None:
    stamps = [*_seconds(3, 10), odd, *_seconds(4, 10)]
    slow, fast, taken = both(_export(tmp_path, stamps), EVERY_DIMENSION)
    assert_same(slow, fast, taken)


@pytest.mark.parametrize(
    "odd",
    [
        "25/10/2026 09:00:00 AM",  # day-first with AM/PM: no format reads it, whole or keyed
        "10/05/2026",  # a date alone among timed rows: no one format reads the column
        "10/05/2026 13:00:00 PM",  # no such 12-hour time: not keyed
        "Total",
    ],
)
def test_odd_cells_among_us_timed_rows_read_as_the_pandas_reader_reads_them(tmp_path: Path, odd: str) -> None:
    stamps = [*_us_seconds(3, 10), odd, *_us_seconds(4, 10)]
    slow, fast, taken = both(_export(tmp_path, stamps), EVERY_DIMENSION)
    assert_same(slow, fast, taken)
