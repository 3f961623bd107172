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
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from kpi_cli.config.types import Count, Number
from kpi_cli.findings import Finding, Severity
from kpi_cli.i18n import Wording
from kpi_cli.i18n.values import Quantity, Unit
from kpi_cli.lazy_pandas import np
from kpi_cli.metrics import periods
from kpi_cli.rules.spec import PerTable, RuleSettings, RuleSpec, Scope
from kpi_cli.sources.canonical import MONEY

if TYPE_CHECKING:
    from kpi_cli.assess import KpiView
    from kpi_cli.metrics.history import History
    from kpi_cli.rules.context import RuleContext
    from kpi_cli.rules.drop_baseline import Move, Window

NAME = "drop"


class Code(StrEnum):
    COUNT = "drop.count"
    RATE = "drop.rate"
    AMOUNT = "drop.amount"
    RATIO = "drop.ratio"
    SUSTAINED = "drop.sustained"


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


def evaluate(ctx: RuleContext) -> list[Finding]:
    from kpi_cli.rules.drop_quiet import Planned, quiet_views
    from kpi_cli.rules.exposure import newest_dates

    settings_of = PerTable(ctx.config, NAME, DropSettings)
    # The sources' newest dates depend on the KPI's metric and `where:` only, so all its views
    # (their copies share the `where:` mapping) ask once; the mapping is kept so its id stays its own.
    newest_of: dict[tuple[str, int], tuple[object, list[date]]] = {}
    planned: list[Planned] = []
    for view in ctx.kpis:
        settings = settings_of(view.kpi.rules)
        if settings.enabled and not view.kpi.cumulative:
            kpi = view.kpi
            key = (kpi.metric, id(kpi.where))
            if key not in newest_of or newest_of[key][0] is not kpi.where:
                columns = ctx.data.catalog.columns(kpi.metric)
                dates = newest_dates(ctx.sources, ctx.data.frame, ctx.as_of, columns, kpi.where)
                newest_of[key] = (kpi.where, dates)
            planned.append(Planned(view, settings, newest_of[key][1]))
    found: list[Finding] = []
    # The views that cannot be flagged, found for a KPI's 10,000 `--by` views at once (drop_quiet).
    for item, quiet in zip(planned, quiet_views(planned, ctx.data.catalog), strict=True):
        view, settings = item.view, item.settings
        trail = view.trail  # the window and the sustained test read its floats by position
        finding = None if quiet.judge else _judge(view, settings, ctx, item.newest, trail)
        if finding is None and not quiet.sustained:
            finding = _sustained(view, settings, trail)
        found.extend([finding] if finding else [])
    return found


def _judge(
    view: KpiView, settings: DropSettings, ctx: RuleContext, newest: list[date], trail: History
) -> Finding | None:
    from kpi_cli.rules.drop_baseline import below_warn, measure, window

    frame = window(view, settings.baseline, settings.window, newest, trail)
    if frame is None or below_warn(view, frame, settings.warn, ctx):
        return None
    move = measure(view, frame, settings.alpha, ctx)
    if move is None or not move.significant or move.adverse < settings.warn:
        return None
    if move.kind in ("ratio", "amount") and frame.in_progress and frame.elapsed < settings.min_elapsed:
        return None
    severity = Severity.FAIL if move.adverse >= settings.fail else Severity.WARN
    return _finding(view, frame, move, settings, severity)


def _short_of_target(view: KpiView, recent: list[float]) -> bool:
    """A sustained fall matters once it leaves the KPI on the wrong side of its target (or it has none).

    A KPI still above target after a fall (the sample's inquiries, 143 -> 123 against 120) is not
    worth a warning at the looser sustained alpha.
    """
    target = view.kpi.target
    if math.isnan(target):
        return True
    mean = float(np.sum(recent)) / len(recent)  # as pandas' Series.mean: the sum over the count
    return mean < target if view.kpi.direction == "up" else mean > target


def _sustained(view: KpiView, settings: DropSettings, trail: History) -> Finding | None:
    """The last complete periods together against those before (counts only; stats.shift)."""
    from kpi_cli.rules.drop_baseline import HISTORY_PERIODS, complete_positions
    from kpi_cli.stats.compare import Direction
    from kpi_cli.stats.shift import sustained_shift

    data = view.data
    if (
        data is None
        or data.catalog.columns(view.kpi.metric) & MONEY
        or not data.catalog.additive(view.kpi.metric)
    ):
        return None
    if data.catalog.proportion(view.kpi.metric) is not None:
        return None
    kept = complete_positions(view, HISTORY_PERIODS + settings.sustained_periods, trail)
    values = trail.values.tolist()
    complete = [values[i] for i in kept]
    n = min(settings.sustained_periods, len(complete))
    recent, before = complete[len(complete) - n :], complete[: len(complete) - n]
    if len(before) < 2 or not _short_of_target(view, recent):
        return None
    days = trail.day_counts()
    exposure = [days[i] for i in kept]  # each period's days, as `days(periods)` counts them
    direction = Direction(view.kpi.direction)
    # A move under half of `warn` is dropped below whatever its p: its tail is not computed.
    least = settings.warn / 2
    found = sustained_shift(
        recent, exposure[len(kept) - n :], before, exposure[: len(kept) - n], direction, least_adverse=least
    )
    if found is None or found.p_value >= settings.sustained_alpha:
        return None
    index = [trail.period(i) for i in kept]
    adverse = -found.relative_change if view.kpi.direction == "up" else found.relative_change
    if adverse < settings.warn / 2:  # half of `warn`: a two-period mean moves less than one period
        return None
    fail = adverse >= settings.fail and found.p_value < settings.alpha
    labels = [periods.label(p) for p in index]
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
            "values": complete,
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
