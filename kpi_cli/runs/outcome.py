"""What a check remembers of its run, handed to the renderers beside the review."""

from __future__ import annotations

from dataclasses import dataclass, field

from kpi_cli.runs.memory import Assessment, Judged, Seen
from kpi_cli.runs.store import RunInfo


@dataclass(frozen=True)
class RunMemory:
    """`previous` is None on a first run and with --no-history (then every finding is new)."""

    previous: RunInfo | None = None
    assessment: Assessment = field(default_factory=lambda: Assessment([], []))
    run_id: int | None = None  # None: not stored (--no-history)
    only_new: bool = False  # --only-new: ongoing findings left out of the report and the gate

    @property
    def resolved(self) -> list[Seen]:
        return self.assessment.resolved

    @property
    def pending(self) -> list[Judged]:
        return self.assessment.pending
