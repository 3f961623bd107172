from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats

from kpi_cli.stats.kendall import inversion_counts, kendall_trend


def _s(values: tuple[float, ...]) -> float:
    return float(
        sum(np.sign(values[j] - values[i]) for i in range(len(values)) for j in range(i + 1, len(values)))
    )


@pytest.mark.parametrize("values", [[1, 2, 2, 3, 1, 4, 2], [5, 5, 5, 6, 6, 7], [3, 3, 3, 3, 4], [1, 1, 2, 2]])
def test_exact_p_with_ties_matches_enumeration(values: list[float]) -> None:
    observed = _s(tuple(values))
    perms = list(itertools.permutations(values))  # every ordering, each equally likely under no trend
    result = kendall_trend(values)
    assert result.s == observed
    assert result.p_value == pytest.approx(np.mean([abs(_s(p)) >= abs(observed) for p in perms]))
    assert result.p_increasing == pytest.approx(np.mean([_s(p) >= observed for p in perms]))
    assert result.p_decreasing == pytest.approx(np.mean([_s(p) <= observed for p in perms]))
    assert result.tau_b == pytest.approx(stats.kendalltau(range(len(values)), values).statistic)


def test_without_ties_it_is_scipys_exact_test() -> None:
    values = [3.0, 1.0, 4.0, 1.5, 5.0, 9.0, 2.6, 6.0]
    reference = stats.kendalltau(range(8), values, method="exact")
    assert kendall_trend(values).p_value == pytest.approx(reference.pvalue)


def test_mahonian_numbers() -> None:
    # permutations of 4 distinct items by inversions: 1, 3, 5, 6, 5, 3, 1 (OEIS A008302)
    assert inversion_counts([1, 2, 3, 4]) == [1, 3, 5, 6, 5, 3, 1]
    assert inversion_counts([7, 7, 7]) == [1]


def test_normal_approximation_was_far_off() -> None:
    values = [1, 1, 1, 2]  # exact P(|S| >= 3) = 1/2: 2 of the 4 orderings
    assert kendall_trend(values).p_value == pytest.approx(0.5)
    assert abs(stats.kendalltau(range(4), values).pvalue - 0.5) > 0.1
