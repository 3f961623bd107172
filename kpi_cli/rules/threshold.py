"""threshold: hard floors and ceilings on a KPI's metric in the reviewed period (`fail` wins over `warn`).

Ratios (CPA, CTR) are compared as they stand. A flow (leads, cost) in a period still running is
compared at its pro-rated full-period value, actual / elapsed share, because the partial number
would breach every floor early in the month; the message says it is a projection.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from kpi_cli.assess import KpiView
from kpi_cli.config.base import Strict
from kpi_cli.config.settings import rule_settings
from kpi_cli.config.types import Number
from kpi_cli.findings import Finding, Severity
from kpi_cli.i18n import Wording
from kpi_cli.i18n.values import Quantity, Term, Unit
from kpi_cli.metrics import periods
from kpi_cli.rules.context import RuleContext
from kpi_cli.rules.spec import RuleSettings, RuleSpec, Scope

NAME = "threshold"


class Code(StrEnum):
    MIN = "threshold.min"
    MAX = "threshold.max"


class Bounds(Strict):
    min: Number | None = None
    max: Number | None = None


class ThresholdSettings(RuleSettings):
    warn: Bounds | None = None
    fail: Bounds | None = None


@dataclass(frozen=True)
class Reading:
    """The number a bound is checked against, and how it was obtained."""

    actual: float
    value: float  # actual, or its pro-rated full-period value
    projected: bool
    elapsed: float
    in_progress: bool


@dataclass(frozen=True)
class Breach:
    severity: Severity
    side: str  # min | max
    limit: float


def evaluate(ctx: RuleContext) -> list[Finding]:
    found: list[Finding] = []
    for view in ctx.kpis:
        settings = rule_settings(ctx.config, view.kpi.rules, NAME, ThresholdSettings)
        if not settings.enabled or (settings.warn is None and settings.fail is None):
            continue
        reading = read(view, ctx.data.catalog.additive(view.kpi.metric))
        breach = judge(reading.value, settings) if reading else None
        if reading and breach:
            found.append(_finding(view, reading, breach, settings))
    return found


def read(view: KpiView, additive: bool) -> Reading | None:
    value = view.history.get(view.period)
    if value is None or math.isnan(float(value)):
        return None
    actual = float(value)
    running = periods.in_progress(view.period, view.as_of)
    elapsed = periods.elapsed_fraction(view.period, view.as_of)
    projected = additive and running
    return Reading(actual, actual / elapsed if projected else actual, projected, elapsed, running)


def judge(value: float, settings: ThresholdSettings) -> Breach | None:
    """The fail bounds first: a number past both is a fail, not a warn."""
    for severity, bounds in ((Severity.FAIL, settings.fail), (Severity.WARN, settings.warn)):
        side = _side(value, bounds)
        if side is not None and bounds is not None:
            return Breach(severity, side, float(getattr(bounds, side)))
    return None


def _side(value: float, bounds: Bounds | None) -> str | None:
    if bounds is None:
        return None
    if bounds.min is not None and value < bounds.min:
        return "min"
    if bounds.max is not None and value > bounds.max:
        return "max"
    return None


def _message(view: KpiView, r: Reading, b: Breach) -> Wording:
    limit = Wording(
        f"threshold.limit.{b.side}",
        {"level": Term(f"severity.{b.severity.value}"), "limit": Quantity.measure(b.limit, view.is_rate)},
    )
    label = periods.label(view.period)
    period: object = Wording("period.running", {"period": label}) if r.in_progress else label
    subject = Wording("subject.kpi", {"label": view.kpi.label, "period": period})
    if r.projected:
        params = {
            "subject": subject,
            "value": r.value,
            "actual": r.actual,
            "elapsed": Quantity(r.elapsed, Unit.PERCENT),
            "limit": limit,
        }
        return Wording(f"threshold.projected.{b.side}", params)
    params = {"subject": subject, "value": Quantity.measure(r.value, view.is_rate), "limit": limit}
    return Wording(f"threshold.{b.side}", params)


def _action(view: KpiView, r: Reading, b: Breach) -> Wording:
    metric, end = view.kpi.metric, periods.last_day(view.period)
    if r.projected and b.side == "min":
        return Wording(
            "threshold.action.need_more",
            {"more": b.limit - r.actual, "metric": metric, "end": end, "limit": b.limit},
        )
    if r.projected:
        room = b.limit - r.actual
        if room > 0:
            return Wording(
                "threshold.action.at_most", {"more": room, "metric": metric, "end": end, "limit": b.limit}
            )
        return Wording("threshold.action.past", {"metric": metric, "limit": b.limit})
    key = "threshold.action.rise_above" if b.side == "min" else "threshold.action.come_under"
    return Wording(key, {"metric": metric, "limit": Quantity.measure(b.limit, view.is_rate)})


def _bounds(level: str, bounds: Bounds | None) -> dict[str, float | None]:
    """Flat keys (warn_min, warn_max, ...) so the evidence stays plain numbers."""
    return {f"{level}_min": bounds.min if bounds else None, f"{level}_max": bounds.max if bounds else None}


def _finding(view: KpiView, r: Reading, b: Breach, s: ThresholdSettings) -> Finding:
    return Finding(
        rule=NAME,
        severity=b.severity,
        kpi=view.kpi.id,
        segment=view.segment,
        owner=view.kpi.owner,
        says=_message(view, r, b),
        evidence={
            "period": periods.label(view.period),
            "actual": r.actual,
            "value": r.value,
            "projected": r.projected,
            "in_progress": r.in_progress,
            "elapsed": r.elapsed,
            "bound": b.side,
            "limit": b.limit,
            "level": b.severity.value,
            **_bounds("warn", s.warn),
            **_bounds("fail", s.fail),
        },
        todo=_action(view, r, b),
        code=Code(f"threshold.{b.side}"),
    )


RULE = RuleSpec(
    name=NAME,
    summary=__doc__ or "",
    codes=Code,
    run=evaluate,
    settings={Scope.DEFAULTS: ThresholdSettings, Scope.KPI: ThresholdSettings},
)
