""".xlsx workbooks, read within limits checked before anything is inflated.

An .xlsx is a zip of XML parts. A 1 MB cell bomb (one shared string inflating to 1 GB) cost 6 GB
and printed the gigabyte in its error line; a sheet declaring one cell at A1 and one at XFD1048576
made the reader pad seventeen billion empty cells. So the zip directory is checked first (member
count, declared sizes and compression ratio of the sheet and shared-string parts; zipfile never
inflates a member past its declared size), then each sheet's `<dimension ref>`, and the cells are
counted while they are read (openpyxl read_only, row by row), each no longer than Excel allows.
The limits are documented in README ("Exports it reads").
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from kpi_cli.errors import DataError
from kpi_cli.lazy_pandas import pd
from kpi_cli.untrusted import excerpt

MAX_MEMBERS = 1_000
MAX_PART_BYTES = 100 * 1024 * 1024  # one worksheet or the shared strings, uncompressed
MAX_RATIO = 100  # uncompressed / compressed, for parts over RATIO_FROM bytes
RATIO_FROM = 1024 * 1024
MAX_CELLS = 2_000_000  # rows × columns over every sheet read
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
_PARTS = re.compile(r"xl/(?:worksheets/[^/]+\.xml|sharedStrings\.xml)", re.IGNORECASE)
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"')
_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})(\d{1,7})"')
_DIMENSION_SCAN = 4096  # the dimension element comes first in a sheet part


def check_parts(path: Path) -> None:
    """Refuse a workbook whose zip directory announces more than the limits, before inflating it."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise DataError(f"{path}: the workbook has {len(members):,} parts, more than {MAX_MEMBERS:,}")
            for member in members:
                if _PARTS.fullmatch(member.filename):
                    _check_part(path, member)
                    if "worksheets/" in member.filename.lower():
                        _check_dimension(path, archive, member)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as error:
        raise DataError(f"{path}: not a readable .xlsx workbook ({excerpt(error, 80)})") from None


def _check_part(path: Path, member: zipfile.ZipInfo) -> None:
    name = excerpt(member.filename, 60)
    if member.file_size > MAX_PART_BYTES:
        raise DataError(
            f"{path}: workbook part {name} inflates to {member.file_size:,} bytes, "
            f"more than the {MAX_PART_BYTES:,} allowed"
        )
    if member.file_size > RATIO_FROM and member.file_size > MAX_RATIO * max(member.compress_size, 1):
        ratio = member.file_size // max(member.compress_size, 1)
        raise DataError(
            f"{path}: workbook part {name} is compressed {ratio:,}:1, more than {MAX_RATIO}:1 "
            "(a zip bomb, or not an export)"
        )


def _check_dimension(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """The sheet's extent from `<dimension ref>`, or from its cell references when it has none.

    openpyxl pads every row to the extent, so a sheet with one cell at XFD1048576 is a grid of
    seventeen billion cells; refusing it here costs one pass over a part already bounded in size.
    """
    with archive.open(member) as part:
        head = part.read(_DIMENSION_SCAN)
    found = _DIMENSION.search(head)
    if found and found.group(3):
        rows = int(found.group(4)) - int(found.group(2)) + 1
        columns = _column_number(found.group(3).decode()) - _column_number(found.group(1).decode()) + 1
    else:
        rows, columns = _scanned_extent(archive, member)
    if rows * columns > MAX_CELLS:
        raise DataError(
            f"{path}: sheet part {excerpt(member.filename, 60)} spans {rows:,} rows × {columns:,} columns, "
            f"more than the {MAX_CELLS:,} cells read"
        )


def _scanned_extent(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> tuple[int, int]:
    """The largest row and column any cell reference names, read in 1 MB chunks."""
    rows = columns = 1
    carry = b""
    with archive.open(member) as part:
        while chunk := part.read(1 << 20):
            text = carry + chunk
            for letters, number in _CELL_REF.findall(text):
                rows = max(rows, int(number))
                columns = max(columns, _column_number(letters.decode()))
            carry = text[-32:]  # a reference cut at the chunk's end is read with the next one
    return rows, columns


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def read_grids(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet as a grid of strings ("" for an empty cell), within MAX_CELLS in all."""
    check_parts(path)
    import openpyxl  # imported here: only workbooks need it, and it is slow to import

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many unrelated types for a damaged file
        raise DataError(
            f"{path}: cannot read the workbook ({type(error).__name__}: {excerpt(error, 80)})"
        ) from None
    grids: dict[str, pd.DataFrame] = {}
    budget = MAX_CELLS
    try:
        for sheet in book.worksheets:
            rows, budget = _sheet_rows(path, sheet, budget)
            grids[str(sheet.title)] = pd.DataFrame(rows, dtype=object).fillna("")
    except DataError:
        raise
    except Exception as error:  # a damaged sheet part surfaces while rows are read
        raise DataError(
            f"{path}: cannot read the workbook ({type(error).__name__}: {excerpt(error, 80)})"
        ) from None
    finally:
        book.close()
    return grids


def _sheet_rows(path: Path, sheet: object, budget: int) -> tuple[list[list[str]], int]:
    rows: list[list[str]] = []
    title = excerpt(getattr(sheet, "title", ""), 40)
    width = 0
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):  # type: ignore[attr-defined]
        budget -= len(values)
        width = max(width, len(values))
        if budget < 0 or number * width > MAX_CELLS:  # the grid is as wide as its widest row
            raise DataError(
                f"{path}: sheet {title} has more than the {MAX_CELLS:,} cells read (row {number:,})"
            )
        rows.append(
            [_cell_text(path, title, number, column, value) for column, value in enumerate(values, 1)]
        )
    while rows and not any(rows[-1]):
        rows.pop()  # openpyxl pads to the dimension; trailing empty rows are not data
    return rows, budget


def _cell_text(path: Path, title: str, row: int, column: int, value: object) -> str:
    """The cell as the text a CSV export of it would hold (a whole float without `.0`)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return str(value)
    text = str(value)
    if len(text) > MAX_CELL_CHARS:
        raise DataError(
            f"{path}: sheet {title} row {row} column {column}: a cell of {len(text):,} characters, "
            f"more than Excel's {MAX_CELL_CHARS:,}"
        )
    return text
