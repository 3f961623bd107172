"""The cohort view of the funnel: of the contacts who entered in a period, how many reached each stage.

The snapshot view (stage counts within one month) mixes cohorts: this month's deals come from
earlier months' leads. Where an export carries one row per contact and stage date (CRM exports such
as HubSpot's, with a `contact` column), following each entry cohort removes that lag.
"""

from __future__ import annotations

from dataclasses import dataclass

from kpi_cli.config.models import FunnelConfig
from kpi_cli.lazy_pandas import pd
from kpi_cli.metrics import periods

CONTACT = "contact"


@dataclass(frozen=True)
class CohortStage:
    name: str
    reached: int
    conversion: float | None  # from the stage before, within the cohort


@dataclass(frozen=True)
class CohortView:
    period: pd.Period
    entry_stage: str
    stages: list[CohortStage]

    @property
    def size(self) -> int:
        return self.stages[0].reached


def contact_events(frame: pd.DataFrame) -> pd.DataFrame | None:
    if CONTACT not in frame.columns or frame[CONTACT].isna().all():
        return None
    return frame[frame[CONTACT].notna()]


def assess_cohort(funnel: FunnelConfig, frame: pd.DataFrame, month: pd.Period) -> CohortView | None:
    """None where the data has no per-contact rows for at least two funnel stages."""
    events = contact_events(frame)
    if events is None:
        return None
    stages = [s for s in funnel.stages if s.metric in events.columns and (events[s.metric] > 0).any()]
    if len(stages) < 2:
        return None
    entry = stages[0]
    in_month = events["date"].dt.to_period(periods.FREQ["month"]) == month
    cohort = set(events.loc[in_month & (events[entry.metric] > 0), CONTACT])
    counts = [_reached(events, s.metric, cohort) for s in stages]
    return CohortView(month, entry.name, [_stage(s.name, counts, i) for i, s in enumerate(stages)])


def _reached(events: pd.DataFrame, metric: str, cohort: set[object]) -> int:
    hits = events[(events[metric] > 0) & events[CONTACT].isin(cohort)]
    return int(hits[CONTACT].nunique())


def _stage(name: str, counts: list[int], index: int) -> CohortStage:
    before = counts[index - 1] if index else 0
    return CohortStage(name, counts[index], counts[index] / before if index and before else None)
