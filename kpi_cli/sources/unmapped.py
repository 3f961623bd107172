"""The columns of an export kpi does not read, each with its sum where it is numeric.

Shown by `kpi inspect` (and used by `validate`'s advice) so that nothing in a file vanishes
without a word: a `Results` column with 68 in it is a metric the user may want to map.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kpi_cli.lazy_pandas import np
from kpi_cli.sources.export import Unmapped
from kpi_cli.sources.profile import normalise
from kpi_cli.sources.values import numbers_from_text

# `id` alone or after a space, `_` or a Japanese word (`ツイートID`); never the end of `paid`.
_IDENTIFIER = re.compile(r"(?:^|[\s_]|[^\x00-\x7f])id$")


def is_identifier(header: str) -> bool:
    """`Tweet id`, `Record ID`, `ツイートID`, `Page ID`: numbers that name, not count."""
    return _IDENTIFIER.search(normalise(header)) is not None


def unmapped_columns(
    headers: list[str], used: set[int], text: Callable[[int], np.ndarray], *, sums: bool = True
) -> list[Unmapped]:
    """Every column not in `used`, summed over the data rows when all its filled cells are numbers.

    `text(position)` is the column's stripped text over the data rows (summaries already dropped).
    Summing parses every cell of every unread column: on a 1M-row Meta export that was 40 % of the
    read, so a review (which never shows the sums) asks for the headers only (`sums=False`).
    """
    found = []
    for position, header in enumerate(headers):
        if position in used:
            continue
        if not sums or is_identifier(header):  # a sum of ids means nothing (and loses digits)
            found.append(Unmapped(header, None))
            continue
        values, bad = numbers_from_text(text(position))
        numeric = not bad.any() and not np.isnan(values).all()
        found.append(Unmapped(header, float(np.nansum(values)) if numeric else None))
    return found
