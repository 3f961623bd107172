"""The one table layout of the text outputs: numbers whole, words whole, as wide as the terminal.

Rich sizes columns by shrinking the widest, then folds whatever no longer fits mid-word. Here the
widths are decided first, and each cell is broken by `kpi_cli.render.fit` to its column's width:

1. Columns that do not wrap (numbers, periods) get their widest line.
2. Each wrapping column gets at least its widest number (a number is never cut) and, for short
   labels (`Fit.WORDS`), its widest word.
3. What is left of the terminal goes first to wrapping columns whose widest word does not fit yet,
   names before sentences, cheapest first (so `Inquiries` is whole rather than `Inquiri…`), then
   a few cells at a time to the column where they save the most lines of the table.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich import box
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from kpi_cli.i18n import Lang, term
from kpi_cli.render.fit import Fit, fit_cell, line_count, widest_piece

Cell = Text | str
_NARROWEST = 4  # a wrapping column never gets less than this


def grid(
    title: str,
    headers: list[str],
    rows: list[list[Cell]],
    numeric: set[str],
    wrap: Mapping[str, Fit],
    width: int,
    lang: Lang = Lang.EN,
    key_prefix: str = "ui.col.",
) -> Table:
    """A table no wider than `width` whose columns named in `wrap` give way, each as its Fit says."""
    table = Table(
        title=Text(title, overflow="fold"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        collapse_padding=True,
        pad_edge=False,
    )
    shown = [term(f"{key_prefix}{h}", lang) if h else h for h in headers]  # ids, shown translated
    fits = [wrap.get(h) for h in headers]
    columns = [[row[i] for row in rows] for i in range(len(headers))]
    widths = column_widths(shown, columns, fits, width)
    for header, label, fit, cells, size in zip(headers, shown, fits, columns, widths, strict=True):
        table.add_column(
            fit_cell(label, size, Fit.WORDS) if fit else label,
            justify="right" if header in numeric else "left",
            no_wrap=True,
            width=size,
        )
        if fit is not None:
            columns[headers.index(header)] = [fit_cell(c, size, fit) for c in cells]
    for i in range(len(rows)):
        table.add_row(*(column[i] for column in columns))
    return table


def column_widths(
    headers: list[str], columns: list[list[Cell]], fits: list[Fit | None], width: int
) -> list[int]:
    texts = [[h, *(str(c) for c in column)] for h, column in zip(headers, columns, strict=True)]
    natural = [max(cell_len(line) for t in column for line in t.split("\n")) for column in texts]
    # The box draws one space at each edge and two between columns (SIMPLE_HEAD, collapsed padding).
    room = width - 2 * len(headers)
    widths = [n if fit is None else 0 for n, fit in zip(natural, fits, strict=True)]
    wrapping = [i for i, fit in enumerate(fits) if fit is not None]
    if sum(natural) <= room or not wrapping:
        return natural
    words: dict[int, int] = {}
    for i in wrapping:
        fit = fits[i] or Fit.PROSE
        whole = [widest_piece(t, fit) for t in texts[i]]
        numbers = max(widest_piece(t, fit, numbers_only=True) for t in texts[i])
        floor = max(whole) if fit is Fit.WORDS else max(numbers, min(natural[i], _NARROWEST))
        widths[i] = floor
        words[i] = max(*whole, widest_piece(texts[i][0], Fit.WORDS))  # a header read whole
    spare = room - sum(widths)
    # Whole words first, names and labels before sentences (a name would lose its end, a sentence
    # only takes one more line), the cheapest first: one more cell often saves a name its ellipsis.
    for i in sorted(wrapping, key=lambda i: (fits[i] is Fit.PROSE, words[i] - widths[i])):
        need = words[i] - widths[i]
        if 0 < need <= spare:
            widths[i] += need
            spare -= need
    _share_out(widths, spare, natural, texts, fits, wrapping)
    return widths


def _share_out(
    widths: list[int],
    spare: int,
    natural: list[int],
    texts: list[list[str]],
    fits: list[Fit | None],
    wrapping: list[int],
) -> None:
    """The rest of the terminal, a few cells at a time, to the column where they save the most lines.

    Giving every cell to the column with the most text left (the owner, the finding) once squeezed
    a status into `off` / `track` / `·` / `owner:` on seven lines while a few cells would have
    made it one.
    """
    rows = len(texts[0]) - 1

    def height(i: int, width: int) -> list[int]:
        return [line_count(texts[i][r + 1], width, fits[i] or Fit.PROSE) for r in range(rows)]

    heights = {i: height(i, widths[i]) for i in wrapping}

    def table_height(changed: int, lines: list[int]) -> int:
        return sum(max([lines[r]] + [heights[j][r] for j in wrapping if j != changed]) for r in range(rows))

    while spare > 0:
        now = table_height(-1, [0] * rows)
        best: tuple[float, int, int, list[int]] | None = None
        for i in wrapping:
            for extra in range(1, min(spare, natural[i] - widths[i]) + 1):
                lines = height(i, widths[i] + extra)
                saved = now - table_height(i, lines)
                if saved > 0:
                    if best is None or saved / extra > best[0]:
                        best = (saved / extra, i, extra, lines)
                    break
        if best is None:
            break
        _, i, extra, lines = best
        widths[i] += extra
        heights[i] = lines
        spare -= extra
    while spare > 0:  # no line left to save: the rest to the column with the most text still wrapped
        short = [i for i in wrapping if widths[i] < natural[i]]
        if not short:
            break
        widest = max(short, key=lambda i: natural[i] - widths[i])
        widths[widest] += 1
        spare -= 1
