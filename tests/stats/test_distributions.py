"""kpi_cli.stats.distributions and theil_sen give scipy.stats' own floats (issue 12: no scipy.stats
import in `kpi check`). Exact equality, not a tolerance: the goldens print these p-values."""

from __future__ import annotations

import itertools
import math
import subprocess
import sys

import numpy as np
import pytest
from scipy import stats

from kpi_cli.stats import distributions as d
from kpi_cli.stats.theil_sen import theil_sen

XS = [-40.0, -7.5, -2.0, -0.3, 0.0, 0.1, 1.0, 1.96, 3.3, 12.0, 50.0]
DFS = [0.5, 1.0, 2.0, 3.7, 10.0, 29.0, 300.0, 1e6]
QS = [1e-9, 0.001, 0.025, 0.3, 0.5, 0.8, 0.95, 0.975, 0.999]
PS = [1e-6, 0.01, 0.2, 0.5, 0.77, 0.99, 0.999999]


@pytest.mark.parametrize("df", DFS)
def test_t_functions_are_scipy_stats_t(df: float) -> None:
    for x in XS:
        assert d.t_cdf(x, df) == float(stats.t.cdf(x, df))
        assert d.t_sf(x, df) == float(stats.t.sf(x, df))
    for q in QS:
        assert d.t_ppf(q, df) == float(stats.t.ppf(q, df))


def test_normal_functions_are_scipy_stats_norm() -> None:
    for x in XS:
        assert d.norm_sf(x) == float(stats.norm.sf(x))
    for q in QS:
        assert d.norm_ppf(q) == float(stats.norm.ppf(q))


@pytest.mark.parametrize("n", [1, 2, 7, 40, 333, 5000, 120_000])
def test_binomial_tail_and_test_are_scipy_stats(n: int) -> None:
    ks = sorted({0, 1, 2, n // 3, n // 2, n - 1, n, n + 1, -1})
    for k, p in itertools.product(ks, PS):
        assert d.binom_cdf(k, n, p) == float(stats.binom.cdf(k, n, p)), (k, n, p)
        assert d.binom_sf(k, n, p) == float(stats.binom.sf(k, n, p)), (k, n, p)
        if 0 <= k <= n:
            for side in ("less", "greater"):
                assert d.binomtest_p(k, n, p, side) == float(
                    stats.binomtest(k, n, p, alternative=side).pvalue
                )


def test_binomtest_refuses_two_sided() -> None:
    with pytest.raises(ValueError, match="one-sided"):
        d.binomtest_p(3, 10, 0.5, "two-sided")


def test_negative_binomial_and_poisson_are_scipy_stats() -> None:
    rng = np.random.default_rng(12)
    for _ in range(400):
        shape, p, mu = (
            float(rng.uniform(0.05, 80)),
            float(rng.uniform(0.001, 0.999)),
            float(rng.uniform(0, 900)),
        )
        for k in (-1, 0, 1, int(rng.integers(0, 2000)), 2.7):
            assert d.nbinom_cdf(k, shape, p) == float(stats.nbinom.cdf(k, shape, p)), (k, shape, p)
            assert d.nbinom_sf(k, shape, p) == float(stats.nbinom.sf(k, shape, p)), (k, shape, p)
            assert d.poisson_cdf(k, mu) == float(stats.poisson.cdf(k, mu)), (k, mu)
            assert d.poisson_sf(k, mu) == float(stats.poisson.sf(k, mu)), (k, mu)


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


@pytest.mark.parametrize("seed", range(40))
def test_theil_sen_is_scipy_theilslopes(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 30))
    x = sorted(rng.choice(np.arange(60), size=n, replace=False).astype(float))
    y = [float(v) for v in np.round(rng.normal(100, 30, n), int(rng.integers(0, 3)))]  # rounding: ties
    confidence = float(rng.choice([0.8, 0.9, 0.95, 0.05]))
    mine = theil_sen(y, list(x), confidence)
    theirs = stats.theilslopes(y, x, confidence)
    for a, b in zip(
        (mine.slope, mine.intercept, mine.low_slope, mine.high_slope),
        (theirs.slope, theirs.intercept, theirs.low_slope, theirs.high_slope),
        strict=True,
    ):
        assert _same(a, float(b)), (seed, mine, theirs)


def test_theil_sen_refuses_fewer_than_two_points() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        theil_sen([1.0], [0.0], 0.9)


def test_a_check_computes_without_importing_scipy_stats() -> None:
    script = (
        "import sys\n"
        "from kpi_cli.stats import compare, forecast, pace, shift, trend\n"
        "from kpi_cli.stats.theil_sen import theil_sen\n"
        "compare.compare_counts(80, 31, [100, 110], [31, 30], compare.Direction.UP, [90, 100, 110], [31, 30, 31])\n"
        "pace.outlook(40, 10, 30, 150, compare.Direction.UP, [120, 140, 130], [31, 30, 31])\n"
        "theil_sen([1.0, 3.0, 2.0, 5.0], [0.0, 1.0, 2.0, 3.0], 0.9)\n"
        "print([m in sys.modules for m in ('scipy.stats', 'scipy.special._ufuncs', 'scipy.special')])\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    # the ufuncs only: not even scipy.special's package __init__ (kpi_cli.lazy_scipy)
    assert out.split("\n")[0] == "[False, True, False]"


def _run(script: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_the_ufuncs_load_without_the_array_api_layer_and_are_scipy_specials_own() -> None:
    """Pins the private layout kpi_cli.lazy_scipy relies on (scipy 1.17): `_ufuncs` loads under a
    stand-in package without scipy.special's __init__, whose array-API layer imports numpy.f2py
    (~0.17 s); a later real `import scipy.special` adopts that very module, and the public names a
    check uses are its ufuncs. If a scipy release changes this, this test fails (the code itself
    falls back to the ordinary import)."""
    script = (
        "import sys\n"
        "from kpi_cli.lazy_scipy import special\n"
        "special.ndtr(0.0)\n"
        "ufuncs = sys.modules['scipy.special._ufuncs']\n"
        "heavy = ('scipy.special', 'scipy.special._support_alternative_backends', 'numpy.f2py')\n"
        "print(*[m in sys.modules for m in heavy])\n"
        "import scipy.special\n"
        "print(scipy.special._ufuncs is ufuncs)\n"
        "names = ('stdtr', 'stdtrit', 'ndtr', 'ndtri', 'pdtr', 'pdtrc', 'betainc')\n"
        "print(all(getattr(scipy.special, n) is getattr(ufuncs, n) for n in names))\n"
    )
    assert _run(script) == ["False", "False", "False", "True", "True"]


def test_a_scipy_whose_ufuncs_need_their_package_falls_back_to_the_ordinary_import() -> None:
    """Simulated by pointing the stand-in at a folder without the extension: the import fails
    under the stand-in, which is removed, and the ordinary `import scipy.special` serves."""
    script = (
        "import sys, scipy\n"
        "scipy.__file__ = '/nonexistent/scipy/__init__.py'\n"
        "from kpi_cli.lazy_scipy import special\n"
        "print(special.ndtri(0.975))\n"
        "print(type(sys.modules['scipy.special']).__name__, hasattr(sys.modules['scipy.special'], 'ndtr'))\n"
        "print('scipy.special._support_alternative_backends' in sys.modules)\n"
    )
    # Φ⁻¹(0.975) = 1.959963984540054 (the familiar 1.96, to double precision)
    assert _run(script) == ["1.959963984540054", "module", "True", "True"]
