"""Funnel: test every stage's conversion, then rank the falls that are beyond chance.

Each stage's conversion (count / count of the stage above) this period is compared with the
pooled baseline conversion by a one-sided two-sample test:
- whole counts and no usable history: Fisher's exact test on the 2x2 table;
- otherwise (fractional counts such as Google Ads' 0.3 conversions, or a history of at least two
  baseline periods to estimate month-to-month noise from): the random-level test on the
  proportion of compare.compare_shares, which takes real-valued counts as they are.
A fractional count is thus never rounded into a different test: it is a weighted count.
A stage whose count exceeds the stage above (a lagged stage, not a share) is not tested.

Significant falls are ranked by the final-stage units they cost: (baseline - current conversion)
x stage-above count x the product of the later stages' current conversions. So a real leak of
300 -> 210 out of 1,000 outranks a noisy 4 -> 1, whatever their relative falls.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kpi_cli.lazy_scipy import special, stats
from kpi_cli.stats.compare import Direction, compare_shares


@dataclass(frozen=True)
class StageCounts:
    """A stage's count and its upstream count, now and in each baseline period."""

    name: str
    count: float
    above: float
    baseline: Sequence[tuple[float, float]] = ()  # (count, above) per baseline period


@dataclass(frozen=True)
class StageFall:
    name: str
    conversion: float
    baseline_conversion: float
    p_value: float
    test: str
    lost_final: float  # final-stage units lost to this stage's fall


def _whole(*values: float) -> bool:
    return all(float(v).is_integer() for v in values)


def judge_stage(stage: StageCounts) -> tuple[float, float, float, str] | None:
    """(conversion, baseline conversion, one-sided p of a fall, test) or None if not testable."""
    hits = [h for h, _ in stage.baseline]
    trials = [t for _, t in stage.baseline]
    base_hits, base_trials = sum(hits), sum(trials)
    if stage.above <= 0 or base_trials <= 0 or stage.count > stage.above or base_hits > base_trials:
        return None
    conversion, baseline = stage.count / stage.above, base_hits / base_trials
    usable_history = sum(1 for t in trials if t > 0) >= 2
    if _whole(stage.count, stage.above, base_hits, base_trials) and not usable_history:
        table = [
            [int(stage.count), int(stage.above - stage.count)],
            [int(base_hits), int(base_trials - base_hits)],
        ]
        p = float(stats.fisher_exact(table, alternative="less").pvalue)
        return conversion, baseline, p, "Fisher exact, one-sided"
    if base_hits <= 0:
        return None
    result = compare_shares(stage.count, stage.above, hits, trials, Direction.UP)
    if result is None:
        return None
    return conversion, baseline, result.p_value, result.test


def significant_falls(
    stages: Sequence[StageCounts], alpha: float = 0.05, min_drop: float = 0.10
) -> list[StageFall]:
    """Falls beyond chance and at least min_drop relative, largest final-stage loss first.

    `stages` are the funnel's stages after the first, top to bottom.
    """
    falls: list[StageFall] = []
    for index, stage in enumerate(stages):
        tested = judge_stage(stage)
        if tested is None:
            continue
        conversion, baseline, p, test = tested
        if p >= alpha or baseline <= 0 or conversion / baseline - 1 > -min_drop:
            continue
        later = 1.0
        for below in stages[index + 1 :]:
            later *= below.count / below.above if below.above > 0 else 0.0
        lost = (baseline - conversion) * stage.above * later
        falls.append(StageFall(stage.name, conversion, baseline, p, test, lost))
    return sorted(falls, key=lambda f: f.lost_final, reverse=True)


def below_benchmark(count: float, above: float, benchmark: float) -> float | None:
    """One-sided p that a stage converting `count` of `above` is at or above `benchmark`.

    P(X <= count) for X ~ Binomial(above, benchmark), written as the regularised incomplete beta
    I_{1-b}(above - count, count + 1): the same number as binom.cdf for whole counts, and defined
    for fractional ones (Google Ads' 0.3 conversions) without rounding them. None when the stage
    is not a share of the one above (lagged stage, nothing above) or the benchmark is not a rate.
    """
    if above <= 0 or not 0 <= count <= above or not 0 < benchmark < 1:
        return None
    if count == above:
        return 1.0
    return float(special.betainc(above - count, count + 1, 1 - benchmark))
