"""Columns converted once per distinct value: what keeps the row-by-row read's peak down (issue 7).

A year of daily rows has 365 dates and a campaign column a few hundred names; converting every
cell made one Python object per row on the way (frame.py uses these for `inspect` and `validate`).
"""

from __future__ import annotations

from kpi_cli.lazy_pandas import np, pd
from kpi_cli.sources.dates import dates_from_text
from kpi_cli.sources.values import TEXT, null_cells


def unique_text(text: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`np.unique(text, return_inverse=True, return_counts=True)` for a StringDType array.

    numpy 2.4's `unique` on a StringDType array crashed the process (SIGSEGV, not an exception) on
    a block of 49,950 distinct timestamps of an event export, with `return_inverse`; it passes on
    other arrays of that size, so there is no safe size to trust. Sorting the cells as Python
    strings gives the same values in the same order (code-point order both ways), and costs
    ~0.02 s per 50,000 cells. The distinct values come back as StringDType for numpy's ufuncs.
    """
    distinct, index, counts = np.unique(text.astype(object), return_inverse=True, return_counts=True)
    return distinct.astype(TEXT), index.reshape(-1), counts


def dates_by_value(text: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`dates_from_text`, parsing each distinct cell once: a year of daily rows has 365.

    Parsing every cell built one Python object per row (170 MB at the peak of a 2.6M-row export).
    The format chosen is the same: the first that reads every value reads every distinct value.
    An unreadable cell is rare; it is found by parsing every cell, as before, so that the message
    names the same cell whatever the order of the distinct values.
    """
    distinct, where, _ = unique_text(text)
    if 2 * len(distinct) > len(text):
        return dates_from_text(text)
    values, bad = dates_from_text(distinct)
    if bad.any():
        return dates_from_text(text)
    return values[where], bad[where]


def labels(text: np.ndarray) -> np.ndarray:
    """A dimension column as Python strings (missing where null), one object per distinct value.

    A campaign column repeats a few hundred names: one `str` per cell cost about 60 bytes a row
    and column (470 MB for three dimensions of a 200 MB export); the cells now share their value's.
    """
    distinct, where, _ = unique_text(text)
    nulls = null_cells(distinct)
    named = pd.Series(distinct.astype(object), dtype=object).mask(nulls).astype("string").to_numpy()
    labels: np.ndarray = named[where]
    return labels
