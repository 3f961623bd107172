"""Back-calculation (逆算): the monthly volume each funnel stage needs to reach the KGI by its deadline.

Every rate is a ratio of sums over the window, never a mean of monthly ratios, so a small month
weighs as little as it should.

- window: the N complete calendar months before as_of's month (`--window`, default 3). Months of
  the window with no data (before the first export) are left out, not counted as zero.
- actual KGI: the KGI metric summed from kgi.start to min(as_of, deadline), 0 before any data.
  remaining = target - actual, floored at 0 (a KGI already reached needs nothing more).
- remaining months: from the day after as_of (or kgi.start, if later) to the deadline inclusive,
  each calendar month counts for (its days inside that span) / (days in the month). The as_of day
  itself counts as done, as in `periods.elapsed_fraction`. As of 2026-11-20 with a deadline of
  2026-12-31: 10/30 + 31/31 = 1.333 months.
- anchor: the last stage measuring the KGI metric itself (value per unit 1), else the last stage.
  value per unit = KGI metric / anchor count over the window (e.g. revenue per won customer).
- conversion into stage i = count(i) / count(i-1) over the window (observed), or the stage's
  `benchmark` when planned rates are asked for (planned). The first stage has none.
- needed per month: anchor = remaining / value per unit / remaining months;
  stage i-1 = needed(i) / conversion(i), walking back from the anchor. Stages after the anchor do not
  lead to the KGI and get no need.
- actual per month = the stage's count over the window / the window months in which it was measured.
  gap = needed - actual; gap ratio = needed / actual. With observed rates the gap ratio is the same
  at every stage (the rates are read off the same sums), so the plan says "scale the funnel by x" or
  "lift a rate"; planned rates are where the stages differ.
- run rate: as_of's month so far / the share of its days elapsed, to see whether the current month
  already moves toward the need.
- undefined (None, with a note): every need above a zero or unknown conversion, every need when no
  time is left before the deadline or no value per unit was observed. A KGI already reached needs 0.
- KPI check: a KPI of the config on the stage's metric with a monthly, non-cumulative, upward target
  (its latest recorded decision applied) is consistent with the goal when target >= needed.

This is a steady-state plan: conversions are read within the same months, so a sales cycle longer
than a month is not lagged, and volume added upstream now reaches the KGI only after that cycle.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from kpi_cli.config.models import Config, FunnelStage, KgiConfig
from kpi_cli.config.settings import effective_kpi
from kpi_cli.errors import ConfigError
from kpi_cli.i18n import Wording
from kpi_cli.lazy_pandas import pd
from kpi_cli.metrics import periods
from kpi_cli.metrics.dataset import Dataset
from kpi_cli.numbers import ratio

Source = Literal["observed", "planned"]
State = Literal["open", "reached", "deadline_passed"]


@dataclass(frozen=True)
class PlanOptions:
    window: int = 3
    use_benchmarks: bool = False


@dataclass(frozen=True)
class KpiCheck:
    """The KPI that measures a stage, and whether its monthly target covers what the goal needs."""

    id: str
    target: float
    needed: float | None

    @property
    def consistent(self) -> bool | None:
        if self.needed is None:
            return None
        return self.target >= self.needed or math.isclose(self.target, self.needed, rel_tol=1e-9)


@dataclass(frozen=True)
class StagePlan:
    name: str
    metric: str
    conversion: float | None
    conversion_source: Source | None
    observed_conversion: float | None
    needed_per_month: float | None
    actual_per_month: float | None
    run_rate: float | None
    kpi: KpiCheck | None

    @property
    def gap(self) -> float | None:
        if self.needed_per_month is None or self.actual_per_month is None:
            return None
        return self.needed_per_month - self.actual_per_month

    @property
    def gap_ratio(self) -> float | None:
        return ratio(self.needed_per_month, self.actual_per_month)


@dataclass(frozen=True)
class KgiPlan:
    name: str
    metric: str
    target: float
    actual: float
    deadline: date
    remaining_months: float
    value_per_unit: float | None
    anchor: str
    actual_per_month: float | None
    run_rate: float | None

    @property
    def remaining(self) -> float:
        return max(self.target - self.actual, 0.0)

    @property
    def state(self) -> State:
        if self.remaining == 0:
            return "reached"
        return "deadline_passed" if self.remaining_months == 0 else "open"

    @property
    def needed_per_month(self) -> float | None:
        if self.state == "reached":
            return 0.0
        return ratio(self.remaining, self.remaining_months)


@dataclass(frozen=True)
class Plan:
    name: str
    as_of: date
    window: tuple[pd.Period, pd.Period]
    window_months: int
    use_benchmarks: bool
    kgi: KgiPlan
    stages: list[StagePlan]
    notes: list[Wording]  # worded at render time, in the reader's language


def build_plan(config: Config, data: Dataset, options: PlanOptions) -> Plan:
    stages = _checked_stages(config, data)
    sums = _window_sums(data, options.window)
    counts = [data.catalog.compute(s.metric, sums) for s in stages]
    kgi_series = data.catalog.compute(config.kgi.metric, sums)
    anchor = _anchor(stages, config.kgi.metric)
    value = 1.0 if stages[anchor].metric == config.kgi.metric else _paired_ratio(kgi_series, counts[anchor])
    kgi = _kgi_plan(config.kgi, data, stages[anchor].name, value, _monthly(kgi_series))
    plans = _stage_plans(config, data, options, stages, counts, _anchor_need(kgi), anchor)
    measured = int(pd.concat([kgi_series, *counts], axis=1).notna().any(axis=1).sum())
    notes = _notes(config, data.as_of, options, kgi, plans, anchor, measured)
    window = (sums.index[0], sums.index[-1])
    return Plan(config.name, data.as_of, window, measured, options.use_benchmarks, kgi, plans, notes)


def _checked_stages(config: Config, data: Dataset) -> list[FunnelStage]:
    """What the config must hold for a plan; the options (`--window`) are checked by the command."""
    if config.funnel is None:
        raise ConfigError.said("error.plan.no_funnel", config=config.name)
    if not data.catalog.additive(config.kgi.metric):
        raise ConfigError.said("error.plan.ratio_kgi", metric=config.kgi.metric)
    return config.funnel.stages


def _stage_plans(
    config: Config,
    data: Dataset,
    options: PlanOptions,
    stages: list[FunnelStage],
    counts: list[pd.Series],
    anchor_need: float | None,
    anchor: int,
) -> list[StagePlan]:
    observed = [None, *(_paired_ratio(below, above) for above, below in itertools.pairwise(counts))]
    conversions, sources = _conversions(stages, observed, options.use_benchmarks)
    needs = _needs(anchor_need, conversions, anchor)
    return [
        StagePlan(
            name=s.name,
            metric=s.metric,
            conversion=conversions[i],
            conversion_source=sources[i],
            observed_conversion=observed[i],
            needed_per_month=needs[i],
            actual_per_month=_monthly(counts[i]),
            run_rate=_run_rate(data, s.metric),
            kpi=_kpi_check(config, s.metric, data.as_of, needs[i]),
        )
        for i, s in enumerate(stages)
    ]


def remaining_months(as_of: date, start: date, deadline: date) -> float:
    """Calendar months left after as_of (or from start) to the deadline, part months pro rata by days."""
    first = max(as_of + timedelta(days=1), start)
    if first > deadline:
        return 0.0
    total = 0.0
    for month in periods.periods_between(first, deadline, "month"):
        inside = (min(deadline, periods.last_day(month)) - max(first, periods.first_day(month))).days + 1
        total += inside / periods.days_in(month)
    return total


def _window_sums(data: Dataset, window: int) -> pd.DataFrame:
    """Period sums of the N complete months before as_of's month (the running month is partial)."""
    current = periods.period_of(data.as_of, "month")
    months = pd.period_range(current - window, current - 1, freq=periods.FREQ["month"])
    return data.sums("month").reindex(months)


def _anchor(stages: list[FunnelStage], kgi_metric: str) -> int:
    """The stage where the KGI is earned: the one measuring the KGI metric itself, else the last."""
    matches = [i for i, s in enumerate(stages) if s.metric == kgi_metric]
    return matches[-1] if matches else len(stages) - 1


def _kgi_plan(
    kgi: KgiConfig, data: Dataset, anchor: str, value_per_unit: float | None, per_month: float | None
) -> KgiPlan:
    as_of = data.as_of
    actual = data.total(kgi.metric, kgi.start, min(as_of, kgi.deadline)) if as_of >= kgi.start else 0.0
    return KgiPlan(
        name=kgi.name,
        metric=kgi.metric,
        target=kgi.target,
        # Nothing recorded between start and as_of is nothing earned yet, for a flow like revenue.
        actual=0.0 if math.isnan(actual) else actual,
        deadline=kgi.deadline,
        remaining_months=remaining_months(as_of, kgi.start, kgi.deadline),
        value_per_unit=value_per_unit,
        anchor=anchor,
        actual_per_month=per_month,
        run_rate=_run_rate(data, kgi.metric),
    )


def _run_rate(data: Dataset, metric: str) -> float | None:
    """As_of's month so far, scaled to the whole month, so it compares with monthly needs and averages."""
    month = periods.period_of(data.as_of, "month")
    so_far = data.series(metric, "month").get(month)
    if so_far is None or pd.isna(so_far):
        return None
    # Only a flow grows with the days; a rate so far is already a whole-month estimate.
    elapsed = periods.elapsed_fraction(month, data.as_of) if data.catalog.additive(metric) else 1.0
    return float(so_far) / elapsed


def _conversions(
    stages: list[FunnelStage], observed: list[float | None], use_benchmarks: bool
) -> tuple[list[float | None], list[Source | None]]:
    """The rate each stage is planned at: its planned_conversion, else its benchmark when asked for,
    else what was observed."""
    rates: list[float | None] = [None]
    sources: list[Source | None] = [None]
    for stage, seen in zip(stages[1:], observed[1:], strict=True):
        planned = stage.planned_conversion
        if planned is None and use_benchmarks:
            planned = stage.benchmark
        rates.append(seen if planned is None else planned)
        sources.append("observed" if planned is None else "planned")
    return rates, sources


def _anchor_need(kgi: KgiPlan) -> float | None:
    if kgi.state == "reached":
        return 0.0
    if kgi.value_per_unit is None or kgi.value_per_unit <= 0:
        return None
    return ratio(kgi.remaining / kgi.value_per_unit, kgi.remaining_months)


def _needs(anchor_need: float | None, conversions: list[float | None], anchor: int) -> list[float | None]:
    """Walk back from the anchor: to get `need` out of a stage converting at r, feed it need / r."""
    needs: list[float | None] = [None] * len(conversions)
    needs[anchor] = anchor_need
    for i in range(anchor, 0, -1):
        needs[i - 1] = _upstream(needs[i], conversions[i])
    return needs


def _upstream(need: float | None, conversion: float | None) -> float | None:
    if need is None:
        return None
    if need == 0:
        return 0.0  # nothing left to reach: no volume is needed whatever the rate
    if not conversion:
        return None  # a zero or unknown rate: no upstream volume is enough, so the need is undefined
    return need / conversion


def _kpi_check(config: Config, metric: str, as_of: date, needed: float | None) -> KpiCheck | None:
    """Only a monthly upward target is comparable with a monthly need; the primary KPI wins a tie."""
    candidates = [
        effective_kpi(config, k, as_of)
        for k in config.kpis
        if k.metric == metric and k.period == "month" and not k.cumulative and k.direction == "up"
    ]
    if not candidates:
        return None
    kpi = max(candidates, key=lambda k: k.primary)
    return KpiCheck(kpi.id, kpi.target, needed)


def _notes(
    config: Config,
    as_of: date,
    options: PlanOptions,
    kgi: KgiPlan,
    stages: list[StagePlan],
    anchor: int,
    measured: int,
) -> list[Wording]:
    notes = _kgi_notes(config.kgi, as_of, kgi)
    if measured < options.window:
        notes.append(Wording("plan.note.partial_window", {"measured": measured, "window": options.window}))
    if kgi.state == "open" and (kgi.value_per_unit is None or kgi.value_per_unit <= 0):
        notes.append(Wording("plan.note.no_value", {"metric": kgi.metric, "anchor": kgi.anchor}))
    notes += _conversion_notes(stages, anchor, options.use_benchmarks)
    after = [s.name for s in stages[anchor + 1 :]]
    if after:
        notes.append(Wording("plan.note.after_anchor", {"stages": after, "anchor": kgi.anchor}))
    return notes


def _kgi_notes(kgi: KgiConfig, as_of: date, plan: KgiPlan) -> list[Wording]:
    if plan.state == "reached":
        return [Wording("plan.note.reached", {"actual": plan.actual, "target": plan.target})]
    if plan.state == "deadline_passed":
        params = {"deadline": kgi.deadline, "as_of": as_of, "missing": plan.remaining}
        return [Wording("plan.note.no_time", params)]
    if as_of < kgi.start:
        return [Wording("plan.note.starts", {"start": kgi.start})]
    return []


def _conversion_notes(stages: list[StagePlan], anchor: int, use_benchmarks: bool) -> list[Wording]:
    notes = []
    unplanned = [s.name for s in stages[1 : anchor + 1] if s.conversion_source == "observed"]
    if use_benchmarks and unplanned:
        notes.append(Wording("plan.note.no_benchmark", {"stages": unplanned}))
    for stage, above in zip(stages[1 : anchor + 1], stages[:anchor], strict=True):
        if stage.needed_per_month and not stage.conversion:
            key = "plan.note.zero_conversion" if stage.conversion == 0 else "plan.note.no_conversion"
            notes.append(Wording(key, {"above": above.name, "stage": stage.name}))
    return notes


def _paired_ratio(numerator: pd.Series, denominator: pd.Series) -> float | None:
    """Sum over the months where both were measured, so a stage tracked from a later month is fair."""
    both = numerator.notna() & denominator.notna()
    return ratio(float(numerator[both].sum()), float(denominator[both].sum())) if both.any() else None


def _monthly(series: pd.Series) -> float | None:
    return None if series.isna().all() else float(series.mean())
