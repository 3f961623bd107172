"""The Meta scan's cheaper blank-name test decides exactly as Python's `str.strip` (issue 12).

`columnar_cells.blank` now runs its regular expression only on names whose first code point lies in
`_BLANK_FIRST` (below `!`, or from NEL to U+3000); elsewhere the name is not blank without a look.
Checked against Python itself over every code point, not against a list written by hand.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from kpi_cli.sources import Export, columnar, columnar_cells
from tests.columnar.test_agreement import assert_same, both


def _in_blank_first(code_point: int) -> bool:
    return any(start <= code_point < end for start, end in columnar_cells.BLANK_FIRST)


def test_every_code_point_python_strips_is_where_the_regular_expression_runs() -> None:
    stripped = [c for c in range(0x110000) if chr(c).isspace()]
    assert len(stripped) == 29  # \t\n\v\f\r, \x1c-\x1f, space, NEL, NBSP and Unicode's Z category
    assert all(_in_blank_first(c) for c in stripped)


def test_blank_agrees_with_python_strip_on_every_first_code_point() -> None:
    """Each code point alone, before a letter, after a tab and before an ideographic space: a name
    is blank exactly when Python strips it to nothing (the surrogates cannot be UTF-8)."""
    points = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    cells = [
        *points,
        *(p + "x" for p in points),
        *("\t" + p for p in points),
        *(p + "\u3000" for p in points),
    ]
    table = pa.table({"c": pa.array(cells, pa.string())})
    connection = duckdb.connect()
    connection.register("cells", table)
    got = connection.execute(f"SELECT {columnar_cells.blank('c')} FROM cells").fetchnumpy()
    flags = [bool(v) for v in got[next(iter(got))]]
    wrong = [cell for cell, flag in zip(cells, flags, strict=True) if flag != (cell.strip() == "")]
    assert wrong == []


def test_a_null_name_is_blank() -> None:
    sql = f"SELECT {columnar_cells.blank('c')} FROM (SELECT NULL AS c)"
    assert duckdb.connect().execute(sql).fetchone() == (True,)


@pytest.mark.parametrize("name", ["\x1f", "\x85", "\u3000\u3000", "\u2029", "Ａ", "キャンペーン", "\u3001"])
def test_a_meta_export_with_such_a_name_is_read_as_the_pandas_reader_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """The whole path: a row blank in every name column is Meta's summary row (skipped), a name
    starting past the stripped ranges (full-width `Ａ`, kana, `、`) is data."""
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    path = tmp_path / "export.csv"
    header = "Reporting starts,Campaign name,Ad set name,Impressions,Amount spent (JPY)"
    lines = [header, '2026-10-01,A,a,"1,234",1', f'2026-10-02,"{name}","{name}","2,345",2']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    slow, fast, taken = both(path, frozenset())
    assert taken
    assert isinstance(fast, Export)
    assert bool(fast.skipped) is (name.strip() == "")
    assert_same(slow, fast, taken)
