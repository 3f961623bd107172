"""Every part's monthly sums of a `--by` split in one ragged array (Dataset.split).

The split used to fill one array per part in a Python loop (~10 us each, 0.1 s for 10,000
campaigns). The rows of the grouped sum arrive sorted by part, then month, so every part's block
of months can be placed in one array by one scatter; each part's block is a slice of it, and the
views of a KPI (assess_parts) read all parts' figures from one column of it at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kpi_cli.lazy_pandas import np, pd


@dataclass(frozen=True)
class SplitSums:
    """Part `i` holds the months `months[first[i]:]`, from its first month with data to the
    review's month, as the rows `flat[offsets[i]:offsets[i + 1]]` (NaN where it had no row);
    `parts` gives each value's position. The same floats the grouped sum gave, moved, not summed."""

    flat: np.ndarray
    columns: list[str]
    months: pd.PeriodIndex
    first: np.ndarray
    offsets: np.ndarray
    parts: dict[str, int]
    _tails: dict[int, tuple[pd.PeriodIndex, np.ndarray]] = field(default_factory=dict, repr=False)

    def months_from(self, first: int) -> tuple[pd.PeriodIndex, np.ndarray]:
        """`months[first:]` and its ordinals, one pair shared by every part starting there."""
        tail = self._tails.get(first)
        if tail is None:
            index = self.months[first:]
            tail = self._tails[first] = (index, index.asi8)
        return tail

    def column(self, metric: str) -> np.ndarray:
        """Every part's values of `metric` end to end; NaN throughout when no column holds it."""
        if metric not in self.columns:
            return np.full(len(self.flat), np.nan)
        return self.flat[:, self.columns.index(metric)]


def ragged(
    part_of_row: np.ndarray, slot_of_row: np.ndarray, rows: np.ndarray, months: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Scatter the grouped rows (sorted by part, then slot) into one block per part present.

    Returns the flat array, the parts present (in order), each one's first slot and each one's
    first row in the flat array (one more offset than parts: the end). A part starting at slot `s`
    takes `months - s` rows, its row for slot `t` at `offset + t - s`, as the per-part loop's
    `filled[t - s]` did.
    """
    if len(slot_of_row) and int(slot_of_row.max()) >= months:
        raise RuntimeError("a month after the review's month in the split's sums")  # cut at as-of
    starts = np.flatnonzero(np.r_[True, part_of_row[1:] != part_of_row[:-1]]) if len(rows) else np.arange(0)
    first = slot_of_row[starts].astype(np.int64)
    offsets = np.r_[0, np.cumsum(months - first)].astype(np.int64)
    which = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(rows)]))
    flat = np.full((int(offsets[-1]), rows.shape[1]), np.nan)
    flat[offsets[which] + slot_of_row - first[which]] = rows
    return flat, part_of_row[starts], first, offsets
