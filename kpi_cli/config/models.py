"""The config as validated models. Key names in the issue's example are a contract: add, never rename.

Every model forbids unknown keys so that a typo is an error with a suggestion, not a silently
ignored setting.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, field_validator, model_validator

from kpi_cli.config.base import Days, Strict
from kpi_cli.config.types import Count, DimensionPattern, Number
from kpi_cli.errors import Refused
from kpi_cli.warehouse.models import EventsSource, WarehouseSource

if TYPE_CHECKING:
    # The rule tables are built from the rule registry (kpi_cli.rules.registry), which imports
    # the rule modules, which import this module: the registry resolves these names at import
    # with `model_rebuild`. For the type checker every table is a RuleTable.
    from kpi_cli.config.base import RuleTable as DefaultsRules
    from kpi_cli.config.base import RuleTable as KgiRules
    from kpi_cli.config.base import RuleTable as KpiRules
    from kpi_cli.rules.pace import PaceSettings

    PaceRule = PaceSettings  # re-exported for metrics.progress; at run time see __getattr__

Period = Literal["month", "week", "day"]
Direction = Literal["up", "down"]
Confidence = Literal["on_track", "at_risk", "off_track"]


class SourceConfig(Strict):
    name: str
    path: str
    platform: str = "auto"
    columns: dict[str, str] = Field(default_factory=dict)
    segment: str | None = None
    channel: str | None = None
    campaign: str | None = None
    account: str | None = None  # the SNS account every row of this source belongs to
    influencer: str | None = None  # the influencer every row of this source is about
    # A dimension's value cut out of its mapped column: `{influencer: '^inf_([a-z0-9_.]+)'}` takes
    # the first group (or the whole match) of each value; a value that does not match is unset.
    patterns: dict[Literal["campaign", "channel", "segment", "account", "influencer"], DimensionPattern] = (
        Field(default_factory=dict)
    )
    encoding: str | None = None
    max_age: Days | None = None
    # `prorata`: rows totalling a date range across months are spread evenly over their days
    # (estimated) instead of refused (kpi_cli/spans.py).
    split: Literal["prorata"] | None = None
    # GA4 event reports: event name → canonical metric (`{generate_lead: leads}`).
    events: dict[str, str] = Field(default_factory=dict)
    # The year of dates written without one (TikTok overview), when the file name has none.
    year: Count | None = Field(None, ge=2000, le=2100)
    # The range a report of totals without a date column totals, when the file does not say it
    # above its header (kpi_cli/sources/period.py): `period: 2026-10`, or `start:` and `end:`.
    period: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    @field_validator("period")
    @classmethod
    def _month(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
            raise Refused("error.value.period_month")
        return value

    @model_validator(mode="after")
    def _one_range(self) -> SourceConfig:
        if self.period is not None and (self.start is not None or self.end is not None):
            raise Refused("error.value.range_both")
        if (self.start is None) != (self.end is None):
            raise Refused("error.value.range_pair")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise Refused("error.value.range_order")
        return self


class SourceKind(StrEnum):
    """Which model a `sources:` entry is validated by: the tag pydantic puts in an error's location."""

    FILE = "file"  # an export read by its platform profile (sources/)
    EVENTS = "events"  # `platform: events`: an event log aggregated by DuckDB (warehouse/)
    SQL = "sql"  # `type: sql`: a table aggregated on its own engine (warehouse/)


def _source_kind(data: object) -> str:
    """`type:` (any value, so `type: sqll` is told it must be `sql`) wins over `platform: events`."""
    if isinstance(data, dict):
        if "type" in data:
            return SourceKind.SQL
        if data.get("platform") == "events":
            return SourceKind.EVENTS
    elif isinstance(data, EventsSource | WarehouseSource):
        return SourceKind.EVENTS if isinstance(data, EventsSource) else SourceKind.SQL
    return SourceKind.FILE  # a non-mapping is told "expected a mapping" by the file model


TableSource = EventsSource | WarehouseSource
AnySource = Annotated[
    Annotated[SourceConfig, Tag(SourceKind.FILE)]
    | Annotated[EventsSource, Tag(SourceKind.EVENTS)]
    | Annotated[WarehouseSource, Tag(SourceKind.SQL)],
    Discriminator(_source_kind),
]
SOURCE_MODELS: dict[str, type[Strict] | type[TableSource]] = {
    SourceKind.FILE: SourceConfig,
    SourceKind.EVENTS: EventsSource,
    SourceKind.SQL: WarehouseSource,
}


class KgiConfig(Strict):
    name: str
    metric: str
    target: Number
    start: dt.date
    deadline: dt.date
    owner: str | None = None
    rules: KgiRules = Field(default_factory=lambda: _empty_table("KgiRules"))

    @model_validator(mode="after")
    def _span(self) -> KgiConfig:
        if self.deadline < self.start:
            raise Refused("error.value.deadline_before_start")
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
    rules: KpiRules = Field(default_factory=lambda: _empty_table("KpiRules"))

    @property
    def label(self) -> str:
        return self.name or self.id


class FunnelStage(Strict):
    name: str
    metric: str
    benchmark: Number | None = Field(None, ge=0)
    planned_conversion: Number | None = Field(None, ge=0)
    # Like a KPI's `where:`: the stage counts only the rows with these tags (one source's leads,
    # say, when two sources both carry leads).
    where: dict[Literal["source", "segment", "channel", "campaign"], str | list[str]] = Field(
        default_factory=dict
    )


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


class NotifyConfig(Strict):
    """A webhook told of new and resolved findings (kpi_cli.runs.notifying). The URL is a secret,
    so the config names only the environment variable that holds it."""

    url_env: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    lang: Literal["en", "ja"] | None = None  # default: the run's --lang or locale
    timeout: Number = Field(5.0, gt=0, le=60)  # seconds per attempt
    retries: Count = Field(2, ge=0, le=5)
    min_severity: Literal["info", "warn", "fail"] = "warn"


class Config(Strict):
    version: Literal[1]
    name: str
    currency: str = "JPY"
    sources: list[AnySource] = Field(min_length=1)
    metrics: dict[str, str] = Field(default_factory=dict)
    kgi: KgiConfig
    kpis: list[KpiConfig] = Field(min_length=1)
    funnel: FunnelConfig | None = None
    defaults: DefaultsRules = Field(default_factory=lambda: _empty_table("DefaultsRules"))
    snooze: list[Snooze] = Field(default_factory=list)
    checkins: list[Checkin] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)
    notify: NotifyConfig | None = None

    @model_validator(mode="after")
    def _unique_ids(self) -> Config:
        seen: set[str] = set()
        for kpi in self.kpis:
            if kpi.id in seen:
                raise Refused("error.value.duplicate_kpi", kpi=kpi.id)
            seen.add(kpi.id)
        return self

    def kpi(self, kpi_id: str) -> KpiConfig:
        return next(k for k in self.kpis if k.id == kpi_id)


def _empty_table(name: str) -> Any:
    from kpi_cli.rules import registry  # resolved at call time: the registry imports this module

    return registry.TABLES[name]()


def __getattr__(name: str) -> Any:
    """`PaceRule` still imports from here (metrics.progress does); it lives in rules/pace.py now."""
    if name == "PaceRule":
        from kpi_cli.rules.pace import PaceSettings

        return PaceSettings
    raise AttributeError(name)
