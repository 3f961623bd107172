"""Stage exports (HubSpot's contacts) in blocks of rows, for streamed.py: each stage date is an event.

The whole read (frame._stage_events) makes, stage by stage in METRICS order, one row per contact
that reached the stage, dated that day, with 1 in the stage's metric and 0 in the other stages'.
A CRM's contacts export is the large file of the kind (1.56M contacts are 200 MB, and the whole
read peaked at 1.43 GB on them). Here each block keeps, per stage, the codes of its stage cells
into that column's distinct values (the date format is the first that reads every value of the
column, decided per column as the whole read decides it) and its rows' dimension labels; the
events are made once every block is read, stage by stage and in file order: the whole read's
frame, row for row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kpi_cli.lazy_pandas import np, pd
from kpi_cli.sources import frame
from kpi_cli.sources.canonical import DIMENSIONS, METRICS
from kpi_cli.sources.date_codes import DateCodes
from kpi_cli.sources.distinct import labels
from kpi_cli.sources.export import Skipped
from kpi_cli.sources.profile import Profile

NONE_REACHED = "reached none of the mapped stages"  # frame._stage_events' reason, word for word


@dataclass
class Stages:
    """Per stage: its column's date codes (`codes`) and, per block, the reached rows' codes and labels."""

    names: list[str]
    dimensions: list[str]
    codes: dict[str, DateCodes]
    parts: dict[str, list[dict[str, np.ndarray]]] = field(default_factory=dict)

    @classmethod
    def of(cls, profile: Profile, mapping: frame.ColumnMap, grain: list[str] | None) -> Stages:
        """`grain`: the only dimensions kept when the caller takes an aggregate (a review); a
        contacts export's `Record ID` is a dimension with a value per row (94 MB of labels at 200 MB)."""
        names = [m for m in METRICS if m in profile.events and m in mapping.columns]
        kept = DIMENSIONS[1:] if grain is None else grain
        dimensions = [d for d in kept if d in mapping.columns]
        return cls(names, dimensions, {stage: DateCodes() for stage in names}, {stage: [] for stage in names})

    def coded(self, rows: frame.Columns, mapping: frame.ColumnMap) -> dict[str, np.ndarray]:
        """One block's stage cells as codes into each stage column's distinct values."""
        return {stage: self.codes[stage].of(rows.text(mapping.columns[stage])) for stage in self.names}

    def add(
        self, rows: frame.Columns, mapping: frame.ColumnMap, coded: dict[str, np.ndarray]
    ) -> list[Skipped]:
        """One block's data rows, `coded` by `coded`; the rows that reached no stage are skipped,
        as the whole read does."""
        dimension_labels = {d: labels(rows.text(mapping.columns[d])) for d in self.dimensions}
        reached = np.zeros(len(rows), dtype=bool)
        for stage in self.names:
            codes = coded[stage]
            hit = codes >= 0
            reached |= hit
            self.parts[stage].append({"date": codes[hit], **{d: v[hit] for d, v in dimension_labels.items()}})
        return [Skipped(int(line), NONE_REACHED) for line in rows.lines[~reached]]

    def events(self) -> pd.DataFrame:
        """frame._stage_events' frame over the whole file; each block's arrays are freed once joined."""
        pieces = []
        for stage in self.names:
            blocks = self.parts[stage]
            part = pd.DataFrame({"date": self.codes[stage].dates(_joined(blocks, "date"))})
            for dimension in self.dimensions:
                part[dimension] = _joined(blocks, dimension)
            for metric in self.names:
                part[metric] = 1.0 if metric == stage else 0.0
            pieces.append(part)
        return pd.concat(pieces, ignore_index=True)


def _joined(blocks: list[dict[str, np.ndarray]], name: str) -> np.ndarray:
    return np.concatenate([block.pop(name) for block in blocks])
