"""Peak memory of the columnar read path, measured in a child process (issue 7: 200 MB under 1 GB).

The pandas reader keeps every row: its growth is ~6.5 bytes per byte of file (tests/sources/
test_reader_memory.py), 1.42 GB for a 200 MB export. DuckDB streams the body and keeps one row per
day and dimension, so what a review's read costs no longer grows with the file: the child reads
a 40 MB export (the reader's test file, twice as long) and its growth must stay under a fixed
160 MB, which the pandas reader would pass only below ~25 MB. Measured here: 92 MB, most of it
DuckDB's import and its scan buffers. The 200 MB and 10M-row figures are in the README.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.sources.test_reader_memory import child_figures, generic_csv

CHILD = """
import resource, sys
from pathlib import Path
from kpi_cli.sources import columnar, read_export
import duckdb, pandas  # imports are not the read's cost
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
export = read_export(Path(sys.argv[1]), unmapped_sums=False, dimensions=set())
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(before, after, export.data_rows, len(export.frame))
"""
GROWTH_LIMIT = 160 * 1024 * 1024


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KiB on Linux only")
def test_a_review_reads_a_large_export_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "large.csv"
    rows = generic_csv(path, 40 * 1024 * 1024)
    before, after, data_rows, groups = child_figures(CHILD, path, timeout=300)
    assert data_rows == rows
    # generic_csv writes October 1..28 and 50 campaigns; a review by day keeps one row per day.
    assert groups == 28
    growth = (after - before) * 1024
    assert growth < GROWTH_LIMIT, (
        f"{growth / 2**20:.0f} MiB for {path.stat().st_size / 2**20:.0f} MiB of file"
    )


def timed_csv(path: Path, size: int, blank_every: int) -> int:
    """generic_csv's layout with a US date-time to the second on every row, each one distinct
    (`10/07/2026 03:04:05 PM`), and a blank line every `blank_every` rows (0: none) — a blank
    line sends the file to the block reader, none keeps it on the DuckDB scan."""
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("date,campaign,channel,impressions,reach,clicks,cost,conversions\n")
        while out.tell() < size:
            day, second = 1 + rows % 28, rows // 28
            hour, minute, sec = second // 3600 % 12 + 1, second // 60 % 60, second % 60
            stamp = f"10/{day:02d}/2026 {hour:02d}:{minute:02d}:{sec:02d} {'AP'[rows % 2]}M"
            out.write(f"{stamp},campaign {rows % 50},x,{rows % 1000},{rows % 700},{rows % 90},12.5,1\n")
            rows += 1
            if blank_every and rows % blank_every == 0:
                out.write("\n")
    return rows


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KiB on Linux only")
@pytest.mark.parametrize("blank_every", [0, 1000], ids=["duckdb scan", "block read"])
def test_an_export_timed_to_the_second_is_read_by_day_in_bounded_memory(
    tmp_path: Path, blank_every: int
) -> None:
    """A US date-time per row, ~770,000 distinct values in 40 MB: grouped as written, every row was
    a group (889-895 MiB of growth here, a 225 MB file peaked at 2.9 GB); keyed by day
    (sources/timed.py) the review keeps 28 (136 MiB on either path, measured 27 Nov)."""
    path = tmp_path / "timed.csv"
    rows = timed_csv(path, 40 * 1024 * 1024, blank_every)
    before, after, data_rows, groups = child_figures(CHILD, path, timeout=300)
    assert data_rows == rows
    assert groups == 28  # days 1..28 of October, whatever the time of day
    growth = (after - before) * 1024
    assert growth < GROWTH_LIMIT, (
        f"{growth / 2**20:.0f} MiB for {path.stat().st_size / 2**20:.0f} MiB of file"
    )
