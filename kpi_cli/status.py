"""The closed vocabularies every layer shares: a KPI's status and the dimensions a KPI is split by.

`metrics.progress` still returns plain strings; a StrEnum member equals its string, so comparisons
and dict lookups work either way, and `Status(progress.status)` turns one into the other.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    MET = "met"  # a finished period at or beyond its target
    MISSED = "missed"  # a finished period short of it
    NO_DATA = "no_data"
    NO_TARGET = "no_target"  # e.g. a segment without a segment target: shown, not judged

    @property
    def on_target(self) -> bool:
        return self in (Status.MET, Status.ON_TRACK)

    @property
    def confidence(self) -> Status | None:
        """The check-in confidence this status corresponds to (met counts as on track)."""
        return _CONFIDENCE.get(self)

    @property
    def rank(self) -> int:
        """0 on target, 1 at risk, 2 off track; statuses that judge nothing rank 0."""
        return {Status.AT_RISK: 1, Status.OFF_TRACK: 2, Status.MISSED: 2}.get(self, 0)


_CONFIDENCE = {
    Status.ON_TRACK: Status.ON_TRACK,
    Status.MET: Status.ON_TRACK,
    Status.AT_RISK: Status.AT_RISK,
    Status.OFF_TRACK: Status.OFF_TRACK,
    Status.MISSED: Status.OFF_TRACK,
}


class Dimension(StrEnum):
    """What a KPI can be split by with `segments:` or `--by`."""

    SEGMENT = "segment"
    CHANNEL = "channel"
    CAMPAIGN = "campaign"
    ACCOUNT = "account"
    INFLUENCER = "influencer"
