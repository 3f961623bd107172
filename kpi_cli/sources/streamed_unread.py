"""The columns kpi does not read, in a file read in blocks (streamed.py): summed as the whole read sums.

Each block's values are kept and summed once every block is read, so that the sum is bit for bit
unmapped.unmapped_columns' (`np.nansum` of every value); a column with a cell that is not a
number has no sum.
"""

from __future__ import annotations

from kpi_cli.lazy_pandas import np
from kpi_cli.sources import frame
from kpi_cli.sources.export import Unmapped
from kpi_cli.sources.unmapped import is_identifier
from kpi_cli.sources.values import numbers_from_text

# position -> the column's values so far; None once a cell is not a number (a string: no numpy at
# import, kpi_cli.lazy_pandas)
Sums = dict[int, list["np.ndarray"] | None]


def add_unread_values(
    headers: list[str], mapping: frame.ColumnMap, columns: frame.Columns, sums: Sums
) -> None:
    """One block's values of each column kpi does not read; None once a cell is not a number."""
    used = mapping.used()
    for position, header in enumerate(headers):
        if position in used or is_identifier(header) or sums.get(position, []) is None:
            continue
        values, bad = numbers_from_text(columns.transient_text(position))
        kept = sums.setdefault(position, [])
        if bad.any() or kept is None:
            sums[position] = None
        else:
            kept.append(values)


def unmapped(headers: list[str], mapping: frame.ColumnMap, sums: Sums, unmapped_sums: bool) -> list[Unmapped]:
    """unmapped.unmapped_columns over the whole file: the same sum (`np.nansum` of every value)."""
    found = []
    for position, header in enumerate(headers):
        if position in mapping.used():
            continue
        kept = sums.get(position)
        if not unmapped_sums or is_identifier(header) or kept is None:
            found.append(Unmapped(header, None))
            continue
        values = np.concatenate(kept) if kept else np.array([], dtype=np.float64)
        numeric = not np.isnan(values).all()
        found.append(Unmapped(header, float(np.nansum(values)) if numeric else None))
    return found
