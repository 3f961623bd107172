"""Two sources that feed the same canonical metric on the same channel, segment and days.

A per-post export and the account overview of the same account both carry impressions; summed
together, every impression counts twice. This is the data behind the lint warning (which comes
with the rule registry): which metric, which two sources, on which channel and segment, on how
many days, so the message can say "pick one, or set `where:`".
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from kpi_cli.ingest import SourceSpan, combine
from kpi_cli.lazy_pandas import pd
from kpi_cli.sources.canonical import METRICS


@dataclass(frozen=True)
class SharedFeed:
    metric: str
    sources: tuple[str, str]
    channel: str | None
    segment: str | None
    days: int  # days on which both sources have a figure for the metric


def shared_feeds(spans: list[SourceSpan]) -> list[SharedFeed]:
    data = combine(spans)
    found: list[SharedFeed] = []
    if data.empty:
        return found
    channel = _tag(data, "channel")
    segment = _tag(data, "segment")
    day = data["date"].dt.normalize()
    for metric in (m for m in METRICS if m in data.columns):
        measured = data[metric].notna()
        if not measured.any():
            continue
        rows = pd.DataFrame(
            {
                "source": data["source"][measured],
                "channel": channel[measured],
                "segment": segment[measured],
                "day": day[measured],
            }
        ).drop_duplicates()
        for (chan, seg), group in rows.groupby(["channel", "segment"], sort=True):
            days_by_source = {str(s): set(g["day"]) for s, g in group.groupby("source", sort=True)}
            for a, b in combinations(sorted(days_by_source), 2):
                both = len(days_by_source[a] & days_by_source[b])
                if both:
                    found.append(SharedFeed(metric, (a, b), str(chan) or None, str(seg) or None, both))
    return found


def _tag(data: pd.DataFrame, column: str) -> pd.Series:
    """The tag as text, "" where a row has none (so rows without tags group together)."""
    if column not in data.columns:
        return pd.Series("", index=data.index)
    return data[column].astype("string").fillna("").astype(str)
