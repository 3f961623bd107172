"""forecast: will the KPI miss its target in the period it is reviewed in (or the KGI by its deadline)?

Per-period KPIs: a log-scale line through the last 6 complete periods with a real prediction
interval (level + slope + the KPI's own month-to-month noise; stats.forecast), for the period
containing `review_by` (the period after the last complete one when there is none or it has
passed). The old Theil–Sen slope bounds left out the level's error and one period's noise: the
"90 % range" held the next value 57–64 % of the time and failed KPIs that were meeting their
target 17–20 % of the time. Now: `warn` when a miss is more likely than 85 %, `fail` above 98 %;
fewer than 5 complete periods is `info` (the range is too wide to judge on).

The KGI and cumulative KPIs (a total over several future periods) keep the Theil–Sen projection
in forecast_span.py. A period still running at as_of is never fitted: its partial number would
read as a collapse.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from kpi_cli.config.models import KpiConfig
from kpi_cli.findings import Finding, Severity
from kpi_cli.i18n import Wording
from kpi_cli.i18n.values import Quantity, Term, Unit
from kpi_cli.lazy_pandas import pd
from kpi_cli.metrics import periods
from kpi_cli.rules.forecast_span import (
    NAME,
    Code,
    ForecastSettings,
    Subject,
    code_for,
    cumulative_kpi,
    kgi_forecast,
    subject_of,
    too_few,
)
from kpi_cli.rules.spec import PerTable, RuleSpec, Scope

if TYPE_CHECKING:
    from kpi_cli.assess import KpiView
    from kpi_cli.rules.context import RuleContext
    from kpi_cli.stats import forecast as stats_forecast

__all__ = ["NAME", "RULE", "Code", "ForecastSettings", "evaluate", "horizon_period"]


def evaluate(ctx: RuleContext) -> list[Finding]:
    found = kgi_forecast(ctx)
    settings_of = PerTable(ctx.config, NAME, ForecastSettings)
    for view in ctx.kpis:
        settings = settings_of(view.kpi.rules)
        if settings.enabled and not math.isnan(view.kpi.target):
            judge = cumulative_kpi if view.kpi.cumulative else _periodic
            found.extend(judge(view, settings, ctx))
    return found


def horizon_period(kpi: KpiConfig, last_complete: pd.Period) -> pd.Period:
    """The period containing review_by; never one already complete (a past date projects nothing)."""
    after = last_complete + 1
    if kpi.review_by is None:
        return after
    return max(periods.period_of(kpi.review_by, kpi.period), after)


def _periodic(view: KpiView, settings: ForecastSettings, ctx: RuleContext) -> list[Finding]:
    from kpi_cli.stats import forecast as stats_forecast
    from kpi_cli.stats.compare import Direction

    fitted = view.complete_history.dropna()
    needed = max(settings.min_periods, stats_forecast.MIN_PERIODS)
    subject = subject_of(view)
    if len(fitted) < needed:
        return [too_few(subject, settings.model_copy(update={"min_periods": needed}), len(fitted))]
    horizon = horizon_period(view.kpi, view.complete_history.index[-1])
    steps = horizon.ordinal - fitted.index[-1].ordinal
    values = [float(v) for v in fitted]
    outcome = stats_forecast.judge(
        values, view.kpi.target, Direction(view.kpi.direction), steps, settings.confidence, needed
    )
    severity = {stats_forecast.Verdict.FAIL: Severity.FAIL, stats_forecast.Verdict.WARN: Severity.WARN}.get(
        outcome.verdict
    )
    if severity is None or outcome.prediction is None or outcome.miss_probability is None:
        return []
    return [_finding(subject, view, fitted, horizon, outcome, severity)]


def _finding(
    subject: Subject,
    view: KpiView,
    fitted: pd.Series,
    horizon: pd.Period,
    outcome: stats_forecast.Outcome,
    severity: Severity,
) -> Finding:
    from kpi_cli.stats import forecast as stats_forecast

    prediction, chance = outcome.prediction, outcome.miss_probability
    assert prediction is not None and chance is not None
    kpi = view.kpi
    window = fitted.tail(stats_forecast.WINDOW)
    shortfall = kpi.target - prediction.point if kpi.direction == "up" else prediction.point - kpi.target
    params = {
        "subject": subject.label,
        "fitted": len(window),
        "point": prediction.point,
        "horizon": periods.label(horizon),
        "level": Quantity(prediction.level, Unit.PERCENT),
        "low": prediction.low,
        "high": prediction.high,
        "target": kpi.target,
        "chance": Quantity(chance, Unit.PERCENT),
    }
    key = "forecast.action.up" if kpi.direction == "up" else "forecast.action.down"
    todo = Wording(
        key,
        {
            "shortfall": max(shortfall, 0.0),
            "metric": kpi.metric,
            "by": periods.label(horizon),
            "who": subject.owner or Term("the_owner"),
        },
    )
    return Finding(
        rule=NAME,
        severity=severity,
        kpi=subject.kpi,
        segment=subject.segment,
        owner=subject.owner,
        says=Wording("forecast.periodic.chance", params),
        evidence={
            "periods": [periods.label(p) for p in window.index],
            "values": [float(v) for v in window],
            "projection": prediction.point,
            "low": prediction.low,
            "high": prediction.high,
            "confidence": prediction.level,
            "miss_probability": chance,
            "target": kpi.target,
            "direction": kpi.direction,
            "horizon": periods.label(horizon),
            "interval": f"prediction interval, {prediction.scale} scale, level + slope + noise",
        },
        todo=todo,
        code=code_for(subject, severity),
    )


RULE = RuleSpec(
    name=NAME,
    summary=__doc__ or "",
    codes=Code,
    run=evaluate,
    settings={Scope.DEFAULTS: ForecastSettings, Scope.KPI: ForecastSettings, Scope.KGI: ForecastSettings},
)
