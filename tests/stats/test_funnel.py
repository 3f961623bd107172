from __future__ import annotations

import pytest
from scipy import stats

from kpi_cli.stats.funnel import StageCounts, below_benchmark, judge_stage, significant_falls


def test_a_real_leak_outranks_a_noisy_small_stage() -> None:
    # visits 1000 -> signups 210 (was 300 of 1000) -> deals 1 of 210 (was 4 of 300)
    stages = [
        StageCounts("signups", 210, 1000, [(300, 1000)]),
        StageCounts("deals", 1, 210, [(4, 300)]),
    ]
    falls = significant_falls(stages)
    assert [f.name for f in falls] == ["signups"]  # 4 -> 1 falls 64 % relative but is chance
    p = stats.fisher_exact([[210, 790], [300, 700]], alternative="less").pvalue
    assert falls[0].p_value == pytest.approx(p)
    assert falls[0].lost_final == pytest.approx((0.3 - 0.21) * 1000 * (1 / 210))


def test_ranking_is_by_final_units_lost() -> None:
    stages = [
        StageCounts("a", 400, 1000, [(500, 1000)]),  # -20 %, 100 lost here
        StageCounts("b", 200, 400, [(300, 400)]),  # -33 %, 100 x 0.5 at the next stage...
        StageCounts("c", 100, 200, [(100, 200)]),
    ]
    falls = significant_falls(stages)
    # a: 0.1 * 1000 * (0.5 * 0.5) = 25 final units; b: 0.25 * 400 * 0.5 = 50
    assert [f.name for f in falls] == ["b", "a"]
    assert [f.lost_final for f in falls] == pytest.approx([50.0, 25.0])


def test_fractional_counts_never_crash() -> None:
    stage = StageCounts("conversions", 0.3, 120.0, [(2.7, 100.0), (3.1, 110.0)])
    result = judge_stage(stage)
    assert result is not None and 0 <= result[2] <= 1 and "Laney" in result[3]
    lone = judge_stage(StageCounts("conversions", 0.3, 120.0, [(2.7, 100.0)]))
    assert lone is not None and "Fisher" not in lone[3]


def test_untestable_stages() -> None:
    assert judge_stage(StageCounts("lagged", 12, 10, [(5, 10)])) is None
    assert judge_stage(StageCounts("empty", 0, 0, [(5, 10)])) is None


def test_below_benchmark_is_the_binomial_tail_and_takes_fractions() -> None:
    for count, above, rate in [(60, 200, 0.4), (0, 10, 0.1), (9, 10, 0.5), (3, 1000, 0.01)]:
        assert below_benchmark(count, above, rate) == pytest.approx(stats.binom.cdf(count, above, rate))
    # a fractional count lies between its whole neighbours: the tail grows with the count
    low, mid, high = (below_benchmark(c, 120.0, 0.02) for c in (0.0, 0.3, 1.0))
    assert low is not None and mid is not None and high is not None
    assert low < mid < high
    assert below_benchmark(10, 10, 0.5) == 1.0
    assert below_benchmark(12, 10, 0.5) is None  # a lagged stage is not a share
    assert below_benchmark(1, 0, 0.5) is None
