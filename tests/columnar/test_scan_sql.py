"""The grouped scan's cheaper checks decide as the pandas reader does (issue 12's scan speed).

A bad cell is now found on its group's sums (NaN for an unreadable cell, NaN or an infinity in the
sum, a count of negative cells), a summary label by parts searched in the labels other than the
date, a blank name by a regular expression only where the name starts with a space. Each case
below is read both ways: the columnar path must hand the file back (or read it) exactly where the
pandas reader names a cell (or reads it), with the same result.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pytest

from kpi_cli.sources import Export, columnar, columnar_cells, columnar_sql, summary
from tests.columnar.spying import grouped_scans
from tests.columnar.test_agreement import EVERY_DIMENSION, assert_same, both


@pytest.fixture(autouse=True)
def every_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)


@pytest.mark.parametrize(
    ("name", "body"),
    [
        # Commas not grouping thousands: `1,2,3` is not 123 (DuckDB's own `thousands` reads it so).
        ("ill-grouped thousands", '2026-10-01,A,"1,234"\n2026-10-02,A,"1,2,3"\n'),
        ("four digits after a comma", '2026-10-01,A,"1,234"\n2026-10-02,A,"12,3456"\n'),
        ("an exponent in a grouped number", '2026-10-01,A,"1,234"\n2026-10-02,A,"1,234e5"\n'),
        ("a word among grouped numbers", '2026-10-01,A,"1,234"\n2026-10-02,A,five\n'),
        # `nan` is a null token once stripped, but DuckDB casts it to NaN: handed back as before.
        ("nan in a grouped column", '2026-10-01,A,"1,234"\n2026-10-02,A,nan\n'),
        ("infinity in a plain column", "2026-10-01,A,5\n2026-10-02,A,inf\n"),
        ("past the float range", "2026-10-01,A,5\n2026-10-02,A,1e400\n"),
        ("a negative grouped count", '2026-10-01,A,"1,234"\n2026-10-02,A,"-1,234"\n'),
        ("a negative count in a later row", "2026-10-01,A,5\n" * 3 + "2026-10-03,B,-1\n"),
    ],
)
def test_a_cell_the_pandas_reader_names_hands_the_file_back(tmp_path: Path, name: str, body: str) -> None:
    path = tmp_path / "export.csv"
    path.write_text("date,campaign,impressions\n" + body, encoding="utf-8")
    slow, fast, taken = both(path, EVERY_DIMENSION)
    assert not taken, name
    assert_same(slow, fast, taken)


def test_null_tokens_and_grouped_numbers_stay_on_duckdb(tmp_path: Path) -> None:
    """Worked by hand: impressions 1,234 + 5 = 1239 on the 1st; `--`, `N/A`, ` - ` and an empty
    cell are not measured, so the 2nd has no impressions (NaN, never 0). Money may be negative."""
    path = tmp_path / "export.csv"
    lines = [
        "date,campaign,impressions,cost",
        '2026-10-01,A,"1,234","-1,000.5"',
        "2026-10-01,B,5,2",
        "2026-10-02,A,--,N/A",
        "2026-10-02,B, - ,",
        '2026-10-02,C,,"  3,000 "',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    slow, fast, taken = both(path, frozenset())
    assert taken
    assert isinstance(fast, Export)
    assert fast.frame["impressions"].tolist()[0] == 1239.0
    assert np.isnan(fast.frame["impressions"].tolist()[1])
    assert fast.frame["cost"].tolist() == [-998.5, 3000.0]
    assert_same(slow, fast, taken)


@pytest.mark.parametrize(
    ("label", "skipped"),
    [
        ("NaN", True),  # values.spellings adds `NaN` to the summary words: the pandas reader skips it
        ("\u3000合計", True),  # an ideographic space stripped first
        ("\xa0Grand Total", True),
        ("Total: Search", True),
        ("総合計", True),
        ("# a note", False),  # a comment only in the first cell: here a data row named so
        ("Totalizer", False),  # contains `otal` but is no summary word: a candidate, then data
        ("2026-10-01 00:00:00 Total", False),  # in the campaign column, a campaign like any
    ],
)
def test_summary_labels_are_found_as_the_pandas_reader_finds_them(
    tmp_path: Path, label: str, skipped: bool
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(f"date,campaign,impressions\n2026-10-01,A,5\n2026-10-02,{label},6\n", encoding="utf-8")
    slow, fast, taken = both(path, EVERY_DIMENSION)
    assert taken
    assert isinstance(fast, Export)
    assert bool(fast.skipped) is skipped
    assert_same(slow, fast, taken)


@pytest.mark.parametrize("name", ["", " ", "\u3000", "\xa0\t", "\u2003x", " A"])
def test_a_blank_campaign_name_is_found_as_the_pandas_reader_finds_it(tmp_path: Path, name: str) -> None:
    """Meta's summary row has no campaign name: blank once stripped as Python strips."""
    path = tmp_path / "export.csv"
    header = "Reporting starts,Campaign name,Impressions,Amount spent (JPY)"
    lines = [header, "2026-10-01,A,5,1", f'2026-10-01,"{name}",5,1']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    slow, fast, taken = both(path, frozenset())
    assert taken
    assert isinstance(fast, Export)
    assert bool(fast.skipped) is (name.strip() == "")
    assert_same(slow, fast, taken)


def test_the_summary_parts_cover_every_word_summary_py_matches() -> None:
    """Every spelling summary.summary_rows looks up, and every prefix it matches, holds a part."""
    words = [*map(str, summary._SUMMARY_WORDS), *summary._TOTAL_PREFIXES]
    assert all(any(part in word for part in columnar_sql.SUMMARY_PARTS) for word in words)


def test_the_stripped_code_points_are_what_python_strips() -> None:
    stripped = {c for start, end in columnar_cells.STRIPPED_RANGES for c in range(start, end)}
    assert stripped == {c for c in range(0x110000) if chr(c).isspace()}


@pytest.mark.parametrize(
    "cell", ["", " ", "\u3000", "\xa0\t\u2028", "\u205f", " A", "A", "\u2060", "x\u3000"]
)
def test_blank_in_sql_is_empty_once_stripped(cell: str) -> None:
    connection = duckdb.connect()
    got = connection.execute(f"SELECT {columnar_cells.blank('c')} FROM (SELECT ? AS c)", [cell]).fetchone()
    assert got == (cell.strip() == "",)


# --- the scan by distinct labels, and the second scan when one could be a summary ---------------


@pytest.fixture()
def scans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which grouped scans ran, in order: `by_labels` (distinct labels) or `grouped` (each row)."""
    return grouped_scans(monkeypatch)


def _export(path: Path, tail: list[str]) -> Path:
    """60 data rows (past the 50 lines the sample holds), then `tail`."""
    rows = [f"2026-10-0{1 + i % 3},{'AB'[i % 2]},web,{i}" for i in range(60)]
    path.write_text("\n".join(["date,campaign,channel,impressions", *rows, *tail]) + "\n", encoding="utf-8")
    return path


def test_a_file_without_summaries_is_scanned_once_by_distinct_labels(
    tmp_path: Path, scans: list[str]
) -> None:
    """Worked by hand: impressions 0..59 by day i % 3: day 1 = 0+3+...+57 = 570, day 2 590, day 3 610."""
    slow, fast, taken = both(_export(tmp_path / "export.csv", []), frozenset())
    assert taken
    assert scans == ["by_labels"]
    assert isinstance(fast, Export)
    assert fast.frame["impressions"].tolist() == [570.0, 590.0, 610.0]
    assert_same(slow, fast, taken)


@pytest.mark.parametrize(
    ("tail", "dimensions", "skipped"),
    [
        (["2026-10-03,Total,,5"], frozenset(), True),  # a summary label outside the keys
        (["2026-10-03,A,Grand total,5"], frozenset({"channel"}), True),  # in a key (the grain)
        (["Total,,,5"], frozenset(), True),  # a date that does not cast
        (["2026-10-03,Totalizer,web,5"], frozenset(), False),  # a part, but no summary word: data
    ],
)
def test_a_summary_past_the_sample_is_found_by_a_second_scan(
    tmp_path: Path, scans: list[str], tail: list[str], dimensions: frozenset[str], skipped: bool
) -> None:
    slow, fast, taken = both(_export(tmp_path / "export.csv", tail), dimensions)
    assert taken
    assert scans == ["by_labels", "grouped"]
    assert isinstance(fast, Export)
    assert [s.line for s in fast.skipped] == ([62] if skipped else [])
    assert_same(slow, fast, taken)


def test_a_summary_in_the_sample_goes_straight_to_the_row_scan_a_name_column_does_not(
    tmp_path: Path, scans: list[str]
) -> None:
    """A name column keeps only its blank test on each row (test_named_labels.py has the cases)."""
    path = tmp_path / "export.csv"
    path.write_text("date,campaign,impressions\nTotal,Total,11\n2026-10-01,A,5\n2026-10-02,B,6\n", "utf-8")
    assert_same(*both(path, frozenset()))
    meta = tmp_path / "meta.csv"
    header = "Reporting starts,Campaign name,Impressions,Amount spent (JPY)"
    meta.write_text(f"{header}\n2026-10-01,A,5,1\n2026-10-02,B,6,1\n", encoding="utf-8")
    assert_same(*both(meta, frozenset()))
    assert scans == ["grouped", "by_labels"]


def test_groups_are_summed_again_only_where_their_keys_read_alike(tmp_path: Path) -> None:
    """Worked by hand. `2026-10-01` and `2026/10/1` are one day and ` A ` is `A` once stripped, so
    A's 1 October is 3 + 4 = 7 (DuckDB grouped the raw cells apart); `--` is no campaign (missing,
    sorted last). Every other key is unique: its row is taken as DuckDB summed it."""
    path = tmp_path / "export.csv"
    lines = [
        "date,campaign,impressions",
        "2026-10-01,A,3",
        "2026/10/1, A ,4",
        "2026-10-01,B,5",
        "2026-10-02,--,6",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    slow, fast, taken = both(path, EVERY_DIMENSION)
    assert taken and isinstance(fast, Export)
    assert fast.frame["date"].dt.strftime("%m-%d").tolist() == ["10-01", "10-01", "10-02"]
    assert fast.frame["campaign"].fillna("(none)").tolist() == ["A", "B", "(none)"]
    assert fast.frame["impressions"].tolist() == [7.0, 5.0, 6.0]
    assert_same(slow, fast, taken)


def test_a_unique_group_of_minus_zero_sums_to_zero(tmp_path: Path) -> None:
    """No key repeats, so pandas does not sum again; DuckDB's sum starts at 0 and 0 + -0.0 is 0.0,
    as a pandas groupby (and the pandas reader's rows summed) gives: a `-0` cost never prints `-0`."""
    path = tmp_path / "export.csv"
    path.write_text("date,campaign,cost\n2026-10-01,A,-0\n2026-10-01,B,2\n", encoding="utf-8")
    slow, fast, taken = both(path, EVERY_DIMENSION)
    assert taken and isinstance(fast, Export)
    assert fast.frame["cost"].tolist() == [0.0, 2.0]
    assert not np.signbit(fast.frame["cost"].to_numpy()).any()
    assert_same(slow, fast, taken)
