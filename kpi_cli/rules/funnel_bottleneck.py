"""funnel_bottleneck: which stage of the funnel leaks, and how much of the KGI gap it explains.

A stage is flagged when its conversion from the stage before fell against the baseline periods by
at least `min_drop` and, where it is a true share (count <= count above), the fall is beyond chance:
the Wilson interval of this period's conversion lies wholly below the baseline conversion.
"""

from __future__ import annotations

from enum import StrEnum

from kpi_cli.assess import FunnelView, StageView
from kpi_cli.findings import Finding, Severity
from kpi_cli.i18n import Wording
from kpi_cli.i18n.values import Quantity, Unit
from kpi_cli.rules.context import RuleContext
from kpi_cli.rules.spec import RuleSpec

NAME = "funnel_bottleneck"


class Code(StrEnum):
    FALL = "funnel_bottleneck.fall"
    BENCHMARK = "funnel_bottleneck.benchmark"


MIN_DROP = 0.10
CONFIDENCE = 0.95


def evaluate(ctx: RuleContext) -> list[Finding]:
    if ctx.funnel is None:
        return []
    found = [_below_benchmark(ctx.funnel, s) for s in ctx.funnel.stages[1:] if _under_benchmark(s)]
    worst = ctx.funnel.bottleneck
    if worst is not None and _significant_fall(ctx.funnel, worst):
        found.insert(0, _bottleneck(ctx, worst))
    return found


def wilson_upper(successes: float, trials: float, confidence: float = CONFIDENCE) -> float:
    from scipy import stats  # on use: loading the config (`kpi validate`) imports this module

    interval = stats.binomtest(round(successes), round(trials)).proportion_ci(
        confidence_level=confidence, method="wilson"
    )
    return float(interval.high)


def _above(funnel: FunnelView, stage: StageView) -> StageView:
    return funnel.stages[funnel.stages.index(stage) - 1]


def _significant_fall(funnel: FunnelView, stage: StageView) -> bool:
    change = stage.conversion_change
    if change is None or change > -MIN_DROP:
        return False
    above = _above(funnel, stage)
    if stage.count is None or not above.count or stage.count > above.count:
        return True  # not a share (lagged stage): the relative fall alone has to speak
    assert stage.baseline_conversion is not None
    return wilson_upper(stage.count, above.count) < stage.baseline_conversion


def _under_benchmark(stage: StageView) -> bool:
    return stage.benchmark is not None and stage.conversion is not None and stage.conversion < stage.benchmark


def _bottleneck(ctx: RuleContext, stage: StageView) -> Finding:
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


def _below_benchmark(funnel: FunnelView, stage: StageView) -> Finding:
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
            "view": "snapshot",
        },
        code=Code.BENCHMARK,
    )


RULE = RuleSpec(name=NAME, summary=__doc__ or "", codes=Code, run=evaluate)
