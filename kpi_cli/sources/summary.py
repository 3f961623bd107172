"""Rows of the table body that are not data: blanks, comments, "no data" notes and summary rows.

Platforms put totals at the top (YouTube `Total`, GA4 `Grand total`), the bottom (Google Ads
`Total: Account` / `合計: アカウント`, Yahoo! `合計`) or between sections. A row is a summary only by
such a signature (a summary word, or blank in every name column of the report's level, see
`blank_in`); a data row that merely lacks a date is not one. Counting one as data doubles the sums, so every
row is checked, with numpy over whole columns, and the caller records each hit in `skipped`.
Columns come as stripped text arrays (see values.as_text), the table as an object grid.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from kpi_cli.lazy_pandas import np, pd
from kpi_cli.sources.values import spellings

_SUMMARY_WORDS = [
    "total",
    "totals",
    "grand total",
    "grand totals",
    "summary",
    "合計",
    "総計",
    "総合計",
    "全体",
    "小計",
]


@cache
def _summary_spellings() -> np.ndarray:
    return spellings(_SUMMARY_WORDS)


_TOTAL_PREFIXES = ("total", "Total", "TOTAL", "合計", "総計")
# Google Ads: `Total: Account`, `Total: Search`, `Total: Campaigns`; in Japanese `合計: アカウント`
# (the colon may be full-width once NFKC is not applied to cells).
_TOTAL_OF = r"(?i)(?:total|合計|総計)\s*[:：].*"
_NO_DATA = r"(?i)(?:no\s+data(?:\s+available)?|データがありません|該当するデータ(?:は|が)ありません)\W*"


def empty_after_first(cells: pd.DataFrame) -> np.ndarray:
    """Rows whose cells after the first are all empty, narrowing column by column (few survive)."""
    empty = np.ones(len(cells), dtype=bool)
    for column in cells.columns[1:]:
        empty[empty] = cells[column].to_numpy(dtype=object)[empty] == ""
    return empty


def blank_rows(first: np.ndarray, rest_empty: np.ndarray) -> np.ndarray:
    """Rows whose every cell is empty (blank lines and `,,,,` lines)."""
    return np.asarray((first == "") & rest_empty, dtype=bool)


def comment_rows(first: np.ndarray) -> np.ndarray:
    """`#` comment lines between the header and the data (GA4 writes comment blocks)."""
    return np.asarray(np.strings.startswith(first, "#"), dtype=bool)


def no_data_rows(first: np.ndarray, rest_empty: np.ndarray) -> np.ndarray:
    """A `No data available.` line: the export has zero rows, not one row of zeros."""
    alone = (first != "") & rest_empty
    hits = np.zeros(len(first), dtype=bool)
    if alone.any():
        hits[alone] = _fullmatch(first[alone], _NO_DATA)
    return hits


def summary_rows(labels: Iterable[np.ndarray], size: int) -> np.ndarray:
    """Rows whose first cell, date or dimension cell says `Total`, `Total: ...`, `Grand total`, `合計`..."""
    hits = np.zeros(size, dtype=bool)
    for words in labels:
        hits |= np.isin(words, _summary_spellings())
        prefixed = np.logical_or.reduce([np.strings.startswith(words, p) for p in _TOTAL_PREFIXES])
        if prefixed.any():
            hits[prefixed] |= _fullmatch(words[prefixed], _TOTAL_OF)
    return hits


def blank_in(columns: Iterable[np.ndarray], size: int) -> np.ndarray:
    """Rows blank in every given column (Meta's summary row has no campaign name)."""
    checked = list(columns)
    blank = np.full(size, bool(checked))
    for column in checked:
        blank &= column == ""
    return blank


def _fullmatch(text: np.ndarray, pattern: str) -> np.ndarray:
    """A regex over a few flagged cells only (the candidates numpy picked out)."""
    return pd.Series(text.astype(object), dtype=object).str.fullmatch(pattern).to_numpy(dtype=bool)
