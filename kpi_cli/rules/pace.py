"""pace: actual against what the target calls for by --as-of (pro rata inside a running period)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import Field, model_validator

from kpi_cli.config.base import Strict
from kpi_cli.config.settings import rule_settings
from kpi_cli.config.types import Number
from kpi_cli.findings import Finding, Severity
from kpi_cli.i18n import Wording
from kpi_cli.i18n.values import Quantity, Term, Unit
from kpi_cli.metrics import periods
from kpi_cli.rules.spec import PerTable, RuleSettings, RuleSpec, Scope
from kpi_cli.sources.canonical import MONEY
from kpi_cli.status import Status

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd

    # Type-only: assess reads PaceSettings, so this module must import without assess.
    from kpi_cli.assess import KgiView, KpiView
    from kpi_cli.ingest import SourceSpan
    from kpi_cli.metrics.progress import Progress
    from kpi_cli.rules.context import RuleContext

NAME = "pace"


class Code(StrEnum):
    AT_RISK = "pace.at_risk"
    OFF_TRACK = "pace.off_track"
    MISSED = "pace.missed"
    NO_DATA = "pace.no_data"
    KGI_AT_RISK = "pace.kgi.at_risk"
    KGI_OFF_TRACK = "pace.kgi.off_track"
    KGI_MISSED = "pace.kgi.missed"
    KGI_NO_DATA = "pace.kgi.no_data"
    CONFIDENCE_MISMATCH = "pace.confidence_mismatch"


class Milestone(Strict):
    date: dt.date
    target: Number


class PaceSettings(RuleSettings):
    """Also read by assess (expected share, status bands): the KGI's pace lives in `kgi.rules`."""

    on_track: Number = Field(0.95, gt=0)
    off_track: Number = Field(0.75, gt=0)
    curve: list[Number] | None = None
    milestones: list[Milestone] | None = None

    @model_validator(mode="after")
    def _ordered(self) -> PaceSettings:
        if self.off_track > self.on_track:
            raise ValueError("off_track must not be above on_track")
        return self


HISTORY_PERIODS = 12  # complete periods the month-to-month noise is estimated from


def with_counted_pace(view: KpiView, spans: Sequence[SourceSpan], frame: pd.DataFrame) -> KpiView:
    """A running count's status from the days its data covers and its own noise (metrics.progress.counted).

    Only for additive counts: rates, money, curves and milestones keep the ratio bands, since the
    count model (an even pace of events within the period) does not describe them.
    """
    kpi, data, progress = view.kpi, view.data, view.progress
    if (
        kpi.cumulative
        or data is None
        or not progress.in_progress
        or progress.actual is None
        or math.isnan(kpi.target)
        or not data.catalog.additive(kpi.metric)
        or data.catalog.columns(kpi.metric) & MONEY
        or progress.actual < 0
    ):
        return view  # most of 40,000 `--by` views: before the imports below (~1 us a view)
    # Imported here: config.models reads PaceSettings from this module while progress loads.
    from kpi_cli.metrics.progress import counted
    from kpi_cli.rules.exposure import history_days, newest_dates, period_coverage

    history = view.complete_history.dropna().tail(HISTORY_PERIODS)
    if (history < 0).any():
        return view  # a net count (followers) has no count model
    newest = newest_dates(spans, frame, view.as_of, data.catalog.columns(kpi.metric), kpi.where)
    covered = period_coverage(view.period, newest, view.as_of)
    values = [float(v) for v in history]
    judged = counted(
        progress.actual, kpi.target, covered, kpi.direction, values, history_days(list(history.index))
    )
    return replace(view, progress=judged)


_SEVERITY: dict[str, Severity] = {  # by Status, which is its string: looked up by either
    Status.OFF_TRACK: Severity.FAIL,
    Status.MISSED: Severity.FAIL,
    Status.AT_RISK: Severity.WARN,
    Status.NO_DATA: Severity.INFO,
}


def evaluate(ctx: RuleContext) -> list[Finding]:
    """`enabled: false` silences the findings; the status bands still shape the KPI table."""
    settings_of = PerTable(ctx.config, NAME, PaceSettings)
    views = [v for v in ctx.kpis if settings_of(v.kpi.rules).enabled]
    found = [f for view in views if (f := _kpi_finding(view, ctx)) is not None]
    kgi_on = rule_settings(ctx.config, ctx.kgi.kgi.rules, NAME, PaceSettings).enabled
    kgi = _kgi_finding(ctx.kgi, ctx.as_of) if kgi_on else None
    disagreements = [_disagreement(view) for view in views if view.confidence_disagrees]
    return ([kgi] if kgi else []) + found + disagreements


def _disagreement(view: KpiView) -> Finding:
    """An owner more optimistic than the numbers is a warning; more pessimistic, worth knowing."""
    checkin = view.checkin
    assert checkin is not None
    status = view.status
    optimistic = Status(checkin.confidence).rank < status.rank
    who = checkin.owner or view.kpi.owner
    params = {
        "label": view.kpi.label,
        "who": who if who else Term("the_owner"),
        "said": Term(f"status.{checkin.confidence}"),
        "date": checkin.date,
        "comment": checkin.comment or "",
        "status": Term(f"status.{status}"),
    }
    key = "pace.confidence_mismatch" + (".comment" if checkin.comment else "")
    return Finding(
        rule=NAME,
        severity=Severity.WARN if optimistic else Severity.INFO,
        kpi=view.kpi.id,
        owner=view.kpi.owner,
        says=Wording(key, params),
        evidence={"checkin_date": str(checkin.date), "confidence": checkin.confidence, "status": status},
        code=Code.CONFIDENCE_MISMATCH,
    )


def _kpi_finding(view: KpiView, ctx: RuleContext) -> Finding | None:
    progress = view.progress
    severity = _SEVERITY.get(progress.status)  # no Status() made per view (40,000 under `--by`)
    if severity is None:
        return None
    if view.kpi.cumulative:
        span = (view.kpi.start or ctx.config.kgi.start, view.kpi.deadline or ctx.config.kgi.deadline)
    else:
        span = (periods.first_day(view.period), periods.last_day(view.period))
    period = Term("cumulative") if view.kpi.cumulative else view.period_label
    subject = Wording("subject.kpi", {"label": view.kpi.label, "period": period})
    aim = _Aim(
        view.kpi.metric, view.kpi.direction, span, ctx.data.catalog.additive(view.kpi.metric), view.is_rate
    )
    return Finding(
        rule=NAME,
        severity=severity,
        kpi=view.kpi.id,
        segment=view.segment,
        owner=view.kpi.owner,
        says=_summary(subject, progress, view.is_rate),
        evidence=_evidence(progress, view.period_label),
        todo=_action(progress, aim, ctx.as_of),
        code=f"pace.{progress.status}",
    )


def _kgi_finding(view: KgiView, as_of: date) -> Finding | None:
    severity = _SEVERITY.get(Status(view.progress.status))
    if severity is None:
        return None
    subject = Wording("subject.kgi", {"name": view.kgi.name})
    return Finding(
        rule=NAME,
        severity=severity,
        owner=view.kgi.owner,
        says=_summary(subject, view.progress),
        evidence=_evidence(view.progress, "kgi"),
        todo=_action(view.progress, _Aim(view.kgi.metric, "up", (view.kgi.start, view.kgi.deadline)), as_of),
        code=f"pace.kgi.{view.progress.status}",
    )


def _summary(subject: Wording, p: Progress, is_rate: bool = False) -> Wording:
    if p.actual is None:
        return Wording("pace.summary.no_data", {"subject": subject})
    params = {
        "subject": subject,
        "actual": Quantity.measure(p.actual, is_rate),
        "expected": Quantity.measure(p.expected, is_rate),
        "target": Quantity.measure(p.target, is_rate),
        "elapsed": Quantity(p.elapsed, Unit.PERCENT),
        "status": Term(f"status.{p.status}"),
    }
    if p.covered is not None and p.covered.through is not None and p.probability is not None:
        counted = {
            "through": p.covered.through,
            "days": p.covered.days,
            "period_days": p.covered.period_days,
            "chance": Quantity(p.probability, Unit.PERCENT),
        }
        return Wording("pace.summary.counted", {**params, **counted})
    return Wording("pace.summary.running" if p.in_progress else "pace.summary.finished", params)


def _evidence(p: Progress, period: str) -> dict[str, object]:
    return {
        "period": period,
        "actual": p.actual,
        "target": p.target,
        "expected": p.expected,
        "achievement": p.ratio,
        "elapsed": p.elapsed,
        "in_progress": p.in_progress,
        **_counted_evidence(p),
    }


def _counted_evidence(p: Progress) -> dict[str, object]:
    if p.covered is None:
        return {}
    return {
        "coverage": p.covered.describe(),
        "covered_days": p.covered.days,
        "period_days": p.covered.period_days,
        "probability": p.probability,
        "p_value": p.p_value,
        "test": "negative binomial pace, noise from complete periods",
    }


@dataclass(frozen=True)
class _Aim:
    """What a target is about, as far as the action that closes its gap needs to know."""

    metric: str
    direction: str
    span: tuple[date, date]
    additive: bool = True
    is_rate: bool = False


def _action(p: Progress, aim: _Aim, as_of: date) -> Wording | None:
    """What would close the gap: a daily rate for flows, the level to reach for ratios."""
    start, end = aim.span
    if p.actual is None or not p.in_progress:
        return None
    if not aim.additive:
        key = "pace.action.rise_to" if aim.direction == "up" else "pace.action.fall_to"
        return Wording(
            key, {"metric": aim.metric, "target": Quantity.measure(p.target, aim.is_rate), "end": end}
        )
    days_left, days_done = (end - as_of).days, (as_of - start).days + 1
    if aim.direction != "up" or days_left <= 0 or days_done <= 0:
        return None
    params = {
        "needed_per_day": max(p.target - p.actual, 0) / days_left,
        "metric": aim.metric,
        "target": p.target,
        "end": end,
        "so_far_per_day": p.actual / days_done,
    }
    return Wording("pace.action.daily", params)


RULE = RuleSpec(
    name=NAME,
    summary=__doc__ or "",
    codes=Code,
    run=evaluate,
    settings={Scope.DEFAULTS: PaceSettings, Scope.KPI: PaceSettings, Scope.KGI: PaceSettings},
)
