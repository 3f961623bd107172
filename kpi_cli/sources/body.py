"""The lines of a text export: where they come from, and the body read as Arrow-backed strings.

pandas decodes the body straight from the file handle, in slices of rows whose Arrow chunks are
joined without a copy, so a 200 MB export never sits in memory as one `str` or as one Python
object per cell. Parser errors name the physical line (quoted cells span lines, the parser counts
rows): an unterminated quote is reported on the line it opens.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from kpi_cli.errors import DataError
from kpi_cli.lazy_pandas import np, pd
from kpi_cli.sources import encoding as encodings
from kpi_cli.untrusted import one_line

if TYPE_CHECKING:
    import pyarrow as pa

HEAD_BYTES = 8 * 1024 * 1024  # the header and preamble are found in the first lines within this
_ROWS_PER_SLICE = 100_000
SNIFF_LINES = 50  # lines read to find the header under a preamble


@dataclass(frozen=True)
class Text:
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
        code = self.newline[0]
        with self.open() as handle:
            handle.seek(offset)
            while chunk := handle.read(1 << 22):
                # numpy's vectorised compare: a third of bytes.count's time on a 776 MB export
                count += int(np.count_nonzero(np.frombuffer(chunk, np.uint8) == code))
                last = chunk[-1:]
        return count, last == self.newline


def text_source(path: Path, found: encodings.Encoding) -> Text:
    if found.ascii_compatible:
        with path.open("rb") as handle:
            handle.seek(found.start)
            head = handle.read(HEAD_BYTES)
        return Text(path, found.codec, found.start, _newline(head))
    data = path.read_bytes()[found.start :].decode(found.codec).encode("utf-8")
    return Text(path, "utf-8", 0, _newline(data[:HEAD_BYTES]), data)


def _newline(head: bytes) -> bytes:
    """CR-only line ends (old Mac Excel) when the start of the file has a CR and no LF."""
    return b"\r" if b"\r" in head and b"\n" not in head else b"\n"


def head_lines(text: Text) -> tuple[list[str], list[int]]:
    """The first lines as text and the byte offset of each (line 1 at index 0)."""
    with text.open() as handle:
        handle.seek(text.start)
        raw, complete = _head_bytes(handle, text.newline)
    parts = raw.split(text.newline)
    if not complete:
        parts.pop()  # a line cut at the sniffing limit is read by the body parser
        if not parts:
            raise DataError(f"{text.path}:1: the first line is longer than {HEAD_BYTES // (1 << 20)} MB")
    elif parts and parts[-1] == b"":
        parts.pop()
    parts = parts[:SNIFF_LINES]
    offsets, offset = [], text.start
    for part in parts:
        offsets.append(offset)
        offset += len(part) + len(text.newline)
    offsets.append(offset)
    return [part.decode(text.codec, "replace") for part in parts], offsets


def _head_bytes(handle: BinaryIO, newline: bytes) -> tuple[bytes, bool]:
    """The bytes holding the first SNIFF_LINES lines (or all there is, up to HEAD_BYTES), and whether
    they end where the lines do: cut after the last of those lines, or at the end of the file.

    Read in growing chunks, not HEAD_BYTES at once: splitting 8 MB into ~100,000 lines to keep 50
    cost ~20 ms of every read of a large export.
    """
    raw, size = b"", 1 << 16
    while True:
        chunk = handle.read(min(size, HEAD_BYTES - len(raw)))
        raw += chunk
        cut = _after_lines(raw, newline, SNIFF_LINES)
        if cut is not None:
            return raw[:cut], True
        if not chunk:
            return raw, True
        if len(raw) >= HEAD_BYTES:
            return raw, not handle.read(1)
        size *= 2


def _after_lines(raw: bytes, newline: bytes, lines: int) -> int | None:
    """The offset just past the `lines`-th newline in raw, or None when it holds fewer."""
    end = -len(newline)
    for _ in range(lines):
        end = raw.find(newline, end + len(newline))
        if end < 0:
            return None
    return end + len(newline)


def read_body(
    text: Text, offset: int, body_line: int, delimiter: str, width: int
) -> tuple[pd.DataFrame, np.ndarray]:
    newlines, ends_with_newline = text.lines_from(offset)
    with text.open() as handle:
        handle.seek(offset)
        if not handle.read(1):
            return pd.DataFrame(columns=range(width), dtype=object), np.array([], dtype=np.int64)
        handle.seek(offset)
        try:
            cells = _read_chunks(handle, **_options(text, delimiter))
        except (pd.errors.ParserError, ValueError) as error:
            raise DataError(_parser_message(text, str(error), offset, body_line, delimiter, width)) from None
    physical = newlines + (0 if ends_with_newline else 1)
    lines = _physical_lines(cells, physical, body_line, text.newline.decode())
    return _fit_width(text.path, cells, lines, width), lines


def blocks(
    text: Text, offset: int, body_line: int, delimiter: str, width: int, rows: int
) -> Iterator[tuple[pd.DataFrame, np.ndarray]]:
    """The body `rows` records at a time, each block with the physical line of each of its rows.

    The parser knows where records end (a quoted line break stays inside its record), so a block
    always ends on a record boundary; the line ends inside quoted cells are counted per block and
    carried to the next, as `read_body` counts them over the whole body. A parser error raises
    DataError as in `read_body` (the caller may read the file whole again to name it).
    """
    with text.open() as handle:
        handle.seek(offset)
        if not handle.read(1):
            return
        handle.seek(offset)
        parts = pd.read_csv(handle, chunksize=rows, **_options(text, delimiter))
        first = body_line
        newline = text.newline.decode()
        while True:
            try:
                cells = next(parts)
            except StopIteration:
                return
            except (pd.errors.ParserError, ValueError) as error:
                raise DataError(
                    _parser_message(text, str(error), offset, body_line, delimiter, width)
                ) from None
            cells.columns = pd.RangeIndex(cells.shape[1])
            extra = _line_breaks_in_cells(cells, newline)
            lines = first + np.arange(len(cells), dtype=np.int64)
            lines += np.concatenate(([0], np.cumsum(extra)[:-1])).astype(np.int64)
            first = int(lines[-1]) + 1 + int(extra[-1])
            yield _fit_width(text.path, cells, lines, width), lines


def _line_breaks_in_cells(cells: pd.DataFrame, newline: str) -> np.ndarray:
    """How many line ends each row's quoted cells hold (0 for almost every row)."""
    extra = np.zeros(len(cells), dtype=np.int64)
    for column in cells.columns:
        extra += cells[column].str.count(newline).fillna(0).to_numpy(dtype=np.int64)
    return extra


def _options(text: Text, delimiter: str) -> dict[str, Any]:
    """`read_csv`'s options for a body: every cell as text, nothing dropped or converted."""
    return {
        "sep": delimiter,
        "header": None,
        # pandas' `str` keeps the cells in Arrow buffers (with pyarrow): a fifth of the memory of
        # one Python object per cell, which cost 2.4 GB on a 200 MB export.
        "dtype": "str",
        "na_filter": False,
        "skip_blank_lines": False,
        "engine": "c",
        "encoding": text.codec,
        "lineterminator": "\r" if text.newline == b"\r" else None,
    }


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
    import pyarrow as pa  # here: the columnar path's sniffing imports this module before its scan

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
    import pyarrow as pa

    return pa.array([""] * rows, pa.large_string())


def _parser_message(text: Text, message: str, offset: int, body_line: int, delimiter: str, width: int) -> str:
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


def _line_of_row(text: Text, offset: int, body_line: int, delimiter: str, row: int) -> int:
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
