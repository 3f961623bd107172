"""From a file on disk to a grid of raw strings: encoding, delimiter, preamble and header rows.

Sniffing looks at the first lines only (in Python, which is fine at that size); the body is read
by pandas' C parser in one call, as strings, so that nothing is converted before the profile says
what each column is. Every line that is not part of the body is returned as a `Skipped` with its
1-based physical line number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa

from kpi_cli.errors import DataError
from kpi_cli.files import check_regular_file
from kpi_cli.sources import encoding as encodings
from kpi_cli.sources import workbook
from kpi_cli.sources.export import Skipped
from kpi_cli.sources.profile import Alias, HeaderSet, normalise
from kpi_cli.sources.values import NULL_TOKENS
from kpi_cli.untrusted import one_line

DELIMITERS = (",", "\t", ";")
# A text export is read from disk in chunks; this bounds what one file may ask of the machine.
MAX_TEXT_BYTES = 1024 * 1024 * 1024
# No export is this wide (Facebook's page export, the widest, has ~200); pandas builds one block per
# column, and 100,000 columns took minutes.
MAX_COLUMNS = 2_048
_ROWS_PER_SLICE = 100_000
_HEAD_BYTES = 8 * 1024 * 1024  # the header and preamble are found in the first lines within this
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
UNSUPPORTED_SUFFIXES = {
    ".xls": "old .xls workbooks are not read; save the file as .xlsx or .csv",
    ".zip": "unzip the export first (YouTube and Search Console download zips of CSV files)",
}
_SNIFF_LINES = 50
_SEP_HINT = re.compile(r'^"?sep=(.)"?\s*$', re.IGNORECASE)
_NUMBER_LIKE = re.compile(r"^\s*[-+]?[¥$€£]?\s*[\d,]*\.?\d+\s*[%KkMm]?\s*$")


@dataclass(frozen=True)
class Table:
    """The body of an export as raw strings (columns 0..n-1), and how it was found."""

    encoding: str
    delimiter: str
    headers: list[str]
    cells: pd.DataFrame
    lines: np.ndarray
    skipped: list[Skipped] = field(default_factory=list)


@dataclass(frozen=True)
class _Header:
    key: str  # the delimiter of a text file, the sheet name of a workbook
    index: int  # position of the header among the sniffed rows
    score: int


def read_table(path: Path, known: Sequence[Alias], encoding: str | None) -> Table:
    check_regular_file(path, DataError, "file", MAX_TEXT_BYTES)
    if path.suffix.lower() in UNSUPPORTED_SUFFIXES:
        raise DataError(f"{path}: {UNSUPPORTED_SUFFIXES[path.suffix.lower()]}")
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return read_workbook(path, known)
    return _read_text(path, encodings.detect(path, encoding), known)


def decode(path: Path, forced: str | None = None) -> tuple[str, str]:
    """The whole text and the encoding it is read with (for tests and small files only)."""
    check_regular_file(path, DataError, "file", MAX_TEXT_BYTES)
    found = encodings.detect(path, forced)
    return path.read_bytes()[found.start :].decode(found.codec), found.name


# --- delimited text ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Text:
    """Where the lines of a text export come from: the file itself, or UTF-8 bytes transcoded once.

    pandas decodes the body from the file handle, so the whole file never sits in memory as one
    `str` (a UCS-4 copy for Japanese text); only an encoding that is not ASCII-compatible (UTF-16)
    is transcoded to UTF-8 bytes first.
    """

    path: Path
    codec: str
    start: int
    newline: bytes
    data: bytes | None = None

    def open(self) -> BinaryIO:
        return io.BytesIO(self.data) if self.data is not None else self.path.open("rb")

    def lines_from(self, offset: int) -> tuple[int, bool]:
        """How many line ends follow `offset`, and whether the last byte is one."""
        count, last = 0, b""
        with self.open() as handle:
            handle.seek(offset)
            while chunk := handle.read(1 << 20):
                count += chunk.count(self.newline)
                last = chunk[-1:]
        return count, last == self.newline


def _text_source(path: Path, found: encodings.Encoding) -> _Text:
    if found.ascii_compatible:
        with path.open("rb") as handle:
            handle.seek(found.start)
            head = handle.read(_HEAD_BYTES)
        return _Text(path, found.codec, found.start, _newline(head))
    data = path.read_bytes()[found.start :].decode(found.codec).encode("utf-8")
    return _Text(path, "utf-8", 0, _newline(data[:_HEAD_BYTES]), data)


def _newline(head: bytes) -> bytes:
    """CR-only line ends (old Mac Excel) when the start of the file has a CR and no LF."""
    return b"\r" if b"\r" in head and b"\n" not in head else b"\n"


def _head_lines(text: _Text) -> tuple[list[str], list[int]]:
    """The first lines as text and the byte offset of each (line 1 at index 0)."""
    with text.open() as handle:
        handle.seek(text.start)
        raw = handle.read(_HEAD_BYTES)
        complete = len(raw) < _HEAD_BYTES or not handle.read(1)
    parts = raw.split(text.newline)
    if not complete:
        parts.pop()  # a line cut at the sniffing limit is read by the body parser
        if not parts:
            raise DataError(f"{text.path}:1: the first line is longer than {_HEAD_BYTES // (1 << 20)} MB")
    elif parts and parts[-1] == b"":
        parts.pop()
    parts = parts[:_SNIFF_LINES]
    offsets, offset = [], text.start
    for part in parts:
        offsets.append(offset)
        offset += len(part) + len(text.newline)
    offsets.append(offset)
    return [part.decode(text.codec, "replace") for part in parts], offsets


def _read_text(path: Path, found: encodings.Encoding, known: Sequence[Alias]) -> Table:
    text = _text_source(path, found)
    head_lines, offsets = _head_lines(text)
    hint = _SEP_HINT.match(head_lines[0]) if head_lines else None
    delimiters = (hint.group(1),) if hint else DELIMITERS
    candidates = {d: _sniff_rows(head_lines, d) for d in delimiters}
    header = _find_header(candidates, known)
    rows = candidates[header.key]
    headers, body_index, skipped = _header_and_preamble(rows, header.index)
    if len(headers) > MAX_COLUMNS:
        raise DataError(
            f"{path}:{rows[header.index][0]}: the header has {len(headers):,} columns, "
            f"more than the {MAX_COLUMNS:,} read"
        )
    body_line = rows[body_index][0] if body_index < len(rows) else _line_after(rows)
    offset = offsets[min(body_line - 1, len(offsets) - 1)]
    cells, lines = _read_body(text, offset, body_line, header.key, len(headers))
    return Table(found.name, header.key, headers, cells, lines, skipped)


def _sniff_rows(lines: list[str], delimiter: str) -> list[tuple[int, list[str]]]:
    """The first rows as fields, each with the physical line it starts on."""
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for fields in reader:
            rows.append((start, fields))
            start = reader.line_num + 1
    except csv.Error:
        pass  # a malformed line past the header region is reported by the body parser
    return rows


def _find_header(candidates: dict[str, list[tuple[int, list[str]]]], aliases: Sequence[Alias]) -> _Header:
    """The row naming the most known headers; a structural guess when no row names two.

    For a workbook the candidates are keyed by sheet name instead of delimiter.
    """
    known = HeaderSet(aliases)
    best = _Header(next(iter(candidates)), 0, 0)
    for delimiter, rows in candidates.items():
        for index, (_, fields) in enumerate(rows):
            score = _known_count(fields, known)
            if score > best.score:
                best = _Header(delimiter, index, score)
    return best if best.score >= 2 else _structural_header(candidates)


def _known_count(fields: list[str], known: HeaderSet) -> int:
    names = [normalise(f) for f in fields if f.strip()]
    return sum(name in known for name in dict.fromkeys(names))


def _structural_header(candidates: dict[str, list[tuple[int, list[str]]]]) -> _Header:
    """The first row of two or more fields followed by a row of the same width, widest delimiter first."""
    found: list[_Header] = []
    for delimiter, rows in candidates.items():
        widths = [len(fields) for _, fields in rows]
        for index, width in enumerate(widths):
            following = [w for w in widths[index + 1 : index + 4] if w > 0]
            if width >= 2 and (not following or following[0] == width):
                found.append(_Header(delimiter, index, width))
                break
    if not found:
        return _Header(next(iter(candidates)), 0, 0)
    return max(found, key=lambda found: found.score)


def _header_and_preamble(
    rows: list[tuple[int, list[str]]], index: int
) -> tuple[list[str], int, list[Skipped]]:
    """Column names (a second header row folded in), where the body starts, and the lines skipped."""
    skipped = [Skipped(line, _preamble_reason(fields)) for line, fields in rows[:index]]
    top = rows[index][1] if rows else []
    body_index = index + 1
    if _is_second_header(rows, index):
        line, sub = rows[index + 1]
        skipped.append(Skipped(line, "second header row"))
        top = _combine_header_rows(top, sub)
        body_index += 1
    return _unique_names(top), body_index, skipped


def _preamble_reason(fields: list[str]) -> str:
    text = ",".join(fields).strip()
    if not text.strip(","):
        return "blank line before the header"
    if text.startswith("#"):
        return "comment before the header"
    if _SEP_HINT.match(text):
        return "delimiter hint (sep=)"
    return "preamble before the header"


def _is_second_header(rows: list[tuple[int, list[str]]], index: int) -> bool:
    """A row of text under the header whose text cells sit above numbers in the next row.

    Facebook's page export writes metric descriptions under the names, and labels under
    repeated names (`Lifetime Post Stories by action type` / `like`, `comment`, `share`).
    """
    if index + 2 >= len(rows):
        return False
    sub, data = rows[index + 1][1], rows[index + 2][1]
    texts = [i for i, cell in enumerate(sub) if _is_text(cell)]
    if len(texts) < 2 or any(_NUMBER_LIKE.match(cell) for cell in sub):
        return False
    return any(i < len(data) and _NUMBER_LIKE.match(data[i]) for i in texts)


def _is_text(cell: str) -> bool:
    return bool(cell.strip()) and cell.strip().casefold() not in NULL_TOKENS


def _combine_header_rows(top: list[str], sub: list[str]) -> list[str]:
    """Repeated names take the label under them (`X - like`); unique names keep their own."""
    counts: dict[str, int] = {}
    for name in top:
        counts[name] = counts.get(name, 0) + 1
    combined = []
    for i, name in enumerate(top):
        label = sub[i].strip() if i < len(sub) else ""
        combined.append(f"{name} - {label}" if counts[name] > 1 and label else name)
    return combined


def _unique_names(names: list[str]) -> list[str]:
    """Headers stripped; an empty one becomes `column N`, a repeat `name [2]` (never mapped twice)."""
    seen: dict[str, int] = {}
    unique = []
    for position, raw in enumerate(names):
        name = raw.replace("\ufeff", "").strip() or f"column {position + 1}"
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} [{seen[name]}]")
    return unique


def _line_after(rows: list[tuple[int, list[str]]]) -> int:
    return rows[-1][0] + 1 if rows else 1


def _read_body(
    text: _Text, offset: int, body_line: int, delimiter: str, width: int
) -> tuple[pd.DataFrame, np.ndarray]:
    newlines, ends_with_newline = text.lines_from(offset)
    with text.open() as handle:
        handle.seek(offset)
        if not handle.read(1):
            return pd.DataFrame(columns=range(width), dtype=object), np.array([], dtype=np.int64)
        handle.seek(offset)
        try:
            cells = _read_chunks(
                handle,
                sep=delimiter,
                header=None,
                # pandas' `str` keeps the cells in Arrow buffers (with pyarrow): a fifth of the
                # memory of one Python object per cell, which cost 2.4 GB on a 200 MB export.
                dtype="str",
                na_filter=False,
                skip_blank_lines=False,
                engine="c",
                encoding=text.codec,
                lineterminator="\r" if text.newline == b"\r" else None,
            )
        except (pd.errors.ParserError, ValueError) as error:
            raise DataError(_parser_message(text, str(error), offset, body_line, delimiter, width)) from None
    physical = newlines + (0 if ends_with_newline else 1)
    lines = _physical_lines(cells, physical, body_line, text.newline.decode())
    return _fit_width(text.path, cells, lines, width), lines


def _fit_width(path: Path, cells: pd.DataFrame, lines: np.ndarray, width: int) -> pd.DataFrame:
    """Exactly one column per header: empty trailing fields go, a value beyond the header is an error."""
    cells.columns = pd.RangeIndex(cells.shape[1])
    if cells.shape[1] > width:
        beyond = ~cells.iloc[:, width:].isin([""]).all(axis=1).to_numpy()
        if beyond.any():
            first = int(beyond.argmax())
            row = cells.iloc[first].to_numpy(dtype=object)
            fields = int(np.flatnonzero(row != "").max()) + 1
            raise DataError(f"{path}:{int(lines[first])}: {fields} fields where the header has {width}")
        cells = cells.iloc[:, :width]
    for missing in range(cells.shape[1], width):
        cells[missing] = ""
    return cells


def _read_chunks(handle: BinaryIO, **options: Any) -> pd.DataFrame:
    """`pd.read_csv` in slices of rows, each column's Arrow chunks joined without a copy.

    One `read_csv` call holds the parser's Python strings for every row until the end and then
    concatenates; slices bound that to one slice, and a ChunkedArray shares the slices' buffers.
    """
    slices: dict[int, list[pa.Array]] = {}
    template: dict[int, Any] = {}
    rows = 0
    for part in pd.read_csv(handle, chunksize=_ROWS_PER_SLICE, **options):
        for column in map(int, part.columns):
            if column not in slices:
                slices[column] = [_empty_text(rows)] if rows else []
                template[column] = part[column].array
            slices[column].extend(part[column].array._pa_array.chunks)
        for column in slices.keys() - set(part.columns):
            slices[column].append(_empty_text(len(part)))
        rows += len(part)
    return pd.DataFrame(
        {
            column: pd.Series(
                type(template[column])(
                    pa.chunked_array(chunks, pa.large_string()), dtype=template[column].dtype
                )
            )
            for column, chunks in sorted(slices.items())
        }
    )


def _empty_text(rows: int) -> pa.Array:
    """Empty cells for a column that a slice of rows does not reach (short rows)."""
    return pa.array([""] * rows, pa.large_string())


def _parser_message(
    text: _Text, message: str, offset: int, body_line: int, delimiter: str, width: int
) -> str:
    """The parser counts rows; the message names the physical line (quoted cells span lines)."""
    path = text.path
    unterminated = re.search(r"EOF inside string starting at row (\d+)", message)
    if unterminated:
        line = _line_of_row(text, offset, body_line, delimiter, int(unterminated.group(1)))
        return f"{path}:{line}: a quoted field opens on this line and is never closed"
    found = re.search(r"line (\d+), saw (\d+)", message)
    if found:
        line = _line_of_row(text, offset, body_line, delimiter, int(found.group(1)) - 1)
        return f"{path}:{line}: {found.group(2)} fields where the header has {width}"
    return f"{path}:{body_line}: cannot parse the table ({one_line(message, 120)})"


def _line_of_row(text: _Text, offset: int, body_line: int, delimiter: str, row: int) -> int:
    """The physical line the 0-based body `row` starts on: a streaming pass, on the error path only."""
    start = body_line
    with text.open() as handle:
        handle.seek(offset)
        stream = io.TextIOWrapper(handle, encoding=text.codec, errors="replace", newline="")
        reader = csv.reader(stream, delimiter=delimiter)
        try:
            for index, _ in enumerate(reader):
                if index == row:
                    return start
                start = body_line + reader.line_num
        except csv.Error:
            pass  # a field past csv's size limit: the line reached so far is the best answer
    return start


def _physical_lines(cells: pd.DataFrame, physical: int, body_line: int, newline: str) -> np.ndarray:
    """1-based line of each row, counting line ends inside quoted cells (multi-line post texts)."""
    lines = body_line + np.arange(len(cells), dtype=np.int64)
    if physical == len(cells):
        return lines
    extra = np.zeros(len(cells), dtype=np.int64)
    for column in cells.columns:
        extra += cells[column].str.count(newline).fillna(0).to_numpy(dtype=np.int64)
    return lines + np.concatenate(([0], np.cumsum(extra)[:-1])).astype(np.int64)


# --- workbooks ---------------------------------------------------------------------------------


def read_workbook(path: Path, known: Sequence[Alias]) -> Table:
    """The sheet whose header names the most known columns (LinkedIn: `Metrics`, `New followers`)."""
    grids = workbook.read_grids(path)
    if not grids:
        raise DataError(f"{path}: the workbook has no sheets")
    rows_by_sheet = {name: _grid_rows(grid) for name, grid in grids.items()}
    header = _find_header(rows_by_sheet, known)
    rows = rows_by_sheet[header.key]
    headers, body_index, skipped = _header_and_preamble(rows, header.index)
    grid = grids[header.key]
    cells = grid.iloc[body_index:, : len(headers)].reset_index(drop=True)
    cells.columns = pd.RangeIndex(len(headers))
    lines = grid.index.to_numpy()[body_index:].astype(np.int64) + 1
    return Table("xlsx", "", headers, cells, lines, skipped)


def _grid_rows(grid: pd.DataFrame) -> list[tuple[int, list[str]]]:
    head = grid.iloc[:_SNIFF_LINES]
    return [
        (int(i) + 1, _trimmed(list(map(str, row))))
        for i, row in zip(head.index, head.to_numpy(), strict=True)
    ]


def _trimmed(fields: list[str]) -> list[str]:
    """A sheet row without its trailing empty cells (a grid is as wide as its widest row)."""
    while fields and not fields[-1].strip():
        fields.pop()
    return fields
