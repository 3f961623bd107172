"""Downloads of one metric whose name is only in the title line above the header.

Meta Business Suite's Insights downloads (Facebook and Instagram) are one file per metric:
UTF-16 LE with a BOM, a `sep=,` line, the metric's name as a title line (`"Facebook follows"`),
then `"Date","Primary"` and one row per day. The figure's header says nothing; the title says what
it counts, so the title picks the canonical metric the `Primary` column fills. A title kpi has no
metric for (`Facebook visits`) stops the read with the line and how to map it by hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kpi_cli.errors import DataError, location
from kpi_cli.sources.canonical import METRICS
from kpi_cli.sources.profile import first_match, normalise
from kpi_cli.untrusted import excerpt

if TYPE_CHECKING:
    from kpi_cli.sources.frame import ColumnMap
    from kpi_cli.sources.profile import Profile
    from kpi_cli.sources.reader import Table

_SEP_LINE = "sep="


@dataclass(frozen=True)
class TitledValues:
    """The figure column (`Primary`) and the metric each title line means."""

    value: tuple[str, ...]
    titles: Mapping[str, str]

    def metric(self, title: str) -> str | None:
        wanted = normalise(title)
        return next((metric for text, metric in self.titles.items() if normalise(text) == wanted), None)


def mapped(table: Table, profile: Profile, mapping: ColumnMap, path: Path) -> ColumnMap:
    """The mapping with the figure column under the metric its title names.

    A source's `columns:` that already maps a metric wins: that is how a title kpi does not know
    is read (`columns: {engagements: Primary}`).
    """
    titled = profile.titled
    if titled is None or any(metric in mapping.columns for metric in METRICS):
        return mapping
    position = first_match(titled.value, [normalise(h) for h in table.headers])
    found = _title(table.preamble)
    if position is None or found is None:
        return mapping
    line, title = found
    metric = titled.metric(title)
    if metric is None:
        known = ", ".join(f"{text} ({name})" for text, name in titled.titles.items())
        said = {"where": location(path, line), "title": excerpt(title), "known": known}
        raise DataError.said("error.titled.unknown", **said, header=table.headers[position])
    return replace(mapping, columns={**mapping.columns, metric: position})


def _title(preamble: Sequence[tuple[int, str]]) -> tuple[int, str] | None:
    """The last non-blank preamble line that is not the `sep=` hint: the metric's name."""
    for line, text in reversed(preamble):
        cleaned = text.strip().strip('"').strip()
        if cleaned and not cleaned.lower().startswith(_SEP_LINE):
            return line, cleaned
    return None
