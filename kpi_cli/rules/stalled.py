"""stalled: a KPI off target whose number has not moved over its last N complete periods.

"Not moved" needs both: no significant monotonic trend (Kendall's tau with the exact p-value,
which is right for the short series a monthly review has) and a relative change below
`min_change`. Periods with no data at all are stale data, reported by `freshness`, not here.
"""

from __future__ import annotations

import math
from enum import StrEnum

import pandas as pd
from pydantic import Field

from kpi_cli.assess import KpiView
from kpi_cli.config.settings import rule_settings
from kpi_cli.config.types import Count, Number
from kpi_cli.findings import Finding, Severity
from kpi_cli.i18n import Wording
from kpi_cli.i18n.values import Quantity, Unit
from kpi_cli.metrics import periods
from kpi_cli.metrics.progress import achievement
from kpi_cli.rules.context import RuleContext
from kpi_cli.rules.spec import RuleSettings, RuleSpec, Scope

NAME = "stalled"


class Code(StrEnum):
    STALLED = "stalled"
    TOO_FEW_PERIODS = "stalled.too_few_periods"


class StalledSettings(RuleSettings):
    periods: Count = Field(3, ge=2)
    min_change: Number = Field(0.10, ge=0)
    alpha: Number = Field(0.05, gt=0, lt=1)
    severity: Severity = Severity.WARN


def evaluate(ctx: RuleContext) -> list[Finding]:
    found: list[Finding] = []
    for view in ctx.kpis:
        settings = rule_settings(ctx.config, view.kpi.rules, NAME, StalledSettings)
        at_target_now = view.status.on_target
        if (
            settings.enabled
            and not view.kpi.cumulative
            and not math.isnan(view.kpi.target)
            and not at_target_now
        ):
            found.extend(_check(view, settings))
    return found


def trend(values: list[float]) -> tuple[float, float]:
    """Kendall's tau of the values against time, with its exact two-sided p-value.

    The exact distribution assumes no ties; with tied values scipy's tie-corrected normal
    approximation is the best available.
    """
    method = "exact" if len(set(values)) == len(values) else "asymptotic"
    from scipy import stats  # on use: loading the config (`kpi validate`) imports this module

    result = stats.kendalltau(range(len(values)), values, method=method)
    tau, p = float(result.statistic), float(result.pvalue)
    return (0.0, 1.0) if math.isnan(tau) else (tau, p)  # a constant series has no trend at all


def relative_change(first: float, last: float) -> float:
    if first == 0:
        return 0.0 if last == 0 else math.inf
    return (last - first) / abs(first)


def _check(view: KpiView, settings: StalledSettings) -> list[Finding]:
    """Judged on complete periods only: the latest one below target, and the window flat."""
    window = view.complete_history.tail(settings.periods)
    if window.empty or pd.isna(window.iloc[-1]):
        return []  # no new data: stale data is freshness's finding, not a stall
    if achievement(float(window.iloc[-1]), view.kpi.target, view.kpi.direction) >= 1:
        return []
    if window.isna().any() or len(window) < settings.periods:
        return [_too_few(view, settings, len(window.dropna()))]
    values = [float(v) for v in window]
    tau, p = trend(values)
    change = relative_change(values[0], values[-1])
    if p < settings.alpha or abs(change) >= settings.min_change:
        return []
    return [_finding(view, settings, window, tau, p, change)]


def _finding(
    view: KpiView, s: StalledSettings, window: pd.Series, tau: float, p: float, change: float
) -> Finding:
    labels = [periods.label(i) for i in window.index]
    params = {
        "label": view.kpi.label,
        "periods": len(window),
        "first": labels[0],
        "last": labels[-1],
        "from_value": Quantity.measure(float(window.iloc[0]), view.is_rate),
        "to_value": Quantity.measure(float(window.iloc[-1]), view.is_rate),
        "change": Quantity(change, Unit.SIGNED),
        "target": Quantity.measure(view.kpi.target, view.is_rate),
    }
    return Finding(
        rule=NAME,
        severity=Severity(s.severity),
        kpi=view.kpi.id,
        segment=view.segment,
        owner=view.kpi.owner,
        says=Wording(Code.STALLED, params),
        evidence={
            "periods": labels,
            "values": [float(v) for v in window],
            "kendall_tau": tau,
            "p_value": p,
            "relative_change": change,
            "min_change": s.min_change,
            "alpha": s.alpha,
        },
        todo=Wording("stalled.action"),
        code=Code.STALLED,
    )


def _too_few(view: KpiView, s: StalledSettings, have: int) -> Finding:
    return Finding(
        rule=NAME,
        severity=Severity.INFO,
        kpi=view.kpi.id,
        segment=view.segment,
        owner=view.kpi.owner,
        says=Wording(Code.TOO_FEW_PERIODS, {"label": view.kpi.label, "have": have, "needed": s.periods}),
        evidence={"periods_available": have, "periods_needed": s.periods},
        code=Code.TOO_FEW_PERIODS,
    )


RULE = RuleSpec(
    name=NAME,
    summary=__doc__ or "",
    codes=Code,
    run=evaluate,
    settings={Scope.DEFAULTS: StalledSettings, Scope.KPI: StalledSettings},
)
