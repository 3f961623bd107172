"""Dates timed to the second in the block read: coded by day, the whole read's frame and errors.

A 225 MB export with a time on every row has ~2.6M distinct date values: coded as written it
passed MAX_DISTINCT_DATES and was read whole (1.85 GB peak); coded by day (date_codes.day_part)
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
from kpi_cli.sources.date_codes import day_part
from kpi_cli.sources.distinct import unique_text
from kpi_cli.sources.values import TEXT
from tests.sources.test_streamed import _assert_same, _in_blocks, _whole


def test_day_part_cuts_only_naive_iso_date_times() -> None:
    cells = np.array(
        [
            "2026-10-03 09:15:00",  # -> day
            "2026-10-03T23:59:59.5",  # -> day
            "2026-10-03 09:15",  # -> day
            "2026-10-03",  # a day already
            "2026-10-03 24:00",  # no such time: as written
            "2026-10-03 09:15+09:00",  # an offset: as written
            "10/03/2026 09:15",  # another format: as written
            "２０２６-10-03 09:15",  # full-width digits: as written
            "",
        ],
        dtype=TEXT,
    )
    assert day_part(cells).tolist() == [
        "2026-10-03",
        "2026-10-03",
        "2026-10-03",
        "2026-10-03",
        "2026-10-03 24:00",
        "2026-10-03 09:15+09:00",
        "10/03/2026 09:15",
        "２０２６-10-03 09:15",
        "",
    ]


def test_unique_text_is_sorted_distinct_values_with_inverse_and_counts() -> None:
    cells = np.array(["b", "a", "b", "", "c", "a", "b"], dtype=TEXT)
    distinct, inverse, counts = unique_text(cells)
    assert distinct.tolist() == ["", "a", "b", "c"]  # code-point order, worked by hand
    assert counts.tolist() == [1, 2, 3, 1]
    assert distinct[inverse].tolist() == cells.tolist()
    assert distinct.dtype == TEXT


def _timed(path: Path, odd: str | None = None) -> None:
    lines = ["date,campaign,impressions"]
    for i in range(24):
        lines.append(f"2026-10-{1 + i // 8:02d} {i:02d}:{i * 2:02d}:{i % 60:02d},c{i % 2},{i + 1}")
    if odd is not None:
        lines.insert(20, f"{odd},c0,100")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(autouse=True)
def few_distinct_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    """24 timed rows: coded as written they would pass this bound and go to the whole read."""
    monkeypatch.setattr(date_codes, "MAX_DISTINCT_DATES", 5)


@pytest.mark.parametrize("rows", [1, 3, 7, 100])
def test_a_timed_export_in_blocks_is_the_whole_read(tmp_path, monkeypatch, rows):
    path = tmp_path / "timed.csv"
    _timed(path)
    whole = _whole(path, monkeypatch, platform="generic")
    blocks, taken = _in_blocks(path, monkeypatch, rows, platform="generic")
    assert taken  # coded by day: 3 distinct values, under the bound
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
