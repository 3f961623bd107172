"""drop: the reviewed period moved the bad way against its baseline, beyond the KPI's own noise.

Baseline: the `window` periods before the reviewed one (`baseline: trailing`, the default: one
previous month alone finds a 30 % fall far less often) or the previous period (`previous`);
periods without data are left out. "Fell" means moved the bad way: down for `direction: up`, up
for `direction: down` (unsubscribes, CPA).

Every kind is judged by kpi_cli.stats.compare with the month-to-month noise estimated from the
KPI's complete periods before the reviewed one, and flagged when its one-sided p < alpha and the
relative move >= warn (fail >= fail):
- counts: per-day rates with days as exposure (February's 28 against January's 31; a running
  period on the days its sources cover, not to as_of), random level plus the exact Poisson test;
  a rise from a zero baseline (`direction: down`) is judged by the exact test and worded "from 0";
- shares of counts (ctr = clicks / impressions): hits and trials per period, Laney p' noise;
- money ratios (CPA, ROAS): the log ratio with the counting noise of its count (delta method);
- money totals (revenue): per-day amounts, quasi-Poisson.
Sustained shift (`drop.sustained`, counts): when the reviewed period alone is not conclusive, the
last `sustained_periods` complete periods together against the periods before them (stats.shift),
at `sustained_alpha`; a 30 % step at 400 a month is found by its second month about 90 % of the
time (benchmarks/calibration.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
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
from kpi_cli.rules.exposure import history_days, newest_dates, period_coverage
from kpi_cli.rules.spec import RuleSettings, RuleSpec, Scope
from kpi_cli.sources.canonical import MONEY
from kpi_cli.stats.compare import (
    Comparison,
    Direction,
    compare_amounts,
    compare_counts,
    compare_ratios,
    compare_shares,
)
from kpi_cli.stats.exposure import Coverage
from kpi_cli.stats.shift import sustained_shift

NAME = "drop"


class Code(StrEnum):
    COUNT = "drop.count"
    RATE = "drop.rate"
    AMOUNT = "drop.amount"
    RATIO = "drop.ratio"
    SUSTAINED = "drop.sustained"


HISTORY_PERIODS = 12  # complete periods the noise is estimated from


class DropSettings(RuleSettings):
    warn: Number = Field(0.20, gt=0, lt=1)
    fail: Number = Field(0.40, gt=0, lt=1)
    baseline: Literal["previous", "trailing"] = "trailing"
    window: Count = Field(3, ge=1)
    alpha: Number = Field(0.05, gt=0, lt=1)
    # Ratios and money totals swing wildly a few days into a period: judged from this share on.
    min_elapsed: Number = Field(0.25, ge=0, le=1)
    # The sustained-shift test: the last N complete periods together, at its own alpha (0.10: at
    # 0.05 a 30 % step at 400 a month was found by its second month only ~80 % of the time).
    sustained_periods: Count = Field(2, ge=1)
    sustained_alpha: Number = Field(0.10, gt=0, lt=1)


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
        if self.baseline == 0:
            return math.inf if self.rate > 0 else 0.0  # a rise from nothing: worded "from 0"
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
    covered: Coverage
    history: pd.Series  # complete periods before the reviewed one, for the noise

    @property
    def elapsed(self) -> float:
        return self.covered.fraction

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
            columns = ctx.data.catalog.columns(view.kpi.metric)
            newest = newest_dates(ctx.sources, ctx.data.frame, ctx.as_of, columns, view.kpi.where)
            finding = _judge(view, settings, ctx, newest) or _sustained(view, settings)
            found.extend([finding] if finding else [])
    return found


def view_data(ctx: RuleContext, view: KpiView) -> Dataset:
    """The rows behind a view (its `where:` and segment applied), or all rows for a hand-made view."""
    return view.data if view.data is not None else ctx.data


def window(view: KpiView, settings: DropSettings, newest: list[date] | None = None) -> Window | None:
    """The reviewed period and its baseline periods with data; None when either has none."""
    history, period = view.history, view.period
    current = _at(history, period)
    before = history.loc[: period - 1]
    wanted = before.tail(1) if settings.baseline == "previous" else before.tail(settings.window)
    baseline: list[pd.Period] = [p for p in wanted.index if not math.isnan(_at(wanted, p))]
    if math.isnan(current) or not baseline:
        return None
    values = [_at(history, p) for p in baseline]
    running = periods.in_progress(period, view.as_of)
    covered = period_coverage(period, newest if newest is not None else [view.as_of], view.as_of)
    if covered.days == 0:
        return None
    noise = before.dropna().tail(HISTORY_PERIODS)
    return Window(period, baseline, current, values, settings.baseline, running, covered, noise)


def _at(series: pd.Series, period: pd.Period) -> float:
    value = series.get(period)
    return math.nan if value is None or pd.isna(value) else float(value)


def _judge(view: KpiView, settings: DropSettings, ctx: RuleContext, newest: list[date]) -> Finding | None:
    frame = window(view, settings, newest)
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
        return _amount(view, frame, alpha) if money else _count(view, frame, alpha)
    return _ratio(view, frame, alpha, view_data(ctx, view))


def _days(index: list[pd.Period] | pd.Index) -> list[float]:
    return history_days(list(index))


def _move(kind: str, view: KpiView, frame: Window, found: Comparison | None, alpha: float) -> Move | None:
    """A comparison on the per-day (or share, or ratio) scale, as figures per full reviewed period."""
    if found is None:
        return None
    per_period = frame.covered.period_days if kind in ("count", "amount") else 1.0
    extra: dict[str, object] = {"test": found.test, "coverage": frame.covered.describe()}
    return Move(
        kind,
        frame.current,
        found.current * per_period,
        found.baseline * per_period,
        view.kpi.direction,
        found.p_value < alpha,
        found.p_value,
        extra=extra,
    )


def _count(view: KpiView, frame: Window, alpha: float) -> Move | None:
    """Per-day rates, days as exposure, noise from the complete periods before (stats.compare)."""
    if min(frame.current, *frame.values, *frame.history) < 0:  # a net count (followers): a money total
        return _amount(view, frame, alpha)
    return _per_day("count", compare_counts, view, frame, alpha)


def _amount(view: KpiView, frame: Window, alpha: float) -> Move | None:
    return _per_day("amount", compare_amounts, view, frame, alpha)


def _per_day(
    kind: str, test: Callable[..., Comparison | None], view: KpiView, frame: Window, alpha: float
) -> Move | None:
    """A flow compared per day: this period on its covered days against the baseline periods."""
    found = test(
        frame.current,
        frame.covered.days,
        frame.values,
        _days(frame.baseline),
        Direction(view.kpi.direction),
        [float(v) for v in frame.history],
        _days(frame.history.index),
    )
    return _move(kind, view, frame, found, alpha)


def _columns(data: Dataset, view: KpiView, frame: Window, names: tuple[str, str]) -> list[pd.Series] | None:
    sums = data.sums(view.kpi.period)
    if not set(names) <= set(sums.columns):
        return None
    return [sums[name] for name in names]


def _pairs(columns: list[pd.Series], index: list[pd.Period] | pd.Index) -> list[tuple[float, float]]:
    top, bottom = columns
    return [(_at(top, p), _at(bottom, p)) for p in index if not math.isnan(_at(top, p) + _at(bottom, p))]


def _share(view: KpiView, frame: Window, alpha: float, data: Dataset) -> Move | None:
    """Hits and trials per period (not pooled), Laney p' noise from the complete periods before."""
    pair = data.catalog.proportion(view.kpi.metric)
    assert pair is not None
    columns = _columns(data, view, frame, pair)
    if columns is None:
        return None
    hits, trials = (_at(c, frame.period) for c in columns)
    base, past = _pairs(columns, frame.baseline), _pairs(columns, frame.history.index)
    if math.isnan(hits + trials) or not base or not 0 <= hits <= trials:
        return None
    found = compare_shares(
        hits,
        trials,
        [h for h, _ in base],
        [t for _, t in base],
        Direction(view.kpi.direction),
        [h for h, _ in past],
        [t for _, t in past],
    )
    move = _move("rate", view, frame, found, alpha)
    return None if move is None else replace(move, current=hits / trials)


def _ratio(view: KpiView, frame: Window, alpha: float, data: Dataset) -> Move | None:
    """A money ratio (CPA = cost / customers, ROAS): the log ratio, noise from the count behind it."""
    formula = data.catalog.formulas.get(view.kpi.metric)
    names = formula.ratio_of_names if formula is not None else None
    columns = _columns(data, view, frame, names) if names is not None else None
    if names is None or columns is None:
        return None
    now = (_at(columns[0], frame.period), _at(columns[1], frame.period))
    counted = (names[0] not in MONEY, names[1] not in MONEY)
    found = compare_ratios(
        *now,
        _pairs(columns, frame.baseline),
        Direction(view.kpi.direction),
        _pairs(columns, frame.history.index),
        counted=counted,
    )
    return _move("ratio", view, frame, found, alpha)


def _short_of_target(view: KpiView, recent: pd.Series) -> bool:
    """A sustained fall matters once it leaves the KPI on the wrong side of its target (or it has none).

    A KPI still above target after a fall (the sample's inquiries, 143 -> 123 against 120) is not
    worth a warning at the looser sustained alpha.
    """
    target = view.kpi.target
    if math.isnan(target):
        return True
    mean = float(recent.mean())
    return mean < target if view.kpi.direction == "up" else mean > target


def _sustained(view: KpiView, settings: DropSettings) -> Finding | None:
    """The last complete periods together against those before (counts only; stats.shift)."""
    complete = view.complete_history.dropna().tail(HISTORY_PERIODS + settings.sustained_periods)
    data = view.data
    if (
        data is None
        or data.catalog.columns(view.kpi.metric) & MONEY
        or not data.catalog.additive(view.kpi.metric)
    ):
        return None
    if data.catalog.proportion(view.kpi.metric) is not None:
        return None
    recent, before = complete.tail(settings.sustained_periods), complete.iloc[: -settings.sustained_periods]
    if len(before) < 2 or not _short_of_target(view, recent):
        return None
    found = sustained_shift(
        [float(v) for v in recent],
        _days(recent.index),
        [float(v) for v in before],
        _days(before.index),
        Direction(view.kpi.direction),
    )
    if found is None or found.p_value >= settings.sustained_alpha:
        return None
    adverse = -found.relative_change if view.kpi.direction == "up" else found.relative_change
    if adverse < settings.warn / 2:  # half of `warn`: a two-period mean moves less than one period
        return None
    fail = adverse >= settings.fail and found.p_value < settings.alpha
    labels = [periods.label(p) for p in complete.index]
    n = len(recent)
    params = {
        "label": view.kpi.label,
        "first": labels[-n],
        "last": labels[-1],
        "from_first": labels[0],
        "from_last": labels[-n - 1],
        "change": Quantity(found.relative_change, Unit.SIGNED),
        "p": Quantity(found.p_value, Unit.P_VALUE),
    }
    return Finding(
        rule=NAME,
        severity=Severity.FAIL if fail else Severity.WARN,
        kpi=view.kpi.id,
        segment=view.segment,
        owner=view.kpi.owner,
        says=Wording(Code.SUSTAINED, params),
        evidence={
            "recent_periods": labels[-n:],
            "before_periods": labels[:-n],
            "values": [float(v) for v in complete],
            "relative_change": found.relative_change,
            "p_value": found.p_value,
            "test": found.test,
            "alpha": settings.sustained_alpha,
        },
        todo=Wording(
            "drop.action.compare",
            {"period": labels[-1], "against": params["from_last"], "metric": view.kpi.metric},
        ),
        code=Code.SUSTAINED,
    )


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
    if move.baseline == 0:
        return Wording("drop.from_zero", {**params, "p": Quantity(move.p_value, Unit.P_VALUE)})
    if move.kind == "count":
        params["p"] = Quantity(move.p_value, Unit.P_VALUE)
        if frame.in_progress:
            return Wording("drop.count.running", {**params, "expected": move.baseline * frame.elapsed})
        return Wording("drop.count", params)
    if move.kind in ("rate", "ratio", "amount") and not (move.kind == "amount" and frame.in_progress):
        return Wording("drop.tested", {**params, "p": Quantity(move.p_value, Unit.P_VALUE)})
    if move.kind == "amount" and frame.in_progress:
        return Wording("drop.amount.running", {**params, "on_pace": move.rate})
    return Wording("drop.other", params)


def _action(view: KpiView, frame: Window, move: Move) -> Wording:
    metric = view.kpi.metric
    if move.kind == "count" and frame.in_progress and view.kpi.direction == "up":
        needed = max(move.baseline - move.current, 0.0)
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
