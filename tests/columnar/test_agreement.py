"""The columnar (DuckDB) read path and the pandas reader give the same frame, skipped lines and rows.

Every fixture export and sample file is read both ways: the pandas reader's rows, summed by the
test itself to the columnar path's grain (day, report end, each dimension), must equal what DuckDB
returned; skipped lines and reasons, data rows, columns, platform and encoding must be equal; where
the columnar path hands a file back (a layout or cell it leaves to the pandas reader) the result is
the pandas reader's by construction, so the test also asserts that enough files really take it.
A hypothesis test does the same on generated exports with grouped numbers, null tokens, summary
rows and blank names mixed in.
"""

from __future__ import annotations

import csv
import string
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi_cli.errors import DataError
from kpi_cli.sources import Export, columnar, columnar_sql, read_export
from kpi_cli.sources.canonical import DATE_END, DIMENSIONS, METRICS
from tests.columnar.spying import columnar_reads, grouped_scans

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(
    [*(ROOT / "tests" / "fixtures" / "exports").rglob("*.csv"), *(ROOT / "sample_data").rglob("*.csv")]
)
EVERY_DIMENSION = frozenset(DIMENSIONS[1:])


@pytest.fixture(autouse=True)
def every_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixtures are small; the threshold that keeps small files on pandas is lowered to 0."""
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)


def both(
    path: Path, dimensions: frozenset[str], unmapped_sums: bool = False
) -> tuple[Export | str, Export | str, bool]:
    """(pandas reader, columnar path, whether DuckDB read it); an error as its message."""

    def attempt(**options: object) -> Export | str:
        try:
            return read_export(path, unmapped_sums=unmapped_sums, **options)  # type: ignore[arg-type]
        except DataError as error:
            return str(error)

    with columnar_reads() as taken:
        fast = attempt(dimensions=dimensions)
    return attempt(), fast, bool(taken and taken[0])


def both_in_form(
    path: Path, dimensions: frozenset[str], monkeypatch: pytest.MonkeyPatch, shared: bool
) -> Any:
    """`both`, with the label groups in one SQL form (`shared`: the scans streamed from one CTE),
    and the grouped scans that ran, in order."""
    ran = grouped_scans(monkeypatch)
    monkeypatch.setattr(columnar_sql, "_streams_shared_scans", lambda: shared)
    slow, fast, taken = both(path, dimensions)
    monkeypatch.undo()
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    return slow, fast, taken, ran


def summed(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The pandas reader's rows summed to the grain, the way the review's sums see them."""
    metrics = [m for m in METRICS if m in frame.columns]
    table = frame[[*keys, *metrics]].copy()
    for key in keys[1:]:
        if key != DATE_END:
            table[key] = table[key].astype("string")
    grouped = table.groupby(keys, dropna=False, sort=True)[metrics].sum(min_count=1).reset_index()
    return grouped.sort_values(keys, kind="stable").reset_index(drop=True)


def assert_same(slow: Export | str, fast: Export | str, taken: bool) -> None:
    if isinstance(slow, str) or isinstance(fast, str):
        assert slow == fast
        return
    assert fast.skipped == slow.skipped
    assert fast.data_rows == slow.data_rows
    assert (fast.platform, fast.encoding, fast.delimiter) == (slow.platform, slow.encoding, slow.delimiter)
    assert fast.columns == slow.columns
    assert [u.header for u in fast.unmapped] == [u.header for u in slow.unmapped]
    # The unread columns' sums (None when not asked, not numeric, or an identifier) agree too.
    assert [u.sum is None for u in fast.unmapped] == [u.sum is None for u in slow.unmapped]
    assert [u.sum for u in fast.unmapped] == pytest.approx([u.sum for u in slow.unmapped], rel=1e-12)
    assert fast.rows == slow.rows  # every data row is one canonical row on the columnar path
    assert fast.warnings == slow.warnings
    keys = [c for c in ("date", DATE_END, *DIMENSIONS[1:]) if c in fast.frame.columns]
    assert set(fast.frame.columns) <= set(slow.frame.columns)
    expected = summed(slow.frame, keys)
    got = summed(fast.frame, keys)
    if taken:  # DuckDB's frame is one row per key already: summing again changes nothing
        assert len(got) == len(fast.frame)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, rtol=1e-12)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
@pytest.mark.parametrize("dimensions", [EVERY_DIMENSION, frozenset()], ids=["every-dimension", "day"])
@pytest.mark.parametrize("unmapped_sums", [False, True], ids=["review", "unread-sums"])
def test_both_read_paths_agree_on_every_fixture_export(
    path: Path, dimensions: frozenset[str], unmapped_sums: bool
) -> None:
    assert_same(*both(path, dimensions, unmapped_sums))


def test_most_fixture_exports_take_the_columnar_path() -> None:
    """Without this the agreement above could hold because every file fell back."""
    taken = {p.name for p in FILES if both(p, EVERY_DIMENSION)[2]}
    summed = {p.name for p in FILES if both(p, frozenset(), unmapped_sums=True)[2]}
    # With the unread columns summed (inspect, validate) a file with an unread currency or other
    # cell only the pandas reader reads falls back; most still take the columnar path (23 of 26).
    assert {"meta_ads_campaigns.csv", "sns_smb.csv"} <= summed, sorted(summed)
    assert len(summed) >= len(taken) * 3 // 4, sorted(taken - summed)
    # The Meta Ads export with its blank-name summary row, Google Ads' `合計` rows, a generic file.
    assert {"meta_ads_campaigns.csv", "campaign_report_ja.csv", "sns_smb.csv"} <= taken
    assert len(taken) >= len(FILES) // 2, sorted(taken)


def test_a_cp932_export_is_transcoded_and_read_by_duckdb(tmp_path: Path) -> None:
    path = tmp_path / "yahoo.csv"
    rows = ["日付,キャンペーン名,インプレッション数,クリック数,コスト"]
    rows += [f"2026-10-{d:02d},秋のセール,{d * 100},{d},{d * 1000}" for d in range(1, 11)]
    rows += ["合計,,5500,55,55000"]
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp932"))
    slow, fast, taken = both(path, EVERY_DIMENSION)
    assert taken
    assert isinstance(fast, Export)
    assert fast.encoding == "cp932"
    # Worked by hand: 100 * (1 + ... + 10) impressions; the 合計 row on line 12 is skipped.
    assert fast.frame["impressions"].sum() == 5500
    assert [(s.line, s.reason) for s in fast.skipped] == [(12, "summary row")]
    assert_same(slow, fast, taken)


# --- generated exports ---------------------------------------------------------------------------

CELLS = st.one_of(
    st.integers(0, 10**7).map(str),
    st.integers(1000, 10**9).map(lambda n: f"{n:,}"),
    st.sampled_from(["", "--", "-", "N/A", " 12 ", "1.5", "-3", "1.2K", "¥1,200", "abc", "1,2"]),
)
NAMES = st.one_of(
    st.text(string.ascii_letters + " ", min_size=1, max_size=8).map(lambda s: s.strip() or "x"),
    st.sampled_from(
        ["", "Total", "合計", "Grand total", "Total: Account", "--", " Autumn ", "NaN", "\u3000合計"]
    ),
)
DATES = st.one_of(
    st.dates(min_value=pd.Timestamp("2026-01-01").date(), max_value=pd.Timestamp("2026-03-31").date()).map(
        str
    ),
    st.sampled_from(["", "Total", "# note", "2026/02/03"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.tuples(DATES, NAMES, CELLS, CELLS), min_size=1, max_size=30),
    blank_summary=st.booleans(),
)
def test_both_read_paths_agree_on_generated_exports(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, str, str, str]], blank_summary: bool
) -> None:
    path = tmp_path_factory.mktemp("generated") / "export.csv"
    header = (
        "Reporting starts,Campaign name,Impressions,Amount spent (JPY)"
        if blank_summary
        else ("date,campaign,impressions,cost")
    )
    # Written by a CSV writer (cells with commas quoted), as every platform's export is: DuckDB
    # ignores an empty field past the header's width where pandas refuses the row (see columnar.py).
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(header + "\n")
        csv.writer(out, lineterminator="\n").writerows(rows)
    for dimensions in (EVERY_DIMENSION, frozenset()):
        assert_same(*both(path, dimensions))
    assert_same(*both(path, frozenset(), unmapped_sums=True))


def test_the_generated_exports_reach_the_columnar_path(tmp_path: Path) -> None:
    """A clean generated export (grouped numbers, nulls, a summary row) is read by DuckDB."""
    path = tmp_path / "export.csv"
    lines = ["date,campaign,impressions,cost", '2026-01-01,A,"1,000",--', "2026-01-02,B,5,7", "Total,,1005,7"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    slow, fast, taken = both(path, EVERY_DIMENSION)
    assert taken
    assert isinstance(fast, Export)
    assert fast.frame["impressions"].tolist() == [1000.0, 5.0]
    assert np.isnan(fast.frame["cost"].iloc[0])
    assert [(s.line, s.reason) for s in fast.skipped] == [(4, "summary row")]
    assert_same(slow, fast, taken)


def test_a_utf16_export_is_transcoded_and_read_by_duckdb(tmp_path: Path) -> None:
    path = tmp_path / "business_suite.csv"
    rows = ["date,campaign,impressions", *(f"2026-10-0{d},Autumn,{d}" for d in range(1, 4))]
    path.write_bytes("\n".join(rows).encode("utf-16"))  # with its BOM, as Business Suite writes
    slow, fast, taken = both(path, EVERY_DIMENSION)
    assert taken
    assert isinstance(fast, Export)
    assert fast.encoding == "utf-16"
    assert fast.frame["impressions"].tolist() == [1.0, 2.0, 3.0]
    assert_same(slow, fast, taken)


def test_a_metric_plain_in_the_first_rows_and_grouped_later_is_re_read_as_text(tmp_path: Path) -> None:
    """The first 50 lines decide which metrics DuckDB types at the scan; a later `"1,234"` makes
    the typed scan fail, and the scan is repeated with the metric as text and cleaned."""
    path = tmp_path / "export.csv"
    lines = ["date,campaign,impressions", *(f"2026-10-01,A,{n}" for n in range(60)), '2026-10-02,A,"1,234"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    slow, fast, taken = both(path, EVERY_DIMENSION)
    assert taken
    assert isinstance(fast, Export)
    # 0 + 1 + ... + 59 = 1770 on the first day; 1,234 on the second.
    assert fast.frame["impressions"].tolist() == [1770.0, 1234.0]
    assert_same(slow, fast, taken)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("cr-only", b"date,impressions\r2026-10-01,5\r2026-10-02,6\r"),
        ("quoted line break", b'date,campaign,impressions\n2026-10-01,"two\nlines",5\n2026-10-02,B,6\n'),
        ("blank line", b"date,impressions\n2026-10-01,5\n\n2026-10-02,6\n"),
        ("preamble record over two lines", b'"Report\nfor October"\ndate,impressions\n2026-10-01,5\n'),
        ("undated row", b"date,impressions\n2026-10-01,5\n,6\n"),
        ("unreadable cell", b"date,impressions\n2026-10-01,5\n2026-10-02,five\n"),
        ("negative count", b"date,impressions\n2026-10-01,5\n2026-10-02,-6\n"),
        ("a row wider than the header", b"date,impressions\n2026-10-01,5\n2026-10-02,6,7\n"),
        ("header only", b"date,impressions\n"),
    ],
)
def test_files_the_columnar_path_hands_back_read_as_the_pandas_reader_reads_them(
    tmp_path: Path, name: str, data: bytes
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    slow, fast, taken = both(path, EVERY_DIMENSION)
    assert not taken, name
    assert_same(slow, fast, taken)


def test_small_files_and_rows_wanted_stay_on_the_pandas_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "export.csv"
    path.write_text("date,impressions\n2026-10-01,5\n", encoding="utf-8")
    monkeypatch.setattr(columnar, "MIN_BYTES", 1 << 20)
    assert not columnar.wanted(path, set())  # small
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    assert columnar.wanted(path, set())  # by day: a review, inspect, validate
    assert not columnar.wanted(path, None)  # every row wanted
    assert not columnar.wanted(tmp_path / "missing.csv", set())


@pytest.mark.parametrize(
    "path",
    [
        # A report of totals with its range above the header (issue 10): period.py adds the dates.
        ROOT / "tests" / "fixtures" / "exports" / "ga4" / "traffic_acquisition_period_total.csv",
        # A per-metric download whose metric is named by its title line (titled.py).
        ROOT / "tests" / "fixtures" / "exports" / "meta_insights" / "Follows.csv",
    ],
    ids=lambda p: p.name,
)
def test_totals_and_titled_downloads_are_read_by_the_pandas_reader(path: Path) -> None:
    """Both layouts need the whole table before their columns mean anything, which the columnar
    path's header-only mapping cannot give: it must hand them back, and the result be the same."""
    slow, fast, taken = both(path, EVERY_DIMENSION)
    assert not taken
    assert not isinstance(slow, str), slow
    assert_same(slow, fast, taken)


UNREAD_CELLS = st.one_of(
    CELLS,
    st.sampled_from(
        ["active", "1.86%", "1e400", "inf", "Infinity", "\tN/A", "nAn", "5,044,003", "１２", "+.5"]
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(DATES, NAMES, CELLS, UNREAD_CELLS, UNREAD_CELLS), min_size=1, max_size=30))
def test_both_read_paths_sum_the_unread_columns_alike(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, str, str, str, str]]
) -> None:
    """Unread columns of numbers, text, percents, overflowing numbers, padded null tokens and
    currencies: DuckDB sums them as values.numbers_from_text does, or hands the file back."""
    path = tmp_path_factory.mktemp("unread") / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("date,campaign,impressions,score,status\n")
        csv.writer(out, lineterminator="\n").writerows(rows)
    assert_same(*both(path, frozenset(), unmapped_sums=True))


def test_unread_columns_are_summed_by_duckdb(tmp_path: Path) -> None:
    """Worked by hand: `score` 1 + 2.5 + 1,000 = 1003.5 over the data rows (the Total row's 9 is
    not data); `status` holds text and `rate` a percent: no sum; `ad id` is an identifier."""
    path = tmp_path / "export.csv"
    lines = [
        "date,campaign,impressions,score,status,rate,ad id",
        "2026-01-01,A,10,1,active,1.5%,123",
        "2026-01-02,B,20,2.5,paused,--,456",
        '2026-01-02,B,5,"1,000",--,2%,789',
        "Total,,35,9,,,",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    slow, fast, taken = both(path, frozenset(), unmapped_sums=True)
    assert taken
    assert isinstance(fast, Export)
    assert [(u.header, u.sum) for u in fast.unmapped] == [
        ("score", 1003.5),
        ("status", None),
        ("rate", None),
        ("ad id", None),
    ]
    assert fast.rows == fast.data_rows == 3
    assert_same(slow, fast, taken)


def test_an_unread_currency_column_hands_the_file_back(tmp_path: Path) -> None:
    """`¥1,200` is a number only the pandas reader cleans: the file is read there (sum 1,300)."""
    path = tmp_path / "export.csv"
    path.write_text("date,campaign,impressions,budget\n2026-01-01,A,1,¥1200\n2026-01-02,A,2,100\n", "utf-8")
    slow, fast, taken = both(path, frozenset(), unmapped_sums=True)
    assert not taken
    assert isinstance(fast, Export)
    assert [(u.header, u.sum) for u in fast.unmapped] == [("budget", 1300.0)]
    assert_same(slow, fast, taken)
