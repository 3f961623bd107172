"""Property-based tests (hypothesis) of the value parser and the CSV and xlsx readers (issue 7).

The only outcomes allowed: the right value, "not measured" (NaN for a null token), or a DataError
naming the file and line. Example counts are small and bounded so that CI stays fast.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
import tempfile
from pathlib import Path

import numpy as np
import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi_cli.errors import DataError
from kpi_cli.sources import read_export
from kpi_cli.sources.values import NULL_TOKENS, TEXT, numbers_from_text

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parse(cell: str) -> tuple[float, bool]:
    values, bad = numbers_from_text(np.strings.strip(np.array([cell], dtype=TEXT)))
    return float(values[0]), bool(bad[0])


# --- the value parser ------------------------------------------------------------------------------


@FAST
@given(st.text(max_size=30))
def test_any_string_is_a_finite_number_not_measured_or_unreadable(cell):
    value, bad = parse(cell)
    if bad:
        return  # the caller names the file, line and column (tested in test_reader_limits.py)
    if math.isnan(value):
        # numpy's strip (which the reader uses) also drops trailing NUL padding, unlike str.strip:
        # a cell of NULs is an empty cell, so compare with the cell as the reader stripped it.
        stripped = str(np.strings.strip(np.array([cell], dtype=TEXT))[0])
        assert stripped.casefold() in NULL_TOKENS | {"nan"}
    else:
        assert math.isfinite(value)


def grouped(number: int) -> str:
    return f"{number:,}"


@FAST
@given(st.integers(min_value=0, max_value=10**15))
def test_integers_round_trip_through_export_spellings(number):
    # The spellings of the exports in tests/fixtures/exports: plain, `1,234`, `¥1,234`, `1,234円`.
    for cell in (str(number), grouped(number), f"¥{grouped(number)}", f"{grouped(number)}円", f" {number} "):
        assert parse(cell) == (float(number), False), cell


@FAST
@given(st.integers(min_value=0, max_value=99_999), st.sampled_from(["K", "k", "M", "万"]))
def test_abbreviations_scale_by_their_unit(tenths, unit):
    # `12.3K` is 12,300: the unit's scale worked out from its meaning (万 = ten thousand).
    scale = {"K": 1e3, "k": 1e3, "M": 1e6, "万": 1e4}[unit]
    value, bad = parse(f"{tenths / 10}{unit}")
    assert not bad and math.isclose(value, tenths / 10 * scale, rel_tol=1e-12)


@FAST
@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_a_percent_is_never_read_as_a_count(rate):
    assert parse(f"{rate:.1f}%")[1]


@FAST
@given(st.sampled_from(sorted(NULL_TOKENS)))
def test_null_tokens_are_not_measured(token):
    value, bad = parse(token)
    assert math.isnan(value) and not bad


@FAST
@given(st.integers(min_value=309, max_value=2000))
def test_numbers_past_the_float_range_are_unreadable_not_infinite(digits):
    value, bad = parse("9" * digits)
    assert bad and math.isinf(value)  # inf is kept so the caller can say it overflows


# --- the CSV reader --------------------------------------------------------------------------------

SUMMARY = re.compile(r"(?i)\s*(?:totals?|grand totals?|summary)\b")
NAMES = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyz夏祭りキャンペーン ,\"'\t;", min_size=1, max_size=12
).filter(
    lambda name: (
        name.strip()
        and name.strip().casefold() not in NULL_TOKENS
        and not name.strip().startswith("#")
        and not SUMMARY.match(name)
    )  # `Total` in a dimension is a summary row, skipped by design
)
ROWS = st.lists(
    st.tuples(st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)), NAMES, st.integers(0, 10**9)),
    min_size=1,
    max_size=25,
)


@SLOW
@given(
    ROWS,
    st.sampled_from([",", "\t", ";"]),
    st.sampled_from(["utf-8", "utf-8-sig", "cp932", "utf-16"]),
    st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.sampled_from(["", "# exported 2026-10-31\n", "Report,Campaigns\nDate range,October\n\n"]),
)
def test_a_generated_table_reads_back_exactly(rows, delimiter, encoding, quoting, newline, preamble):
    if encoding == "utf-16" and delimiter != "\t":
        delimiter = "\t"  # UTF-16 exports are tab separated (README)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator=newline)
    writer.writerow(["date", "campaign", "impressions"])
    writer.writerows([(d.isoformat(), name, count) for d, name, count in rows])
    preamble = preamble.replace(",", delimiter).replace("\n", newline)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes((preamble + buffer.getvalue()).encode(encoding))
        export = read_export(path, platform="generic")
    frame = export.frame
    assert [d.date() for d in frame["date"]] == [d for d, _, _ in rows]
    assert frame["campaign"].tolist() == [name.strip() for _, name, _ in rows]
    assert frame["impressions"].tolist() == [float(count) for _, _, count in rows]


@SLOW
@given(ROWS, st.integers(0, 24), st.sampled_from(["quote", "fields"]))
def test_a_malformed_table_is_an_error_naming_the_line(rows, where, damage):
    lines = ["date,campaign,impressions"] + [f"{d.isoformat()},x{i},{c}" for i, (d, _, c) in enumerate(rows)]
    broken = min(where, len(rows) - 1) + 1  # 0-based index into lines: a data line
    lines[broken] = lines[broken] + (',"open' if damage == "quote" else ",1,2")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        try:
            read_export(path, platform="generic")
        except DataError as error:
            message = str(error)
        else:
            raise AssertionError("a malformed table was read")
    expected = "a quoted field opens on this line" if damage == "quote" else "fields where the header has 3"
    assert re.fullmatch(rf"{re.escape(str(path))}:{broken + 1}: .*", message) and expected in message


# --- the xlsx reader -------------------------------------------------------------------------------


@SLOW
@given(ROWS, st.integers(0, 3))
def test_a_generated_workbook_reads_back_exactly(rows, blank_rows_above):
    book = openpyxl.Workbook()
    sheet = book.active
    for _ in range(blank_rows_above):
        sheet.append(["Campaign report"])
    sheet.append(["date", "campaign", "impressions"])
    for d, name, count in rows:
        sheet.append([d.isoformat(), name, count])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.xlsx"
        book.save(path)
        frame = read_export(path, platform="generic").frame
    assert [d.date() for d in frame["date"]] == [d for d, _, _ in rows]
    assert frame["campaign"].tolist() == [name.strip() for _, name, _ in rows]
    assert frame["impressions"].tolist() == [float(count) for _, _, count in rows]


def test_the_bom_constants_are_what_the_reader_expects():
    assert codecs.BOM_UTF8 == b"\xef\xbb\xbf"
