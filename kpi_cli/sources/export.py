"""What reading one export produces: the canonical frame plus how it was read."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # `kpi platforms` imports the sources package without pandas
    import pandas as pd

    from kpi_cli.sources.grain import ByMonth


@dataclass(frozen=True)
class Skipped:
    """A line of the file that is not data, and why (preamble, summary row, blank...)."""

    line: int
    reason: str


@dataclass(frozen=True)
class Unmapped:
    """A column kpi does not read, with its sum over the data rows when every cell is a number."""

    header: str
    sum: float | None


@dataclass(frozen=True)
class Export:
    path: Path
    platform: str
    encoding: str
    delimiter: str
    frame: pd.DataFrame
    columns: dict[str, str] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    # Columns of the file that fill no canonical column (rates, ids, texts): shown by `kpi inspect`.
    unmapped: list[Unmapped] = field(default_factory=list)
    # Cells of data rows left out of every metric, and why (a Meta result indicator kpi does not
    # know): the rows themselves are counted, these figures are not.
    unread: list[Skipped] = field(default_factory=list)
    # The file looks like another platform's export than the profile that read it (detect.py).
    warnings: list[str] = field(default_factory=list)
    # Data rows in the file (a HubSpot contact is one, whatever stages it reached); `rows` counts
    # the canonical rows built from them (one per stage reached, none for an undated row).
    data_rows: int = 0
    # The frame is the columnar path's sums by day and dimension (columnar.py), not one row a row:
    # there every data row is dated and is one canonical row, so `rows` is `data_rows`.
    aggregated: bool = False
    # The canonical rows an aggregate stands for when not every data row is one: a large file read
    # in blocks (streamed.py) may have undated rows, which give none.
    canonical_rows: int | None = None
    # A `--by` review's dimension summed by month and left out of the frame (sources/grain.py).
    by_month: ByMonth | None = None

    @property
    def rows(self) -> int:
        if self.aggregated:
            return self.data_rows if self.canonical_rows is None else self.canonical_rows
        return len(self.frame)
