"""Peak memory of the read `kpi inspect` and `kpi validate` do (issue 7: 200 MB under 1 GB).

They read by day with the unread columns summed; a large file now takes the columnar path there
too (DuckDB sums the unread columns over the data rows). Before, they kept the row-by-row pandas
reader: 5.77 bytes of growth per byte of file (1.18 GiB for a 200 MB export). The child reads a
40 MB export with two unread columns (a number summed, a text left unsummed): measured 90 MiB of
growth, most of it DuckDB's scan buffers; the bound, a fixed 128 MiB, leaves room for allocator
noise and fails the pandas reader (~230 MiB on this file; it would pass only below ~22 MB).
The 200 MB figures are in the README.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from tests.sources.test_reader_memory import child_figures

CHILD = """
import resource, sys
from pathlib import Path
import duckdb, numpy, pandas  # imports are not the read's cost
from kpi_cli.sources import read_export
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
export = read_export(Path(sys.argv[1]), unmapped_sums=True, dimensions=set())
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
score, status = export.unmapped
assert status.sum is None, status
print(before, after, export.data_rows, export.rows, int(score.sum))
"""
GROWTH_LIMIT = 128 * 1024 * 1024


def export_with_unread_columns(path: Path, size: int) -> tuple[int, int]:
    """A generic export with an unread `score` (integers) and `status` (text); rows and the score's sum."""
    rng = random.Random(11)
    rows = total = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("date,campaign,impressions,clicks,cost,score,status\n")
        while out.tell() < size:
            score = rng.randint(0, 1000)
            day, campaign = rng.randint(1, 28), rng.randint(1, 50)
            status = rng.choice(["active", "paused"])
            out.write(
                f"2026-10-{day:02d},campaign {campaign},{rng.randint(0, 10**5)},7,1.5,{score},{status}\n"
            )
            rows += 1
            total += score
    return rows, total


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KiB on Linux only")
def test_inspect_and_validate_read_a_large_export_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "large.csv"
    rows, total = export_with_unread_columns(path, 40 * 1024 * 1024)
    before, after, data_rows, canonical_rows, score = child_figures(CHILD, path, timeout=300)
    # Every written row is dated and data: one canonical row each, counted though aggregated.
    assert data_rows == canonical_rows == rows
    assert score == total  # summed while writing
    growth = (after - before) * 1024
    assert growth < GROWTH_LIMIT, (
        f"{growth / 2**20:.0f} MiB for {path.stat().st_size / 2**20:.0f} MiB of file"
    )
