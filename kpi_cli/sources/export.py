"""What reading one export produces: the canonical frame plus how it was read."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class Skipped:
    """A line of the file that is not data, and why (preamble, summary row, blank...)."""

    line: int
    reason: str


@dataclass(frozen=True)
class Export:
    path: Path
    platform: str
    encoding: str
    delimiter: str
    frame: pd.DataFrame
    columns: dict[str, str] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    # Headers of the file that fill no canonical column (rates, ids, texts): shown by `kpi inspect`.
    unmapped: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.frame)
