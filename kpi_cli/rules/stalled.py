"""stalled: a KPI below target that is not improving by a meaningful margin, given its own noise.

Judged by kpi_cli.stats.trend.stall on the KPI's complete periods (at least 4, at most `periods`):
a log-linear trend whose one-sided test rules out "improves by `min_change` or more per period"
at `alpha`. The noise is the trend's own residuals, never below counting noise for counts.
Calibrated by simulation (benchmarks/calibration.py, app mode): with 15 % month-to-month noise
it fires on at most about 5 % of KPIs growing 6 % a month and on more than half of KPIs flat at
half their target with 8 months at 400 a month.

Settings (changed by issue 9; the same keys are accepted, their meaning changed):
- `periods`: the most complete periods looked at (default 12; before: exactly this many, default
  3, with which no trend could ever be significant). Values below 4 are read as 4.
- `min_change`: the growth per period that counts as progress (default 0.06; before: the
  relative change over the whole window, 0.10).
Periods with no data at all are stale data, reported by `freshness`, not here.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import Field

from kpi_cli.config.types import Count, Number
from kpi_cli.findings import Finding, Severity
from kpi_cli.i18n import Wording
from kpi_cli.i18n.values import Quantity, Unit
from kpi_cli.lazy_pandas import pd
from kpi_cli.metrics import periods
from kpi_cli.rules.spec import PerTable, RuleSettings, RuleSpec, Scope
from kpi_cli.sources.canonical import MONEY
from kpi_cli.stats.trend import MARGIN, MAX_PERIODS, MIN_PERIODS, Stall, stall

if TYPE_CHECKING:
    from kpi_cli.assess import KpiView
    from kpi_cli.metrics.formulas import Catalog
    from kpi_cli.rules.context import RuleContext

NAME = "stalled"
STALE_PERIODS = 3


class Code(StrEnum):
    STALLED = "stalled"
    TOO_FEW_PERIODS = "stalled.too_few_periods"


class StalledSettings(RuleSettings):
    periods: Count = Field(MAX_PERIODS, ge=2)  # the most complete periods looked at (>= 4 used)
    min_change: Number = Field(MARGIN, ge=0)  # growth per period that counts as progress
    alpha: Number = Field(0.05, gt=0, lt=1)
    severity: Severity = Severity.WARN

    @property
    def window(self) -> int:
        return max(int(self.periods), MIN_PERIODS)

    @property
    def stale_periods(self) -> int:
        """How many complete periods without data `freshness` calls stale data, not a stall.

        Before issue 9 that was `periods` itself (default 3); `periods` is now the most periods a
        trend looks at (default 12), so freshness keeps the old count: at most 3.
        """
        return min(int(self.periods), STALE_PERIODS)


def evaluate(ctx: RuleContext) -> list[Finding]:
    found: list[Finding] = []
    settings_of = PerTable(ctx.config, NAME, StalledSettings)
    for view in ctx.kpis:
        settings = settings_of(view.kpi.rules)
        if (
            settings.enabled
            and not view.kpi.cumulative
            and not math.isnan(view.kpi.target)
            and not view.status.on_target
        ):
            found.extend(_check(view, settings, is_count(ctx.data.catalog, view.kpi.metric)))
    return found


def is_count(catalog: Catalog, metric: str) -> bool:
    """Counts get the counting-noise floor and the +1/2 of the log scale; rates and money do not."""
    return (
        catalog.additive(metric)
        and catalog.proportion(metric) is None
        and not catalog.columns(metric) & MONEY
    )


def recent(view: KpiView, most: int) -> pd.Series:
    """The complete periods since the last one without data, at most `most` of them."""
    window = view.complete_history.tail(most)
    missing = [i for i, value in enumerate(window) if pd.isna(value)]
    return window.iloc[missing[-1] + 1 :] if missing else window


def _check(view: KpiView, settings: StalledSettings, counts: bool) -> list[Finding]:
    """Judged on complete periods only: the latest one below target, and no improving trend."""
    from kpi_cli.metrics.progress import achievement
    from kpi_cli.stats.compare import Direction

    complete = view.complete_history
    if complete.empty or pd.isna(complete.iloc[-1]):
        return []  # no new data: stale data is freshness's finding, not a stall
    if achievement(float(complete.iloc[-1]), view.kpi.target, view.kpi.direction) >= 1:
        return []
    window = recent(view, settings.window)
    if len(window) < MIN_PERIODS:
        return [_too_few(view, len(window))]
    found = stall(
        [float(v) for v in window],
        Direction(view.kpi.direction),
        margin=float(settings.min_change),
        alpha=float(settings.alpha),
        max_periods=settings.window,
        counts=counts,
    )
    if found is None or not found.stalled:
        return []
    return [_finding(view, settings, window, found)]


def _finding(view: KpiView, s: StalledSettings, window: pd.Series, found: Stall) -> Finding:
    labels = [periods.label(i) for i in window.index]
    direction = 1 if view.kpi.direction == "up" else -1
    per_period = (1 + found.change_per_period) ** direction - 1  # back to the KPI's own sign
    params = {
        "label": view.kpi.label,
        "periods": len(window),
        "first": labels[0],
        "last": labels[-1],
        "from_value": Quantity.measure(float(window.iloc[0]), view.is_rate),
        "to_value": Quantity.measure(float(window.iloc[-1]), view.is_rate),
        "per_period": Quantity(per_period, Unit.SIGNED),
        "margin": Quantity(float(s.min_change), Unit.PERCENT),
        "target": Quantity.measure(view.kpi.target, view.is_rate),
    }
    return Finding(
        rule=NAME,
        severity=Severity(s.severity),
        kpi=view.kpi.id,
        segment=view.segment,
        owner=view.kpi.owner,
        says=Wording("stalled.trend", params),
        evidence={
            "periods": labels,
            "values": [float(v) for v in window],
            "test": "log-linear trend, one-sided t against +min_change per period",
            "change_per_period": per_period,
            "window_change": (1 + per_period) ** (len(window) - 1) - 1,
            "standard_error": found.se,
            "p_value": found.p_not_improving,
            "min_change": float(s.min_change),
            "alpha": float(s.alpha),
        },
        todo=Wording("stalled.action"),
        code=Code.STALLED,
    )


def _too_few(view: KpiView, have: int) -> Finding:
    return Finding(
        rule=NAME,
        severity=Severity.INFO,
        kpi=view.kpi.id,
        segment=view.segment,
        owner=view.kpi.owner,
        says=Wording(Code.TOO_FEW_PERIODS, {"label": view.kpi.label, "have": have, "needed": MIN_PERIODS}),
        evidence={"periods_available": have, "periods_needed": MIN_PERIODS},
        code=Code.TOO_FEW_PERIODS,
    )


RULE = RuleSpec(
    name=NAME,
    summary=__doc__ or "",
    codes=Code,
    run=evaluate,
    settings={Scope.DEFAULTS: StalledSettings, Scope.KPI: StalledSettings},
)
