"""funnel_bottleneck: which stage of the funnel leaks, and how much of the KGI gap it explains.

Every stage is tested (kpi_cli.stats.funnel.significant_falls): its conversion from the stage
before against each baseline period's, one-sided at 0.05 split over the funnel's tests (Fisher's exact test, or with two
or more baseline periods the random-level test that carries the stage's month-to-month noise),
and flagged when beyond chance and at least 10 % down. The falls that pass are ranked by the
final-stage units they cost, and the first is the bottleneck: a real leak is no longer hidden by a
noisy small stage that fell more in relative terms. Fractional counts (Google Ads' 0.3
conversions) are weighted counts, never rounded. A stage whose count exceeds the stage above is
not a share (a lagged stage) and is not tested.

A stage with a `benchmark` is flagged below it only when the shortfall is beyond chance: the
binomial probability of converting this few at the benchmark rate is below the same split alpha.
Calibrated in benchmarks/calibration.py (stages at their benchmark with binomial noise; a stage
at 70 % of its benchmark).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from kpi_cli.findings import Finding, Severity
from kpi_cli.i18n import Wording
from kpi_cli.i18n.values import Quantity, Unit
from kpi_cli.lazy_pandas import pd
from kpi_cli.rules.spec import RuleSpec

if TYPE_CHECKING:
    from kpi_cli.assess import FunnelView, StageView
    from kpi_cli.rules.context import RuleContext
    from kpi_cli.stats.funnel import StageCounts, StageFall

NAME = "funnel_bottleneck"


class Code(StrEnum):
    FALL = "funnel_bottleneck.fall"
    BENCHMARK = "funnel_bottleneck.benchmark"


MIN_DROP = 0.10
ALPHA = 0.05


def evaluate(ctx: RuleContext) -> list[Finding]:
    from kpi_cli.stats.funnel import significant_falls

    if ctx.funnel is None:
        return []
    funnel = ctx.funnel
    stages = stage_counts(funnel)
    alpha = per_test_alpha(funnel, stages)
    found = [
        _below_benchmark(funnel, s, alpha) for s in funnel.stages[1:] if _under_benchmark(funnel, s, alpha)
    ]
    falls = significant_falls(stages, alpha, MIN_DROP)
    if falls:
        worst = next(s for s in funnel.stages if s.name == falls[0].name)
        found.insert(0, _bottleneck(ctx, worst, falls, alpha))
    return found


def per_test_alpha(funnel: FunnelView, stages: list[StageCounts]) -> float:
    """Bonferroni over the funnel's tests (a fall per stage, a benchmark per benchmarked stage).

    Each test alone at 0.05 let a funnel of three stages, all at their benchmarks, raise a
    finding on 10-20 % of months (benchmarks/calibration.py); split, the funnel as a whole cries
    wolf at most ALPHA of the time.
    """
    benchmarked = sum(1 for s in funnel.stages[1:] if s.benchmark is not None)
    return ALPHA / max(1, len(stages) + benchmarked)


def stage_counts(funnel: FunnelView) -> list[StageCounts]:
    """Each stage after the first with its count and the count above, now and per baseline period."""
    from kpi_cli.stats.funnel import StageCounts

    if funnel.counts is None or funnel.counts.empty:
        return []
    counts = funnel.counts
    baseline = counts.iloc[:-1].tail(len(funnel.baseline_periods))
    stages = []
    for above, stage in zip(funnel.stages, funnel.stages[1:], strict=False):
        if stage.count is None or above.count is None:
            continue
        pairs = zip(baseline[stage.name], baseline[above.name], strict=True)
        history = [(float(c), float(a)) for c, a in pairs if not (pd.isna(c) or pd.isna(a))]
        stages.append(StageCounts(stage.name, stage.count, above.count, history))
    return stages


def _above(funnel: FunnelView, stage: StageView) -> StageView:
    return funnel.stages[funnel.stages.index(stage) - 1]


def _benchmark_p(funnel: FunnelView, stage: StageView) -> float | None:
    from kpi_cli.stats.funnel import below_benchmark

    above = _above(funnel, stage).count
    if stage.benchmark is None or stage.count is None or above is None:
        return None
    return below_benchmark(stage.count, above, stage.benchmark)


def _under_benchmark(funnel: FunnelView, stage: StageView, alpha: float) -> bool:
    p = _benchmark_p(funnel, stage)
    return p is not None and p < alpha


def _bottleneck(ctx: RuleContext, stage: StageView, falls: list[StageFall], alpha: float) -> Finding:
    funnel = ctx.funnel
    assert funnel is not None
    above = _above(funnel, stage)
    recovered = _recoverable(funnel, stage)
    evidence = {
        "stage": stage.name,
        "from_stage": above.name,
        "conversion": stage.conversion,
        "baseline_conversion": stage.baseline_conversion,
        "change": stage.conversion_change,
        "baseline_periods": funnel.baseline_periods,
        "view": "snapshot",
        "in_progress": funnel.in_progress,
        "p_value": falls[0].p_value,
        "test": falls[0].test,
        "alpha": alpha,
        "other_falls": [f.name for f in falls[1:]],
        **_gap_share(ctx, recovered),
    }
    return Finding(
        rule=NAME,
        severity=Severity.WARN,
        kpi=None,
        owner=ctx.config.kgi.owner,
        says=Wording(
            Code.FALL,
            {
                "from_stage": above.name,
                "stage": stage.name,
                "conversion": Quantity(stage.conversion, Unit.RATE),
                "baseline": Quantity(stage.baseline_conversion, Unit.RATE),
                "baseline_periods": funnel.baseline_periods,
                "change": Quantity(stage.conversion_change, Unit.SIGNED),
            },
        ),
        evidence=evidence,
        todo=Wording(
            "funnel_bottleneck.fall.action",
            {
                "from_stage": above.name,
                "stage": stage.name,
                "recovered": recovered,
                # English reads "about 3 won this period"; a Japanese name is unchanged by lower().
                "final_stage": funnel.stages[-1].name.lower(),
            },
        ),
        code=Code.FALL,
    )


def _recoverable(funnel: FunnelView, stage: StageView) -> float:
    """Extra final-stage volume if this stage converted at its baseline and later stages as now."""
    final = funnel.stages[-1].count or 0.0
    if not stage.conversion or stage.baseline_conversion is None:
        return 0.0
    return final * (stage.baseline_conversion / stage.conversion - 1)


def _gap_share(ctx: RuleContext, recovered: float) -> dict[str, object]:
    """Value the recovered volume at this period's KGI per final-stage unit, as a share of the KGI gap."""
    funnel = ctx.funnel
    assert funnel is not None
    final = funnel.stages[-1]
    kgi_per_unit = ctx.data.series(ctx.config.kgi.metric, "month").get(funnel.period)
    progress = ctx.kgi.progress
    gap = (progress.expected or 0.0) - (progress.actual or 0.0)
    if not final.count or kgi_per_unit is None or gap <= 0:
        return {"recoverable_final_stage": recovered}
    value = recovered * float(kgi_per_unit) / final.count
    return {
        "recoverable_final_stage": recovered,
        "recoverable_kgi": value,
        "kgi_gap": gap,
        "kgi_gap_explained": min(value / gap, 1.0),
    }


def _below_benchmark(funnel: FunnelView, stage: StageView, alpha: float) -> Finding:
    above = _above(funnel, stage)
    return Finding(
        rule=NAME,
        severity=Severity.WARN,
        says=Wording(
            Code.BENCHMARK,
            {
                "from_stage": above.name,
                "stage": stage.name,
                "conversion": Quantity(stage.conversion, Unit.RATE),
                "benchmark": Quantity(stage.benchmark, Unit.RATE),
            },
        ),
        evidence={
            "stage": stage.name,
            "from_stage": above.name,
            "conversion": stage.conversion,
            "benchmark": stage.benchmark,
            "p_value": _benchmark_p(funnel, stage),
            "test": "binomial, one-sided",
            "alpha": alpha,
            "view": "snapshot",
        },
        code=Code.BENCHMARK,
    )


RULE = RuleSpec(name=NAME, summary=__doc__ or "", codes=Code, run=evaluate)
