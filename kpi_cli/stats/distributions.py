"""The distribution functions `kpi check` needs, from scipy.special rather than scipy.stats.

Importing scipy.stats costs about 0.9 s of CPU on every check (issue 12); scipy.special's
ufuncs about 0.02 s (kpi_cli.lazy_scipy). Each function here is the special function scipy.stats
itself evaluates (scipy 1.17: `t._sf` is `stdtr(df, -x)`, `binom._cdf` the ufunc `_binom_cdf`,
...), with the support checks scipy.stats' generic `cdf`/`sf` add around it, so results are the
same floats; tests/stats/test_distributions.py pins every one against scipy.stats on a grid.
"""

from __future__ import annotations

import math

from kpi_cli.lazy_scipy import special


def t_cdf(x: float, df: float) -> float:
    return float(special.stdtr(df, x))


def t_sf(x: float, df: float) -> float:
    return float(special.stdtr(df, -x))


def t_ppf(q: float, df: float) -> float:
    return float(special.stdtrit(df, q))


def norm_sf(x: float) -> float:
    return float(special.ndtr(-x))


def norm_ppf(q: float) -> float:
    return float(special.ndtri(q))


def binom_cdf(k: float, n: int, p: float) -> float:
    k = math.floor(k)
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    return float(special._binom_cdf(k, n, p))


def binom_sf(k: float, n: int, p: float) -> float:
    k = math.floor(k)
    if k < 0:
        return 1.0
    if k >= n:
        return 0.0
    return float(special._binom_sf(k, n, p))


def binomtest_p(k: int, n: int, p: float, alternative: str) -> float:
    """scipy.stats.binomtest(k, n, p, alternative).pvalue for the one-sided alternatives."""
    if alternative == "less":
        return min(1.0, binom_cdf(k, n, p))
    if alternative == "greater":
        return min(1.0, binom_sf(k - 1, n, p))
    raise ValueError(f"one-sided alternatives only, not {alternative!r}")


def nbinom_cdf(k: float, shape: float, p: float) -> float:
    k = math.floor(k)
    return 0.0 if k < 0 else float(special._nbinom_cdf(k, shape, p))


def nbinom_sf(k: float, shape: float, p: float) -> float:
    k = math.floor(k)
    return 1.0 if k < 0 else float(special._nbinom_sf(k, shape, p))


def poisson_cdf(k: float, mu: float) -> float:
    k = math.floor(k)
    return 0.0 if k < 0 else float(special.pdtr(k, mu))


def poisson_sf(k: float, mu: float) -> float:
    k = math.floor(k)
    return 1.0 if k < 0 else float(special.pdtrc(k, mu))
