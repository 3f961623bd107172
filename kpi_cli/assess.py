"""Numbers first: each KPI, the KGI and the funnel measured for the period under review.

Rules turn these assessments into findings; renderers show them. Computing them once here keeps
the KPI table, the JSON and every rule on the same figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property, lru_cache

from kpi_cli.config.models import Checkin, Config, FunnelConfig, FunnelStage, KgiConfig, KpiConfig
from kpi_cli.config.settings import effective_kpi, latest_checkin, rule_settings
from kpi_cli.lazy_pandas import np, pd
from kpi_cli.metrics import periods
from kpi_cli.metrics.cohort import CohortView, assess_cohort
from kpi_cli.metrics.dataset import Dataset
from kpi_cli.metrics.history import History
from kpi_cli.metrics.progress import Progress, expected_share, judge
from kpi_cli.numbers import ratio
from kpi_cli.rules.pace import PaceSettings as PaceRule
from kpi_cli.status import Dimension, Status


@dataclass(frozen=True)
class KpiView:
    kpi: KpiConfig
    segment: str | None
    period: pd.Period
    progress: Progress
    # The metric per period up to the reviewed one, as arrays (the Series: `history`).
    trail: History
    as_of: date
    checkin: Checkin | None = None
    dimension: Dimension | None = None  # what `segment` is a value of
    data: Dataset | None = field(default=None, compare=False, repr=False)  # the rows behind this view
    # Share of `actual` from prorated rows (`split: prorata`); None when no such row is behind it.
    estimated: float | None = None
    # `complete_values` when the builder has it at hand (assess_parts: every view of a KPI at
    # once), so the rules that read it on 40,000 views do not work it out view by view.
    complete: np.ndarray | None = field(default=None, compare=False, repr=False)

    @property
    def status(self) -> Status:
        return Status(self.progress.status)

    @property
    def is_rate(self) -> bool:
        return self.data is not None and self.data.catalog.proportion(self.kpi.metric) is not None

    @property
    def confidence_disagrees(self) -> bool:
        """The owner's latest check-in says otherwise than the numbers (met counts as on track).
        Only an overall view has a check-in: the 40,000 `--by` views answer without the status."""
        if self.checkin is None:
            return False
        said = self.status.confidence
        return said is not None and said != self.checkin.confidence

    @property
    def days_to_review(self) -> int | None:
        return None if self.kpi.review_by is None else (self.kpi.review_by - self.as_of).days

    @cached_property
    def history(self) -> pd.Series:
        """The metric per period up to the reviewed one, built on first read: most rules read
        `trail`'s floats, and a Series for each of 40,000 `--by campaign` views cost 3 s."""
        return self.trail.series

    @cached_property  # read by several rules per view: 40,000 views under `--by campaign`
    def complete_history(self) -> pd.Series:
        """The history without a period still running at as_of (its partial number reads as a fall)."""
        history = self.history
        if len(history) and periods.in_progress(history.index[-1], self.as_of):
            history = history.iloc[:-1]
        return history

    @property
    def complete_values(self) -> np.ndarray:
        """`complete_history`'s values as floats (NaN for no data), without slicing the Series:
        read per view by freshness, which finds most of 40,000 views not stale from them alone."""
        return self.complete if self.complete is not None else self._complete_values

    @cached_property
    def _complete_values(self) -> np.ndarray:
        values = self.trail.values
        return values[:-1] if self.trail.running_last(self.as_of) else values

    @property
    def period_label(self) -> str:
        return "cumulative" if self.kpi.cumulative else periods.label(self.period)


@dataclass(frozen=True)
class KgiView:
    kgi: KgiConfig
    progress: Progress
    history: pd.Series
    estimated: float | None = None  # as on KpiView: the share of `actual` from prorated rows

    @property
    def share_of_target(self) -> float | None:
        actual = self.progress.actual
        return None if actual is None or not self.kgi.target else actual / self.kgi.target


@dataclass(frozen=True)
class StageView:
    name: str
    metric: str
    count: float | None
    previous: float | None
    conversion: float | None
    baseline_conversion: float | None
    benchmark: float | None
    elapsed: float = 1.0
    estimated: float | None = None  # as on KpiView: the share of `count` from prorated rows

    @property
    def conversion_change(self) -> float | None:
        """Relative change of the conversion against the baseline periods (-0.3 = fell by 30 %)."""
        if self.conversion is None or not self.baseline_conversion:
            return None
        return self.conversion / self.baseline_conversion - 1

    @property
    def count_change(self) -> float | None:
        """Against the previous period; a running period is compared at its run rate."""
        if self.count is None or not self.previous or not self.elapsed:
            return None
        return self.count / self.elapsed / self.previous - 1


@dataclass(frozen=True)
class FunnelView:
    period: pd.Period
    in_progress: bool
    stages: list[StageView]
    baseline_periods: list[str]
    cohort: CohortView | None = None
    # Each stage's count per month up to the reviewed one (the last row): the funnel rule tests
    # every stage against its baseline periods one by one (issue 9), not the pooled conversion.
    counts: pd.DataFrame | None = field(default=None, compare=False, repr=False)


def assess_kpi(
    config: Config,
    kpi: KpiConfig,
    data: Dataset,
    month: pd.Period,
    segment: str | None,
    dimension: Dimension | None = None,
    pace: PaceRule | None = None,
    effective: KpiConfig | None = None,
) -> KpiView:
    """`pace` and `effective` (the KPI after its latest pivot: `effective_kpi`): the KPI's pace
    settings and pivoted config, when the caller has them (the same for all its views)."""
    pace = pace if pace is not None else rule_settings(config, kpi.rules, "pace", PaceRule)
    effective = effective if effective is not None else effective_kpi(config, kpi, data.as_of)
    view = _assess(config, effective, data, month, segment, pace, dimension)
    if segment is None:
        return replace(view, checkin=latest_checkin(config, kpi.id, data.as_of))
    return view


def _assess(
    config: Config,
    kpi: KpiConfig,
    data: Dataset,
    month: pd.Period,
    segment: str | None,
    pace: PaceRule,
    dimension: Dimension | None,
) -> KpiView:
    if segment is not None:
        kpi = with_target(kpi, kpi.segment_targets.get(segment, math.nan))
    if kpi.cumulative:
        return _cumulative(config, kpi, data, segment, pace, dimension)
    period = _kpi_period(kpi, month, data.as_of)
    history = data.trail(kpi.metric, kpi.period).up_to(period)
    actual = history.last_at(period)
    running, elapsed = period_timing(period, data.as_of)
    scale = elapsed if (running and data.catalog.additive(kpi.metric)) else 1.0
    progress = judge(
        actual,
        kpi.target,
        kpi.target * scale,
        direction=kpi.direction,
        in_progress=running,
        elapsed=elapsed,
        pace=pace,
    )
    estimated = data.estimated_share(kpi.metric, kpi.period, period)
    return KpiView(
        kpi,
        segment,
        period,
        progress,
        history,
        data.as_of,
        dimension=dimension,
        data=data,
        estimated=estimated,
    )


@lru_cache(maxsize=1024)
def period_timing(period: pd.Period, as_of: date) -> tuple[bool, float]:
    """Whether the period is running at as_of, and its elapsed share: the same for every view of
    a KPI (10,000 under `--by campaign`), ~3 us a view to compute from the period's days."""
    return periods.in_progress(period, as_of), periods.elapsed_fraction(period, as_of)


def with_target(kpi: KpiConfig, target: float) -> KpiConfig:
    """The KPI judged against `target` (a segment's); itself when that is its target already (a
    caller may hand every view of a `--by` review one copy per target, not 10,000 copies)."""
    if type(kpi.target) is type(target) and _same_float(kpi.target, target):
        return kpi
    return kpi.model_copy(update={"target": target})


def _same_float(a: float, b: float) -> bool:
    """Equal as the JSON prints them: NaN is NaN, and 0.0 is not -0.0."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def _kpi_period(kpi: KpiConfig, month: pd.Period, as_of: date) -> pd.Period:
    """Weekly and daily KPIs are judged on their period that ends the reviewed month (or as_of)."""
    if kpi.period == "month":
        return month
    return periods.period_of(min(as_of, periods.last_day(month)), kpi.period)


def _cumulative(
    config: Config,
    kpi: KpiConfig,
    data: Dataset,
    segment: str | None,
    pace: PaceRule,
    dimension: Dimension | None,
) -> KpiView:
    start = kpi.start or config.kgi.start
    deadline = kpi.deadline or config.kgi.deadline
    progress = _span_progress(data, kpi.metric, kpi.target, start, deadline, kpi.direction, pace)
    history = data.trail(kpi.metric, kpi.period)
    period = periods.period_of(data.as_of, kpi.period)
    estimated = data.estimated_share_between(kpi.metric, start, min(data.as_of, deadline))
    return KpiView(
        kpi,
        segment,
        period,
        progress,
        history,
        data.as_of,
        dimension=dimension,
        data=data,
        estimated=estimated,
    )


def assess_kgi(config: Config, data: Dataset) -> KgiView:
    kgi = config.kgi
    pace = rule_settings(config, kgi.rules, "pace", PaceRule)
    progress = _span_progress(data, kgi.metric, kgi.target, kgi.start, kgi.deadline, "up", pace)
    estimated = data.estimated_share_between(kgi.metric, kgi.start, min(data.as_of, kgi.deadline))
    return KgiView(kgi, progress, data.series(kgi.metric, "month"), estimated)


def _span_progress(
    data: Dataset, metric: str, target: float, start: date, deadline: date, direction: str, pace: PaceRule
) -> Progress:
    """Actual from start to as_of against the share of the target expected by as_of."""
    as_of = data.as_of
    actual = data.total(metric, start, min(as_of, deadline)) if as_of >= start else 0.0
    share = expected_share(start, deadline, as_of, pace, target)
    running = as_of < deadline
    return judge(
        None if math.isnan(actual) else actual,
        target,
        target * share,
        direction=direction,
        in_progress=running,
        elapsed=periods.span_fraction(start, deadline, as_of),
        pace=pace,
    )


def assess_funnel(funnel: FunnelConfig, data: Dataset, month: pd.Period) -> FunnelView:
    sums = data.sums("month").loc[:month]
    counts = pd.DataFrame({s.name: _stage_counts(s, data, sums.index) for s in funnel.stages})
    baseline = counts.iloc[:-1].tail(funnel.baseline_periods)
    elapsed = periods.elapsed_fraction(month, data.as_of)
    stages = [
        replace(_stage(funnel, i, counts, baseline, elapsed), estimated=_stage_estimated(s, data, month))
        for i, s in enumerate(funnel.stages)
    ]
    running = periods.in_progress(month, data.as_of)
    cohort = assess_cohort(funnel, data.frame, month)
    return FunnelView(month, running, stages, [periods.label(p) for p in baseline.index], cohort, counts)


def _stage_counts(stage: FunnelStage, data: Dataset, months: pd.Index) -> pd.Series:
    """The stage's metric per month, over only the rows its `where:` selects (all rows without one)."""
    rows = data.matching(stage.where) if stage.where else data
    return data.catalog.compute(stage.metric, rows.sums("month")).reindex(months)


def _stage_estimated(stage: FunnelStage, data: Dataset, month: pd.Period) -> float | None:
    """The share of the stage's count from prorated rows (`split: prorata`), None when none is."""
    rows = data.matching(stage.where) if stage.where else data
    return rows.estimated_share(stage.metric, "month", month)


def _stage(
    funnel: FunnelConfig, index: int, counts: pd.DataFrame, baseline: pd.DataFrame, elapsed: float
) -> StageView:
    stage = funnel.stages[index]
    column = counts[stage.name]
    count = _value(column, counts.index[-1])
    previous = _value(column, counts.index[-2]) if len(counts) > 1 else None
    conversion = baseline_conversion = None
    if index > 0:
        above = funnel.stages[index - 1].name
        conversion = ratio(count, _value(counts[above], counts.index[-1]))
        baseline_conversion = ratio(_sum(baseline[stage.name]), _sum(baseline[above]))
    return StageView(
        stage.name, stage.metric, count, previous, conversion, baseline_conversion, stage.benchmark, elapsed
    )


def _value(series: pd.Series, key: pd.Period) -> float | None:
    value = series.get(key)
    return None if value is None or pd.isna(value) else float(value)


def _sum(series: pd.Series) -> float | None:
    return None if series.isna().all() else float(series.sum())
