"""pivot_deadline: the owner must decide by review_by; past it with the KPI off target, pivot.

A decision recorded in `decisions:` ends the alarm: with a new review date the next cycle starts
(assess.effective_kpi already applied it), without one the pivot is simply on record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import Field

from kpi_cli.config.settings import latest_decision, rule_settings
from kpi_cli.config.types import Count
from kpi_cli.findings import Finding, Severity
from kpi_cli.i18n import Wording
from kpi_cli.i18n.values import Quantity, Term
from kpi_cli.metrics import periods
from kpi_cli.rules.spec import RuleSettings, RuleSpec, Scope

if TYPE_CHECKING:
    from kpi_cli.assess import KpiView
    from kpi_cli.rules.context import RuleContext

NAME = "pivot_deadline"


class Code(StrEnum):
    DUE = "pivot_deadline.due"
    OVERDUE = "pivot_deadline.overdue"
    ESCALATED = "pivot_deadline.escalated"
    DECIDED = "pivot_deadline.decided"


class PivotSettings(RuleSettings):
    grace_days: Count = Field(7, ge=0)


def evaluate(ctx: RuleContext) -> list[Finding]:
    found: list[Finding] = []
    for view in ctx.overall():
        settings = rule_settings(ctx.config, view.kpi.rules, NAME, PivotSettings)
        if settings.enabled and view.kpi.review_by is not None:
            finding = _judge(view, settings, ctx)
            found.extend([finding] if finding else [])
    return found


def _judge(view: KpiView, settings: PivotSettings, ctx: RuleContext) -> Finding | None:
    days = view.days_to_review
    assert days is not None and view.kpi.review_by is not None
    decision = latest_decision(ctx.config, view.kpi.id, ctx.as_of)
    if decision is not None and decision.new_review_by is None and decision.date >= _window_start(view):
        return _recorded(view, decision.decision, decision.date)
    if 0 <= days <= view.kpi.warn_days:
        return _due(view, days)
    if days < 0:
        reading = at_review(view)
        if not reading.met:
            grace = view.kpi.grace_days if view.kpi.grace_days is not None else settings.grace_days
            return _overdue(view, -days, grace, reading)
    return None


@dataclass(frozen=True)
class Reading:
    """The KPI as it stood at its review date."""

    value: float | None
    period: str
    met: bool


def at_review(view: KpiView) -> Reading:
    """The period containing review_by (or the last one before it with data), judged against target.

    A month that is still running is judged pro rata, as the pace rule does; a cumulative KPI by its
    progress to date. Reading the review's own period, not today's, keeps a quiet month after the
    deadline from reopening a pivot that the numbers had already settled.
    """
    from kpi_cli.metrics.progress import achievement

    kpi = view.kpi
    assert kpi.review_by is not None
    review_period = periods.period_of(kpi.review_by, kpi.period)
    if kpi.cumulative or review_period >= view.period:
        return Reading(view.progress.actual, view.period_label, view.status.on_target)
    known = view.history.loc[:review_period].dropna()
    if known.empty:
        return Reading(None, periods.label(review_period), False)
    value = float(known.iloc[-1])
    return Reading(value, periods.label(known.index[-1]), achievement(value, kpi.target, kpi.direction) >= 1)


def _window_start(view: KpiView) -> date:
    assert view.kpi.review_by is not None
    return view.kpi.review_by - timedelta(days=view.kpi.warn_days)


def _owner(view: KpiView) -> str | Term:
    return view.kpi.owner or Term("no_owner_set")


def _due(view: KpiView, days: int) -> Finding:
    params = {
        "label": view.kpi.label,
        "days": days,
        "review_by": view.kpi.review_by,
        "owner": _owner(view),
        "status": Term(f"status.{view.status}"),
    }
    return Finding(
        rule=NAME,
        severity=Severity.WARN,
        kpi=view.kpi.id,
        owner=view.kpi.owner,
        says=Wording("pivot_deadline.due.today" if days == 0 else Code.DUE, params),
        evidence={"review_by": str(view.kpi.review_by), "days_left": days, "status": view.progress.status},
        todo=Wording("pivot_deadline.due.action", {"owner": _owner(view), "review_by": view.kpi.review_by}),
        code=Code.DUE,
    )


def _overdue(view: KpiView, days: int, grace: int, reading: Reading) -> Finding:
    escalate = view.kpi.escalate_to if days > grace else None
    params = {
        "label": view.kpi.label,
        "review_by": view.kpi.review_by,
        "days": days,
        "value": Term("status.no_data")
        if reading.value is None
        else Quantity.measure(reading.value, view.is_rate),
        "period": reading.period,
        "target": Quantity.measure(view.kpi.target, view.is_rate),
        "owner": _owner(view),
        "escalate_to": escalate or "",
    }
    code = Code.ESCALATED if escalate else Code.OVERDUE
    return Finding(
        rule=NAME,
        severity=Severity.FAIL,
        kpi=view.kpi.id,
        owner=view.kpi.owner,
        says=Wording(code, params),
        evidence={
            "review_by": str(view.kpi.review_by),
            "days_overdue": days,
            "status": view.progress.status,
            "actual": reading.value,
            "period": reading.period,
            "target": view.kpi.target,
            "grace_days": grace,
            "escalate_to": escalate,
        },
        todo=Wording("pivot_deadline.overdue.action", {"owner": _owner(view)}),
        code=code,
    )


def _recorded(view: KpiView, decision: str, when: date) -> Finding:
    return Finding(
        rule=NAME,
        severity=Severity.INFO,
        kpi=view.kpi.id,
        owner=view.kpi.owner,
        says=Wording(Code.DECIDED, {"label": view.kpi.label, "date": when, "decision": decision}),
        evidence={"decided_on": when.isoformat(), "decision": decision},
        code=Code.DECIDED,
    )


RULE = RuleSpec(
    name=NAME,
    summary=__doc__ or "",
    codes=Code,
    run=evaluate,
    settings={Scope.DEFAULTS: PivotSettings, Scope.KPI: PivotSettings},
)
