"""The error path of the read in blocks (streamed.py): bounded, and naming an exact cell (issue 7).

A file read in blocks used to be read again whole to name its first problem (~1.5 GB on a 200 MB
export). Now the blocks name it themselves:
- a bad date is what the whole read names (it parses dates before any figure): the file is read
  a second time in blocks for the first line holding an unreadable value (streamed_errors.py);
- a bad figure is the first in block order, where the whole read names the first in column
  order (a bad `cost` on line 2 before a bad `impressions` on line 5: the whole read says line 5,
  the blocks line 2). Both name a real cell by file:line:col.
The whole read is made to fail here whenever the blocks would hand the file back to it.
Expected messages are written out by hand.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi_cli.errors import DataError
from kpi_cli.sources import Export, read_export, reader, streamed
from kpi_cli.sources.values import TEXT, numbers_from_text
from tests.sources.conftest import FIXTURES
from tests.sources.test_streamed import _whole


def _blocks_only(path: Path, monkeypatch: pytest.MonkeyPatch, rows: int, **options: object) -> Export:
    """The export read in blocks of `rows`; reading it whole is an error of the test."""

    def whole(*args: object, **kwargs: object) -> None:
        raise AssertionError("read whole")

    with monkeypatch.context() as patch:
        patch.setattr(streamed, "MIN_BYTES", 0)
        patch.setattr(streamed, "ROWS_PER_BLOCK", rows)
        patch.setattr(reader, "read_table", whole)
        return read_export(path, **options)  # type: ignore[arg-type]


def _both_fail(path: Path, monkeypatch: pytest.MonkeyPatch, rows: int, **options: object) -> tuple[str, str]:
    with pytest.raises(DataError) as whole:
        _whole(path, monkeypatch, **options)
    with pytest.raises(DataError) as blocks:
        _blocks_only(path, monkeypatch, rows, **options)
    return str(whole.value), str(blocks.value)


PLAIN = "date,campaign,impressions,cost\n"


@pytest.mark.parametrize("rows", [1, 2, 3, 4, 5, 7])
def test_a_bad_figure_is_the_first_in_block_order(tmp_path, monkeypatch, rows):
    """Line 3's cost `1,2x0` is record 2, line 6's impressions `many` record 5. With blocks of 1-4
    records they are in different blocks (records 2 and 5 fall in blocks 2|5, 1|3, 1|2, 1|2) and
    the earlier block's cell is named; with 5 or 7 they share a block, whose own order (the whole
    read's: impressions before cost) names line 6."""
    path = tmp_path / "figures.csv"
    path.write_text(
        PLAIN
        + '2026-10-01,a,1,10\n2026-10-02,a,2,"1,2x0"\n2026-10-03,a,3,30\n2026-10-04,a,4,40\n'
        + "2026-10-05,a,many,50\n2026-10-06,a,6,60\n",
        encoding="utf-8",
    )
    whole, blocks = _both_fail(path, monkeypatch, rows, platform="generic")
    late = f"{path}:6:3: column 'impressions': cannot read 'many' as a number"
    early = f"{path}:3:4: column 'cost': cannot read '1,2x0' as a number"
    assert whole == late
    assert blocks == (late if rows >= 5 else early)


@pytest.mark.parametrize("rows", [1, 2, 3, 5, 100])
def test_a_bad_date_after_a_bad_figure_is_named_as_the_whole_read_names_it(tmp_path, monkeypatch, rows):
    """A negative count on line 2, then on line 6 a date no format reads: the dates are named first."""
    path = tmp_path / "dates.csv"
    path.write_text(
        PLAIN + "2026-10-01,a,-1,1\n2026-10-02,a,2,2\n,a,3,3\n2026-10-04,a,4,4\n2026-10-45,a,5,5\n"
        "2026-10-45,a,6,6\n",
        encoding="utf-8",
    )
    whole, blocks = _both_fail(path, monkeypatch, rows, platform="generic")
    assert whole == blocks == f"{path}:6:1: column 'date': cannot read '2026-10-45' as a date"


@pytest.mark.parametrize("rows", [1, 2, 4, 100])
def test_the_format_that_reads_most_cells_decides_which_date_is_bad(tmp_path, monkeypatch, rows):
    """No format reads every date: `10/25/2026` (five rows) reads month-first only, `25/10/2026`
    and `26/10/2026` (a row each) day-first only. Month-first reads 5 of the 7 cells, so the
    day-first ones are the bad cells and line 3 is named. Counted by distinct value instead, day-first
    would read 2 of 3 and line 2 would be named."""
    path = tmp_path / "formats.csv"
    cells = ["10/25/2026", "25/10/2026", "10/25/2026", "10/25/2026", "26/10/2026", "10/25/2026", "10/25/2026"]
    path.write_text(PLAIN + "".join(f"{c},a,1,1\n" for c in cells), encoding="utf-8")
    whole, blocks = _both_fail(path, monkeypatch, rows, platform="generic")
    assert whole == blocks == f"{path}:3:1: column 'date': cannot read '25/10/2026' as a date"


META = "Reporting starts,Reporting ends,Campaign name,Impressions,Amount spent (JPY)\n"


@pytest.mark.parametrize("rows", [1, 2, 100])
def test_a_bad_last_day_is_looked_for_on_dated_rows_only(tmp_path, monkeypatch, rows):
    """Meta's `Reporting ends` is parsed on the rows with a `Reporting starts` only: line 3 (no
    start: an undated row) holds `soon` too, but line 5's is the one named."""
    path = tmp_path / "meta.csv"
    path.write_text(
        META + "2026-10-01,2026-10-01,a,1,1\n,soon,a,2,2\n2026-10-02,2026-10-02,a,3,3\n"
        "2026-10-03,soon,a,4,4\n",
        encoding="utf-8",
    )
    whole, blocks = _both_fail(path, monkeypatch, rows)
    assert whole == blocks == f"{path}:5:2: column 'Reporting ends': cannot read 'soon' as a date"


@pytest.mark.parametrize("rows", [1, 3, 100])
def test_a_bad_stage_date_of_a_contacts_export(tmp_path, monkeypatch, rows):
    """HubSpot's stage columns are parsed in turn (leads' first): the fixture with one cell of the
    MQL column made unreadable on its last data row."""
    lines = (FIXTURES / "hubspot" / "all-contacts.csv").read_text(encoding="utf-8").splitlines()
    header = next(csv.reader([lines[0]]))
    column = next(i for i, h in enumerate(header) if "marketing qualified lead" in h.lower())
    last = next(csv.reader([lines[-1]]))
    last[column] = "someday"
    lines[-1] = ",".join(f'"{c}"' if "," in c else c for c in last)
    path = tmp_path / "contacts.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    whole, blocks = _both_fail(path, monkeypatch, rows)
    where = f"{path}:{len(lines)}:{column + 1}: column '{header[column]}'"
    assert whole == blocks == f"{where}: cannot read 'someday' as a date"


def test_a_parser_error_after_a_bad_figure_is_named_as_the_whole_read_names_it(tmp_path, monkeypatch):
    """The blocks read on after a bad figure (line 3), so that line 5's extra fields, which the
    whole read finds before it reads any cell, are named."""
    path = tmp_path / "fields.csv"
    path.write_text(PLAIN + "2026-10-01,a,1,1\n2026-10-02,a,x,2\n2026-10-03,a,3,3\n2026-10-04,a,4,4,9\n")
    whole, blocks = _both_fail(path, monkeypatch, 1, platform="generic")
    assert whole == blocks == f"{path}:5: 5 fields where the header has 4"


CELLS = st.sampled_from(
    [
        "1",
        "-3",
        "10.0",
        ".5",
        "1,234",
        "1,23",
        "¥1,200",
        "1,234円",
        "1.2K",
        "1.5万",
        "--",
        "",
        "n/a",
        "1e5",
        "inf",
        "1e400",
        "1_000",
        "12%",
        "abc",
        "１２",
        "+1,234",
        "1,234.5",
        "$5",
        "- 5",
    ]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(CELLS, min_size=1, max_size=12), st.integers(min_value=1, max_value=12))
def test_a_number_cell_reads_the_same_whatever_the_rest_of_its_column(cells, size):
    """numbers_from_text decides some things for the whole column at once (one cast when every
    cell is plain or grouped): a block of a column must read each cell as the column read whole
    does, or a file read in blocks would accept or refuse what its whole read does not.
    `1_000` was the case found: numpy's cast read it as 1000, the cell-by-cell path refused it."""
    whole, whole_bad = numbers_from_text(np.array(cells, dtype=TEXT))
    pieces = [
        numbers_from_text(np.array(cells[i : i + size], dtype=TEXT)) for i in range(0, len(cells), size)
    ]
    values = np.concatenate([p[0] for p in pieces])
    bad = np.concatenate([p[1] for p in pieces])
    np.testing.assert_array_equal(bad, whole_bad)
    np.testing.assert_array_equal(values, whole)  # NaN where NaN (assert_array_equal treats them equal)
    for index, cell in enumerate(cells):  # each cell alone, too
        alone, alone_bad = numbers_from_text(np.array([cell], dtype=TEXT))
        assert alone_bad[0] == whole_bad[index]
        np.testing.assert_array_equal(alone, whole[index : index + 1])


def test_an_underscore_is_never_a_digit_separator():
    values, bad = numbers_from_text(np.array(["1_000", "2"], dtype=TEXT))
    assert bad.tolist() == [True, False]
    assert np.isnan(values[0]) and values[1] == 2.0
