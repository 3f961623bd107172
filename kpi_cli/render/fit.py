"""Line breaking for table cells: between words, never inside one, never inside a number.

Rich folds a word longer than its column wherever the column ends (`Inquirie` / `s`), and its
ellipsis mode cuts numbers as readily as names. Here a cell is broken into pieces first:

- Latin text breaks only at spaces; a word is one piece (`Inquiries`, `63,000,000`, `(SNS`).
- Japanese breaks between characters, as Japanese is set, except before closing punctuation and
  the long-vowel mark (`）`, `、`, `ー`), after opening punctuation (`（`), between a number and
  the counter it carries (`10日`, `2026年`): the usual line-breaking rules (kinsoku shori); and a
  katakana word (`ペース`) stays whole, as a Latin word does.

Then the pieces are laid into lines no wider than the column (display cells: a Japanese character
takes two). A piece still wider than the column is shortened with an ellipsis when the column holds
names (`Inquiri…`) and folded otherwise; a piece holding a digit is never shortened, since a cut
number reads as another number. The table gives every column room for its longest number
(`kpi_cli.render.grid`), so folding is the last resort of a terminal too narrow for the figures.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from enum import StrEnum

from rich.cells import cell_len
from rich.text import Text

ELLIPSIS = "…"
# Characters a Japanese line may not start with / end with (JIS X 4051, the common subset).
_NO_START = set(
    "、。，．・：；？！ー～）」』】〕〉》〙〗｝］”’ヽヾゝゞ々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ…‥"
)
_NO_END = set("（「『【〔〈《〘〖｛［“‘")
_DIGIT = re.compile(r"\d")


class Fit(StrEnum):
    """How a wrapping column treats a piece wider than itself."""

    NAME = "name"  # names from the config or the data: shortened with an ellipsis
    PROSE = "prose"  # sentences: folded, as the last resort
    WORDS = "words"  # short labels (a status): broken only at spaces, each word kept whole


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _katakana(char: str) -> bool:
    return "\u30a0" <= char <= "\u30ff"


def _may_break(before: str, after: str) -> bool:
    """Between two non-space characters: only next to a wide character, and not against kinsoku."""
    if not (_wide(before) or _wide(after)):
        return False
    if after in _NO_START or before in _NO_END:
        return False
    if _katakana(before) and _katakana(after):
        return False  # a katakana word (ペース, ボトルネック) is one word, like a Latin one
    return not (before.isdigit() and _wide(after))  # 10日, 2026年: the counter stays with its number


def pieces(line: str, fit: Fit = Fit.PROSE) -> Iterator[tuple[int, int]]:
    """(start, end) of each unbreakable piece of one line, spaces excluded."""
    for run in re.finditer(r"\S+", line):
        start = run.start()
        if fit is not Fit.WORDS:
            for i in range(run.start() + 1, run.end()):
                if _may_break(line[i - 1], line[i]):
                    yield start, i
                    start = i
        yield start, run.end()


def widest_piece(text: str, fit: Fit = Fit.PROSE, numbers_only: bool = False) -> int:
    """The display width of the widest piece (only those holding a digit, with `numbers_only`)."""
    widths = [
        cell_len(line[a:b])
        for line in text.split("\n")
        for a, b in pieces(line, fit)
        if not numbers_only or _DIGIT.search(line[a:b])
    ]
    return max(widths, default=0)


def fit_cell(cell: Text | str, width: int, fit: Fit = Fit.PROSE) -> Text:
    """The cell broken into lines of at most `width` cells, styles kept."""
    text = cell.copy() if isinstance(cell, Text) else Text(cell)
    out: list[Text] = []
    for start, end, whole in _layout(text.plain, max(1, width), fit):
        out.extend([text[start:end]] if whole else _too_wide(text[start:end], max(1, width), fit))
    return Text("\n").join(out)


def line_count(text: str, width: int, fit: Fit = Fit.PROSE) -> int:
    """How many lines `fit_cell` makes of `text` at `width` (without building them)."""
    count = 0
    for start, end, whole in _layout(text, max(1, width), fit):
        count += 1 if whole else max(1, -(-cell_len(text[start:end]) // max(1, width - 1)))
    return count


def _layout(plain: str, width: int, fit: Fit) -> Iterator[tuple[int, int, bool]]:
    """(start, end, fits) of each line; `fits` is False for a lone piece wider than `width`."""
    offset = 0
    for line in plain.split("\n"):
        yield from _lines(offset, line, width, fit)
        offset += len(line) + 1


def _lines(offset: int, line: str, width: int, fit: Fit) -> Iterator[tuple[int, int, bool]]:
    spans = list(pieces(line, fit))
    if not spans:
        yield offset, offset + len(line), True
        return
    start: int | None = None  # where the line being filled starts, in `line`
    end = 0
    for a, b in spans:
        if start is not None and cell_len(line[start:b]) <= width:
            end = b
            continue
        if start is not None:
            yield offset + start, offset + end, True
        if cell_len(line[a:b]) <= width:
            start, end = a, b
            continue
        yield offset + a, offset + b, False
        start = None
    if start is not None:
        yield offset + start, offset + end, True


def _too_wide(piece: Text, width: int, fit: Fit) -> list[Text]:
    """A piece wider than the column: a name ends in an ellipsis, anything else (a number) folds."""
    if fit is Fit.NAME and not _DIGIT.search(piece.plain):
        return [_shortened(piece, width)]
    chunks: list[Text] = []
    start = 0
    for i in range(1, len(piece.plain) + 1):
        if cell_len(piece.plain[start:i]) > width:
            chunks.append(piece[start : i - 1])
            start = i - 1
    chunks.append(piece[start:])
    return chunks


def _shortened(piece: Text, width: int) -> Text:
    keep = len(piece.plain)
    while keep > 0 and cell_len(piece.plain[:keep]) > width - 1:
        keep -= 1
    shown = piece[:keep]
    shown.append(ELLIPSIS)
    return shown
