"""The one evaluation path behind `review`, `check` and later outputs: config -> data -> findings."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from kpi_cli.collector import collector_held
from kpi_cli.config.loader import LoadedConfig
from kpi_cli.config.models import Config, KpiConfig, SourceConfig
from kpi_cli.config.settings import effective_kpi, rule_settings
from kpi_cli.errors import DataError
from kpi_cli.findings import Finding, Verdict, overall_status, worst_first
from kpi_cli.ingest import SourceSpan, files_of, read_sources
from kpi_cli.lazy_pandas import pd
from kpi_cli.metrics import periods
from kpi_cli.rules.estimated import mark_estimated
from kpi_cli.rules.funnel_bottleneck import Code as FunnelCode
from kpi_cli.rules.pace import PaceSettings, with_counted_pace
from kpi_cli.rules.registry import run_rules
from kpi_cli.rules.snooze import apply_snoozes
from kpi_cli.sources.grain import ALWAYS_GROUPED, ByMonth, Grain
from kpi_cli.status import Dimension

# The assessment and the views are imported where they are built, after the read: a check's scan
# starts once the config is loaded (sources/prefetch.py), and they load while it runs.
if TYPE_CHECKING:
    from kpi_cli.assess import FunnelView, KgiView, KpiView
    from kpi_cli.metrics.dataset import Dataset
    from kpi_cli.metrics.formulas import Catalog
    from kpi_cli.rules.context import RuleContext


@dataclass(frozen=True)
class Review:
    """One evaluation: everything the rules read (the context) and what they found.

    Renderers read the context's figures through the properties below, so the review and the rules
    can never disagree and no field is copied from one to the other.
    """

    context: RuleContext
    findings: list[Finding]

    @property
    def config(self) -> Config:
        return self.context.config

    @property
    def as_of(self) -> date:
        return self.context.as_of

    @property
    def month(self) -> pd.Period:
        return self.context.month

    @property
    def kgi(self) -> KgiView:
        return self.context.kgi

    @property
    def kpis(self) -> list[KpiView]:
        return self.context.kpis

    @property
    def funnel(self) -> FunnelView | None:
        return self.context.funnel

    @property
    def bottleneck(self) -> str | None:
        """The stage the funnel rule names as the bottleneck, if it names one.

        The funnel table marks this stage: it used to mark the largest relative fall of its own,
        which named a stage (Deals on the SaaS sample, 20 of 50 against 58 %) the rule had found
        within chance, so the table and the findings disagreed.
        """
        said = next((f for f in self.findings if f.code == FunnelCode.FALL), None)
        return None if said is None else str(said.evidence["stage"])

    @property
    def sources(self) -> list[SourceSpan]:
        return self.context.sources

    @property
    def status(self) -> Verdict:
        return overall_status(self.findings)

    @property
    def in_progress(self) -> bool:
        return periods.in_progress(self.month, self.as_of)


def read_checked(loaded: LoadedConfig, grain: Grain, *, unmapped_sums: bool = False) -> list[SourceSpan]:
    """Every source read at `grain` (read_grain), and every metric the config needs found in one of them."""
    spans = read_sources(loaded, grain, unmapped_sums=unmapped_sums)
    from kpi_cli.verify import check_filters, check_metrics_present  # after: the scan runs first

    check_metrics_present(loaded, spans)
    check_filters(loaded, spans)
    return spans


def read_grain(
    loaded: LoadedConfig,
    by: str | None = None,
    *,
    unmapped_sums: bool = False,
    views: bool = False,
    as_of: date | None = None,
) -> Grain:
    """What each export is read at: the dimensions the review uses, and `by` summed by month when
    the caller judges each `by` value's views (check, review) as of `as_of` (None: the newest row)
    and only monthly sums are read of them (`months_suffice`, from one file)."""
    used = dimensions_used(loaded.config, by)
    monthly = by if views and by and not unmapped_sums and months_suffice(loaded.config, by) else None
    if monthly is not None and not _one_file(loaded):
        monthly = None
    return Grain(used, monthly, as_of)


def _one_file(loaded: LoadedConfig) -> bool:
    """The one source names one file. Decided before the read: two files' months would be summed
    in another order than their day rows (and overlapping days are dropped by day)."""
    source = loaded.config.sources[0]
    try:
        return isinstance(source, SourceConfig) and len(files_of(loaded.base_dir, source)) == 1
    except DataError:  # no file: the read says so, in its turn
        return False


def dimensions_used(config: Config, by: str | None = None) -> set[str]:
    """What the review groups or filters by: event and SQL sources aggregate to these (and the day)
    only, since every other dimension multiplies the rows that come back from the engine."""
    used = {by} if by else set()
    for kpi in config.kpis:
        used |= {str(key) for key in kpi.where if key != "source"}
        if kpi.segments is not None:
            used.add(Dimension.SEGMENT)
    return used


def months_suffice(config: Config, by: str) -> bool:
    """Every view of a `by` value reads only its monthly sums: no rule or figure needs its days.

    A monthly, non-cumulative KPI is judged on its trail of monthly sums (its status, pace, trend,
    drop, stalled, freshness, forecast): a per-value view reads its rows only for a weekly or daily
    period (sums by week or day), a cumulative KPI (a total between two days), a `where:` (rows
    filtered by another dimension) or prorated rows (a columnar read has none). What reads days
    (the newest date per source, counted pace, coverage, the KGI and funnel) reads the day rows of
    every value together, which keep every other dimension. One file of one source, untagged by
    `by`: rows from two files would be summed by month in another order than the day rows' sum.
    """
    if len(config.sources) != 1 or by in dimensions_used(config) or by in ALWAYS_GROUPED:
        return False
    source = config.sources[0]
    if not isinstance(source, SourceConfig) or getattr(source, by, None) is not None or by in source.patterns:
        return False
    stages = config.funnel.stages if config.funnel else []
    kpis_monthly = all(k.period == "month" and not k.cumulative and not k.where for k in config.kpis)
    return kpis_monthly and not any(by in stage.where for stage in stages)


def by_month(spans: list[SourceSpan] | None, by: str | None) -> ByMonth | None:
    """The one export's monthly sums of `by`, when read so (read_checked)."""
    found = [e.by_month for span in spans or [] for e in span.exports if e.by_month is not None]
    return found[0] if len(found) == 1 and by is not None and found[0].dimension == by else None


def evaluate_rules(ctx: RuleContext) -> list[Finding]:
    """Every rule, figures on prorated rows marked estimated, then the config's snoozes, worst first."""
    with collector_held():  # a rule's pass over 40,000 `--by` views makes no cycles
        return worst_first(apply_snoozes(mark_estimated(run_rules(ctx), ctx), ctx.config, ctx.as_of))


def build_context(
    config: Config,
    catalog: Catalog,
    frame: pd.DataFrame,
    as_of: date,
    month: pd.Period | None = None,
    by: str | None = None,
    spans: list[SourceSpan] | None = None,
    *,
    judge_counts: bool = True,
) -> RuleContext:
    """Everything the rules read, computed once from the canonical rows.

    `judge_counts` judges running counts against their own noise (pace.with_counted_pace, which
    loads scipy); `kpi validate`, which runs only the lint, leaves it out.
    """
    from kpi_cli.assess import assess_funnel, assess_kgi
    from kpi_cli.metrics.dataset import Dataset
    from kpi_cli.rules.context import RuleContext

    data = Dataset.build(frame, catalog, as_of, by_month(spans, by))
    month = month if month is not None else periods.period_of(as_of, "month")
    with collector_held():  # 40,000 `--by` views and their histories: no cycles among them
        kpis = [view for kpi in config.kpis for view in _views(config, kpi, data, month, by)]
    if judge_counts:  # counts: on the days the data covers, against their own noise
        kpis = [with_counted_pace(view, spans or [], frame) for view in kpis]
    funnel = assess_funnel(config.funnel, data, month) if config.funnel else None
    return RuleContext(config, data, as_of, month, assess_kgi(config, data), kpis, funnel, spans or [])


def _views(config: Config, kpi: KpiConfig, data: Dataset, month: pd.Period, by: str | None) -> list[KpiView]:
    """The KPI overall, then once per segment (or --by dimension value) it is read by."""
    from kpi_cli.assess import assess_kpi, with_target
    from kpi_cli.assess_parts import assess_parts

    data = data.matching(kpi.where)
    views = [assess_kpi(config, kpi, data, month, None)]
    dimension = Dimension(by) if by else (Dimension.SEGMENT if kpi.segments is not None else None)
    if dimension is None:
        return views
    listed = dimension is Dimension.SEGMENT and isinstance(kpi.segments, list)
    wanted = kpi.segments if listed and isinstance(kpi.segments, list) else data.values(dimension)
    parts = data.split(dimension)  # one grouped pass, not one filter of every row per value
    pace = rule_settings(config, kpi.rules, "pace", PaceSettings)  # once for the KPI's 10,000 views
    effective = effective_kpi(config, kpi, data.as_of)  # and its pivots, looked up once
    copies: dict[object, KpiConfig] = {}  # one copy per segment target (NaN: none), not per value

    def targeted(value: str) -> KpiConfig:
        target = effective.segment_targets.get(value, math.nan)
        key = "none" if math.isnan(target) else target
        if key not in copies:
            copies[key] = with_target(effective, target)
        return copies[key]

    # Each value's view at once where the split's monthly sums serve (assess_parts), else one by one.
    at_once = assess_parts(effective, data, month, dimension, pace, wanted, targeted)
    return views + [
        at_once[v]
        if v in at_once
        else assess_kpi(config, kpi, parts.get(v) or data.empty(), month, v, dimension, pace, targeted(v))
        for v in wanted
    ]
