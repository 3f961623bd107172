"""Kendall's tau against time with an exact permutation p-value, ties included.

With time on x (no ties) and values on y (ties allowed), S = concordant - discordant pairs is
(untied pairs) - 2 * inversions, and under "no trend" every distinct ordering of the multiset of
values is equally likely. The number of orderings with k inversions is the coefficient of q^k in
the q-multinomial [n; m1, m2, ...]_q = [n]_q! / prod [m_i]_q!, which is exact integer polynomial
arithmetic: no normal approximation (scipy's tie-corrected one is off by up to 0.45 in p for
the short series a monthly review has).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


def _multiply(a: list[int], b: list[int]) -> list[int]:
    out = [0] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        if x:
            for j, y in enumerate(b):
                out[i + j] += x * y
    return out


def _divide_exact(a: list[int], b: list[int]) -> list[int]:
    """a / b for integer polynomials where b is monic at its lowest term and divides a."""
    a = a[:]
    quotient = [0] * (len(a) - len(b) + 1)
    for i in range(len(quotient)):
        coefficient = a[i]  # b[0] == 1
        quotient[i] = coefficient
        if coefficient:
            for j, y in enumerate(b):
                a[i + j] -= coefficient * y
    if any(a[len(quotient) :]):
        raise ArithmeticError("q-multinomial division was not exact")
    return quotient


def _q_factorial(n: int) -> list[int]:
    poly = [1]
    for i in range(1, n + 1):
        poly = _multiply(poly, [1] * i)
    return poly


def inversion_counts(values: Sequence[float]) -> list[int]:
    """How many distinct orderings of the multiset `values` have 0, 1, 2, ... strict inversions."""
    poly = _q_factorial(len(values))
    for multiplicity in Counter(values).values():
        poly = _divide_exact(poly, _q_factorial(multiplicity))
    return poly


@dataclass(frozen=True)
class KendallTrend:
    tau_b: float
    s: int  # concordant - discordant pairs
    p_value: float  # two-sided, exact under permutation
    p_increasing: float  # one-sided: P(S >= observed)
    p_decreasing: float  # one-sided: P(S <= observed)


def kendall_trend(values: Sequence[float]) -> KendallTrend:
    n = len(values)
    if n < 2:
        raise ValueError("a trend needs at least 2 values")
    inversions = sum(1 for i in range(n) for j in range(i + 1, n) if values[i] > values[j])
    tied = sum(m * (m - 1) // 2 for m in Counter(values).values())
    pairs = n * (n - 1) // 2
    untied = pairs - tied
    s = untied - 2 * inversions
    counts = inversion_counts(values)
    total = sum(counts)
    # S = untied - 2k: S >= s  <=>  k <= inversions
    at_most = sum(counts[: inversions + 1])
    at_least = sum(counts[inversions:])
    p_inc, p_dec = at_most / total, at_least / total
    s_abs = abs(s)
    extreme = sum(c for k, c in enumerate(counts) if abs(untied - 2 * k) >= s_abs)
    tau = s / math.sqrt(pairs * untied) if untied else 0.0
    return KendallTrend(tau, s, min(1.0, extreme / total), p_inc, p_dec)
