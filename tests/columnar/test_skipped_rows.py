"""Where the columnar path finds its skipped rows: in the sniffed first rows, or by a second scan.

Meta's summary row is the first: when the first rows hold as many skipped rows as DuckDB's groups
count, no second scan runs. A `Total` row past them (Google Ads writes it last) still needs the
scan. Both ways the skipped lines and reasons must be the pandas reader's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kpi_cli.sources import Export, columnar
from tests.columnar.test_agreement import EVERY_DIMENSION, assert_same, both


@pytest.fixture(autouse=True)
def every_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each second scan for skipped rows appends how many rows it looked for."""
    ran: list[int] = []
    original = columnar._skipped_lines

    def spy(*args, **options):  # type: ignore[no-untyped-def]
        ran.append(int(args[-1]["n_rows"].sum()))
        return original(*args, **options)

    monkeypatch.setattr(columnar, "_skipped_lines", spy)
    return ran


def _export(tmp_path: Path, totals_at: list[int], rows: int = 120) -> Path:
    lines = ["date,campaign,impressions,cost"]
    for index in range(rows):
        lines.append(f"2026-10-{index % 28 + 1:02d},C{index % 3},{index},{index * 10}")
    for line in sorted(totals_at):  # physical line numbers of the `Total` rows (header is line 1)
        lines.insert(line - 1, "Total,,999,9990")
    path = tmp_path / "ads.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_skipped_rows_in_the_first_lines_need_no_second_scan(tmp_path: Path, scans: list[int]) -> None:
    slow, fast, taken = both(_export(tmp_path, [2, 5]), EVERY_DIMENSION)
    assert taken and isinstance(fast, Export)
    assert [(s.line, s.reason) for s in fast.skipped] == [(2, "summary row"), (5, "summary row")]
    assert scans == []
    assert_same(slow, fast, taken)


def test_a_skipped_row_past_the_first_lines_is_found_by_the_scan(tmp_path: Path, scans: list[int]) -> None:
    # Line 3 is in the sniffed rows, line 100 is not: the scan looks for both (2 rows).
    slow, fast, taken = both(_export(tmp_path, [3, 100]), EVERY_DIMENSION)
    assert taken and isinstance(fast, Export)
    assert [(s.line, s.reason) for s in fast.skipped] == [(3, "summary row"), (100, "summary row")]
    assert scans == [2]
    assert_same(slow, fast, taken)
