"""threshold: hard floors and ceilings on a KPI's metric in the reviewed period (`fail` wins over `warn`).

Ratios (CPA, CTR) are compared as they stand. A flow (leads, cost) in a period still running is
compared at its pro-rated full-period value, actual / elapsed share, because the partial number
would breach every floor early in the month; the message says it is a projection.

Each finding has one basis (issue 9), named in its evidence as `basis`:
- `actual`: the number itself is past the limit (a complete period, a ratio, or a running flow
  already past its ceiling): said and acted on as the number stands;
- `projected`: only the pro-rated value is past the limit: said as "on pace for", and the action
  is a pace too (a day, for the days left), never an amount left that reads as room to spare.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from kpi_cli.config.base import Strict
from kpi_cli.config.types import Number
from kpi_cli.findings import Finding, Severity
from kpi_cli.i18n import Wording
from kpi_cli.i18n.values import Quantity, Term, Unit
from kpi_cli.metrics import periods
from kpi_cli.rules.spec import PerTable, RuleSettings, RuleSpec, Scope

if TYPE_CHECKING:
    from kpi_cli.assess import KpiView
    from kpi_cli.rules.context import RuleContext

NAME = "threshold"


class Code(StrEnum):
    MIN = "threshold.min"
    MAX = "threshold.max"


class Basis(StrEnum):
    ACTUAL = "actual"
    PROJECTED = "projected"


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
    flow: bool = False  # additive: a running period's number only grows

    @property
    def basis(self) -> Basis:
        return Basis.PROJECTED if self.projected else Basis.ACTUAL

    def as_it_stands(self) -> Reading:
        return replace(self, value=self.actual, projected=False)


@dataclass(frozen=True)
class Breach:
    severity: Severity
    side: str  # min | max
    limit: float


def evaluate(ctx: RuleContext) -> list[Finding]:
    found: list[Finding] = []
    settings_of = PerTable(ctx.config, NAME, ThresholdSettings)
    for view in ctx.kpis:
        settings = settings_of(view.kpi.rules)
        if not settings.enabled or (settings.warn is None and settings.fail is None):
            continue
        reading = read(view, ctx.data.catalog.additive(view.kpi.metric))
        judged = breached(reading, settings) if reading else None
        if judged:
            found.append(_finding(view, *judged, settings))
    return found


def breached(reading: Reading, settings: ThresholdSettings) -> tuple[Reading, Breach] | None:
    """The worse of the number as it stands and its projection, each on its own basis.

    A running flow's floor is judged on its projection only (the partial number is below every
    floor early on); its ceiling as it stands too: 70 already past a maximum of 60 is an actual
    breach, its projection adds nothing. A projection that is worse than the actual breach (warn
    now, fail by the end at this pace) is the finding, worded and acted on as a projection.
    """
    sides = ("max",) if reading.projected else ("min", "max")
    now = judge(reading.actual, settings, sides)
    ahead = judge(reading.value, settings) if reading.projected else None
    if ahead is not None and (
        now is None or (ahead.severity is Severity.FAIL and now.severity is not Severity.FAIL)
    ):
        return reading, ahead
    return None if now is None else (reading.as_it_stands(), now)


def read(view: KpiView, additive: bool) -> Reading | None:
    actual = view.trail.at(view.period)  # the floats, not a Series per view (`--by`: 40,000)
    if actual is None:
        return None
    running = periods.in_progress(view.period, view.as_of)
    elapsed = periods.elapsed_fraction(view.period, view.as_of)
    projected = additive and running
    return Reading(actual, actual / elapsed if projected else actual, projected, elapsed, running, additive)


def judge(
    value: float, settings: ThresholdSettings, sides: tuple[str, ...] = ("min", "max")
) -> Breach | None:
    """The fail bounds first: a number past both is a fail, not a warn."""
    for severity, bounds in ((Severity.FAIL, settings.fail), (Severity.WARN, settings.warn)):
        side = _side(value, bounds, sides)
        if side is not None and bounds is not None:
            return Breach(severity, side, float(getattr(bounds, side)))
    return None


def _side(value: float, bounds: Bounds | None, sides: tuple[str, ...]) -> str | None:
    if bounds is None:
        return None
    if "min" in sides and bounds.min is not None and value < bounds.min:
        return "min"
    if "max" in sides and bounds.max is not None and value > bounds.max:
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
    metric = view.kpi.metric
    if r.projected:
        return _pace_action(view, r, b)
    if r.flow and r.in_progress and b.side == "max":
        return Wording("threshold.action.past", {"metric": metric, "limit": b.limit})
    key = "threshold.action.rise_above" if b.side == "min" else "threshold.action.come_under"
    return Wording(key, {"metric": metric, "limit": Quantity.measure(b.limit, view.is_rate)})


def _pace_action(view: KpiView, r: Reading, b: Breach) -> Wording:
    """The projection's own basis: a pace a day for the days left against the pace so far."""
    days = periods.days_in(view.period)
    done = r.elapsed * days
    left = max(days - done, 1.0)
    params = {
        "per_day": max(b.limit - r.actual, 0.0) / left,
        "so_far": r.actual / done if done else 0.0,
        "days_left": round(left),
        "metric": view.kpi.metric,
        "end": periods.last_day(view.period),
        "limit": b.limit,
    }
    return Wording(f"threshold.action.pace.{b.side}", params)


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
            "basis": r.basis.value,
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
