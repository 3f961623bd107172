"""Every source in the config read into one canonical frame, tagged with its source and segment."""

from __future__ import annotations

import glob
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kpi_cli import spans
from kpi_cli.config.loader import LoadedConfig
from kpi_cli.config.models import SourceConfig, TableSource
from kpi_cli.duplicates import deduplicated
from kpi_cli.errors import DataError
from kpi_cli.lazy_pandas import pd
from kpi_cli.sources import Export, period, prefetch
from kpi_cli.sources.canonical import DATE_END

TAGS = ("segment", "channel", "campaign", "account", "influencer")


@dataclass(frozen=True)
class SourceSpan:
    """What one configured source contributed: its files and its newest date (for freshness)."""

    config: SourceConfig | TableSource
    exports: list[Export]
    # Files or rows counted once because another file of the source repeats them (duplicates.py).
    notes: list[str] = field(default_factory=list)

    def newest(self, as_of: date | None = None) -> date | None:
        """The newest row, or the newest on or before as_of (later rows are cut from a review)."""
        rows = [_last_days(e.frame) for e in self.exports if "date" in e.frame.columns]
        ends: list[pd.Series] = [last for _, last in rows]
        if as_of is not None:
            cut = pd.Timestamp(as_of)
            # A row that started by as_of counts up to as_of (a report running past it).
            ends = [last[first <= cut].where(last[first <= cut] <= cut, cut) for first, last in rows]
        kept = [d.max() for d in ends if len(d)]
        return max(kept).date() if kept else None

    def newest_span_days(self) -> int:
        """Days totalled by the source's latest-ending row (1 for daily rows, ~30 for a month)."""
        spans = [
            int((last - first).dt.days.iloc[int(last.to_numpy().argmax())]) + 1
            for first, last in (_last_days(e.frame) for e in self.exports if "date" in e.frame.columns)
            if len(last)
        ]
        return max(spans, default=1)

    @property
    def metrics(self) -> set[str]:
        return {c for e in self.exports for c in e.frame.columns}


def _last_days(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(first day, last day) of each row: a period-total row ends on its `date_end`."""
    return frame["date"], frame[DATE_END] if DATE_END in frame.columns else frame["date"]


def read_sources(
    loaded: LoadedConfig, dimensions: Collection[str] | None = None, *, unmapped_sums: bool = False
) -> list[SourceSpan]:
    """Every configured source. `dimensions`: what event-level and SQL sources group by (default:
    every one their table has); `unmapped_sums` for `validate`'s advice on columns left unread."""
    return [
        _read_source(loaded, source, unmapped_sums, dimensions)
        if isinstance(source, SourceConfig)
        else _read_table_source(loaded, source, dimensions)
        for source in loaded.config.sources
    ]


def _read_table_source(
    loaded: LoadedConfig, source: TableSource, dimensions: Collection[str] | None
) -> SourceSpan:
    """Aggregated on its engine to one row per day and dimension (DuckDB and Ibis load only here)."""
    from kpi_cli.warehouse.span import table_export

    export, notes = table_export(source, loaded.base_dir, dimensions)
    return SourceSpan(source, [export], notes)


def _read_source(
    loaded: LoadedConfig, source: SourceConfig, unmapped_sums: bool, dimensions: Collection[str] | None
) -> SourceSpan:
    files = files_of(loaded.base_dir, source)
    options = export_options(loaded, source, unmapped_sums, dimensions)
    # A read the command started early (sources/prefetch.py) is taken here, in the same order.
    exports = [prefetch.export_of(f, options) for f in files]
    exports = [spans.placed(source.name, e, source.split) for e in exports]
    unique = deduplicated(source.name, exports)
    return SourceSpan(source, unique.exports, unique.notes)


def export_options(
    loaded: LoadedConfig, source: SourceConfig, unmapped_sums: bool, dimensions: Collection[str] | None
) -> dict[str, Any]:
    """`read_export`'s options for each file of `source` (the prefetch starts reads with these)."""
    return {
        "platform": source.platform,
        "columns": source.columns,
        "encoding": source.encoding,
        "profiles_dir": loaded.base_dir,
        "events": source.events,
        "year": source.year,
        "unmapped_sums": unmapped_sums,
        "totals_range": period.from_source(source.period, source.start, source.end),
        "dimensions": dimensions,  # a large file is then aggregated to this grain (columnar.py)
        "split": source.split,  # ... and its rows across months split by day as it is read
    }


def files_of(base: Path, source: SourceConfig) -> list[Path]:
    pattern = base / source.path
    if glob.has_magic(source.path):
        found = sorted(Path(p) for p in glob.glob(str(pattern)))
        if not found:
            raise DataError.said("error.source.no_match", source=source.name, pattern=str(pattern))
        return found
    if not pattern.is_file():
        raise DataError.said("error.source.not_found", source=source.name, path=str(pattern))
    return [pattern]


def combine(spans: list[SourceSpan]) -> pd.DataFrame:
    """All rows of all sources; a source's `segment:` (etc.) tags rows the export left untagged."""
    frames = [_tagged(span.config, e.frame) for span in spans for e in span.exports]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(
            {"date": pd.Series([], dtype="datetime64[ns]"), "source": pd.Series([], dtype=str)}
        )
    return pd.concat(frames, ignore_index=True, sort=False)


def _tagged(source: SourceConfig | TableSource, frame: pd.DataFrame) -> pd.DataFrame:
    tagged = frame.copy()
    tagged["source"] = source.name
    patterns = source.patterns if isinstance(source, SourceConfig) else {}
    for dimension, pattern in patterns.items():
        if dimension in tagged.columns:
            tagged[dimension] = cut_out(tagged[dimension], pattern)
    for tag in TAGS:
        value = getattr(source, tag, None)  # event and SQL sources have no account/influencer tag
        if value is not None:
            tagged[tag] = tagged[tag].fillna(value) if tag in tagged.columns else value
    return tagged


def cut_out(values: pd.Series, pattern: str) -> pd.Series:
    """Each value's first group under `pattern` (or its whole match); unset where it does not match.

    `influencer: '^inf_([a-z0-9_.]+)'` turns the UTM campaign `inf_sora.skin_nov` into `sora.skin`.
    """
    kept = pattern if re.compile(pattern).groups == 1 else f"({pattern})"
    found = values.astype("string").str.extract(kept, expand=False)
    column: pd.Series = found if isinstance(found, pd.Series) else found.iloc[:, 0]
    text = column.astype("string")
    return text.mask(text == "")
