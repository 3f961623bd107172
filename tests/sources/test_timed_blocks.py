"""Dates timed to the second in the block read: coded by day, the whole read's frame and errors.

A 225 MB export with a time on every row has ~2.6M distinct date values: coded as written it
passed MAX_DISTINCT_DATES and was read whole (1.85 GB peak); coded by day (timed.day_keys)
it stays in blocks (326 MiB), with the same output byte for byte. These tests compare the block
read with the whole read on small files, with MAX_DISTINCT_DATES lowered so that coding as written
would have handed them to the whole read.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kpi_cli.errors import DataError
from kpi_cli.sources import date_codes
from kpi_cli.sources.distinct import unique_text
from kpi_cli.sources.timed import day_keys
from kpi_cli.sources.values import TEXT
from tests.sources.test_streamed import _assert_same, _in_blocks, _whole


def test_day_keys_cut_naive_iso_date_times_to_their_day() -> None:
    cells = np.array(
        [
            "2026-10-03 09:15:00",  # -> day
            "2026-10-03T23:59:59.5",  # -> day
            "2026-10-03 09:15",  # -> day
            "2026-10-03",  # a day already
            "2026-10-03 24:00",  # no such time: as written
            "2026-10-03 09:15+09:00",  # an offset: as written
            "10/03/2026 09:15",  # another format: its own key (tests/sources/test_timed_keys.py)
            "２０２６-10-03 09:15",  # full-width digits: as written
            "",
        ],
        dtype=TEXT,
    )
    assert day_keys(cells).tolist() == [
        "2026-10-03",
        "2026-10-03",
        "2026-10-03",
        "2026-10-03",
        "2026-10-03 24:00",
        "2026-10-03 09:15+09:00",
        "10/03/2026 00:00",
        "２０２６-10-03 00:00",
        "",
    ]


def test_unique_text_is_sorted_distinct_values_with_inverse_and_counts() -> None:
    cells = np.array(["b", "a", "b", "", "c", "a", "b"], dtype=TEXT)
    distinct, inverse, counts = unique_text(cells)
    assert distinct.tolist() == ["", "a", "b", "c"]  # code-point order, worked by hand
    assert counts.tolist() == [1, 2, 3, 1]
    assert distinct[inverse].tolist() == cells.tolist()
    assert distinct.dtype == np.dtype(TEXT)


def _timed(path: Path, odd: str | None = None) -> None:
    lines = ["date,campaign,impressions"]
    for i in range(24):
        lines.append(f"2026-10-{1 + i // 8:02d} {i:02d}:{i * 2:02d}:{i % 60:02d},c{i % 2},{i + 1}")
    if odd is not None:
        lines.insert(20, f"{odd},c0,100")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _us_timed(path: Path, odd: str | None = None) -> None:
    lines = ["date,campaign,impressions"]
    for i in range(24):
        hour = i % 24
        lines.append(
            f"10/{1 + i // 8:02d}/2026 {hour % 12 or 12}:{i * 2:02d}:{i % 60:02d} {'AM' if hour < 12 else 'pm'},c{i % 2},{i + 1}"
        )
    if odd is not None:
        lines.insert(20, f"{odd},c0,100")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(autouse=True)
def few_distinct_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    """24 timed rows: coded as written they would pass this bound and go to the whole read."""
    monkeypatch.setattr(date_codes, "MAX_DISTINCT_DATES", 5)


@pytest.mark.parametrize("rows", [1, 3, 7, 100])
@pytest.mark.parametrize("write", [_timed, _us_timed], ids=["iso", "us"])
def test_a_timed_export_in_blocks_is_the_whole_read(tmp_path, monkeypatch, rows, write):
    path = tmp_path / "timed.csv"
    write(path)
    whole = _whole(path, monkeypatch, platform="generic")
    blocks, taken = _in_blocks(path, monkeypatch, rows, platform="generic")
    assert taken  # keyed by day: 3 distinct values, under the bound
    _assert_same(whole, blocks)
    # By hand: 8 rows a day, impressions 1..8, 9..16, 17..24.
    by_day = blocks.frame.groupby(blocks.frame["date"].dt.day)["impressions"].sum().to_dict()
    assert by_day == {1: 36, 2: 100, 3: 164}


def test_an_impossible_day_among_timed_rows_is_named_as_the_whole_read_names_it(tmp_path, monkeypatch):
    path = tmp_path / "timed.csv"
    _timed(path, odd="2026-02-30 10:00:00")
    with pytest.raises(DataError) as whole:
        _whole(path, monkeypatch, platform="generic")
    with pytest.raises(DataError) as blocks:
        _in_blocks(path, monkeypatch, 4, platform="generic")
    assert str(blocks.value) == str(whole.value)
    assert f"{path}:21:1:" in str(blocks.value)  # header is line 1; the odd row was inserted at 20
    assert "2026-02-30 10:00:00" in str(blocks.value)


def test_a_day_first_am_pm_cell_is_named_as_the_whole_read_names_it(tmp_path, monkeypatch):
    path = tmp_path / "timed.csv"
    _us_timed(path, odd="25/10/2026 09:00:00 AM")  # cut to 25/10/2026 it would read day-first
    with pytest.raises(DataError) as whole:
        _whole(path, monkeypatch, platform="generic")
    with pytest.raises(DataError) as blocks:
        _in_blocks(path, monkeypatch, 4, platform="generic")
    assert str(blocks.value) == str(whole.value)
    assert f"{path}:21:1:" in str(blocks.value)
    assert "25/10/2026 09:00:00 AM" in str(blocks.value)
