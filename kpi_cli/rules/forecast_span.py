"""forecast for the KGI and cumulative KPIs: the total at the deadline, from a Theil–Sen trend.

A total over several future periods is not what stats.forecast.judge predicts (one period), so
these keep the Theil–Sen projection, split out of forecast.py.

Fit. Theil–Sen (the median of all pairwise slopes, `scipy.stats.theilslopes`) over the complete
periods that have data; x counts periods from the first fitted one. A period still running at
as_of is left out: its partial number would read as a collapse. The median makes one odd month
unable to tilt the line, which a least-squares fit on five points cannot promise.

Interval. scipy gives a confidence interval (at `confidence`) for the slope only. The point line
passes through (median x, median y) — that is how `theilslopes` forms its intercept — so `low` and
`high` pivot the lower and upper slope bounds on that same point and extrapolate them to the
horizon. They are the slowest and fastest trends the data support, not a prediction interval for
one period's noise. A quantity never observed below zero is not projected below zero.

Horizon. The actual from start to as_of, plus the trend value of every period still to come up to the deadline, each
weighted by the share of its days after as_of and on or before the deadline.

Verdict. `fail` when even the optimistic end of the range misses the target, `warn` when the
point projection misses but the optimistic end reaches it; for `direction: down` lower is better.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import Field

from kpi_cli.config.settings import rule_settings
from kpi_cli.config.types import Count, Number
from kpi_cli.findings import Finding, Severity
from kpi_cli.i18n import Wording
from kpi_cli.i18n.values import Quantity, Term, Unit
from kpi_cli.lazy_pandas import np, pd
from kpi_cli.metrics import periods
from kpi_cli.rules.spec import RuleSettings

if TYPE_CHECKING:
    from kpi_cli.assess import KpiView
    from kpi_cli.rules.context import RuleContext

NAME = "forecast"


class Code(StrEnum):
    MISS = "forecast.miss"
    AT_RISK = "forecast.at_risk"
    KGI_MISS = "forecast.kgi.miss"
    KGI_AT_RISK = "forecast.kgi.at_risk"
    TOO_FEW_PERIODS = "forecast.too_few_periods"


class ForecastSettings(RuleSettings):
    confidence: Number = Field(0.90, gt=0, lt=1)
    min_periods: Count = Field(3, ge=2)


_INTERVAL = "slope confidence bounds pivoted on (median x, median y)"


@dataclass(frozen=True)
class Trend:
    """A Theil–Sen line with its slope bounds; x = periods since the first fitted period."""

    slope: float
    intercept: float
    low_slope: float
    high_slope: float
    pivot: tuple[float, float]
    floor: float

    def at(self, x: float) -> tuple[float, float, float]:
        """(low, point, high) at x, none below the floor."""
        px, py = self.pivot
        low, high = sorted((py + self.low_slope * (x - px), py + self.high_slope * (x - px)))
        point = self.intercept + self.slope * x
        return max(low, self.floor), max(point, self.floor), max(high, self.floor)


def fit(values: pd.Series, confidence: float) -> Trend:
    """Theil–Sen over a Period-indexed series without NaN (gaps in the index keep their distance)."""
    from kpi_cli.stats.theil_sen import theil_sen

    origin = values.index[0].ordinal
    x = [float(p.ordinal - origin) for p in values.index]
    y = [float(v) for v in values]
    result = theil_sen(y, x, confidence)
    return Trend(
        slope=float(result.slope),
        intercept=float(result.intercept),
        low_slope=float(result.low_slope),
        high_slope=float(result.high_slope),
        pivot=(float(np.median(x)), float(np.median(y))),
        floor=0.0 if min(y) >= 0 else -math.inf,
    )


def miss(low: float, point: float, high: float, target: float, direction: str) -> Severity | None:
    if direction == "down":  # mirror so that higher is better below
        low, point, high, target = -high, -point, -low, -target
    if high < target:
        return Severity.FAIL
    return Severity.WARN if point < target else None


@dataclass(frozen=True)
class Subject:
    """Whom a finding is about: the KGI (kpi None) or one KPI view."""

    label: str | Wording
    metric: str
    kpi: str | None
    segment: str | None
    owner: str | None


@dataclass(frozen=True)
class Forecast:
    trend: Trend
    fitted: pd.Series
    low: float
    point: float
    high: float
    target: float
    direction: str
    horizon: str
    confidence: float
    so_far: float | None = None  # measured in the horizon period when it is running at as_of

    @property
    def severity(self) -> Severity | None:
        return miss(self.low, self.point, self.high, self.target, self.direction)

    @property
    def shortfall(self) -> float:
        """How far the point projection is on the wrong side of the target."""
        return self.target - self.point if self.direction == "up" else self.point - self.target

    def range_params(self) -> dict[str, object]:
        return {"level": Quantity(self.confidence, Unit.PERCENT), "low": self.low, "high": self.high}

    def evidence(self) -> dict[str, object]:
        return {
            "slope": self.trend.slope,
            "intercept": self.trend.intercept,
            "slope_low": self.trend.low_slope,
            "slope_high": self.trend.high_slope,
            "x_origin": periods.label(self.fitted.index[0]),
            "projection": self.point,
            "low": self.low,
            "high": self.high,
            "periods": [periods.label(p) for p in self.fitted.index],
            "values": [float(v) for v in self.fitted],
            "target": self.target,
            "direction": self.direction,
            "horizon": self.horizon,
            "confidence": self.confidence,
            "interval": _INTERVAL,
            "so_far": self.so_far,
        }


def subject_of(view: KpiView) -> Subject:
    return Subject(view.kpi.label, view.kpi.metric, view.kpi.id, view.segment, view.kpi.owner)


# --- the KGI and cumulative KPIs ---------------------------------------------------------------


@dataclass(frozen=True)
class Goal:
    """A target for the total over start..deadline, measured per `period`."""

    history: pd.Series
    actual: float
    start: date
    deadline: date
    period: str
    target: float
    direction: str


def kgi_forecast(ctx: RuleContext) -> list[Finding]:
    kgi, progress = ctx.kgi.kgi, ctx.kgi.progress
    settings = rule_settings(ctx.config, kgi.rules, NAME, ForecastSettings)
    if not settings.enabled:
        return []
    goal = Goal(ctx.kgi.history, progress.actual or 0.0, kgi.start, kgi.deadline, "month", kgi.target, "up")
    subject = Subject(Wording("subject.kgi", {"name": kgi.name}), kgi.metric, None, None, kgi.owner)
    return _span(goal, subject, settings, ctx.as_of)


def cumulative_kpi(view: KpiView, settings: ForecastSettings, ctx: RuleContext) -> list[Finding]:
    kpi = view.kpi
    start, deadline = kpi.start or ctx.config.kgi.start, kpi.deadline or ctx.config.kgi.deadline
    actual = view.progress.actual or 0.0
    goal = Goal(view.history, actual, start, deadline, kpi.period, kpi.target, kpi.direction)
    return _span(goal, subject_of(view), settings, ctx.as_of)


def _span(goal: Goal, subject: Subject, settings: ForecastSettings, as_of: date) -> list[Finding]:
    if as_of >= goal.deadline:
        return []  # nothing left to project: pace reports met or missed
    fitted = span_fitted(goal, as_of)
    if len(fitted) < settings.min_periods:
        return [too_few(subject, settings, len(fitted))]
    forecast = span_forecast(goal, fitted, as_of, settings.confidence)
    return [_span_finding(subject, forecast, goal, as_of)] if forecast.severity else []


def span_fitted(goal: Goal, as_of: date) -> pd.Series:
    """Whole periods inside start..deadline, complete at as_of, with data (each a full period's rate)."""
    end = min(goal.deadline, as_of)
    keep = [periods.first_day(p) >= goal.start and periods.last_day(p) <= end for p in goal.history.index]
    return goal.history[keep].dropna()


def remaining(after: date, deadline: date, period: str) -> list[tuple[pd.Period, float]]:
    """Each period still to come after `after`, with the share of its days up to the deadline."""
    first = after + timedelta(days=1)
    if first > deadline:
        return []
    shares = []
    for p in periods.periods_between(first, deadline, period):
        days = (min(periods.last_day(p), deadline) - max(periods.first_day(p), first)).days + 1
        shares.append((p, days / periods.days_in(p)))
    return shares


def span_forecast(goal: Goal, fitted: pd.Series, as_of: date, confidence: float) -> Forecast:
    trend = fit(fitted, confidence)
    origin = fitted.index[0].ordinal
    low = point = high = goal.actual
    for p, share in remaining(as_of, goal.deadline, goal.period):
        lo, mid, hi = trend.at(p.ordinal - origin)
        low, point, high = low + share * lo, point + share * mid, high + share * hi
    return Forecast(
        trend, fitted, low, point, high, goal.target, goal.direction, goal.deadline.isoformat(), confidence
    )


def _span_finding(subject: Subject, f: Forecast, goal: Goal, as_of: date) -> Finding:
    severity = f.severity
    assert severity is not None
    to_come = remaining(as_of, goal.deadline, goal.period)
    return Finding(
        rule=NAME,
        severity=severity,
        kpi=subject.kpi,
        segment=subject.segment,
        owner=subject.owner,
        says=Wording(
            "forecast.span",
            {
                "subject": subject.label,
                "actual": goal.actual,
                "fitted": len(f.fitted),
                "point": f.point,
                "deadline": goal.deadline,
                **f.range_params(),
                "target": f.target,
                "verdict": verdict_term(severity),
            },
        ),
        evidence={
            **f.evidence(),
            "actual_to_date": goal.actual,
            "remaining_periods": [periods.label(p) for p, _ in to_come],
            "remaining_shares": [share for _, share in to_come],
        },
        todo=action(subject, f, goal.deadline, (goal.deadline - as_of).days),
        code=code_for(subject, severity),
    )


# --- wording -------------------------------------------------------------------------------------


def code_for(subject: Subject, severity: Severity) -> Code:
    """forecast.miss / forecast.at_risk, with `kgi.` for the KGI so CI scripts can tell them apart."""
    scope = "kgi." if subject.kpi is None else ""
    return Code(f"forecast.{scope}{'miss' if severity is Severity.FAIL else 'at_risk'}")


def verdict_term(severity: Severity) -> Term:
    return Term("forecast.verdict.fail" if severity is Severity.FAIL else "forecast.verdict.warn")


def action(subject: Subject, f: Forecast, by: str | date, days_left: int | None = None) -> Wording:
    """The gap the trend leaves, as a daily rate where the goal is a total still running."""
    key = "forecast.action.up" if f.direction == "up" else "forecast.action.down"
    params: dict[str, object] = {
        "shortfall": f.shortfall,
        "metric": subject.metric,
        "by": by,
        "who": subject.owner or Term("the_owner"),
    }
    if days_left:
        return Wording(key + ".daily", {**params, "per_day": f.shortfall / days_left})
    return Wording(key, params)


def too_few(subject: Subject, settings: ForecastSettings, have: int) -> Finding:
    return Finding(
        rule=NAME,
        severity=Severity.INFO,
        kpi=subject.kpi,
        segment=subject.segment,
        owner=subject.owner,
        says=Wording(
            Code.TOO_FEW_PERIODS, {"subject": subject.label, "have": have, "needed": settings.min_periods}
        ),
        evidence={"periods_available": have, "periods_needed": settings.min_periods},
        code=Code.TOO_FEW_PERIODS,
    )
