"""`generic`: files whose headers already are canonical names (`date`, `impressions`, `cost`...),
or any file with a `columns:` rename map. Detected last, only when no platform claims the file.
"""

from __future__ import annotations

from kpi_cli.sources.canonical import DIMENSIONS, METRICS
from kpi_cli.sources.profile import Profile


def _spelled(name: str) -> tuple[str, ...]:
    """`link_clicks` is also accepted as `link clicks`."""
    return tuple(dict.fromkeys((name, name.replace("_", " "))))


PROFILE = Profile(
    name="generic",
    title="Canonical headers, or any layout with a `columns:` map",
    date=("date",),
    dimensions={d: _spelled(d) for d in DIMENSIONS[1:]},
    metrics={m: _spelled(m) for m in METRICS},
    detect=(("date",),),
    weight=1,
)
