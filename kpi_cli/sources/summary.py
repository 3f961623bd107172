"""Rows of the table body that are not data: blanks, comments, "no data" notes and summary rows.

Platforms put totals at the top (YouTube `Total`, GA4 `Grand total`), the bottom (Google Ads
`Total: Account`, Yahoo! `合計`) or between sections. Counting one as data doubles the sums, so every
check is on whole columns and the caller records each hit in `skipped`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

_SUMMARY = r"(?i)\s*(?:grand\s+totals?|totals?|total\s*:.*|summary|合計|総計|総合計|全体|小計)\s*"
_NO_DATA = r"(?i)\s*(?:no\s+data(?:\s+available)?|データがありません|該当するデータ(?:は|が)ありません)\W*"


def blank_rows(cells: pd.DataFrame) -> pd.Series:
    """Rows whose every cell is empty (blank lines and `,,,,` lines)."""
    if cells.shape[1] == 0:
        return pd.Series(True, index=cells.index)
    return cells.isin([""]).all(axis=1)


def comment_rows(cells: pd.DataFrame) -> pd.Series:
    """`#` comment lines between the header and the data (GA4 writes comment blocks)."""
    return cells[cells.columns[0]].str.lstrip().str.startswith("#")


def no_data_rows(cells: pd.DataFrame) -> pd.Series:
    """A `No data available.` line: the export has zero rows, not one row of zeros."""
    first = cells[cells.columns[0]]
    others_empty = cells[cells.columns[1:]].isin([""]).all(axis=1) if cells.shape[1] > 1 else True
    return first.str.fullmatch(_NO_DATA) & others_empty


def summary_rows(cells: pd.DataFrame, columns: Iterable[int]) -> pd.Series:
    """Rows whose first cell, date or dimension cell says `Total`, `Total: ...`, `Grand total`, `合計`..."""
    hits = pd.Series(False, index=cells.index)
    for column in dict.fromkeys(columns):
        hits |= cells[column].str.fullmatch(_SUMMARY)
    return hits


def blank_in(cells: pd.DataFrame, columns: Sequence[int]) -> pd.Series:
    """Rows blank in every given column (Meta's summary row has no campaign name)."""
    blank = pd.Series(bool(columns), index=cells.index)
    for column in columns:
        blank &= cells[column].str.strip().eq("")
    return blank
