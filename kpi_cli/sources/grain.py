"""What a review asks of a large export's read: the dimensions it groups by, and one it reads by month.

A `--by campaign` review judges each campaign on its monthly sums only (when no KPI of the config
reads a campaign's days: see review.months_suffice). Grouping the scan by campaign x day returned
875,097 rows for 10,000 campaigns on 1M rows, fetched, decoded and split again in pandas; the same
scan can instead group the days without the campaign (what the plain check reads) and sum each
campaign by month beside it (at most campaigns x months rows). `Grain` carries that request
through the readers, which take it as the plain set of dimensions they group by, and `ByMonth` is
the answer of the one reader that honours it (columnar.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the readers import this module; pandas comes with the frames it describes
    import pandas as pd

# The compare rule (rules/compare_flags.py) compares accounts and influencers in every review,
# whatever dimensions the config names, so the aggregate keeps them where the file has them.
ALWAYS_GROUPED = ("account", "influencer")


class Grain(frozenset[str]):
    """The dimensions a review groups by (a set, as every reader takes them) and, when `monthly`
    names one of them, the request that it be summed by month through `through` (the review's
    `--as-of`; None: every row, the review then being as of the newest one) rather than by day."""

    monthly: str | None
    through: date | None

    def __new__(
        cls, dimensions: Iterable[str], monthly: str | None = None, through: date | None = None
    ) -> Grain:
        grain = super().__new__(cls, dimensions)
        grain.monthly = monthly if monthly in grain else None
        grain.through = through
        return grain

    def daily(self) -> frozenset[str]:
        """The dimensions the day rows keep: all but the one summed by month."""
        return frozenset(d for d in self if d != self.monthly)


@dataclass(frozen=True)
class ByMonth:
    """One dimension's monthly sums: `table` has the dimension's values (read as the day rows read
    them: stripped, a null token left out), `date` the month's first day, and each metric summed
    over the rows dated up to `through` (None: all rows), one row per value and month with rows."""

    dimension: str
    table: pd.DataFrame
    through: date | None
