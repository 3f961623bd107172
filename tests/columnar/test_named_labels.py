"""A file with name columns (Meta) is scanned by distinct labels too, its blank test left on each row.

`columnar_sql.by_labels` used to refuse files with name columns, so every Meta export went to
`grouped`, which runs ten `contains` a row on the campaign name and a date cast a row. Now only
the blank-name test stays on each row (Meta's summary row is blank in every name column, so each
export has one); the names are listed by their distinct values beside the day groups, and only a
name or date that could make another row a candidate sends the file on to `grouped`. Each case
is checked against the pandas reader (the same frame, skipped lines, rows), the scans it ran, and
both SQL forms of the label groups (DuckDB 2's shared scan, older DuckDB's GROUPING SETS).

The header is the real Meta Ads export's in tests/fixtures/exports/meta_ads/
acme-campaigns-Oct-1-2026-Oct-3-2026.csv, cut to six of its columns; its summary row is the first,
blank in `Campaign name` and `Campaign delivery`, as in that file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kpi_cli.sources import Export, columnar, columnar_sql
from tests.columnar.test_agreement import EVERY_DIMENSION, assert_same, both_in_form

HEADER = "Reporting starts,Reporting ends,Campaign name,Campaign delivery,Impressions,Amount spent (JPY)"
SUMMARY = '2026-10-01,2026-10-03,,,"1,770","61,770"'


@pytest.fixture(autouse=True)
def every_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)


def _rows(count: int = 60) -> list[str]:
    """Row i: day 1 + i % 3, campaign A or B, i impressions, 1000 + i yen written grouped."""
    return [
        f'2026-10-0{1 + i % 3},2026-10-0{1 + i % 3},{"AB"[i % 2]},active,{i},"{1000 + i:,}"'
        for i in range(count)
    ]


def _export(path: Path, head: list[str], tail: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *head, *_rows(), *tail]) + "\n", encoding="utf-8")
    return path


def test_the_summary_row_is_skipped_and_the_days_summed_by_hand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Day 1 holds i = 0, 3, ..., 57: impressions 3 x (0 + ... + 19) = 570, cost 20 x 1000 + 570 =
    20,570; day 2 is i + 1 of those (590, 20,590), day 3 i + 2 (610, 20,610). The summary row
    (line 2) is skipped, not summed, and the file is scanned once."""
    path = _export(tmp_path / "meta.csv", [SUMMARY], [])
    slow, fast, taken, ran = both_in_form(path, frozenset(), monkeypatch, shared=True)
    assert taken
    assert ran == ["by_labels"]
    assert isinstance(fast, Export)
    assert [(s.line, s.reason) for s in fast.skipped] == [(2, "summary row (no campaign)")]
    assert fast.frame["impressions"].tolist() == [570.0, 590.0, 610.0]
    assert fast.frame["cost"].tolist() == [20570.0, 20590.0, 20610.0]
    assert fast.data_rows == 60
    assert_same(slow, fast, taken)


@pytest.mark.parametrize(
    ("head", "tail", "scans", "skipped"),
    [
        ([SUMMARY], [], ["by_labels"], [2]),  # Meta's summary row, in the sample
        # Past the sample: found by the rows' blank test. Impressions are plain in the sample, so
        # DuckDB typed them and read them again as text at the summary's `1,770`; the second scan
        # for the skipped lines reads them as text too (it kept the types and handed the file back).
        ([], [SUMMARY], ["by_labels", "by_labels"], [62]),
        ([SUMMARY], ['2026-10-03,2026-10-03,Total,active,5,"1,000"'], ["by_labels", "grouped"], [2, 63]),
        ([SUMMARY], ['2026-10-03,2026-10-03,合計,active,5,"1,000"'], ["by_labels", "grouped"], [2, 63]),
        ([SUMMARY], ['2026-10-03,2026-10-03,Totalizer,active,5,"1,000"'], ["by_labels", "grouped"], [2]),
        ([SUMMARY], ['Total,,C,active,5,"1,000"'], ["by_labels", "grouped"], [2, 63]),  # not a date
        ([SUMMARY], ['2026-10-03,2026-10-03,"\u3001",active,5,"1,000"'], ["by_labels"], [2]),  # not blank
        ([SUMMARY], ['2026-10-03,2026-10-03," \u3000",active,5,"1,000"'], ["by_labels"], [2, 63]),  # blank
    ],
)
@pytest.mark.parametrize("dimensions", [frozenset(), EVERY_DIMENSION], ids=["day", "every-dimension"])
def test_both_sql_forms_find_the_pandas_readers_summaries(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    head: list[str],
    tail: list[str],
    scans: list[str],
    skipped: list[int],
    dimensions: frozenset[str],
) -> None:
    path = _export(tmp_path / "meta.csv", head, tail)
    results = {shared: both_in_form(path, dimensions, monkeypatch, shared) for shared in (True, False)}
    for slow, fast, taken, ran in results.values():
        assert taken
        assert isinstance(fast, Export)
        assert [s.line for s in fast.skipped] == skipped
        assert_same(slow, fast, taken)
        if dimensions:  # the campaign is a key: its values are checked on the groups, not listed
            assert ran[0] == "by_labels"
        else:
            assert ran == scans
    shared_frame, inlined_frame = (results[s][1].frame for s in (True, False))
    pd.testing.assert_frame_equal(shared_frame, inlined_frame)


def test_a_name_with_a_summary_word_in_the_sample_goes_straight_to_the_row_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _export(tmp_path / "meta.csv", [SUMMARY, '2026-10-01,2026-10-01,Total,active,5,"1,000"'], [])
    slow, fast, taken, ran = both_in_form(path, frozenset(), monkeypatch, shared=True)
    assert taken
    assert ran == ["grouped"]
    assert isinstance(fast, Export)
    assert [s.line for s in fast.skipped] == [2, 3]
    assert_same(slow, fast, taken)


def test_the_scan_by_labels_carries_a_candidate_only_for_rows_blank_in_every_name() -> None:
    """The SQL itself: the per-row test is the blank test alone (no `contains`, no date cast), and
    the names are listed (`l_2`), while `grouped` keeps all three on each row."""
    scan = columnar_sql.Scan(
        width=6, skip=1, delimiter=",", date=0, date_end=1, grain={}, metrics={"impressions": 4},
        typed=frozenset({4}), labels=[0, 2], blank_names=[2, 3],
    )  # fmt: skip
    listed = columnar_sql.by_labels(scan)
    per_row = listed[listed.index("AS hit FROM") - 400 : listed.index("AS hit FROM")]
    assert "contains(" not in per_row
    assert "TRY_CAST(c0 AS DATE)" not in per_row
    assert "regexp_matches(c2" in per_row and "regexp_matches(c3" in per_row
    assert "SELECT l_2, 1 AS label_set FROM body GROUP BY l_2" in listed
    row_by_row = columnar_sql.grouped(scan)
    assert "contains(c2, 'otal')" in row_by_row
    assert "TRY_CAST(c0 AS DATE) IS NULL" in row_by_row
