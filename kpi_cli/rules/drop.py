"""drop: the reviewed period fell against its baseline by more than chance and more than `warn`.

Baseline: the previous period (`baseline: previous`) or the `window` periods before the reviewed
one (`baseline: trailing`); periods without data are left out of the window. "Fell" means moved
the bad way: down for `direction: up`, up for `direction: down` (unsubscribes, CPA).

How the move is judged depends on what the metric is:
- counts (additive, no money in them): an exact one-sided Poisson comparison, conditional on the
  total — `binomtest(k=current, n=current + baseline_total, p=e / (e + B))` where e is the elapsed
  share of the reviewed period and B the number of baseline periods. So 3 -> 2 is chance, not a drop.
  Flagged when p < alpha and the relative move of the run rate (current / e) >= warn.
- proportions of counts (ctr = clicks / impressions): the Wilson interval (level 1 - alpha) of this
  period's rate must lie wholly on the bad side of the baseline rate, and the move be >= warn.
- money totals and other ratios (revenue, CPA, ROAS): no sampling model fits, so the relative move
  alone is judged against warn and fail.
Rates and ratios over a trailing window are pooled (sum of numerators / sum of denominators), so a
month with two customers cannot swing a CPA baseline. Money totals and counts are pro-rated by e
while their period is running. A zero baseline or denominator gives no finding: a relative move
from nothing is undefined. A net count that went negative (followers) is judged as a money total.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

import pandas as pd
from pydantic import Field

from kpi_cli.assess import KpiView
from kpi_cli.config.settings import rule_settings
from kpi_cli.config.types import Count, Number
from kpi_cli.findings import Finding, Severity
from kpi_cli.i18n import Wording
from kpi_cli.i18n.values import Quantity, Unit
from kpi_cli.metrics import periods
from kpi_cli.metrics.dataset import Dataset
from kpi_cli.rules.context import RuleContext
from kpi_cli.rules.spec import RuleSettings, RuleSpec, Scope
from kpi_cli.sources.canonical import MONEY

NAME = "drop"


class Code(StrEnum):
    COUNT = "drop.count"
    RATE = "drop.rate"
    AMOUNT = "drop.amount"
    RATIO = "drop.ratio"


class DropSettings(RuleSettings):
    warn: Number = Field(0.20, gt=0, lt=1)
    fail: Number = Field(0.40, gt=0, lt=1)
    baseline: Literal["previous", "trailing"] = "previous"
    window: Count = Field(3, ge=1)
    alpha: Number = Field(0.05, gt=0, lt=1)
    # Ratios and money totals have no sampling model: a few days into a period they swing wildly.
    min_elapsed: Number = Field(0.25, ge=0, le=1)


@dataclass(frozen=True)
class Move:
    """The reviewed period against its baseline, both as a per-full-period figure."""

    kind: str  # count | rate | amount | ratio
    current: float  # as measured so far
    rate: float  # current, pro-rated to a full period where it is a flow
    baseline: float
    direction: str
    significant: bool = True
    p_value: float | None = None
    interval: tuple[float, float] | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def change(self) -> float:
        return self.rate / self.baseline - 1

    @property
    def adverse(self) -> float:
        """The relative move the bad way (a fall for `up`, a rise for `down`); negative if good."""
        return -self.change if self.direction == "up" else self.change

    def evidence(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "current": self.current,
            "run_rate": self.rate,
            "baseline": self.baseline,
            "relative_change": self.change,
            "direction": self.direction,
            "p_value": self.p_value,
            "interval": list(self.interval) if self.interval else None,
            **self.extra,
        }


@dataclass(frozen=True)
class Window:
    period: pd.Period
    baseline: list[pd.Period]
    current: float
    values: list[float]  # the KPI in each baseline period
    mode: str
    in_progress: bool
    elapsed: float

    @property
    def described(self) -> str | Wording:
        labels = [periods.label(p) for p in self.baseline]
        if self.mode == "previous" or len(labels) == 1:
            return labels[0]
        return Wording("drop.average", {"first": labels[0], "last": labels[-1]})


def evaluate(ctx: RuleContext) -> list[Finding]:
    found: list[Finding] = []
    for view in ctx.kpis:
        settings = rule_settings(ctx.config, view.kpi.rules, NAME, DropSettings)
        if settings.enabled and not view.kpi.cumulative:
            finding = _judge(view, settings, ctx)
            found.extend([finding] if finding else [])
    return found


def view_data(ctx: RuleContext, view: KpiView) -> Dataset:
    """The rows behind a view (its `where:` and segment applied), or all rows for a hand-made view."""
    return view.data if view.data is not None else ctx.data


def window(view: KpiView, settings: DropSettings) -> Window | None:
    """The reviewed period and its baseline periods with data; None when either has none."""
    history, period = view.history, view.period
    current = _at(history, period)
    before = history.loc[: period - 1]
    wanted = before.tail(1) if settings.baseline == "previous" else before.tail(settings.window)
    baseline: list[pd.Period] = [p for p in wanted.index if not math.isnan(_at(wanted, p))]
    if math.isnan(current) or not baseline:
        return None
    values = [_at(history, p) for p in baseline]
    running, elapsed = periods.in_progress(period, view.as_of), periods.elapsed_fraction(period, view.as_of)
    return Window(period, baseline, current, values, settings.baseline, running, elapsed)


def _at(series: pd.Series, period: pd.Period) -> float:
    value = series.get(period)
    return math.nan if value is None or pd.isna(value) else float(value)


def _judge(view: KpiView, settings: DropSettings, ctx: RuleContext) -> Finding | None:
    frame = window(view, settings)
    if frame is None:
        return None
    move = measure(view, frame, settings.alpha, ctx)
    if move is None or not move.significant or move.adverse < settings.warn:
        return None
    if move.kind in ("ratio", "amount") and frame.in_progress and frame.elapsed < settings.min_elapsed:
        return None
    severity = Severity.FAIL if move.adverse >= settings.fail else Severity.WARN
    return _finding(view, frame, move, settings, severity)


def measure(view: KpiView, frame: Window, alpha: float, ctx: RuleContext) -> Move | None:
    metric, catalog = view.kpi.metric, ctx.data.catalog
    if catalog.proportion(metric) is not None:
        return _share(view, frame, alpha, view_data(ctx, view))
    if catalog.additive(metric):
        money = bool(catalog.columns(metric) & MONEY)
        return _amount(view, frame) if money else _count(view, frame, alpha)
    return _ratio(view, frame, view_data(ctx, view))


def _count(view: KpiView, frame: Window, alpha: float) -> Move | None:
    """Exact conditional test of two Poisson rates with exposures e (this period) and B (baseline)."""
    current, base = frame.current, frame.values
    if min(current, *base) < 0:  # a net count (followers) has no Poisson model: relative move only
        return _amount(view, frame)
    k, total, exposure = round(current), round(sum(base)), len(base)
    if total == 0:
        return None
    bad = "less" if view.kpi.direction == "up" else "greater"
    null_share = frame.elapsed / (frame.elapsed + exposure)
    from scipy import stats  # on use: loading the config (`kpi validate`) imports this module

    p = float(stats.binomtest(k, k + total, null_share, alternative=bad).pvalue)
    extra: dict[str, object] = {"test": f"exact Poisson, one-sided {bad}", "baseline_total": total}
    rate, mean = current / frame.elapsed, total / exposure
    return Move("count", current, rate, mean, view.kpi.direction, p < alpha, p, extra=extra)


def _amount(view: KpiView, frame: Window) -> Move | None:
    current, mean = frame.current, sum(frame.values) / len(frame.values)
    if mean <= 0:
        return None
    return Move("amount", current, current / frame.elapsed, mean, view.kpi.direction)


def _pooled(data: Dataset, view: KpiView, frame: Window, column: str) -> tuple[float, float]:
    """(this period, summed baseline) of one canonical column."""
    sums = data.sums(view.kpi.period)
    if column not in sums.columns:
        return math.nan, math.nan
    values = sums[column]
    return _at(values, frame.period), float(values[values.index.isin(frame.baseline)].sum())


def _share(view: KpiView, frame: Window, alpha: float, data: Dataset) -> Move | None:
    """Wilson interval of this period's rate against the pooled baseline rate."""
    pair = data.catalog.proportion(view.kpi.metric)
    assert pair is not None
    (hits, base_hits), (trials, base_trials) = (_pooled(data, view, frame, c) for c in pair)
    if not trials or not base_trials or not base_hits or math.isnan(trials + base_trials + hits + base_hits):
        return None
    rate, baseline, direction = hits / trials, base_hits / base_trials, view.kpi.direction
    if not 0 <= hits <= trials:  # not a true share of its denominator: judge the move alone
        return Move("ratio", rate, rate, baseline, direction)
    from scipy import stats  # on use: loading the config (`kpi validate`) imports this module

    ci = stats.binomtest(round(hits), round(trials)).proportion_ci(1 - alpha, method="wilson")
    low, high = float(ci.low), float(ci.high)
    beyond = high < baseline if direction == "up" else low > baseline
    extra: dict[str, object] = {
        "test": f"Wilson interval at {1 - alpha:g}",
        "counts": [hits, trials],
        "baseline_counts": [base_hits, base_trials],
    }
    return Move("rate", rate, rate, baseline, direction, beyond, interval=(low, high), extra=extra)


def _ratio(view: KpiView, frame: Window, data: Dataset) -> Move | None:
    """A ratio of money or mixed flows (CPA, ROAS): pooled baseline, relative move only."""
    sums = data.sums(view.kpi.period)
    pooled = sums[sums.index.isin(frame.baseline)].sum(min_count=1).to_frame().T
    baseline = float(data.catalog.compute(view.kpi.metric, pooled).iloc[0])
    if math.isnan(baseline) or baseline == 0:
        return None
    return Move("ratio", frame.current, frame.current, baseline, view.kpi.direction)


# --- wording -------------------------------------------------------------------------------------


def _shown(move: Move, value: float) -> Quantity:
    """Rates as percentages, with a second decimal when the baseline is a small rate (CTR)."""
    if move.kind != "rate":
        return Quantity(value)
    return Quantity(value, Unit.RATE, 2 if move.baseline < 0.1 else 1)


def _message(view: KpiView, frame: Window, move: Move, alpha: float) -> Wording:
    label = periods.label(frame.period)
    period: object = Wording("period.running", {"period": label}) if frame.in_progress else label
    params: dict[str, object] = {
        "subject": Wording("subject.kpi", {"label": view.kpi.label, "period": period}),
        "against": frame.described,
        "change": Quantity(move.change, Unit.SIGNED),
        "current": _shown(move, move.current),
        "baseline": _shown(move, move.baseline),
    }
    if move.kind == "count":
        params["p"] = Quantity(move.p_value, Unit.P_VALUE)
        if frame.in_progress:
            return Wording("drop.count.running", {**params, "expected": move.baseline * frame.elapsed})
        return Wording("drop.count", params)
    if move.kind == "rate" and move.interval:
        low, high = (_shown(move, v) for v in move.interval)
        level = Quantity(1 - alpha, Unit.PERCENT)
        return Wording("drop.rate", {**params, "level": level, "low": low, "high": high})
    if move.kind == "amount" and frame.in_progress:
        return Wording("drop.amount.running", {**params, "on_pace": move.rate})
    return Wording("drop.other", params)


def _action(view: KpiView, frame: Window, move: Move) -> Wording:
    metric = view.kpi.metric
    if move.kind == "count" and frame.in_progress and view.kpi.direction == "up":
        needed = move.baseline - move.current
        end = periods.last_day(frame.period)
        return Wording(
            "drop.action.match", {"more": needed, "metric": metric, "end": end, "against": frame.described}
        )
    params = {"period": periods.label(frame.period), "against": frame.described, "metric": metric}
    return Wording("drop.action.compare", params)


def _finding(view: KpiView, frame: Window, move: Move, settings: DropSettings, severity: Severity) -> Finding:
    return Finding(
        rule=NAME,
        severity=severity,
        kpi=view.kpi.id,
        segment=view.segment,
        owner=view.kpi.owner,
        says=_message(view, frame, move, settings.alpha),
        evidence={
            "period": periods.label(frame.period),
            **move.evidence(),
            "baseline_mode": frame.mode,
            "baseline_periods": [periods.label(p) for p in frame.baseline],
            "in_progress": frame.in_progress,
            "elapsed": frame.elapsed,
            "warn": settings.warn,
            "fail": settings.fail,
            "alpha": settings.alpha,
        },
        todo=_action(view, frame, move),
        code=Code(f"drop.{move.kind}"),
    )


RULE = RuleSpec(
    name=NAME,
    summary=__doc__ or "",
    codes=Code,
    run=evaluate,
    settings={Scope.DEFAULTS: DropSettings, Scope.KPI: DropSettings},
)
