"""From a file on disk to a grid of raw strings: encoding, delimiter, preamble and header rows.

Sniffing looks at the first lines only (in Python, which is fine at that size); the body is read
by pandas' C parser in one call, as strings, so that nothing is converted before the profile says
what each column is. Every line that is not part of the body is returned as a `Skipped` with its
1-based physical line number.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kpi_cli.errors import DataError
from kpi_cli.sources.export import Skipped
from kpi_cli.sources.profile import Alias, HeaderSet, normalise
from kpi_cli.sources.values import NULL_TOKENS

DELIMITERS = (",", "\t", ";")
FALLBACK_ENCODINGS = ("utf-8", "cp932")
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
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    if path.suffix.lower() in UNSUPPORTED_SUFFIXES:
        raise DataError(f"{path}: {UNSUPPORTED_SUFFIXES[path.suffix.lower()]}")
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return _read_workbook(path, known)
    text, used = decode(path, encoding)
    return _read_text(path, text, used, known)


# --- encodings ---------------------------------------------------------------------------------


def decode(path: Path, forced: str | None = None) -> tuple[str, str]:
    """The text and the encoding it was read with: BOMs first, then UTF-8, then CP932 (Shift_JIS)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DataError(f"{path}: cannot read the file ({error.strerror})") from None
    if forced:
        return _decode_forced(path, data, forced), forced
    for bom, name, codec in (
        (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
    ):
        if data.startswith(bom):
            return _decode_forced(path, data[len(bom) :], codec), name
    for name in FALLBACK_ENCODINGS:
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            continue
    tried = ", ".join(("utf-8-sig", "utf-16", *FALLBACK_ENCODINGS))
    raise DataError(f"{path}: cannot decode the file (tried {tried}); set `encoding:` on the source")


def _decode_forced(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding).removeprefix("\ufeff")
    except LookupError:
        raise DataError(f"{path}: unknown encoding '{encoding}'") from None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DataError(f"{path}:{line}: cannot decode the file as {encoding}") from None


# --- delimited text ----------------------------------------------------------------------------


def _read_text(path: Path, text: str, encoding: str, known: Sequence[Alias]) -> Table:
    head_lines = text.split("\n", _SNIFF_LINES)[:_SNIFF_LINES]
    hint = _SEP_HINT.match(head_lines[0]) if head_lines else None
    delimiters = (hint.group(1),) if hint else DELIMITERS
    candidates = {d: _sniff_rows(head_lines, d) for d in delimiters}
    header = _find_header(candidates, known)
    rows = candidates[header.key]
    headers, body_index, skipped = _header_and_preamble(rows, header.index)
    body_line = rows[body_index][0] if body_index < len(rows) else _line_after(rows)
    cells, lines = _read_body(path, text, body_line, header.key, len(headers))
    return Table(encoding, header.key, headers, cells, lines, skipped)


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
    path: Path, text: str, body_line: int, delimiter: str, width: int
) -> tuple[pd.DataFrame, np.ndarray]:
    body = text[_offset_of_line(text, body_line) :]
    if not body.strip():
        return pd.DataFrame(columns=range(width), dtype=object), np.array([], dtype=np.int64)
    try:
        cells = pd.read_csv(
            io.StringIO(body),
            sep=delimiter,
            header=None,
            dtype=object,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError) as error:
        raise DataError(_parser_message(path, str(error), body_line, width)) from None
    lines = _physical_lines(cells, body, body_line)
    return _fit_width(path, cells, lines, width), lines


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


def _offset_of_line(text: str, line: int) -> int:
    offset = 0
    for _ in range(line - 1):
        offset = text.find("\n", offset) + 1
        if offset == 0:
            return len(text)
    return offset


def _parser_message(path: Path, message: str, body_line: int, width: int) -> str:
    found = re.search(r"line (\d+), saw (\d+)", message)
    if not found:
        return f"{path}:{body_line}: cannot parse the table ({message.strip()})"
    line = body_line + int(found.group(1)) - 1
    return f"{path}:{line}: {found.group(2)} fields where the header has {width}"


def _physical_lines(cells: pd.DataFrame, body: str, body_line: int) -> np.ndarray:
    """1-based line of each row, counting newlines inside quoted cells (multi-line post texts)."""
    lines = body_line + np.arange(len(cells), dtype=np.int64)
    physical = body.count("\n") + (0 if body.endswith("\n") else 1)
    if physical == len(cells):
        return lines
    extra = np.zeros(len(cells), dtype=np.int64)
    for column in cells.columns:
        extra += cells[column].str.count("\n").to_numpy(dtype=np.int64)
    return lines + np.concatenate(([0], np.cumsum(extra)[:-1])).astype(np.int64)


# --- workbooks ---------------------------------------------------------------------------------


def _read_workbook(path: Path, known: Sequence[Alias]) -> Table:
    """The sheet whose header names the most known columns (LinkedIn: `Metrics`, `New followers`)."""
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=str, engine="openpyxl")
    except Exception as error:  # openpyxl raises many unrelated types for a damaged file
        raise DataError(f"{path}: cannot read the workbook ({type(error).__name__}: {error})") from None
    grids = {name: sheet.fillna("").astype(object) for name, sheet in sheets.items()}
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
