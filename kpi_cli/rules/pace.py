"""pace: actual against what the target calls for by --as-of (pro rata inside a running period)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import Field, model_validator

from kpi_cli.config.base import Strict
from kpi_cli.config.settings import rule_settings
from kpi_cli.config.types import Number
from kpi_cli.findings import Finding, Severity
from kpi_cli.metrics import periods
from kpi_cli.numbers import measure, number, percent
from kpi_cli.rules.spec import RuleSettings, RuleSpec, Scope
from kpi_cli.status import Status

if TYPE_CHECKING:
    # Type-only: assess reads PaceSettings, so this module must import without assess.
    from kpi_cli.assess import KgiView, KpiView
    from kpi_cli.metrics.progress import Progress
    from kpi_cli.rules.context import RuleContext

NAME = "pace"


class Code(StrEnum):
    ON_TRACK = "pace.on_track"
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


_SEVERITY = {
    Status.OFF_TRACK: Severity.FAIL,
    Status.MISSED: Severity.FAIL,
    Status.AT_RISK: Severity.WARN,
    Status.NO_DATA: Severity.INFO,
}


def evaluate(ctx: RuleContext) -> list[Finding]:
    """`enabled: false` silences the findings; the status bands still shape the KPI table."""
    views = [v for v in ctx.kpis if rule_settings(ctx.config, v.kpi.rules, NAME, PaceSettings).enabled]
    found = [f for view in views if (f := _kpi_finding(view, ctx)) is not None]
    kgi_on = rule_settings(ctx.config, ctx.kgi.kgi.rules, NAME, PaceSettings).enabled
    kgi = _kgi_finding(ctx.kgi, ctx.as_of) if kgi_on else None
    disagreements = [_disagreement(view) for view in views if view.confidence_disagrees]
    return ([kgi] if kgi else []) + found + disagreements


def _disagreement(view: KpiView) -> Finding:
    """An owner more optimistic than the numbers is a warning; more pessimistic, worth knowing."""
    checkin = view.checkin
    assert checkin is not None
    status = view.progress.status
    optimistic = Status(checkin.confidence).rank < Status(status).rank
    says = f"{checkin.owner or view.kpi.owner or 'the owner'} said {checkin.confidence.replace('_', ' ')}"
    comment = f" ({checkin.comment})" if checkin.comment else ""
    return Finding(
        rule=NAME,
        severity=Severity.WARN if optimistic else Severity.INFO,
        kpi=view.kpi.id,
        owner=view.kpi.owner,
        message=f"{view.kpi.label}: {says} on {checkin.date}{comment}, the numbers say {status.replace('_', ' ')}",
        evidence={"checkin_date": str(checkin.date), "confidence": checkin.confidence, "status": status},
        code="pace.confidence_mismatch",
    )


def _kpi_finding(view: KpiView, ctx: RuleContext) -> Finding | None:
    progress = view.progress
    severity = _SEVERITY.get(Status(progress.status))
    if severity is None:
        return None
    if view.kpi.cumulative:
        span = (view.kpi.start or ctx.config.kgi.start, view.kpi.deadline or ctx.config.kgi.deadline)
    else:
        span = (periods.first_day(view.period), periods.last_day(view.period))
    return Finding(
        rule=NAME,
        severity=severity,
        kpi=view.kpi.id,
        segment=view.segment,
        owner=view.kpi.owner,
        message=f"{view.kpi.label} ({view.period_label}): {_summary(progress, view.is_rate)}",
        evidence=_evidence(progress, view.period_label),
        action=_action(
            progress,
            _Aim(
                view.kpi.metric,
                view.kpi.direction,
                span,
                ctx.data.catalog.additive(view.kpi.metric),
                view.is_rate,
            ),
            ctx.as_of,
        ),
        code=f"pace.{progress.status}",
    )


def _kgi_finding(view: KgiView, as_of: date) -> Finding | None:
    severity = _SEVERITY.get(Status(view.progress.status))
    if severity is None:
        return None
    return Finding(
        rule=NAME,
        severity=severity,
        owner=view.kgi.owner,
        message=f"KGI {view.kgi.name}: {_summary(view.progress)}",
        evidence=_evidence(view.progress, "kgi"),
        action=_action(
            view.progress, _Aim(view.kgi.metric, "up", (view.kgi.start, view.kgi.deadline)), as_of
        ),
        code=f"pace.kgi.{view.progress.status}",
    )


def _summary(p: Progress, is_rate: bool = False) -> str:
    def show(value: float | None) -> str:
        return measure(value, is_rate)

    status = p.status.replace("_", " ")
    if p.actual is None:
        return "no data for the period"
    if p.in_progress:
        return (
            f"{show(p.actual)} against {show(p.expected)} expected by now "
            f"({percent(p.elapsed)} of the period elapsed, target {show(p.target)}): {status}"
        )
    return f"{show(p.actual)} against target {show(p.target)}: {status}"


def _evidence(p: Progress, period: str) -> dict[str, object]:
    return {
        "period": period,
        "actual": p.actual,
        "target": p.target,
        "expected": p.expected,
        "achievement": p.ratio,
        "elapsed": p.elapsed,
        "in_progress": p.in_progress,
    }


@dataclass(frozen=True)
class _Aim:
    """What a target is about, as far as the action that closes its gap needs to know."""

    metric: str
    direction: str
    span: tuple[date, date]
    additive: bool = True
    is_rate: bool = False


def _action(p: Progress, aim: _Aim, as_of: date) -> str | None:
    """What would close the gap: a daily rate for flows, the level to reach for ratios."""
    start, end = aim.span
    if p.actual is None or not p.in_progress:
        return None
    if not aim.additive:
        verb = "rise" if aim.direction == "up" else "fall"
        return f"{aim.metric} must {verb} to {measure(p.target, aim.is_rate)} by {end:%d %b %Y}"
    days_left, days_done = (end - as_of).days, (as_of - start).days + 1
    if aim.direction != "up" or days_left <= 0 or days_done <= 0:
        return None
    needed = max(p.target - p.actual, 0) / days_left
    return (
        f"needs {number(needed)} {aim.metric} a day from here to reach {number(p.target)} by {end:%d %b %Y} "
        f"(so far {number(p.actual / days_done)} a day)"
    )


RULE = RuleSpec(
    name=NAME,
    summary=__doc__ or "",
    codes=Code,
    run=evaluate,
    settings={Scope.DEFAULTS: PaceSettings, Scope.KPI: PaceSettings, Scope.KGI: PaceSettings},
)
