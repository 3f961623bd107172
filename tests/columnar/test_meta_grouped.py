"""The Meta scan's cheaper thousands check reads every metric cell as before (issue 12).

`columnar_sql._number` now tries one GLOB of the cell's length (GROUPED_SHAPES: whole numbers
grouped by thousands, `441,772`) before `contains` and the regular expression. Its answers are
checked against Python's own `re.fullmatch` of the thousands pattern, and against the expression
main had (the regular expression alone, written out below), on the examples the check must accept
and refuse, on random strings of the characters numbers are made of, and on a real export's cells.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi_cli.sources import columnar_cells, columnar_sql

# The thousands pattern of values.py and the pandas reader, as Python's `re` reads it: the
# reference the SQL is checked against (RE2's `\d` is ASCII; `re.ASCII` makes Python's the same).
_THOUSANDS = re.compile(r" *[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)? *", re.ASCII)
_SCAN = columnar_sql.Scan(
    width=1, skip=0, delimiter=",", date=0, date_end=None, grain={}, metrics={"reach": 0},
    typed=frozenset(), labels=[0], blank_names=[],
)  # fmt: skip
# main's expression before the GLOB (columnar_sql._number at c95baad), for the cells without one.
_BEFORE = (
    "CASE WHEN contains(c0, ',') THEN (CASE WHEN regexp_full_match(c0, "
    "' *[-+]?\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)? *') THEN TRY_CAST(replace(c0, ',', '') AS DOUBLE) "
    "ELSE CAST('NaN' AS DOUBLE) END) ELSE coalesce(TRY_CAST(c0 AS DOUBLE), CASE WHEN c0 IS NULL OR "
    f"trim(c0) IN ({columnar_cells.nulls()}) THEN NULL ELSE CAST('NaN' AS DOUBLE) END) END"
)
_META = Path(__file__).parents[1] / "fixtures/exports/meta_ads/acme-campaigns-Oct-1-2026-Oct-3-2026.csv"


def _numbers(cells: list[str | None]) -> list[tuple[float | None, float | None, bool]]:
    """Per cell: `_number`'s value, main's value, and whether the GLOB alone accepted it."""
    connection = duckdb.connect()
    connection.register("cells", pa.table({"c0": pa.array(cells, pa.string())}))
    shapes = f"[{', '.join(columnar_cells.literal(s) for s in columnar_cells.GROUPED_SHAPES)}]"
    sql = (
        f"SELECT {columnar_sql._number(_SCAN, 0)}, {_BEFORE}, "
        f"coalesce(c0 GLOB list_element({shapes}, strlen(c0)), false) FROM cells"
    )
    return [(a, b, bool(g)) for a, b, g in connection.execute(sql).fetchall()]


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return (math.isnan(a) and math.isnan(b)) or a == b


def _check(cells: list[str | None]) -> None:
    for cell, (value, before, globbed) in zip(cells, _numbers(cells), strict=True):
        assert _same(value, before), cell
        if globbed:  # the GLOB accepts a part of what the pattern accepts, and nothing else
            assert cell is not None and _THOUSANDS.fullmatch(cell), cell
        if cell is not None and "," in cell:
            grouped = _THOUSANDS.fullmatch(cell)
            expected = float(cell.replace(",", "")) if grouped else math.nan
            assert value is not None and _same(value, expected), cell


@pytest.mark.parametrize(
    "cell",
    [
        "12,345",
        "-1,234.5",
        "  1,234 ",
        "441,772",
        "1,234,567",
        "+1,000",
        "001,234",
        "999,999,999,999,999,999,999",
    ],
)
def test_a_cell_grouped_by_thousands_is_its_number(cell: str) -> None:
    value = _numbers([cell])[0][0]
    assert value == float(cell.replace(",", ""))


@pytest.mark.parametrize(
    "cell",
    [
        "1,2,3",
        "12,3456",
        "1,,234",
        ",123",
        "1234,567",
        "1,234,",
        "1,234.",
        "1,2a4",
        "１,２３４",
        "1_0,000",
        "1,2e2",
    ],
)
def test_a_cell_with_a_comma_out_of_place_poisons_its_group(cell: str) -> None:
    value = _numbers([cell])[0][0]
    assert value is not None and math.isnan(value)


def test_the_glob_takes_the_common_whole_numbers() -> None:
    """The fast path is taken where it should be: whole numbers of every grouped length."""
    cells = ["1,234", "12,345", "123,456", "1,234,567", "123,456,789,012,345,678,901"]
    assert [g for _, _, g in _numbers(cells)] == [True] * 5
    assert [g for _, _, g in _numbers(["-1,234", "1,234.5", " 1,234", "1234", "1,2345"])] == [False] * 5


_NUMBER_CHARS = "0123456789,.-+ e_"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.none(), st.text(alphabet=_NUMBER_CHARS, max_size=30)), min_size=1, max_size=200))
def test_random_cells_read_as_the_pattern_and_main_read_them(cells: list[str | None]) -> None:
    _check(cells)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.builds(
            lambda digits, commas: "".join(d + ("," if i in commas else "") for i, d in enumerate(digits)),
            st.text(alphabet="0123456789", min_size=1, max_size=24),
            st.sets(st.integers(0, 24), max_size=8),
        ),
        min_size=1,
        max_size=200,
    )
)
def test_digits_with_commas_anywhere_read_as_the_pattern_reads_them(cells: list[str]) -> None:
    """Commas put at random between digits: rightly and wrongly grouped cells of every length."""
    _check(cells)


def test_a_real_meta_exports_cells_read_as_before() -> None:
    with _META.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    cells = [cell for row in rows[1:] for cell in row]
    assert any(_THOUSANDS.fullmatch(cell) for cell in cells)  # the export does group its counts
    _check(cells)
