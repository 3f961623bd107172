"""From a file on disk to a grid of raw strings: encoding, delimiter, preamble and header rows.

Sniffing looks at the first lines only (in Python, which is fine at that size); the body is read
by pandas' C parser as strings (body.py), so that nothing is converted before the profile says
what each column is; the encoding is decided in encoding.py and workbooks are bounded in workbook.py. Every line that is not part of the body is returned as a `Skipped` with its
1-based physical line number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kpi_cli.errors import DataError, location
from kpi_cli.files import check_regular_file
from kpi_cli.lazy_pandas import np, pd
from kpi_cli.sources import body, workbook
from kpi_cli.sources import encoding as encodings
from kpi_cli.sources.export import Skipped
from kpi_cli.sources.profile import Alias, HeaderSet, normalise
from kpi_cli.sources.values import NULL_TOKENS

DELIMITERS = (",", "\t", ";")
# A text export is read from disk in chunks; this bounds what one file may ask of the machine.
MAX_TEXT_BYTES = 1024 * 1024 * 1024
# No export is this wide (Facebook's page export, the widest, has ~200); pandas builds one block per
# column, and 100,000 columns took minutes.
MAX_COLUMNS = 2_048
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
# What to do with a file kpi does not open, worded as `error.read.unsupported<suffix>` (catalog
# part `errors`): an old .xls workbook is saved again as .xlsx or .csv; a zip is unzipped first.
UNSUPPORTED_SUFFIXES = (".xls", ".zip")
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
    # The lines above the header as text, with their line numbers: where a report of totals says
    # the date range it totals (period.py).
    preamble: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Header:
    key: str  # the delimiter of a text file, the sheet name of a workbook
    index: int  # position of the header among the sniffed rows
    score: int


def read_table(path: Path, known: Sequence[Alias], encoding: str | None) -> Table:
    check_regular_file(path, DataError, "file", MAX_TEXT_BYTES)
    if path.suffix.lower() in UNSUPPORTED_SUFFIXES:
        raise DataError.said(f"error.read.unsupported{path.suffix.lower()}", path=str(path))
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
class TextLayout:
    """A text export found down to its body: the table without its rows, and where the body is.

    `table.cells` is empty: the caller reads the body whole (`read_body`) or in blocks of rows
    (`body.blocks`, streamed.py).
    """

    table: Table
    text: body.Text
    offset: int  # byte offset of the body's first line
    body_line: int  # its 1-based line number


def text_layout(path: Path, known: Sequence[Alias], encoding: str | None) -> TextLayout:
    """`read_table` for a text file, up to the body (which is not read)."""
    check_regular_file(path, DataError, "file", MAX_TEXT_BYTES)
    return _layout(path, encodings.detect(path, encoding), known)


def _read_text(path: Path, found: encodings.Encoding, known: Sequence[Alias]) -> Table:
    layout = _layout(path, found, known)
    table = layout.table
    cells, lines = body.read_body(
        layout.text, layout.offset, layout.body_line, table.delimiter, len(table.headers)
    )
    return Table(table.encoding, table.delimiter, table.headers, cells, lines, table.skipped, table.preamble)


def _layout(path: Path, found: encodings.Encoding, known: Sequence[Alias]) -> TextLayout:
    text = body.text_source(path, found)
    head_lines, offsets = body.head_lines(text)
    hint = _SEP_HINT.match(head_lines[0]) if head_lines else None
    delimiters = (hint.group(1),) if hint else DELIMITERS
    candidates = {d: _sniff_rows(head_lines, d) for d in delimiters}
    header = _find_header(candidates, known)
    rows = candidates[header.key]
    headers, body_index, skipped = _header_and_preamble(rows, header.index)
    if len(headers) > MAX_COLUMNS:
        where = location(path, rows[header.index][0])
        raise DataError.said(
            "error.read.too_many_columns", where=where, columns=len(headers), most=MAX_COLUMNS
        )
    # pandas takes the width of the table from its first line: a blank one there reads as "no
    # columns". Blank lines right under the header are skipped here, as the body skips the rest.
    body_line = rows[body_index][0] if body_index < len(rows) else _line_after(rows)
    while body_line <= len(head_lines) and not head_lines[body_line - 1].strip():
        skipped.append(Skipped(body_line, "blank line"))
        body_line += 1
    offset = offsets[min(body_line - 1, len(offsets) - 1)]
    preamble = [(line, header.key.join(fields)) for line, fields in rows[: header.index]]
    empty = pd.DataFrame(columns=range(len(headers)), dtype=object)
    table = Table(found.name, header.key, headers, empty, np.array([], dtype=np.int64), skipped, preamble)
    return TextLayout(table, text, offset, body_line)


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


# --- workbooks ---------------------------------------------------------------------------------


def read_workbook(path: Path, known: Sequence[Alias]) -> Table:
    """The sheet whose header names the most known columns (LinkedIn: `Metrics`, `New followers`)."""
    grids = workbook.read_grids(path)
    if not grids:
        raise DataError.said("error.read.no_sheets", path=str(path))
    rows_by_sheet = {name: _grid_rows(grid) for name, grid in grids.items()}
    header = _find_header(rows_by_sheet, known)
    rows = rows_by_sheet[header.key]
    headers, body_index, skipped = _header_and_preamble(rows, header.index)
    grid = grids[header.key]
    cells = grid.iloc[body_index:, : len(headers)].reset_index(drop=True)
    cells.columns = pd.RangeIndex(len(headers))
    lines = grid.index.to_numpy()[body_index:].astype(np.int64) + 1
    preamble = [(line, " ".join(f for f in fields if f.strip())) for line, fields in rows[: header.index]]
    return Table("xlsx", "", headers, cells, lines, skipped, preamble)


def _grid_rows(grid: pd.DataFrame) -> list[tuple[int, list[str]]]:
    head = grid.iloc[: body.SNIFF_LINES]
    return [
        (int(i) + 1, _trimmed(list(map(str, row))))
        for i, row in zip(head.index, head.to_numpy(), strict=True)
    ]


def _trimmed(fields: list[str]) -> list[str]:
    """A sheet row without its trailing empty cells (a grid is as wide as its widest row)."""
    while fields and not fields[-1].strip():
        fields.pop()
    return fields
