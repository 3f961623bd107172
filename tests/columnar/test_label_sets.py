"""The scan by distinct labels in both of its SQL forms, and the negative-cell check by group minimum.

`columnar_sql.by_labels` lists each label's distinct values beside the key groups: on DuckDB 2 as
queries sharing one streamed scan (the label queries carry no sums), on older DuckDB as GROUPING
SETS. Both forms must give the same groups and send the same files on to the row-by-row scan. The
negative check (`n_lowest`, the lowest unsigned cell of a group) must hand back the same files the
count of negative cells did: any negative count, wherever it sits among blank and money cells.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from kpi_cli.sources import Export, columnar, columnar_sql
from tests.columnar.test_agreement import EVERY_DIMENSION, assert_same, both, both_in_form


@pytest.fixture(autouse=True)
def every_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)


def _export(path: Path, tail: list[str]) -> Path:
    """60 rows over three days, two campaigns and two channels (past the 50-line sample), then `tail`."""
    rows = [
        f"2026-10-0{1 + i % 3},{'AB'[i % 2]},{('web', 'line')[i % 4 // 2]},{i},{i % 5}" for i in range(60)
    ]
    header = "date,campaign,channel,impressions,cost"
    path.write_text("\n".join([header, *rows, *tail]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("tail", "dimensions", "scans", "skipped"),
    [
        ([], frozenset(), ["by_labels"], []),
        ([], frozenset({"campaign"}), ["by_labels"], []),
        (["2026-10-03,Total,,5,1"], frozenset(), ["by_labels", "grouped"], [62]),  # a label
        (["2026-10-03,A,小計,5,1"], frozenset({"campaign"}), ["by_labels", "grouped"], [62]),
        (["2026-10-03,A,Grand total,5,1"], frozenset({"channel"}), ["by_labels", "grouped"], [62]),
        (["2026-10-03,Totalizer,web,5,1"], frozenset(), ["by_labels", "grouped"], []),  # a part only
    ],
)
def test_both_sql_forms_find_the_same_groups_and_summaries(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tail: list[str],
    dimensions: frozenset[str],
    scans: list[str],
    skipped: list[int],
) -> None:
    path = _export(tmp_path / "export.csv", tail)
    results = {shared: both_in_form(path, dimensions, monkeypatch, shared) for shared in (True, False)}
    for slow, fast, taken, ran in results.values():
        assert taken
        assert ran == scans
        assert isinstance(fast, Export)
        assert [s.line for s in fast.skipped] == skipped
        assert_same(slow, fast, taken)
    shared_frame, inlined_frame = (results[s][1].frame for s in (True, False))
    pd.testing.assert_frame_equal(shared_frame, inlined_frame)


def test_the_day_sums_by_hand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """impressions i = 0..59 on day 1 + i % 3: day 1 = 0+3+...+57 = 570, day 2 590, day 3 610;
    cost i % 5 on day 1: i = 0,3,...,57 -> (0,3,1,4,2) repeated 4 times = 40, day 2 and 3 40 too."""
    slow, fast, taken, ran = both_in_form(
        _export(tmp_path / "export.csv", []), frozenset(), monkeypatch, True
    )
    assert ran == ["by_labels"]
    assert isinstance(fast, Export)
    assert fast.frame["impressions"].tolist() == [570.0, 590.0, 610.0]
    assert fast.frame["cost"].tolist() == [40.0, 40.0, 40.0]
    assert_same(slow, fast, taken)


def test_the_shared_scan_needs_duckdb_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(duckdb, "__version__", "1.3.2")
    assert not columnar_sql._streams_shared_scans()
    monkeypatch.setattr(duckdb, "__version__", "2.0.1")
    assert columnar_sql._streams_shared_scans()


@pytest.mark.parametrize(
    ("row", "handed_back"),
    [
        ("2026-10-03,C,web,,-2,5", True),  # negative clicks where impressions is blank
        ("2026-10-03,C,web,3,1,-5", False),  # negative money is a refund: read
        ("2026-10-03,C,web,-0,0,1", False),  # -0 is not below zero
        ("2026-10-03,C,web,--,-1,1", True),  # a null token beside a negative count
        ('2026-10-03,C,web,"-1,000",2,1', True),  # a negative grouped number (cast, not typed)
    ],
)
@pytest.mark.parametrize("day", ["2026-10-03", "2026-10-01"])  # a day of its own, or among 30 positive rows
def test_a_negative_count_anywhere_hands_the_file_back(
    tmp_path: Path, row: str, handed_back: bool, day: str
) -> None:
    rows = [f"2026-10-0{1 + i % 2},A,web,{i},{i},{i}" for i in range(60)]
    path = tmp_path / "export.csv"
    lines = ["date,campaign,channel,impressions,clicks,cost", *rows, row.replace("2026-10-03", day)]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    for dimensions in (EVERY_DIMENSION, frozenset()):
        slow, fast, taken = both(path, dimensions)
        assert taken is not handed_back
        assert_same(slow, fast, taken)


def test_a_group_without_unsigned_metrics_is_never_negative(tmp_path: Path) -> None:
    """Only money: nothing to be negative (`n_lowest` is NULL); a refund of -5 is summed: 1 + -5."""
    path = tmp_path / "export.csv"
    path.write_text("date,campaign,cost\n2026-10-01,A,1\n2026-10-01,B,-5\n", encoding="utf-8")
    slow, fast, taken = both(path, frozenset())
    assert taken
    assert isinstance(fast, Export)
    assert fast.frame["cost"].tolist() == [-4.0]
    assert_same(slow, fast, taken)
