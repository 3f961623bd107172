"""The config as validated models. Key names in the issue's example are a contract: add, never rename.

Every model forbids unknown keys so that a typo is an error with a suggestion, not a silently
ignored setting.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from kpi_cli.config.types import Count, Number

Period = Literal["month", "week", "day"]
Direction = Literal["up", "down"]
Confidence = Literal["on_track", "at_risk", "off_track"]
SeverityName = Literal["info", "warn", "fail"]

_DURATION = re.compile(r"^\s*(\d+)\s*([dw]?)\s*$")


def _days(value: object) -> object:
    """`3d`, `2w` or a bare number of days; anything else is left for pydantic to reject."""
    if isinstance(value, str) and (match := _DURATION.match(value)):
        count, unit = int(match.group(1)), match.group(2)
        return count * 7 if unit == "w" else count
    return value


Days = Annotated[Count, BeforeValidator(_days), Field(ge=0)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceConfig(Strict):
    name: str
    path: str
    platform: str = "auto"
    columns: dict[str, str] = Field(default_factory=dict)
    segment: str | None = None
    channel: str | None = None
    campaign: str | None = None
    encoding: str | None = None
    max_age: Days | None = None
    # `prorata`: rows totalling a date range across months are spread evenly over their days
    # (estimated) instead of refused (kpi_cli/spans.py).
    split: Literal["prorata"] | None = None
    # GA4 event reports: event name → canonical metric (`{generate_lead: leads}`).
    events: dict[str, str] = Field(default_factory=dict)
    # The year of dates written without one (TikTok overview), when the file name has none.
    year: Count | None = Field(None, ge=2000, le=2100)


class Milestone(Strict):
    date: dt.date
    target: Number


class PaceRule(Strict):
    enabled: bool = True
    on_track: Number = Field(0.95, gt=0)
    off_track: Number = Field(0.75, gt=0)
    curve: list[Number] | None = None
    milestones: list[Milestone] | None = None

    @model_validator(mode="after")
    def _ordered(self) -> PaceRule:
        if self.off_track > self.on_track:
            raise ValueError("off_track must not be above on_track")
        return self


class ForecastRule(Strict):
    enabled: bool = True
    confidence: Number = Field(0.90, gt=0, lt=1)
    min_periods: Count = Field(3, ge=2)


class StalledRule(Strict):
    enabled: bool = True
    periods: Count = Field(3, ge=2)
    min_change: Number = Field(0.10, ge=0)
    alpha: Number = Field(0.05, gt=0, lt=1)
    severity: SeverityName = "warn"


class DropRule(Strict):
    enabled: bool = True
    warn: Number = Field(0.20, gt=0, lt=1)
    fail: Number = Field(0.40, gt=0, lt=1)
    baseline: Literal["previous", "trailing"] = "previous"
    window: Count = Field(3, ge=1)
    alpha: Number = Field(0.05, gt=0, lt=1)
    # Ratios and money totals have no sampling model: a few days into a period they swing wildly.
    min_elapsed: Number = Field(0.25, ge=0, le=1)


class Bounds(Strict):
    min: Number | None = None
    max: Number | None = None


class ThresholdRule(Strict):
    enabled: bool = True
    warn: Bounds | None = None
    fail: Bounds | None = None


class FreshnessRule(Strict):
    enabled: bool = True
    max_age: Days = 3


class PivotRule(Strict):
    enabled: bool = True
    grace_days: Count = Field(7, ge=0)


class Rules(Strict):
    """Per-rule settings; `defaults:` and each KPI's `rules:` share this shape."""

    pace: PaceRule | None = None
    forecast: ForecastRule | None = None
    stalled: StalledRule | None = None
    drop: DropRule | None = None
    threshold: ThresholdRule | None = None
    freshness: FreshnessRule | None = None
    pivot_deadline: PivotRule | None = None


class KgiConfig(Strict):
    name: str
    metric: str
    target: Number
    start: dt.date
    deadline: dt.date
    owner: str | None = None
    rules: Rules = Field(default_factory=Rules)

    @model_validator(mode="after")
    def _span(self) -> KgiConfig:
        if self.deadline < self.start:
            raise ValueError("deadline is before start")
        return self


class KpiConfig(Strict):
    id: str
    metric: str
    target: Number
    name: str | None = None
    period: Period = "month"
    direction: Direction = "up"
    primary: bool = False
    owner: str | None = None
    review_by: dt.date | None = None
    warn_days: Count = Field(14, ge=0)
    escalate_to: str | None = None
    grace_days: Count | None = Field(None, ge=0)
    cumulative: bool = False
    start: dt.date | None = None
    deadline: dt.date | None = None
    segments: Literal["all"] | list[str] | None = None
    segment_targets: dict[str, Number] = Field(default_factory=dict)
    where: dict[Literal["source", "segment", "channel", "campaign"], str | list[str]] = Field(
        default_factory=dict
    )
    rules: Rules = Field(default_factory=Rules)

    @property
    def label(self) -> str:
        return self.name or self.id


class FunnelStage(Strict):
    name: str
    metric: str
    benchmark: Number | None = Field(None, ge=0)
    planned_conversion: Number | None = Field(None, ge=0)


class FunnelConfig(Strict):
    stages: list[FunnelStage] = Field(min_length=2)
    baseline_periods: Count = Field(3, ge=1)


class Snooze(Strict):
    rule: str
    kpi: str | None = None
    segment: str | None = None
    until: dt.date
    reason: str


class Checkin(Strict):
    kpi: str
    date: dt.date
    confidence: Confidence
    comment: str | None = None
    owner: str | None = None


class Decision(Strict):
    kpi: str
    date: dt.date
    decision: str
    new_target: Number | None = None
    new_review_by: dt.date | None = None


class Config(Strict):
    version: Literal[1]
    name: str
    currency: str = "JPY"
    sources: list[SourceConfig] = Field(min_length=1)
    metrics: dict[str, str] = Field(default_factory=dict)
    kgi: KgiConfig
    kpis: list[KpiConfig] = Field(min_length=1)
    funnel: FunnelConfig | None = None
    defaults: Rules = Field(default_factory=Rules)
    snooze: list[Snooze] = Field(default_factory=list)
    checkins: list[Checkin] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> Config:
        seen: set[str] = set()
        for kpi in self.kpis:
            if kpi.id in seen:
                raise ValueError(f"duplicate KPI id '{kpi.id}'")
            seen.add(kpi.id)
        return self

    def kpi(self, kpi_id: str) -> KpiConfig:
        return next(k for k in self.kpis if k.id == kpi_id)
